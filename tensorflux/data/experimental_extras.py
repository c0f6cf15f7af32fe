"""More of ``tf.data.experimental``: random access (``at``), ``pad_to_cardinality``,
``parse_example_dataset``, ``TFRecordWriter``, ``SqlDataset`` (SQLite), lookup tables
from datasets, ``AutotuneAlgorithm`` and ``enable_debug_mode``."""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping

import numpy as np

from tensorflux.data.dataset import Dataset
from tensorflux.data.iterator import ElementPull
from tensorflux.framework import dtypes
from tensorflux.framework.errors import (
    InvalidArgumentError,
    OutOfRangeError,
    UnimplementedError,
    UnknownError,
)
from tensorflux.framework.tensor import Tensor, convert_to_tensor

__all__ = [
    "AutotuneAlgorithm",
    "DatasetInitializer",
    "SqlDataset",
    "TFRecordWriter",
    "at",
    "enable_debug_mode",
    "index_table_from_dataset",
    "make_batched_features_dataset",
    "pad_to_cardinality",
    "parse_example_dataset",
    "table_from_dataset",
]


class AutotuneAlgorithm(enum.Enum):
    """The algorithms tf.data's autotuning may use (``tf.data.experimental.AutotuneAlgorithm``)."""

    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


def enable_debug_mode():
    """Runs the functions given to ``Dataset.map`` eagerly, element by element, so that
    ``print`` and breakpoints in them work (as TF's debug mode does; they are still
    traced once for the output spec). Call it before building the datasets it should
    affect.

    Raises:
        ValueError: called inside a ``tf.function``.
    """
    from tensorflux.data import functions
    from tensorflux.framework import context

    if context.state.graph is not None:
        raise ValueError("`enable_debug_mode() is only supported in eager mode.")
    functions.debug_mode = True


# -- random access ------------------------------------------------------------------

# Transformations that can fetch one element without producing the earlier ones (TF's
# list); a dataset of others raises UnimplementedError, as in TF.
_RANDOM_ACCESS = {
    "_TensorSliceDataset",
    "_TensorDataset",
    "_BatchDataset",
    "_ShardDataset",
    "_MapDataset",
    "_ParallelMapDataset",
    "_RangeDataset",
    "_ZipDataset",
    "_SkipDataset",
    "_RepeatDataset",
    "_ConcatenateDataset",
    "_PrefetchDataset",
    "_TakeDataset",
    "_OptionsDataset",
}


def _refuses_random_access(dataset):
    """The kernel name of the first dataset below ``dataset`` (itself included) without
    random access, or None."""
    name = dataset._tf_name
    if name == "CacheDataset":
        return "CacheDatasetOp::FileDataset" if dataset._filename else None
    if name == "_BatchDataset" and dataset._inputs[0]._tf_name in (
        "_MapDataset",
        "_ParallelMapDataset",
    ):
        # TF's default optimizations fuse map-then-batch into one MapAndBatch dataset.
        return "MapAndBatchDatasetOp::Dataset"
    if name not in _RANDOM_ACCESS:
        return f"{name.lstrip('_').removesuffix('V2')}Op::Dataset"
    for source in dataset._inputs:
        refused = _refuses_random_access(source)
        if refused is not None:
            return refused
    return None


def at(dataset, index):
    """The element at ``index`` of ``dataset`` (``tf.data.experimental.at``).

    >>> import tensorflux as tf
    >>> int(tf.data.experimental.at(tf.data.Dataset.range(5).map(lambda x: x * 10), 3))
    30

    Raises:
        OutOfRangeError: ``index`` outside ``[0, cardinality)``.
        UnimplementedError: a transformation (``filter``, ``shuffle``...) without random
            access in ``dataset``; ``.cache()`` before ``at`` gives it.
    """
    refused = _refuses_random_access(dataset)
    if refused is not None:
        raise UnimplementedError(
            None,
            "GetElementAtIndex",
            f"Random access is not implemented for dataset {refused} [Op:GetElementAtIndex]",
        )
    index = int(convert_to_tensor(index)._value)
    size = int(dataset.cardinality())
    if index < 0 or (size >= 0 and index >= size):
        raise OutOfRangeError(
            None,
            "GetElementAtIndex",
            f"Index out of range [0, {size}):{index} [Op:GetElementAtIndex]",
        )
    for element in dataset.skip(index).take(1):
        return element
    raise OutOfRangeError(
        None, "GetElementAtIndex", f"Index out of range [0, {size}):{index} [Op:GetElementAtIndex]"
    )


