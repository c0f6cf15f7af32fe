"""Shape and layout ops: reshape, concat, stack, broadcast, identity (top-level ``tf.*``)."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import same_as_input, to_tensor, unbroadcast

__all__ = [
    "reshape",
    "concat",
    "stack",
    "broadcast_to",
    "identity",
    "stop_gradient",
    "zeros",
    "ones",
    "zeros_like",
    "ones_like",
    "fill",
    "where",
]


# -- Reshape ----------------------------------------------------------------


def _reshape_kernel(x, shape):
    return np.reshape(x, shape)


def _reshape_infer(x: Spec, shape) -> Spec:
    dims = [None if d == -1 else d for d in shape]
    if -1 in shape and x.shape.is_fully_defined():
        known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
        total = x.shape.num_elements()
        dims[list(shape).index(-1)] = total // known if known else 0
    return Spec(x.dtype, TensorShape(dims))


def _reshape_grad(call, dy):
    """Reshape the gradient back to the input's shape."""
    (x,) = call.inputs
    return (reshape(dy, x._value.shape),)


_RESHAPE = register("Reshape", kernel=_reshape_kernel, grad=_reshape_grad, infer=_reshape_infer)


def _shape_arg(shape) -> tuple:
    if isinstance(shape, Tensor) or hasattr(shape, "_as_tensor"):
        shape = convert_to_tensor(shape).numpy()
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in np.asarray(shape).reshape(-1))


def reshape(tensor, shape, name=None) -> Tensor:
    """Gives ``tensor`` a new shape with the same number of elements; one dim may be -1.

    >>> import tensorflux as tf
    >>> tf.reshape(tf.range(6), [2, -1]).shape
    TensorShape([2, 3])

    Raises:
        InvalidArgumentError: a shape whose size differs from the input's.
    """
    x = to_tensor(tensor)
    shape = _shape_arg(shape)
    if shape.count(-1) > 1:
        raise InvalidArgumentError(None, "Reshape", f"Reshape: only one input size may be -1, "
                                   f"not both {shape}.")
    size = x._value.size
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if (-1 in shape and (known == 0 or size % known)) or (-1 not in shape and known != size):
        raise InvalidArgumentError(
            None, "Reshape",
            f"Input to reshape is a tensor with {size} values, but the requested shape "
            f"{list(shape)} has {known} [Op:Reshape]. The number of elements must match.")
    return execute(_RESHAPE, (x,), {"shape": shape})


# -- BroadcastTo ------------------------------------------------------------


def _broadcast_to_infer(x: Spec, shape) -> Spec:
    return Spec(x.dtype, TensorShape(list(shape)))


def _broadcast_to_grad(call, dy):
    """Sum the gradient over the broadcast axes."""
    (x,) = call.inputs
    return (unbroadcast(dy, x._value.shape),)


_BROADCAST_TO = register("BroadcastTo", kernel=lambda x, shape: np.broadcast_to(x, shape),
                         grad=_broadcast_to_grad, infer=_broadcast_to_infer)


