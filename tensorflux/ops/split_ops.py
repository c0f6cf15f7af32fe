"""Splitting: ``tf.split`` (SplitV, Split) and ``tf.unstack`` (Unpack) (``slicing_ops``
re-exports them).
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
    shape_tensor,
    static_dims,
    to_tensor,
)
from tensorflux.ops.creation_ops import (
    int_scalar_arg,
    is_traced_shape,
    traced_shape_arg,
)
from tensorflux.ops.joining_ops import concat, stack

__all__ = ["split", "unstack"]

# -- SplitV, Unpack ---------------------------------------------------------


def _split_sizes(splits: np.ndarray, n: int, axis: int) -> list:
    """The size of each piece when a dimension of size ``n`` is split ``splits`` ways (a
    scalar) or into pieces of sizes ``splits`` (one may be -1: the rest).

    Raises:
        InvalidArgumentError: a count that does not divide ``n``, or sizes that do not
            add up to it.
    """
    if splits.ndim == 0:
        k = int(splits)
        if k <= 0:
            raise InvalidArgumentError(
                None,
                "Split",
                f"Value for attr 'num_split' of {k} must be at least minimum 1 [Op:Split]",
            )
        if n % k:
            raise InvalidArgumentError(
                None,
                "Split",
                f"Number of ways to split should evenly divide the split "
                f"dimension, but got split_dim {axis} (size = {n}) and num_split {k} [Op:Split]."
                f" Pass a list of sizes to split unevenly.",
            )
        return [n // k] * k
    sizes = [int(s) for s in splits]
    if len(sizes) == 1 and sizes[0] != n:
        raise InvalidArgumentError(
            None,
            "SplitV",
            f"If there is only one output, it must have the same size as the input. Input "
            f"size: {n} output size: {sizes[0]} [Op:SplitV]",
        )
    if sizes.count(-1) > 1:
        raise InvalidArgumentError(
            None, "SplitV", "There can only be one -1 in the input. [Op:SplitV]"
        )
    known = sum(s for s in sizes if s != -1)
    if -1 in sizes and known <= n:
        sizes[sizes.index(-1)] = n - known
    elif known != n or any(s < 0 for s in sizes):
        raise InvalidArgumentError(
            None,
            "SplitV",
            f"Determined shape must either match input shape along "
            f"split_dim exactly if fully specified, or be less than the size of the input "
            f"along split_dim if not fully specified.  Got: {known} [Op:SplitV] (sizes "
            f"{sizes} for dimension {axis} of size {n}).",
        )
    return sizes


def _split_kernel(x, size_splits, axis, num_split):
    axis = int(axis)
    if not -x.ndim <= axis < x.ndim:
        # An axis a traced graph computed (eager ones were checked already).
        raise InvalidArgumentError(
            None, "SplitV", f"-{x.ndim} <= split_dim < {x.ndim} but got {axis} [Op:SplitV]"
        )
    axis %= x.ndim
    sizes = _split_sizes(np.asarray(size_splits).reshape(-1), x.shape[axis], axis)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def _split_infer(x: Spec, size_splits: Spec, axis: Spec, num_split):
    sizes = size_splits.value if isinstance(size_splits.value, list) else [None] * num_split
    if x.shape.rank is None:
        return tuple(Spec(x.dtype, TensorShape(None)) for _ in sizes)
    dims = x.shape.as_list()
    if not isinstance(axis.value, int):
        return tuple(Spec(x.dtype, TensorShape([None] * len(dims))) for _ in sizes)
    axis = axis.value % len(dims)
    if sizes.count(-1) == 1 and None not in sizes and dims[axis] is not None:
        # The one size of -1 takes what the others leave.
        sizes = [dims[axis] - sum(s for s in sizes if s != -1) if s == -1 else s for s in sizes]
    return tuple(
        Spec(x.dtype, TensorShape(dims[:axis] + [None if s == -1 else s] + dims[axis + 1 :]))
        for s in sizes
    )


def _split_grad(call, *dys):
    """The pieces' gradients concatenated back along the axis; sizes and axis get none."""
    axis = int(call.inputs[2]._value) % call.inputs[0]._value.ndim
    return concat(list(dys), axis), None, None


# TF's inputs: the tensor, the sizes (one may be -1: the rest) and the axis, so sizes
# computed when a traced graph runs are the same op; as many outputs as ``num_split``
# (num_outputs=-1: variable).
_SPLIT = register(
    "SplitV",
    kernel=_split_kernel,
    grad=_split_grad,
    infer=_split_infer,
    num_outputs=-1,
    shape_inputs=(1, 2),
)


