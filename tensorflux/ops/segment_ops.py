"""Segment reductions: summing rows into buckets (``tf.math.unsorted_segment_sum``,
``tf.math.segment_sum``). Densifying ``tf.IndexedSlices`` is one of them."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import NUMERIC, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops.common import to_tensor

__all__: list = []


# -- UnsortedSegmentSum, SegmentSum -----------------------------------------


def _segment_sum_kernel(data, segment_ids, num_segments):
    num_segments = int(num_segments)
    ids = np.asarray(segment_ids)
    if data.shape[: ids.ndim] != ids.shape:
        dims = ",".join(str(d) for d in data.shape)
        raise InvalidArgumentError(
            None,
            "UnsortedSegmentSum",
            f"data.shape = [{dims}] does not start with segment_ids.shape = "
            f"[{','.join(str(d) for d in ids.shape)}] [Op:UnsortedSegmentSum]",
        )
    keep = check_unsorted_ids(ids, num_segments, "UnsortedSegmentSum")
    out = np.zeros((num_segments,) + data.shape[ids.ndim :], dtype=data.dtype)
    ids, data = ids[keep], data[keep]
    if data.ndim > 1 and ids.size > 1:
        # Rows (an embedding's gradient): each bucket's first row is assigned (plus the
        # zero it starts from, which turns -0.0 into 0.0 as the sum does) and only the
        # repeats go through np.add.at's slow row-by-row scatter. Same order, same sums.
        # A bucket's sum is never -0.0 then, so rows of zeros (a padding token's, under
        # a mask) change nothing and are left out.
        nonzero = data.reshape(ids.size, -1).any(axis=1)
        if not nonzero.all():
            ids, data = ids[nonzero], data[nonzero]
        buckets, first = np.unique(ids, return_index=True)
        out[buckets] = data[first] + out.dtype.type(0)
        repeats = np.ones(ids.size, bool)
        repeats[first] = False
        ids, data = ids[repeats], data[repeats]
    np.add.at(out, ids, data)
    return out


def check_unsorted_ids(ids, num_segments: int, op_name: str):
    """The mask of the ids an unsorted segment op uses: TF drops rows with a negative id
    and rejects ids >= num_segments."""
    too_big = np.argwhere(ids >= num_segments)
    if too_big.size:
        at = tuple(int(i) for i in too_big[0])
        where = ", ".join(str(i) for i in at)
        raise InvalidArgumentError(
            None,
            op_name,
            f"segment_ids[{where}] = {ids[at]} is out of range [0, {num_segments}) "
            f"[Op:{op_name}]. Pass a larger num_segments or drop the row (negative ids "
            "are dropped).",
        )
    return ids >= 0


def _segment_sum_infer(data: Spec, ids: Spec, num_segments) -> Spec:
    if data.shape.rank is None or ids.shape.rank is None:
        return Spec(data.dtype, TensorShape(None))
    return Spec(data.dtype, TensorShape([num_segments] + data.shape.as_list()[ids.shape.rank :]))


def _segment_sum_grad(call, dy):
    """Each input row receives the gradient of its segment: gather(dy, segment_ids) (0 for
    the rows a negative id dropped)."""
    _, ids = call.inputs
    return _gather_valid(dy, ids)[0], None


def _gather_valid(params, ids):
    """``params[ids]`` with zeros where an id is negative (the rows TF's ops dropped)."""
    from tensorflux.ops.creation_ops import zeros_like
    from tensorflux.ops.gather_ops import gather, where
    from tensorflux.ops.logic_ops import greater_equal
    from tensorflux.ops.math_ops import maximum
    from tensorflux.ops.shape_ops import reshape

    gathered = gather(params, maximum(ids, 0))
    extra = gathered.shape.rank - ids.shape.rank
    valid = reshape(greater_equal(ids, 0), ids.shape.as_list() + [1] * extra)
    return where(valid, gathered, zeros_like(gathered)), valid


_SEGMENT_SUM = register(
    "UnsortedSegmentSum",
    kernel=_segment_sum_kernel,
    grad=_segment_sum_grad,
    infer=_segment_sum_infer,
    allowed=NUMERIC,
)


def _segment_ids(segment_ids, op_name: str) -> Tensor:
    ids = to_tensor(segment_ids)
    # TF's UnsortedSegmentSum also takes int16 ids; its other segment ops int32/int64 only.
    allowed = (dtypes.int32, dtypes.int64)
    if op_name == "UnsortedSegmentSum":
        allowed = (dtypes.int16,) + allowed
    if ids._dtype not in allowed:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'Tindices' of {dtypes.tf_type_name(ids._dtype)} is not in the "
            f"list of allowed values: {', '.join(d.name for d in allowed)} [Op:{op_name}]. "
            f"Cast the segment ids, e.g. tf.cast(segment_ids, tf.int32).",
        )
    return ids


