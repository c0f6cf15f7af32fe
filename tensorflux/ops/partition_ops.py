"""Partitioning, stitching, binning and sorted search: ``tf.dynamic_partition``,
``tf.dynamic_stitch``, ``tf.tensor_scatter_nd_max`` / ``_min``, ``tf.searchsorted`` and
``tf.histogram_fixed_width`` (``_bins``), as TF's DynamicPartition, DynamicStitch,
TensorScatterMax/Min, LowerBound/UpperBound and HistogramFixedWidth ops."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import to_tensor

__all__ = [
    "dynamic_partition",
    "dynamic_stitch",
    "tensor_scatter_nd_max",
    "tensor_scatter_nd_min",
    "searchsorted",
    "histogram_fixed_width",
    "histogram_fixed_width_bins",
]


def _error(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{message} [Op:{op}]")


def _shape_text(dims) -> str:
    return "[" + ",".join(str(d) for d in dims) + "]"


# -- DynamicPartition --------------------------------------------------------------------


def _dynamic_partition_kernel(data, partitions, num_partitions):
    p = partitions.shape
    if data.shape[: len(p)] != p:
        raise _error(
            "DynamicPartition",
            f"data.shape must start with partitions.shape, got data.shape = "
            f"{_shape_text(data.shape)}, partitions.shape = {_shape_text(p)}",
        )
    flat = partitions.reshape(-1)
    bad = np.flatnonzero((flat < 0) | (flat >= num_partitions))
    if bad.size:
        i = int(bad[0])
        where = ",".join(str(int(c)) for c in np.unravel_index(i, p)) if p else ""
        raise _error(
            "DynamicPartition",
            f"partitions[{where}] = {int(flat[i])} is not in [0, {num_partitions})",
        )
    rows = data.reshape((flat.size,) + data.shape[len(p) :])
    return tuple(rows[flat == k] for k in range(num_partitions))


def _dynamic_partition_infer(data: Spec, partitions: Spec, num_partitions) -> tuple:
    if data.shape.rank is None or partitions.shape.rank is None:
        out = TensorShape(None)
    else:
        out = TensorShape([None] + data.shape.as_list()[partitions.shape.rank :])
    return tuple(Spec(data.dtype, out) for _ in range(num_partitions))


def _dynamic_partition_grad(call, *dys):
    """Each row's gradient comes back from its partition: stitch(partitioned positions, dys)."""
    from tensorflux.ops.creation_ops import range as tf_range
    from tensorflux.ops.creation_ops import zeros_like
    from tensorflux.ops.shape_ops import reshape, shape, size

    data, partitions = call.inputs
    positions = reshape(tf_range(size(partitions)), shape(partitions))
    parts = execute(_DYNAMIC_PARTITION, (positions, partitions), call.attrs)
    parts = parts if isinstance(parts, tuple) else (parts,)
    outs = call.outputs
    grads = [zeros_like(o) if d is None else d for d, o in zip(dys, outs)]
    stitched = dynamic_stitch(list(parts), grads)
    return reshape(stitched, shape(data)), None


_DYNAMIC_PARTITION = register(
    "DynamicPartition",
    kernel=_dynamic_partition_kernel,
    grad=_dynamic_partition_grad,
    infer=_dynamic_partition_infer,
    num_outputs=-1,
    dynamic_shape=True,
)


