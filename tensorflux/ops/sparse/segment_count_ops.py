"""Sums over chosen rows and counts: ``tf.sparse.segment_sum/mean/sqrt_n``
(SparseSegmentSum/Mean/SqrtN and their ``WithNumSegments`` forms), ``bincount``
(DenseCountSparseOutput, SparseCountSparseOutput), ``mask`` and ``sampled_addmm``."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.gather_ops import gather, where
from tensorflux.ops.joining_ops import concat
from tensorflux.ops.logic_ops import equal, logical_not
from tensorflux.ops.math_ops import cast
from tensorflux.ops.reduction_ops import reduce_any, reduce_sum
from tensorflux.ops.scatter_ops import gather_nd
from tensorflux.ops.segment_ops import unsorted_segment_sum
from tensorflux.ops.shape_ops import reshape
from tensorflux.ops.shape_ops import shape as tf_shape
from tensorflux.ops.shape_ops import transpose as dense_transpose
from tensorflux.ops.sparse.sparse_tensor import SparseTensor
from tensorflux.ops.unary_math_ops import sqrt

__all__ = ["segment_sum", "segment_mean", "segment_sqrt_n", "bincount", "mask", "sampled_addmm"]


# -- SparseSegmentSum / Mean / SqrtN ----------------------------------------------


def _segment_counts(name, data, indices, segment_ids, num_segments):
    rows = data.shape[0]
    bad = np.flatnonzero((indices < 0) | (indices >= rows))
    if bad.size:
        i = int(bad[0])
        raise InvalidArgumentError(
            None, name, f"Bad: indices[{i}] == {indices[i]} out of range [0, {rows})"
        )
    if len(indices) != len(segment_ids):
        raise InvalidArgumentError(None, name, "segment_ids and indices should have same size.")
    if np.any(np.diff(segment_ids) < 0):
        raise InvalidArgumentError(None, name, "segment ids are not increasing")
    if num_segments is None:
        num_segments = int(segment_ids[-1]) + 1 if len(segment_ids) else 0
    elif len(segment_ids) and segment_ids[-1] >= num_segments:
        raise InvalidArgumentError(
            None,
            name,
            f"segment ids must be < num_segments: got {segment_ids[-1]} >= {num_segments}",
        )
    if len(segment_ids) and segment_ids[0] < 0:
        raise InvalidArgumentError(None, name, "segment ids must be >= 0")
    counts = np.bincount(segment_ids, minlength=num_segments).astype(data.dtype)
    return num_segments, counts


def _segment_op(name: str, mode: str, with_num: bool):
    def kernel(data, indices, segment_ids, *num):
        n = int(num[0]) if with_num else None
        n, counts = _segment_counts(name, data, indices, segment_ids, n)
        out = np.zeros((n,) + data.shape[1:], dtype=data.dtype)
        np.add.at(out, segment_ids, data[indices])
        scale = _scale(mode, counts)
        if scale is not None:
            out /= scale.reshape((-1,) + (1,) * (data.ndim - 1))
        return out

    def infer(data: Spec, indices: Spec, segment_ids: Spec, *num) -> Spec:
        if data.shape.rank is None:
            return Spec(data.dtype, TensorShape(None))
        first = (num[0].value if isinstance(num[0].value, int) else None) if num else None
        return Spec(data.dtype, TensorShape([first] + data.shape.as_list()[1:]))

    def grad(call, dy):
        """d data = unsorted_segment_sum(gather(dy, segment_ids) * weight, indices)."""
        data, indices, segment_ids = call.inputs[:3]
        parts = gather(dy, segment_ids)
        if mode != "sum":
            ones = cast(segment_ids * 0 + 1, dy.dtype)
            counts = unsorted_segment_sum(ones, segment_ids, tf_shape(dy)[0])
            counts = counts + cast(equal(counts, 0), dy.dtype)
            weight = gather(counts if mode == "mean" else sqrt(counts), segment_ids)
            parts = parts / reshape(weight, [-1] + [1] * (dy.shape.rank - 1))
        rows = tf_shape(data)[0]
        return (unsorted_segment_sum(parts, indices, rows), None, None) + (None,) * with_num

    if with_num:
        return register(name, kernel=kernel, grad=grad, infer=infer, shape_inputs=(3,))
    return register(name, kernel=kernel, grad=grad, infer=infer, dynamic_shape=True)


def _scale(mode: str, counts: np.ndarray):
    if mode == "sum":
        return None
    counts = np.maximum(counts, 1)
    return counts if mode == "mean" else np.sqrt(counts)


_SEGMENT = {
    (mode, with_num): _segment_op(
        f"SparseSegment{title}{'WithNumSegments' if with_num else ''}", mode, with_num
    )
    for mode, title in (("sum", "Sum"), ("mean", "Mean"), ("sqrt_n", "SqrtN"))
    for with_num in (False, True)
}


def _segment(mode, data, indices, segment_ids, num_segments):
    data = convert_to_tensor(data)
    indices = _int_ids(indices)
    segment_ids = _int_ids(segment_ids)
    if num_segments is None:
        return execute(_SEGMENT[mode, False], (data, indices, segment_ids))
    num = convert_to_tensor(num_segments, dtype=segment_ids.dtype)
    return execute(_SEGMENT[mode, True], (data, indices, segment_ids, num))


def _int_ids(ids) -> Tensor:
    ids = convert_to_tensor(ids)
    if ids.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"indices and segment_ids must be int32 or int64, got {ids.dtype!r}.")
    return ids


def segment_sum(data, indices, segment_ids, num_segments=None, name=None, sparse_gradient=False):
    """``out[s] = sum of data[indices[j]] over the j with segment_ids[j] == s``.

    ``segment_ids`` must be sorted; ``num_segments`` sets the number of output rows.

    Raises:
        InvalidArgumentError: indices out of range, or unsorted segment ids.

    >>> import tensorflux as tf
    >>> data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> tf.sparse.segment_sum(data, [0, 2], [0, 0]).numpy().tolist()
    [[6.0, 8.0]]
    """
    return _segment("sum", data, indices, segment_ids, num_segments)


def segment_mean(data, indices, segment_ids, num_segments=None, name=None, sparse_gradient=False):
    """Like ``segment_sum``, divided by each segment's size (empty segments give 0).

    >>> import tensorflux as tf
    >>> tf.sparse.segment_mean([1.0, 3.0], [0, 1], [0, 0]).numpy().tolist()
    [2.0]
    """
    return _segment("mean", data, indices, segment_ids, num_segments)


def segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None, sparse_gradient=False):
    """Like ``segment_sum``, divided by the square root of each segment's size.

    >>> import tensorflux as tf
    >>> tf.sparse.segment_sqrt_n([2.0, 2.0, 2.0, 2.0], [0, 1, 2, 3], [0, 0, 0, 0]).numpy()
    array([4.], dtype=float32)
    """
    return _segment("sqrt_n", data, indices, segment_ids, num_segments)


# -- DenseCountSparseOutput, SparseCountSparseOutput --------------------------------


def _count(values, weights, batch, rows, binary_output, minlength, maxlength, name):
    if values.size and values.min() < 0:
        raise InvalidArgumentError(
            None, name, f"Input values must all be non-negative. Got {values.min()}."
        )
    top = int(values.max()) + 1 if values.size else 0
    size = max(top, minlength) if minlength >= 0 else top
    if maxlength >= 0:
        size = min(size, maxlength)
    keep = values < size
    values, batch = values[keep], batch[keep]
    out_dtype = weights.dtype
    w = weights.reshape(-1)[keep] if weights.size else np.ones(len(values), out_dtype)
    keys = batch.astype(np.int64) * max(size, 1) + values
    cells, inverse = np.unique(keys, return_inverse=True)
    counts = np.zeros(len(cells), dtype=out_dtype)
    if binary_output:
        counts[:] = 1
    else:
        np.add.at(counts, inverse.reshape(-1), w)
    coords = [cells % max(size, 1)]
    if rows is not None:
        coords.insert(0, cells // max(size, 1))
    shape = [size] if rows is None else [rows, size]
    return np.stack(coords, axis=1).astype(np.int64), counts, np.asarray(shape, np.int64)


def _dense_count_kernel(values, weights, binary_output, minlength, maxlength):
    if values.ndim == 2:
        batch = np.repeat(np.arange(values.shape[0]), values.shape[1])
        rows = values.shape[0]
    else:
        batch, rows = np.zeros(values.size, np.int64), None
    return _count(
        values.reshape(-1),
        weights,
        batch,
        rows,
        binary_output,
        minlength,
        maxlength,
        "DenseCountSparseOutput",
    )


def _sparse_count_kernel(indices, values, shape, weights, binary_output, minlength, maxlength):
    rows = int(shape[0]) if len(shape) == 2 else None
    batch = indices[:, 0] if rows is not None else np.zeros(len(values), np.int64)
    return _count(
        values,
        weights,
        batch,
        rows,
        binary_output,
        minlength,
        maxlength,
        "SparseCountSparseOutput",
    )


def _count_infer(*specs, binary_output, minlength, maxlength):
    if len(specs) == 2:
        values, weights = specs
        rank = values.shape.rank
    else:
        values, weights = specs[1], specs[3]
        rank = specs[2].shape.as_list()[0] if specs[2].shape.rank == 1 else None
    dtype = weights.dtype
    return (
        Spec(dtypes.int64, TensorShape([None, rank])),
        Spec(dtype, TensorShape([None])),
        Spec(dtypes.int64, TensorShape([rank])),
    )


_DENSE_COUNT = register(
    "DenseCountSparseOutput",
    kernel=_dense_count_kernel,
    grad=None,
    infer=_count_infer,
    num_outputs=3,
    dynamic_shape=True,
)
_SPARSE_COUNT = register(
    "SparseCountSparseOutput",
    kernel=_sparse_count_kernel,
    grad=None,
    infer=_count_infer,
    num_outputs=3,
    dynamic_shape=True,
)


def bincount(
    values, weights=None, axis=0, minlength=None, maxlength=None, binary_output=False, name=None
) -> SparseTensor:
    """Counts each non-negative integer in ``values``, as a SparseTensor of the counts.

    Args:
        values: int tensor or SparseTensor (rank 1, or rank 2 with ``axis=-1``).
        weights: added instead of 1 for each value (same shape as ``values``).
        axis: 0 counts over everything; -1 counts each row of a rank-2 input.
        minlength, maxlength: bounds of the counted range ``[0, size)``.
        binary_output: 1 for each value present instead of its count.
        name: unused; kept for TF's signature.

    Raises:
        InvalidArgumentError: negative values.

    >>> import tensorflux as tf
    >>> st = tf.sparse.bincount([1, 2, 2, 5])
    >>> st.indices.numpy().ravel().tolist(), st.values.numpy().tolist()
    ([1, 2, 5], [1, 2, 1])
    """
    attrs = {
        "binary_output": bool(binary_output),
        "minlength": -1 if minlength is None else int(minlength),
        "maxlength": -1 if maxlength is None else int(maxlength),
    }
    if axis not in (0, -1):
        raise ValueError(f"Unsupported axis value {axis}. Only 0 and -1 are supported.")
    if isinstance(values, SparseTensor):
        sp = values
        if axis == 0:
            sp = SparseTensor(sp.indices[:, :0], sp.values, sp.dense_shape[:0])
        w = _weights(weights, sp.values)
        out = execute(_SPARSE_COUNT, (*sp._components(), w), attrs)
        return SparseTensor(*out)
    values = convert_to_tensor(values)
    if axis == 0:
        values = reshape(values, [-1])
    w = _weights(weights, values)
    if axis == 0 and weights is not None:
        w = reshape(w, [-1])
    return SparseTensor(*execute(_DENSE_COUNT, (values, w), attrs))


def _weights(weights, like) -> Tensor:
    if weights is None:
        return convert_to_tensor(np.zeros(0, like.dtype.as_numpy_dtype))
    return convert_to_tensor(weights)


# -- compositions -------------------------------------------------------------


def mask(a, mask_indices, name=None) -> IndexedSlices:
    """The IndexedSlices ``a`` without the rows whose index is in ``mask_indices``.

    >>> import tensorflux as tf
    >>> a = tf.IndexedSlices(tf.constant([[1.0], [2.0]]), tf.constant([0, 3]), tf.constant([4, 1]))
    >>> tf.sparse.mask(a, [3]).indices.numpy().tolist()
    [0]
    """
    indices = convert_to_tensor(a.indices)
    masked = convert_to_tensor(mask_indices, dtype=indices.dtype)
    hit = reduce_any(equal(reshape(indices, [-1, 1]), reshape(masked, [1, -1])), axis=1)
    kept = reshape(where(logical_not(hit)), [-1])
    return IndexedSlices(gather(a.values, kept), gather(indices, kept), a.dense_shape)


def sampled_addmm(
    indices, values, dense_shape, mat1, mat2, beta=1.0, alpha=1.0, output_type=dtypes.float32
):
    """``alpha * (mat1 @ mat2)`` at ``indices`` plus ``beta * values``: the product is
    computed only where the sparse operand has entries.

    Returns:
        ``(indices, values, dense_shape)`` of the result.

    Raises:
        ValueError: a ``dense_shape`` that is not the product's shape.

    >>> import tensorflux as tf
    >>> out = tf.sparse.sampled_addmm([[0, 0], [1, 1]], [1.0, 2.0], [2, 2],
    ...                               tf.ones([2, 3]), tf.ones([3, 2]))
    >>> out[1].numpy().tolist()
    [4.0, 5.0]
    """
    indices = convert_to_tensor(indices)
    values = convert_to_tensor(values)
    dense_shape = convert_to_tensor(dense_shape, dtype=dtypes.int32)
    mat1, mat2 = convert_to_tensor(mat1), convert_to_tensor(mat2)
    out_shape = [int(mat1.shape[-2]), int(mat2.shape[-1])]
    if type(dense_shape) is Tensor and dense_shape.numpy()[-2:].tolist() != out_shape:
        raise ValueError(
            f"Dense shape: {dense_shape} does not match output shape: "
            f"{convert_to_tensor(out_shape)}."
        )
    batch_dims = mat1.shape.rank - 2
    rank = indices.shape[-1]
    rows = gather_nd(mat1, indices[..., : rank - 1], batch_dims=batch_dims)
    cols = gather_nd(
        dense_transpose(mat2, list(range(batch_dims)) + [batch_dims + 1, batch_dims]),
        _columns(indices, batch_dims),
        batch_dims=batch_dims,
    )
    dot = reduce_sum(rows * cols, axis=-1)
    return indices, dot * alpha + values * beta, dense_shape


def _columns(indices, batch_dims: int):
    return concat([indices[..., :batch_dims], indices[..., -1:]], -1)
