"""Segment reductions beyond sums: ``tf.math.segment_max/min/prod/mean`` (TF's sorted
SegmentMax ... SegmentMean ops), ``tf.math.unsorted_segment_max/min/prod``
(UnsortedSegmentMax ...) and the composites ``unsorted_segment_mean`` and
``unsorted_segment_sqrt_n``.

Empty segments hold TF's fill values: 0 for every sorted op except SegmentProd (1); for
the unsorted ops the dtype's lowest value (max), highest value (min), 1 (prod). Rows
with a negative id are dropped by the unsorted ops; the sorted ops reject them.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import NUMERIC, REAL, Spec, execute, register
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.segment_ops import _gather_valid, _segment_ids, check_unsorted_ids

__all__: list = []

_REDUCERS = {"Max": np.maximum, "Min": np.minimum, "Prod": np.multiply}


def _empty_fill(kind: str, dtype):
    """What an empty unsorted segment holds: Eigen's lowest/highest, or 1 for a product."""
    if kind == "Prod":
        return 1
    info = np.finfo(dtype) if dtype.kind == "f" else np.iinfo(dtype)
    return info.min if kind == "Max" else info.max


def _reduce_into(kind: str, data, ids, num_segments: int):
    """``(out, counts)``: the rows of ``data`` reduced per id (ids all valid)."""
    out = np.full(
        (num_segments,) + data.shape[ids.ndim :], _empty_fill(kind, data.dtype), data.dtype
    )
    _REDUCERS[kind].at(out, ids, data)
    return out, np.bincount(ids.ravel(), minlength=num_segments)


def _dims_text(shape) -> str:
    """A shape as TF's kernel messages write it: ``[4,2]``."""
    return "[" + ",".join(str(d) for d in shape) + "]"


# -- UnsortedSegmentMax / Min / Prod ----------------------------------------


def _unsorted_kernel(kind: str):
    op_name = f"UnsortedSegment{kind}"

    def kernel(data, segment_ids, num_segments):
        num_segments = int(num_segments)
        ids = np.asarray(segment_ids)
        if data.shape[: ids.ndim] != ids.shape:
            raise InvalidArgumentError(
                None,
                op_name,
                f"data.shape = {_dims_text(data.shape)} does not start with segment_ids.shape "
                f"= {_dims_text(ids.shape)} [Op:{op_name}]",
            )
        keep = check_unsorted_ids(ids, num_segments, op_name)
        return _reduce_into(kind, data[keep], ids[keep], num_segments)[0]

    return kernel


def _unsorted_infer(data: Spec, ids: Spec, num_segments) -> Spec:
    if data.shape.rank is None or ids.shape.rank is None:
        return Spec(data.dtype, TensorShape(None))
    return Spec(data.dtype, TensorShape([num_segments] + data.shape.as_list()[ids.shape.rank :]))


def _segment_sum_like(call, x, ids):
    """Sums ``x`` per segment into as many rows as the op's output has."""
    from tensorflux.ops.segment_ops import segment_sum, unsorted_segment_sum

    if "num_segments" in call.attrs:
        return unsorted_segment_sum(x, ids, call.attrs["num_segments"])
    return segment_sum(x, ids)


def _min_max_grad(call, dy):
    """d/d data = dy[id] / (number of tied extremes) where data equals its segment's
    extreme, else 0 (ties share the gradient equally, as in TF)."""
    from tensorflux.ops.creation_ops import zeros_like
    from tensorflux.ops.gather_ops import where
    from tensorflux.ops.logic_ops import equal, logical_and
    from tensorflux.ops.math_ops import cast, truediv

    data, ids = call.inputs
    extreme, valid = _gather_valid(call.outputs[0], ids)
    chosen = logical_and(equal(data, extreme), valid)
    ties = _segment_sum_like(call, cast(chosen, data.dtype), ids)
    shared, _ = _gather_valid(truediv(dy, ties), ids)
    return where(chosen, shared, zeros_like(data)), None


