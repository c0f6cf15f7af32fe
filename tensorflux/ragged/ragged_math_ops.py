"""Math on ragged tensors: elementwise ops, reductions, concat/stack, boolean_mask.

Elementwise ops run on ``flat_values`` once both operands share a row partition;
reductions over a ragged dimension pad the rows with the reduction's identity
(``to_tensor``) and reduce the dense result, or, over the outer axes of a tensor with
several ragged dimensions, combine sub-rows position by position with segment
reductions; all of them differentiate through the ops on the values.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops import reduction_ops
from tensorflux.ops.creation_ops import ones_like, zeros
from tensorflux.ops.creation_ops import range as _range
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.joining_ops import concat as _dense_concat
from tensorflux.ops.joining_ops import stack as _dense_stack
from tensorflux.ops.math_ops import cast, maximum
from tensorflux.ops.segment_ops import unsorted_segment_sum
from tensorflux.ops.segment_reduce_ops import (
    unsorted_segment_max,
    unsorted_segment_min,
    unsorted_segment_prod,
)
from tensorflux.ops.shape_ops import reshape
from tensorflux.ragged.ragged_getitem import gather_rows
from tensorflux.ragged.ragged_range_op import ragged_range_parts
from tensorflux.ragged.ragged_tensor import RaggedTensor, _eager, shape_len

__all__ = ["boolean_mask", "concat", "elementwise", "map_flat_values", "reduce", "stack"]


def map_flat_values(op, *args, **kwargs):
    """``op`` applied to the flat values of the ragged arguments (which must share their
    row partitions); the result keeps that partition.

    >>> import tensorflux as tf
    >>> tf.ragged.map_flat_values(tf.ones_like, tf.ragged.constant([[1, 2], [3]]))
    <tf.RaggedTensor [[1, 1], [1]]>

    Raises:
        ValueError: no ragged argument.
        InvalidArgumentError: ragged arguments with different row partitions.
    """
    ragged = [a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor)]
    if not ragged:
        raise ValueError("map_flat_values requires at least one RaggedTensor argument.")
    for other in ragged[1:]:
        _check_same_partition(ragged[0], other)

    def flat(a):
        return a.flat_values if isinstance(a, RaggedTensor) else a

    out = op(*[flat(a) for a in args], **{k: flat(v) for k, v in kwargs.items()})
    return ragged[0].with_flat_values(out)


def _check_same_partition(x: RaggedTensor, y: RaggedTensor) -> None:
    xs, ys = x.nested_row_splits, y.nested_row_splits
    if len(xs) != len(ys):
        raise InvalidArgumentError(
            None,
            "AddV2",
            f"Inputs must have identical ragged splits: ragged ranks {len(xs)} and {len(ys)} "
            "differ.",
        )
    for a, b in zip(xs, ys):
        if _eager(a, b) and not np.array_equal(a._value, b._value):
            raise InvalidArgumentError(
                None,
                "AddV2",
                f"Inputs must have identical ragged splits. Condition x == y did not hold "
                f"element-wise: x (row_splits) = {a._value.tolist()} y (row_splits) = "
                f"{b._value.tolist()}. Ragged operands of an elementwise op need the same row "
                "lengths.",
            )


def _broadcast_dense(rt: RaggedTensor, dense: Tensor):
    """``dense`` expanded to the values of ``rt``: a tensor that broadcasts with the flat
    values, or one that holds a value per row (size 1 in the ragged dimension)."""
    inner_rank = rt.flat_values.shape.rank - 1
    if dense.shape.rank <= inner_rank:
        return dense
    if dense.shape.rank != rt.shape.rank or rt.ragged_rank != 1:
        raise ValueError(
            f"Cannot broadcast a dense tensor of shape {dense.shape} with a RaggedTensor of "
            f"shape {rt.shape}: give it rank {rt.shape.rank} with size 1 in the ragged "
            "dimension, or only the inner dimensions."
        )
    if dense.shape[1] == 1:
        per_row = reshape(dense, [dense.shape[0] or -1] + list(dense.shape[2:]))
        rows = rt.value_rowids()
        if per_row.shape[0] == 1:
            rows = rows * 0
        return gather_rows(per_row, rows)
    return RaggedTensor.from_tensor(dense, lengths=rt.row_lengths()).flat_values


def _uniform_levels(rt: RaggedTensor) -> tuple:
    return tuple(rt.shape.as_list()[1 : rt.ragged_rank + 1])


def elementwise(fn, x, y, *args, **kwargs):
    """``fn(x, y)`` for a binary elementwise op with at least one ragged operand."""
    if isinstance(x, RaggedTensor) and isinstance(y, RaggedTensor):
        _check_same_partition(x, y)
        values = fn(x.flat_values, y.flat_values, *args, **kwargs)
        if _uniform_levels(x) != _uniform_levels(y):
            # TF keeps a uniform row length only where both operands have it.
            return RaggedTensor.from_nested_row_splits(values, x.nested_row_splits, validate=False)
        return x.with_flat_values(values)
    if isinstance(x, RaggedTensor):
        y = convert_to_tensor(y, dtype_hint=x.dtype)
        return x.with_flat_values(fn(x.flat_values, _broadcast_dense(x, y), *args, **kwargs))
    x = convert_to_tensor(x, dtype_hint=y.dtype)
    return y.with_flat_values(fn(_broadcast_dense(y, x), y.flat_values, *args, **kwargs))


_IDENTITY = {"sum": 0, "prod": 1, "any": False, "all": True}


def _pad_value(kind: str, dtype: dtypes.DType):
    if kind in _IDENTITY:
        return _IDENTITY[kind]
    # TF fills empty rows with the dtype's lowest (highest) finite value, not -inf (inf).
    np_dtype = dtype.as_numpy_dtype
    info = np.finfo(np_dtype) if dtype.is_floating else np.iinfo(np_dtype)
    return info.min if kind == "max" else info.max


_REDUCERS = {
    "sum": reduction_ops.reduce_sum,
    "prod": reduction_ops.reduce_prod,
    "max": reduction_ops.reduce_max,
    "min": reduction_ops.reduce_min,
    "any": reduction_ops.reduce_any,
    "all": reduction_ops.reduce_all,
}


def _reduce_axis(kind: str, rt, axis: int, keepdims: bool):
    """``rt`` reduced over one axis (sum, prod, max, min, any, all)."""
    if not isinstance(rt, RaggedTensor):
        return _REDUCERS[kind](rt, axis=axis, keepdims=keepdims)
    if axis >= 2:
        return rt.with_values(_reduce_axis(kind, rt.values, axis - 1, keepdims))
    if rt.ragged_rank > 1:
        return _reduce_outer(kind, rt, axis, keepdims)
    # Rows padded with the reduction's identity reduce like the ragged rows themselves.
    dense = rt.to_tensor(default_value=_pad_value(kind, rt.dtype))
    return _REDUCERS[kind](dense, axis=axis, keepdims=keepdims)


_SEGMENT_REDUCERS = {
    "sum": unsorted_segment_sum,
    "prod": unsorted_segment_prod,
    "max": unsorted_segment_max,
    "min": unsorted_segment_min,
}


def _segment_reduce(kind: str, data, segment_ids: Tensor, num_segments):
    """Rows of ``data`` combined by segment: output row ``j`` reduces, position by
    position, the rows whose segment id is ``j`` (a ragged output row is as long as the
    longest of them)."""
    if not isinstance(data, RaggedTensor):
        if kind in ("any", "all"):
            # Booleans reduce as 0/1 integers: any is their max, all their min.
            as_int = cast(data, dtypes.int32)
            out = _SEGMENT_REDUCERS["max" if kind == "any" else "min"](
                as_int, segment_ids, num_segments
            )
            return cast(out, dtypes.bool)
        return _SEGMENT_REDUCERS[kind](data, segment_ids, num_segments)
    lengths = data.row_lengths()
    # An empty segment gets the dtype's lowest length from max; it has no values.
    out_lengths = maximum(unsorted_segment_max(lengths, segment_ids, num_segments), 0)
    out = RaggedTensor.from_row_lengths(
        zeros(reduction_ops.reduce_sum(out_lengths), dtypes.int8), out_lengths, validate=False
    )
    # Value p of data row k lands at position p of output row segment_ids[k].
    rowids = data.value_rowids()
    position = _range(0, shape_len(rowids), dtype=rowids.dtype) - gather(data.row_splits, rowids)
    inner_ids = gather(out.row_splits, gather(segment_ids, rowids)) + position
    values = _segment_reduce(kind, data.values, inner_ids, out.row_splits[-1])
    return out.with_values(values)


def _reduce_outer(kind: str, rt: RaggedTensor, axis: int, keepdims: bool):
    """``rt`` (ragged_rank > 1) reduced over axis 0 or 1: its sub-rows combined position
    by position, across the rows (axis 0) or within each row (axis 1)."""
    if axis == 0:
        rowids = rt.value_rowids()
        column = _range(0, shape_len(rowids), dtype=rowids.dtype) - gather(rt.row_splits, rowids)
        widest = reduction_ops.reduce_max(
            _dense_concat([zeros([1], rowids.dtype), rt.row_lengths()], 0)
        )
        out = _segment_reduce(kind, rt.values, column, widest)
        if keepdims:
            return RaggedTensor.from_uniform_row_length(out, out.nrows(), nrows=1)
        return out
    out = _segment_reduce(kind, rt.values, rt.value_rowids(), rt.nrows())
    if keepdims:
        return RaggedTensor.from_uniform_row_length(out, 1, nrows=rt.nrows())
    return out


def reduce(kind: str, rt: RaggedTensor, axis=None, keepdims=False):
    """TF's ragged reduction ``reduce_<kind>`` (sum, prod, max, min, mean, any, all)."""
    rank = rt.shape.rank
    if axis is None:
        if keepdims:
            raise ValueError("keepdims=True with axis=None is not supported for RaggedTensors.")
        return reduce_flat(kind, rt.flat_values)
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    axes = sorted({int(a) + rank if a < 0 else int(a) for a in axes}, reverse=True)
    if any(not 0 <= a < rank for a in axes):
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    if kind == "mean":
        total = reduce("sum", rt, axes, keepdims)
        count = reduce("sum", rt.with_flat_values(ones_like(rt.flat_values)), axes, keepdims)
        if isinstance(total, RaggedTensor):
            # As in TF, the quotient has plain row partitions (no uniform row length).
            return RaggedTensor.from_nested_row_splits(
                total.flat_values / count.flat_values, total.nested_row_splits, validate=False
            )
        return total / count
    out = rt
    for a in axes:
        out = _reduce_axis(kind, out, a, keepdims)
    return out