# -- pad_to_cardinality --------------------------------------------------------------


def pad_to_cardinality(cardinality, mask_key="valid"):
    """A transformation (for ``Dataset.apply``) padding a dataset of dicts with zero
    elements up to ``cardinality`` elements; ``mask_key`` marks real elements True and
    padding False.

    >>> import tensorflux as tf
    >>> ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2]})
    >>> [bool(e["valid"]) for e in ds.apply(tf.data.experimental.pad_to_cardinality(3))]
    [True, True, False]

    Raises:
        ValueError: a dataset of unknown or infinite cardinality, or of more elements than
            ``cardinality``, or whose elements are not dicts.
    """

    def apply(dataset):
        size = int(dataset.cardinality())
        if size < 0:
            raise ValueError(
                "The dataset passed into `pad_to_cardinality` must have a known "
                f"cardinalty, but has cardinality {size}"
            )
        if size > cardinality:
            raise ValueError(
                "The dataset passed into `pad_to_cardinality` must have a cardinalty less "
                f"than the target cardinality ({cardinality}), but has cardinality {size}"
            )
        if not isinstance(dataset.element_spec, Mapping):
            raise ValueError("`pad_to_cardinality` requires its input dataset to be a dictionary.")
        filler = {
            key: Tensor(np.zeros(spec.shape.as_list(), _numpy_dtype(spec.dtype)), spec.dtype)
            for key, spec in dataset.element_spec.items()
        }
        filler[mask_key] = Tensor(np.asarray(False), dtypes.bool)

        def mark_valid(element):
            element = dict(element)
            element[mask_key] = True
            return element

        padding = Dataset.from_tensors(filler).repeat(cardinality - size)
        return dataset.map(mark_valid).concatenate(padding)

    return apply


def _numpy_dtype(dtype):
    return object if dtype is dtypes.string else dtype.as_numpy_dtype


# -- parse_example_dataset -------------------------------------------------------------


def parse_example_dataset(features, num_parallel_calls=1, deterministic=None):
    """A transformation (for ``Dataset.apply``) parsing batches of serialized
    ``tf.train.Example`` protos with ``tf.io.parse_example(batch, features)``.

    Raises:
        ValueError: ``features`` is None or empty.
    """
    if not features:
        raise ValueError("Argument `features` is required, but not specified.")

    def apply(dataset):
        from tensorflux.ops.parsing_example import parse_example

        return dataset.map(lambda serialized: parse_example(serialized, features))

    return apply


def make_batched_features_dataset(
    file_pattern,
    batch_size,
    features,
    reader=None,
    label_key=None,
    reader_args=None,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    reader_num_threads=None,
    parser_num_threads=None,
    sloppy_ordering=False,
    drop_final_batch=False,
):
    """Batches of parsed ``tf.train.Example`` records from the files matching
    ``file_pattern``, built as TF builds them: files listed (shuffled with
    ``shuffle_seed``), read ``reader_num_threads`` at a time, records shuffled and
    repeated ``num_epochs`` times (forever when None, then the last partial batch is
    dropped), batched, parsed with ``features``, and split into ``(features, label)``
    when ``label_key`` is given.

    Raises:
        ValueError: ``label_key`` not among ``features``' keys; no file matches.
    """
    from tensorflux.data.records import TFRecordDataset

    reader = reader or TFRecordDataset
    reader_args = list(reader_args or [])
    files = Dataset.list_files(file_pattern, shuffle=shuffle, seed=shuffle_seed)
    cycle = 1 if reader_num_threads in (None, -1) else reader_num_threads
    dataset = files.interleave(
        lambda filename: reader(filename, *reader_args), cycle_length=cycle, block_length=1
    )
    spec = dataset.element_spec
    if isinstance(spec, tuple) and all(s.dtype is dtypes.string for s in spec) and len(spec) == 2:
        dataset = dataset.map(lambda _, value: value)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=drop_final_batch or num_epochs is None)
    dataset = dataset.apply(parse_example_dataset(features))
    if label_key:
        if label_key not in features:
            raise ValueError(
                f"The `label_key` provided ({label_key}) must be one of the `features` keys: "
                f"{features.keys()}."
            )

        def split_label(parsed):
            parsed = dict(parsed)
            label = parsed.pop(label_key)
            return parsed, label

        dataset = dataset.map(split_label)
    return dataset.prefetch(-1 if prefetch_buffer_size is None else prefetch_buffer_size)


