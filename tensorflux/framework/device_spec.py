"""``tf.DeviceSpec`` and ``tf.device``: naming where an op runs.

Eager ops run on the host CPU whatever the scope says; ``tf.device`` records the device
it names, and a ``tf.function`` traced inside it runs there when that is a GPU that
JAX sees (``tensorflux.kernels.xla.devices``), or on the host when it names the CPU. The
device string is checked as TF checks it, so that a misspelt device fails here as it
would there, and programs written for several devices run unchanged.
"""

from __future__ import annotations

import contextlib

from tensorflux.framework import context

__all__ = ["DeviceSpec", "device"]

# The device types a bare "/gpu:0" may name, as TF knows them.
_DEVICE_TYPES = frozenset({"CPU", "GPU", "TPU", "CUSTOM", "EPU"})


def _str_or_none(value):
    return None if value is None else str(value)


def _int_or_none(value):
    return None if value is None else int(value)


def _device_type_or_none(value):
    if isinstance(value, str) and value.upper() in _DEVICE_TYPES:
        return value.upper()
    return value


def _parse(spec):
    """``(job, replica, task, device_type, device_index)`` of a device string."""
    job = replica = task = device_type = device_index = None
    for field in (spec or "").split("/"):
        parts = field.split(":")
        n = len(parts)
        if n == 2 and parts[0] == "job":
            job = parts[1]
        elif n == 2 and parts[0] == "replica":
            replica = parts[1]
        elif n == 2 and parts[0] == "task":
            task = parts[1]
        elif n in (1, 2) and parts[0].upper() in _DEVICE_TYPES:
            if device_type is not None:
                raise ValueError(
                    f"Multiple device types are not allowed while parsing the device spec: {spec}."
                )
            device_type = parts[0].upper()
            if n == 2 and parts[1] != "*":
                device_index = int(parts[1])
        elif n == 3 and parts[0] == "device":
            if device_type is not None:
                raise ValueError(
                    f"Multiple device types are not allowed while parsing the device spec: {spec}."
                )
            device_type = parts[1]
            if parts[2] != "*":
                device_index = int(parts[2])
        elif parts[0] != "":
            raise ValueError(
                f"Unknown attribute '{parts[0]}' is encountered while parsing the device "
                f"spec: '{spec}'."
            )
    return job, replica, task, device_type, device_index


class DeviceSpec:
    """A (partial) device name: job, replica, task, device type and index.

    Every field is optional; ``to_string`` gives TF's canonical form.

    >>> import tensorflux as tf
    >>> spec = tf.DeviceSpec.from_string("/job:worker/gpu:1")
    >>> spec.to_string(), spec.device_type, spec.device_index
    ('/job:worker/device:GPU:1', 'GPU', 1)
    >>> spec.replace(device_type="CPU", device_index=0).to_string()
    '/job:worker/device:CPU:0'

    Raises:
        ValueError: a replica, task or index that is not an integer.
    """

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index", "_string")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._job = _str_or_none(job)
        self._replica = _int_or_none(replica)
        self._task = _int_or_none(task)
        self._device_type = _device_type_or_none(device_type)
        self._device_index = _int_or_none(device_index)
        parts = []
        if self._job is not None:
            parts.append(f"/job:{self._job}")
        if self._replica is not None:
            parts.append(f"/replica:{self._replica}")
        if self._task is not None:
            parts.append(f"/task:{self._task}")
        if self._device_type is not None:
            index = "*" if self._device_index is None else self._device_index
            parts.append(f"/device:{self._device_type}:{index}")
        self._string = "".join(parts)

    @classmethod
    def from_string(cls, spec) -> DeviceSpec:
        """The spec named by ``spec`` (``"/job:w/task:0/device:GPU:1"``, ``"/cpu:0"``...).

        Raises:
            ValueError: an unknown field, or two device types.
        """
        return cls(*_parse(spec))

    def parse_from_string(self, spec) -> DeviceSpec:
        """The spec named by ``spec`` (this one is unchanged: specs are immutable)."""
        return DeviceSpec.from_string(spec)

    def to_string(self) -> str:
        """The canonical name, ``/job:<name>/replica:<i>/task:<i>/device:<type>:<i>``."""
        return self._string

    def _fields(self) -> dict:
        return {
            "job": self._job,
            "replica": self._replica,
            "task": self._task,
            "device_type": self._device_type,
            "device_index": self._device_index,
        }

    def replace(self, **kwargs) -> DeviceSpec:
        """A copy with the given fields replaced (``None`` clears one)."""
        fields = self._fields()
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def make_merged_spec(self, dev) -> DeviceSpec:
        """A copy where the fields ``dev`` sets override this spec's."""
        fields = self._fields()
        fields.update({k: v for k, v in dev._fields().items() if v is not None})
        return DeviceSpec(**fields)

    @property
    def job(self):
        return self._job

    @property
    def replica(self):
        return self._replica

    @property
    def task(self):
        return self._task

    @property
    def device_type(self):
        return self._device_type

    @property
    def device_index(self):
        return self._device_index

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self._string == other._string

    def __hash__(self):
        return hash(self._string)

    def __repr__(self):
        return (
            f"<DeviceSpec(job={self._job}, replica={self._replica}, task={self._task}, "
            f"device_type={self._device_type}, device_index={self._device_index})>"
        )


def device(device_name):
    """A context manager naming the device of the ops created in it (``tf.device``).

    Eager ops run on the host CPU; a ``tf.function`` first called in the scope runs its
    graph on the device named, a GPU when JAX sees one (see ``tf.config``). The name is
    checked as TF checks it.

    Args:
        device_name: a device string (``"/GPU:0"``, ``"/job:worker/cpu:0"``) or None.

    Raises:
        RuntimeError: a function in place of a name (TF 2 takes names only).
        ValueError: a name that is not a string, or that does not parse.

    >>> import tensorflux as tf
    >>> with tf.device("/CPU:0"):
    ...     x = tf.constant(1.0) + 1.0
    """
    if callable(device_name):
        raise RuntimeError("tf.device does not support functions.")
    return _device_scope(device_name)


@contextlib.contextmanager
def _device_scope(device_name):
    outer = context.state.device
    inner = None
    if device_name is not None:
        if not isinstance(device_name, str):
            raise ValueError(
                f"Expecting a string device name. Got {type(device_name)}({device_name})"
            )
        device_type, device_index = _parse(device_name)[3:]
        # A name without a device type ("/job:worker") keeps the outer scope's device.
        inner = outer if device_type is None else (device_type, device_index)
    context.state.device = inner
    try:
        yield
    finally:
        context.state.device = outer
