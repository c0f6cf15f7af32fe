"""``tf.distribute.cluster_resolver.SlurmClusterResolver``: the cluster of a Slurm job step.

Slurm describes a job step in environment variables: ``SLURM_PROCID`` (this task's
rank), ``SLURM_STEP_NUM_TASKS``, ``SLURM_STEP_NODELIST`` (a hostlist such as
``node[01-03,7],other``) and ``SLURM_STEP_TASKS_PER_NODE`` (counts such as ``2(x3),1``).
The resolver packs the tasks onto the nodes in sorted host order, one port per task from
``port_base`` on, and deals the jobs out over them in sorted job order.
"""

from __future__ import annotations

import os
import re

from tensorflux.distribute.cluster_resolver import ClusterResolver, _with_rpc_layer
from tensorflux.train.cluster_spec import ClusterSpec

__all__ = ["SlurmClusterResolver", "expand_hostlist", "expand_tasks_per_node"]

# A hostlist item: a prefix, then optionally one bracketed list of ranges. `$` (not `\Z`)
# as TF's parser, which also takes an item ending in a newline.
_HOSTLIST_ITEM = re.compile(r"(?P<prefix>[^,\[\]]*)(?:\[(?P<ranges>[^\]]+)\])?$")
_TASK_COUNT = re.compile(r"(?P<count>\d+)(?:\(x(?P<times>\d+)\))?$")


def _hostlist_items(hostlist: str):
    """The items of ``hostlist``, split at the commas outside brackets, one at a time (so
    that an error in an item is met before an error further on, as in TF)."""
    item, in_brackets = "", False
    for char in hostlist:
        if char == "," and not in_brackets:
            if not item:
                raise ValueError("")
            yield item
            item = ""
            continue
        if char == "[":
            if in_brackets:
                raise ValueError("")
            in_brackets = True
        elif char == "]":
            in_brackets = False
        item += char
    if item:
        yield item


def _expand_item(item: str) -> list:
    match = _HOSTLIST_ITEM.match(item)
    if match is None:
        raise ValueError(f"Invalid part: {item}")
    prefix, ranges = match["prefix"], match["ranges"]
    if ranges is None:
        return [prefix]
    hosts = []
    for bounds in ranges.split(","):
        ends = bounds.split("-")
        if len(ends) > 2:
            raise ValueError("")
        # The first bound's width sets the zero padding: "01-10" gives 01, 02, ..., 10.
        width = len(ends[0])
        hosts.extend(prefix + str(n).zfill(width) for n in range(int(ends[0]), int(ends[-1]) + 1))
    return hosts


def expand_hostlist(hostlist: str) -> list:
    """The host names of a Slurm hostlist, in order and with repeats kept.

    >>> expand_hostlist("n[1-2],m5,o[08-10]")
    ['n1', 'n2', 'm5', 'o08', 'o09', 'o10']

    Raises:
        ValueError: ``hostlist`` is malformed (TF's message, whose detail is empty for an
            empty item, a bracket inside brackets or a range of three bounds).
    """
    hosts = []
    try:
        for item in _hostlist_items(hostlist):
            hosts.extend(_expand_item(item))
    except ValueError as e:
        raise ValueError(f'Invalid hostlist format "{hostlist}": {e}') from None
    return hosts


def expand_tasks_per_node(tasks_per_node: str) -> list:
    """The number of tasks on each node of a Slurm tasks-per-node list.

    >>> expand_tasks_per_node("3(x2),2,1")
    [3, 3, 2, 1]

    Raises:
        ValueError: an item is not ``<count>`` or ``<count>(x<repeats>)``.
    """
    counts = []
    for item in tasks_per_node.split(","):
        match = _TASK_COUNT.match(item)
        if match is None:
            raise ValueError(f'Invalid tasks-per-node list format "{tasks_per_node}": ')
        counts.extend([int(match["count"])] * int(match["times"] or 1))
    return counts