def dynamic_partition(data, partitions, num_partitions, name=None) -> list:
    """Splits ``data`` into ``num_partitions`` tensors: entry ``k`` holds, in order, the
    slices ``data[i]`` with ``partitions[i] == k`` (``partitions`` indexes ``data``'s
    leading dimensions).

    Args:
        data: a tensor whose shape starts with ``partitions``' shape.
        partitions: int32 values in ``[0, num_partitions)``.
        num_partitions: a Python int >= 1.

    Returns:
        A list of ``num_partitions`` tensors.

    Raises:
        InvalidArgumentError: a partition out of range, or mismatched leading shapes.

    >>> import tensorflux as tf
    >>> [p.numpy() for p in tf.dynamic_partition([10, 20, 30, 40], [1, 0, 1, 1], 2)]
    [array([20], dtype=int32), array([10, 30, 40], dtype=int32)]
    """
    x = to_tensor(data)
    p = to_tensor(partitions)
    if p.dtype is not dtypes.int32:
        raise _error(
            "DynamicPartition",
            f"cannot compute DynamicPartition as input #1(zero-based) was expected to be a "
            f"int32 tensor but is a {p.dtype.name} tensor",
        )
    if not isinstance(num_partitions, (int, np.integer)) or num_partitions < 1:
        raise _error(
            "DynamicPartition",
            f"Value for attr 'num_partitions' of {num_partitions} must be at least minimum 1",
        )
    out = execute(_DYNAMIC_PARTITION, (x, p), {"num_partitions": int(num_partitions)})
    return list(out) if isinstance(out, tuple) else [out]


# -- DynamicStitch -----------------------------------------------------------------------


def _dynamic_stitch_kernel(*arrays, N):  # noqa: N803 - TF's attr name
    indices, data = arrays[:N], arrays[N:]
    op = "DynamicStitch"
    first = next((k for k in range(N) if indices[k].size), 0)
    row = data[first].shape[indices[first].ndim :]
    for k in range(N):
        if data[k].shape[: indices[k].ndim] != indices[k].shape:
            raise _error(
                op,
                f"data[{k}].shape = {_shape_text(data[k].shape)} does not start with "
                f"indices[{k}].shape = {_shape_text(indices[k].shape)}",
            )
        if indices[k].size and data[k].shape[indices[k].ndim :] != row:
            raise _error(
                op,
                f"Need data[0].shape[{indices[0].ndim}:] = data[{k}].shape"
                f"[{indices[k].ndim}:], got data[0].shape = {_shape_text(data[0].shape)}, "
                f"data[{k}].shape = {_shape_text(data[k].shape)}, indices[0].shape = "
                f"{_shape_text(indices[0].shape)}, indices[{k}].shape = "
                f"{_shape_text(indices[k].shape)}",
            )
    flat = [i.reshape(-1) for i in indices]
    biggest = max((int(i.max()) for i in flat if i.size), default=-1)
    for i in flat:
        if i.size and i.min() < 0:
            raise _error(op, f"indices contains negative value: {int(i.min())}")
    out = np.zeros((biggest + 1,) + row, data[0].dtype)
    for i, d in zip(flat, data):
        out[i] = d.reshape((i.size,) + row)
    return out


def _dynamic_stitch_infer(*specs: Spec, N) -> Spec:  # noqa: N803
    indices, data = specs[:N], specs[N:]
    if indices[0].shape.rank is None or data[0].shape.rank is None:
        return Spec(data[0].dtype, TensorShape(None))
    return Spec(
        data[0].dtype, TensorShape([None] + data[0].shape.as_list()[indices[0].shape.rank :])
    )


def _dynamic_stitch_grad(call, dy):
    """Each data slice gets the gradient at its index: d data[k] = gather(dy, indices[k])."""
    from tensorflux.ops.gather_ops import gather
    from tensorflux.ops.math_ops import cast

    n = call.attrs["N"]
    return [None] * n + [gather(dy, cast(i, dtypes.int32)) for i in call.inputs[:n]]


_DYNAMIC_STITCH = register(
    "DynamicStitch",
    kernel=_dynamic_stitch_kernel,
    grad=_dynamic_stitch_grad,
    infer=_dynamic_stitch_infer,
    dynamic_shape=True,
)


