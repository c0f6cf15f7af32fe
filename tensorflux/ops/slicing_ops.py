"""Slicing, splitting and indexed reads/writes: ``t[...]``, slice, split, unstack,
gather_nd, scatter_nd, tensor_scatter_nd_*, boolean_mask, repeat, unique (``tf.*``).

``getitem`` gives ``Tensor.__getitem__`` TF's semantics by turning the key into one
``StridedSlice``, whose gradient ``StridedSliceGrad`` writes dy into zeros (and whose
own gradient is the slice again, so higher orders work).

Inside a ``tf.function`` traced with partly known shapes, slice bounds stay as given
(negative ones count from the end when the graph runs), checks skip dimensions known
only then, and shapes that gradients need are read from the running graph.
"""

from __future__ import annotations

import builtins
from collections import namedtuple

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.ops import array_ops
from tensorflux.ops.array_ops import (
    _INDEX_DTYPES,
    _dims_agree,
    concat,
    dense_grad_gather,
    expand_dims,
    gather,
    reshape,
    stack,
    tile,
    where,
)
from tensorflux.ops.common import (
    dim_list,
    known_shape,
    runtime_shape,
    shape_hint,
    shape_tensor,
    static_dims,
    to_tensor,
)
from tensorflux.ops.creation_ops import (
    int_list_arg,
    int_scalar_arg,
    is_traced_shape,
    traced_shape_arg,
    zeros_like,
)
from tensorflux.ops.math_ops import cast

__all__ = [
    "newaxis",
    "strided_slice",
    "slice",
    "split",
    "unstack",
    "boolean_mask",
    "repeat",
    "unique",
    "gather_nd",
    "scatter_nd",
    "tensor_scatter_nd_update",
    "tensor_scatter_nd_add",
    "tensor_scatter_nd_sub",
]

newaxis = None

# -- StridedSlice, StridedSliceGrad -------------------------------------------

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")
# A bound that only the running graph knows (in the keys inference rules build).
_UNKNOWN = ("unknown",)


def _index_key(begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
               shrink_axis_mask) -> tuple:
    """The NumPy basic-indexing key equivalent to a strided-slice spec.

    NumPy's ints and slices (negative indices, clamping, negative steps) match TF's; a
    shrinking index ignores its ``end``, as TF's kernel does.
    """
    key = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides, strict=True)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append(b)
        else:
            key.append(builtins.slice(None if begin_mask & bit else b,
                                      None if end_mask & bit else e, s))
    return tuple(key)


def _check_key(key: tuple, shape: tuple) -> None:
    """Raises TF's errors for a key that does not fit ``shape``."""
    rank = len(shape)
    consuming = sum(1 for k in key if k is not None and k is not Ellipsis)
    if consuming and rank == 0:
        raise InvalidArgumentError(None, "StridedSlice", "Attempting to slice scalar input.")
    dim = 0
    for k in key:
        if k is Ellipsis:
            dim += max(rank - consuming, 0)
        elif k is not None:
            if dim >= rank:
                raise InvalidArgumentError(
                    None, "StridedSlice", f"Index out of range using input dim {dim}; input has "
                    f"only {rank} dims. Use at most {rank} indices for shape {shape}.")
            if isinstance(k, builtins.slice):
                if k.step == 0:
                    raise InvalidArgumentError(None, "StridedSlice",
                                               f"strides[{dim}] must be non-zero")
            elif not -shape[dim] <= k < shape[dim]:
                raise InvalidArgumentError(
                    None, "StridedSlice", f"slice index {k if k >= 0 else k + shape[dim]} of "
                    f"dimension {dim} out of bounds. Dimension {dim} of shape {shape} has size "
                    f"{shape[dim]}.")
            dim += 1


def _check_lengths(begin, end, strides) -> None:
    if not len(begin) == len(end) == len(strides):
        raise InvalidArgumentError(
            None, "StridedSlice", f"Expected begin, end, and strides to be 1D equal size "
            f"tensors, but got shapes [{len(begin)}], [{len(end)}], and [{len(strides)}] "
            f"instead. [Op:StridedSlice]")


def _kernel_key(begin, end, strides, masks: dict) -> tuple:
    """The indexing key of a kernel's bound vectors (checked: a traced graph may have
    computed them)."""
    begin, end, strides = begin.tolist(), end.tolist(), strides.tolist()
    _check_lengths(begin, end, strides)
    return _index_key(begin, end, strides, **masks)


def _strided_slice_kernel(x, begin, end, strides, **masks):
    key = _kernel_key(begin, end, strides, masks)
    _check_key(key, x.shape)
    out = x[key]
    return out if isinstance(out, np.ndarray) else np.asarray(out, dtype=x.dtype)


def _sliced_dims(dims: list, key: tuple) -> list:
    """The static dims of ``x[key]`` for ``x`` of static ``dims``; a slice with a bound
    only the running graph knows (``_UNKNOWN``) gives an unknown size."""
    consuming = sum(1 for k in key if k is not None and k is not Ellipsis)
    out, d = [], 0
    for k in key:
        if k is Ellipsis:
            n = max(len(dims) - consuming, 0)
            out.extend(dims[d:d + n])
            d += n
        elif k is None:
            out.append(1)
        else:
            if isinstance(k, builtins.slice):
                traced = _UNKNOWN in (k.start, k.stop, k.step)
                out.append(None if d >= len(dims) or dims[d] is None or traced
                           else len(builtins.range(*k.indices(dims[d]))))
            d += 1
    return out + dims[d:]


