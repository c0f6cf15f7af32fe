"""Shape and layout ops: reshape, transpose, concat, tile, pad, gather, where ... (``tf.*``).

Mirror padding composes gathers, so its gradient comes for free. Creation ops
(zeros, eye, range, one_hot, ...) live in ``creation_ops`` and are re-exported from
here, where TF keeps them; slicing and scatter/gather-nd ops live in ``slicing_ops``.

Inside a ``tf.function`` traced with partly known shapes, attributes and checks use
static shapes (``None`` for a dimension known only when the graph runs) and sizes the
graph needs come from ``tf.shape`` at run time, so that one graph serves every size.
"""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux.engine import registry
from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.ops import creation_ops
from tensorflux.ops.common import (
    broadcast_shape,
    dim_list,
    known_shape,
    runtime_shape,
    same_as_input,
    shape_hint,
    shape_tensor,
    static_dims,
    to_tensor,
    unbroadcast,
)
from tensorflux.ops.creation_ops import *  # noqa: F401,F403 - TF's home for creation ops
from tensorflux.ops.creation_ops import (
    int_list_arg,
    int_scalar_arg,
    int_values,
    is_traced_shape,
    range,  # noqa: A004 - tf.range here; Python's is builtins.range
    shape_arg,
    traced_shape_arg,
    zeros_like,
)

__all__ = [
    "reshape",
    "expand_dims",
    "squeeze",
    "transpose",
    "concat",
    "stack",
    "broadcast_to",
    "tile",
    "pad",
    "reverse",
    "shape",
    "size",
    "rank",
    "gather",
    "identity",
    "stop_gradient",
    "where",
] + creation_ops.__all__

_INDEX_DTYPES = frozenset({dtypes.int16, dtypes.int32, dtypes.int64})


def _dims_agree(a: tuple, b: tuple) -> bool:
    """Whether two dimension tuples may be equal (None matches any size)."""
    return a == b or (len(a) == len(b) and all(
        d is None or e is None or d == e for d, e in zip(a, b)))


# -- Reshape (and expand_dims, squeeze) -------------------------------------


def _reshape_kernel(x, shape):
    try:
        return np.reshape(x, shape.tolist())
    except ValueError:
        # A shape a traced graph computed (eager shapes were checked already).
        raise InvalidArgumentError(
            None, "Reshape", f"Input to reshape is a tensor with {np.size(x)} values, but the "
            f"requested shape {shape.tolist()} does not fit them [Op:Reshape].") from None


def _reshape_infer(x: Spec, shape: Spec) -> Spec:
    target = shape.value
    if target is None:
        n = shape.shape.num_elements()
        return Spec(x.dtype, TensorShape(None if n is None else [None] * n))
    dims = [None if d == -1 else d for d in target]
    if -1 in target and None not in target and x.shape.is_fully_defined():
        known = int(np.prod([d for d in target if d != -1], dtype=np.int64))
        dims[target.index(-1)] = x.shape.num_elements() // known if known else 0
    return Spec(x.dtype, TensorShape(dims))


def _reshape_grad(call, dy):
    """Reshape the gradient back to the input's shape; the shape gets none."""
    return _reshape_like(dy, call.inputs[0]), None


def _reshape_like(dy, x):
    shape = known_shape(x)
    return execute(_RESHAPE, (dy, shape_tensor(shape) if shape is not None else runtime_shape(x)))


# TF's inputs: the tensor and the new shape (an int32 vector, so that a shape computed
# when a traced graph runs, ``[tf.shape(x)[0], -1]``, works too).
_RESHAPE = register("Reshape", kernel=_reshape_kernel, grad=_reshape_grad, infer=_reshape_infer,
                    shape_inputs=(1,))


def reshape(tensor, shape, name=None) -> Tensor:
    """Gives ``tensor`` a new shape with the same number of elements; one dim may be -1.

    >>> import tensorflux as tf
    >>> tf.reshape(tf.range(6), [2, -1]).shape
    TensorShape([2, 3])

    Raises:
        InvalidArgumentError: a shape whose size differs from the input's.
    """
    x = to_tensor(tensor)
    if creation_ops.is_traced_shape(shape):
        return execute(_RESHAPE, (x, creation_ops.traced_shape_arg(shape)[0]))
    shape = shape_arg(shape, "Reshape", "shape", attr="Tshape", floats=InvalidArgumentError,
                      strings=InvalidArgumentError)
    if shape.count(-1) > 1:
        raise InvalidArgumentError(None, "Reshape", f"Reshape: only one input size may be -1, "
                                   f"not both {shape}.")
    if known_shape(x) is None:
        # The size is known only when the graph runs; the kernel checks it then.
        return execute(_RESHAPE, (x, shape_tensor(shape)))
    size = x._value.size
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if (-1 in shape and (known == 0 or size % known)) or (-1 not in shape and known != size):
        raise InvalidArgumentError(
            None, "Reshape",
            f"Input to reshape is a tensor with {size} values, but the requested shape "
            f"{list(shape)} has {known} [Op:Reshape]. The number of elements must match.")
    return execute(_RESHAPE, (x, shape_tensor(shape)))