def _prod_grad(call, dy):
    """d/d data_i = dy[id] * prod(segment without i): prod / data_i, or the product of
    the other entries where data_i is the segment's only zero (0 with two zeros)."""
    from tensorflux.ops.creation_ops import ones_like, zeros_like
    from tensorflux.ops.gather_ops import where
    from tensorflux.ops.logic_ops import equal, greater
    from tensorflux.ops.math_ops import cast, multiply, truediv

    data, ids = call.inputs
    is_zero = equal(data, zeros_like(data))
    # Counted in the real dtype: complex counts could not be compared below.
    zeros = _segment_sum_like(call, cast(is_zero, data.dtype.real_dtype), ids)
    nonzero_data = where(is_zero, ones_like(data), data)
    if "num_segments" in call.attrs:
        nonzero_prod = unsorted_segment_prod(nonzero_data, ids, call.attrs["num_segments"])
    else:
        nonzero_prod = segment_prod(nonzero_data, ids)
    dy = where(greater(zeros, ones_like(zeros)), zeros_like(dy), dy)
    prod_at, _ = _gather_valid(call.outputs[0], ids)
    nonzero_prod_at, _ = _gather_valid(nonzero_prod, ids)
    partial = where(is_zero, nonzero_prod_at, truediv(prod_at, nonzero_data))
    dy_at, _ = _gather_valid(dy, ids)
    return multiply(dy_at, partial), None


_UNSORTED = {
    kind: register(
        f"UnsortedSegment{kind}",
        kernel=_unsorted_kernel(kind),
        grad=_prod_grad if kind == "Prod" else _min_max_grad,
        infer=_unsorted_infer,
        allowed=NUMERIC if kind == "Prod" else REAL,
    )
    for kind in ("Max", "Min", "Prod")
}


def _unsorted(kind: str, data, segment_ids, num_segments) -> Tensor:
    op_name = f"UnsortedSegment{kind}"
    data, ids = to_tensor(data), _segment_ids(segment_ids, op_name)
    n = int(to_tensor(num_segments).numpy())
    return execute(_UNSORTED[kind], (data, ids), {"num_segments": n})


def unsorted_segment_max(data, segment_ids, num_segments, name=None) -> Tensor:
    """The largest row of ``data`` per id in ``segment_ids`` (any order).

    Args:
        data: a real tensor whose shape starts with ``segment_ids``' shape.
        segment_ids: integer ids; rows with a negative id are dropped.
        num_segments: how many segments (rows) the result has.

    Returns:
        ``[num_segments] + data.shape[segment_ids.ndim:]``; empty segments hold the
        dtype's lowest value.

    Raises:
        InvalidArgumentError: non-integer ids, or an id >= ``num_segments``.

    >>> import tensorflux as tf
    >>> tf.math.unsorted_segment_max([1, 5, 2], [1, 0, 1], 2).numpy()
    array([5, 2], dtype=int32)
    """
    return _unsorted("Max", data, segment_ids, num_segments)


def unsorted_segment_min(data, segment_ids, num_segments, name=None) -> Tensor:
    """The smallest row of ``data`` per id (see ``unsorted_segment_max``); empty segments
    hold the dtype's highest value.

    Raises:
        InvalidArgumentError: non-integer ids, or an id >= ``num_segments``.

    >>> import tensorflux as tf
    >>> tf.math.unsorted_segment_min([1, 5, 2], [1, 0, 1], 2).numpy()
    array([5, 1], dtype=int32)
    """
    return _unsorted("Min", data, segment_ids, num_segments)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None) -> Tensor:
    """The product of the rows of ``data`` per id (see ``unsorted_segment_max``); empty
    segments hold 1.

    Raises:
        InvalidArgumentError: non-integer ids, or an id >= ``num_segments``.

    >>> import tensorflux as tf
    >>> tf.math.unsorted_segment_prod([1, 5, 2], [1, 0, 1], 2).numpy()
    array([5, 2], dtype=int32)
    """
    return _unsorted("Prod", data, segment_ids, num_segments)