def reduce_flat(kind: str, values: Tensor):
    if kind == "mean":
        return reduction_ops.reduce_mean(values)
    return _REDUCERS[kind](values)


def _as_ragged(x, ragged_rank: int, splits_dtype) -> RaggedTensor:
    if isinstance(x, RaggedTensor):
        return x
    return RaggedTensor.from_tensor(x, ragged_rank=ragged_rank, row_splits_dtype=splits_dtype)


def _normalize_axis(axis: int, rank, fn: str) -> int:
    if axis < 0:
        if rank is None:
            raise ValueError(f"{fn}: a negative axis needs inputs of known rank.")
        axis += rank
    return axis


def concat(values, axis, name=None):
    """``tf.concat`` with ragged inputs: along rows (axis 0) or within rows (axis 1).

    >>> import tensorflux as tf
    >>> a = tf.ragged.constant([[1, 2], [3]])
    >>> tf.concat([a, a], axis=1)
    <tf.RaggedTensor [[1, 2, 1, 2], [3, 3]]>

    Raises:
        InvalidArgumentError: axis 1 on inputs with different numbers of rows.
    """
    return _concat_or_stack(values, axis, stack_values=False)


def stack(values, axis=0, name=None):
    """``tf.stack`` with ragged inputs (``tf.ragged.stack``): a new dimension at ``axis``.

    >>> import tensorflux as tf
    >>> tf.ragged.stack([tf.ragged.constant([[1, 2], [3]]), tf.ragged.constant([[4]])])
    <tf.RaggedTensor [[[1, 2], [3]], [[4]]]>
    """
    return _concat_or_stack(values, axis, stack_values=True)


