"""Ops that join, repeat, pad or reverse tensors: concat, stack, tile, pad, reverse
(``tf.*``; ``array_ops`` re-exports them).

Mirror padding composes gathers, so its gradient comes for free.
"""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.ops.common import (
    dim_list,
    same_as_input,
    shape_hint,
    shape_tensor,
    static_dims,
    to_matching_tensors,
    to_tensor,
)
from tensorflux.ops.creation_ops import (
    int_list_arg,
    int_scalar_arg,
    int_values,
    is_traced_shape,
    range,  # noqa: A004 - tf.range here; Python's is builtins.range
    traced_shape_arg,
)
from tensorflux.ops.gather_ops import dense_grad_gather, where
from tensorflux.ops.shape_ops import _dims_agree, reshape, shape

__all__ = ["concat", "stack", "tile", "pad", "reverse"]

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
    from tensorflux.ops.split_ops import split

    axis = call.attrs["axis"]
    sizes = []
    for x in call.inputs:
        d = static_dims(x)[axis]
        sizes.append(d if d is not None else shape(x)[axis])
    return split(dy, sizes, axis=axis)


_CONCAT = register(
    "ConcatV2", kernel=_concat_kernel, grad=_concat_grad, infer=_concat_infer, same_dtype=True
)


def concat(values, axis, name="concat") -> Tensor:
    """Joins tensors along an existing ``axis`` (``tf.concat``).

    Raises:
        InvalidArgumentError: ranks or non-axis dimensions that differ.
    """
    if isinstance(values, Tensor):
        return values  # TF: one tensor is a list of one
    values = to_matching_tensors(list(values))
    if not values:
        raise InvalidArgumentError(
            None,
            "ConcatV2",
            "ConcatV2 expects at least one input, "
            "got an empty list [Op:ConcatV2]. Pass a non-empty list of "
            "tensors.",
        )
    axis = _concat_axis(axis)
    if len(values) == 1:
        return values[0]  # TF returns a lone input unchecked
    rank = values[0]._value.ndim
    if rank == 0:
        raise _concat_error("Can't concatenate scalars (use tf.stack instead)")
    if not -rank <= axis < rank:
        raise _concat_error(
            f"Expected concatenating dimensions in the range [{-rank}, {rank}), but got {axis}"
        )
    axis %= rank
    s0 = static_dims(values[0])
    for i, v in enumerate(values):
        s = static_dims(v)
        if len(s) != rank:
            raise _concat_error(
                f"Ranks of all input tensors should match: shape[0] = {_dims_text(s0)} vs. "
                f"shape[{i}] = {_dims_text(s)}"
            )
        # Dimensions known only when a traced graph runs are checked by the kernel then.
        for d, (a, b) in enumerate(zip(s0, s)):
            if d != axis and not _dims_agree([a], [b]):
                raise _concat_error(
                    f"Dimension {d} in both shapes must be equal: shape[0] = {_dims_text(s0)} "
                    f"vs. shape[{i}] = {_dims_text(s)}"
                )
    return execute(_CONCAT, values, {"axis": axis})


def _concat_axis(axis) -> int:
    """ConcatV2's axis: a scalar, or (as TF's kernel takes it) a one-element vector."""
    values = int_values(axis, "ConcatV2", "axis", attr="Tidx", strings=InvalidArgumentError)
    if values.ndim > 1 or values.size != 1:
        shape = ",".join(str(d) for d in values.shape)
        raise InvalidArgumentError(
            None,
            "ConcatV2",
            f"axis tensor should be a scalar integer, but got shape [{shape}] [Op:ConcatV2]",
        )
    return int(values.reshape(()))


def _dims_text(dims) -> str:
    """A shape as TF's kernel messages write it: ``[4,2]``, ``?`` where unknown."""
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _concat_error(text: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, "ConcatV2", f"ConcatOp : {text} [Op:ConcatV2]")


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
    from tensorflux.ops.split_ops import unstack

    return unstack(dy, num=len(call.inputs), axis=call.attrs["axis"])


_PACK = register("Pack", kernel=_pack_kernel, grad=_pack_grad, infer=_pack_infer, same_dtype=True)


