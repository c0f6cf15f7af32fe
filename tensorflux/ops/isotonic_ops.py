"""``tf.nn.isotonic_regression``: the non-increasing (or non-decreasing) sequence closest
in squared error to each row, by pooling adjacent violators.

``IsotonicRegression`` is TF's op: it works on the rows of a matrix, pooling a new value
into the block before it while that block's mean is smaller (so the result never
increases; equal means stay apart), and also returns each element's block number. The
result is, per block, the mean of its inputs, so the gradient is the mean of the incoming
gradient over each block.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.ops.common import to_tensor

__all__ = ["isotonic_regression"]

# TF's output dtypes: floats keep theirs, int8/int16 become float32, the rest float64.
_PROMOTIONS = {
    dtypes.float32: dtypes.float32,
    dtypes.float16: dtypes.float16,
    dtypes.bfloat16: dtypes.bfloat16,
    dtypes.int8: dtypes.float32,
    dtypes.int16: dtypes.float32,
}


def _pool_row(row: np.ndarray):
    """Block means and each element's block number for one row (non-increasing fit)."""
    sums, counts, starts = [], [], []
    for i, v in enumerate(row.tolist()):
        s, c, start = v, 1, i
        while sums and sums[-1] / counts[-1] < s / c:
            s, c, start = s + sums.pop(), c + counts.pop(), starts.pop()
        sums.append(s)
        counts.append(c)
        starts.append(start)
    means = np.repeat(np.asarray(sums) / np.asarray(counts), counts)
    segments = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    return means, segments


def _isotonic_kernel(input, output_dtype):  # noqa: A002 - TF's name
    if input.ndim != 2:
        raise InvalidArgumentError(
            None,
            "IsotonicRegression",
            f"input must be a matrix, got shape {list(input.shape)} [Op:IsotonicRegression]",
        )
    out = np.zeros(input.shape, np.float64)
    segments = np.zeros(input.shape, np.int32)
    for r in range(input.shape[0]):
        out[r], segments[r] = _pool_row(input[r].astype(np.float64))
    return out.astype(output_dtype.as_numpy_dtype), segments


def _isotonic_infer(input: Spec, output_dtype):  # noqa: A002
    return Spec(output_dtype, input.shape), Spec(dtypes.int32, input.shape)


def _isotonic_grad(call, grad_output, grad_segments=None):
    """d/d input = the mean of grad_output over each block (segments are discrete)."""
    from tensorflux.ops.creation_ops import ones_like
    from tensorflux.ops.creation_ops import range as range_
    from tensorflux.ops.gather_ops import gather
    from tensorflux.ops.math_ops import cast, maximum
    from tensorflux.ops.segment_ops import unsorted_segment_sum
    from tensorflux.ops.shape_ops import expand_dims, reshape, shape

    segments = call.outputs[1]
    dims = shape(segments)
    rows, width = dims[0], dims[1]
    ids = reshape(segments + expand_dims(range_(rows) * width, 1), [-1])
    flat = reshape(grad_output, [-1])
    total = rows * width
    sums = unsorted_segment_sum(flat, ids, total)
    counts = unsorted_segment_sum(ones_like(flat), ids, total)
    means = sums / maximum(counts, cast(1, counts.dtype))
    return (reshape(gather(means, ids), dims),)


_ISOTONIC = register(
    "IsotonicRegression",
    kernel=_isotonic_kernel,
    grad=_isotonic_grad,
    infer=_isotonic_infer,
    num_outputs=2,
    allowed=REAL,
)


def isotonic_regression(inputs, decreasing=True, axis=-1):
    """Solves, along ``axis``, ``min sum (y - inputs)**2`` over non-increasing ``y``
    (non-decreasing with ``decreasing=False``) (``tf.nn.isotonic_regression``).

    Args:
        inputs: a real tensor.
        decreasing: fit a non-increasing sequence (else non-decreasing).
        axis: the axis along which to fit.

    Returns:
        ``(output, segments)``: the fit (floats keep their dtype, int8/int16 give float32,
        other integers float64) and int32 block numbers, from 0 in each sequence.

    >>> import tensorflux as tf
    >>> y, seg = tf.nn.isotonic_regression([1.0, 3.0, 2.0])
    >>> y.numpy().tolist(), seg.numpy().tolist()
    ([2.0, 2.0, 2.0], [0, 0, 1])
    """
    from tensorflux.ops.math_ops import negative
    from tensorflux.ops.shape_ops import reshape, shape, transpose

    x = to_tensor(inputs)
    output_dtype = _PROMOTIONS.get(x.dtype, dtypes.float64)
    rank = x.shape.rank
    axis = axis + rank if axis < 0 else axis
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    moved = transpose(x, perm) if axis != rank - 1 else x
    dims = shape(moved)
    matrix = reshape(moved, [-1, dims[-1]] if rank else [1, 1])
    if not decreasing:
        matrix = negative(matrix)
    out, segments = execute(_ISOTONIC, (matrix,), {"output_dtype": output_dtype})
    if not decreasing:
        out = negative(out)
    out, segments = reshape(out, dims), reshape(segments, dims)
    if axis != rank - 1:
        out, segments = transpose(out, perm), transpose(segments, perm)
    return out, segments