def dynamic_stitch(indices, data, name=None) -> Tensor:
    """Interleaves the slices of the tensors ``data`` into one: ``merged[indices[k][i]] =
    data[k][i]`` (later entries win where indices repeat).

    Args:
        indices: a list of int32 tensors.
        data: a list of tensors of one dtype, ``data[k]``'s shape starting with
            ``indices[k]``'s.

    Returns:
        A tensor of ``max(indices) + 1`` rows.

    Raises:
        InvalidArgumentError: mismatched shapes or negative indices.
        ValueError: lists of different lengths.

    >>> import tensorflux as tf
    >>> tf.dynamic_stitch([[0, 2], [1]], [[1.0, 3.0], [2.0]]).numpy()
    array([1., 2., 3.], dtype=float32)
    """
    if len(indices) != len(data):
        raise ValueError(
            f"List argument 'data' to 'dynamic_stitch' Op with length {len(data)} must match "
            f"length {len(indices)} of argument 'indices'."
        )
    if not indices:
        raise ValueError(
            "List argument 'indices' to 'dynamic_stitch' Op with length 0 shorter than "
            "minimum length 1."
        )
    idx = [to_tensor(i) for i in indices]
    for i in idx:
        if i.dtype is not dtypes.int32:
            raise TypeError(
                f"Tensors in list passed to 'indices' of 'DynamicStitch' Op have types "
                f"[{', '.join(t.dtype.name for t in idx)}] that do not match expected type "
                f"int32."
            )
    vals = [to_tensor(d) for d in data]
    hint = next((v.dtype for v, d in zip(vals, data) if isinstance(d, Tensor)), vals[0].dtype)
    vals = [
        v if v.dtype is hint else to_tensor(convert_to_tensor(d, dtype_hint=hint))
        for v, d in zip(vals, data)
    ]
    return execute(_DYNAMIC_STITCH, tuple(idx) + tuple(vals), {"N": len(idx)})


# -- TensorScatterMax / TensorScatterMin -------------------------------------------------


def _scatter_extreme_kernel(tensor, indices, updates, reduce, op):
    from tensorflux.ops.scatter_ops import _check_updates_now, _nd_key

    if tensor.dtype.kind == "c":
        raise NotFoundError(
            None,
            op,
            f"Could not find device for node: {{{{node {op}}}}} = {op}[T=DT_COMPLEX"
            f"{tensor.dtype.itemsize * 8}, Tindices=DT_{indices.dtype.name.upper()}, "
            f'bad_indices_policy=""]\n{op} has no kernel for complex tensors [Op:{op}]',
        )
    _check_updates_now(op, indices, updates, tensor.shape)
    out = tensor.copy()
    reduce.at(out, _nd_key(indices, tensor.shape, op, ""), updates)
    return out


def _scatter_extreme_grad(call, dy):
    """The gradient goes to whichever of the tensor and the updates equal the result,
    split evenly among ties."""
    from tensorflux.ops.logic_ops import equal
    from tensorflux.ops.math_ops import cast, divide, multiply
    from tensorflux.ops.scatter_ops import gather_nd, scatter_nd
    from tensorflux.ops.shape_ops import shape

    x, indices, y = call.inputs
    (out,) = call.outputs
    x_hits = cast(equal(x, out), dy.dtype)
    y_hits = cast(equal(y, gather_nd(out, indices)), dy.dtype)
    count = x_hits + scatter_nd(indices, y_hits, shape(x, out_type=indices.dtype))
    share = divide(dy, count)
    return multiply(share, x_hits), None, multiply(gather_nd(share, indices), y_hits)


def _scatter_extreme_infer(tensor: Spec, indices: Spec, updates: Spec, **attrs) -> Spec:
    return Spec(tensor.dtype, tensor.shape)


_TENSOR_SCATTER_MAX = register(
    "TensorScatterMax",
    kernel=lambda t, i, u: _scatter_extreme_kernel(t, i, u, np.maximum, "TensorScatterMax"),
    grad=_scatter_extreme_grad,
    infer=_scatter_extreme_infer,
)
_TENSOR_SCATTER_MIN = register(
    "TensorScatterMin",
    kernel=lambda t, i, u: _scatter_extreme_kernel(t, i, u, np.minimum, "TensorScatterMin"),
    grad=_scatter_extreme_grad,
    infer=_scatter_extreme_infer,
)