def stack(values, axis=0, name="stack") -> Tensor:
    """Stacks same-shaped tensors along a new ``axis`` (``tf.stack``).

    Raises:
        InvalidArgumentError: inputs of different shapes.
    """
    values = list(values)
    if not values:
        # As TF, which converts the empty list itself: an empty float32 vector.
        return Tensor(np.zeros((0,), np.float32), dtypes.float32)
    if (
        isinstance(axis, int)
        and axis == 0
        and not builtins.any(isinstance(v, Tensor) for v in values)
    ):
        # As TF: a list of Python values is first tried as one constant ([[1], [2.]]
        # is float32), and only when that fails converted value by value.
        try:
            return convert_to_tensor(values)
        except (TypeError, ValueError):
            pass
    # As TF, the axis is checked against the first value before the others are converted.
    rank = len(static_dims(to_tensor(values[0]))) + 1
    axis = int_scalar_arg(axis, "Pack", "axis")
    if not -rank <= axis < rank:
        raise ValueError(
            f"Argument `axis` = {axis} not in range [{-rank}, {rank}) (tf.stack "
            f"of tensors of rank {rank - 1}). Pass an axis in that range."
        )
    values = to_matching_tensors(values)
    s0 = static_dims(values[0])
    for i, v in enumerate(values):
        # Dimensions known only when a traced graph runs are checked by the kernel then.
        s = static_dims(v)
        if s != s0 and not _dims_agree(s, s0):
            raise InvalidArgumentError(
                None,
                "Pack",
                f"Shapes of all inputs must match: values[0].shape = "
                f"{_dims_text(s0)} != values[{i}].shape = {_dims_text(s)} [Op:Pack]",
            )
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
    return Spec(x.dtype, TensorShape([None if d is None or m is None else d * m for d, m in dims]))


def _tile_grad(call, dy):
    """Sum the gradient over the copies: view dy as [m0, d0, m1, d1, ...], reduce the m's;
    the multiples get none."""
    from tensorflux.ops.reduction_ops import reduce_sum

    x, multiples = call.inputs
    known = (
        shape_hint(multiples) if type(multiples) is SymbolicTensor else multiples._value.tolist()
    )
    ms = [m if m is not None else multiples[i] for i, m in enumerate(known)]
    split_shape = [n for pair in zip(ms, dim_list(x), strict=True) for n in pair]
    axes = list(builtins.range(0, len(split_shape), 2))
    return reduce_sum(reshape(dy, split_shape), axis=axes), None


def _check_multiples(multiples) -> None:
    for i, m in enumerate(multiples):
        if m < 0:
            raise InvalidArgumentError(
                None, "Tile", f"Expected multiples[{i}] >= 0, but got {m} [Op:Tile]"
            )


# TF's inputs: the tensor and its multiples (an int32 vector, so that multiples computed
# when a traced graph runs work too).
_TILE = register("Tile", kernel=_tile_kernel, grad=_tile_grad, infer=_tile_infer, shape_inputs=(1,))


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
                None,
                "Tile",
                f"Expected multiples to be 1-D, but got shape "
                f"{_dims_text(np.shape(multiples))} [Op:Tile]. Pass one multiple per dimension.",
            )
        multiples = int_list_arg(multiples, "Tile", "multiples", attr="Tmultiples")
    if len(multiples) != x._value.ndim:
        raise InvalidArgumentError(
            None,
            "Tile",
            f"Expected multiples argument to be a vector of length "
            f"{x._value.ndim} but got length {len(multiples)} [Op:Tile] (input shape "
            f"{x.shape}). Give one multiple per dimension.",
        )
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
    from tensorflux.ops.strided_slice_ops import getitem

    key = tuple(builtins.slice(a, -b if b else None) for a, b in call.attrs["paddings"])
    return getitem(dy, key), None


_PAD = register("PadV2", kernel=_pad_kernel, grad=_pad_grad, infer=_pad_infer)


def _mirror_indices(n: int, before: int, after: int, symmetric: bool) -> np.ndarray:
    """For each padded position, the input position it copies (one reflection suffices)."""
    p = np.arange(-before, n + after)
    shift = 1 if symmetric else 0
    p = np.where(p < 0, -p - shift, p)
    return np.where(p >= n, 2 * n - 2 + shift - p, p).astype(np.int32)


