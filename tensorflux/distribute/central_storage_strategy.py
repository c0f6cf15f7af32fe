"""``CentralStorageStrategy``: replicas on this machine's compute devices, every variable
on one parameter device.

TF keeps each variable once, on the parameter device, and the replicas read it from
there and add their gradients before the one update. The replicas of ``MirroredStrategy``
here already share each variable and add their gradients, so this strategy is that
machinery with TF's choice and naming of devices.
"""

from __future__ import annotations

from tensorflux.distribute.distribute_lib import Strategy, StrategyExtended
from tensorflux.framework.device_spec import DeviceSpec

__all__ = ["CentralStorageStrategy"]

# Where TF puts the variables when there are several compute devices (a name it leaves
# as it is, not in its full form).
_LOCAL_CPU = "/device:CPU:0"


def _full_device_name(name) -> str:
    """``name`` completed with this process's job, replica, task and CPU:0 for the
    fields it leaves out (``"cpu:1"`` -> ``"/job:localhost/replica:0/task:0/device:CPU:1"``).

    Raises:
        ValueError: ``name`` does not parse as a device.
    """
    local = DeviceSpec(job="localhost", replica=0, task=0, device_type="CPU", device_index=0)
    return local.make_merged_spec(DeviceSpec.from_string(name)).to_string()


class _CentralStorageExtended(StrategyExtended):
    """The devices of a ``CentralStorageStrategy``: replicas on ``compute_devices``,
    variables on ``parameter_device``."""

    def __init__(self, compute_devices, parameter_device):
        super().__init__(compute_devices)
        self._parameter_device = parameter_device

    @property
    def worker_devices(self) -> list:
        """The compute devices, one replica each (a list, as in TF)."""
        return list(self._local_devices)

    @property
    def worker_devices_by_replica(self) -> list:
        """The device of each replica, as a one-item list."""
        return [[d] for d in self._local_devices]

    @property
    def parameter_devices(self) -> tuple:
        """The one device holding the variables."""
        return (self._parameter_device,)

    @property
    def experimental_between_graph(self) -> bool:
        return True

    @property
    def experimental_should_init(self) -> bool:
        return True

    def non_slot_devices(self, var_list):
        """The variable of ``var_list`` whose name sorts first (where TF puts non-slot
        variables)."""
        return min(var_list, key=lambda v: v.name)


class CentralStorageStrategy(Strategy):
    """Synchronous training on one machine with every variable on one device
    (``tf.distribute.experimental.CentralStorageStrategy``).

    Each step runs one replica per compute device; their gradients are added before
    the variables, kept once, are updated -- the numbers of TF's strategy. Here every
    device is a logical CPU of the host (the replicas run one after the other), so the
    parameter device names where TF would keep the variables.

    Args:
        compute_devices: device names, one replica each (duplicates allowed, as in TF);
            default: every GPU that JAX sees, else ``"/device:CPU:0"`` alone (one
            replica, however many logical CPUs there are).
        parameter_device: the device of the variables, kept as given; default: the
            compute device when there is one, else ``"/device:CPU:0"``.

    Raises:
        ValueError: a compute device name that does not parse.

    >>> import tensorflux as tf
    >>> strategy = tf.distribute.experimental.CentralStorageStrategy(["/cpu:0"])
    >>> strategy.num_replicas_in_sync, strategy.extended.parameter_devices
    (1, ('/job:localhost/replica:0/task:0/device:CPU:0',))
    """

    def __init__(self, compute_devices=None, parameter_device=None):
        if compute_devices is None:
            from tensorflux.kernels.xla import devices

            gpus = len(devices.visible())
            compute_devices = [f"/device:GPU:{i}" for i in range(gpus)] or [_LOCAL_CPU]
        compute_devices = [_full_device_name(d) for d in compute_devices]
        if parameter_device is None:
            parameter_device = compute_devices[0] if len(compute_devices) == 1 else _LOCAL_CPU
        super().__init__(_CentralStorageExtended(compute_devices, parameter_device))

    def experimental_distribute_dataset(self, dataset, options=None):
        """``dataset`` whose global batches are split between the replicas.

        Raises:
            AttributeError: ``options`` given: TF 2.21 reads a misspelt attribute of
                them (``experimental_replication_moden``), so any options fail there.
        """
        if options:
            raise AttributeError(
                f"'{type(options).__name__}' object has no attribute "
                "'experimental_replication_moden'"
            )
        return super().experimental_distribute_dataset(dataset, options)
