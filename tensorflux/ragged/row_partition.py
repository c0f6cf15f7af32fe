"""``RowPartition``: how one dimension of a ragged shape cuts its values into rows.

A partition is its ``row_splits`` (row ``i`` holds values ``row_splits[i]`` up to
``row_splits[i + 1]``), and, when every row has one length, that ``uniform_row_length``
(the dimension is then uniform: ``DynamicRaggedShape`` reports it as a number, not a
tuple of lengths). The shapes of ``tf.shape(ragged)`` hold one partition per ragged
dimension, outermost first.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.creation_ops import range as _range
from tensorflux.ops.division_ops import floordiv
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.joining_ops import concat, stack
from tensorflux.ops.math_ops import cast, maximum, subtract
from tensorflux.ops.reduction_ops import cumsum
from tensorflux.ops.shape_ops import shape
from tensorflux.ragged.ragged_range_op import row_splits_to_segment_ids, segment_ids_to_splits

__all__ = ["RowPartition"]

_INDEX_DTYPES = (dtypes.int32, dtypes.int64)


def _known(t):
    """The NumPy value of a tensor known before running (eager or constant), or None;
    a NumPy scalar for a scalar tensor, as TF's static properties give."""
    return np.asarray(t._value)[()] if type(t) is Tensor else None