def _expand_dims_kernel(x, axis):
    # A reshape (a view), cheaper than np.expand_dims's axis normalisation.
    shape = np.shape(x)
    return np.reshape(x, shape[:axis] + (1,) + shape[axis:])


def _expand_dims_infer(x: Spec, axis) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape(None))
    dims = x.shape.as_list()
    dims.insert(axis, 1)
    return Spec(x.dtype, TensorShape(dims))


def _expand_dims_grad(call, dy):
    """Drop the inserted axis from the gradient."""
    return (execute(_SQUEEZE, (dy,), {"axis": (call.attrs["axis"],)}),)


# ``axis``: where the new dimension goes, in [0, rank].
_EXPAND_DIMS = register("ExpandDims", kernel=_expand_dims_kernel, grad=_expand_dims_grad,
                        infer=_expand_dims_infer)


def _squeeze_kernel(x, axis):
    for a in axis:
        if x.shape[a] != 1:
            raise _not_squeezable(a, x.shape[a], x.shape)
    return np.squeeze(x, axis)


def _not_squeezable(axis: int, size: int, shape: tuple) -> InvalidArgumentError:
    return InvalidArgumentError(
        None, "Squeeze", f"Can not squeeze dim[{axis}], expected a dimension of 1, got {size} "
        f"[Op:Squeeze] (input shape {tuple(shape)}).")


def _squeeze_infer(x: Spec, axis) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape(None))
    return Spec(x.dtype, TensorShape([d for i, d in enumerate(x.shape.as_list())
                                      if i not in axis]))


def _squeeze_grad(call, dy):
    """Reshape the gradient back to the input's shape."""
    return (_reshape_like(dy, call.inputs[0]),)


# ``axis``: the dimensions to drop (in [0, rank)); the kernel checks that they are 1.
_SQUEEZE = register("Squeeze", kernel=_squeeze_kernel, grad=_squeeze_grad,
                    infer=_squeeze_infer)