def _traced_mirror_indices(
    x: Tensor, axis: int, before: int, after: int, symmetric: bool
) -> Tensor:
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
    pads = int_values(
        paddings,
        op_name,
        "paddings",
        attr="Tpaddings",
        floats=InvalidArgumentError,
        strings=InvalidArgumentError,
    )
    if pads.ndim != 2 or pads.shape != (rank, 2):
        raise InvalidArgumentError(
            None,
            op_name,
            f"The first dimension of paddings must be the rank of inputs"
            f"{list(pads.shape)} {list(x._value.shape)} [Op:{op_name}]. paddings must have "
            f"shape [{rank}, 2]: one [before, after] pair per dimension.",
        )
    pads = tuple((int(a), int(b)) for a, b in pads)
    for a, b in pads:
        if a < 0 or b < 0:
            raise InvalidArgumentError(
                None, op_name, f"Paddings must be non-negative: {a} {b} [Op:{op_name}]"
            )
    mode = str(mode).upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, Tensor) and _is_zero_scalar(constant_values):
            # As TF: the default 0 means the dtype's zero (False, b"" for bool and strings).
            c = Tensor(np.zeros((), x._value.dtype), x._dtype)
            if x._dtype is dtypes.string:
                c = Tensor(np.array(b"", dtype=object), x._dtype)
        else:
            c = to_tensor(constant_values, x._dtype)
        return execute(_PAD, (x, c), {"paddings": pads})
    if mode not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(
            f'Value of argument `mode` expected to be one of "CONSTANT", '
            f'"REFLECT", or "SYMMETRIC". Received `mode` = {mode}'
        )
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
                None,
                "MirrorPad",
                f"paddings must be no greater than the dimension size: {a}, "
                f"{b} greater than {n} [Op:MirrorPad] (dimension {axis} of shape {x.shape}).",
            )
        if not symmetric and (a >= n or b >= n):
            raise InvalidArgumentError(
                None,
                "MirrorPad",
                f"paddings must be less than the dimension size: {a}, {b} "
                f"not less than {n} [Op:MirrorPad] (dimension {axis} of shape {x.shape}).",
            )
        x = dense_grad_gather(x, _mirror_indices(n, a, b, symmetric), axis)
    return x


# -- ReverseV2 --------------------------------------------------------------


def _reverse_grad(call, dy):
    """Reverse the gradient along the same axes."""
    return (execute(_REVERSE, (dy,), call.attrs),)


_REVERSE = register(
    "ReverseV2", kernel=lambda x, axis: np.flip(x, axis), grad=_reverse_grad, infer=same_as_input
)


def _is_zero_scalar(value) -> bool:
    try:
        return np.ndim(value) == 0 and bool(value == 0)
    except (TypeError, ValueError):
        return False


def reverse(tensor, axis, name=None) -> Tensor:
    """Reverses ``tensor`` along each dimension listed in ``axis`` (``tf.reverse``).

    Raises:
        InvalidArgumentError: ``axis`` that is not a list, out of range, or repeated.
    """
    x = to_tensor(tensor)
    rank = x._value.ndim
    axis = np.asarray(convert_to_tensor(axis, dtype_hint=dtypes.int32).numpy())
    if axis.ndim != 1:
        raise InvalidArgumentError(
            None,
            "ReverseV2",
            f"'dims' must be 1-dimension, not "
            f"{axis.ndim} [Op:ReverseV2]. Pass a list of axes, e.g. [1].",
        )
    axes = []
    for a in int_list_arg(axis, "ReverseV2", "axis", attr="Tidx"):
        if not -rank <= a < rank:
            # TF's words, unclosed bracket included.
            raise InvalidArgumentError(
                None,
                "ReverseV2",
                f"'axis'[{len(axes)}] = {a} is out of valid range [0, {rank - 1} [Op:ReverseV2]",
            )
        if a % rank in axes:
            raise InvalidArgumentError(
                None, "ReverseV2", f"axis {a % rank} specified more than once. [Op:ReverseV2]"
            )
        axes.append(a % rank)
    return execute(_REVERSE, (x,), {"axis": tuple(axes)})