def _bound_values(spec: Spec, n: int) -> list:
    """What inference knows of a bound vector: its ints, ``_UNKNOWN`` for the others."""
    values = spec.value if isinstance(spec.value, list) else [None] * n
    return [_UNKNOWN if v is None else v for v in values]


def _strided_slice_infer(x: Spec, begin: Spec, end: Spec, strides: Spec, **masks) -> Spec:
    n = begin.shape.num_elements()
    if x.shape.rank is None or n is None:
        return Spec(x.dtype, TensorShape(None))
    key = _index_key(_bound_values(begin, n), _bound_values(end, n),
                     _bound_values(strides, n), **masks)
    return Spec(x.dtype, TensorShape(_sliced_dims(x.shape.as_list(), key)))


def _strided_slice_grad(call, dy):
    """dx is dy written into zeros of the input's shape where the slice read (the bounds
    get none)."""
    x, begin, end, strides = call.inputs
    return _into_zeros_like(x, dy, begin, end, strides, call.attrs), None, None, None


def _into_zeros_like(x: Tensor, dy: Tensor, begin, end, strides, masks: dict) -> Tensor:
    """dy written into zeros shaped like ``x`` where the strided slice reads (a shape
    known only when a traced graph runs is read from it)."""
    dims = known_shape(x)
    shape = shape_tensor(dims) if dims is not None else runtime_shape(x)
    return execute(_STRIDED_SLICE_GRAD, (shape, begin, end, strides, dy), masks)


# TF's inputs: the tensor and its begin, end and strides vectors (so bounds computed when
# a traced graph runs, ``x[:n]``, are the same op); the masks are attrs.
_STRIDED_SLICE = register("StridedSlice", kernel=_strided_slice_kernel,
                          grad=_strided_slice_grad, infer=_strided_slice_infer,
                          shape_inputs=(1, 2, 3))


def _strided_slice_grad_kernel(shape, begin, end, strides, dy, **masks):
    out = np.zeros(shape.tolist(), dtype=dy.dtype)
    target = tuple(k for k in _kernel_key(begin, end, strides, masks) if k is not None)
    out[target] = np.reshape(dy, out[target].shape)
    return out


def _strided_slice_grad_infer(shape: Spec, begin: Spec, end: Spec, strides: Spec, dy: Spec,
                              **masks) -> Spec:
    if isinstance(shape.value, list):
        return Spec(dy.dtype, TensorShape(shape.value))
    n = shape.shape.num_elements()
    return Spec(dy.dtype, TensorShape(None if n is None else [None] * n))


def _strided_slice_grad_grad(call, ddx):
    """Writing dy into zeros is linear in dy: its adjoint is the same slice of ddx."""
    _, begin, end, strides, _ = call.inputs
    return None, None, None, None, execute(_STRIDED_SLICE, (ddx, begin, end, strides),
                                           call.attrs)


# TF's inputs: the input's shape, the slice's bounds and dy (a shape computed when a
# traced graph runs is the same op).
_STRIDED_SLICE_GRAD = register(
    "StridedSliceGrad", kernel=_strided_slice_grad_kernel, grad=_strided_slice_grad_grad,
    infer=_strided_slice_grad_infer, shape_inputs=(0,))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None) -> Tensor:
    """``input_[begin:end:strides]`` per dimension, with TF's bit masks (``tf.strided_slice``).

    Bit ``i`` of ``begin_mask``/``end_mask`` ignores ``begin[i]``/``end[i]`` (full range);
    ``ellipsis_mask`` marks ``...``, ``new_axis_mask`` a new size-1 axis and
    ``shrink_axis_mask`` an integer index that removes the dimension.

    >>> import tensorflux as tf
    >>> tf.strided_slice(tf.range(6), [1], [5], [2]).numpy()
    array([1, 3], dtype=int32)

    Raises:
        InvalidArgumentError: out-of-bounds indices, zero strides, or too many indices.
    """
    x = to_tensor(input_)
    begin = _bounds_arg(begin)
    end = _bounds_arg(end)
    strides = [1] * len(begin) if strides is None else _bounds_arg(strides)
    _check_lengths(begin, end, strides)
    return _strided_slice(x, begin, end, strides, begin_mask, end_mask, ellipsis_mask,
                          new_axis_mask, shrink_axis_mask)


def _bounds_arg(value) -> list:
    """A begin/end/strides argument as a list of ints and traced int scalars."""
    if type(value) is SymbolicTensor:
        return [value[i] for i in builtins.range(len(value._value))]
    if isinstance(value, (list, tuple)) and any(type(v) is SymbolicTensor for v in value):
        return [_traced_bound(v) if type(v) is SymbolicTensor else _index(v) for v in value]
    return int_list_arg(value)


