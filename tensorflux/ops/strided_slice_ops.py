"""Strided slicing: ``t[...]``, ``tf.strided_slice``, ``tf.slice`` (``slicing_ops``
re-exports them).

``getitem`` gives ``Tensor.__getitem__`` TF's semantics by turning the key into one
``StridedSlice``, whose gradient ``StridedSliceGrad`` writes dy into zeros (and whose
own gradient is the slice again, so higher orders work). Bounds and indices are op
inputs: inside a ``tf.function`` one computed there (``x[:n]``) is read on every call.

Inside a ``tf.function`` traced with partly known shapes, slice bounds stay as given
(negative ones count from the end when the graph runs), checks skip dimensions known
only then, and shapes that gradients need are read from the running graph.
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
    known_shape,
    runtime_shape,
    shape_hint,
    shape_tensor,
    to_tensor,
)
from tensorflux.ops.creation_ops import (
    int_list_arg,
    is_traced_shape,
    traced_shape_arg,
)
from tensorflux.ops.joining_ops import stack
from tensorflux.ops.math_ops import cast
from tensorflux.ops.selection_ops import boolean_mask

__all__ = ["newaxis", "strided_slice", "slice"]

newaxis = None

# -- StridedSlice, StridedSliceGrad -------------------------------------------

# A bound that only the running graph knows (in the keys inference rules build).
_UNKNOWN = ("unknown",)


def _index_key(
    begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask
) -> tuple:
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
            key.append(
                builtins.slice(None if begin_mask & bit else b, None if end_mask & bit else e, s)
            )
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
                    None,
                    "StridedSlice",
                    f"Index out of range using input dim {dim}; input has "
                    f"only {rank} dims. Use at most {rank} indices for shape {shape}.",
                )
            if isinstance(k, builtins.slice):
                if k.step == 0:
                    raise InvalidArgumentError(
                        None, "StridedSlice", f"strides[{dim}] must be non-zero"
                    )
            elif not -shape[dim] <= k < shape[dim]:
                raise InvalidArgumentError(
                    None,
                    "StridedSlice",
                    f"slice index {k if k >= 0 else k + shape[dim]} of "
                    f"dimension {dim} out of bounds. Dimension {dim} of shape {shape} has size "
                    f"{shape[dim]}.",
                )
            dim += 1


def _check_lengths(begin, end, strides) -> None:
    if not len(begin) == len(end) == len(strides):
        raise InvalidArgumentError(
            None,
            "StridedSlice",
            f"Expected begin, end, and strides to be 1D equal size "
            f"tensors, but got shapes [{len(begin)}], [{len(end)}], and [{len(strides)}] "
            f"instead. [Op:StridedSlice]",
        )


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
            out.extend(dims[d : d + n])
            d += n
        elif k is None:
            out.append(1)
        else:
            if isinstance(k, builtins.slice):
                traced = _UNKNOWN in (k.start, k.stop, k.step)
                out.append(
                    None
                    if d >= len(dims) or dims[d] is None or traced
                    else len(builtins.range(*k.indices(dims[d])))
                )
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
    key = _index_key(
        _bound_values(begin, n), _bound_values(end, n), _bound_values(strides, n), **masks
    )
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
_STRIDED_SLICE = register(
    "StridedSlice",
    kernel=_strided_slice_kernel,
    grad=_strided_slice_grad,
    infer=_strided_slice_infer,
    shape_inputs=(1, 2, 3),
)


def _strided_slice_grad_kernel(shape, begin, end, strides, dy, **masks):
    out = np.zeros(shape.tolist(), dtype=dy.dtype)
    target = tuple(k for k in _kernel_key(begin, end, strides, masks) if k is not None)
    out[target] = np.reshape(dy, out[target].shape)
    return out


def _strided_slice_grad_infer(
    shape: Spec, begin: Spec, end: Spec, strides: Spec, dy: Spec, **masks
) -> Spec:
    if isinstance(shape.value, list):
        return Spec(dy.dtype, TensorShape(shape.value))
    n = shape.shape.num_elements()
    return Spec(dy.dtype, TensorShape(None if n is None else [None] * n))


def _strided_slice_grad_grad(call, ddx):
    """Writing dy into zeros is linear in dy: its adjoint is the same slice of ddx."""
    _, begin, end, strides, _ = call.inputs
    return None, None, None, None, execute(_STRIDED_SLICE, (ddx, begin, end, strides), call.attrs)


# TF's inputs: the input's shape, the slice's bounds and dy (a shape computed when a
# traced graph runs is the same op).
_STRIDED_SLICE_GRAD = register(
    "StridedSliceGrad",
    kernel=_strided_slice_grad_kernel,
    grad=_strided_slice_grad_grad,
    infer=_strided_slice_grad_infer,
    shape_inputs=(0,),
)


def strided_slice(
    input_,
    begin,
    end,
    strides=None,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
    var=None,
    name=None,
) -> Tensor:
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
    return _strided_slice(
        x, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask
    )


def _bounds_arg(value) -> list:
    """A begin/end/strides argument as a list of ints and traced int scalars."""
    if type(value) is SymbolicTensor:
        return [value[i] for i in builtins.range(len(value._value))]
    if isinstance(value, (list, tuple)) and any(type(v) is SymbolicTensor for v in value):
        return [_traced_bound(v) if type(v) is SymbolicTensor else _index(v) for v in value]
    return int_list_arg(value)


def _traced_bound(t: SymbolicTensor) -> SymbolicTensor:
    if t._dtype not in (dtypes.int32, dtypes.int64) or t._value.ndim != 0:
        raise TypeError(
            f"Only scalar int32/int64 tensors are valid indices and slice "
            f"bounds, got dtype {t.dtype.name} and shape {t.shape}."
        )
    return t


def _bound_vector(entries: list) -> Tensor:
    """Bounds as the vector StridedSlice takes: a constant when all are ints, else the
    int64 stack of them, noted with the entries tracing knows (``Spec.value``)."""
    if all(type(e) is int for e in entries):
        return shape_tensor(entries)
    vector = stack(
        [
            cast(e, dtypes.int64)
            if type(e) is SymbolicTensor
            else Tensor(np.array(e, np.int64), dtypes.int64)
            for e in entries
        ]
    )
    vector._graph.shape_values[vector._slot] = list(shape_hint(entries))
    return vector


def _strided_slice(
    x, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask
):
    if bin(ellipsis_mask).count("1") > 1:
        raise InvalidArgumentError(
            None,
            "StridedSlice",
            "Multiple ellipses in slice spec not "
            "allowed [Op:StridedSlice]. Use `...` at most once.",
        )
    return execute(
        _STRIDED_SLICE,
        (x, _bound_vector(begin), _bound_vector(end), _bound_vector(strides)),
        {
            "begin_mask": begin_mask,
            "end_mask": end_mask,
            "ellipsis_mask": ellipsis_mask,
            "new_axis_mask": new_axis_mask,
            "shrink_axis_mask": shrink_axis_mask,
        },
    )


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
    raise TypeError(
        f"Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
        f"scalar tf.int32/tf.int64 tensors are valid indices, got {k!r}"
    )


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
    if (
        isinstance(dims, list)
        and -len(dims) <= index < len(dims)
        and (dims[index] is not None and type(out) is SymbolicTensor)
    ):
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
    return _strided_slice(
        x, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask
    )


def slice(input_, begin, size, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """The block of ``input_`` starting at ``begin`` with extent ``size`` (-1: to the end).

    ``begin`` and ``size`` may be tensors computed inside a ``tf.function``.

    >>> import tensorflux as tf
    >>> tf.slice(tf.reshape(tf.range(12), [3, 4]), [1, 1], [-1, 2]).numpy()
    array([[ 5,  6],
           [ 9, 10]], dtype=int32)

    Raises:
        InvalidArgumentError: ``begin``/``size`` of the wrong length or out of range.
    """
    x = to_tensor(input_)
    if is_traced_shape(begin) or is_traced_shape(size):
        return execute(_SLICE, (x, traced_shape_arg(begin)[0], traced_shape_arg(size)[0]))
    begin, size = int_list_arg(begin), int_list_arg(size)
    rank = x._value.ndim
    if not len(begin) == len(size) == rank:
        raise InvalidArgumentError(
            None,
            "Slice",
            f"Expected begin and size arguments to be 1-D tensors of size "
            f"{rank}, but got shapes [{len(begin)}] and [{len(size)}] instead. [Op:Slice]",
        )
    if known_shape(x) is None:
        # Bounds are checked against sizes known only when the graph runs.
        return execute(_SLICE, (x, shape_tensor(begin), shape_tensor(size)))
    end = _slice_ends(begin, size, x._value.shape)
    return _strided_slice(x, begin, end, [1] * rank, 0, 0, 0, 0, 0)


def _slice_ends(begin, size, shape: tuple) -> list:
    """Where the block of ``tf.slice`` ends in each dimension of ``shape``.

    Raises:
        InvalidArgumentError: a bound outside the dimension, or ``begin``/``size`` not
            one entry per dimension.
    """
    if not len(begin) == len(size) == len(shape):
        raise InvalidArgumentError(
            None,
            "Slice",
            f"Expected begin and size arguments to be 1-D tensors of size "
            f"{len(shape)}, but got shapes [{len(begin)}] and [{len(size)}] instead. "
            "[Op:Slice]",
        )
    end = []
    for i, (b, s, n) in enumerate(zip(begin, size, shape, strict=True)):
        if not 0 <= b <= n:
            raise InvalidArgumentError(
                None,
                "Slice",
                f"Expected begin[{i}] in [0, {n}], but got "
                f"{b} [Op:Slice] (input shape {tuple(shape)}).",
            )
        s = n - b if s == -1 else s
        if not 0 <= s <= n - b:
            raise InvalidArgumentError(
                None,
                "Slice",
                f"Expected size[{i}] in [0, {n - b}], but "
                f"got {s} [Op:Slice] (input shape {tuple(shape)}).",
            )
        end.append(b + s)
    return end


def _slice_kernel(x, begin, size):
    end = _slice_ends(begin.tolist(), size.tolist(), x.shape)
    return x[tuple(builtins.slice(b, e) for b, e in zip(begin.tolist(), end))]


def _slice_infer(x: Spec, begin: Spec, size: Spec) -> Spec:
    rank = x.shape.rank
    if rank is None:
        rank = size.shape.num_elements() if size.shape.rank == 1 else None
    if rank is None:
        return Spec(x.dtype, TensorShape(None))
    sizes = size.value if size.value is not None else [None] * rank
    begins = begin.value if begin.value is not None else [None] * rank
    known = x.shape.as_list() if x.shape.rank is not None else [None] * rank
    dims = []
    for d, b, s in zip(known, begins, sizes, strict=True):
        if s is not None and s != -1:
            dims.append(s)
        else:
            dims.append(None if s is None or d is None or b is None else d - b)
    return Spec(x.dtype, TensorShape(dims))


def _slice_grad(call, dy):
    """dy written into zeros where the block came from: ``begin`` to ``begin + shape(dy)``
    (the block's extent is dy's shape, whatever -1s ``size`` held); none for the bounds."""
    from tensorflux.ops.creation_ops import ones_like
    from tensorflux.ops.math_ops import add

    x, begin, _ = call.inputs
    dims = known_shape(dy)
    extent = shape_tensor(dims) if dims is not None else runtime_shape(dy)
    begin = cast(begin, extent.dtype)
    masks = {
        "begin_mask": 0,
        "end_mask": 0,
        "ellipsis_mask": 0,
        "new_axis_mask": 0,
        "shrink_axis_mask": 0,
    }
    return (
        _into_zeros_like(x, dy, begin, add(begin, extent), ones_like(begin), masks),
        None,
        None,
    )


# TF's inputs: the tensor, its begin and size vectors (bounds computed when a traced
# graph runs are the same op). Elsewhere tf.slice is a StridedSlice; its kernel checks
# bounds known only when the graph runs.
_SLICE = register(
    "Slice", kernel=_slice_kernel, grad=_slice_grad, infer=_slice_infer, shape_inputs=(1, 2)
)