def _concat_or_stack(values, axis: int, stack_values: bool):
    values = list(values)
    if not values:
        raise ValueError("tf.concat/tf.stack need at least one input.")
    ragged = [v for v in values if isinstance(v, RaggedTensor)]
    if not ragged:
        values = [convert_to_tensor(v) for v in values]
        rank = values[0].shape.rank
        if stack_values:
            return RaggedTensor.from_tensor(_dense_stack(values, axis))
        return RaggedTensor.from_tensor(_dense_concat(values, axis))
    splits_dtype = ragged[0].row_splits_dtype
    rank = max(v.shape.rank for v in ragged)
    fn = "tf.stack" if stack_values else "tf.concat"
    axis = _normalize_axis(axis, rank + (1 if stack_values else 0), fn)
    rts = [
        _as_ragged(v, max(1, min(ragged[0].ragged_rank, rank - 1)), splits_dtype) for v in values
    ]
    for rt in rts:
        if rt.dtype is not rts[0].dtype:
            raise InvalidArgumentError(
                None,
                "ConcatV2",
                f"{fn} of ragged tensors needs one dtype, got {rts[0].dtype.name} and "
                f"{rt.dtype.name}: cast them first.",
            )
    if stack_values:
        rts = [_expand_dims(rt, axis) for rt in rts]
    if axis == 0:
        return _concat_rows(rts)
    return _concat_within_rows(rts, axis)