def _index_tensor(value, dtype, dtype_hint, what: str, rank: int = 1) -> Tensor:
    """``value`` as an int32/int64 tensor of ``rank``, converted as TF's factories do:
    ``dtype`` is required of a tensor and applied to other values."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        if dtype not in _INDEX_DTYPES:
            raise ValueError(f"{what} must have dtype int32 or int64")
    if isinstance(value, Tensor) and dtype is not None and value.dtype is not dtype:
        raise ValueError(
            f"{what}: Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
            f"{value.dtype.name}: {value!r}"
        )
    t = convert_to_tensor(value, dtype=dtype, dtype_hint=dtype_hint or dtypes.int64)
    if t.dtype not in _INDEX_DTYPES:
        raise ValueError(f"{what} must have dtype int32 or int64")
    if t.shape.rank != rank:
        raise ValueError(f"Shape {t.shape} must have rank {rank}")
    return t


def _invalid(fn: str, what: str, why: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        None, fn, f"Arguments to {fn} do not form a valid {what}\n{why}, got other values."
    )


def _splits_from_ends(like: Tensor, ends: Tensor) -> Tensor:
    """Row splits: 0 followed by the end of every row."""
    return concat([convert_to_tensor([0], dtype=like.dtype), ends], 0)


def check_index_dtype(dtype) -> dtypes.DType:
    """``dtype`` as a DType when it is int32 or int64 (a shape's index dtype).

    Raises:
        ValueError: any other dtype, with TF's message ``Illegal dtype: ...``.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _INDEX_DTYPES:
        raise ValueError(f"Illegal dtype: {dtype}")
    return dtype


class RowPartition:
    """The row partition of one ragged (or uniform) dimension.

    Made by its factories (``from_row_splits``, ``from_row_lengths``,
    ``from_value_rowids``, ``from_row_starts``, ``from_row_limits``,
    ``from_uniform_row_length``); the shapes of ragged tensors hold them in
    ``DynamicRaggedShape.row_partitions``.

    >>> import tensorflux as tf
    >>> tf.shape(tf.ragged.constant([[1, 2], [3]])).row_partitions
    (tf.RowPartition(row_splits=[0 2 3]),)
    """

    def __init__(
        self,
        row_splits,
        uniform_row_length=None,
        nrows=None,
        nvals=None,
        value_rowids=None,
        internal=False,
    ):
        if not internal:
            raise ValueError(
                "RowPartition constructor is private; please use one of the factory "
                "methods instead (e.g., RowPartition.from_row_lengths())"
            )
        self._row_splits = row_splits
        self._uniform_row_length = uniform_row_length
        self._nrows = nrows
        self._nvals = nvals
        self._value_rowids = value_rowids

    @classmethod
    def from_row_splits(cls, row_splits, validate=True, dtype=None, dtype_hint=None):
        """Rows ``[row_splits[i], row_splits[i + 1])`` of the values.

        Args:
            row_splits: a vector of int32/int64 starting at 0, never decreasing.
            validate: check the splits (when their values are known).
            dtype: the dtype of the partition (a tensor must already have it).
            dtype_hint: the dtype for Python values when ``dtype`` is None.

        Raises:
            ValueError: splits of another dtype or rank, or empty.
            InvalidArgumentError: splits not starting at 0 or decreasing (``validate``).

        >>> import tensorflux as tf
        >>> tf.experimental.RowPartition.from_row_splits([0, 2, 3]).row_lengths().numpy()
        array([2, 1])
        """
        splits = _index_tensor(row_splits, dtype, dtype_hint, "row_splits")
        if splits.shape[0] == 0:
            raise ValueError("row_splits tensor may not be empty.")
        s = _known(splits)
        if validate and s is not None:
            if s[0] != 0:
                raise _invalid("from_row_splits", "RaggedTensor:zero", "row_splits[0] must be 0")
            if np.any(np.diff(s) < 0):
                raise _invalid(
                    "from_row_splits", "RaggedTensor:monotonic.  ", "row_splits must not decrease"
                )
        return cls(splits, internal=True)

    @classmethod
    def from_row_lengths(cls, row_lengths, validate=True, dtype=None, dtype_hint=None):
        """Rows of the given lengths, one after another.

        Raises:
            ValueError: lengths of another dtype or rank.
            InvalidArgumentError: a negative length (``validate``).
        """
        lengths = _index_tensor(row_lengths, dtype, dtype_hint, "row_lengths")
        v = _known(lengths)
        if validate and v is not None and np.any(v < 0):
            raise _invalid("from_row_lengths", "RowPartition.  ", "row lengths must be >= 0")
        return cls(_splits_from_ends(lengths, cumsum(lengths)), internal=True)

    @classmethod
    def from_value_rowids(
        cls, value_rowids, nrows=None, validate=True, dtype=None, dtype_hint=None
    ):
        """Rows from the (sorted) row of each value; ``nrows`` adds empty rows at the end.

        Raises:
            ValueError: row ids of another dtype or rank, or ``nrows`` too small.
            InvalidArgumentError: negative or decreasing row ids (``validate``).
        """
        rowids = _index_tensor(value_rowids, dtype, dtype_hint, "value_rowids")
        v = _known(rowids)
        if validate and v is not None and (np.any(v < 0) or np.any(np.diff(v) < 0)):
            raise _invalid("from_value_rowids", "RowPartition.  ", "row ids must not decrease")
        if nrows is not None:
            nrows = _index_tensor(nrows, rowids.dtype, None, "nrows", rank=0)
            n = _known(nrows)
            if v is not None and v.size and n is not None and n < v[-1] + 1:
                raise ValueError(
                    "Expected nrows >= value_rowids[-1] + 1; got "
                    f"nrows={int(n)}, value_rowids[-1]={int(v[-1])}"
                )
        splits = segment_ids_to_splits(rowids, nrows)
        return cls(splits, value_rowids=rowids, internal=True)

    @classmethod
    def from_row_starts(cls, row_starts, nvals, validate=True, dtype=None, dtype_hint=None):
        """Rows starting at ``row_starts``, the last one ending at ``nvals``.

        Raises:
            InvalidArgumentError: starts not beginning at 0, decreasing, or past
                ``nvals`` (``validate``).
        """
        starts = _index_tensor(row_starts, dtype, dtype_hint, "row_starts")
        nvals = _index_tensor(nvals, starts.dtype, None, "nvals", rank=0)
        v, n = _known(starts), _known(nvals)
        if validate and v is not None and v.size:
            if v[0] != 0 or (n is not None and v[-1] > n):
                raise _invalid("from_row_starts", "RaggedTensor", "row_starts must fit nvals")
            if np.any(np.diff(v) < 0):
                raise _invalid("from_row_starts", "RaggedTensor.  ", "row_starts must not decrease")
        splits = concat([starts, stack([nvals])], 0)
        return cls(splits, nvals=nvals, internal=True)

    @classmethod
    def from_row_limits(cls, row_limits, validate=True, dtype=None, dtype_hint=None):
        """Rows ending at ``row_limits``, each starting where the previous one ends.

        Raises:
            InvalidArgumentError: negative or decreasing limits (``validate``).
        """
        limits = _index_tensor(row_limits, dtype, dtype_hint, "row_limits")
        v = _known(limits)
        if validate and v is not None and (np.any(v < 0) or np.any(np.diff(v) < 0)):
            raise _invalid("from_row_limits", "RaggedTensor.  ", "row_limits must not decrease")
        return cls(_splits_from_ends(limits, limits), internal=True)

    @classmethod
    def from_uniform_row_length(
        cls,
        uniform_row_length,
        nvals=None,
        nrows=None,
        validate=True,
        dtype=None,
        dtype_hint=None,
    ):
        """``nrows`` rows of ``uniform_row_length`` values each, ``nvals`` in all.

        ``nrows`` defaults to ``nvals // uniform_row_length`` (0 for a length of 0) and
        ``nvals`` to ``nrows * uniform_row_length``.

        Raises:
            ValueError: neither ``nvals`` nor ``nrows``, a negative length, a length
                that is not a scalar, or sizes that do not agree.

        >>> import tensorflux as tf
        >>> tf.experimental.RowPartition.from_uniform_row_length(2, nvals=6)
        tf.RowPartition(nrows=3, uniform_row_length=2)
        """
        if nvals is None and nrows is None:
            raise ValueError("Either (or both) of nvals and nrows must be specified")
        if isinstance(uniform_row_length, float):
            # TF converts a Python length straight to the index dtype, which a float fails.
            want = dtypes.as_dtype(dtype or dtype_hint or dtypes.int64)
            raise TypeError(
                f"Cannot convert {uniform_row_length!r} to EagerTensor of dtype {want.name}"
            )
        length = _index_tensor(uniform_row_length, dtype, dtype_hint, "uniform_row_length", 0)
        dtype = length.dtype
        known_length = _known(length)
        if known_length is not None and known_length < 0:
            raise ValueError("uniform_row_length must be >= 0.")
        if nrows is not None:
            nrows = _index_tensor(nrows, dtype, None, "nrows", rank=0)
        if nvals is None:
            nvals = nrows * length
        else:
            nvals = _index_tensor(nvals, dtype, None, "nvals", rank=0)
        if nrows is None:
            nonzero = cast(length > 0, dtype)
            nrows = nonzero * floordiv(nvals, maximum(length, 1))
        known = [_known(t) for t in (length, nvals, nrows)]
        if validate and None not in known and int(known[0]) * int(known[2]) != int(known[1]):
            raise ValueError(
                f"uniform_row_length={int(known[0])} times nrows={int(known[2])} must equal "
                f"nvals={int(known[1])}"
            )
        limit = nrows if known[2] is None else int(known[2])
        splits = _range(0, limit + 1, dtype=dtype) * length
        return cls(splits, uniform_row_length=length, nrows=nrows, nvals=nvals, internal=True)

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype of the row splits (int32 or int64)."""
        return self._row_splits.dtype

    def row_splits(self) -> Tensor:
        """Where each row starts, and where the last one ends (a vector of ``nrows + 1``)."""
        return self._row_splits

    def row_starts(self) -> Tensor:
        """Where each row starts."""
        return self._row_splits[:-1]

    def row_limits(self) -> Tensor:
        """Where each row ends."""
        return self._row_splits[1:]

    def row_lengths(self) -> Tensor:
        """The length of each row."""
        return subtract(self._row_splits[1:], self._row_splits[:-1])

    def value_rowids(self) -> Tensor:
        """The row of each value."""
        if self._value_rowids is not None:
            return self._value_rowids
        return row_splits_to_segment_ids(self._row_splits)

    def offsets_in_rows(self) -> Tensor:
        """The position of each value within its row."""
        rowids = self.value_rowids()
        return _range(0, self.nvals(), dtype=self.dtype) - gather(self._row_splits, rowids)

    def nrows(self) -> Tensor:
        """The number of rows, as a scalar of ``dtype``."""
        if self._nrows is not None:
            return self._nrows
        return shape(self._row_splits, out_type=self.dtype)[0] - 1

    def nvals(self) -> Tensor:
        """The number of values partitioned, as a scalar of ``dtype``."""
        if self._nvals is not None:
            return self._nvals
        if self._value_rowids is not None:
            return shape(self._value_rowids, out_type=self.dtype)[0]
        return self._row_splits[-1]

    def uniform_row_length(self):
        """The length of every row when the partition is uniform, else None."""
        return self._uniform_row_length

    def is_uniform(self) -> bool:
        """Whether every row is known to have one length."""
        return self._uniform_row_length is not None

    @property
    def static_nrows(self):
        """The number of rows when known before running, else None."""
        n = self._row_splits.shape[0]
        if n is not None:
            return n - 1
        known = None if self._nrows is None else _known(self._nrows)
        return None if known is None else known

    @property
    def static_nvals(self):
        """The number of values when known before running (uniform partitions), else None."""
        if self._nvals is not None:
            return _known(self._nvals)
        return None if self._value_rowids is None else self._value_rowids.shape[0]

    @property
    def static_uniform_row_length(self):
        """The uniform row length when known before running, else None."""
        if self._uniform_row_length is None:
            return None
        return _known(self._uniform_row_length)

    def with_dtype(self, dtype) -> RowPartition:
        """This partition with its tensors cast to ``dtype`` (int32 or int64)."""
        dtype = dtypes.as_dtype(dtype)
        if dtype not in _INDEX_DTYPES:
            raise ValueError("dtype must be int32 or int64")
        if dtype is self.dtype:
            return self
        # As TF's, the copy keeps every encoding but the number of values.
        splits, length, nrows, _, rowids = (
            None if t is None else cast(t, dtype) for t in self._tensors()
        )
        return RowPartition(splits, length, nrows, value_rowids=rowids, internal=True)

    def _tensors(self) -> tuple:
        return (
            self._row_splits,
            self._uniform_row_length,
            self._nrows,
            self._nvals,
            self._value_rowids,
        )

    def __repr__(self):
        if self._uniform_row_length is not None:
            return (
                f"tf.RowPartition(nrows={_text(self.nrows())}, "
                f"uniform_row_length={_text(self._uniform_row_length)})"
            )
        return f"tf.RowPartition(row_splits={_text(self._row_splits)})"


def _text(t) -> str:
    """A tensor as TF prints it inside a partition: its NumPy text when known."""
    known = _known(t)
    return str(t) if known is None else str(known)