# -- TFRecordWriter ---------------------------------------------------------------------


class TFRecordWriter:
    """Writes a dataset of scalar strings to a TFRecord file
    (``tf.data.experimental.TFRecordWriter``).

    Args:
        filename: the file to write.
        compression_type: None or "" (none), "ZLIB" or "GZIP".
    """

    def __init__(self, filename, compression_type=None):
        self._filename = os.fspath(filename)
        self._compression_type = compression_type or ""

    def write(self, dataset):
        """Writes every element of ``dataset`` (scalar ``tf.string``) as one record.

        Raises:
            TypeError: ``dataset`` is not a Dataset, or its elements are not scalar
                strings.
        """
        from tensorflux.framework.tensor_spec import TensorSpec
        from tensorflux.framework.tfrecord import TFRecordWriter as RecordWriter

        if not isinstance(dataset, Dataset):
            raise TypeError(
                f"Invalid `dataset.` Expected a `tf.data.Dataset` object but got {type(dataset)}."
            )
        spec = dataset.element_spec
        if not (
            isinstance(spec, TensorSpec)
            and spec.dtype is dtypes.string
            and spec.shape.is_compatible_with([])
        ):
            raise TypeError(
                "Invalid `dataset`. Expected a`dataset` that produces scalar `tf.string` "
                "elements, but got a dataset which produces elements with shapes "
                f"{_shapes(spec)} and types {_types(spec)}."
            )

        with RecordWriter(self._filename, self._compression_type) as writer:
            for record in dataset:
                writer.write(record._value.item())


def _shapes(spec):
    from tensorflux.framework import nest

    return nest.map_structure(lambda s: s.shape, spec)


def _types(spec):
    from tensorflux.framework import nest

    return nest.map_structure(lambda s: s.dtype, spec)


# -- SqlDataset ----------------------------------------------------------------------


class _SqlPull(ElementPull):
    def __init__(self, path, query, specs):
        import sqlite3

        self._connection = sqlite3.connect(path)
        try:
            self._cursor = self._connection.execute(query)
        except sqlite3.Error as e:
            self._connection.close()
            code = getattr(e, "sqlite_errorcode", 1)
            raise UnknownError(
                None,
                "IteratorGetNext",
                f"Prepare() failed: [{code}] {e}: {query} [Op:IteratorGetNext]",
            ) from None
        self._specs = specs

    def next(self):
        row = self._cursor.fetchone()
        if row is None:
            raise StopIteration
        if len(row) != len(self._specs):
            raise InvalidArgumentError(
                None,
                "SqlDataset",
                f"The number of columns in query ({len(row)}) must match the number of "
                f"elements in output_types ({len(self._specs)}).",
            )
        return tuple(_sql_value(v, s.dtype) for v, s in zip(row, self._specs))

    def close(self):
        self._connection.close()


def _sql_value(value, dtype):
    if dtype is dtypes.string:
        text = value if isinstance(value, bytes) else str(value).encode()
        return np.asarray(text, dtype=object)
    if dtype is dtypes.bool:
        return np.asarray(bool(value))
    return np.asarray(value, dtype=dtype.as_numpy_dtype)