def _segment_counts(data, segment_ids, num_segments):
    """How many rows each segment has (at least 1), shaped to broadcast against the sums."""
    from tensorflux.ops.creation_ops import ones
    from tensorflux.ops.math_ops import maximum
    from tensorflux.ops.segment_ops import unsorted_segment_sum
    from tensorflux.ops.shape_ops import reshape

    ids = _segment_ids(segment_ids, "UnsortedSegmentSum")
    counts = unsorted_segment_sum(ones(ids.shape, data.dtype), ids, num_segments)
    extra = data.shape.rank - ids.shape.rank
    counts = reshape(counts, [-1] + [1] * extra)
    return maximum(counts, ones([], data.dtype))


def unsorted_segment_mean(data, segment_ids, num_segments, name=None) -> Tensor:
    """The mean of the rows of ``data`` per id; empty segments hold 0. Integer data is
    divided with ``truediv``, as in TF (int32 gives float64).

    Raises:
        InvalidArgumentError: non-integer ids, or an id >= ``num_segments``.

    >>> import tensorflux as tf
    >>> tf.math.unsorted_segment_mean([1.0, 5.0, 2.0], [1, 0, 1], 2).numpy()
    array([5. , 1.5], dtype=float32)
    """
    from tensorflux.ops.math_ops import truediv
    from tensorflux.ops.segment_ops import unsorted_segment_sum

    data = to_tensor(data)
    counts = _segment_counts(data, segment_ids, num_segments)
    return truediv(unsorted_segment_sum(data, segment_ids, num_segments), counts)


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None) -> Tensor:
    """The sum of the rows of ``data`` per id divided by the square root of the row count;
    empty segments hold 0.

    Raises:
        InvalidArgumentError: non-integer ids, an id >= ``num_segments``, or non-floating
            data (TF's Sqrt rejects integers).

    >>> import tensorflux as tf
    >>> tf.math.unsorted_segment_sqrt_n([3.0, 4.0, 4.0], [0, 1, 1], 2).numpy()
    array([3.      , 5.656854], dtype=float32)
    """
    from tensorflux.ops.math_ops import truediv
    from tensorflux.ops.segment_ops import unsorted_segment_sum
    from tensorflux.ops.unary_math_ops import sqrt

    data = to_tensor(data)
    counts = _segment_counts(data, segment_ids, num_segments)
    return truediv(unsorted_segment_sum(data, segment_ids, num_segments), sqrt(counts))


# -- SegmentMax / Min / Prod / Mean (sorted ids) -------------------------------