def _expand_dims(rt: RaggedTensor, axis: int) -> RaggedTensor:
    """``rt`` with a new dimension of size 1 at ``axis``."""
    d = rt.row_splits_dtype
    if axis == 0:
        splits = _dense_stack([cast(0, d), rt.nrows()])
        return RaggedTensor(rt, splits, internal=True)
    if axis == 1:
        splits = _range(0, rt.nrows() + 1, dtype=d)
        return RaggedTensor(rt, splits, internal=True)
    return rt.with_values(_expand_inner(rt.values, axis - 1))


def _expand_inner(values, axis: int):
    if isinstance(values, RaggedTensor):
        return _expand_dims(values, axis)
    from tensorflux.ops.shape_ops import expand_dims

    return expand_dims(values, axis)


def _concat_rows(rts: list) -> RaggedTensor:
    values = [rt.values for rt in rts]
    if isinstance(values[0], RaggedTensor):
        inner = _concat_rows(values)
    else:
        inner = _dense_concat(values, 0)
    parts, offset = [rts[0].row_splits], rts[0].row_splits[-1]
    for rt in rts[1:]:
        parts.append(rt.row_splits[1:] + offset)
        offset = offset + rt.row_splits[-1]
    return RaggedTensor(inner, _dense_concat(parts, 0), internal=True)


