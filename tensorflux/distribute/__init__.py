"""``tf.distribute``: strategies that run a computation on several replicas.

``MirroredStrategy`` runs replicas on this process's (logical) CPUs,
``MultiWorkerMirroredStrategy`` on the processes of an ``mpiexec`` launch (MPI through
the optional ``tensorflux[distributed]`` extra, imported only then),
``OneDeviceStrategy`` on one device. Outside any ``scope()`` the default strategy (one
replica) is current.
"""

from tensorflux.distribute import cluster_resolver, experimental
from tensorflux.distribute.collective_all_reduce_strategy import MultiWorkerMirroredStrategy
from tensorflux.distribute.cross_device_ops import (
    CrossDeviceOps,
    HierarchicalCopyAllReduce,
    NcclAllReduce,
    ReductionToOneDevice,
)
from tensorflux.distribute.distribute_lib import (
    ReplicaContext,
    RunOptions,
    Strategy,
    StrategyExtended,
    experimental_set_strategy,
    get_replica_context,
    get_strategy,
    has_strategy,
    in_cross_replica_context,
)
from tensorflux.distribute.input_lib import (
    DistributedDataset,
    DistributedIterator,
    InputContext,
    InputOptions,
    InputReplicationMode,
)
from tensorflux.distribute.mirrored_strategy import MirroredStrategy, OneDeviceStrategy
from tensorflux.distribute.reduce_op import ReduceOp
from tensorflux.distribute.tpu_strategy import TPUStrategy
from tensorflux.distribute.values import DistributedValues

__all__ = [
    "CrossDeviceOps",
    "DistributedDataset",
    "DistributedIterator",
    "DistributedValues",
    "HierarchicalCopyAllReduce",
    "InputContext",
    "InputOptions",
    "InputReplicationMode",
    "MirroredStrategy",
    "MultiWorkerMirroredStrategy",
    "NcclAllReduce",
    "OneDeviceStrategy",
    "ReduceOp",
    "ReductionToOneDevice",
    "ReplicaContext",
    "RunOptions",
    "Strategy",
    "StrategyExtended",
    "TPUStrategy",
    "cluster_resolver",
    "experimental",
    "experimental_set_strategy",
    "get_replica_context",
    "get_strategy",
    "has_strategy",
    "in_cross_replica_context",
]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.distribute", __name__, name)
