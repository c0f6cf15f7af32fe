"""``tf.shape``, ``tf.zeros``, ``tf.ones``, ``tf.fill``, ``tf.reshape`` and
``tf.broadcast_to`` for ragged tensors and ``DynamicRaggedShape`` (the public functions
send such arguments here: ``tensorflux.ops.ragged_dispatch``).

Each builds the flat values with the dense op on the shape's ``inner_shape`` and cuts
them with the shape's row partitions.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops import creation_ops, shape_ops
from tensorflux.ops.creation_ops import range as _range
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.joining_ops import concat
from tensorflux.ops.logic_ops import equal, logical_or, not_equal
from tensorflux.ops.math_ops import cast
from tensorflux.ragged.dynamic_ragged_shape import DynamicRaggedShape
from tensorflux.ragged.ragged_tensor import RaggedTensor
from tensorflux.ragged.row_partition import RowPartition

__all__ = ["broadcast_to", "fill", "ones", "ragged_shape", "reshape", "zeros"]


def ragged_shape(input, out_type=dtypes.int32) -> DynamicRaggedShape:  # noqa: A002
    """``tf.shape`` of a RaggedTensor: its DynamicRaggedShape with sizes in ``out_type``.

    Raises:
        ValueError: an ``out_type`` other than int32 or int64.
    """
    return DynamicRaggedShape.from_tensor(input, dtype=out_type)


def zeros(shape: DynamicRaggedShape, dtype=dtypes.float32):
    """``tf.zeros`` of a DynamicRaggedShape: a RaggedTensor (a Tensor for a dense shape)."""
    return shape._add_row_partitions(creation_ops.zeros(shape.inner_shape, dtype=dtype))


def ones(shape: DynamicRaggedShape, dtype=dtypes.float32):
    """``tf.ones`` of a DynamicRaggedShape: a RaggedTensor (a Tensor for a dense shape)."""
    return shape._add_row_partitions(creation_ops.ones(shape.inner_shape, dtype=dtype))


def fill(dims: DynamicRaggedShape, value):
    """``tf.fill`` of a DynamicRaggedShape: ``value`` everywhere in that shape."""
    return dims._add_row_partitions(creation_ops.fill(dims.inner_shape, value))


def reshape(tensor, shape):
    """``tf.reshape`` of a RaggedTensor, or to a DynamicRaggedShape: the flat values
    (every value of a ragged ``tensor``, in order) laid out in ``shape``."""
    if isinstance(tensor, RaggedTensor):
        tensor = tensor.flat_values
    if isinstance(shape, DynamicRaggedShape):
        return shape._add_row_partitions(shape_ops.reshape(tensor, shape.inner_shape))
    return shape_ops.reshape(tensor, shape)


def broadcast_to(input, shape: DynamicRaggedShape):  # noqa: A002 - TF's argument name
    """``tf.broadcast_to`` of a Tensor or RaggedTensor to a DynamicRaggedShape.

    ``input``'s dimensions align with the last ones of ``shape``; each is 1 or has the
    target's sizes (a ragged dimension the same row lengths). Missing outer dimensions
    repeat ``input``.

    Raises:
        ValueError: ``input`` of a higher rank than ``shape``, ragged dimensions where
            ``shape`` has uniform ones, or a RaggedTensor whose row splits dtype is not
            ``shape.dtype``.
        InvalidArgumentError: sizes that do not broadcast (``Cannot broadcast``).

    >>> import tensorflux as tf
    >>> tf.broadcast_to([[1], [2]], tf.shape(tf.ragged.constant([[5, 6], [7]])))
    <tf.RaggedTensor [[1, 1], [2]]>
    """
    if isinstance(input, RaggedTensor):
        if shape.num_row_partitions == 0:
            shape = shape.with_dtype(input.row_splits.dtype)
        elif input.row_splits.dtype is not shape.dtype:
            raise ValueError("Cannot coerce row_splits.dtype")
        source = DynamicRaggedShape.from_tensor(input)
        flat = input.flat_values
    else:
        flat = convert_to_tensor(input)
        dtype = shape.dtype if shape.num_row_partitions else dtypes.int64
        shape = shape.with_dtype(dtype)
        source = DynamicRaggedShape.from_tensor(flat, dtype=dtype)
    offset = shape.rank - source.rank
    if offset < 0:
        raise ValueError("Cannot broadcast to a shape with smaller rank")
    ragged_dims = source.num_row_partitions
    if ragged_dims and ragged_dims + offset > shape.num_row_partitions:
        # As TF, sizes that do not broadcast are reported first; sizes that do still
        # leave ragged rows where the result has uniform ones.
        widened = _with_uniform_partitions(shape, source.num_row_partitions + offset)
        _source_index(source, widened, offset)
        raise ValueError("Cannot get an inner shape over a ragged dimension")
    if offset > shape.num_row_partitions:
        # ``input`` lies within the flat values' dimensions: a dense broadcast.
        _check_sizes(flat.shape.as_list(), shape._static_inner_shape.as_list())
        return shape._add_row_partitions(shape_ops.broadcast_to(flat, shape.inner_shape))
    index = _source_index(source, shape, offset)
    used = shape.num_row_partitions - offset - source.num_row_partitions + 1
    rest = shape_ops.shape(flat, out_type=shape.dtype)[used:]
    values = gather(shape_ops.reshape(flat, concat([[-1], rest], 0)), index)
    _check_sizes(flat.shape.as_list()[used:], shape._static_inner_shape.as_list()[1:])
    return shape._add_row_partitions(shape_ops.broadcast_to(values, shape.inner_shape))


def _source_index(source: DynamicRaggedShape, target: DynamicRaggedShape, offset: int) -> Tensor:
    """For every value of ``target``'s innermost partition, the row of the source's
    values (merged over the dimensions the partitions cover) it takes its value from.

    Walks the target's levels outermost first: an entry of level ``L`` has a parent in
    level ``L - 1`` and a position in that parent's row; its source entry follows from
    its parent's (a size-1 source dimension always giving position 0)."""
    dtype = target.dtype
    flat_sizes = source.inner_shape
    one = convert_to_tensor(1, dtype=dtype)
    source_index = None
    for level in range(target.num_row_partitions + 1):
        if level == 0:
            position = _range(0, target[0], dtype=dtype)
            row_lengths = None
        else:
            rp = target.row_partitions[level - 1]
            parent, position, row_lengths = (
                rp.value_rowids(),
                rp.offsets_in_rows(),
                rp.row_lengths(),
            )
        if source_index is not None:
            j = level - 1 - offset
            if j < source.num_row_partitions:
                sp = source.row_partitions[j]
                if sp.static_uniform_row_length == 1:
                    source_index = gather(sp.row_splits(), gather(source_index, parent))
                    continue
                _require(equal(row_lengths, gather(sp.row_lengths(), source_index)))
                starts = gather(sp.row_splits(), gather(source_index, parent))
                source_index = starts + position
            else:
                size = flat_sizes[j - source.num_row_partitions + 1]
                _require(logical_or(equal(size, one), equal(row_lengths, size)))
                keep = cast(not_equal(size, one), dtype)
                source_index = gather(source_index, parent) * size + position * keep
        elif level == offset:
            nrows = source[0]
            target_sizes = target[0] if level == 0 else row_lengths
            _require(logical_or(equal(nrows, one), equal(target_sizes, nrows)))
            source_index = position * cast(not_equal(nrows, one), dtype)
    return source_index


