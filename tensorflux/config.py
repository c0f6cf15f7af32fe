"""``tf.config``: devices and runtime settings.

tensorflux runs every op on the CPU through NumPy, so the device list is one CPU;
settings that have no effect here are stored and returned so that TF programs run.
``threading.set_intra_op_parallelism_threads`` sizes the thread pools of the heavy
kernels (NumPy's OpenBLAS and oneDNN's OpenMP) as one budget; ``experimental`` also
chooses between the fast kernel backends and the NumPy reference kernels.
"""

from __future__ import annotations

import collections
import types

from tensorflux import config_devices as _devices
from tensorflux import config_optimizer as optimizer  # noqa: F401
from tensorflux import kernels
from tensorflux.config_devices import (  # noqa: F401
    LogicalDeviceConfiguration,
    experimental_connect_to_cluster,
    experimental_connect_to_host,
)
from tensorflux.engine.function_mode import functions_run_eagerly, run_functions_eagerly
from tensorflux.kernels import threads as _threads

__all__ = [
    "PhysicalDevice",
    "LogicalDevice",
    "list_physical_devices",
    "list_logical_devices",
    "get_visible_devices",
    "set_visible_devices",
    "run_functions_eagerly",
    "functions_run_eagerly",
    "set_soft_device_placement",
    "get_soft_device_placement",
    "experimental",
    "threading",
    "LogicalDeviceConfiguration",
    "get_logical_device_configuration",
    "set_logical_device_configuration",
    "experimental_functions_run_eagerly",
    "experimental_run_functions_eagerly",
    "experimental_connect_to_cluster",
    "experimental_connect_to_host",
    "optimizer",
]

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])

_CPU = PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")
_LOGICAL_CPU = LogicalDevice(name="/device:CPU:0", device_type="CPU")
_state = {"soft_placement": True, "intra_op": 0, "inter_op": 0, "visible": [_CPU]}


def _of_type(devices, device_type):
    if device_type is None:
        return list(devices)
    return [d for d in devices if d.device_type == str(device_type).upper()]


def list_physical_devices(device_type=None) -> list:
    """The devices ops can run on: one CPU (``'GPU'`` gives ``[]``).

    >>> import tensorflux as tf
    >>> tf.config.list_physical_devices()
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    """
    return _of_type([_CPU], device_type)


def list_logical_devices(device_type=None) -> list:
    """The logical devices: one CPU (``LogicalDevice(name='/device:CPU:0', ...)``)."""
    return _of_type([_LOGICAL_CPU], device_type)


def get_visible_devices(device_type=None) -> list:
    """The physical devices last made visible (all of them at start)."""
    return _of_type(_state["visible"], device_type)


def set_visible_devices(devices, device_type=None) -> None:
    """Records which devices are visible; ops run on the CPU regardless.

    Raises:
        ValueError: a device that ``list_physical_devices`` does not list.
    """
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    for d in devices:
        if d not in list_physical_devices():
            raise ValueError(f"Unrecognized device: {d!r}")
    kept = [
        d
        for d in _state["visible"]
        if device_type is not None and d.device_type != str(device_type).upper()
    ]
    _state["visible"] = kept + devices


def set_soft_device_placement(enabled) -> None:
    """Stored for compatibility: with one device, placement is always satisfiable."""
    _state["soft_placement"] = bool(enabled)


def get_soft_device_placement() -> bool:
    """The flag last given to ``set_soft_device_placement`` (True at start)."""
    return _state["soft_placement"]


def _set_memory_growth(device, enable) -> None:
    """Memory growth applies to GPUs only; as in TF, a CPU device is refused."""
    raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")


def _get_memory_growth(device) -> bool:
    raise ValueError(f"Memory growth is only defined for GPU devices, got {device!r}.")


def _set_intra_op_parallelism_threads(num_threads) -> None:
    """Sets how many threads one heavy kernel (matmul, convolution, pooling) may use: both
    NumPy's BLAS and oneDNN follow it (0: as many as the process may run on)."""
    _state["intra_op"] = int(num_threads)
    _threads.set_intra_op_threads(_state["intra_op"])


def _get_intra_op_parallelism_threads() -> int:
    return _state["intra_op"]


def _set_inter_op_parallelism_threads(num_threads) -> None:
    """Sets how many independent ops of a compiled graph may run at once (0: as many as
    the intra-op threads allow). Most ops run one after another; a recurrent layer's two
    directions run side by side."""
    _state["inter_op"] = int(num_threads)
    _threads.set_inter_op_threads(_state["inter_op"])


def _get_inter_op_parallelism_threads() -> int:
    return _state["inter_op"]


experimental = types.SimpleNamespace(
    set_memory_growth=_set_memory_growth,
    get_memory_growth=_get_memory_growth,
    list_physical_devices=list_physical_devices,
    list_logical_devices=list_logical_devices,
    get_visible_devices=get_visible_devices,
    set_visible_devices=set_visible_devices,
    set_kernel_backend=kernels.set_kernel_backend,
    get_kernel_backend=kernels.get_kernel_backend,
    get_op_kernel_backend=kernels.get_op_kernel_backend,
)
threading = types.SimpleNamespace(
    set_intra_op_parallelism_threads=_set_intra_op_parallelism_threads,
    get_intra_op_parallelism_threads=_get_intra_op_parallelism_threads,
    set_inter_op_parallelism_threads=_set_inter_op_parallelism_threads,
    get_inter_op_parallelism_threads=_get_inter_op_parallelism_threads,
)


def _list_logical_devices(device_type=None) -> list:
    """The logical devices: one CPU, or as many as ``set_logical_device_configuration``
    split it into (``LogicalDevice(name='/device:CPU:1', ...)``)."""
    _devices.mark_initialized()
    cpus = [
        LogicalDevice(name=f"/device:CPU:{i}", device_type="CPU")
        for i in range(_devices.logical_cpus(_CPU))
    ]
    return _of_type(cpus, device_type)


list_logical_devices = _list_logical_devices
experimental.list_logical_devices = _list_logical_devices


def get_logical_device_configuration(device):
    """The ``LogicalDeviceConfiguration`` list set for ``device``, or None.

    Raises:
        ValueError: a device ``list_physical_devices`` does not list.
    """
    return _devices.get_logical_device_configuration(device, list_physical_devices())


def set_logical_device_configuration(device, logical_devices) -> None:
    """Splits the CPU into ``len(logical_devices)`` logical CPUs (before they are listed).

    >>> import tensorflux as tf
    >>> cpu = tf.config.list_physical_devices("CPU")[0]
    >>> tf.config.get_logical_device_configuration(cpu) is None
    True

    Raises:
        ValueError: an unknown device, or options a CPU does not take.
        RuntimeError: the logical devices were already listed (initialized).
    """
    _devices.set_logical_device_configuration(device, logical_devices, list_physical_devices())


def experimental_functions_run_eagerly() -> bool:
    """The older name of ``functions_run_eagerly``."""
    return functions_run_eagerly()


def experimental_run_functions_eagerly(run_eagerly) -> None:
    """The older name of ``run_functions_eagerly``."""
    run_functions_eagerly(run_eagerly)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.config", __name__, name)
