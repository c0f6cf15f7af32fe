"""``MirroredStrategy`` and ``OneDeviceStrategy``: replicas on this process's devices."""

from __future__ import annotations

import re

from tensorflux.distribute.distribute_lib import Strategy, StrategyExtended

__all__ = ["MirroredStrategy", "OneDeviceStrategy", "canonical_device"]

_DEVICE = re.compile(r"^(?:/job:\w+)?(?:/replica:\d+)?(?:/task:\d+)?/(?:device:)?(\w+):(\d+)$")


def canonical_device(name: str) -> str:
    """``"/cpu:0"`` as TF's full name, ``"/job:localhost/replica:0/task:0/device:CPU:0"``.

    A device this machine lacks (``"/gpu:1"`` without a GPU) is named all the same: as
    TF's soft placement runs such a replica on the CPU, its replica runs here.

    Raises:
        ValueError: not a device name.
    """
    match = _DEVICE.match(str(name).strip())
    if match is None:
        raise ValueError(f"Unknown attribute: '{name}' in '{name}'")
    kind, index = match.group(1).upper(), int(match.group(2))
    return f"/job:localhost/replica:0/task:0/device:{kind}:{index}"


class MirroredStrategy(Strategy):
    """Synchronous training on the devices of this process, one replica per device
    (``tf.distribute.MirroredStrategy``).

    Every device here is a logical CPU of the host: the replicas run one after the other
    and share each variable, and their gradients are added before each update -- the
    numbers of TF's mirrored training.

    Args:
        devices: device names (``["/cpu:0", "/cpu:1"]``); default: every GPU that JAX
            sees, else every logical CPU. Names of devices this machine lacks (GPUs)
            still make replicas, run on the CPU as TF's soft placement runs them; the
            graphs of every replica run on the first GPU when there is one.
        cross_device_ops: a ``tf.distribute.CrossDeviceOps`` (all add in replica order).

    >>> import tensorflux as tf
    >>> tf.distribute.MirroredStrategy(["/cpu:0"]).num_replicas_in_sync
    1
    """

    def __init__(self, devices=None, cross_device_ops=None):
        from tensorflux import config

        if devices is None:
            # TF's default: every GPU, or every logical CPU without one.
            found = config.list_logical_devices("GPU") or config.list_logical_devices("CPU")
            devices = [d.name for d in found]
        if isinstance(devices, str):
            devices = [devices]
        devices = tuple(canonical_device(d) for d in devices)
        if len(set(devices)) != len(devices):
            raise AssertionError(f"No duplicates allowed in `devices` argument: {devices}")
        self._cross_device_ops = cross_device_ops
        super().__init__(StrategyExtended(devices))


class OneDeviceStrategy(Strategy):
    """Everything on one device (``tf.distribute.OneDeviceStrategy``): one replica.

    Args:
        device: the device name, e.g. ``"/cpu:0"``.
    """

    def __init__(self, device):
        super().__init__(StrategyExtended([canonical_device(device)]))
