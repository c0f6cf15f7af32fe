"""``MultiWorkerMirroredStrategy``: synchronous training over several worker processes.

The workers are the ranks of an ``mpiexec`` launch (``mpiexec -n 2 python train.py``),
joined by MPI through mpi4py (the ``tensorflux[distributed]`` extra); ``TF_CONFIG``,
when set, must then describe the same number of workers. Without ``mpiexec``, a
``TF_CONFIG`` of several workers connects them over TCP (``SocketCollective``), each
worker started with its own task index, as with TF. Each worker runs one replica; the
variables start from worker 0's values and stay equal because every update applies the
gradients all-reduced over the workers. Worker 0 is the chief: it alone writes
checkpoints and summaries.
"""

from __future__ import annotations

import copy
import enum
import logging

from tensorflux.distribute import collective as collective_lib
from tensorflux.distribute.cluster_resolver import (
    SimpleClusterResolver,
    TFConfigClusterResolver,
)
from tensorflux.distribute.distribute_lib import Strategy, StrategyExtended
from tensorflux.train.cluster_spec import ClusterSpec

__all__ = [
    "CollectiveHints",
    "CommunicationImplementation",
    "CommunicationOptions",
    "MultiWorkerMirroredStrategy",
    "Options",
]


class CommunicationImplementation(enum.Enum):
    """Which collective implementation to use
    (``tf.distribute.experimental.CommunicationImplementation``, also named
    ``CollectiveCommunication``): all run on MPI or TCP here."""

    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


class Options:
    """The options of the collectives, as ``CommunicationOptions`` and
    ``CollectiveHints`` create them (TF's ``collective_util.Options``: neither name is
    its class).

    Args:
        bytes_per_pack: how many bytes of gradients go in one exchange (0: all at once).
        timeout_seconds: how long a collective waits for the other workers before raising
            ``UnavailableError`` (None: ``TF_COLLECTIVE_TIMEOUT`` or 300 seconds).
        implementation: a ``CommunicationImplementation`` or its name in any case.

    Raises:
        ValueError: a negative ``bytes_per_pack``, or an unknown implementation.
    """

    def __init__(
        self,
        bytes_per_pack=0,
        timeout_seconds=None,
        implementation=CommunicationImplementation.AUTO,
    ):
        if bytes_per_pack < 0:
            raise ValueError(f"Argument `bytes_per_pack` must be >=0, Received {bytes_per_pack}.")
        if isinstance(implementation, str):
            implementation = CommunicationImplementation(implementation.upper())
        if not isinstance(implementation, CommunicationImplementation):
            raise ValueError(
                "Argument `implementation` must be instance of "
                "`tf.distribute.experimental.CommunicationImplementation`."
            )
        self.bytes_per_pack = bytes_per_pack
        self.timeout_seconds = timeout_seconds
        self.implementation = implementation

    def merge(self, options):
        """A copy of these options overridden by those of ``options`` (an ``Options`` or
        None) that are not their defaults."""
        merged = copy.deepcopy(self)
        if options is None:
            return merged
        if options.bytes_per_pack != 0:
            merged.bytes_per_pack = options.bytes_per_pack
        if options.timeout_seconds is not None:
            merged.timeout_seconds = options.timeout_seconds
        if options.implementation is not CommunicationImplementation.AUTO:
            merged.implementation = options.implementation
        return merged

    def __str__(self):
        return (
            f"Options(bytes_per_pack={self.bytes_per_pack},"
            f"timeout_seconds={self.timeout_seconds}, "
            f"implementation={self.implementation})"
        )


class CommunicationOptions:
    """Options of the collectives (``tf.distribute.experimental.CommunicationOptions``),
    for ``ReplicaContext.all_reduce(options=...)``, ``StrategyExtended.reduce_to`` and
    ``MultiWorkerMirroredStrategy(communication_options=...)``.

    As in TF, calling it returns an ``Options`` object, not an instance of this class.

    Args:
        bytes_per_pack: how many bytes of gradients go in one exchange (0: all at once).
        timeout_seconds: how long a collective waits for the other workers before raising
            ``UnavailableError`` (None: ``TF_COLLECTIVE_TIMEOUT`` or 300 seconds).
        implementation: a ``CommunicationImplementation`` or its name in any case.

    Raises:
        ValueError: a negative ``bytes_per_pack``, or an unknown implementation.

    >>> import tensorflux as tf
    >>> print(tf.distribute.experimental.CommunicationOptions(implementation="ring"))
    Options(bytes_per_pack=0,timeout_seconds=None, implementation=CommunicationImplementation.RING)
    """

    def __new__(cls, *args, **kwargs):
        return Options(*args, **kwargs)


_hints_warned = []


