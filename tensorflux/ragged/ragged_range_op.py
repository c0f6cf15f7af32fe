"""The ``RaggedRange`` op (one range per row) and ``RaggedSplitsToSegmentIds`` (the row of
each value): the index arithmetic under ragged tensors.

Every ragged gather, slice and concatenation is a ``tf.gather`` of flat values at the
indices a ``RaggedRange`` spells, so gradients flow through ``GatherV2`` alone.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape


def _ragged_range_kernel(starts, limits, deltas, Tsplits=dtypes.int64):  # noqa: N803 - TF's attr
    starts, limits, deltas = np.broadcast_arrays(starts, limits, deltas)
    starts, limits, deltas = starts.ravel(), limits.ravel(), deltas.ravel()
    if np.any(deltas == 0):
        raise InvalidArgumentError(None, "RaggedRange", "Requires delta != 0 [Op:RaggedRange]")
    if starts.dtype.kind == "f":
        counts = np.ceil((limits - starts) / deltas)
    else:
        span = limits.astype(np.int64) - starts
        counts = -(-span // deltas.astype(np.int64))
    counts = np.maximum(counts, 0).astype(np.int64)
    splits = np.zeros(counts.size + 1, np.int64)
    np.cumsum(counts, out=splits[1:])
    rows = np.repeat(np.arange(counts.size), counts)
    position = np.arange(splits[-1]) - splits[:-1][rows]
    values = (starts[rows] + position * deltas[rows]).astype(starts.dtype)
    return splits.astype(Tsplits.as_numpy_dtype), values


def _ragged_range_infer(starts: Spec, limits: Spec, deltas: Spec, Tsplits=dtypes.int64):  # noqa: N803
    ranks = [s.shape.rank for s in (starts, limits, deltas)]
    known = [s.shape for s in (starts, limits, deltas) if s.shape.rank == 1]
    rows = known[0][0] if known and None not in ranks else None
    if all(r == 0 for r in ranks):
        rows = 1
    splits = TensorShape([None if rows is None else rows + 1])
    return Spec(Tsplits, splits), Spec(starts.dtype, TensorShape([None]))


_INTEGER_OR_FLOAT = frozenset(
    {dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.bfloat16}
)

_RAGGED_RANGE = register(
    "RaggedRange",
    kernel=_ragged_range_kernel,
    grad=None,
    infer=_ragged_range_infer,
    dynamic_shape=True,
    num_outputs=2,
    same_dtype=True,
    allowed=_INTEGER_OR_FLOAT,
)


def ragged_range_parts(starts, limits, deltas=1, splits_dtype=dtypes.int64):
    """``(row_splits, values)`` of the rows ``range(starts[i], limits[i], deltas[i])``."""
    return execute(_RAGGED_RANGE, [starts, limits, deltas], {"Tsplits": splits_dtype})


def _segment_ids_kernel(splits):
    return np.repeat(np.arange(splits.size - 1, dtype=splits.dtype), np.diff(splits))


def _segment_ids_infer(splits: Spec) -> Spec:
    return Spec(splits.dtype, TensorShape([None]))


# TF computes it with tf.repeat inside ``tf.ragged.row_splits_to_segment_ids``; one op
# here keeps the values' count symbolic inside traced graphs.
_SEGMENT_IDS = register(
    "RaggedSplitsToSegmentIds",
    kernel=_segment_ids_kernel,
    grad=None,
    infer=_segment_ids_infer,
    dynamic_shape=True,
    allowed=frozenset({dtypes.int32, dtypes.int64}),
)


def _segment_ids_to_splits_kernel(segment_ids, num_segments):
    n = int(num_segments)
    if n < 0:
        n = int(segment_ids[-1]) + 1 if segment_ids.size else 0
    bounds = np.arange(n + 1, dtype=segment_ids.dtype)
    return np.searchsorted(segment_ids, bounds, side="left").astype(segment_ids.dtype)


def _segment_ids_to_splits_infer(segment_ids: Spec, num_segments: Spec) -> Spec:
    n, ids = num_segments.value, segment_ids.value
    if n == -1 and isinstance(ids, list) and None not in ids:
        n = ids[-1] + 1 if ids else 0
    rows = n + 1 if isinstance(n, int) and n >= 0 else None
    return Spec(segment_ids.dtype, TensorShape([rows]))


# The inverse of RaggedSplitsToSegmentIds for sorted ids (num_segments -1: the last id
# + 1), as one op so that the row count may be known only when a graph runs.
_SEGMENT_SPLITS = register(
    "RaggedSegmentIdsToSplits",
    kernel=_segment_ids_to_splits_kernel,
    grad=None,
    infer=_segment_ids_to_splits_infer,
    allowed=frozenset({dtypes.int32, dtypes.int64}),
    dynamic_shape=True,
)


def segment_ids_to_splits(segment_ids, num_segments=None):
    """Row splits for sorted ``segment_ids`` (num_segments None: the last id + 1)."""
    from tensorflux.ops.math_ops import cast

    n = -1 if num_segments is None else num_segments
    n = cast(n, segment_ids.dtype) if hasattr(n, "dtype") else n
    return execute(_SEGMENT_SPLITS, [segment_ids, n])


def row_splits_to_segment_ids(splits, name=None, out_type=None):
    """The row index of each value of a ragged tensor with these ``splits``.

    >>> import tensorflux as tf
    >>> tf.ragged.row_splits_to_segment_ids([0, 2, 2, 3]).numpy().tolist()
    [0, 0, 2]
    """
    from tensorflux.framework.tensor import convert_to_tensor
    from tensorflux.ops.math_ops import cast

    splits = convert_to_tensor(splits, dtype_hint=dtypes.int64)
    ids = execute(_SEGMENT_IDS, [splits])
    return ids if out_type is None else cast(ids, out_type)


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    """The row splits of a ragged tensor whose values lie in rows ``segment_ids`` (sorted);
    ``num_segments`` adds empty rows at the end.

    >>> import tensorflux as tf
    >>> tf.ragged.segment_ids_to_row_splits([0, 0, 2], num_segments=4).numpy().tolist()
    [0, 2, 2, 3, 3]
    """
    from tensorflux.ragged.ragged_tensor import RaggedTensor

    # The ids themselves serve as the values: only the row partition is wanted.
    rt = RaggedTensor.from_value_rowids(segment_ids, segment_ids, num_segments)
    return rt.row_splits if out_type is None else rt.with_row_splits_dtype(out_type).row_splits
