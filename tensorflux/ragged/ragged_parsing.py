"""A ``tf.io.RaggedFeature``'s RaggedTensor from the parsing ops' flat outputs.

The parsing ops give, per ragged key, the values of every group (an Example, or a step
of a SequenceExample's feature list) and the splits between groups. A feature's
partitions hold one vector per group (row lengths, splits, starts, limits or row ids
local to that group); each is turned here into the row lengths of all groups at once,
innermost partition first, with tensorflux ops so the result is also built inside a
traced function. As in TF, partitions are not validated (``validate=False``) except a
uniform row length, which must divide each group's items.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.creation_ops import fill
from tensorflux.ops.creation_ops import range as _range
from tensorflux.ops.gather_ops import gather, where
from tensorflux.ops.joining_ops import concat
from tensorflux.ops.logic_ops import equal, logical_not
from tensorflux.ops.math_ops import cast, maximum
from tensorflux.ops.reduction_ops import cumsum, reduce_sum
from tensorflux.ops.segment_ops import unsorted_segment_sum
from tensorflux.ops.segment_reduce_ops import unsorted_segment_max
from tensorflux.ops.selection_ops import boolean_mask
from tensorflux.ops.shape_ops import reshape, shape
from tensorflux.ragged.ragged_tensor import RaggedTensor

__all__ = ["assemble_ragged"]

_I64 = dtypes.int64


def _diff(splits: Tensor) -> Tensor:
    return splits[1:] - splits[:-1]


def _uniform(counts: Tensor, length: int) -> tuple:
    """Row lengths and per-group row counts for rows of ``length`` items."""
    if type(counts) is Tensor:
        bad = np.nonzero(counts.numpy() % length)[0]
        if bad.size:
            raise InvalidArgumentError(
                None,
                "Reshape",
                f"Input to reshape is a tensor with {int(counts.numpy()[bad[0]])} values, "
                f"but the requested shape requires a multiple of {length}",
            )
    new_counts = counts // length
    return fill(reshape(reduce_sum(new_counts), [1]), np.int64(length)), new_counts


def _lengths(kind: str, values: Tensor, splits: Tensor, counts: Tensor) -> tuple:
    """Row lengths of every group's rows and each group's row count, from partition
    ``values`` grouped by ``splits`` (``counts``: items per group at this level)."""
    splits = cast(splits, _I64)
    rows = _diff(splits)
    if kind == "RowLengths":
        return values, rows
    rowids = cast(RaggedTensor.from_row_splits(values, splits, validate=False).value_rowids(), _I64)
    pos = _range(shape(values, out_type=_I64)[0], dtype=_I64)
    zero = np.zeros([1], np.int64)
    if kind == "RowLimits":
        first = equal(pos, gather(splits[:-1], rowids))
        previous = where(first, 0 * values, concat([zero, values[:-1]], 0))
        return values - previous, rows
    last = equal(pos, gather(splits[1:], rowids) - 1)
    following = concat([values[1:], zero], 0)
    if kind == "RowStarts":
        return where(last, gather(counts, rowids), following) - values, rows
    if kind == "RowSplits":
        return boolean_mask(following - values, logical_not(last)), maximum(rows - 1, 0)
    # ValueRowIds: ids local to a group, shifted past the rows of the groups before it.
    groups = shape(splits, out_type=_I64)[0] - 1
    nrows = maximum(unsorted_segment_max(values, rowids, groups) + 1, 0)
    ids = values + gather(cumsum(nrows, exclusive=True), rowids)
    total = reduce_sum(nrows)
    ones = fill(shape(ids, out_type=_I64), np.int64(1))
    return unsorted_segment_sum(ones, ids, total), nrows


def assemble_ragged(feature, key: str, parsed: dict, one_group: bool):
    """The RaggedTensor (or, for one Example whose partitions are all uniform, the dense
    tensor) of RaggedFeature ``feature`` under ``key``.

    Args:
        feature: the RaggedFeature.
        key: its key in the features dict (its value key by default).
        parsed: ``{ragged key: (values, group splits, outer splits or None)}``; outer
            splits group a SequenceExample batch's steps by record.
        one_group: whether the groups are one Example (no batch dimension).
    """
    values, splits, outer = parsed[feature.value_key or key]
    split_type = feature.row_splits_dtype
    counts = _diff(cast(splits, _I64))
    current = values
    for p in reversed(feature.partitions):
        kind = type(p).__name__
        if kind == "UniformRowLength" and not isinstance(current, RaggedTensor):
            # Innermost uniform rows are a dense dimension of the values, as in TF.
            _, counts = _uniform(counts, int(p.length))
            tail = shape(current, out_type=dtypes.int32)[1:]
            current = reshape(current, concat([np.array([-1, p.length], np.int32), tail], 0))
            continue
        if kind == "UniformRowLength":
            lengths, counts = _uniform(counts, int(p.length))
        else:
            p_values, p_splits, _ = parsed[p.key]
            lengths, counts = _lengths(kind, p_values, p_splits, counts)
        current = RaggedTensor.from_row_lengths(current, cast(lengths, split_type), validate=False)
    if one_group:
        return current
    grouped = RaggedTensor.from_row_lengths(current, cast(counts, split_type), validate=False)
    if outer is None:
        return grouped
    return RaggedTensor.from_row_splits(grouped, cast(outer, split_type), validate=False)
