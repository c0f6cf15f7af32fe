"""``tf.config.experimental``'s execution switches: device policy, synchronous
execution, TensorFloat-32, op determinism, the MLIR bridge, cluster device filters.

tensorflux's eager ops run synchronously on the CPU with deterministic NumPy kernels, so
most switches are recorded and returned as TF returns them, or only accepted. Two reach
XLA on a GPU: TensorFloat-32 off makes JAX multiply float32 matrices at full precision,
and op determinism asks XLA for deterministic GPU kernels.
"""

from __future__ import annotations

import os

from tensorflux.kernels.xla import devices as _xla_devices

__all__ = [
    "ClusterDeviceFilters",
    "get_device_policy",
    "set_device_policy",
    "get_synchronous_execution",
    "set_synchronous_execution",
    "tensor_float_32_execution_enabled",
    "enable_tensor_float_32_execution",
    "enable_op_determinism",
    "enable_mlir_bridge",
    "disable_mlir_bridge",
]

_POLICIES = ("warn", "explicit", "silent", "silent_for_int32")
_state = {"device_policy": "silent", "synchronous": True}


def get_device_policy() -> str:
    """How tensors on another device than an op's are handled: ``'silent'`` (copied
    without a word) unless ``set_device_policy`` chose another."""
    return _state["device_policy"]


def set_device_policy(device_policy) -> None:
    """Records the device policy: ``None`` (``'silent'``), ``'warn'``, ``'explicit'``,
    ``'silent'`` or ``'silent_for_int32'``. Eager ops run on the CPU here, so tensors
    never wait on another device's copy.

    Raises:
        ValueError: another value, with TF's message.
    """
    if device_policy is None:
        device_policy = "silent"
    if device_policy not in _POLICIES:
        raise ValueError(
            f"Invalid argument `device_policy`: {device_policy!r}. Please refer to "
            "https://www.tensorflow.org/api_docs/python/tf/config/experimental/"
            "set_device_policy for valid `device_policy` arguments."
        )
    _state["device_policy"] = device_policy


def get_synchronous_execution() -> bool:
    """The flag ``set_synchronous_execution`` gave (True at start)."""
    return _state["synchronous"]


def set_synchronous_execution(enable) -> None:
    """Records whether ops run synchronously; they always do here."""
    _state["synchronous"] = bool(enable)


def tensor_float_32_execution_enabled() -> bool:
    """Whether float32 matrix products on a GPU may use TensorFloat-32 (True at start)."""
    return _xla_devices.tensor_float_32()


def enable_tensor_float_32_execution(enabled) -> None:
    """Allows (or forbids) TensorFloat-32 in the float32 matrix products and
    convolutions that XLA runs on a GPU; forbidden, they run at full float32 precision.
    CPU kernels always compute in full float32."""
    _xla_devices.set_tensor_float_32(enabled)


def enable_op_determinism() -> None:
    """Asks for deterministic kernels. NumPy's are; XLA's GPU kernels become so when
    this runs before JAX starts (``XLA_FLAGS``' ``--xla_gpu_deterministic_ops``)."""
    flag = "--xla_gpu_deterministic_ops=true"
    flags = os.environ.get("XLA_FLAGS", "")
    if flag not in flags:
        os.environ["XLA_FLAGS"] = f"{flags} {flag}".strip()


def enable_mlir_bridge() -> None:
    """Accepted for TF programs: tensorflux lowers graphs to XLA through JAX, with no
    bridge to choose."""


def disable_mlir_bridge() -> None:
    """Accepted for TF programs: tensorflux lowers graphs to XLA through JAX, with no
    bridge to choose."""


class ClusterDeviceFilters:
    """Device filters for a cluster's remote workers (``job -> task -> filters``), as
    ``tf.config.experimental_connect_to_cluster`` takes them.

    >>> import tensorflux as tf
    >>> filters = tf.config.experimental.ClusterDeviceFilters()
    >>> filters.set_device_filters("worker", 0, ["/job:ps"])
    """

    def __init__(self):
        self._device_filters = {}

    def set_device_filters(self, job_name, task_index, device_filters) -> None:
        """Sets the filters (strings such as ``"/job:ps"``) of one task of a job.

        Raises:
            AssertionError: a filter that is not a string, as in TF.
        """
        assert all(isinstance(f, str) for f in device_filters)
        self._device_filters.setdefault(job_name, {})[task_index] = list(device_filters)