def _traced_bound(t: SymbolicTensor) -> SymbolicTensor:
    if t._dtype not in (dtypes.int32, dtypes.int64) or t._value.ndim != 0:
        raise TypeError(f"Only scalar int32/int64 tensors are valid indices and slice "
                        f"bounds, got dtype {t.dtype.name} and shape {t.shape}.")
    return t


def _bound_vector(entries: list) -> Tensor:
    """Bounds as the vector StridedSlice takes: a constant when all are ints, else the
    int64 stack of them, noted with the entries tracing knows (``Spec.value``)."""
    if all(type(e) is int for e in entries):
        return shape_tensor(entries)
    vector = stack([cast(e, dtypes.int64) if type(e) is SymbolicTensor
                    else Tensor(np.array(e, np.int64), dtypes.int64) for e in entries])
    vector._graph.shape_values[vector._slot] = list(shape_hint(entries))
    return vector


def _strided_slice(x, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
                   shrink_axis_mask):
    if bin(ellipsis_mask).count("1") > 1:
        raise InvalidArgumentError(None, "StridedSlice", "Multiple ellipses in slice spec not "
                                   "allowed [Op:StridedSlice]. Use `...` at most once.")
    return execute(_STRIDED_SLICE, (x, _bound_vector(begin), _bound_vector(end),
                                    _bound_vector(strides)), {
        "begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
        "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask})


def _index(k):
    """A slice bound or index as an int (None stays None); a traced scalar stays as it is."""
    if k is None or (isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_))):
        return None if k is None else int(k)
    if type(k) is SymbolicTensor:
        return _traced_bound(k)
    if isinstance(k, Tensor) or hasattr(k, "_as_tensor") or isinstance(k, np.ndarray):
        t = convert_to_tensor(k)
        if type(t) is SymbolicTensor:
            return _traced_bound(t)
        if t._dtype in (dtypes.int32, dtypes.int64) and t._value.ndim == 0:
            return int(t._value)
    raise TypeError(f"Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                    f"scalar tf.int32/tf.int64 tensors are valid indices, got {k!r}")


def _is_bool_mask(key) -> bool:
    if isinstance(key, (bool, np.bool_)):
        return True
    if isinstance(key, Tensor) or hasattr(key, "_as_tensor"):
        return key.dtype is dtypes.bool
    return isinstance(key, np.ndarray) and key.dtype == np.bool_


def getitem(tensor, key) -> Tensor:
    """``tensor[key]`` with TF's semantics (``Tensor.__getitem__``).

    Keys: ints (negative from the end), slices with any step, ``...``, ``tf.newaxis``,
    scalar int32/int64 tensors (inside tf.function also ones computed there, read on
    every call), or a tuple/list of those; a bool tensor or array alone is a
    ``boolean_mask``.

    >>> import tensorflux as tf
    >>> x = tf.reshape(tf.range(6), [2, 3])
    >>> x[:, ::-1][1].numpy()
    array([5, 4, 3], dtype=int32)

    Raises:
        InvalidArgumentError: an index out of bounds (``slice index 5 of dimension 0 out of
            bounds``), a zero step, two ellipses, or more indices than dimensions.
        TypeError: a key of another type (floats, lists of tensors ...).
    """
    x = to_tensor(tensor)
    if _is_bool_mask(key):
        return boolean_mask(x, key)
    if not isinstance(key, (tuple, list)):
        key = (key,)
    if type(x) is SymbolicTensor and len(key) == 1 and type(key[0]) is int:
        return _known_size(x, key[0], _getitem(x, key))
    return _getitem(x, key)


def _known_size(shape_t, index: int, out):
    """``out`` = ``tf.shape(x)[index]``, noted with the size when tracing knows it, so
    that a shape built from it keeps that dimension (as TF's shape inference does)."""
    dims = shape_t._graph.shape_values.get(shape_t._slot)
    if isinstance(dims, list) and -len(dims) <= index < len(dims) and (
            dims[index] is not None and type(out) is SymbolicTensor):
        out._graph.shape_values[out._slot] = dims[index]
    return out


def _getitem(x, key: tuple) -> Tensor:
    """``x[key]`` as one StridedSlice (a scalar index ``k`` is begin ``k``, shrinking)."""
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    for i, k in enumerate(key):
        bit = 1 << i
        if isinstance(k, builtins.slice):
            start, stop, step = _index(k.start), _index(k.stop), _index(k.step)
            begin_mask |= bit if start is None else 0
            end_mask |= bit if stop is None else 0
            begin.append(0 if start is None else start)
            end.append(0 if stop is None else stop)
            strides.append(1 if step is None else step)
            continue
        if k is Ellipsis:
            ellipsis_mask |= bit
        elif k is None:
            new_axis_mask |= bit
        else:
            k = _index(k)
            shrink_axis_mask |= bit
            begin.append(k)
            # The kernel reads one element at a shrinking index; ``end`` is TF's k + 1.
            end.append(k + 1 if type(k) is int else k)
            strides.append(1)
            continue
        begin.append(0)
        end.append(0)
        strides.append(1)
    return _strided_slice(x, begin, end, strides, begin_mask, end_mask, ellipsis_mask,
                          new_axis_mask, shrink_axis_mask)


def slice(input_, begin, size, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """The block of ``input_`` starting at ``begin`` with extent ``size`` (-1: to the end).

    >>> import tensorflux as tf
    >>> tf.slice(tf.reshape(tf.range(12), [3, 4]), [1, 1], [-1, 2]).numpy()
    array([[ 5,  6],
           [ 9, 10]], dtype=int32)

    Raises:
        InvalidArgumentError: ``begin``/``size`` of the wrong length or out of range.
    """
    x = to_tensor(input_)
    begin, size = int_list_arg(begin), int_list_arg(size)
    rank = x._value.ndim
    if not len(begin) == len(size) == rank:
        raise InvalidArgumentError(
            None, "Slice", f"Expected begin and size arguments to be 1-D tensors of size "
            f"{rank}, but got shapes [{len(begin)}] and [{len(size)}] instead. [Op:Slice]")
    if known_shape(x) is None:
        # Bounds are checked against sizes known only when the graph runs.
        return execute(_SLICE, (x,), {"begin": tuple(begin), "size": tuple(size)})
    end = _slice_ends(begin, size, x._value.shape)
    return _strided_slice(x, begin, end, [1] * rank, 0, 0, 0, 0, 0)


def _slice_ends(begin, size, shape: tuple) -> list:
    """Where the block of ``tf.slice`` ends in each dimension of ``shape``.

    Raises:
        InvalidArgumentError: a bound outside the dimension.
    """
    end = []
    for i, (b, s, n) in enumerate(zip(begin, size, shape, strict=True)):
        if not 0 <= b <= n:
            raise InvalidArgumentError(None, "Slice", f"Expected begin[{i}] in [0, {n}], but got "
                                       f"{b} [Op:Slice] (input shape {tuple(shape)}).")
        s = n - b if s == -1 else s
        if not 0 <= s <= n - b:
            raise InvalidArgumentError(None, "Slice", f"Expected size[{i}] in [0, {n - b}], but "
                                       f"got {s} [Op:Slice] (input shape {tuple(shape)}).")
        end.append(b + s)
    return end


def _slice_kernel(x, begin, size):
    end = _slice_ends(begin, size, x.shape)
    return x[tuple(builtins.slice(b, e) for b, e in zip(begin, end))]


def _slice_infer(x: Spec, begin, size) -> Spec:
    known = x.shape.as_list() if x.shape.rank is not None else [None] * len(size)
    dims = [s if s != -1 else None if d is None else d - b
            for d, b, s in zip(known, begin, size)]
    return Spec(x.dtype, TensorShape(dims))


def _slice_grad(call, dy):
    """dy written into zeros where the block came from (the strided slice reading the
    same block: a size of -1 reads to the end)."""
    begin, size = call.attrs["begin"], call.attrs["size"]
    end = [b + s if s != -1 else 0 for b, s in zip(begin, size)]
    masks = {"begin_mask": 0, "end_mask": sum(1 << i for i, s in enumerate(size) if s == -1),
             "ellipsis_mask": 0, "new_axis_mask": 0, "shrink_axis_mask": 0}
    return (_into_zeros_like(call.inputs[0], dy, shape_tensor(begin), shape_tensor(end),
                             shape_tensor([1] * len(begin)), masks),)


# tf.slice of a traced tensor whose shape is known only when the graph runs (elsewhere a
# StridedSlice): its kernel checks the bounds then.
_SLICE = register("Slice", kernel=_slice_kernel, grad=_slice_grad, infer=_slice_infer)


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
        if k <= 0 or n % k:
            raise InvalidArgumentError(
                None, "Split", f"Number of ways to split should evenly divide the split "
                f"dimension, but got split_dim {axis} (size = {n}) and num_split {k} [Op:Split]."
                f" Pass a list of sizes to split unevenly.")
        return [n // k] * k
    sizes = [int(s) for s in splits]
    if sizes.count(-1) > 1:
        raise InvalidArgumentError(None, "SplitV", f"Only one dimensions can have a value "
                                   f"of -1. Second one found at dimension "
                                   f"{len(sizes) - 1 - sizes[::-1].index(-1)} [Op:SplitV]")
    known = sum(s for s in sizes if s != -1)
    if -1 in sizes and known <= n:
        sizes[sizes.index(-1)] = n - known
    elif known != n or any(s < 0 for s in sizes):
        raise InvalidArgumentError(
            None, "SplitV", f"Determined shape must either match input shape along "
            f"split_dim exactly if fully specified, or be less than the size of the input "
            f"along split_dim if not fully specified.  Got: {known} [Op:SplitV] (sizes "
            f"{sizes} for dimension {axis} of size {n}).")
    return sizes


def _split_kernel(x, size_splits, axis, num_split):
    axis = int(axis)
    if not -x.ndim <= axis < x.ndim:
        # An axis a traced graph computed (eager ones were checked already).
        raise InvalidArgumentError(None, "SplitV", f"-{x.ndim} <= split_dim < {x.ndim} but got "
                                   f"{axis} [Op:SplitV]")
    axis %= x.ndim
    sizes = _split_sizes(np.asarray(size_splits).reshape(-1), x.shape[axis], axis)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def _split_infer(x: Spec, size_splits: Spec, axis: Spec, num_split):
    sizes = (size_splits.value if isinstance(size_splits.value, list)
             else [None] * num_split)
    if x.shape.rank is None:
        return tuple(Spec(x.dtype, TensorShape(None)) for _ in sizes)
    dims = x.shape.as_list()
    if not isinstance(axis.value, int):
        return tuple(Spec(x.dtype, TensorShape([None] * len(dims))) for _ in sizes)
    axis = axis.value % len(dims)
    if sizes.count(-1) == 1 and None not in sizes and dims[axis] is not None:
        # The one size of -1 takes what the others leave.
        sizes = [dims[axis] - sum(s for s in sizes if s != -1) if s == -1 else s
                 for s in sizes]
    return tuple(Spec(x.dtype, TensorShape(dims[:axis] + [None if s == -1 else s]
                                           + dims[axis + 1:])) for s in sizes)


def _split_grad(call, *dys):
    """The pieces' gradients concatenated back along the axis; sizes and axis get none."""
    axis = int(call.inputs[2]._value) % call.inputs[0]._value.ndim
    return concat(list(dys), axis), None, None


# TF's inputs: the tensor, the sizes (one may be -1: the rest) and the axis, so sizes
# computed when a traced graph runs are the same op; as many outputs as ``num_split``
# (num_outputs=-1: variable).
_SPLIT = register("SplitV", kernel=_split_kernel, grad=_split_grad, infer=_split_infer,
                  num_outputs=-1, shape_inputs=(1, 2))


def _split_evenly_kernel(x, num_split, axis):
    sizes = _split_sizes(np.asarray(num_split), x.shape[axis], axis)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def _split_evenly_infer(x: Spec, num_split, axis):
    if x.shape.rank is None:
        return tuple(Spec(x.dtype, TensorShape(None)) for _ in builtins.range(num_split))
    dims = x.shape.as_list()
    d = dims[axis]
    piece = TensorShape(dims[:axis] + [None if d is None else d // num_split] + dims[axis + 1:])
    return tuple(Spec(x.dtype, piece) for _ in builtins.range(num_split))


# tf.split into ``num_split`` equal pieces of a dimension known only when a traced graph
# runs (elsewhere a SplitV).
def _split_evenly_grad(call, *dys):
    """The pieces' gradients concatenated back along the axis."""
    return (concat(list(dys), call.attrs["axis"]),)


_SPLIT_EVENLY = register("Split", kernel=_split_evenly_kernel, grad=_split_evenly_grad,
                         infer=_split_evenly_infer, num_outputs=-1)


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
        raise InvalidArgumentError(None, "Split", f"-{rank} <= split_dim < {rank} but got "
                                   f"{axis} [Op:Split]")
    axis %= rank
    splits = num_or_size_splits
    if is_traced_shape(splits) and not (type(splits) is SymbolicTensor and splits._value.ndim != 1):
        # Sizes known only when the graph runs (a count must be known when tracing).
        sizes = traced_shape_arg(splits)[0]
        return _split_v(x, sizes, axis, len(sizes._value))
    n = static_dims(x)[axis]
    if isinstance(splits, float):
        raise ValueError(f"Rank-0 tensors are not supported as the num_or_size_splits "
                         f"argument to split. Argument provided: {splits}. Pass an int count "
                         f"or a list of sizes.")
    splits = np.asarray(convert_to_tensor(splits).numpy())
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
    return tuple(Spec(x.dtype, TensorShape(dims[:axis] + dims[axis + 1:]))
                 for _ in builtins.range(num))


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


_UNPACK = register("Unpack", kernel=_unstack_kernel,
                   grad=_unstack_grad, infer=_unstack_infer, num_outputs=-1)


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
        None, "Unpack", f"Input shape axis {axis} must equal {num}, got shape "
        f"[{','.join(map(str, dims))}] [Op:Unpack]")


# -- composed selections: boolean_mask, repeat; Unique ----------------------


def boolean_mask(tensor, mask, axis=None, name="boolean_mask") -> Tensor:
    """The entries of ``tensor`` where ``mask`` (covering dims ``axis..axis+mask.rank``) is
    true; those dims are flattened into one. A gather, so gradients flow.

    >>> import tensorflux as tf
    >>> tf.boolean_mask([[1, 2], [3, 4]], [True, False]).numpy()
    array([[1, 2]], dtype=int32)

    Raises:
        ValueError: a scalar mask, or one whose shape does not match those dims.
    """
    x, m = to_tensor(tensor), to_tensor(mask)
    k = m._value.ndim
    if k == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else int_scalar_arg(axis, "boolean_mask", "axis")
    if not -max(x._value.ndim, 1) <= axis <= x._value.ndim - k:
        raise ValueError(f"boolean_mask: axis {axis} leaves no room for a mask of rank {k} in "
                         f"a tensor of shape {x.shape}. Use an axis in [0, "
                         f"{x._value.ndim - k}].")
    axis %= max(x._value.ndim, 1)
    dims = static_dims(x)
    if not _dims_agree(dims[axis:axis + k], static_dims(m)):
        raise ValueError(f"Shapes {tuple(dims[axis:axis + k])} and {tuple(m.shape.as_list())} "
                         f"are incompatible: boolean_mask of a tensor of shape {tuple(dims)} "
                         f"needs a mask shaped like its dims {axis}..{axis + k - 1}.")
    if None in dims[:axis] or None in dims[axis + k:]:
        dims = dim_list(x)
    flat = reshape(x, [*dims[:axis], -1, *dims[axis + k:]])
    picks = reshape(where(reshape(m, [-1])), [-1])
    return gather(flat, picks, axis=axis)


def repeat(input, repeats, axis=None, name=None) -> Tensor:  # noqa: A002
    """Repeats each element along ``axis`` (``None``: of the flattened input) ``repeats``
    times; ``repeats`` is a scalar or has one entry per element.

    >>> import tensorflux as tf
    >>> tf.repeat([[1, 2], [3, 4]], [1, 3], axis=0).shape
    TensorShape([4, 2])

    Raises:
        ValueError: a ``repeats`` vector whose length is not the size of ``axis``.
    """
    x = to_tensor(input)
    if axis is None:
        x, axis = reshape(x, [-1]), 0
    axis = int_scalar_arg(axis, "Repeat", "axis")
    rank = max(x._value.ndim, 1)
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank} (tf.repeat "
                         f"on a tensor of shape {x.shape}).")
    axis %= rank
    n = static_dims(x)[axis]
    reps = np.asarray(convert_to_tensor(repeats).numpy())
    if reps.dtype.kind not in "iu":
        raise TypeError(f"Argument `tensor` (name: repeats) must be of type integer. Received "
                        f"`tensor` = {repeats!r} of dtype {reps.dtype}. tf.repeat counts "
                        f"must be integers.")
    if reps.ndim == 1 and reps.size != 1 and n is not None and reps.size != n:
        raise ValueError(f"Dimensions {n} and {reps.size} are not compatible: tf.repeat needs "
                         f"a scalar or one repeat count per element of axis {axis} (input "
                         f"shape {x.shape}).")
    if reps.size == 1:
        # Scalar repeats: tile a new axis, so that the gradient stays dense as in TF.
        multiples = [1] * (x._value.ndim + 1)
        multiples[axis + 1] = int(reps.reshape(()))
        out_shape = dim_list(x)
        out_shape[axis] = out_shape[axis] * multiples[axis + 1]
        return reshape(tile(expand_dims(x, axis + 1), multiples), out_shape)
    # One count per element: the vector's length is the dimension's size.
    return dense_grad_gather(x, np.repeat(np.arange(reps.size, dtype=np.int32), reps), axis)


Unique = namedtuple("Unique", ["y", "idx"])


def _unique_kernel(x, out_idx):
    values, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first)  # TF keeps the order of first occurrence, not sorted order
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    return values[order], position[inverse.reshape(-1)].astype(out_idx.as_numpy_dtype)


_UNIQUE = register(
    "Unique", kernel=_unique_kernel, grad=None, num_outputs=2, dynamic_shape=True,
    infer=lambda x, out_idx: (Spec(x.dtype, TensorShape([None])), Spec(out_idx, x.shape)))


def unique(x, out_idx=dtypes.int32, name=None) -> Unique:
    """The distinct values of a 1-D ``x`` in order of appearance, and each entry's position
    among them: ``Unique(y, idx)`` with ``x == tf.gather(y, idx)``.

    Raises:
        InvalidArgumentError: ``x`` that is not 1-D.
    """
    x = to_tensor(x)
    if x._value.ndim != 1:
        raise InvalidArgumentError(None, "Unique", f"unique expects a 1D vector. [Op:Unique] "
                                   f"Got shape {x.shape}; flatten it with tf.reshape(x, [-1]).")
    return Unique(*execute(_UNIQUE, (x,), {"out_idx": dtypes.as_dtype(out_idx)}))


# -- GatherNd, ScatterNd, TensorScatter* ------------------------------------


def _nd_key(indices: np.ndarray, shape: tuple, op_name: str, what: str) -> tuple:
    """The NumPy index tuple for ``indices[..., k]`` into ``shape``, checked for range."""
    k = indices.shape[-1]
    bounds = np.asarray(shape[:k], dtype=np.int64)
    bad = ((indices < 0) | (indices >= bounds)).any(axis=-1)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InvalidArgumentError(
            None, op_name, f"indices[{','.join(map(str, pos))}] = "
            f"[{', '.join(map(str, indices[pos]))}] does not index into {what}shape "
            f"[{','.join(map(str, shape))}]")
    return tuple(np.moveaxis(indices, -1, 0))


def _gather_nd_kernel(params, indices):
    if indices.shape[-1] == 0:
        return np.broadcast_to(params, indices.shape[:-1] + params.shape).copy()
    return params[_nd_key(indices, params.shape, "GatherNd", "param ")]


def _gather_nd_infer(params: Spec, indices: Spec) -> Spec:
    if params.shape.rank is None or indices.shape.rank is None or indices.shape[-1] is None:
        return Spec(params.dtype, TensorShape(None))
    i = indices.shape.as_list()
    return Spec(params.dtype, TensorShape(i[:-1] + params.shape.as_list()[i[-1]:]))


def _gather_nd_grad(call, dy):
    """Scatter dy back to the gathered positions (repeats add up)."""
    params, indices = call.inputs
    return scatter_nd(indices, dy, runtime_shape(params)), None


_GATHER_ND = register("GatherNd", kernel=_gather_nd_kernel, grad=_gather_nd_grad,
                      infer=_gather_nd_infer)


def _indices_arg(indices, op_name: str, rank: int) -> Tensor:
    i = to_tensor(indices)
    if i._dtype not in _INDEX_DTYPES:
        raise InvalidArgumentError(
            None, op_name, f"Value for attr 'Tindices' of {i._dtype.name} is not in the list of "
            f"allowed values: int16, int32, int64 [Op:{op_name}]. Cast the indices to int32.")
    if i._value.ndim == 0 or (i.shape[-1] or 0) > rank:
        raise InvalidArgumentError(
            None, op_name, f"{op_name}: indices must have rank >= 1 and an innermost dimension "
            f"<= the rank {rank} of the indexed tensor, got indices of shape {i.shape} "
            f"[Op:{op_name}].")
    return i


def gather_nd(params, indices, batch_dims=0, name=None) -> Tensor:
    """Gathers slices ``params[tuple(indices[..., :])]``: the last dim of ``indices`` holds
    coordinates into the leading dims of ``params`` (``tf.gather_nd``).

    >>> import tensorflux as tf
    >>> tf.gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]]).numpy()
    array([2, 3], dtype=int32)

    Raises:
        InvalidArgumentError: non-integer or out-of-range indices.
    """
    p = to_tensor(params)
    b = int_scalar_arg(batch_dims, "GatherNd", "batch_dims")
    i = _indices_arg(indices, "GatherNd", p._value.ndim - b)
    if b:
        # Prepend each element's batch coordinates, turning it into a batch_dims=0 gather.
        batch = static_dims(p)[:b]
        if not _dims_agree(static_dims(i)[:b], batch):
            raise InvalidArgumentError(None, "GatherNd", f"GatherNd: params {p.shape} and "
                                       f"indices {i.shape} differ in their {b} batch dims.")
        if type(i) is SymbolicTensor:
            # Traced indices differ from call to call (and so may their shape).
            return execute(_GATHER_ND, (p, _with_batch_coords(i, b)))
        batch = i._value.shape[:b]
        coords = np.moveaxis(np.indices(batch, dtype=i._value.dtype), 0, -1)
        coords = coords.reshape(batch + (1,) * (i._value.ndim - b - 1) + (b,))
        coords = np.broadcast_to(coords, i._value.shape[:-1] + (b,))
        i = Tensor(np.concatenate([coords, i._value], axis=-1), i._dtype)
    return execute(_GATHER_ND, (p, i))


def _with_batch_coords(indices: Tensor, b: int) -> Tensor:
    """``indices`` with the coordinates of its ``b`` leading (batch) dimensions prepended
    to each index, computed by the graph."""
    from tensorflux.ops.creation_ops import range as range_op

    rank = indices._value.ndim
    dims = dim_list(indices)
    coords = []
    for j in builtins.range(b):
        steps = reshape(range_op(dims[j], dtype=indices._dtype),
                        [1] * j + [-1] + [1] * (rank - 1 - j))
        coords.append(array_ops.broadcast_to(steps, dims[:-1] + [1]))
    return concat(coords + [indices], -1)


def _check_updates(op_name: str, indices: Tensor, updates: Tensor, shape: tuple) -> None:
    """Raises TF's error for updates not shaped ``indices.shape[:-1] + shape[k:]`` (dims
    known only when a traced graph runs, None in ``shape``, are checked by the kernel)."""
    idims = static_dims(indices)
    if idims[-1] is None:
        return
    expected = idims[:-1] + tuple(shape[idims[-1]:])
    if not _dims_agree(static_dims(updates), expected):
        raise InvalidArgumentError(
            None, op_name, f"{op_name}: updates must have shape indices.shape[:-1] + "
            f"shape[indices.shape[-1]:] = {expected}, got {updates.shape} (indices "
            f"{indices.shape}, shape {tuple(shape)}) [Op:{op_name}].")


def _scatter_nd_kernel(indices, updates, shape):
    shape = tuple(shape.tolist())
    # A shape a traced graph computed is checked against the updates now.
    _check_updates_now("ScatterNd", indices, updates, shape)
    out = np.zeros(shape, dtype=updates.dtype)
    np.add.at(out, _nd_key(indices, shape, "ScatterNd", ""), updates)
    return out


def _check_updates_now(op_name: str, indices, updates, shape: tuple) -> None:
    """``_check_updates`` on values, for checks a trace had to leave to the kernel."""
    k = indices.shape[-1]
    if updates.shape != indices.shape[:-1] + shape[k:]:
        raise InvalidArgumentError(
            None, op_name, f"{op_name}: updates must have shape indices.shape[:-1] + "
            f"shape[indices.shape[-1]:] = {indices.shape[:-1] + shape[k:]}, got "
            f"{TensorShape(list(updates.shape))} (indices {TensorShape(list(indices.shape))}, "
            f"shape {shape}) [Op:{op_name}].")


def _scatter_nd_infer(indices: Spec, updates: Spec, shape: Spec) -> Spec:
    if shape.value is not None:
        return Spec(updates.dtype, TensorShape(list(shape.value)))
    n = shape.shape.num_elements()
    return Spec(updates.dtype, TensorShape(None if n is None else [None] * n))


def _scatter_nd_grad(call, dy):
    """Each update receives dy at its position: gather_nd(dy, indices); the shape gets
    none."""
    indices = call.inputs[0]
    return None, gather_nd(dy, indices), None


# TF's inputs: indices, updates and the output's shape (an int32 vector, so that a shape
# computed when a traced graph runs works too).
_SCATTER_ND = register("ScatterNd", kernel=_scatter_nd_kernel, grad=_scatter_nd_grad,
                       infer=_scatter_nd_infer, shape_inputs=(2,))


def scatter_nd(indices, updates, shape, name=None) -> Tensor:
    """Zeros of ``shape`` with ``updates`` added at ``indices`` (repeats add up).

    >>> import tensorflux as tf
    >>> tf.scatter_nd([[1], [3]], [9.0, 10.0], [5]).numpy()
    array([ 0.,  9.,  0., 10.,  0.], dtype=float32)

    Raises:
        InvalidArgumentError: out-of-range indices or updates of the wrong shape.
    """
    if is_traced_shape(shape):
        # A shape known only when the graph runs (checked by the kernel then).
        shape_t, static = traced_shape_arg(shape)
    else:
        static = tuple(int_list_arg(shape))
        shape_t = shape_tensor(static)
    i, u = _indices_arg(indices, "ScatterNd", len(static)), to_tensor(updates)
    _check_updates("ScatterNd", i, u, static)
    return execute(_SCATTER_ND, (i, u, shape_t))


def _tensor_scatter_update_kernel(tensor, indices, updates):
    _check_updates_now("TensorScatterUpdate", indices, updates, tensor.shape)
    out = tensor.copy()
    out[_nd_key(indices, tensor.shape, "TensorScatterUpdate", "")] = updates
    return out


def _tensor_scatter_update_grad(call, dy):
    """Overwritten positions pass no gradient to the tensor; updates get gather_nd(dy)."""
    _, indices, updates = call.inputs
    return (tensor_scatter_nd_update(dy, indices, zeros_like(updates)), None,
            gather_nd(dy, indices))


def _tensor_scatter_add_kernel(tensor, indices, updates):
    _check_updates_now("TensorScatterAdd", indices, updates, tensor.shape)
    out = tensor.copy()
    np.add.at(out, _nd_key(indices, tensor.shape, "TensorScatterAdd", ""), updates)
    return out


def _tensor_scatter_add_grad(call, dy):
    """d tensor = dy; d updates = gather_nd(dy, indices)."""
    _, indices, _ = call.inputs
    return dy, None, gather_nd(dy, indices)


def _tensor_scatter_infer(tensor: Spec, indices: Spec, updates: Spec) -> Spec:
    return Spec(tensor.dtype, tensor.shape)


_TENSOR_SCATTER_UPDATE = register(
    "TensorScatterUpdate", kernel=_tensor_scatter_update_kernel,
    grad=_tensor_scatter_update_grad, infer=_tensor_scatter_infer)
_TENSOR_SCATTER_ADD = register("TensorScatterAdd", kernel=_tensor_scatter_add_kernel,
                               grad=_tensor_scatter_add_grad, infer=_tensor_scatter_infer)


def _tensor_scatter(op, tensor, indices, updates) -> Tensor:
    t = to_tensor(tensor)
    i = _indices_arg(indices, op.name, t._value.ndim)
    u = updates if isinstance(updates, Tensor) else convert_to_tensor(updates,
                                                                      dtype_hint=t._dtype)
    u = to_tensor(u)
    if u._dtype is not t._dtype:
        raise InvalidArgumentError(
            None, op.name, f"{op.name}: updates of dtype {u._dtype.name} do not match the "
            f"tensor's dtype {t._dtype.name} [Op:{op.name}]. Cast them with tf.cast.")
    _check_updates(op.name, i, u, static_dims(t))
    return execute(op, (t, i, u))


def tensor_scatter_nd_update(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with the entries at ``indices`` replaced by ``updates``.

    >>> import tensorflux as tf
    >>> tf.tensor_scatter_nd_update([1, 2, 3, 4], [[1], [3]], [9, 10]).numpy()
    array([ 1,  9,  3, 10], dtype=int32)

    Raises:
        InvalidArgumentError: out-of-range indices, or updates of the wrong shape or dtype.
    """
    return _tensor_scatter(_TENSOR_SCATTER_UPDATE, tensor, indices, updates)


def tensor_scatter_nd_add(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` added at ``indices`` (repeats add up).

    Raises:
        InvalidArgumentError: out-of-range indices, or updates of the wrong shape or dtype.
    """
    return _tensor_scatter(_TENSOR_SCATTER_ADD, tensor, indices, updates)


def tensor_scatter_nd_sub(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` subtracted at ``indices``."""
    from tensorflux.ops.math_ops import negative

    t = to_tensor(tensor)
    u = updates if isinstance(updates, Tensor) else convert_to_tensor(updates,
                                                                      dtype_hint=t._dtype)
    return _tensor_scatter(_TENSOR_SCATTER_ADD, t, indices, negative(u))