class SqlDataset(Dataset):
    """The rows of a SQL query on a SQLite database (``tf.data.experimental.SqlDataset``):
    one element per row, a tuple with one tensor per column.

    Args:
        driver_name: "sqlite", the only driver (as in TF).
        data_source_name: the database file.
        query: a ``SELECT`` statement.
        output_types: a tuple of the columns' dtypes.

    Raises:
        InvalidArgumentError: another driver; a query SQLite refuses (when iterated).
    """

    _tf_name = "_SqlDataset"

    def __init__(self, driver_name, data_source_name, query, output_types):
        from tensorflux.framework.tensor_spec import TensorSpec

        if driver_name != "sqlite":
            raise InvalidArgumentError(
                None,
                "SqlDataset",
                f"The database type, {driver_name}, is not supported by SqlDataset. The "
                "set of supported databases is: {'sqlite'}. [Op:SqlDataset]",
            )
        types = output_types if isinstance(output_types, tuple) else (output_types,)
        specs = tuple(TensorSpec([], dtypes.as_dtype(t)) for t in types)
        super().__init__(specs if isinstance(output_types, tuple) else specs[0])
        self._path = os.fspath(data_source_name)
        self._query = query
        self._specs = specs

    def _pull(self):
        return _SqlPull(self._path, self._query, self._specs)


# -- lookup tables from datasets -------------------------------------------------------------


class DatasetInitializer:
    """Initializes a ``tf.lookup.StaticHashTable`` from a dataset of ``(key, value)``
    pairs (``tf.data.experimental.DatasetInitializer``).

    Raises:
        ValueError: a dataset whose elements are not pairs of scalars.
    """

    def __init__(self, dataset):
        spec = dataset.element_spec
        if not (isinstance(spec, tuple) and len(spec) == 2):
            raise ValueError(
                "Expected a dataset of (key, value) pairs, but got a dataset with "
                f"element_spec {spec!r}."
            )
        self._dataset = dataset
        self.key_dtype, self.value_dtype = spec[0].dtype, spec[1].dtype

    def _pairs(self):
        keys, values = [], []
        for key, value in self._dataset:
            keys.append(key._value.item())
            values.append(value._value.item())
        return keys, values

    def _as_key_value_initializer(self):
        from tensorflux.lookup.lookup_tables import KeyValueTensorInitializer

        keys, values = self._pairs()
        return KeyValueTensorInitializer(
            Tensor(np.asarray(keys, _numpy_dtype(self.key_dtype)), self.key_dtype),
            Tensor(np.asarray(values, _numpy_dtype(self.value_dtype)), self.value_dtype),
        )


def table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=None,
    hasher_spec=None,
    key_dtype=dtypes.string,
    name=None,
):
    """A lookup table of a dataset's ``(key, value)`` pairs: a ``StaticHashTable``, or
    a ``StaticVocabularyTable`` when ``num_oov_buckets`` > 0.

    Raises:
        ValueError: ``num_oov_buckets`` < 0, or a ``vocab_size`` the dataset does not have.
    """
    if num_oov_buckets < 0:
        raise ValueError(f"`num_oov_buckets` must be >= 0; got {num_oov_buckets}.")
    if vocab_size is not None and int(dataset.cardinality()) != vocab_size:
        raise ValueError(
            f"`vocab_size` ({vocab_size}) does not match the dataset's cardinality "
            f"({int(dataset.cardinality())})."
        )
    from tensorflux.lookup.lookup_tables import StaticHashTable, StaticVocabularyTable

    initializer = DatasetInitializer(dataset)._as_key_value_initializer()
    if num_oov_buckets:
        return StaticVocabularyTable(initializer, num_oov_buckets)
    return StaticHashTable(initializer, default_value)


def index_table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=-1,
    hasher_spec=None,
    key_dtype=dtypes.string,
    name=None,
):
    """A table from each key of a dataset of keys to its position (int64), unknown keys
    to ``default_value`` (or to one of ``num_oov_buckets`` buckets)."""
    indexed = dataset.enumerate().map(lambda i, key: (key, i))
    return table_from_dataset(
        indexed, num_oov_buckets, vocab_size, default_value, hasher_spec, key_dtype, name
    )
