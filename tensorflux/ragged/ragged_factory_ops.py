"""``tf.ragged.constant`` and ``tf.ragged.range``: ragged tensors from Python lists and
from per-row ranges."""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.math_ops import cast
from tensorflux.ops.shape_ops import reshape
from tensorflux.ragged.ragged_range_op import ragged_range_parts
from tensorflux.ragged.ragged_tensor import RaggedTensor

__all__ = ["constant", "range"]


def _depth(x) -> int:
    """How deep the nesting of lists goes (0 for a scalar); the deepest branch counts."""
    if isinstance(x, (list, tuple)):
        return 1 + max((_depth(e) for e in x), default=0)
    if isinstance(x, np.ndarray):
        return x.ndim
    return 0


def _scalar_depths(x, level=0, out=None) -> set:
    """The depths at which scalars sit (ragged lists must hold them at one depth)."""
    out = set() if out is None else out
    if isinstance(x, (list, tuple)):
        for e in x:
            _scalar_depths(e, level + 1, out)
    elif isinstance(x, np.ndarray):
        out.add(level + x.ndim)
    else:
        out.add(level)
    return out


def constant(
    pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None, row_splits_dtype=dtypes.int64
) -> RaggedTensor:
    """A ragged tensor from nested Python lists.

    Args:
        pylist: nested lists of scalars, all scalars at the same depth.
        dtype: the values' dtype (inferred as ``tf.constant`` does when None).
        ragged_rank: how many dimensions are ragged (default: all but ``inner_shape``).
        inner_shape: the shape of the uniform innermost values.
        row_splits_dtype: int32 or int64.

    Returns:
        A RaggedTensor (a Tensor when ``pylist`` is a scalar).

    Raises:
        ValueError: scalars at different depths, or a ``ragged_rank`` the nesting does
            not allow.

    >>> import tensorflux as tf
    >>> tf.ragged.constant([[1, 2], [3]])
    <tf.RaggedTensor [[1, 2], [3]]>
    """
    depths = _scalar_depths(pylist)
    if len(depths) > 1:
        raise ValueError("all scalar values must have the same nesting depth")
    rank = depths.pop() if depths else _depth(pylist)
    if rank == 0:
        return convert_to_tensor(pylist, dtype=dtype)
    inner_rank = 0 if inner_shape is None else len(inner_shape)
    if ragged_rank is None:
        ragged_rank = max(1, rank - 1 - inner_rank) if rank > 1 else 0
    if ragged_rank < 0 or (rank > 1 and ragged_rank >= rank):
        raise ValueError(f"Invalid pylist={pylist!r}: incompatible with ragged_rank={ragged_rank}")
    row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
    nested_splits = []
    level = list(pylist)
    for _ in builtins.range(ragged_rank):
        splits = [0]
        flat = []
        for row in level:
            for item in row:
                flat.append(item)
            splits.append(len(flat))
        nested_splits.append(splits)
        level = flat
    # ``level`` now holds the rows of the uniform values, each of shape inner_shape.
    values = _uniform_values(level, dtype, inner_shape, rank - ragged_rank)
    if ragged_rank == 0:
        return values
    splits = [
        convert_to_tensor(np.asarray(s, row_splits_dtype.as_numpy_dtype)) for s in nested_splits
    ]
    return RaggedTensor.from_nested_row_splits(values, splits, validate=False)


def _uniform_values(rows: list, dtype, inner_shape, value_rank: int) -> Tensor:
    if not rows:
        inner = list(inner_shape) if inner_shape is not None else [0] * (value_rank - 1)
        return convert_to_tensor(np.zeros([0] + inner), dtype=dtype or dtypes.float32)
    try:
        values = convert_to_tensor(rows, dtype=dtype)
    except ValueError as e:
        raise ValueError(
            f"inner values are not uniform: the dimensions below the ragged ones must all "
            f"have one size ({e})"
        ) from None
    if inner_shape is not None:
        values = reshape(values, [-1] + list(inner_shape))
    return values


def range(starts, limits=None, deltas=1, dtype=None, name=None, row_splits_dtype=dtypes.int64):  # noqa: A001
    """Row ``i`` is ``tf.range(starts[i], limits[i], deltas[i])`` (arguments broadcast).

    >>> import tensorflux as tf
    >>> tf.ragged.range([3, 0, 2])
    <tf.RaggedTensor [[0, 1, 2], [], [0, 1]]>

    Raises:
        InvalidArgumentError: a delta of 0.
    """
    if limits is None:
        starts, limits = 0, starts
    row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
    args = [convert_to_tensor(a, dtype=dtype) for a in (starts, limits, deltas)]
    if dtype is None:
        order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
        widest = max((a.dtype for a in args), key=lambda d: order.index(d) if d in order else 0)
        args = [a if a.dtype is widest else cast(a, widest) for a in args]
    splits, values = ragged_range_parts(*args, splits_dtype=row_splits_dtype)
    return RaggedTensor.from_row_splits(values, splits, validate=False)