def tensor_scatter_nd_max(tensor, indices, updates, bad_indices_policy="", name=None) -> Tensor:
    """A copy of ``tensor`` where each entry at ``indices`` becomes the maximum of itself
    and its ``updates``.

    Raises:
        InvalidArgumentError: out-of-range indices, or updates of the wrong shape or dtype.

    >>> import tensorflux as tf
    >>> tf.tensor_scatter_nd_max([1, 5, 3], [[0], [1]], [4, 2]).numpy()
    array([4, 5, 3], dtype=int32)
    """
    from tensorflux.ops.scatter_ops import _tensor_scatter

    return _tensor_scatter(_TENSOR_SCATTER_MAX, tensor, indices, updates)


def tensor_scatter_nd_min(tensor, indices, updates, bad_indices_policy="", name=None) -> Tensor:
    """A copy of ``tensor`` where each entry at ``indices`` becomes the minimum of itself
    and its ``updates``.

    Raises:
        InvalidArgumentError: out-of-range indices, or updates of the wrong shape or dtype.

    >>> import tensorflux as tf
    >>> tf.tensor_scatter_nd_min([1, 5, 3], [[0], [1]], [4, 2]).numpy()
    array([1, 2, 3], dtype=int32)
    """
    from tensorflux.ops.scatter_ops import _tensor_scatter

    return _tensor_scatter(_TENSOR_SCATTER_MIN, tensor, indices, updates)


# -- LowerBound / UpperBound -------------------------------------------------------------


def _bound_kernel(sorted_inputs, values, out_type, side, op):
    if sorted_inputs.shape[0] != values.shape[0]:
        raise _error(op, "Leading dim_size of both tensors must match.")
    out = np.empty(values.shape, out_type.as_numpy_dtype)
    for r in range(values.shape[0]):
        out[r] = np.searchsorted(sorted_inputs[r], values[r], side=side)
    return out


def _bound_infer(sorted_inputs: Spec, values: Spec, out_type) -> Spec:
    return Spec(out_type, values.shape)


# Positions in a sorted sequence are integers: TF registers no gradient.
_LOWER_BOUND = register(
    "LowerBound",
    kernel=lambda s, v, out_type: _bound_kernel(s, v, out_type, "left", "LowerBound"),
    grad=None,
    infer=_bound_infer,
    same_dtype=True,
)
_UPPER_BOUND = register(
    "UpperBound",
    kernel=lambda s, v, out_type: _bound_kernel(s, v, out_type, "right", "UpperBound"),
    grad=None,
    infer=_bound_infer,
    same_dtype=True,
)


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """Where each of ``values`` would be inserted in the innermost dimension of
    ``sorted_sequence`` to keep it sorted.

    Args:
        sorted_sequence: N-D, sorted along its last axis.
        values: N-D, with the same leading dimensions.
        side: "left" (first suitable position) or "right" (last).
        out_type: int32 or int64.

    Returns:
        ``values``' shape, of ``out_type``.

    Raises:
        ValueError: a ``side`` other than "left" and "right".
        InvalidArgumentError: mismatched leading dimensions.

    >>> import tensorflux as tf
    >>> tf.searchsorted([1.0, 2.0, 4.0], [0.5, 2.0, 5.0]).numpy()
    array([0, 1, 3], dtype=int32)
    """
    from tensorflux.ops.shape_ops import reshape, shape

    if side not in ("left", "right"):
        raise ValueError(
            f"Argument `side` must be either 'right' or 'left'. Received: `side` = {side!r}."
        )
    seq, vals = to_tensor(sorted_sequence), to_tensor(values)
    out_type = dtypes.as_dtype(out_type)
    op = _LOWER_BOUND if side == "left" else _UPPER_BOUND
    if seq.shape.rank is not None and seq.shape.rank <= 1 and vals.shape.rank == 1:
        out = execute(op, (reshape(seq, [1, -1]), reshape(vals, [1, -1])), {"out_type": out_type})
        return reshape(out, [-1])
    n = seq.shape[-1] if seq.shape.rank else None
    m = vals.shape[-1] if vals.shape.rank else None
    seq2 = reshape(seq, [-1, n if n is not None else shape(seq)[-1]])
    vals2 = reshape(vals, [-1, m if m is not None else shape(vals)[-1]])
    return reshape(execute(op, (seq2, vals2), {"out_type": out_type}), shape(vals))