def _split_evenly_kernel(x, num_split, axis):
    sizes = _split_sizes(np.asarray(num_split), x.shape[axis], axis)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def _split_evenly_infer(x: Spec, num_split, axis):
    if x.shape.rank is None:
        return tuple(Spec(x.dtype, TensorShape(None)) for _ in builtins.range(num_split))
    dims = x.shape.as_list()
    d = dims[axis]
    piece = TensorShape(dims[:axis] + [None if d is None else d // num_split] + dims[axis + 1 :])
    return tuple(Spec(x.dtype, piece) for _ in builtins.range(num_split))


# tf.split into ``num_split`` equal pieces of a dimension known only when a traced graph
# runs (elsewhere a SplitV).
def _split_evenly_grad(call, *dys):
    """The pieces' gradients concatenated back along the axis."""
    return (concat(list(dys), call.attrs["axis"]),)


_SPLIT_EVENLY = register(
    "Split",
    kernel=_split_evenly_kernel,
    grad=_split_evenly_grad,
    infer=_split_evenly_infer,
    num_outputs=-1,
)


def split(value, num_or_size_splits, axis=0, num=None, name="split") -> list:
    """Splits ``value`` along ``axis`` into equal parts, or parts of the given sizes (one
    size may be -1: the rest).

    >>> import tensorflux as tf
    >>> [t.shape[0] for t in tf.split(tf.zeros([6, 2]), [1, -1, 2])]
    [1, 3, 2]

    Raises:
        InvalidArgumentError: a count that does not divide the dimension, or sizes that do
            not add up to it.
    """
    x = to_tensor(value)
    rank = x._value.ndim
    axis = int_scalar_arg(axis, "Split", "axis")
    if not -rank <= axis < rank:
        raise InvalidArgumentError(
            None, "Split", f"-{rank} <= split_dim < {rank} but got {axis} [Op:Split]"
        )
    axis %= rank
    splits = num_or_size_splits
    if is_traced_shape(splits) and not (type(splits) is SymbolicTensor and splits._value.ndim != 1):
        # Sizes known only when the graph runs (a count must be known when tracing).
        sizes = traced_shape_arg(splits)[0]
        return _split_v(x, sizes, axis, len(sizes._value))
    n = static_dims(x)[axis]
    if isinstance(splits, float):
        raise ValueError(
            f"Rank-0 tensors are not supported as the num_or_size_splits "
            f"argument to split. Argument provided: {splits}. Pass an int count "
            f"or a list of sizes."
        )
    splits = np.asarray(convert_to_tensor(splits).numpy())
    if num is not None and splits.ndim == 1 and int(num) != splits.size:
        raise InvalidArgumentError(
            None,
            "SplitV",
            f"size of the split_tensor must be 1-D and have the same elements as outputs got "
            f"{splits.ndim} -D and {splits.size} elements [Op:SplitV]",
        )
    if n is None:
        # The kernel checks the pieces against the size when the graph runs.
        if splits.ndim == 0:
            return list(execute(_SPLIT_EVENLY, (x,), {"num_split": int(splits), "axis": axis}))
        return _split_v(x, shape_tensor([int(s) for s in splits]), axis, len(splits))
    sizes = _split_sizes(splits, n, axis)
    return _split_v(x, shape_tensor(sizes), axis, len(sizes))


def _split_v(x, sizes: Tensor, axis: int, num_split: int) -> list:
    return list(execute(_SPLIT, (x, sizes, _scalar(axis)), {"num_split": num_split}))


# The int32 axis scalars of eager calls, made once each.
_SCALARS: dict[int, Tensor] = {}


def _scalar(value: int) -> Tensor:
    t = _SCALARS.get(value)
    if t is None:
        t = _SCALARS[value] = Tensor(np.array(value, np.int32), dtypes.int32)
    return t


def _unstack_infer(x: Spec, num, axis):
    if x.shape.rank is None:
        return tuple(Spec(x.dtype, TensorShape(None)) for _ in builtins.range(num))
    dims = x.shape.as_list()
    return tuple(
        Spec(x.dtype, TensorShape(dims[:axis] + dims[axis + 1 :])) for _ in builtins.range(num)
    )


def _unstack_grad(call, *dys):
    """The pieces' gradients stacked back along the axis."""
    return (stack(list(dys), call.attrs["axis"]),)


def _unstack_kernel(x, num, axis):
    if x.shape[axis] != num:
        # Traced for a dimension known only now.
        raise _unstack_mismatch(axis, num, x.shape)
    # Indexing keeps 0-d arrays (iterating would give bare bytes for string tensors).
    moved = np.moveaxis(x, axis, 0)
    return tuple(moved[i, ...] for i in builtins.range(moved.shape[0]))


_UNPACK = register(
    "Unpack", kernel=_unstack_kernel, grad=_unstack_grad, infer=_unstack_infer, num_outputs=-1
)


def unstack(value, num=None, axis=0, name="unstack") -> list:
    """The slices of ``value`` along ``axis``, as a list (``tf.unstack``).

    Raises:
        ValueError: an axis out of range (including any axis of a scalar).
        InvalidArgumentError: ``num`` different from the size of ``axis``.
    """
    x = to_tensor(value)
    rank = x._value.ndim
    axis = int_scalar_arg(axis, "Unpack", "axis")
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    axis %= rank
    dims = static_dims(x)
    n = dims[axis]
    if n is None:
        # Without ``num``, how many pieces depends on each call's size: only a graph
        # specialised to the example's shape knows it. With it, the kernel checks it.
        n = x._value.shape[axis] if num is None else num
    elif num is not None and num != n:
        raise _unstack_mismatch(axis, num, dims)
    return list(execute(_UNPACK, (x,), {"num": n, "axis": axis}))


def _unstack_mismatch(axis: int, num: int, dims: tuple) -> InvalidArgumentError:
    return InvalidArgumentError(
        None,
        "Unpack",
        f"Input shape axis {axis} must equal {num}, got shape "
        f"[{','.join(map(str, dims))}] [Op:Unpack]",
    )
