"""``tf.config``: devices and runtime settings.

Eager ops run on the CPU through NumPy; the device list is that CPU and the GPUs that
JAX sees when ``jax[cuda12]`` is installed (``tf.function`` graphs run there through
XLA, see ``tensorflux.kernels.xla.devices``). Settings that have no effect here are
stored and returned so that TF programs run.
``threading.set_intra_op_parallelism_threads`` sizes the thread pools of the heavy
kernels (NumPy's OpenBLAS and oneDNN's OpenMP) as one budget; ``experimental`` also
chooses between the fast kernel backends and the NumPy reference kernels.
"""

from __future__ import annotations

import collections
import types

from tensorflux import config_devices as _devices
from tensorflux import config_experimental as _switches
from tensorflux import config_gpus as _gpus
from tensorflux import config_optimizer as optimizer  # noqa: F401
from tensorflux import kernels
from tensorflux.config_devices import (  # noqa: F401
    LogicalDeviceConfiguration,
    experimental_connect_to_cluster,
    experimental_connect_to_host,
)
from tensorflux.engine.function_mode import functions_run_eagerly, run_functions_eagerly
from tensorflux.kernels import threads as _threads
from tensorflux.kernels.xla import devices as _xla_devices

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
# "visible": the devices set_visible_devices kept (None: all of them).
_state = {"soft_placement": True, "intra_op": 0, "inter_op": 0, "visible": None}


def _of_type(devices, device_type):
    # Exact, as in TF: "cpu" names no device.
    if device_type is None:
        return list(devices)
    return [d for d in devices if d.device_type == device_type]


def list_physical_devices(device_type=None) -> list:
    """The devices: the CPU, and each GPU that JAX sees (with ``jax[cuda12]``).

    >>> import tensorflux as tf
    >>> tf.config.list_physical_devices("CPU")
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    """
    if device_type is not None and device_type != "GPU":
        return _of_type([_CPU], device_type)
    gpus = [PhysicalDevice(name=n, device_type="GPU") for n in _gpus.physical_gpu_names()]
    return _of_type([_CPU, *gpus], device_type)


def get_visible_devices(device_type=None) -> list:
    """The physical devices last made visible (all of them at start)."""
    visible = _state["visible"]
    return _of_type(list_physical_devices() if visible is None else visible, device_type)


def set_visible_devices(devices, device_type=None) -> None:
    """Makes ``devices`` the visible devices (of ``device_type``, when given). A hidden
    GPU runs no graphs; the CPU runs eager ops whatever is visible.

    Raises:
        ValueError: a device that ``list_physical_devices`` does not list, or one of
            another type than ``device_type``.
    """
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    physical = list_physical_devices()
    for d in devices:
        if d not in physical or device_type is not None and d.device_type != device_type:
            raise ValueError(f"Unrecognized device: {d!r}")
    kept = [
        d for d in get_visible_devices() if device_type is not None and d.device_type != device_type
    ]
    _state["visible"] = kept + devices
    gpus = list_physical_devices("GPU")
    _xla_devices.hidden.clear()
    _xla_devices.hidden.update(i for i, d in enumerate(gpus) if d not in _state["visible"])


def set_soft_device_placement(enabled) -> None:
    """Stored for compatibility: with one device, placement is always satisfiable."""
    _state["soft_placement"] = bool(enabled)


def get_soft_device_placement() -> bool:
    """The flag last given to ``set_soft_device_placement`` (True at start)."""
    return _state["soft_placement"]


def _set_memory_growth(device, enable) -> None:
    """Records whether the GPU ``device`` grows its memory on demand (tensorflux's GPUs
    always do; see ``tensorflux.config_gpus``).

    Raises:
        ValueError: an unknown device, a CPU, or a GPU split into logical devices.
    """
    physical = list_physical_devices()
    configured = _devices.get_logical_device_configuration(device, physical)
    _gpus.set_memory_growth(device, enable, physical, configured)


def _get_memory_growth(device):
    """The flag ``set_memory_growth`` gave the GPU ``device`` (None if never set).

    Raises:
        ValueError: an unknown device.
        KeyError: a CPU (TF keeps the flag for GPUs only).
    """
    return _gpus.get_memory_growth(device, list_physical_devices())