def _sorted_kernel(kind: str):
    op_name = f"Segment{kind}"

    def kernel(data, segment_ids):
        ids = np.asarray(segment_ids)
        if ids.ndim != 1 or (data.ndim == 0 or data.shape[0] != ids.shape[0]):
            raise InvalidArgumentError(
                None,
                op_name,
                f"segment_ids should be the same size as dimension 0 of input. [Op:{op_name}] "
                f"(data.shape = {_dims_text(data.shape)}, segment_ids.shape = "
                f"{_dims_text(ids.shape)})",
            )
        n = int(ids[-1]) + 1 if ids.size else 0
        if ids.size and ids.min() < 0:
            raise InvalidArgumentError(
                None,
                op_name,
                f"Segment id {ids.min()} out of range [0, {n}), possibly because "
                f"'segment_ids' input is not sorted. [Op:{op_name}]",
            )
        if np.any(ids[1:] < ids[:-1]):
            raise InvalidArgumentError(
                None,
                op_name,
                f"segment ids are not increasing [Op:{op_name}]. Sort them, or use "
                f"tf.math.unsorted_segment_{kind.lower()}.",
            )
        if kind == "Mean":
            sums = np.zeros((n,) + data.shape[1:], data.dtype)
            np.add.at(sums, ids, data)
            counts = np.bincount(ids, minlength=n).reshape((n,) + (1,) * (data.ndim - 1))
            counts = np.maximum(counts, 1).astype(data.dtype)
            if data.dtype.kind in "iu":
                # C++ integer division truncates toward zero.
                return (np.sign(sums) * (np.abs(sums) // counts)).astype(data.dtype)
            return sums / counts
        out, counts = _reduce_into(kind, data, ids, n)
        if kind != "Prod":
            out[counts == 0] = 0
        return out

    return kernel


def _sorted_infer(data: Spec, ids: Spec) -> Spec:
    if data.shape.rank is None:
        return Spec(data.dtype, TensorShape(None))
    return Spec(data.dtype, TensorShape([None] + data.shape.as_list()[1:]))


def _mean_grad(call, dy):
    """d/d data = dy[id] / (rows in the segment)."""
    from tensorflux.ops.creation_ops import ones_like
    from tensorflux.ops.gather_ops import gather
    from tensorflux.ops.math_ops import truediv
    from tensorflux.ops.segment_ops import segment_sum

    data, ids = call.inputs
    counts = segment_sum(ones_like(data), ids)
    return gather(truediv(dy, counts), ids), None


_SORTED_GRADS = {"Max": _min_max_grad, "Min": _min_max_grad, "Prod": _prod_grad, "Mean": _mean_grad}

# The number of segments is the last id + 1: known only when a traced graph runs.
_SORTED = {
    kind: register(
        f"Segment{kind}",
        kernel=_sorted_kernel(kind),
        grad=_SORTED_GRADS[kind],
        infer=_sorted_infer,
        allowed=REAL if kind in ("Max", "Min") else NUMERIC,
        dynamic_shape=True,
    )
    for kind in ("Max", "Min", "Prod", "Mean")
}


def _sorted(kind: str, data, segment_ids) -> Tensor:
    ids = _segment_ids(segment_ids, f"Segment{kind}")
    return execute(_SORTED[kind], (to_tensor(data), ids))


def segment_max(data, segment_ids, name=None) -> Tensor:
    """The largest row of ``data`` per id in the sorted ``segment_ids``.

    Args:
        data: a real tensor with ``len(segment_ids)`` rows.
        segment_ids: sorted, non-negative integer ids, one per row.

    Returns:
        ``[segment_ids[-1] + 1] + data.shape[1:]``; ids that never occur give rows of 0.

    Raises:
        InvalidArgumentError: unsorted or negative ids, or a row count that differs.

    >>> import tensorflux as tf
    >>> tf.math.segment_max([1, 5, 2], [0, 0, 2]).numpy()
    array([5, 0, 2], dtype=int32)
    """
    return _sorted("Max", data, segment_ids)


def segment_min(data, segment_ids, name=None) -> Tensor:
    """The smallest row of ``data`` per sorted id (see ``segment_max``).

    Raises:
        InvalidArgumentError: unsorted or negative ids, or a row count that differs.

    >>> import tensorflux as tf
    >>> tf.math.segment_min([1, 5, 2], [0, 0, 2]).numpy()
    array([1, 0, 2], dtype=int32)
    """
    return _sorted("Min", data, segment_ids)


def segment_prod(data, segment_ids, name=None) -> Tensor:
    """The product of the rows of ``data`` per sorted id; ids that never occur give 1.

    Raises:
        InvalidArgumentError: unsorted or negative ids, or a row count that differs.

    >>> import tensorflux as tf
    >>> tf.math.segment_prod([1, 5, 2], [0, 0, 2]).numpy()
    array([5, 1, 2], dtype=int32)
    """
    return _sorted("Prod", data, segment_ids)


def segment_mean(data, segment_ids, name=None) -> Tensor:
    """The mean of the rows of ``data`` per sorted id (integer data: truncated, as TF's
    kernel divides in the integer type); ids that never occur give 0.

    Raises:
        InvalidArgumentError: unsorted or negative ids, or a row count that differs.

    >>> import tensorflux as tf
    >>> tf.math.segment_mean([1.0, 5.0, 2.0], [0, 0, 2]).numpy()
    array([3., 0., 2.], dtype=float32)
    """
    return _sorted("Mean", data, segment_ids)
