"""``tf.distribute.experimental``: the older and experimental names of strategies and
their options, and the variable partitioners."""

from tensorflux.distribute import partitioners
from tensorflux.distribute.central_storage_strategy import CentralStorageStrategy
from tensorflux.distribute.collective_all_reduce_strategy import (
    CollectiveHints,
    CommunicationImplementation,
    CommunicationOptions,
    MultiWorkerMirroredStrategy,
)
from tensorflux.distribute.input_lib import ValueContext
from tensorflux.distribute.preemption import PreemptionCheckpointHandler, TerminationConfig
from tensorflux.distribute.tpu_strategy import TPUStrategy

# The older name of CommunicationImplementation.
CollectiveCommunication = CommunicationImplementation

__all__ = [
    "CentralStorageStrategy",
    "CollectiveCommunication",
    "CollectiveHints",
    "CommunicationImplementation",
    "CommunicationOptions",
    "MultiWorkerMirroredStrategy",
    "PreemptionCheckpointHandler",
    "TPUStrategy",
    "TerminationConfig",
    "ValueContext",
    "partitioners",
]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.distribute.experimental", __name__, name)