def _concat_within_rows(rts: list, axis: int) -> RaggedTensor:
    nrows = [rt.nrows() for rt in rts]
    if _eager(*nrows) and len({int(n._value) for n in nrows}) > 1:
        raise InvalidArgumentError(
            None,
            "ConcatV2",
            f"Input tensors at index 0 (=x) and 1 (=y) must have the same number of rows to be "
            f"concatenated along axis {axis}: got {[int(n._value) for n in nrows]} rows.",
        )
    if axis > 1:
        inner = _concat_or_stack_inner([rt.values for rt in rts], axis - 1)
        return rts[0].with_values(inner)
    # Row i of the result is row i of every input in turn: gather the concatenated values
    # at the ranges of rows interleaved input by input.
    offsets, values, total = [], [], None
    for rt in rts:
        offsets.append(0 if total is None else total)
        n = rt.row_splits[-1]
        total = n if total is None else total + n
        values.append(rt.values)
    starts = _dense_stack([rt.row_splits[:-1] + o for rt, o in zip(rts, offsets)], axis=1)
    limits = _dense_stack([rt.row_splits[1:] + o for rt, o in zip(rts, offsets)], axis=1)
    splits, index = ragged_range_parts(
        reshape(starts, [-1]), reshape(limits, [-1]), 1, rts[0].row_splits_dtype
    )
    flat = _concat_rows_values(values)
    return RaggedTensor(gather_rows(flat, index), splits[:: len(rts)], internal=True)


def _concat_rows_values(values: list):
    if isinstance(values[0], RaggedTensor):
        return _concat_rows(values)
    return _dense_concat(values, 0)


def _concat_or_stack_inner(values: list, axis: int):
    if isinstance(values[0], RaggedTensor):
        return _concat_within_rows(values, axis) if axis >= 1 else _concat_rows(values)
    return _dense_concat(values, axis)


def boolean_mask(data, mask, name=None):
    """The entries of ``data`` where ``mask`` is True; masked dimensions become ragged.

    >>> import tensorflux as tf
    >>> tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]], [[True, False, True], [False, False, True]])
    <tf.RaggedTensor [[1, 3], [6]]>

    Raises:
        ValueError: a mask of rank 0, or one whose shape does not match ``data``.
    """
    from tensorflux.ops.selection_ops import boolean_mask as dense_mask

    if isinstance(mask, RaggedTensor):
        if not isinstance(data, RaggedTensor):
            data = RaggedTensor.from_tensor(data, lengths=mask.row_lengths())
        _check_same_partition(data, mask)
        return _mask_ragged(data, mask)
    mask = convert_to_tensor(mask, dtype=dtypes.bool)
    if mask.shape.rank == 0:
        raise ValueError("mask.shape.ndims must be greater than 0.")
    if mask.shape.rank == 1:
        if isinstance(data, RaggedTensor):
            return gather_rows(data, _true_positions(mask))
        return dense_mask(data, mask)
    if isinstance(data, RaggedTensor):
        mask = RaggedTensor.from_tensor(mask, lengths=data.row_lengths())
        return _mask_ragged(data, mask)
    data = convert_to_tensor(data)
    ragged_data = RaggedTensor.from_tensor(data, ragged_rank=mask.shape.rank - 1)
    ragged_mask = RaggedTensor.from_tensor(mask, ragged_rank=mask.shape.rank - 1)
    return _mask_ragged(ragged_data, ragged_mask)


def _true_positions(mask: Tensor) -> Tensor:
    from tensorflux.ops.gather_ops import where

    return reshape(where(mask), [-1])


def _mask_ragged(data: RaggedTensor, mask: RaggedTensor) -> RaggedTensor:
    """Masks the innermost ragged dimension of ``data`` (same partition as ``mask``)."""
    if isinstance(data.values, RaggedTensor):
        return data.with_values(_mask_ragged(data.values, mask.values))
    keep = cast(mask.values, data.row_splits_dtype)
    lengths = reduce("sum", RaggedTensor(keep, data.row_splits, internal=True), axis=1)
    values = gather_rows(data.values, _true_positions(mask.values))
    return RaggedTensor.from_row_lengths(values, lengths, validate=False)