def _get_device_details(device) -> dict:
    """A physical GPU's ``device_name`` and CUDA ``compute_capability``; ``{}`` for the CPU.

    Raises:
        ValueError: not a ``PhysicalDevice`` that ``list_physical_devices`` lists.
    """
    if not isinstance(device, PhysicalDevice):
        raise ValueError(f"device must be a tf.config.PhysicalDevice, but got: {device}")
    physical = list_physical_devices()
    if device not in physical:
        raise ValueError(
            "The PhysicalDevice must be one obtained from calling "
            f"`tf.config.list_physical_devices`, but got: {device}"
        )
    if device.device_type != "GPU":
        return {}
    # The CPU comes first, then GPU 0, 1...
    return _gpus.device_details(physical.index(device) - 1)


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
    get_device_details=_get_device_details,
    get_memory_info=_gpus.get_memory_info,
    reset_memory_stats=_gpus.reset_memory_stats,
    get_memory_usage=_gpus.get_memory_usage,
    VirtualDeviceConfiguration=LogicalDeviceConfiguration,
    ClusterDeviceFilters=_switches.ClusterDeviceFilters,
    get_device_policy=_switches.get_device_policy,
    set_device_policy=_switches.set_device_policy,
    get_synchronous_execution=_switches.get_synchronous_execution,
    set_synchronous_execution=_switches.set_synchronous_execution,
    tensor_float_32_execution_enabled=_switches.tensor_float_32_execution_enabled,
    enable_tensor_float_32_execution=_switches.enable_tensor_float_32_execution,
    enable_op_determinism=_switches.enable_op_determinism,
    enable_mlir_bridge=_switches.enable_mlir_bridge,
    disable_mlir_bridge=_switches.disable_mlir_bridge,
    list_physical_devices=list_physical_devices,
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
    split it into (``LogicalDevice(name='/device:CPU:1', ...)``), then each visible GPU
    (``/device:GPU:0`` ...)."""
    _devices.mark_initialized()
    cpus = [
        LogicalDevice(name=f"/device:CPU:{i}", device_type="CPU")
        for i in range(_devices.logical_cpus(_CPU))
    ]
    if device_type is not None and device_type != "GPU":
        return _of_type(cpus, device_type)
    gpus = [
        LogicalDevice(name=f"/device:GPU:{i}", device_type="GPU")
        for i in range(len(get_visible_devices("GPU")))
    ]
    return _of_type(cpus + gpus, device_type)


list_logical_devices = _list_logical_devices
experimental.list_logical_devices = _list_logical_devices


def get_logical_device_configuration(device):
    """The ``LogicalDeviceConfiguration`` list set for ``device``, or None.

    Raises:
        ValueError: a device ``list_physical_devices`` does not list.
    """
    return _devices.get_logical_device_configuration(device, list_physical_devices())


def set_logical_device_configuration(device, logical_devices) -> None:
    """Splits the CPU into ``len(logical_devices)`` logical CPUs (before they are listed),
    or sets a GPU's one logical device (its ``memory_limit`` is recorded, not enforced).

    >>> import tensorflux as tf
    >>> cpu = tf.config.list_physical_devices("CPU")[0]
    >>> tf.config.get_logical_device_configuration(cpu) is None
    True

    Raises:
        ValueError: an unknown device, or options a CPU does not take.
        RuntimeError: the logical devices were already listed (initialized).
    """
    _devices.set_logical_device_configuration(device, logical_devices, list_physical_devices())


experimental.get_virtual_device_configuration = get_logical_device_configuration
experimental.set_virtual_device_configuration = set_logical_device_configuration


def experimental_functions_run_eagerly() -> bool:
    """The older name of ``functions_run_eagerly``."""
    return functions_run_eagerly()


def experimental_run_functions_eagerly(run_eagerly) -> None:
    """The older name of ``run_functions_eagerly``."""
    run_functions_eagerly(run_eagerly)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.config", __name__, name)
