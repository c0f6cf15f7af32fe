"""``tf.lookup`` tables: StaticHashTable and StaticVocabularyTable with their initializers.

A table's contents are fixed once built, so a lookup is one op whose kernel reads the
table's dict; the op works eagerly, inside ``tf.function`` and in ``Dataset.map``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops.string_hashing import fingerprint64
from tensorflux.ragged.ragged_tensor import RaggedTensor

__all__ = [
    "FIND_OP",
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "StaticVocabularyTable",
    "TextFileIndex",
    "TextFileInitializer",
]


class TextFileIndex:
    """Column indices with special meaning for ``TextFileInitializer``."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class KeyValueTensorInitializer:
    """Table contents from a tensor of keys and one of values.

    >>> import tensorflux as tf
    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
    >>> tf.lookup.StaticHashTable(init, -1).lookup(tf.constant(["b", "z"])).numpy().tolist()
    [2, -1]

    Raises:
        ValueError: keys and values of different sizes.
    """

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        keys = convert_to_tensor(keys, dtype=key_dtype)
        values = convert_to_tensor(values, dtype=value_dtype)
        if keys.shape.num_elements() != values.shape.num_elements():
            raise ValueError(
                f"keys and values must have the same size, got {keys.shape} and {values.shape}."
            )
        self._keys, self._values = keys, values
        self.key_dtype, self.value_dtype = keys.dtype, values.dtype

    def _pairs(self) -> list:
        return list(zip(self._keys.numpy().ravel().tolist(), self._values.numpy().ravel().tolist()))


def _parse(field: bytes, dtype: dtypes.DType, filename: str, line_no: int):
    if dtype is dtypes.string:
        return field
    try:
        return float(field) if dtype.is_floating else int(field)
    except ValueError:
        raise InvalidArgumentError(
            None,
            "InitializeTableFromTextFileV2",
            f"Field {field.decode(errors='replace')} in line {line_no} of {filename} is not a "
            f"valid {dtype.name}.",
        ) from None


class TextFileInitializer:
    """Table contents from a text file: one entry per line, columns split on ``delimiter``;
    ``TextFileIndex.WHOLE_LINE`` takes the whole line, ``LINE_NUMBER`` the line's number.

    Raises:
        ValueError: a bad column index, or ``LINE_NUMBER`` keys that are not int64.
    """

    def __init__(
        self,
        filename,
        key_dtype,
        key_index,
        value_dtype,
        value_index,
        vocab_size=None,
        delimiter="\t",
        name=None,
        value_index_offset=0,
    ):
        self.key_dtype = dtypes.as_dtype(key_dtype)
        self.value_dtype = dtypes.as_dtype(value_dtype)
        for index, dtype, what in (
            (key_index, self.key_dtype, "key"),
            (value_index, self.value_dtype, "value"),
        ):
            if index < TextFileIndex.WHOLE_LINE:
                raise ValueError(f"Invalid {what} index {index}.")
            if index == TextFileIndex.LINE_NUMBER and dtype is not dtypes.int64:
                raise ValueError(
                    f"Signature mismatch. {what.capitalize()}s must be dtype int64, got {dtype!r}."
                )
        self._filename = filename.numpy().decode() if hasattr(filename, "numpy") else filename
        self._key_index, self._value_index = key_index, value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter.encode() if isinstance(delimiter, str) else delimiter

    def _column(self, line: bytes, fields: list, index: int, dtype, line_no: int):
        if index == TextFileIndex.LINE_NUMBER:
            return line_no
        if index == TextFileIndex.WHOLE_LINE:
            return _parse(line, dtype, self._filename, line_no)
        if index >= len(fields):
            raise InvalidArgumentError(
                None,
                "InitializeTableFromTextFileV2",
                f"Invalid number of columns in {self._filename} line {line_no} ({line!r}): "
                f"expected a column {index}.",
            )
        return _parse(fields[index], dtype, self._filename, line_no)

    def _pairs(self) -> list:
        with open(self._filename, "rb") as f:
            lines = f.read().splitlines()
        if self._vocab_size is not None:
            lines = lines[: self._vocab_size]
        pairs = []
        for n, line in enumerate(lines):
            fields = line.split(self._delimiter)
            key = self._column(line, fields, self._key_index, self.key_dtype, n)
            value = self._column(line, fields, self._value_index, self.value_dtype, n)
            pairs.append((key, value))
        return pairs


def _find_kernel(keys, default, table=None, oov_buckets=0):
    flat = keys.ravel().tolist()
    if oov_buckets:
        size = len(table)
        out = [
            table[k] if k in table else size + fingerprint64(_as_bytes(k)) % oov_buckets
            for k in flat
        ]
        return np.array(out, dtype=np.int64).reshape(keys.shape)
    d = default.item() if default.ndim == 0 and default.dtype != object else default
    if default.dtype == object and default.ndim == 0:
        d = default[()]
    out = np.array([table.get(k, d) for k in flat], dtype=default.dtype)
    return out.reshape(keys.shape + default.shape)


