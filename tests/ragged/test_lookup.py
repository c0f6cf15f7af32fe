"""tf.lookup tables inside tf.function and tf.data, and their errors."""

from __future__ import annotations

import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError


def _table():
    init = tf.lookup.KeyValueTensorInitializer(["cat", "dog"], [0, 1])
    return tf.lookup.StaticHashTable(init, default_value=-1)


def test_static_table_in_function_and_dataset():
    table = _table()

    @tf.function
    def ids(words):
        return table.lookup(tf.strings.split(words))

    out = ids(tf.constant(["dog cat", "emu"]))
    assert out.to_list() == [[1, 0], [-1]]
    ds = tf.data.Dataset.from_tensor_slices(["cat", "emu"]).map(table.lookup)
    assert [int(x) for x in ds.as_numpy_iterator()] == [0, -1]
    assert table["dog"].numpy() == 1
    assert table.default_value.numpy() == -1


def test_mutable_table_changes_are_seen_by_traced_graphs():
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=-1)

    @tf.function
    def add_and_count(keys, values):
        table.insert(keys, values)
        return table.lookup(keys), table.size()

    found, size = add_and_count(tf.constant(["a"]), tf.constant([7], tf.int64))
    assert found.numpy().tolist() == [7] and size.numpy() == 1
    found, size = add_and_count(tf.constant(["b"]), tf.constant([8], tf.int64))
    assert found.numpy().tolist() == [8] and size.numpy() == 2
    table.remove(tf.constant(["a"]))

    @tf.function
    def look(keys):
        return table.lookup(keys)

    assert look(tf.constant(["a", "b"])).numpy().tolist() == [-1, 8]
    table.insert(tf.constant(["a"]), tf.constant([1], tf.int64))
    assert look(tf.constant(["a", "b"])).numpy().tolist() == [1, 8]


def test_errors():
    with pytest.raises(TypeError, match="Keys must be dtype"):
        _table().lookup(tf.constant([1, 2]))
    with pytest.raises(ValueError, match="same size"):
        tf.lookup.KeyValueTensorInitializer(["a", "b"], [1])
    with pytest.raises(ValueError, match="num_oov_buckets"):
        init = tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([0], tf.int64))
        tf.lookup.StaticVocabularyTable(init, 0)
    table = tf.lookup.experimental.DenseHashTable(
        tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-1
    )
    with pytest.raises(InvalidArgumentError, match="empty_key"):
        table.insert(tf.constant([0], tf.int64), tf.constant([1], tf.int64))
    with pytest.raises(ValueError, match="must differ"):
        tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=0)


def test_text_file_initializer_errors(tmp_path):
    path = tmp_path / "pairs.txt"
    path.write_text("a\t1\nb\tx\n")
    init = tf.lookup.TextFileInitializer(str(path), tf.string, 0, tf.int64, 1)
    with pytest.raises(InvalidArgumentError, match="not a valid int64"):
        tf.lookup.StaticHashTable(init, -1)
    with pytest.raises(ValueError, match="Signature mismatch"):
        tf.lookup.TextFileInitializer(
            str(path), tf.string, 0, tf.int32, tf.lookup.TextFileIndex.LINE_NUMBER
        )
