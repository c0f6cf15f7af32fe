"""``tf.lookup.experimental``: MutableHashTable and DenseHashTable, tables that change.

The table's dict is an attribute of every op that touches it, and those ops are
stateful, so inside ``tf.function`` each insert, remove and lookup runs when the graph
runs, in program order, on the table as it is then.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.lookup.lookup_tables import FIND_OP

__all__ = ["DenseHashTable", "MutableHashTable"]


def _keys_of(keys: np.ndarray) -> list:
    return keys.ravel().tolist()


def _insert_kernel(keys, values, table=None, value_shape=(), reserved=()):
    n = keys.size
    expected = tuple(keys.shape) + tuple(value_shape)
    if values.shape != expected:
        raise InvalidArgumentError(
            None,
            "LookupTableInsertV2",
            f"Expected shape {list(expected)} for value, got {list(values.shape)}: give one "
            "value per key.",
        )
    rows = values.reshape((n,) + tuple(value_shape))
    for k, v in zip(_keys_of(keys), rows):
        if k in reserved:
            which = "empty_key" if k == reserved[0] else "deleted_key"
            raise InvalidArgumentError(
                None,
                "LookupTableInsertV2",
                f"Using the {which} as a table key is not allowed",
            )
        table[k] = v.copy() if value_shape else v.item() if v.dtype != object else v[()]


def _no_outputs_infer(*specs, **attrs):
    return ()


def _remove_kernel(keys, table=None, reserved=()):
    for k in _keys_of(keys):
        if k in reserved:
            raise InvalidArgumentError(
                None, "LookupTableRemoveV2", "Using the empty_key or deleted_key is not allowed"
            )
        table.pop(k, None)


def _size_kernel(table=None):
    return np.array(len(table), dtype=np.int64)


def _size_infer(**attrs) -> Spec:
    return Spec(dtypes.int64, TensorShape([]))


def _export_kernel(table=None, key_dtype=None, value_dtype=None, value_shape=()):
    keys = list(table)
    key_np = object if key_dtype is dtypes.string else key_dtype.as_numpy_dtype
    value_np = object if value_dtype is dtypes.string else value_dtype.as_numpy_dtype
    values = np.array([table[k] for k in keys], dtype=value_np)
    return np.array(keys, dtype=key_np), values.reshape((len(keys),) + tuple(value_shape))


def _export_infer(table=None, key_dtype=None, value_dtype=None, value_shape=()):
    return (
        Spec(key_dtype, TensorShape([None])),
        Spec(value_dtype, TensorShape([None] + list(value_shape))),
    )


_INSERT = register(
    "LookupTableInsertV2",
    kernel=_insert_kernel,
    grad=None,
    infer=_no_outputs_infer,
    num_outputs=0,
    stateful=True,
)
_REMOVE = register(
    "LookupTableRemoveV2",
    kernel=_remove_kernel,
    grad=None,
    infer=_no_outputs_infer,
    num_outputs=0,
    stateful=True,
)
_SIZE = register(
    "LookupTableSizeV2", kernel=_size_kernel, grad=None, infer=_size_infer, stateful=True
)
_EXPORT = register(
    "LookupTableExportV2",
    kernel=_export_kernel,
    grad=None,
    infer=_export_infer,
    num_outputs=2,
    stateful=True,
    dynamic_shape=True,
)


def _as(value, dtype, what: str):
    """``value`` as a tensor of ``dtype``; another dtype raises TF's ValueError."""
    return convert_to_tensor(value, dtype=dtype) if dtype is not None else value


class MutableHashTable:
    """A key -> value table that grows with ``insert`` and shrinks with ``remove``.

    >>> import tensorflux as tf
    >>> table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=-1)
    >>> table.insert(tf.constant(["a", "b"]), tf.constant([1, 2], tf.int64))
    >>> table.lookup(tf.constant(["b", "z"])).numpy().tolist()
    [2, -1]

    Raises:
        ValueError: keys or values of another dtype than the table's.
        InvalidArgumentError: values whose shape does not match the keys'.
    """

    _reserved: tuple = ()

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        name="MutableHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        self.key_dtype = dtypes.as_dtype(key_dtype)
        self.value_dtype = dtypes.as_dtype(value_dtype)
        self._default = convert_to_tensor(default_value, dtype=self.value_dtype)
        self._value_shape = tuple(self._default.shape)
        self._name = name
        self._entries: dict = {}

    @property
    def name(self) -> str:
        return self._name

    def _keys(self, keys):
        return _as(keys, self.key_dtype, "keys")

    def insert(self, keys, values, name=None):
        """Sets the value of each key (replacing the value a key had)."""
        attrs = {"table": self._entries, "value_shape": self._value_shape}
        attrs["reserved"] = self._reserved
        execute(_INSERT, [self._keys(keys), _as(values, self.value_dtype, "values")], attrs)

    insert_or_assign = insert

    def remove(self, keys, name=None):
        """Removes each key (keys not in the table are ignored)."""
        execute(_REMOVE, [self._keys(keys)], {"table": self._entries, "reserved": self._reserved})

    erase = remove

    def lookup(self, keys, dynamic_default_values=None, name=None):
        """The value of each key (the default for missing ones): keys' shape + value shape."""
        default = self._default
        if dynamic_default_values is not None:
            default = convert_to_tensor(dynamic_default_values, dtype=self.value_dtype)
        return execute(FIND_OP, [self._keys(keys), default], {"table": self._entries})

    def __getitem__(self, keys):
        return self.lookup(keys)

    def size(self, name=None):
        """The number of entries, as an int64 scalar."""
        return execute(_SIZE, [], {"table": self._entries})

    def export(self, name=None):
        """``(keys, values)``: every entry of the table."""
        attrs = {
            "table": self._entries,
            "key_dtype": self.key_dtype,
            "value_dtype": self.value_dtype,
            "value_shape": self._value_shape,
        }
        return execute(_EXPORT, [], attrs)


class DenseHashTable(MutableHashTable):
    """A mutable table with open addressing in TF; here the same dict, with TF's rule that
    ``empty_key`` and ``deleted_key`` (two distinct keys) may never be inserted.

    >>> import tensorflux as tf
    >>> table = tf.lookup.experimental.DenseHashTable(
    ...     tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-1)
    >>> table.insert(tf.constant([5], tf.int64), tf.constant([50], tf.int64))
    >>> table.lookup(tf.constant([5, 6], tf.int64)).numpy().tolist()
    [50, -1]

    Raises:
        ValueError: ``empty_key`` equal to ``deleted_key``.
        InvalidArgumentError: inserting or removing ``empty_key`` or ``deleted_key``.
    """

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        empty_key,
        deleted_key,
        initial_num_buckets=None,
        name="MutableDenseHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        super().__init__(key_dtype, value_dtype, default_value, name)
        empty = convert_to_tensor(empty_key, dtype=self.key_dtype).numpy()
        deleted = convert_to_tensor(deleted_key, dtype=self.key_dtype).numpy()
        if np.array_equal(empty, deleted):
            raise ValueError("empty_key and deleted_key must differ.")
        self._reserved = (empty.item(), deleted.item())