def unsorted_segment_sum(data, segment_ids, num_segments, name=None) -> Tensor:
    """Sums the rows of ``data`` into ``num_segments`` buckets named by ``segment_ids``.

    Raises:
        InvalidArgumentError: ids that are not integers or not below ``num_segments``
            (rows with a negative id are dropped, as in TF).
    """
    data, ids = to_tensor(data), _segment_ids(segment_ids, "UnsortedSegmentSum")
    n = int(to_tensor(num_segments).numpy())
    # The kernel checks the ids: a traced graph's ids are known only when it runs.
    return execute(_SEGMENT_SUM, (data, ids), {"num_segments": n})


def _check_sorted_ids(ids) -> None:
    if ids.size and (ids[0] < 0 or np.any(ids[1:] < ids[:-1])):
        raise InvalidArgumentError(
            None,
            "SegmentSum",
            "segment ids are not increasing "
            "[Op:SegmentSum]. Sort them, or use "
            "tf.math.unsorted_segment_sum.",
        )


def _sorted_segment_sum_kernel(data, segment_ids):
    _check_sorted_ids(segment_ids)
    n = int(segment_ids[-1]) + 1 if segment_ids.size else 0
    return _segment_sum_kernel(data, segment_ids, n)


def _sorted_segment_sum_infer(data: Spec, ids: Spec) -> Spec:
    if data.shape.rank is None:
        return Spec(data.dtype, TensorShape(None))
    return Spec(data.dtype, TensorShape([None] + data.shape.as_list()[1:]))


# segment_sum inside a traced graph: how many segments there are depends on the ids'
# values, known only when the graph runs (eagerly, segment_sum runs UnsortedSegmentSum).
_SORTED_SEGMENT_SUM = register(
    "SegmentSum",
    kernel=_sorted_segment_sum_kernel,
    grad=_segment_sum_grad,
    infer=_sorted_segment_sum_infer,
    allowed=NUMERIC,
    dynamic_shape=True,
)


def segment_sum(data, segment_ids, name=None) -> Tensor:
    """Sums rows of ``data`` with equal, sorted ``segment_ids``; max id + 1 rows out.

    Raises:
        InvalidArgumentError: ids that are negative or not sorted.
    """
    ids = _segment_ids(segment_ids, "SegmentSum")
    v = ids._value
    if v.ndim != 1:
        raise InvalidArgumentError(
            None,
            "SegmentSum",
            f"SegmentSum: segment_ids should be a vector, got shape {ids.shape}.",
        )
    if type(ids) is SymbolicTensor:
        return execute(_SORTED_SEGMENT_SUM, (to_tensor(data), ids))
    data = to_tensor(data)
    if not data._value.ndim or data._value.shape[0] != v.shape[0]:
        raise InvalidArgumentError(
            None,
            "SegmentSum",
            "segment_ids should be the same size as dimension 0 of input. [Op:SegmentSum]",
        )
    if v.size and v.min() < 0:
        raise InvalidArgumentError(
            None,
            "SegmentSum",
            f"Segment id {v.min()} out of range [0, {int(v[-1]) + 1}), possibly because "
            f"'segment_ids' input is not sorted. [Op:SegmentSum]",
        )
    _check_sorted_ids(v)
    return unsorted_segment_sum(data, ids, int(v[-1]) + 1 if v.size else 0)
