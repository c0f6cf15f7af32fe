"""``tf.distribute.cluster_resolver``: where the workers of a cluster are.

``TFConfigClusterResolver`` reads the ``TF_CONFIG`` environment variable (JSON with a
``cluster`` of jobs and this process's ``task``); ``SlurmClusterResolver`` (in
``slurm_cluster_resolver``) reads a Slurm job step's environment; ``SimpleClusterResolver``
holds a given ``ClusterSpec``; ``UnionResolver`` merges the clusters of several resolvers.
"""

from __future__ import annotations

import collections
import json
import os

from tensorflux.train.cluster_spec import ClusterSpec

__all__ = [
    "ClusterResolver",
    "SimpleClusterResolver",
    "SlurmClusterResolver",
    "TFConfigClusterResolver",
    "UnionResolver",
]


class ClusterResolver:
    """Finds the cluster a program runs in (``tf.distribute.cluster_resolver.ClusterResolver``).

    A base class: subclasses give ``cluster_spec()`` and ``master()``.
    """

    task_type = None
    task_id = None
    rpc_layer = None
    environment = ""

    def cluster_spec(self) -> ClusterSpec:
        raise NotImplementedError

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        raise NotImplementedError

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        """The accelerators of each kind, ``{"GPU": n}`` (a ``defaultdict(int)``, as in
        TF): this process's logical GPUs; a named task's are not known, as TF finds none
        among local devices either."""
        from tensorflux.kernels.xla import devices

        mapping = collections.defaultdict(int)
        if (task_type is None or task_id is None) and devices.visible():
            mapping["GPU"] = len(devices.visible())
        return mapping


def _with_rpc_layer(address: str, rpc_layer) -> str:
    return f"{rpc_layer}://{address}" if rpc_layer else address


def _address(spec: ClusterSpec, task_type, task_id, rpc_layer) -> str:
    if task_type is None or task_id is None:
        return ""
    return _with_rpc_layer(spec.task_address(task_type, task_id), rpc_layer)


class SimpleClusterResolver(ClusterResolver):
    """A cluster given as a ``ClusterSpec``
    (``tf.distribute.cluster_resolver.SimpleClusterResolver``).

    >>> from tensorflux.train import ClusterSpec
    >>> spec = ClusterSpec({"worker": ["w0:1", "w1:1"]})
    >>> SimpleClusterResolver(spec, task_type="worker", task_id=1).master("worker", 1)
    'w1:1'
    """

    def __init__(
        self,
        cluster_spec,
        master="",
        task_type=None,
        task_id=None,
        environment="",
        num_accelerators=None,
        rpc_layer=None,
    ):
        if not isinstance(cluster_spec, ClusterSpec):
            raise TypeError("cluster_spec must be a `tf.train.ClusterSpec`.")
        if not isinstance(master, str):
            raise TypeError("master must be a string.")
        self._cluster_spec = cluster_spec
        self._master = master
        self.task_type = task_type
        self.task_id = task_id
        self.environment = environment
        self.rpc_layer = rpc_layer
        self._num_accelerators = num_accelerators or {}

    def cluster_spec(self) -> ClusterSpec:
        return self._cluster_spec

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """The ``master`` given, or ``task_type``/``task_id``'s address, prefixed with
        ``rpc_layer://`` (this resolver's ``rpc_layer`` when not given)."""
        if task_type is not None and task_id is not None:
            return _address(self._cluster_spec, task_type, task_id, rpc_layer or self.rpc_layer)
        return _with_rpc_layer(self._master, rpc_layer or self.rpc_layer)

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        return dict(self._num_accelerators)


def _tf_config() -> dict:
    """``TF_CONFIG`` parsed (``{}`` when unset).

    Raises:
        json.JSONDecodeError: ``TF_CONFIG`` is not JSON (a ValueError, as TF raises).
    """
    return json.loads(os.environ.get("TF_CONFIG") or "{}")


class TFConfigClusterResolver(ClusterResolver):
    """The cluster described by the ``TF_CONFIG`` environment variable
    (``tf.distribute.cluster_resolver.TFConfigClusterResolver``), e.g.
    ``{"cluster": {"worker": ["host1:12345", "host2:23456"]}, "task": {"type": "worker",
    "index": 0}}``. It is read each time it is asked.

    Raises:
        json.JSONDecodeError: ``TF_CONFIG`` does not parse (when first read).
    """

    def __init__(self, task_type=None, task_id=None, rpc_layer=None, environment=None):
        self._task_type = task_type
        self._task_id = task_id
        self._rpc_layer = rpc_layer
        self._environment = environment

    @property
    def task_type(self):
        if self._task_type is not None:
            return self._task_type
        return _tf_config().get("task", {}).get("type")

    @task_type.setter
    def task_type(self, value):
        self._task_type = value

    @property
    def task_id(self):
        if self._task_id is not None:
            return self._task_id
        index = _tf_config().get("task", {}).get("index")
        return None if index is None else int(index)

    @task_id.setter
    def task_id(self, value):
        self._task_id = value

    @property
    def rpc_layer(self):
        if self._rpc_layer is not None:
            return self._rpc_layer
        return _tf_config().get("rpc_layer")

    @rpc_layer.setter
    def rpc_layer(self, value):
        self._rpc_layer = value

    @property
    def environment(self):
        return (
            self._environment
            if self._environment is not None
            else _tf_config().get("environment", "")
        )

    def cluster_spec(self) -> ClusterSpec:
        """The ``cluster`` of ``TF_CONFIG`` (an empty ClusterSpec when there is none)."""
        return ClusterSpec(_tf_config().get("cluster", {}))

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """The address of this task (or of ``task_type``/``task_id``)."""
        task_type = self.task_type if task_type is None else task_type
        task_id = self.task_id if task_id is None else task_id
        return _address(self.cluster_spec(), task_type, task_id, rpc_layer or self.rpc_layer)