def broadcast_to(input, shape, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Broadcasts ``input`` to ``shape`` by NumPy/TF broadcasting rules.

    Raises:
        InvalidArgumentError: shapes that do not broadcast.
    """
    x = to_tensor(input)
    shape = _shape_arg(shape)
    if x._value.shape == shape:
        return x
    try:
        np.broadcast_shapes(x._value.shape, shape)
    except ValueError:
        raise InvalidArgumentError(None, "BroadcastTo", f"Unable to broadcast tensor of shape "
                                   f"{x.shape} to shape {shape} [Op:BroadcastTo].") from None
    return execute(_BROADCAST_TO, (x,), {"shape": shape})


# -- ConcatV2 ---------------------------------------------------------------


def _concat_kernel(*xs, axis):
    return np.concatenate(xs, axis=axis)


def _concat_infer(*xs: Spec, axis) -> Spec:
    ranks = [s.shape.rank for s in xs]
    if None in ranks:
        return Spec(xs[0].dtype, TensorShape(None))
    dims = xs[0].shape.as_list()
    ax = axis % len(dims)
    total = 0
    for s in xs:
        d = s.shape.as_list()[ax]
        total = None if total is None or d is None else total + d
    dims[ax] = total
    return Spec(xs[0].dtype, TensorShape(dims))


def _concat_grad(call, dy):
    """Split the gradient back into the pieces' sizes along the axis."""
    axis = call.attrs["axis"]
    out, start = [], 0
    for x in call.inputs:
        n = x._value.shape[axis]
        out.append(_slice_along(dy, axis, start, n))
        start += n
    return out


def _slice_along(x, axis, start, size):
    from tensorflux.ops.slicing_ops import slice as slice_op

    begin = [0] * x._value.ndim
    sizes = list(x._value.shape)
    begin[axis], sizes[axis] = start, size
    return slice_op(x, begin, sizes)


_CONCAT = register("ConcatV2", kernel=_concat_kernel, grad=_concat_grad, infer=_concat_infer,
                   same_dtype=True)


def concat(values, axis, name="concat") -> Tensor:
    """Joins tensors along an existing ``axis`` (``tf.concat``).

    Raises:
        InvalidArgumentError: ranks or non-axis dimensions that differ.
    """
    values = [to_tensor(v) for v in values]
    if not values:
        raise ValueError("tf.concat: expected a non-empty list of tensors.")
    rank = values[0]._value.ndim
    axis = int(to_tensor(axis).numpy()) if not isinstance(axis, int) else axis
    if not -rank <= axis < max(rank, 1):
        raise InvalidArgumentError(None, "ConcatV2", f"ConcatV2: axis {axis} is out of range "
                                   f"for tensors of rank {rank}.")
    axis %= max(rank, 1)
    for i, v in enumerate(values):
        s0, s = values[0]._value.shape, v._value.shape
        if len(s) != rank or s[:axis] + s[axis + 1:] != s0[:axis] + s0[axis + 1:]:
            raise InvalidArgumentError(
                None, "ConcatV2",
                f"ConcatOp : Dimension mismatch: shapes of input 0 {values[0].shape} and input "
                f"{i} {v.shape} differ outside the concatenation axis {axis} [Op:ConcatV2].")
    if len(values) == 1:
        return values[0]
    return execute(_CONCAT, values, {"axis": axis})


# -- Pack (stack) -----------------------------------------------------------


def _pack_kernel(*xs, axis):
    return np.stack(xs, axis=axis)


def _pack_infer(*xs: Spec, axis) -> Spec:
    shape = xs[0].shape
    for s in xs[1:]:
        shape = shape.merge_with(s.shape)
    if shape.rank is None:
        return Spec(xs[0].dtype, TensorShape(None))
    dims = shape.as_list()
    dims.insert(axis % (len(dims) + 1), len(xs))
    return Spec(xs[0].dtype, TensorShape(dims))


def _pack_grad(call, dy):
    """Each input gets its slice of the gradient along the new axis."""
    from tensorflux.ops.slicing_ops import unstack

    return unstack(dy, num=len(call.inputs), axis=call.attrs["axis"])


_PACK = register("Pack", kernel=_pack_kernel, grad=_pack_grad, infer=_pack_infer,
                 same_dtype=True)


def stack(values, axis=0, name="stack") -> Tensor:
    """Stacks same-shaped tensors along a new ``axis`` (``tf.stack``).

    Raises:
        InvalidArgumentError: inputs of different shapes.
    """
    values = [to_tensor(v) for v in values]
    if not values:
        raise ValueError("tf.stack: expected a non-empty list of tensors.")
    s0 = values[0]._value.shape
    for i, v in enumerate(values):
        if v._value.shape != s0:
            raise InvalidArgumentError(
                None, "Pack", f"Shapes of all inputs must match: values[0].shape = "
                f"{values[0].shape} != values[{i}].shape = {v.shape} [Op:Pack]")
    rank = len(s0) + 1
    if not -rank <= axis < rank:
        raise InvalidArgumentError(None, "Pack", f"Pack: axis {axis} is out of range for "
                                   f"a result of rank {rank}.")
    return execute(_PACK, values, {"axis": axis % rank})


# -- Identity, StopGradient -------------------------------------------------


def _identity_grad(call, dy):
    """Identity passes the gradient through."""
    return (dy,)


_IDENTITY = register("Identity", kernel=lambda x: x, grad=_identity_grad, infer=same_as_input)
_STOP_GRADIENT = register("StopGradient", kernel=lambda x: x, grad=None, infer=same_as_input)


def identity(input, name=None) -> Tensor:  # noqa: A002
    """Returns a tensor with the same value (``tf.identity``)."""
    return execute(_IDENTITY, (to_tensor(input),))


def stop_gradient(input, name=None) -> Tensor:  # noqa: A002
    """The same value, but tapes see no dependence on ``input`` (``tf.stop_gradient``)."""
    return execute(_STOP_GRADIENT, (to_tensor(input),))


# -- creation ---------------------------------------------------------------


def zeros(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """A tensor of zeros (``tf.zeros``); float32 unless ``dtype`` says otherwise."""
    dtype = dtypes.as_dtype(dtype)
    return Tensor(np.zeros(_shape_arg(shape), dtype=dtype.as_numpy_dtype), dtype)


def ones(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """A tensor of ones (``tf.ones``); float32 unless ``dtype`` says otherwise."""
    dtype = dtypes.as_dtype(dtype)
    return Tensor(np.ones(_shape_arg(shape), dtype=dtype.as_numpy_dtype), dtype)


def zeros_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002
    """Zeros with the shape (and, unless given, dtype) of ``input``."""
    x = to_tensor(input)
    dtype = x._dtype if dtype is None else dtypes.as_dtype(dtype)
    return Tensor(np.zeros(x._value.shape, dtype=dtype.as_numpy_dtype), dtype)


def ones_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002
    """Ones with the shape (and, unless given, dtype) of ``input``."""
    x = to_tensor(input)
    dtype = x._dtype if dtype is None else dtypes.as_dtype(dtype)
    return Tensor(np.ones(x._value.shape, dtype=dtype.as_numpy_dtype), dtype)


def fill(dims, value, name=None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value``, whose dtype it takes (``tf.fill``)."""
    v = to_tensor(value)
    if v._value.ndim != 0:
        raise InvalidArgumentError(None, "Fill", f"Fill: value must be a scalar, got shape "
                                   f"{v.shape}.")
    return Tensor(np.full(_shape_arg(dims), v._value, dtype=v._value.dtype), v._dtype)


# -- SelectV2 (where) -------------------------------------------------------


def _select_infer(cond: Spec, x: Spec, y: Spec) -> Spec:
    from tensorflux.ops.common import broadcast_shape

    return Spec(x.dtype, broadcast_shape(cond.shape, broadcast_shape(x.shape, y.shape)))


def _select_grad(call, dy):
    """The gradient flows to x where cond holds and to y elsewhere."""
    cond, x, y = call.inputs
    zero = zeros_like(dy)
    return (None, unbroadcast(where(cond, dy, zero), x._value.shape),
            unbroadcast(where(cond, zero, dy), y._value.shape))


_SELECT = register("SelectV2", kernel=np.where, grad=_select_grad, infer=_select_infer)


def where(condition, x=None, y=None, name=None) -> Tensor:
    """``x`` where ``condition`` holds, else ``y`` (broadcasting); with one argument, the
    coordinates of the true entries as an int64 ``[n, rank]`` tensor (``tf.where``).

    Raises:
        InvalidArgumentError: a non-bool condition, or x and y of different dtypes.
    """
    cond = to_tensor(condition)
    if cond._dtype is not dtypes.bool:
        raise InvalidArgumentError(None, "SelectV2", f"tf.where: condition must be a bool "
                                   f"tensor, got {cond._dtype.name}. Compare first, e.g. x > 0.")
    if x is None and y is None:
        return Tensor(np.argwhere(cond._value).astype(np.int64), dtypes.int64)
    if x is None or y is None:
        raise ValueError("tf.where: x and y must both be given, or neither.")
    from tensorflux.ops.math_ops import _pair

    x, y = _pair(x, y, _SELECT)
    return execute(_SELECT, (cond, x, y))
