"""``tf.distribute.cluster_resolver``: where the workers of a cluster are.

``TFConfigClusterResolver`` reads the ``TF_CONFIG`` environment variable (JSON with a
``cluster`` of jobs and this process's ``task``); ``SimpleClusterResolver`` holds a
given ``ClusterSpec``.
"""

from __future__ import annotations

import json
import os

from tensorflux.train.cluster_spec import ClusterSpec

__all__ = ["ClusterResolver", "SimpleClusterResolver", "TFConfigClusterResolver"]


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
        """The accelerators of each kind on a task: none on this CPU engine."""
        return {}


def _address(spec: ClusterSpec, task_type, task_id, rpc_layer) -> str:
    if task_type is None or task_id is None:
        return ""
    address = spec.task_address(task_type, task_id)
    return f"{rpc_layer}://{address}" if rpc_layer else address


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
        """The ``master`` given, or ``task_type``/``task_id``'s address, with
        ``rpc_layer://``."""
        if task_type is not None and task_id is not None:
            return _address(self._cluster_spec, task_type, task_id, rpc_layer or self.rpc_layer)
        return self._master

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


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.distribute.cluster_resolver", __name__, name)