class UnionClusterResolver(ClusterResolver):
    """The union of several resolvers' clusters (``tf.distribute.cluster_resolver.UnionResolver``).

    ``cluster_spec()`` merges the jobs of every resolver: a job whose tasks every
    resolver gives as a list concatenates them in the order of the resolvers; a job
    that some resolver gives as a dict of task indices (a list counts as indices
    0..n-1 there) merges the indices, and two resolvers with a same index raise
    ``KeyError``. The task type, task id, RPC layer, environment, master and
    accelerators are the first resolver's, unless overridden by the keyword arguments;
    as in TF, an override that is falsy (a ``task_id`` of 0) falls back to the first
    resolver's value.

    >>> from tensorflux.train import ClusterSpec
    >>> workers = SimpleClusterResolver(ClusterSpec({"worker": ["w0:1"]}), task_type="worker",
    ...                                 task_id=0)
    >>> ps = SimpleClusterResolver(ClusterSpec({"ps": ["p0:1"], "worker": ["w1:1"]}))
    >>> UnionResolver(workers, ps).cluster_spec().as_dict()
    {'worker': ['w0:1', 'w1:1'], 'ps': ['p0:1']}

    Args:
        *cluster_resolvers: the ``ClusterResolver``s to merge.
        rpc_layer: overrides the first resolver's ``rpc_layer``.
        task_type: overrides the first resolver's ``task_type``.
        task_id: overrides the first resolver's ``task_id``.

    Raises:
        ValueError: another keyword argument, or no resolver.
        TypeError: an argument that is not a ``ClusterResolver``.
    """

    def __init__(self, *cluster_resolvers, rpc_layer=None, task_type=None, task_id=None, **kwargs):
        self._rpc_layer = rpc_layer
        self._task_type = task_type
        self._task_id = task_id
        if kwargs:
            raise ValueError(f"Unexpected kwargs provided {kwargs!r}")
        if not cluster_resolvers:
            raise ValueError("At least one ClusterResolver is required.")
        if not all(isinstance(r, ClusterResolver) for r in cluster_resolvers):
            raise TypeError("All arguments must be a sub-class of `ClusterResolver.`")
        self._cluster_resolvers = cluster_resolvers

    def cluster_spec(self) -> ClusterSpec:
        """The merged ``ClusterSpec`` of the resolvers (read anew from each).

        Raises:
            KeyError: two resolvers give a same task index of a job merged as a dict.
        """
        clusters = [r.cluster_spec().as_dict() for r in self._cluster_resolvers]
        all_lists = {}
        for cluster in clusters:
            for job, tasks in cluster.items():
                all_lists[job] = all_lists.get(job, True) and isinstance(tasks, list)
        merged = {}
        for cluster in clusters:
            for job, tasks in cluster.items():
                if all_lists[job]:
                    merged.setdefault(job, []).extend(tasks)
                    continue
                indexed = dict(enumerate(tasks)) if isinstance(tasks, list) else dict(tasks)
                into = merged.setdefault(job, {})
                clash = set(indexed).intersection(set(into))
                if clash:
                    raise KeyError(
                        f"Duplicate keys detected when merging two ClusterSpecs: {clash!r}"
                    )
                into.update(indexed)
        return ClusterSpec(merged)

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """The address of ``task_type``/``task_id`` in the merged cluster (prefixed with
        ``rpc_layer://`` or the overriding ``rpc_layer`` given to the constructor), else the
        first resolver's ``master(rpc_layer=rpc_layer)``."""
        if task_type is not None and task_id is not None:
            address = self.cluster_spec().task_address(task_type, task_id)
            return _with_rpc_layer(address, rpc_layer or self._rpc_layer)
        return self._cluster_resolvers[0].master(rpc_layer=rpc_layer)

    @property
    def task_type(self):
        return self._task_type or self._cluster_resolvers[0].task_type

    @task_type.setter
    def task_type(self, value):
        self._task_type = value

    @property
    def task_id(self):
        return self._task_id or self._cluster_resolvers[0].task_id

    @task_id.setter
    def task_id(self, value):
        self._task_id = value

    @property
    def rpc_layer(self):
        return self._rpc_layer or self._cluster_resolvers[0].rpc_layer

    @rpc_layer.setter
    def rpc_layer(self, value):
        self._rpc_layer = value

    @property
    def environment(self):
        return self._cluster_resolvers[0].environment

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        """The first resolver's ``num_accelerators``."""
        return self._cluster_resolvers[0].num_accelerators(task_type, task_id, config_proto)


UnionResolver = UnionClusterResolver

# At the end: the Slurm resolver's module subclasses ClusterResolver, defined above.
from tensorflux.distribute.slurm_cluster_resolver import SlurmClusterResolver  # noqa: E402


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.distribute.cluster_resolver", __name__, name)