def _with_uniform_partitions(shape: DynamicRaggedShape, count: int) -> DynamicRaggedShape:
    """``shape`` with its outer inner dimensions as uniform partitions, ``count`` in all."""
    partitions = list(shape.row_partitions)
    inner = shape.inner_shape
    while len(partitions) < count:
        nrows, width = inner[0], inner[1]
        partitions.append(
            RowPartition.from_uniform_row_length(width, nvals=nrows * width, nrows=nrows)
        )
        inner = concat([[nrows * width], inner[2:]], 0)
    return DynamicRaggedShape(partitions, inner)


def _require(condition: Tensor) -> None:
    """Raises TF's broadcasting error when ``condition`` is known and not all True;
    sizes known only when a graph runs are not checked."""
    known = condition._value if type(condition) is Tensor else None
    if known is not None and not np.all(known):
        raise _cannot_broadcast()


def _check_sizes(have: list, want: list) -> None:
    """Raises TF's error when known sizes (aligned at the end) neither match nor are 1."""
    for h, w in zip(reversed(have), reversed(want)):
        if h is not None and w is not None and h not in (1, w):
            raise _cannot_broadcast()


def _cannot_broadcast() -> InvalidArgumentError:
    return InvalidArgumentError(
        None,
        "BroadcastTo",
        "Cannot broadcast\nCondition x == y did not hold.\nThe input's sizes are neither "
        "1 nor the target shape's (a ragged dimension needs the same row lengths).",
    )
