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
from tensorflux.ops.logic_ops import not_equal
from tensorflux.ops.math_ops import cast
from tensorflux.ragged.dynamic_ragged_shape import DynamicRaggedShape
from tensorflux.ragged.ragged_tensor import RaggedTensor

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
    """``tf.broadcast_to`` of a dense tensor to a DynamicRaggedShape.

    Each dimension of ``input`` (aligned at the end) is 1 or the target's size; a
    ragged target dimension takes a size-1 dimension or one that every row matches.

    Raises:
        ValueError: ``input`` of a higher rank than ``shape``.
        InvalidArgumentError: sizes that do not broadcast (``Cannot broadcast``).
    """
    x = convert_to_tensor(input)
    rank, nrp = shape.rank, shape.num_row_partitions
    if x.shape.rank > rank:
        raise ValueError("Cannot broadcast to a shape with smaller rank")
    if nrp == 0:
        return shape_ops.broadcast_to(x, cast(shape.inner_shape, dtypes.int64))
    dtype = shape.dtype
    x = shape_ops.reshape(
        x, concat([np.ones(rank - x.shape.rank, np.int64), shape_ops.shape(x, dtypes.int64)], 0)
    )
    sizes = shape_ops.shape(x, out_type=dtype)
    _check_broadcast(x, shape)
    # The coordinate of every flat value in each partitioned dimension, innermost first.
    position = _range(0, shape.inner_shape[0], dtype=dtype)
    coords = []
    for rp in reversed(shape.row_partitions):
        rows = gather(rp.value_rowids(), position)
        coords.append(position - gather(rp.row_splits(), rows))
        position = rows
    coords.append(position)
    coords.reverse()
    # Where each flat value's outer part lies in x's outer dimensions, a size-1 one
    # repeating its single entry.
    index = convert_to_tensor(0, dtype=dtype)
    for d in range(nrp + 1):
        keep = cast(not_equal(sizes[d], 1), dtype)
        index = index * sizes[d] + coords[d] * keep
    outer = concat([convert_to_tensor([-1], dtype=dtype), sizes[nrp + 1 :]], 0)
    values = gather(shape_ops.reshape(x, outer), index)
    return shape._add_row_partitions(shape_ops.broadcast_to(values, shape.inner_shape))


def _check_broadcast(x: Tensor, shape: DynamicRaggedShape) -> None:
    """Raises TF's error when ``x`` (of the shape's rank) cannot broadcast to ``shape``;
    sizes known only when a graph runs are not checked."""
    sizes = x.shape.as_list()
    lengths = shape.static_lengths()
    for axis, (have, want) in enumerate(zip(sizes, lengths)):
        if have is None or have == 1 or want is None:
            continue
        wanted = set(want) if isinstance(want, tuple) else {int(want)}
        if wanted - {have}:
            raise InvalidArgumentError(
                None,
                "BroadcastTo",
                "Cannot broadcast\nCondition x == y did not hold.\n"
                f"Dimension {axis} of the input has size {have}, which is neither 1 nor "
                f"the size of the target's dimension {axis} ({want}).",
            )