# -- HistogramFixedWidth -----------------------------------------------------------------


def _histogram_kernel(values, value_range, nbins, dtype):
    nbins = int(nbins)
    op = "HistogramFixedWidth"
    if nbins <= 0:
        raise _error(op, f"nbins should be a positive number, but got '{nbins}'")
    lo, hi = value_range[0], value_range[1]
    if not lo < hi:
        raise _error(
            op,
            f"value_range should satisfy value_range[0] < value_range[1], but got "
            f"'[{_num(lo)}, {_num(hi)}]'",
        )
    step = (float(hi) - float(lo)) / nbins
    shifted = (np.maximum(values.reshape(-1), lo) - lo).astype(np.float64)
    bins = np.minimum(shifted / step, nbins - 1).astype(np.int64)
    return np.bincount(bins, minlength=nbins).astype(dtype.as_numpy_dtype)


def _num(v) -> str:
    return f"{v:.6g}" if isinstance(v, (float, np.floating)) else str(v)


def _histogram_infer(values: Spec, value_range: Spec, nbins: Spec, dtype) -> Spec:
    n = nbins.value if isinstance(nbins.value, int) else None
    return Spec(dtype, TensorShape([n]))


# Counts per bin are piecewise constant: TF registers no gradient.
_HISTOGRAM = register(
    "HistogramFixedWidth",
    kernel=_histogram_kernel,
    grad=None,
    infer=_histogram_infer,
    shape_inputs=(2,),
)


def _histogram_args(values, value_range, nbins):
    v = to_tensor(values)
    r = to_tensor(value_range) if isinstance(value_range, Tensor) else None
    if r is None:
        r = to_tensor(convert_to_tensor(value_range, dtype_hint=v.dtype))
    n = to_tensor(nbins)
    if n.dtype is not dtypes.int32:
        from tensorflux.ops.math_ops import cast

        n = cast(n, dtypes.int32)
    return v, r, n


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """Counts ``values`` in ``nbins`` equal-width bins spanning ``value_range``; values
    below (above) the range go to the first (last) bin.

    Args:
        values: numeric tensor.
        value_range: ``[low, high]``, ``values``' dtype, ``low < high``.
        nbins: int32 scalar > 0.
        dtype: int32 or int64 counts.

    Returns:
        A ``[nbins]`` tensor of counts.

    Raises:
        InvalidArgumentError: ``nbins <= 0`` or an empty range.

    >>> import tensorflux as tf
    >>> tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0], [0.0, 5.0], 5).numpy()
    array([2, 1, 1, 0, 2], dtype=int32)
    """
    v, r, n = _histogram_args(values, value_range, nbins)
    return execute(_HISTOGRAM, (v, r, n), {"dtype": dtypes.as_dtype(dtype)})


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """The bin of each of ``values`` among ``nbins`` equal-width bins spanning
    ``value_range`` (clipped to the first and last bin); ``values``' shape.

    >>> import tensorflux as tf
    >>> tf.histogram_fixed_width_bins([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0], [0.0, 5.0], 5).numpy()
    array([0, 0, 1, 2, 4, 4], dtype=int32)
    """
    from tensorflux.ops.clip_ops import clip_by_value
    from tensorflux.ops.math_ops import cast, multiply, subtract, truediv
    from tensorflux.ops.shape_ops import reshape, shape
    from tensorflux.ops.unary_math_ops import floor

    v, r, n = _histogram_args(values, value_range, nbins)
    if isinstance(n._value, np.ndarray) and type(n) is Tensor and int(n._value) <= 0:
        raise _error("Assert", f"assertion failed: [nbins {n!s} must > 0]")
    flat = reshape(v, [-1])
    # As TF: the bin count in ``values``' dtype (the result is int32 whatever ``dtype``).
    n_float = cast(n, v.dtype)
    scaled = truediv(subtract(flat, r[0]), subtract(r[1], r[0]))
    index = floor(multiply(n_float, scaled))
    index = clip_by_value(index, 0, subtract(n_float, 1))
    return reshape(cast(index, dtypes.int32), shape(v))