def expand_dims(input, axis, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Inserts a dimension of size 1 at ``axis`` (negative counts from the end).

    >>> import tensorflux as tf
    >>> tf.expand_dims(tf.zeros([2, 3]), -1).shape
    TensorShape([2, 3, 1])

    Raises:
        InvalidArgumentError: an axis outside ``[-rank - 1, rank]``.
    """
    x = to_tensor(input)
    axis = int_scalar_arg(axis, "ExpandDims", "axis")
    rank = x._value.ndim
    if not -rank - 1 <= axis <= rank:
        raise InvalidArgumentError(
            None, "ExpandDims", f"Tried to expand dim index {axis} for tensor with {rank} "
            f"dimensions. [Op:ExpandDims] Use an axis in [{-rank - 1}, {rank}].")
    return execute(_EXPAND_DIMS, (x,), {"axis": axis % (rank + 1)})


def squeeze(input, axis=None, name=None) -> Tensor:  # noqa: A002
    """Removes dimensions of size 1: all of them, or those listed in ``axis``.

    Raises:
        InvalidArgumentError: an axis out of range or whose size is not 1.
    """
    x = to_tensor(input)
    dims = static_dims(x)
    rank = len(dims)
    if axis is None:
        if None in dims:
            # Which dimensions are 1 (so even the result's rank) depends on the sizes of
            # each call: only a graph specialised to the example's shape can know.
            dims = x._value.shape
        drop = tuple(i for i, d in enumerate(dims) if d == 1)
    else:
        drop = set()
        for a in int_list_arg(axis):
            if not -rank <= a < rank:
                raise InvalidArgumentError(
                    None, "Squeeze", f"Tried to squeeze dim index {a} for tensor with {rank} "
                    f"dimensions. [Op:Squeeze]")
            if dims[a] is not None and dims[a] != 1:
                raise _not_squeezable(a % rank, dims[a], dims)
            drop.add(a % rank)
        drop = tuple(sorted(drop))
    return execute(_SQUEEZE, (x,), {"axis": drop})


# -- Transpose --------------------------------------------------------------


def _transpose_infer(x: Spec, perm) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape([None] * len(perm)))
    dims = x.shape.as_list()
    return Spec(x.dtype, TensorShape([dims[p] for p in perm]))


def _transpose_grad(call, dy):
    """Transpose the gradient by the inverse permutation."""
    return (transpose(dy, np.argsort(call.attrs["perm"]).tolist()),)


_TRANSPOSE = register("Transpose", kernel=lambda x, perm: np.transpose(x, perm),
                      grad=_transpose_grad, infer=_transpose_infer)


def transpose(a, perm=None, conjugate=False, name="transpose") -> Tensor:
    """Permutes the dimensions of ``a`` by ``perm`` (default: reversed).

    >>> import tensorflux as tf
    >>> tf.transpose(tf.zeros([2, 3, 4])).shape
    TensorShape([4, 3, 2])

    Args:
        conjugate: also conjugate complex values (``tf.linalg.adjoint`` for matrices).

    Raises:
        InvalidArgumentError: ``perm`` that is not a permutation of ``range(rank)``.
    """
    x = to_tensor(a)
    rank = x._value.ndim
    perm = (list(builtins.range(rank))[::-1] if perm is None
            else int_list_arg(perm, "Transpose", "perm", attr="Tperm"))
    if len(perm) != rank:
        raise InvalidArgumentError(
            None, "Transpose", f"transpose expects a vector of size {rank}. But input(1) is a "
            f"vector of size {len(perm)} [Op:Transpose] (input shape {x.shape}, perm {perm}). "
            f"Give one entry per dimension.")
    for p in perm:
        if not -rank <= p < rank:
            raise InvalidArgumentError(None, "Transpose", f"{p} is out of range [0 .. {rank}) "
                                       f"[Op:Transpose] (perm {perm}).")
    # As TF: a negative entry counts from the end.
    perm = [p % rank for p in perm]
    for i in builtins.range(rank):
        if i not in perm:
            raise InvalidArgumentError(None, "Transpose", f"{i} is missing from "
                                       f"{{{','.join(map(str, perm))}}}. [Op:Transpose]")
    out = execute(_TRANSPOSE, (x,), {"perm": tuple(perm)})
    if conjugate and x._dtype.is_complex:
        from tensorflux.ops.unary_math_ops import conj

        out = conj(out)
    return out


# -- BroadcastTo ------------------------------------------------------------


def _broadcast_to_kernel(x, shape):
    try:
        return np.broadcast_to(x, shape.tolist())
    except ValueError:
        # A shape a traced graph computed (eager shapes were checked already).
        raise InvalidArgumentError(
            None, "BroadcastTo", f"Unable to broadcast tensor of shape {np.shape(x)} to shape "
            f"{tuple(shape.tolist())} [Op:BroadcastTo].") from None


def _broadcast_to_infer(x: Spec, shape: Spec) -> Spec:
    if shape.value is None:
        n = shape.shape.num_elements()
        return Spec(x.dtype, TensorShape(None if n is None else [None] * n))
    return Spec(x.dtype, TensorShape(list(shape.value)))


def _broadcast_to_grad(call, dy):
    """Sum the gradient over the broadcast axes; the shape gets none."""
    return unbroadcast(dy, call.inputs[0]), None


# TF's inputs: the tensor and the target shape (an int32 vector, so that a shape
# computed when a traced graph runs works too).
_BROADCAST_TO = register("BroadcastTo", kernel=_broadcast_to_kernel, grad=_broadcast_to_grad,
                         infer=_broadcast_to_infer, shape_inputs=(1,))


def broadcast_to(input, shape, name=None) -> Tensor:  # noqa: A002
    """Broadcasts ``input`` to ``shape`` by NumPy/TF broadcasting rules.

    Raises:
        InvalidArgumentError: shapes that do not broadcast.
    """
    x = to_tensor(input)
    if creation_ops.is_traced_shape(shape):
        return execute(_BROADCAST_TO, (x, creation_ops.traced_shape_arg(shape)[0]))
    shape = shape_arg(shape, "BroadcastTo", "shape", attr="Tidx",
                      floats=InvalidArgumentError, strings=InvalidArgumentError)
    if known_shape(x) is None:
        # Whether it broadcasts is known only when the graph runs; the kernel checks it then.
        return execute(_BROADCAST_TO, (x, shape_tensor(shape)))
    if x._value.shape == shape:
        return x
    try:
        np.broadcast_shapes(x._value.shape, shape)
    except ValueError:
        raise InvalidArgumentError(None, "BroadcastTo", f"Unable to broadcast tensor of shape "
                                   f"{x.shape} to shape {shape} [Op:BroadcastTo].") from None
    return execute(_BROADCAST_TO, (x, shape_tensor(shape)))


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
    """Split the gradient back into the pieces' sizes along the axis (sizes known only
    when the graph runs are read from it)."""
    from tensorflux.ops.slicing_ops import split

    axis = call.attrs["axis"]
    sizes = []
    for x in call.inputs:
        d = static_dims(x)[axis]
        sizes.append(d if d is not None else shape(x)[axis])
    return split(dy, sizes, axis=axis)


_CONCAT = register("ConcatV2", kernel=_concat_kernel, grad=_concat_grad, infer=_concat_infer,
                   same_dtype=True)


def concat(values, axis, name="concat") -> Tensor:
    """Joins tensors along an existing ``axis`` (``tf.concat``).

    Raises:
        InvalidArgumentError: ranks or non-axis dimensions that differ.
    """
    if isinstance(values, Tensor):
        return values  # TF: one tensor is a list of one
    values = [to_tensor(v) for v in values]
    if not values:
        raise InvalidArgumentError(None, "ConcatV2", "ConcatV2 expects at least one input, "
                                   "got an empty list [Op:ConcatV2]. Pass a non-empty list of "
                                   "tensors.")
    rank = values[0]._value.ndim
    axis = int_scalar_arg(axis, "ConcatV2", "axis")
    if not -rank <= axis < max(rank, 1):
        raise InvalidArgumentError(None, "ConcatV2", f"ConcatV2: axis {axis} is out of range "
                                   f"for tensors of rank {rank}.")
    axis %= max(rank, 1)
    s0 = static_dims(values[0])
    for i, v in enumerate(values):
        s = static_dims(v)
        # Dimensions known only when a traced graph runs are checked by the kernel then.
        if len(s) != rank or not _dims_agree(s[:axis] + s[axis + 1:], s0[:axis] + s0[axis + 1:]):
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
        # As TF, which converts the empty list itself: an empty float32 vector.
        return Tensor(np.zeros((0,), np.float32), dtypes.float32)
    s0 = static_dims(values[0])
    for i, v in enumerate(values):
        # Dimensions known only when a traced graph runs are checked by the kernel then.
        s = static_dims(v)
        if s != s0 and not _dims_agree(s, s0):
            raise InvalidArgumentError(
                None, "Pack", f"Shapes of all inputs must match: values[0].shape = "
                f"{values[0].shape} != values[{i}].shape = {v.shape} [Op:Pack]")
    rank = len(s0) + 1
    axis = int_scalar_arg(axis, "Pack", "axis")
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank}) (tf.stack "
                         f"of tensors of rank {rank - 1}). Pass an axis in that range.")
    return execute(_PACK, values, {"axis": axis % rank})


# -- Tile -------------------------------------------------------------------


def _tile_kernel(x, multiples):
    multiples = multiples.tolist()
    if multiples and min(multiples) < 0:
        # Multiples a traced graph computed are checked now; eager ones were already.
        _check_multiples(multiples)
    return np.tile(x, multiples)


def _tile_infer(x: Spec, multiples: Spec) -> Spec:
    ms = multiples.value
    if ms is None:
        n = x.shape.rank if x.shape.rank is not None else multiples.shape.num_elements()
        if n is None:
            return Spec(x.dtype, TensorShape(None))
        ms = [None] * n
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape([None] * len(ms)))
    dims = zip(x.shape.as_list(), ms, strict=True)
    return Spec(x.dtype, TensorShape([None if d is None or m is None else d * m
                                      for d, m in dims]))


def _tile_grad(call, dy):
    """Sum the gradient over the copies: view dy as [m0, d0, m1, d1, ...], reduce the m's;
    the multiples get none."""
    from tensorflux.ops.reduction_ops import reduce_sum

    x, multiples = call.inputs
    known = (shape_hint(multiples) if type(multiples) is SymbolicTensor
             else multiples._value.tolist())
    ms = [m if m is not None else multiples[i] for i, m in enumerate(known)]
    split_shape = [n for pair in zip(ms, dim_list(x), strict=True) for n in pair]
    axes = list(builtins.range(0, len(split_shape), 2))
    return reduce_sum(reshape(dy, split_shape), axis=axes), None


def _check_multiples(multiples) -> None:
    for i, m in enumerate(multiples):
        if m < 0:
            raise InvalidArgumentError(None, "Tile", f"Expected multiples[{i}] >= 0, but got "
                                       f"{m} [Op:Tile]")


# TF's inputs: the tensor and its multiples (an int32 vector, so that multiples computed
# when a traced graph runs work too).
_TILE = register("Tile", kernel=_tile_kernel, grad=_tile_grad, infer=_tile_infer,
                 shape_inputs=(1,))


def tile(input, multiples, name=None) -> Tensor:  # noqa: A002
    """Repeats ``input`` ``multiples[i]`` times along each dimension ``i`` (``tf.tile``).

    >>> import tensorflux as tf
    >>> tf.tile([[1, 2]], [2, 2]).numpy()
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]], dtype=int32)

    Raises:
        InvalidArgumentError: ``multiples`` whose length is not the rank, or negative.
    """
    x = to_tensor(input)
    traced = is_traced_shape(multiples)
    if traced:
        multiples_t, multiples = traced_shape_arg(multiples)
    else:
        if np.ndim(multiples) != 1:
            raise InvalidArgumentError(
                None, "Tile", f"Expected multiples to be 1-D, but got shape "
                f"{list(np.shape(multiples))} [Op:Tile]. Pass one multiple per dimension.")
        multiples = int_list_arg(multiples, "Tile", "multiples", attr="Tmultiples")
    if len(multiples) != x._value.ndim:
        raise InvalidArgumentError(
            None, "Tile", f"Expected multiples argument to be a vector of length "
            f"{x._value.ndim} but got length {len(multiples)} [Op:Tile] (input shape "
            f"{x.shape}). Give one multiple per dimension.")
    if not traced:
        _check_multiples(multiples)
        multiples_t = shape_tensor(multiples)
    return execute(_TILE, (x, multiples_t))


# -- PadV2 (and mirror padding) ---------------------------------------------


def _pad_kernel(x, constant_values, paddings):
    return np.pad(x, paddings, constant_values=constant_values)


def _pad_infer(x: Spec, c: Spec, paddings) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape([None] * len(paddings)))
    dims = zip(x.shape.as_list(), paddings, strict=True)
    return Spec(x.dtype, TensorShape([None if d is None else d + a + b for d, (a, b) in dims]))


def _pad_grad(call, dy):
    """The gradient is the slice of dy where the input sits (bounds counted from both
    ends, so that they hold for every size)."""
    from tensorflux.ops.slicing_ops import getitem

    key = tuple(builtins.slice(a, -b if b else None) for a, b in call.attrs["paddings"])
    return getitem(dy, key), None


_PAD = register("PadV2", kernel=_pad_kernel, grad=_pad_grad, infer=_pad_infer)


def _mirror_indices(n: int, before: int, after: int, symmetric: bool) -> np.ndarray:
    """For each padded position, the input position it copies (one reflection suffices)."""
    p = np.arange(-before, n + after)
    shift = 1 if symmetric else 0
    p = np.where(p < 0, -p - shift, p)
    return np.where(p >= n, 2 * n - 2 + shift - p, p).astype(np.int32)


def _traced_mirror_indices(x: Tensor, axis: int, before: int, after: int,
                           symmetric: bool) -> Tensor:
    """``_mirror_indices`` computed by the graph, for a dimension known only when it runs."""
    from tensorflux.ops.logic_ops import greater_equal, less

    n = shape(x)[axis]
    p = range(-before, n + after)
    shift = 1 if symmetric else 0
    p = where(less(p, 0), -p - shift, p)
    return where(greater_equal(p, n), 2 * n - 2 + shift - p, p)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None) -> Tensor:
    """Pads ``tensor`` with ``paddings[i] = [before, after]`` entries along dimension ``i``.

    Mode "CONSTANT" fills with ``constant_values``; "REFLECT" mirrors without repeating
    the edge and "SYMMETRIC" with it (both are gathers, so their gradients sum copies).

    >>> import tensorflux as tf
    >>> tf.pad([[1, 2, 3]], [[0, 0], [2, 2]], mode="REFLECT").numpy()
    array([[3, 2, 1, 2, 3, 2, 1]], dtype=int32)

    Raises:
        InvalidArgumentError: ``paddings`` not of shape ``[rank, 2]``, negative, or (mirror
            modes) too large for the dimension.
        ValueError: an unknown ``mode``.
    """
    x = to_tensor(tensor)
    rank = x._value.ndim
    op_name = "Pad" if str(mode).upper() == "CONSTANT" else "MirrorPad"
    pads = int_values(paddings, op_name, "paddings", attr="Tpaddings",
                      floats=InvalidArgumentError, strings=InvalidArgumentError)
    if pads.ndim != 2 or pads.shape != (rank, 2):
        raise InvalidArgumentError(
            None, op_name, f"The first dimension of paddings must be the rank of inputs"
            f"{list(pads.shape)} {list(x._value.shape)} [Op:{op_name}]. paddings must have "
            f"shape [{rank}, 2]: one [before, after] pair per dimension.")
    pads = tuple((int(a), int(b)) for a, b in pads)
    for a, b in pads:
        if a < 0 or b < 0:
            raise InvalidArgumentError(None, op_name, f"Paddings must be non-negative: {a} {b} "
                                       f"[Op:{op_name}]")
    mode = str(mode).upper()
    if mode == "CONSTANT":
        c = to_tensor(constant_values, x._dtype)
        return execute(_PAD, (x, c), {"paddings": pads})
    if mode not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(f'Value of argument `mode` expected to be one of "CONSTANT", '
                         f'"REFLECT", or "SYMMETRIC". Received `mode` = {mode}')
    symmetric = mode == "SYMMETRIC"
    for axis, ((a, b), n) in enumerate(zip(pads, static_dims(x), strict=True)):
        if not (a or b):
            continue
        if n is None:
            # The size is known only when the graph runs: so are the mirrored positions
            # (out-of-range paddings then fail in the gather).
            x = dense_grad_gather(x, _traced_mirror_indices(x, axis, a, b, symmetric), axis)
            continue
        if symmetric and (a > n or b > n):
            raise InvalidArgumentError(
                None, "MirrorPad", f"paddings must be no greater than the dimension size: {a}, "
                f"{b} greater than {n} [Op:MirrorPad] (dimension {axis} of shape {x.shape}).")
        if not symmetric and (a >= n or b >= n):
            raise InvalidArgumentError(
                None, "MirrorPad", f"paddings must be less than the dimension size: {a}, {b} "
                f"not less than {n} [Op:MirrorPad] (dimension {axis} of shape {x.shape}).")
        x = dense_grad_gather(x, _mirror_indices(n, a, b, symmetric), axis)
    return x


# -- ReverseV2 --------------------------------------------------------------


def _reverse_grad(call, dy):
    """Reverse the gradient along the same axes."""
    return (execute(_REVERSE, (dy,), call.attrs),)


_REVERSE = register("ReverseV2", kernel=lambda x, axis: np.flip(x, axis), grad=_reverse_grad,
                    infer=same_as_input)


def reverse(tensor, axis, name=None) -> Tensor:
    """Reverses ``tensor`` along each dimension listed in ``axis`` (``tf.reverse``).

    Raises:
        InvalidArgumentError: ``axis`` that is not a list, out of range, or repeated.
    """
    x = to_tensor(tensor)
    rank = x._value.ndim
    axis = np.asarray(convert_to_tensor(axis).numpy())
    if axis.ndim != 1:
        raise InvalidArgumentError(None, "ReverseV2", f"'dims' must be 1-dimension, not "
                                   f"{axis.ndim} [Op:ReverseV2]. Pass a list of axes, e.g. [1].")
    axes = []
    for a in int_list_arg(axis):
        if not -rank <= a < rank:
            raise InvalidArgumentError(None, "ReverseV2", f"'axis'[{len(axes)}] = {a} is out of "
                                       f"valid range [{-rank}, {rank - 1}] [Op:ReverseV2]")
        if a % rank in axes:
            raise InvalidArgumentError(None, "ReverseV2", f"axis {a % rank} specified more than "
                                       f"once. [Op:ReverseV2]")
        axes.append(a % rank)
    return execute(_REVERSE, (x,), {"axis": tuple(axes)})


# -- Shape, Size, Rank ------------------------------------------------------

_SHAPE = register(
    "Shape", kernel=lambda x, out_type: np.array(x.shape, dtype=out_type.as_numpy_dtype),
    grad=None, infer=lambda x, out_type: Spec(out_type, TensorShape([x.shape.rank])),
    shape_only=True)
_SIZE = register(
    "Size", kernel=lambda x, out_type: np.array(x.size, dtype=out_type.as_numpy_dtype),
    grad=None, infer=lambda x, out_type: Spec(out_type, TensorShape([])), shape_only=True)
_RANK = register("Rank", kernel=lambda x: np.array(x.ndim, dtype=np.int32), grad=None,
                 infer=lambda x: Spec(dtypes.int32, TensorShape([])), shape_only=True)


def _index_type(out_type, op_name: str) -> dtypes.DType:
    out_type = dtypes.as_dtype(out_type)
    if out_type not in (dtypes.int32, dtypes.int64) and not (
            op_name == "Size" and out_type.is_floating):
        raise InvalidArgumentError(None, op_name, f"Value for attr 'out_type' of "
                                   f"{out_type.name} is not in the list of allowed values: "
                                   f"int32, int64 [Op:{op_name}]. Use tf.int32 or tf.int64.")
    return out_type


def shape(input, out_type=dtypes.int32, name=None) -> Tensor:  # noqa: A002
    """The shape of ``input`` as a 1-D int32 (or ``out_type``) tensor (``tf.shape``)."""
    x = to_tensor(input)
    out = execute(_SHAPE, (x,), {"out_type": _index_type(out_type, "Shape")})
    if type(out) is SymbolicTensor:
        # Lets ops that take it as a shape know its static part, as TF's shape inference does.
        out._graph.shape_values[out._slot] = x.shape.as_list()
    return out


def size(input, out_type=dtypes.int32, name=None) -> Tensor:  # noqa: A002
    """The number of elements of ``input`` as a scalar tensor (``tf.size``)."""
    return execute(_SIZE, (to_tensor(input),), {"out_type": _index_type(out_type, "Size")})


def rank(input, name=None) -> Tensor:  # noqa: A002
    """The number of dimensions of ``input`` as a scalar int32 tensor (``tf.rank``)."""
    return execute(_RANK, (to_tensor(input),))


# -- GatherV2 ---------------------------------------------------------------


def _check_indices(op_name: str, indices: np.ndarray, n: int) -> None:
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InvalidArgumentError(
            None, op_name, f"indices[{','.join(map(str, pos))}] = {indices[pos]} is not in "
            f"[0, {n}). Indices must be in range for dimension of size {n}")


def _gather_kernel(params, indices, axis, batch_dims):
    _check_indices("GatherV2", indices, params.shape[axis])
    if batch_dims == 0:
        return np.take(params, indices, axis=axis)
    b = batch_dims
    out_shape = params.shape[:axis] + indices.shape[b:] + params.shape[axis + 1:]
    out = np.empty(out_shape, dtype=params.dtype)
    flat_out = out.reshape((-1,) + out_shape[b:])
    flat_params = params.reshape((-1,) + params.shape[b:])
    flat_indices = indices.reshape((-1,) + indices.shape[b:])
    for k in builtins.range(flat_out.shape[0]):
        flat_out[k] = np.take(flat_params[k], flat_indices[k], axis=axis - b)
    return out


def _gather_infer(params: Spec, indices: Spec, axis, batch_dims) -> Spec:
    if params.shape.rank is None or indices.shape.rank is None:
        return Spec(params.dtype, TensorShape(None))
    p, i = params.shape.as_list(), indices.shape.as_list()
    return Spec(params.dtype, TensorShape(p[:axis] + i[batch_dims:] + p[axis + 1:]))


def _gather_grad(call, dy):
    """Rows of dy go back to the rows they came from: an IndexedSlices for axis 0 and no
    batch dims, else a dense unsorted_segment_sum over (batch, index) pairs."""
    from tensorflux.ops.math_ops import add
    from tensorflux.ops.segment_ops import unsorted_segment_sum

    params, indices = call.inputs
    axis, b = call.attrs["axis"], call.attrs["batch_dims"]
    p_shape = known_shape(params)
    if p_shape is None:
        return _traced_gather_grad(params, indices, dy, axis, b), None
    if axis == 0 and b == 0:
        dense_shape = Tensor(np.array(p_shape, dtype=np.int32), dtypes.int32)
        return IndexedSlices(reshape(dy, (-1,) + p_shape[1:]), reshape(indices, [-1]),
                             dense_shape), None
    # dy is B + O + J + R (batch, outer, index, inner dims); segment-sum over B + J rows.
    n_b, n_o, n_j = b, axis - b, indices._value.ndim - b
    batch, outer, inner = p_shape[:b], p_shape[b:axis], p_shape[axis + 1:]
    n = p_shape[axis]
    perm = [*builtins.range(n_b), *builtins.range(axis, axis + n_j), *builtins.range(b, axis),
            *builtins.range(axis + n_j, dy._value.ndim)]
    rows = reshape(transpose(dy, perm), (-1,) + outer + inner)
    n_batch = int(np.prod(batch, dtype=np.int64))
    offsets = reshape(range(0, n_batch * n, n, dtype=indices._dtype), batch + (1,) * n_j)
    ids = reshape(add(indices, offsets) if b else indices, [-1])
    summed = reshape(unsorted_segment_sum(rows, ids, n_batch * n), batch + (n,) + outer + inner)
    back = [*builtins.range(n_b), *builtins.range(b + 1, b + 1 + n_o), b,
            *builtins.range(b + 1 + n_o, len(p_shape))]
    return transpose(summed, back), None


def _traced_gather_grad(params, indices, dy, axis: int, b: int) -> Tensor:
    """``_gather_grad`` for params whose shape is known only when the graph runs: the
    same rows, scattered into a dense gradient of a shape the graph computes (TF gives
    IndexedSlices for axis 0, which densify only with a static row count)."""
    from tensorflux.ops.slicing_ops import scatter_nd

    dims = dim_list(params)
    n_j = indices._value.ndim - b
    batch, outer, inner, n = dims[:b], dims[b:axis], dims[axis + 1:], dims[axis]
    perm = [*builtins.range(b), *builtins.range(axis, axis + n_j), *builtins.range(b, axis),
            *builtins.range(axis + n_j, dy._value.ndim)]
    rows = reshape(transpose(dy, perm), [-1, *outer, *inner])
    n_rows = n
    for d in batch:
        n_rows = d * n_rows
    ids = indices
    if b:
        offsets = range(0, n_rows, n, dtype=indices._dtype)
        ids = indices + reshape(offsets, [*batch] + [1] * n_j)
    summed = scatter_nd(reshape(ids, [-1, 1]), rows, [n_rows, *outer, *inner])
    summed = reshape(summed, [*batch, n, *outer, *inner])
    back = [*builtins.range(b), *builtins.range(b + 1, axis + 1), b,
            *builtins.range(axis + 1, len(dims))]
    return transpose(summed, back)


_GATHER = register("GatherV2", kernel=_gather_kernel, grad=_gather_grad, infer=_gather_infer)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0,
           name=None) -> Tensor:
    """Picks slices of ``params`` along ``axis`` at ``indices`` (``tf.gather``).

    The output shape is ``params.shape[:axis] + indices.shape[batch_dims:] +
    params.shape[axis + 1:]``. Its gradient w.r.t. ``params`` is a ``tf.IndexedSlices``
    when ``axis`` and ``batch_dims`` are 0.

    >>> import tensorflux as tf
    >>> tf.gather([10, 20, 30], [2, 0]).numpy()
    array([30, 10], dtype=int32)

    Raises:
        InvalidArgumentError: non-integer indices, indices outside ``[0, dim)``, or an axis
            or ``batch_dims`` out of range.
    """
    p, i = to_tensor(params), to_tensor(indices)
    if i._dtype not in _INDEX_DTYPES:
        raise InvalidArgumentError(
            None, "GatherV2", f"Value for attr 'Tindices' of {i._dtype.name} is not in the list "
            f"of allowed values: int16, int32, int64 [Op:GatherV2]. Cast the indices, e.g. "
            f"tf.cast(indices, tf.int32).")
    p_rank, i_rank = p._value.ndim, i._value.ndim
    b = int_scalar_arg(batch_dims, "GatherV2", "batch_dims")
    b = b + i_rank if b < 0 else b
    axis = b if axis is None else int_scalar_arg(axis, "GatherV2", "axis")
    if not -p_rank <= axis < p_rank:
        raise InvalidArgumentError(
            None, "GatherV2", f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} "
            f"but is rank {p_rank} [Op:GatherV2]: axis {axis} is out of range for params of "
            f"shape {p.shape}.")
    axis %= p_rank
    if not 0 <= b <= min(axis, i_rank) or (
            b and not _dims_agree(static_dims(p)[:b], static_dims(i)[:b])):
        raise InvalidArgumentError(
            None, "GatherV2", f"batch_dims={batch_dims} must be in [0, min(axis={axis}, "
            f"indices rank={i_rank})] and params {p.shape} and indices {i.shape} must agree on "
            f"the batch dimensions [Op:GatherV2].")
    return execute(_GATHER, (p, i), {"axis": axis, "batch_dims": b})


def dense_grad_gather(x: Tensor, indices, axis: int) -> Tensor:
    """A gather for ops that TF does not define as gathers (mirror pads, repeat): their
    input gradient is dense, so axis-0 gathers read ``x`` through an identity."""
    return gather(identity(x) if axis == 0 else x, indices, axis=axis)


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


# -- Where (coordinates) and SelectV2 ---------------------------------------


_WHERE = register("Where", dynamic_shape=True,
                  kernel=lambda c: np.argwhere(c).astype(np.int64), grad=None,
                  infer=lambda c: Spec(dtypes.int64, TensorShape([None, c.shape.rank])))


def _select_infer(cond: Spec, x: Spec, y: Spec) -> Spec:
    return Spec(x.dtype, broadcast_shape(cond.shape, broadcast_shape(x.shape, y.shape)))


def _select_grad(call, dy):
    """The gradient flows to x where cond holds and to y elsewhere."""
    cond, x, y = call.inputs
    zero = zeros_like(dy)
    return (None, unbroadcast(where(cond, dy, zero), x, y),
            unbroadcast(where(cond, zero, dy), y, x))


_SELECT = register("SelectV2", kernel=np.where, grad=_select_grad, infer=_select_infer)


def _is_tensor_like(v) -> bool:
    return isinstance(v, Tensor) or hasattr(v, "_as_tensor")


def where(condition, x=None, y=None, name=None) -> Tensor:
    """``x`` where ``condition`` holds, else ``y`` (broadcasting); with one argument, the
    coordinates of the true (non-zero) entries as an int64 ``[n, rank]`` tensor.

    >>> import tensorflux as tf
    >>> tf.where([True, False], [1, 2], [10, 20]).numpy()
    array([ 1, 20], dtype=int32)

    Raises:
        ValueError: only one of ``x`` and ``y`` given, or a non-bool tensor condition.
        InvalidArgumentError: ``x`` and ``y`` of different dtypes, or shapes that do not
            broadcast.
    """
    if x is None and y is None:
        c = to_tensor(condition)
        if c._dtype is dtypes.string:
            raise InvalidArgumentError(None, "Where", "Value for attr 'T' of string is not in "
                                       "the list of allowed values: numeric types and bool "
                                       "[Op:Where]. tf.where(condition) needs a bool or "
                                       "numeric condition.")
        return execute(_WHERE, (c,))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    cond = convert_to_tensor(condition, dtypes.bool)
    if _is_tensor_like(x) or not _is_tensor_like(y):
        x = to_tensor(x)
        y = to_tensor(y) if _is_tensor_like(y) else registry._convert_like(y, x._dtype)
    else:
        y = to_tensor(y)
        x = registry._convert_like(x, y._dtype)
    if x._dtype is not y._dtype:
        raise registry._dtype_mismatch(_SELECT, 2, x._dtype, y._dtype)
    broadcast_shape(cond.shape, broadcast_shape(x.shape, y.shape, "SelectV2"), "SelectV2")
    return execute(_SELECT, (cond, x, y))
