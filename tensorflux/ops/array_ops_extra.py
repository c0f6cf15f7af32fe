"""Smaller top-level array ops of TF: ``tf.bitcast``, ``tf.roll``, ``tf.reverse_sequence``,
``tf.unique_with_counts``, ``tf.unravel_index``, ``tf.ensure_shape``, broadcast shapes,
``tf.saturate_cast``, grouping (``tf.group``, ``tf.tuple``, ``tf.identity_n``) and
``tf.timestamp``."""

from __future__ import annotations

import time
from collections import namedtuple

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import int_scalar_arg
from tensorflux.ops.selection_ops import check_out_idx, unique_first_occurrence

__all__ = [
    "bitcast",
    "broadcast_dynamic_shape",
    "broadcast_static_shape",
    "ensure_shape",
    "guarantee_const",
    "identity_n",
    "no_op",
    "group",
    "tuple",
    "parallel_stack",
    "reverse_sequence",
    "roll",
    "saturate_cast",
    "shape_n",
    "timestamp",
    "unique_with_counts",
    "unravel_index",
    "required_space_to_batch_paddings",
]

_py_tuple = tuple


def _error(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{message} [Op:{op}]")


# -- Bitcast -----------------------------------------------------------------------------


def _bitcast_kernel(x, type):  # noqa: A002 - TF's attr name
    out = type.as_numpy_dtype
    a, b = x.dtype.itemsize, np.dtype(out).itemsize
    if a == b:
        return x.view(out)
    if a > b:
        return np.ascontiguousarray(x).view(out).reshape(x.shape + (a // b,))
    if x.ndim == 0 or x.shape[-1] != b // a:
        raise _bitcast_error(dtypes.from_numpy(x.dtype), type)
    return np.ascontiguousarray(x).view(out).reshape(x.shape[:-1])


def _bitcast_error(a: dtypes.DType, b: dtypes.DType) -> InvalidArgumentError:
    # TF names the types by their DataType enum numbers.
    return _error(
        "Bitcast",
        f"Cannot bitcast from {a.as_datatype_enum} to {b.as_datatype_enum}: the last "
        f"dimension must be {b.size // a.size} ({b.name} is {b.size} bytes, {a.name} "
        f"{a.size})",
    )


def _bitcast_infer(x: Spec, type) -> Spec:  # noqa: A002
    a, b = x.dtype.size, type.size
    if x.shape.rank is None:
        return Spec(type, TensorShape(None))
    dims = x.shape.as_list()
    if a > b:
        dims.append(a // b)
    elif a < b:
        dims = dims[:-1]
    return Spec(type, TensorShape(dims))


# TF registers no gradient for Bitcast: the bits of a float are not a smooth function.
_BITCAST = register("Bitcast", kernel=_bitcast_kernel, grad=None, infer=_bitcast_infer)


def bitcast(input, type, name=None) -> Tensor:  # noqa: A002
    """Reinterprets the bytes of ``input`` as ``type`` without copying values.

    A wider type consumes the last dimension (it must equal the size ratio); a narrower
    one adds a last dimension of the ratio.

    Args:
        input: a numeric tensor.
        type: the dtype to reinterpret as.

    Returns:
        A tensor of ``type``.

    Raises:
        InvalidArgumentError: a last dimension that does not match the size ratio.

    >>> import tensorflux as tf
    >>> tf.bitcast(tf.constant([1.0]), tf.uint8).numpy()
    array([[  0,   0, 128,  63]], dtype=uint8)
    """
    x = to_tensor(input)
    out = dtypes.as_dtype(type)
    for attr, d in (("T", x.dtype), ("type", out)):
        if d is dtypes.string or d is dtypes.bool:
            raise _error(
                "Bitcast",
                f"Value for attr '{attr}' of {d.name} is not in the list of allowed values: "
                f"bfloat16, half, float, double, int64, int32, uint8, uint16, uint32, uint64, "
                f"int8, int16, complex64, complex128, qint8, quint8, qint16, quint16, qint32",
            )
    a, b = x.dtype.size, out.size
    dims = x.shape.as_list() if x.shape.rank is not None else None
    if a < b and dims is not None and (not dims or dims[-1] not in (None, b // a)):
        raise _bitcast_error(x.dtype, out)
    return execute(_BITCAST, (x,), {"type": out})


# -- Broadcast shapes --------------------------------------------------------------------


def _broadcast_args_kernel(s0, s1):
    try:
        out = np.broadcast_shapes(tuple(s0.tolist()), tuple(s1.tolist()))
    except ValueError:
        a = ",".join(str(int(d)) for d in s0)
        b = ",".join(str(int(d)) for d in s1)
        raise _error("BroadcastArgs", f"Incompatible shapes: [{a}] vs. [{b}]") from None
    return np.asarray(out, s0.dtype).reshape(-1)


def _broadcast_args_infer(s0: Spec, s1: Spec) -> Spec:
    n0 = s0.shape[0] if s0.shape.rank == 1 else None
    n1 = s1.shape[0] if s1.shape.rank == 1 else None
    n = None if n0 is None or n1 is None else max(n0, n1)
    return Spec(s0.dtype, TensorShape([n]))


_BROADCAST_ARGS = register(
    "BroadcastArgs",
    kernel=_broadcast_args_kernel,
    grad=None,
    infer=_broadcast_args_infer,
    same_dtype=True,
    allowed=frozenset({dtypes.int32, dtypes.int64}),
)


def broadcast_dynamic_shape(shape_x, shape_y) -> Tensor:
    """The shape two tensors of shapes ``shape_x`` and ``shape_y`` broadcast to, as a
    1-D integer tensor (TF's BroadcastArgs op).

    Raises:
        InvalidArgumentError: shapes that do not broadcast.

    >>> import tensorflux as tf
    >>> tf.broadcast_dynamic_shape([1, 3], [2, 1]).numpy()
    array([2, 3], dtype=int32)
    """
    return execute(_BROADCAST_ARGS, (shape_x, shape_y))


def broadcast_static_shape(shape_x, shape_y) -> TensorShape:
    """The ``TensorShape`` two (partially known) shapes broadcast to.

    Raises:
        ValueError: shapes that cannot broadcast.

    >>> import tensorflux as tf
    >>> tf.broadcast_static_shape(tf.TensorShape([None, 3]), tf.TensorShape([2, 1]))
    TensorShape([2, 3])
    """
    x, y = TensorShape(shape_x), TensorShape(shape_y)
    if x.rank is None or y.rank is None:
        return TensorShape(None)
    a, b = x.as_list()[::-1], y.as_list()[::-1]
    out = []
    for i in range(max(len(a), len(b))):
        da = a[i] if i < len(a) else 1
        db = b[i] if i < len(b) else 1
        if da is not None and db is not None and da != 1 and db != 1 and da != db:
            raise ValueError(
                "Incompatible shapes for broadcasting. Two shapes are compatible if for each "
                "dimension pair they are either equal or one of them is 1. Received: "
                f"{_dims_text(x)} and {_dims_text(y)}."
            )
        if da == 1:
            out.append(db)
        elif db == 1:
            out.append(da)
        else:
            out.append(da if da is not None else db)
    return TensorShape(out[::-1])


def _dims_text(shape: TensorShape) -> str:
    return str(_py_tuple(shape.as_list()))


# -- EnsureShape -------------------------------------------------------------------------


def _shape_text(dims) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _ensure_shape_kernel(x, shape):
    if shape.rank is not None and (
        x.ndim != shape.rank or any(d is not None and d != n for d, n in zip(shape, x.shape))
    ):
        raise _error(
            "EnsureShape",
            f"Shape of tensor input {_shape_text(x.shape)} is not compatible with expected "
            f"shape {_shape_text(shape.as_list())}.",
        )
    return x


def _ensure_shape_infer(x: Spec, shape) -> Spec:
    if shape.rank is None:
        return x
    if x.shape.rank is None:
        return Spec(x.dtype, shape)
    return Spec(x.dtype, x.shape.merge_with(shape))


def _ensure_shape_grad(call, dy):
    """The identity: d x = dy."""
    return (dy,)


_ENSURE_SHAPE = register(
    "EnsureShape", kernel=_ensure_shape_kernel, grad=_ensure_shape_grad, infer=_ensure_shape_infer
)


def ensure_shape(x, shape, name=None) -> Tensor:
    """``x`` unchanged, checked (when it runs) to have a shape compatible with ``shape``;
    inside ``tf.function`` the result's static shape is refined to ``shape``.

    Args:
        x: a tensor.
        shape: a ``TensorShape`` or list (``None`` for any size), or None for any shape.

    Returns:
        ``x``, with its static shape merged with ``shape``.

    Raises:
        InvalidArgumentError: a shape that is not compatible.
        ValueError: inside ``tf.function``, a static shape already known to conflict.

    >>> import tensorflux as tf
    >>> tf.ensure_shape(tf.zeros([2, 3]), [None, 3]).shape
    TensorShape([2, 3])
    """
    x = to_tensor(x)
    shape = TensorShape(shape)
    if type(x) is SymbolicTensor and not x.shape.is_compatible_with(shape):
        raise ValueError(f"Shapes {x.shape} and {shape} are incompatible")
    return execute(_ENSURE_SHAPE, (x,), {"shape": shape})


# -- Identity-like -----------------------------------------------------------------------


# TF registers no gradient for GuaranteeConst (its input is promised constant).
_GUARANTEE_CONST = register(
    "GuaranteeConst", kernel=lambda x: x, grad=None, infer=lambda x: Spec(x.dtype, x.shape)
)


def guarantee_const(input, name=None) -> Tensor:  # noqa: A002
    """``input`` unchanged, promised constant to the runtime (no gradient flows through).

    >>> import tensorflux as tf
    >>> tf.guarantee_const(tf.constant([1, 2])).numpy()
    array([1, 2], dtype=int32)
    """
    return execute(_GUARANTEE_CONST, (to_tensor(input),))


def identity_n(input, name=None) -> list:  # noqa: A002
    """Each tensor of the list ``input`` passed through unchanged (gradients too).

    >>> import tensorflux as tf
    >>> [t.numpy().tolist() for t in tf.identity_n([1, 2.5])]
    [1, 2.5]
    """
    from tensorflux.ops.shape_ops import identity

    return [identity(t) for t in input]


def no_op(name=None) -> None:
    """Does nothing (``tf.no_op``): in eager code and ``tf.function`` it returns None.

    >>> import tensorflux as tf
    >>> tf.no_op() is None
    True
    """
    return None


def group(*inputs, **kwargs) -> None:
    """Waits for ``inputs`` (``tf.group``); tensorflux runs ops in program order, so
    nothing is left to wait for: returns None, as TF's eager ``tf.group``.

    Raises:
        TypeError: keyword arguments other than ``name``.

    >>> import tensorflux as tf
    >>> tf.group(tf.constant(1)) is None
    True
    """
    extra = set(kwargs) - {"name"}
    if extra:
        raise TypeError(f"Unknown keyword arguments: {', '.join(sorted(extra))}")
    return None


def tuple(tensors, control_inputs=None, name=None) -> list:  # noqa: A001 - TF's name
    """The ``tensors`` as a list, each available once all of them are (``tf.tuple``).

    Raises:
        TypeError: ``control_inputs`` that is not a list or tuple.

    >>> import tensorflux as tf
    >>> [t.numpy().tolist() for t in tf.tuple([tf.constant(1), tf.constant(2)])]
    [1, 2]
    """
    from tensorflux.ops.shape_ops import identity

    if control_inputs is not None and not isinstance(control_inputs, (list, _py_tuple)):
        raise TypeError(f"'control_inputs' must be a list or tuple, got: {control_inputs!r}")
    return [None if t is None else identity(t) for t in tensors]


def parallel_stack(values, name="parallel_stack") -> Tensor:
    """``tf.stack(values)`` along a new first axis; only inside ``tf.function``, as TF.

    Raises:
        RuntimeError: called eagerly.

    >>> import tensorflux as tf
    >>> tf.function(lambda: tf.parallel_stack([[1, 2], [3, 4]]))().numpy()
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    from tensorflux.ops.joining_ops import stack

    if context.state.graph is None:
        raise RuntimeError("tf.parallel_stack() is not compatible with eager execution.")
    return stack(values, 0)


def shape_n(input, out_type=dtypes.int32, name=None) -> list:  # noqa: A002
    """``tf.shape`` of each tensor of the list ``input``.

    >>> import tensorflux as tf
    >>> [s.numpy() for s in tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])])]
    [array([2, 3], dtype=int32), array([4], dtype=int32)]
    """
    from tensorflux.ops.shape_ops import shape

    return [shape(t, out_type) for t in input]


# -- ReverseSequence ---------------------------------------------------------------------


def _reverse_sequence_kernel(x, seq_lengths, seq_dim, batch_dim):
    op = "ReverseSequence"
    if batch_dim == seq_dim:
        raise _error(op, f"batch_dim == seq_dim == {seq_dim}")
    if not (0 <= seq_dim < x.ndim):
        raise _error(op, f"seq_dim must be < input rank ( {seq_dim} vs. {x.ndim})")
    if not (0 <= batch_dim < x.ndim):
        raise _error(op, f"batch_dim must be < input rank ( {batch_dim} vs. {x.ndim})")
    if seq_lengths.ndim != 1 or seq_lengths.shape[0] != x.shape[batch_dim]:
        raise _error(
            op,
            f"Length of seq_lengths != input.dims({batch_dim}), ({seq_lengths.shape[0]} vs. "
            f"{x.shape[batch_dim]})",
        )
    out = x.copy()
    for b, n in enumerate(seq_lengths.tolist()):
        if n < 0:
            raise _error(op, f"seq_lens({b}) < 0")
        if n > x.shape[seq_dim]:
            raise _error(op, f"seq_lens({b}) > input.dims({seq_dim})")
        src = [slice(None)] * x.ndim
        src[batch_dim] = b
        src[seq_dim] = slice(0, n)
        out[_py_tuple(src)] = np.flip(x[_py_tuple(src)], axis=seq_dim - (batch_dim < seq_dim))
    return out


def _reverse_sequence_infer(x: Spec, seq_lengths: Spec, seq_dim, batch_dim) -> Spec:
    return Spec(x.dtype, x.shape)


def _reverse_sequence_grad(call, dy):
    """Reversal is its own inverse: d x = reverse_sequence(dy, seq_lengths)."""
    return (
        execute(_REVERSE_SEQUENCE, (dy, call.inputs[1]), call.attrs),
        None,
    )


_REVERSE_SEQUENCE = register(
    "ReverseSequence",
    kernel=_reverse_sequence_kernel,
    grad=_reverse_sequence_grad,
    infer=_reverse_sequence_infer,
)


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None) -> Tensor:  # noqa: A002
    """Reverses the first ``seq_lengths[b]`` entries along ``seq_axis`` of each batch
    entry ``b`` (along ``batch_axis``); the rest stays in place.

    Args:
        input: a tensor of rank >= 2.
        seq_lengths: int32/int64 vector, one length per batch entry.
        seq_axis: the axis to reverse (required).
        batch_axis: the batch axis (default 0).

    Returns:
        A tensor like ``input``.

    Raises:
        InvalidArgumentError: lengths beyond the axis's size, or equal/out-of-range axes.

    >>> import tensorflux as tf
    >>> tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1).numpy()
    array([[2, 1, 3],
           [6, 5, 4]], dtype=int32)
    """
    x = to_tensor(input)
    lengths = to_tensor(seq_lengths)
    if lengths.dtype not in (dtypes.int32, dtypes.int64):
        raise _error(
            "ReverseSequence",
            f"Value for attr 'Tlen' of {lengths.dtype.name} is not in the list of allowed "
            f"values: int32, int64",
        )
    seq = int_scalar_arg(seq_axis, "ReverseSequence", "seq_axis")
    batch = 0 if batch_axis is None else int_scalar_arg(batch_axis, "ReverseSequence", "batch_axis")
    rank = x.shape.rank
    if rank is not None:
        seq, batch = (seq + rank if seq < 0 else seq), (batch + rank if batch < 0 else batch)
    return execute(_REVERSE_SEQUENCE, (x, lengths), {"seq_dim": seq, "batch_dim": batch})


# -- Roll --------------------------------------------------------------------------------


def _roll_kernel(x, shift, axis):
    # TF's checks, in its order and words.
    if x.ndim == 0:
        raise _error("Roll", "input must be 1-D or higher")
    for what, t in (("shift", shift), ("axis", axis)):
        if t.ndim > 1:
            dims = ",".join(str(d) for d in t.shape)
            raise _error("Roll", f"{what} must be a scalar or a 1-D vector. Found: [{dims}]")
    if shift.shape != axis.shape:
        raise _error("Roll", "shift and axis must have the same size")
    axes = axis.reshape(-1).tolist()
    for a in axes:
        if not -x.ndim <= a < x.ndim:
            raise _error("Roll", f"axis {a + x.ndim if a < 0 else a} is out of range")
    return np.roll(x, shift.reshape(-1).tolist(), [a % x.ndim for a in axes])


def _roll_infer(x: Spec, shift: Spec, axis: Spec) -> Spec:
    return Spec(x.dtype, x.shape)


def _roll_grad(call, dy):
    """Rolling back: d x = roll(dy, -shift, axis)."""
    from tensorflux.ops.math_ops import negative

    _, shift, axis = call.inputs
    return execute(_ROLL, (dy, negative(shift), axis)), None, None


_ROLL = register("Roll", kernel=_roll_kernel, grad=_roll_grad, infer=_roll_infer)


def roll(input, shift, axis, name=None) -> Tensor:  # noqa: A002
    """Shifts the elements of ``input`` by ``shift`` along ``axis``, wrapping around.

    ``shift`` and ``axis`` may be vectors of the same length; shifts on a repeated axis add.

    Raises:
        InvalidArgumentError: an axis out of range, or shift/axis of different sizes.

    >>> import tensorflux as tf
    >>> tf.roll([0, 1, 2, 3, 4], shift=2, axis=0).numpy()
    array([3, 4, 0, 1, 2], dtype=int32)
    """
    x = to_tensor(input)
    s, a = to_tensor(shift), to_tensor(axis)
    for what, t in (("Tshift", s), ("Taxis", a)):
        if t.dtype not in (dtypes.int32, dtypes.int64):
            raise _error(
                "Roll",
                f"Value for attr '{what}' of {dtypes.tf_type_name(t.dtype)} is not in the list "
                f"of allowed values: int32, int64",
            )
    return execute(_ROLL, (x, s, a))


# -- Casts, timestamps -------------------------------------------------------------------


def saturate_cast(value, dtype, name=None) -> Tensor:
    """Casts ``value`` to ``dtype``, clipping values beyond its range first (no wrap-around).

    >>> import tensorflux as tf
    >>> tf.saturate_cast([-5.0, 300.0], tf.uint8).numpy()
    array([  0, 255], dtype=uint8)
    """
    from tensorflux.ops.complex_ops import real
    from tensorflux.ops.math_ops import cast, maximum, minimum

    x = to_tensor(value)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype.is_complex and not dtype.is_complex:
        x = real(x)
    if x.dtype is not dtype and not x.dtype.is_bool:
        src, dst = x.dtype.real_dtype, dtype.real_dtype
        lo, hi = _limits(src), _limits(dst)
        if lo[0] < hi[0]:
            x = maximum(x, _bound(hi[0], x.dtype, True))
        if lo[1] > hi[1]:
            x = minimum(x, _bound(hi[1], x.dtype, False))
    return cast(x, dtype)


def _limits(d: dtypes.DType) -> _py_tuple:
    np_type = d.as_numpy_dtype
    if d.is_floating:
        info = np.finfo(np_type)
        return float(info.min), float(info.max)
    info = np.iinfo(np_type)
    return int(info.min), int(info.max)


def _bound(v, dtype: dtypes.DType, lower: bool) -> Tensor:
    """``v`` (a limit of the target type) in ``dtype``: rounded inwards so that the cast
    of the clipped value stays in range, as TF clamps in the source type."""
    np_type = dtype.real_dtype.as_numpy_dtype
    b = np.asarray(v).astype(np_type)
    if dtype.is_floating and (float(b) < v if lower else float(b) > v):
        b = np.nextafter(b, np.asarray(np.inf if lower else -np.inf, np_type))
    if dtype.is_complex:
        b = np.asarray(b, dtype.as_numpy_dtype)
    return Tensor(np.asarray(b, dtype.as_numpy_dtype), dtype)


# Reading the clock is an effect, and a time has no gradient.
_TIMESTAMP = register(
    "Timestamp",
    kernel=lambda: np.asarray(time.time(), np.float64),
    grad=None,
    infer=lambda: Spec(dtypes.float64, TensorShape([])),
    stateful=True,
)


def timestamp(name=None) -> Tensor:
    """Seconds since the epoch as a float64 scalar, read each time the op runs.

    >>> import tensorflux as tf
    >>> tf.timestamp().dtype
    tf.float64
    """
    return execute(_TIMESTAMP, ())


# -- UniqueWithCounts, UnravelIndex ------------------------------------------------------

UniqueWithCounts = namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _unique_with_counts_kernel(x, out_idx):
    if x.ndim != 1:
        raise _error("UniqueWithCounts", "unique expects a 1D vector.")
    values, idx, counts = unique_first_occurrence(x)
    return values, idx.astype(out_idx.as_numpy_dtype), counts.astype(out_idx.as_numpy_dtype)


_UNIQUE_WITH_COUNTS = register(
    "UniqueWithCounts",
    kernel=_unique_with_counts_kernel,
    grad=None,
    num_outputs=3,
    dynamic_shape=True,
    infer=lambda x, out_idx: (
        Spec(x.dtype, TensorShape([None])),
        Spec(out_idx, x.shape),
        Spec(out_idx, TensorShape([None])),
    ),
)


def unique_with_counts(x, out_idx=dtypes.int32, name=None) -> UniqueWithCounts:
    """The distinct values of a 1-D ``x`` in order of appearance, each entry's position
    among them and how often each occurs: ``UniqueWithCounts(y, idx, count)``.

    Raises:
        InvalidArgumentError: ``x`` that is not 1-D.

    >>> import tensorflux as tf
    >>> tf.unique_with_counts([1, 1, 2, 4, 4, 4]).count.numpy()
    array([2, 1, 3], dtype=int32)
    """
    x = to_tensor(x)
    out_idx = check_out_idx(out_idx, "UniqueWithCounts")
    return UniqueWithCounts(*execute(_UNIQUE_WITH_COUNTS, (x,), {"out_idx": out_idx}))


def _unravel_index_kernel(indices, dims):
    op = "UnravelIndex"
    if dims.ndim != 1:
        raise _error(op, f"dims must be a 1-D tensor, got shape {list(dims.shape)}")
    if indices.ndim > 1:
        raise _error(op, f"The indices can only be scalar or vector, got {list(indices.shape)}")
    if (dims <= 0).any():
        raise _error(op, "All dimensions must be positive.")
    total = int(np.prod(dims.astype(np.int64)))
    if indices.size and ((indices < 0).any() or (indices >= total).any()):
        raise _error(op, "index is out of bound as with dims")
    out = np.unravel_index(indices, _py_tuple(dims.tolist()))
    return np.asarray(out, dims.dtype).reshape((dims.shape[0],) + indices.shape)


def _unravel_index_infer(indices: Spec, dims: Spec) -> Spec:
    n = dims.shape[0] if dims.shape.rank == 1 else None
    if indices.shape.rank is None:
        return Spec(indices.dtype, TensorShape(None))
    return Spec(indices.dtype, TensorShape([n] + indices.shape.as_list()))


_UNRAVEL_INDEX = register(
    "UnravelIndex",
    kernel=_unravel_index_kernel,
    grad=None,
    infer=_unravel_index_infer,
    same_dtype=True,
    allowed=frozenset({dtypes.int32, dtypes.int64}),
)


def unravel_index(indices, dims, name=None) -> Tensor:
    """The coordinates of flat ``indices`` in an array of shape ``dims`` (row-major):
    ``[len(dims)]`` for a scalar index, ``[len(dims), n]`` for ``n`` indices.

    Raises:
        InvalidArgumentError: indices outside ``[0, prod(dims))``.

    >>> import tensorflux as tf
    >>> tf.unravel_index([1, 5], [2, 3]).numpy()
    array([[0, 1],
           [1, 2]], dtype=int32)
    """
    return execute(_UNRAVEL_INDEX, (indices, dims))


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """The paddings (and crops) that make each padded spatial size a multiple of its block
    size, for ``tf.space_to_batch_nd`` / ``tf.batch_to_space_nd``.

    Args:
        input_shape: int32 ``[N]``, the spatial sizes.
        block_shape: int32 ``[N]``, the block sizes.
        base_paddings: optional int32 ``[N, 2]`` minimum paddings (default zeros).

    Returns:
        ``(paddings, crops)``, two int32 ``[N, 2]`` tensors.

    >>> import tensorflux as tf
    >>> p, c = tf.required_space_to_batch_paddings([5, 4], [2, 3])
    >>> p.numpy().tolist(), c.numpy().tolist()
    ([[0, 1], [0, 2]], [[0, 1], [0, 2]])
    """
    from tensorflux.ops import math_ops
    from tensorflux.ops.joining_ops import stack
    from tensorflux.ops.math_ops import add, subtract

    shape = math_ops.cast(to_tensor(input_shape), dtypes.int32)
    block = math_ops.cast(to_tensor(block_shape), dtypes.int32)
    if base_paddings is None:
        from tensorflux.ops.creation_ops import zeros

        base = zeros([int(block.shape[0]), 2], dtypes.int32) if block.shape[0] else None
        if base is None:
            base = Tensor(np.zeros((0, 2), np.int32), dtypes.int32)
    else:
        base = math_ops.cast(to_tensor(base_paddings), dtypes.int32)
    start, end = base[:, 0], base[:, 1]
    full = add(add(shape, start), end)
    from tensorflux.ops.division_ops import floormod

    extra = floormod(subtract(block, floormod(full, block)), block)
    pad_end = add(end, extra)
    paddings = stack([start, pad_end], axis=1)
    crops = stack([math_ops.multiply(start, 0), extra], axis=1)
    return paddings, crops
