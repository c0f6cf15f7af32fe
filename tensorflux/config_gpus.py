"""``tf.config``'s GPUs: the cards JAX sees (``tensorflux.kernels.xla.devices``), their
memory settings and statistics.

JAX's client is made to allocate GPU memory on demand (as TF does with memory growth
on), so ``set_memory_growth`` only records the flag that ``get_memory_growth`` returns,
and a logical device's ``memory_limit`` is recorded, not enforced.
"""

from __future__ import annotations

from tensorflux.framework.device_spec import _parse
from tensorflux.kernels.xla import devices as _xla_devices

__all__ = [
    "physical_gpu_names",
    "set_memory_growth",
    "get_memory_growth",
    "check_gpu_configuration",
    "get_memory_info",
    "reset_memory_stats",
    "get_memory_usage",
    "device_details",
]

# physical device -> the flag set_memory_growth gave it (None until set, as in TF).
_memory_growth: dict = {}
# GPU index -> (JAX's all-time peak when the stats were reset, the peak since then as
# far as it is known).
_peaks: dict = {}


def physical_gpu_names() -> list[str]:
    """``/physical_device:GPU:i`` for each accelerator JAX sees."""
    return [f"/physical_device:GPU:{i}" for i in range(len(_xla_devices.accelerators()))]


def set_memory_growth(device, enable, physical_devices, configured) -> None:
    """Records ``enable`` for the GPU ``device``.

    Raises:
        ValueError: an unknown device, a CPU, or a GPU split into logical devices.
    """
    if device not in physical_devices:
        raise ValueError(f"Unrecognized device: {device!r}")
    if configured:
        raise ValueError("Cannot set memory growth on device when virtual devices configured")
    if device.device_type != "GPU":
        raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")
    _memory_growth[device] = bool(enable)


def get_memory_growth(device, physical_devices):
    """The flag ``set_memory_growth`` gave the GPU ``device`` (None if never set).

    Raises:
        ValueError: an unknown device.
        KeyError: a CPU, as in TF, which keeps flags for GPUs only.
    """
    if device not in physical_devices:
        raise ValueError(f"Unrecognized device: {device!r}")
    if device.device_type != "GPU":
        raise KeyError(device)
    return _memory_growth.get(device)


def check_gpu_configuration(logical_devices) -> None:
    """Checks the logical devices asked of one GPU: TF needs a memory limit on each, and
    tensorflux cannot split one card into several.

    Raises:
        ValueError: a missing memory limit, or more than one logical device.
    """
    for logical in logical_devices:
        if logical.memory_limit is None:
            raise ValueError("Setting memory limit is required for GPU virtual devices")
    if len(logical_devices) > 1:
        raise ValueError(
            f"tensorflux runs one logical device per GPU, and {len(logical_devices)} were "
            "asked for: JAX cannot split a card. Give one LogicalDeviceConfiguration, or "
            "use several processes (MultiWorkerMirroredStrategy under mpiexec)."
        )


def _gpu_of(device: str, action: str):
    """GPU ``(index, JAX device)`` of TF's device string (``"GPU:0"``, ``/device:GPU:0``,
    a full name); the CPU and other devices are refused, ``action`` naming what the CPU
    cannot do."""
    try:
        kind, index = _parse(str(device))[3:]
    except ValueError:
        kind = index = None
    if kind is None or index is None:
        raise ValueError(
            f"Failed parsing device name: {device!r}. Note a valid device string should at "
            'least contain a device type and a device index, like "GPU:0".'
        )
    gpus = _xla_devices.visible()
    if kind == "GPU" and index < len(gpus):
        return index, gpus[index]
    if kind == "CPU" and index == 0:
        raise ValueError(f"{action} for device {device!r}")
    raise ValueError(f"No matching devices found for {device!r}")


def _stats(gpu) -> dict:
    return gpu.memory_stats() or {}


def get_memory_info(device) -> dict:
    """``{"current": bytes in use, "peak": most bytes in use}`` of a GPU (``"GPU:0"``),
    from JAX's allocator; the peak counts since the last ``reset_memory_stats``.

    Raises:
        ValueError: a name that does not parse, the CPU (no allocator statistics, as in
            TF), or a GPU that is not there.
    """
    index, gpu = _gpu_of(device, "Allocator stats not available")
    stats = _stats(gpu)
    current = int(stats.get("bytes_in_use", 0))
    peak = int(stats.get("peak_bytes_in_use", current))
    if index in _peaks:
        peak_at_reset, known = _peaks[index]
        # JAX's peak only grows: past its value at the reset, it was reached since.
        known = max(known, current)
        _peaks[index] = (peak_at_reset, known)
        peak = peak if peak > peak_at_reset else known
    return {"current": current, "peak": peak}


def reset_memory_stats(device) -> None:
    """Starts ``get_memory_info``'s peak again from the bytes in use now.

    JAX keeps one all-time peak, so after a reset the peak is exact once memory use
    passes the old peak, and until then is the most that ``get_memory_info`` saw.

    Raises:
        ValueError: as ``get_memory_info``; the CPU with TF's message.
    """
    index, gpu = _gpu_of(device, "Cannot reset memory stats")
    stats = _stats(gpu)
    current = int(stats.get("bytes_in_use", 0))
    _peaks[index] = (int(stats.get("peak_bytes_in_use", current)), current)


def get_memory_usage(device) -> int:
    """The bytes in use on a GPU (TF's deprecated ``get_memory_info(device)["current"]``)."""
    return get_memory_info(device)["current"]


def device_details(index: int) -> dict:
    """``{"device_name": ..., "compute_capability": (major, minor)}`` of GPU ``index``, as
    JAX reports them (the capability only for CUDA cards)."""
    gpu = _xla_devices.accelerators()[index]
    details = {"device_name": gpu.device_kind}
    capability = getattr(gpu, "compute_capability", None)
    if capability:
        major, minor = str(capability).split(".")[:2]
        details["compute_capability"] = (int(major), int(minor))
    return details