class CollectiveHints:
    """Deprecated hints of the collectives (``tf.distribute.experimental.
    CollectiveHints``): ``CommunicationOptions`` with the default implementation.

    Pass them where ``CommunicationOptions`` go, as ``options=``; as in TF 2.21, no
    method takes an ``experimental_hints`` argument any more. Calling it returns an
    ``Options`` object and logs TF's deprecation warning once.

    Args:
        bytes_per_pack: how many bytes of gradients go in one exchange (0: all at once).
        timeout_seconds: how long a collective waits for the other workers.

    Raises:
        ValueError: a negative ``bytes_per_pack``.
    """

    def __new__(cls, bytes_per_pack=0, timeout_seconds=None):
        if not _hints_warned:
            _hints_warned.append(True)
            logging.getLogger("tensorflow").warning(
                "tf.distribute.experimental.CollectiveHints is deprecated and will be "
                "removed in a future version.\n"
                "Instructions for updating:\n"
                "use distribute.experimental.CommunicationOptions instead"
            )
        return Options(bytes_per_pack=bytes_per_pack, timeout_seconds=timeout_seconds)


def _cluster_workers(spec: ClusterSpec) -> int:
    return sum(spec.num_tasks(job) for job in spec.jobs if job in ("chief", "worker"))


class _CollectiveAllReduceExtended(StrategyExtended):
    def __init__(self, devices, collective, is_chief: bool):
        super().__init__(devices, collective)
        self._is_chief = is_chief

    @property
    def should_checkpoint(self) -> bool:
        return self._is_chief

    @property
    def should_save_summary(self) -> bool:
        return self._is_chief

    def _on_variable_created(self, variable) -> None:
        # The chief's initial value, so that every worker starts from the same weights.
        if self._collective.size > 1:
            import numpy as np

            variable.assign(self._collective.broadcast(np.asarray(variable.numpy()), root=0))


class MultiWorkerMirroredStrategy(Strategy):
    """Synchronous training on several workers, one replica each
    (``tf.distribute.MultiWorkerMirroredStrategy``).

    Launch the workers with ``mpiexec -n <workers> python train.py`` (needs
    ``pip install tensorflux[distributed]``), or start each with a ``TF_CONFIG`` naming
    every worker's address and its own task; with neither it is a single worker with
    one replica.

    Args:
        cluster_resolver: where the workers are (default: ``TFConfigClusterResolver``).
        communication_options: a ``CommunicationOptions`` (its ``timeout_seconds``
            bounds every collective).

    Raises:
        json.JSONDecodeError: ``TF_CONFIG`` does not parse.
        ValueError: a cluster without this process's task, ``TF_CONFIG`` naming a task
            that its cluster lacks, or a number of workers other than the ``mpiexec``
            launch has.
        ImportError: launched by ``mpiexec`` without mpi4py installed.
        UnavailableError: the workers of ``TF_CONFIG`` did not connect in time.
    """

    def __init__(self, cluster_resolver=None, communication_options=None):
        options = communication_options or CommunicationOptions()
        resolver = cluster_resolver or TFConfigClusterResolver()
        spec = resolver.cluster_spec()
        workers = _cluster_workers(spec)
        task_type, task_id = resolver.task_type, resolver.task_id
        if spec.jobs and (task_type is None or task_id is None):
            raise ValueError(
                "When `cluster_spec` is given, you must also specify `task_type` and `task_id`."
            )
        if workers:
            if task_type not in spec.jobs or not (0 <= int(task_id) < spec.num_tasks(task_type)):
                raise ValueError(
                    f"The task {task_type}:{task_id} of TF_CONFIG is not in its cluster "
                    f"{spec.as_dict()}: give `task` a `type` that is a job of `cluster` and "
                    "an `index` below that job's number of tasks."
                )
        if collective_lib.launched_by_mpi():
            collective = collective_lib.MPICollective(options.timeout_seconds)
            if workers and workers != collective.size:
                raise ValueError(
                    f"TF_CONFIG describes {workers} workers but mpiexec launched "
                    f"{collective.size} processes: make them agree, or unset TF_CONFIG."
                )
            if not workers:
                spec = ClusterSpec({"worker": [f"mpi:{i}" for i in range(collective.size)]})
                task_type, task_id = "worker", collective.rank
                resolver = SimpleClusterResolver(spec, task_type=task_type, task_id=task_id)
        elif workers > 1:
            from tensorflux.distribute.socket_collective import SocketCollective

            addresses = [
                address
                for job in ("chief", "worker")
                if job in spec.jobs
                for address in spec.job_tasks(job)
            ]
            rank = (
                int(task_id)
                if task_type == "chief"
                else int(task_id) + (spec.num_tasks("chief") if "chief" in spec.jobs else 0)
            )
            collective = SocketCollective(addresses, rank, options.timeout_seconds)
        else:
            collective = collective_lib.LocalCollective()
        self._cluster_resolver = resolver
        if workers or collective.size > 1:
            job = task_type or "worker"
            device = f"/job:{job}/replica:0/task:{task_id or 0}/device:CPU:0"
        else:
            device = "/job:localhost/replica:0/task:0/device:CPU:0"
        is_chief = (task_type == "chief") or ("chief" not in spec.jobs and int(task_id or 0) == 0)
        super().__init__(_CollectiveAllReduceExtended([device], collective, is_chief))

    @property
    def cluster_resolver(self):
        """The resolver of the workers (from ``TF_CONFIG`` or the ``mpiexec`` launch)."""
        return self._cluster_resolver
