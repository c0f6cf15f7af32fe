"""Indexing ragged tensors: ``rt[i]``, ``rt[a:b]``, ``rt[:, 1:]``, ``rt[1, 2]``.

Rows are picked by gathering the flat values at the indices a ``RaggedRange`` spells,
so every result is built from differentiable ops on the values.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.creation_ops import range as _range
from tensorflux.ops.gather_ops import gather, where
from tensorflux.ops.math_ops import cast, maximum, minimum
from tensorflux.ragged.ragged_range_op import ragged_range_parts
from tensorflux.ragged.ragged_tensor import RaggedTensor

__all__ = ["gather_rows", "ragged_getitem"]


def gather_rows(rt, indices):
    """The rows ``indices`` of ``rt`` (a Tensor or RaggedTensor), in that order."""
    if not isinstance(rt, RaggedTensor):
        return gather(rt, indices)
    indices = cast(convert_to_tensor(indices, dtype_hint=dtypes.int64), rt.row_splits.dtype)
    starts = gather(rt.row_splits[:-1], indices)
    limits = gather(rt.row_splits[1:], indices)
    splits, value_index = ragged_range_parts(starts, limits, 1, rt.row_splits.dtype)
    if indices.shape.rank == 0:
        return gather_rows(rt.values, value_index)
    return RaggedTensor(gather_rows(rt.values, value_index), splits, internal=True)


def _is_int(k) -> bool:
    if isinstance(k, (int, np.integer)) and not isinstance(k, bool):
        return True
    return isinstance(k, Tensor) and k.dtype.is_integer and k.shape.rank == 0


def _static_nrows(rt: RaggedTensor):
    n = rt.row_splits.shape[0]
    return None if n is None else n - 1


def _row_range(rt: RaggedTensor, key: slice) -> Tensor:
    """The row indices ``key`` selects, as a vector of the splits' dtype."""
    nrows = _static_nrows(rt)
    plain = all(
        k is None or isinstance(k, (int, np.integer)) for k in (key.start, key.stop, key.step)
    )
    if nrows is None or not plain:
        raise ValueError(
            f"RaggedTensor row slices need Python int bounds and a known number of rows, "
            f"got {key} for {rt.shape}."
        )
    return _range(*key.indices(nrows), dtype=rt.row_splits.dtype)


def _check_row(rt: RaggedTensor, i) -> None:
    nrows = _static_nrows(rt)
    if isinstance(i, (int, np.integer)) and nrows is not None and not -nrows <= i < nrows:
        raise InvalidArgumentError(
            None,
            "GatherV2",
            f"slice index {i} of dimension 0 out of bounds: the RaggedTensor has {nrows} rows.",
        )


def _per_row_slice(rt: RaggedTensor, key: slice) -> RaggedTensor:
    """``rt[:, key]``: each row sliced like a Python list."""
    step = 1 if key.step is None else key.step
    if step == 0:
        raise ValueError("slice step cannot be zero")
    d = rt.row_splits.dtype
    starts, limits = rt.row_splits[:-1], rt.row_splits[1:]
    lengths = limits - starts

    def bound(b, default_fwd, default_back):
        if b is None:
            return default_fwd if step > 0 else default_back
        b = cast(convert_to_tensor(b, dtype_hint=d), d)
        b = where(b < 0, b + lengths, b)
        low = 0 if step > 0 else -1
        high = lengths if step > 0 else lengths - 1
        return minimum(maximum(b, low), high)

    begin = bound(key.start, lengths * 0, lengths - 1)
    end = bound(key.stop, lengths, lengths * 0 - 1)
    if step < 0:
        # An empty row yields nothing whatever the bounds: RaggedRange counts from them.
        end = maximum(end, -1)
    splits, index = ragged_range_parts(starts + begin, starts + end, step, d)
    out = RaggedTensor(gather_rows(rt.values, index), splits, internal=True)
    width = rt.shape[1]
    plain = all(b is None or isinstance(b, (int, np.integer)) for b in (key.start, key.stop))
    if width is not None and plain:
        # Uniform rows stay uniform: every row is cut to the same length.
        out = _with_uniform(out, convert_to_tensor(len(range(width)[key]), dtype=d))
    return out


def _with_uniform(rt: RaggedTensor, length) -> RaggedTensor:
    if length is None:
        return rt
    return RaggedTensor(rt.values, rt.row_splits, internal=True, uniform_row_length=length)


def _uniform_column(rt: RaggedTensor, i):
    """``rt[:, i]`` for rows of one length: entry ``i`` of every row (a dense result)."""
    d = rt.row_splits.dtype
    length = rt.uniform_row_length
    i = cast(convert_to_tensor(i, dtype_hint=d), d)
    if (
        type(i) is Tensor
        and type(length) is Tensor
        and not -length._value <= i._value < length._value
    ):
        raise InvalidArgumentError(
            None,
            "RaggedGetItem",
            "Index out of bounds when indexing into a ragged tensor\n"
            f"index {int(i._value)} for rows of length {int(length._value)}.",
        )
    i = where(i < 0, i + length, i)
    return gather_rows(rt.values, rt.row_splits[:-1] + i)


def _apply_inner(x, key: tuple):
    """``x[:, *key]``: ``key`` applied below the outermost dimension."""
    if not key:
        return x
    return x[(slice(None),) + tuple(key)]


def ragged_getitem(rt: RaggedTensor, key):
    """``rt[key]`` with TF's ragged indexing rules (ints, slices, tensors of ints)."""
    if not isinstance(key, tuple):
        key = (key,)
    if any(k is Ellipsis or k is None for k in key):
        raise ValueError(
            "Ellipsis and tf.newaxis are not supported in RaggedTensor indexing here: "
            "index each dimension with an int or a slice."
        )
    if not key:
        return rt
    if len(key) > rt.shape.rank:
        raise ValueError(f"Too many indices for RaggedTensor of shape {rt.shape}: {key}.")
    first, rest = key[0], key[1:]
    if _is_int(first):
        _check_row(rt, first)
        if isinstance(first, (int, np.integer)) and first < 0:
            first += _static_nrows(rt)
        row = gather_rows(rt, first)
        return row[rest] if rest else row
    if not isinstance(first, slice):
        raise TypeError(f"RaggedTensor indices must be ints or slices, got {type(first).__name__}.")
    rows = rt
    if first != slice(None):
        # A range of rows keeps their uniform length (a gather of rows does not).
        rows = gather_rows(rt, _row_range(rt, first))
        rows = _with_uniform(rows, rt.uniform_row_length)
    if not rest:
        return rows
    second, deeper = rest[0], rest[1:]
    if isinstance(second, slice):
        inner = rows if second == slice(None) else _per_row_slice(rows, second)
        return inner.with_values(_apply_inner(inner.values, deeper)) if deeper else inner
    if _is_int(second) and rows.uniform_row_length is not None:
        return _apply_inner(_uniform_column(rows, second), deeper)
    if _is_int(second):
        # TF refuses it too: rows may be too short, so the result could not be dense.
        raise ValueError(
            "Cannot index into an inner ragged dimension: use rt[:, a:b] to keep the rows "
            "ragged, or pad them with rt.to_tensor() first."
        )
    raise TypeError(f"RaggedTensor indices must be ints or slices, got {type(second).__name__}.")
