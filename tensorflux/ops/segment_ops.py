"""Segment reductions: summing rows into buckets (``tf.math.unsorted_segment_sum``,
``tf.math.segment_sum``). Densifying ``tf.IndexedSlices`` is one of them."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import INTEGER, NUMERIC, Spec, execute, register
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops.common import to_tensor

__all__: list = []


# -- UnsortedSegmentSum, SegmentSum -----------------------------------------


def _segment_sum_kernel(data, segment_ids, num_segments):
    num_segments = int(num_segments)
    ids = np.asarray(segment_ids)
    if ids.size and (ids.min() < 0 or ids.max() >= num_segments):
        raise InvalidArgumentError(
            None,
            "UnsortedSegmentSum",
            f"segment_ids must be in [0, {num_segments}), got values "
            f"from {ids.min()} to {ids.max()}.",
        )
    out = np.zeros((num_segments,) + data.shape[ids.ndim :], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


def _segment_sum_infer(data: Spec, ids: Spec, num_segments) -> Spec:
    if data.shape.rank is None or ids.shape.rank is None:
        return Spec(data.dtype, TensorShape(None))
    return Spec(data.dtype, TensorShape([num_segments] + data.shape.as_list()[ids.shape.rank :]))


def _segment_sum_grad(call, dy):
    """Each input row receives the gradient of its segment: gather(dy, segment_ids)."""
    _, ids = call.inputs
    from tensorflux.ops.gather_ops import gather

    return gather(dy, ids), None


_SEGMENT_SUM = register(
    "UnsortedSegmentSum",
    kernel=_segment_sum_kernel,
    grad=_segment_sum_grad,
    infer=_segment_sum_infer,
    allowed=NUMERIC,
)


def _segment_ids(segment_ids, op_name: str) -> Tensor:
    ids = to_tensor(segment_ids)
    if ids._dtype not in INTEGER:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name}: segment_ids must be an integer tensor, got {ids._dtype.name}.",
        )
    return ids


def unsorted_segment_sum(data, segment_ids, num_segments, name=None) -> Tensor:
    """Sums the rows of ``data`` into ``num_segments`` buckets named by ``segment_ids``.

    Raises:
        InvalidArgumentError: ids that are not integers or fall outside [0, num_segments).
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
    _check_sorted_ids(v)
    return unsorted_segment_sum(data, ids, int(v[-1]) + 1 if v.size else 0)