def _as_bytes(k) -> bytes:
    return k if isinstance(k, bytes) else str(k).encode()


def _find_infer(keys: Spec, default: Spec, table=None, oov_buckets=0) -> Spec:
    if oov_buckets:
        return Spec(dtypes.int64, keys.shape)
    if keys.shape.rank is None or default.shape.rank is None:
        return Spec(default.dtype, TensorShape(None))
    return Spec(default.dtype, TensorShape(list(keys.shape) + list(default.shape)))


# Stateful: a mutable table's contents change between calls of a traced graph, and a
# lookup must read them when the graph runs (never folded into a constant).
FIND_OP = register(
    "LookupTableFindV2", kernel=_find_kernel, grad=None, infer=_find_infer, stateful=True
)


class _Table:
    def __init__(self, initializer, default_value):
        self._initializer = initializer
        self.key_dtype = initializer.key_dtype
        self._entries = dict(initializer._pairs())

    def _check_keys(self, keys):
        if isinstance(keys, RaggedTensor):
            return keys
        keys = convert_to_tensor(keys, dtype_hint=self.key_dtype)
        if keys.dtype is not self.key_dtype:
            raise TypeError(
                f"Signature mismatch. Keys must be dtype {self.key_dtype!r}, got {keys.dtype!r}."
            )
        return keys

    def _find(self, keys, attrs):
        keys = self._check_keys(keys)
        if isinstance(keys, RaggedTensor):
            return keys.with_flat_values(self._find(keys.flat_values, attrs))
        return execute(FIND_OP, [keys, self._default], attrs)

    def __getitem__(self, keys):
        return self.lookup(keys)


class StaticHashTable(_Table):
    """A fixed key -> value table; missing keys give ``default_value``.

    >>> import tensorflux as tf
    >>> table = tf.lookup.StaticHashTable(
    ...     tf.lookup.KeyValueTensorInitializer(["cat", "dog"], [0, 1]), default_value=-1)
    >>> table.lookup(tf.constant(["dog", "emu"])).numpy().tolist()
    [1, -1]

    Raises:
        TypeError: keys of another dtype than the table's (at lookup).
    """

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        super().__init__(initializer, default_value)
        self.value_dtype = initializer.value_dtype
        self._default = convert_to_tensor(default_value, dtype=self.value_dtype)
        self.default_value = self._default

    def lookup(self, keys, name=None):
        """The value of each key (``default_value`` for missing ones), in the keys' shape."""
        return self._find(keys, {"table": self._entries})

    def size(self, name=None):
        """The number of entries, as an int64 scalar."""
        return convert_to_tensor(np.int64(len(self._entries)))

    def export(self, name=None):
        """``(keys, values)``: every entry of the table."""
        keys = list(self._entries)
        return (
            convert_to_tensor(np.array(keys, dtype=self.key_dtype.as_numpy_dtype)),
            convert_to_tensor(
                np.array([self._entries[k] for k in keys], dtype=self.value_dtype.as_numpy_dtype)
            ),
        )


class StaticVocabularyTable(_Table):
    """A fixed vocabulary -> id table; out-of-vocabulary keys hash (FarmHash Fingerprint64,
    as TF) into ``num_oov_buckets`` ids after the vocabulary's.

    >>> import tensorflux as tf
    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([0, 1], tf.int64))
    >>> table = tf.lookup.StaticVocabularyTable(init, 3)
    >>> table.lookup(tf.constant(["b", "hello"])).numpy().tolist()
    [1, 3]

    Raises:
        ValueError: ``num_oov_buckets`` < 1, or values that are not int64.
    """

    def __init__(
        self,
        initializer,
        num_oov_buckets,
        lookup_key_dtype=None,
        name=None,
        experimental_is_anonymous=False,
    ):
        if num_oov_buckets <= 0:
            raise ValueError(
                f"num_oov_buckets must be > 0; use StaticHashTable. Got {num_oov_buckets}."
            )
        if initializer.value_dtype is not dtypes.int64:
            raise TypeError(
                f"Invalid value dtype, expected {dtypes.int64!r} but got "
                f"{initializer.value_dtype!r}."
            )
        super().__init__(initializer, -1)
        self.value_dtype = dtypes.int64
        self._default = convert_to_tensor(np.int64(-1))
        self._num_oov_buckets = int(num_oov_buckets)

    def lookup(self, keys, name=None):
        """The id of each key: its vocabulary id, or a hashed out-of-vocabulary bucket."""
        return self._find(keys, {"table": self._entries, "oov_buckets": self._num_oov_buckets})

    def size(self, name=None):
        """Vocabulary size plus ``num_oov_buckets``, as an int64 scalar."""
        return convert_to_tensor(np.int64(len(self._entries) + self._num_oov_buckets))
