"""``tf.summary.write`` and the plugin summaries built on it (scalar, histogram, image,
text, audio).

Eagerly a summary is encoded and queued on the default writer at once. Inside a
``tf.function`` it becomes a ``WriteSummary`` node run for its effect on every call of
the function: the writer and tag are fixed when tracing (as TF captures the writer),
the data, the step (a ``tf.Variable`` step is read on each call) and the recording
condition (a ``record_if`` callable is traced into the graph) are its inputs.
"""

from __future__ import annotations

import contextlib
import re
import time

import numpy as np

from tensorflux.engine.registry import execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.name_scope import current_name_scope, name_scope
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.summary import plugins
from tensorflux.summary.event_file import encode_event, encode_tensor
from tensorflux.summary.writer import state

__all__ = [
    "audio",
    "histogram",
    "image",
    "scalar",
    "should_record_summaries",
    "summary_scope",
    "text",
    "write",
    "write_raw_pb",
]

_NO_STEP = (
    "No step set. Please specify one either through the `step` argument or through "
    "tf.summary.experimental.set_step()"
)
_INVALID_SCOPE_CHARACTERS = re.compile(r"[^-_/.A-Za-z0-9]")


def _bool(value: bool) -> Tensor:
    return Tensor(np.array(value), dtypes.bool)


def _write_kernel(data, step, record, *, writer, tag, metadata, encode):
    if record:
        writer._write(int(step), tag, encode(data), metadata)


def _write_infer(data, step, record, **attrs):
    return ()


# Registered so that inside tf.function a summary is a graph node run on every call.
_WRITE = register(
    "WriteSummary",
    kernel=_write_kernel,
    grad=None,
    infer=_write_infer,
    num_outputs=0,
    stateful=True,
)


def _raw_pb_kernel(data, step, record, *, writer):
    if record:
        for summary in np.asarray(data, dtype=object).reshape(-1):
            writer._write_event(encode_event(time.time(), int(step), summary=bytes(summary)))


_WRITE_RAW = register(
    "WriteRawProtoSummary",
    kernel=_raw_pb_kernel,
    grad=None,
    infer=_write_infer,
    num_outputs=0,
    stateful=True,
)


def _record_condition():
    """The recording condition now: a Python bool or a bool tensor."""
    condition = state.is_recording
    if callable(condition):
        condition = condition()
    if condition is None:
        return True
    if isinstance(condition, Tensor) and type(condition) is Tensor:
        return bool(condition._value)
    if not isinstance(condition, Tensor) and not hasattr(condition, "_as_tensor"):
        return bool(condition)
    return convert_to_tensor(condition, dtypes.bool)


def should_record_summaries():
    """Whether summaries written now would be recorded (a bool tensor): a default
    writer is set and the ``record_if`` condition, if any, holds.

    >>> bool(should_record_summaries())
    False
    """
    if state.writer is None:
        return _bool(False)
    condition = _record_condition()
    return _bool(condition) if isinstance(condition, bool) else condition


def _step_tensor(step):
    """The step as an int64 scalar (a tensor inside a trace, else an int)."""
    if isinstance(step, (int, np.integer)) and not isinstance(step, bool):
        return int(step)
    tensor = convert_to_tensor(step)
    if tensor.shape.num_elements() != 1:
        raise ValueError(
            f"Argument `step` must be a scalar. Received step with shape {tensor.shape}."
        )
    if type(tensor) is Tensor:
        return int(np.asarray(tensor._value).reshape(-1)[0])
    from tensorflux.ops.array_ops import reshape
    from tensorflux.ops.math_ops import cast

    return reshape(cast(tensor, dtypes.int64), [])


def _resolve(step):
    """``(writer, step, condition)`` for a summary to write now, or None when nothing
    is to be written (no default writer, or recording is off)."""
    if step is not None:
        step = _step_tensor(step)
    writer = state.writer
    if writer is None:
        return None
    condition = _record_condition()
    if condition is False:
        return None
    if condition is not True and context.executing_eagerly() and not bool(condition._value):
        return None
    if step is None:
        step = state.step
        if step is None:
            raise ValueError(_NO_STEP)
        step = _step_tensor(step)
    return writer, step, condition


