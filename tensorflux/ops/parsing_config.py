"""The feature specs of ``tf.io.parse_example``: ``FixedLenFeature``,
``FixedLenSequenceFeature``, ``VarLenFeature``, ``SparseFeature`` and ``RaggedFeature``
(with its partitions), as TF's namedtuples with TF's defaults and validation.
"""

from __future__ import annotations

import collections

from tensorflux.framework import dtypes

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "VarLenFeature",
    "SparseFeature",
    "RaggedFeature",
]


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature of any number of values per example, parsed into a ``tf.SparseTensor``.

    >>> from tensorflux.framework import dtypes
    >>> VarLenFeature(dtypes.int64)
    VarLenFeature(dtype=tf.int64)
    """

    __slots__ = ()


class FixedLenFeature(
    collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])
):
    """A feature of ``shape`` values per example, parsed into a dense tensor; an example
    without it takes ``default_value`` (required when that is None).

    >>> from tensorflux.framework import dtypes
    >>> FixedLenFeature([2], dtypes.float32)
    FixedLenFeature(shape=[2], dtype=tf.float32, default_value=None)
    """

    __slots__ = ()

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(
    collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"]
    )
):
    """A feature holding any number of items of ``shape``, parsed into a dense tensor
    with a leading dimension for the items (examples padded with ``default_value``).

    >>> from tensorflux.framework import dtypes
    >>> FixedLenSequenceFeature([], dtypes.int64, allow_missing=True)
    FixedLenSequenceFeature(shape=[], dtype=tf.int64, allow_missing=True, default_value=None)
    """

    __slots__ = ()

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class SparseFeature(
    collections.namedtuple(
        "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"]
    )
):
    """A ``tf.SparseTensor`` of dense shape ``size`` built from index feature(s)
    ``index_key`` and the values of ``value_key``.

    >>> from tensorflux.framework import dtypes
    >>> SparseFeature("i", "v", dtypes.float32, 5)
    SparseFeature(index_key='i', value_key='v', dtype=tf.float32, size=5, already_sorted=False)
    """

    __slots__ = ()

    def __new__(cls, index_key, value_key, dtype, size, already_sorted=False):
        return super().__new__(cls, index_key, value_key, dtype, size, already_sorted)


class RaggedFeature(
    collections.namedtuple(
        "RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"]
    )
):
    """A feature parsed into a ``tf.RaggedTensor``: the values of ``value_key`` (default:
    the feature's own key), split by ``partitions`` (outermost first) read from other
    features or given as ``UniformRowLength``.

    >>> from tensorflux.framework import dtypes
    >>> RaggedFeature(dtypes.int64, "v", [RaggedFeature.RowLengths("n")]).partitions
    (RowLengths(key='n'),)

    Raises:
        ValueError: a dtype other than int64, float32 or string, a non-string
            value_key, or a row_splits_dtype other than int32/int64.
        TypeError: a partition that is not one of the partition types.
    """

    __slots__ = ()

    RowSplits = collections.namedtuple("RowSplits", ["key"])
    RowLengths = collections.namedtuple("RowLengths", ["key"])
    RowStarts = collections.namedtuple("RowStarts", ["key"])
    RowLimits = collections.namedtuple("RowLimits", ["key"])
    ValueRowIds = collections.namedtuple("ValueRowIds", ["key"])
    UniformRowLength = collections.namedtuple("UniformRowLength", ["length"])

    def __new__(
        cls,
        dtype,
        value_key=None,
        partitions=(),
        row_splits_dtype=dtypes.int32,
        validate=False,
    ):
        if value_key is not None and not isinstance(value_key, str):
            raise ValueError(f"Argument `value_key` must be a string; got {value_key}")
        dtype = dtypes.as_dtype(dtype)
        if dtype not in (dtypes.int64, dtypes.float32, dtypes.string):
            raise ValueError(f"Argument `dtype` must be int64, float32, or bytes; got {dtype!r}")
        row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        if row_splits_dtype not in (dtypes.int32, dtypes.int64):
            raise ValueError(
                f"Argument `row_splits_dtype` must be int32 or int64; got{row_splits_dtype!r}"
            )
        if not isinstance(partitions, (list, tuple)):
            raise TypeError("Argument `partitions` must be a list or tuple.")
        for partition in partitions:
            if not isinstance(partition, _PARTITION_TYPES):
                raise TypeError(
                    f"Argument `partitions` cannot be cast to any of the partition types in "
                    f"{_PARTITION_TYPES}; got: {partition!r} with type {type(partition)}"
                )
        if not isinstance(validate, bool):
            raise TypeError(f"Argument `validate` must be a bool; got {validate!r}")
        return super().__new__(cls, dtype, value_key, tuple(partitions), row_splits_dtype, validate)


_PARTITION_TYPES = (
    RaggedFeature.RowSplits,
    RaggedFeature.RowLengths,
    RaggedFeature.RowStarts,
    RaggedFeature.RowLimits,
    RaggedFeature.ValueRowIds,
    RaggedFeature.UniformRowLength,
)