def _slurm_variable(name: str) -> str:
    name = f"SLURM_{name}"
    if name not in os.environ:
        raise RuntimeError(f"{name} not found in environment. Not running inside a SLURM step?")
    return os.environ[name]


def _gpus_on_node() -> int:
    """The GPUs of this node: as many as ``CUDA_VISIBLE_DEVICES`` names when it is set
    (TF's rule: an empty value counts one), else those JAX sees, where TF would ask
    ``nvidia-smi``."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        return len(visible.split(","))
    from tensorflux.kernels.xla import devices

    gpus = devices.accelerators()
    if not gpus:
        raise RuntimeError(
            "Could not get number of GPUs: CUDA_VISIBLE_DEVICES is not set and "
            "JAX sees no GPU (tf.config.list_physical_devices('GPU') is empty). Pass "
            "gpus_per_node."
        )
    return len(gpus)


class SlurmClusterResolver(ClusterResolver):
    """The cluster of the Slurm job step this process runs in
    (``tf.distribute.cluster_resolver.SlurmClusterResolver``).

    Each ``cluster_spec()`` call lays the tasks out: the nodes in sorted order, each
    node's tasks on ports ``port_base``, ``port_base + 1``, ..., and each task on the
    next ``gpus_per_task`` GPUs of its node. The jobs, in sorted order of their names,
    take the tasks in turn, so that the task of rank ``SLURM_PROCID`` is ``task_type``
    and ``task_id`` (both None until ``cluster_spec()`` or ``master()`` is first
    called with them resolved; ``master()`` without arguments is ``""`` before that,
    as in TF).

    In the second task of a step of two nodes (``SLURM_PROCID=1``,
    ``SLURM_STEP_NUM_TASKS=2``, ``SLURM_STEP_NODELIST=node[1-2]``,
    ``SLURM_STEP_TASKS_PER_NODE=1(x2)``)::

        resolver = SlurmClusterResolver(gpus_per_node=1, auto_set_gpu=False)
        resolver.cluster_spec().as_dict()  # {'worker': ['node1:8888', 'node2:8888']}
        resolver.get_task_info()  # ('worker', 1)
        resolver.master()  # 'grpc://node2:8888'

    Without ``gpus_per_node``, a node's GPUs are those ``CUDA_VISIBLE_DEVICES`` names,
    or when it is unset those ``tf.config.list_physical_devices("GPU")`` lists (the
    cards JAX sees) where TF runs ``nvidia-smi``. As in TF, a ``gpus_per_task`` of 0
    makes ``cluster_spec()`` raise ``ValueError``: on nodes without GPUs, pass a
    ``gpus_per_node`` of at least the tasks per node and ``auto_set_gpu=False``.

    Args:
        jobs: the number of tasks of each job, e.g. ``{"ps": 1, "worker": 3}`` (default:
            ``{"worker": SLURM_STEP_NUM_TASKS}``); they must add up to the step's tasks.
        port_base: the port of the first task on each node.
        gpus_per_node: the GPUs of each node (default: counted as above).
        gpus_per_task: the GPUs of each task (default: ``gpus_per_node`` divided by the
            most tasks a node runs).
        tasks_per_node: the tasks of every node, as an int (the nodes from
            ``SLURM_STEP_NODELIST``) or a dict from host name to tasks (default: from
            ``SLURM_STEP_NODELIST`` and ``SLURM_STEP_TASKS_PER_NODE``).
        auto_set_gpu: whether ``cluster_spec()`` sets ``CUDA_VISIBLE_DEVICES`` to this
            task's GPUs (JAX reads it only when it first starts its GPU backend).
        rpc_layer: the protocol prefixed to ``master()``'s address.

    Raises:
        RuntimeError: a needed ``SLURM_*`` variable is unset; more GPUs per node are
            requested than there are; ``jobs`` does not add up to the step's tasks; no
            GPU count can be found.
        ValueError: ``SLURM_PROCID`` is not an integer, or a hostlist or tasks-per-node
            list is malformed.
    """

    def __init__(
        self,
        jobs=None,
        port_base=8888,
        gpus_per_node=None,
        gpus_per_task=None,
        tasks_per_node=None,
        auto_set_gpu=True,
        rpc_layer="grpc",
    ):
        self._rank = int(_slurm_variable("PROCID"))
        if jobs is None:
            jobs = {"worker": int(_slurm_variable("STEP_NUM_TASKS"))}
        self._jobs = jobs
        self._port_base = port_base
        if tasks_per_node is None:
            hosts = expand_hostlist(_slurm_variable("STEP_NODELIST"))
            counts = expand_tasks_per_node(_slurm_variable("STEP_TASKS_PER_NODE"))
            self._tasks_per_host = dict(zip(hosts, counts))
        elif isinstance(tasks_per_node, dict):
            self._tasks_per_host = tasks_per_node
        else:
            hosts = expand_hostlist(_slurm_variable("STEP_NODELIST"))
            self._tasks_per_host = {host: int(tasks_per_node) for host in hosts}
        most_tasks = max(self._tasks_per_host.values())
        assigned = sum(self._tasks_per_host.values())
        if gpus_per_node is None:
            gpus_per_node = _gpus_on_node()
        if gpus_per_task is None:
            gpus_per_task = gpus_per_node // most_tasks
        self._gpus_per_node = gpus_per_node
        self._gpus_per_task = gpus_per_task
        self._auto_set_gpu = auto_set_gpu
        self.task_type = None
        self.task_id = None
        self.rpc_layer = rpc_layer
        if most_tasks * gpus_per_task > gpus_per_node:
            raise RuntimeError("Requested more GPUs per node than available.")
        requested = sum(jobs.values())
        if requested != assigned:
            raise RuntimeError(f"Requested {requested} tasks but only {assigned} were assigned.")

    def cluster_spec(self) -> ClusterSpec:
        """The jobs' task addresses; also sets ``task_type``/``task_id`` (when this rank is
        in a job) and, with ``auto_set_gpu``, ``CUDA_VISIBLE_DEVICES``.

        Raises:
            ValueError: ``gpus_per_task`` is 0 (TF's ``range()`` error).
            IndexError: ``auto_set_gpu`` with a ``SLURM_PROCID`` beyond the tasks.
        """
        addresses, gpus = [], []
        for host, tasks in sorted(self._tasks_per_host.items()):
            first_gpus = range(0, self._gpus_per_node, self._gpus_per_task)
            for offset, first_gpu in zip(range(tasks), first_gpus):
                addresses.append(f"{host}:{int(self._port_base + offset)}")
                task_gpus = range(first_gpu, first_gpu + self._gpus_per_task)
                gpus.append(",".join(str(gpu) for gpu in task_gpus))
        cluster, start = {}, 0
        for job, tasks in sorted(self._jobs.items()):
            end = start + tasks
            cluster[job] = addresses[start:end]
            if start <= self._rank < end:
                self.task_type, self.task_id = job, self._rank - start
            start = end
        if self._auto_set_gpu:
            os.environ["CUDA_VISIBLE_DEVICES"] = gpus[self._rank]
        return ClusterSpec(cluster)

    def get_task_info(self) -> tuple:
        """``(task_type, task_id)`` of this process (``(None, None)`` before
        ``cluster_spec()``)."""
        return self.task_type, self.task_id

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """The address of ``task_type``/``task_id`` (default: this task's, as resolved so
        far), prefixed with ``rpc_layer://``; ``""`` when no task is known."""
        task_type = self.task_type if task_type is None else task_type
        task_id = self.task_id if task_id is None else task_id
        if task_type is None or task_id is None:
            return ""
        address = self.cluster_spec().task_address(task_type, task_id)
        return _with_rpc_layer(address, rpc_layer or self.rpc_layer)

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        """``{"GPU": gpus_per_task}``, whatever the task."""
        return {"GPU": self._gpus_per_task}