def _write(tag, data, step, metadata: bytes, encode, check=None):
    """Writes ``encode(data as array)`` under ``tag``; returns whether it was recorded
    (a bool tensor). ``check(shape)`` validates the data's static shape first."""
    resolved = _resolve(step)
    if resolved is None:
        return _bool(False)
    writer, step, condition = resolved
    if callable(data) and not isinstance(data, Tensor):
        data = data()
    tensor = data if isinstance(data, Tensor) else convert_to_tensor(data)
    if check is not None:
        check(tensor.shape.as_list() if tensor.shape.rank is not None else None)
    if context.executing_eagerly():
        if type(tensor) is not Tensor:
            tensor = convert_to_tensor(tensor)
        writer._write(step, tag, encode(tensor._value), metadata)
        return _bool(True)
    condition = _bool(True) if condition is True else condition
    attrs = {"writer": writer, "tag": tag, "metadata": metadata, "encode": encode}
    execute(_WRITE, [tensor, convert_to_tensor(step, dtypes.int64), condition], attrs)
    return condition


@contextlib.contextmanager
def summary_scope(name, default_name="summary", values=None):
    """A name scope for a summary op: yields ``(tag, scope)``, the tag being ``name``
    under the enclosing name scopes (``tf.summary.experimental.summary_scope``).

    >>> with summary_scope("loss") as (tag, scope):
    ...     tag
    'loss'
    """
    del values
    name = name or default_name
    outer = current_name_scope()
    tag = outer + name
    scope_name = _INVALID_SCOPE_CHARACTERS.sub("", name) or default_name
    with name_scope(scope_name) as scope:
        yield tag, scope


def write(tag, tensor, step=None, metadata=None, name=None):
    """Writes ``tensor`` (or the result of calling it) under ``tag`` to the default
    writer, with serialized SummaryMetadata ``metadata`` (bytes).

    Args:
        tag: the summary's tag.
        tensor: a tensor or a callable returning one (called only when recording).
        step: int64-castable step; default ``tf.summary.experimental.get_step()``.
        metadata: serialized ``SummaryMetadata`` bytes, or None.

    Returns:
        A bool tensor: True if written, False without a default writer or when
        recording is off.

    Raises:
        ValueError: no step given nor set.

    >>> bool(write("raw", [1, 2], step=0))
    False
    """
    del name
    if metadata is None:
        metadata = b""
    elif hasattr(metadata, "SerializeToString"):
        metadata = metadata.SerializeToString()
    return _write(tag, tensor, step, bytes(metadata), _encode_any)


def _encode_any(array: np.ndarray) -> bytes:
    array = np.asarray(array)
    if array.dtype == object or array.dtype.kind in "SU":
        return encode_tensor(array, dtypes.string)
    return encode_tensor(array, dtypes.from_numpy(array.dtype))


def write_raw_pb(tensor, step=None, name=None):
    """Writes already serialized ``Summary`` protos (a string tensor) as events.

    Returns:
        A bool tensor: whether they were written.

    >>> bool(write_raw_pb(b"", step=0))
    False
    """
    del name
    resolved = _resolve(step)
    if resolved is None:
        return _bool(False)
    writer, step, condition = resolved
    tensor = convert_to_tensor(tensor, dtypes.string)
    if context.executing_eagerly():
        _raw_pb_kernel(tensor._value, step, True, writer=writer)
        return _bool(True)
    condition = _bool(True) if condition is True else condition
    step = convert_to_tensor(step, dtypes.int64)
    execute(_WRITE_RAW, [tensor, step, condition], {"writer": writer})
    return condition


