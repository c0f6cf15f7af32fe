"""``tf.strings.unsorted_segment_join``: strings joined per segment (under ragged
``reduce_join``)."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape

__all__ = ["unsorted_segment_join"]


def _unsorted_segment_join_kernel(inputs, segment_ids, num_segments, separator=""):
    n = int(num_segments)
    ids = segment_ids.astype(np.int64)
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        raise InvalidArgumentError(
            None,
            "UnsortedSegmentJoin",
            "segment_ids are not allowed to exceed num_segments or to have negative values.",
        )
    if inputs.shape[: ids.ndim] != ids.shape:
        raise InvalidArgumentError(
            None,
            "UnsortedSegmentJoin",
            f"segment_ids.shape = {list(ids.shape)} does not prefix inputs.shape = "
            f"{list(inputs.shape)}: give one segment id per leading entry of inputs.",
        )
    inner = inputs.shape[ids.ndim :]
    rows = inputs.reshape((ids.size, -1))
    parts = [[[] for _ in range(rows.shape[1])] for _ in range(n)]
    for seg, row in zip(ids.ravel().tolist(), rows):
        for j, s in enumerate(row):
            parts[seg][j].append(s)
    sep = separator.encode() if isinstance(separator, str) else separator
    out = np.empty((n, rows.shape[1]), dtype=object)
    for i in range(n):
        for j in range(rows.shape[1]):
            out[i, j] = sep.join(parts[i][j])
    return out.reshape((n,) + inner)


def _unsorted_segment_join_infer(inputs: Spec, segment_ids: Spec, num_segments: Spec, **attrs):
    n = num_segments.value if isinstance(num_segments.value, int) else None
    if inputs.shape.rank is None or segment_ids.shape.rank is None:
        return Spec(dtypes.string, TensorShape(None))
    return Spec(dtypes.string, TensorShape([n] + list(inputs.shape)[segment_ids.shape.rank :]))


_JOIN = register(
    "UnsortedSegmentJoin",
    kernel=_unsorted_segment_join_kernel,
    grad=None,
    infer=_unsorted_segment_join_infer,
    allowed=frozenset({dtypes.string}),
    shape_inputs=(2,),
)


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """Joins the strings of ``inputs`` that share a segment id, in their order.

    >>> import tensorflux as tf
    >>> tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 2, separator="-").numpy()
    array([b'b', b'a-c'], dtype=object)

    Raises:
        InvalidArgumentError: a segment id below 0 or not below ``num_segments``.
    """
    return execute(_JOIN, [inputs, segment_ids, num_segments], {"separator": separator})