def scalar(name, data, step=None, description=None):
    """Writes a scalar summary (TensorBoard's Scalars dashboard): ``data`` as float32.

    Returns:
        A bool tensor: True on success, False without a default writer.

    Raises:
        ValueError: ``data`` is not a scalar, or no step is set.

    >>> bool(scalar("loss", 0.5, step=1))  # no default writer
    False
    """
    with summary_scope(name, "scalar_summary") as (tag, _):
        tensor = data if isinstance(data, Tensor) else convert_to_tensor(data)
        if tensor.shape.rank not in (None, 0):
            raise ValueError(f"Expected scalar shape, saw shape: {tensor.shape}.")
        if tensor.dtype is not dtypes.float32:
            from tensorflux.ops.math_ops import cast

            tensor = cast(tensor, dtypes.float32)
        meta = plugins.metadata("scalars", description)
        return _write(tag, tensor, step, meta, plugins.encode_scalar)


def histogram(name, data, step=None, buckets=None, description=None):
    """Writes a histogram of ``data`` (any shape, flattened) in ``buckets`` equal-width
    buckets (default 30) for TensorBoard's Histograms and Distributions dashboards.

    Returns:
        A bool tensor: True on success, False without a default writer.

    >>> bool(histogram("weights", [0.1, 0.5, 0.9], step=1))
    False
    """
    count = plugins.DEFAULT_BUCKET_COUNT if buckets is None else int(buckets)
    with summary_scope(name, "histogram_summary") as (tag, _):
        meta = plugins.metadata("histograms", description)
        return _write(tag, data, step, meta, lambda a: plugins.encode_histogram(a, count))


def image(name, data, step=None, max_outputs=3, description=None):
    """Writes up to ``max_outputs`` images of a ``[k, height, width, channels]`` batch
    (channels 1, 2, 3 or 4) as PNGs for TensorBoard's Images dashboard. Floats are in
    [0, 1]; other dtypes are converted as ``tf.image.convert_image_dtype``.

    Returns:
        A bool tensor: True on success, False without a default writer.

    Raises:
        ValueError: ``data`` is not of rank 4 (when written).

    >>> bool(image("digits", [[[[0.5]]]], step=1))
    False
    """
    limit = int(max_outputs)
    with summary_scope(name, "image_summary") as (tag, _):
        meta = plugins.metadata("images", description)
        return _write(
            tag,
            data,
            step,
            meta,
            lambda a: plugins.encode_images(a, limit),
            check=lambda shape: plugins.check_rank(shape, 4),
        )


def text(name, data, step=None, description=None):
    """Writes a string tensor (Markdown) for TensorBoard's Text dashboard.

    Raises:
        TypeError: ``data`` is not a string tensor.

    >>> bool(text("notes", "first run", step=0))
    False
    """
    with summary_scope(name, "text_summary") as (tag, _):
        tensor = data if isinstance(data, Tensor) else convert_to_tensor(data)
        if tensor.dtype is not dtypes.string:
            raise TypeError(f"tensor must be of type tf.string; got tf.{tensor.dtype.name}")
        meta = plugins.metadata("text", description)
        return _write(tag, tensor, step, meta, plugins.encode_text)


def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
    """Writes up to ``max_outputs`` clips of a ``[k, frames, channels]`` float batch in
    [-1, 1] as 16-bit WAV files for TensorBoard's Audio dashboard.

    Raises:
        ValueError: an encoding other than "wav"; ``data`` not of rank 3 (when written).

    >>> bool(audio("tone", [[[0.0], [0.5]]], sample_rate=8000, step=0))
    False
    """
    if encoding is None:
        encoding = "wav"
    if encoding != "wav":
        raise ValueError(f"Unknown encoding: {encoding!r}")
    rate = int(np.asarray(sample_rate._value if isinstance(sample_rate, Tensor) else sample_rate))
    limit = int(max_outputs)
    with summary_scope(name, "audio_summary") as (tag, _):
        meta = plugins.metadata("audio", description)
        return _write(
            tag,
            data,
            step,
            meta,
            lambda a: plugins.encode_audio(a, rate, limit),
            check=lambda shape: plugins.check_rank(shape, 3),
        )
