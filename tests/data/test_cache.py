"""cache (memory and file), save and load."""

import numpy as np
import pytest

import tensorflux as tf
from tests.data.conftest import as_lists


def _counting(n):
    calls = []

    def gen():
        calls.append(1)
        yield from range(n)

    ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.int64))
    return ds, calls


def test_memory_cache_reads_input_once():
    ds, calls = _counting(5)
    cached = ds.map(lambda x: x * 3).cache()
    assert as_lists(cached) == [0, 3, 6, 9, 12] == as_lists(cached)
    assert len(calls) == 1


def test_partial_read_does_not_fill_the_cache():
    ds, calls = _counting(5)
    cached = ds.cache()
    assert as_lists(cached.take(2)) == [0, 1]
    assert as_lists(cached) == [0, 1, 2, 3, 4] and as_lists(cached) == [0, 1, 2, 3, 4]
    assert len(calls) == 2


def test_cache_of_blocks_then_shuffle_prefetch_like_the_notes():
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    ds = tf.data.Dataset.from_tensor_slices((x, np.arange(20))).cache()
    ds = ds.shuffle(1000).prefetch(buffer_size=tf.data.AUTOTUNE)
    for _ in range(2):
        labels = sorted(int(y) for _, y in ds)
        assert labels == list(range(20))


def test_file_cache_survives_a_new_dataset(tmp_path):
    path = str(tmp_path / "cache")
    ds, calls = _counting(4)
    assert as_lists(ds.cache(path)) == [0, 1, 2, 3]
    again, calls_again = _counting(4)
    assert as_lists(again.cache(path)) == [0, 1, 2, 3]
    assert len(calls) == 1 and len(calls_again) == 0
    strings = tf.data.Dataset.from_tensor_slices(["a", "bc"]).cache(str(tmp_path / "s"))
    assert as_lists(strings) == [b"a", b"bc"] == as_lists(strings)


def test_save_and_load(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices(({"a": [1, 2, 3]}, ["x", "y", "z"]))
    ds.save(str(tmp_path / "saved"))
    loaded = tf.data.Dataset.load(str(tmp_path / "saved"))
    assert loaded.element_spec == ds.element_spec
    assert as_lists(loaded) == as_lists(ds) and len(loaded) == 3
    gen, _ = _counting(3)
    tf.data.experimental.save(gen, str(tmp_path / "gen"))
    assert as_lists(tf.data.experimental.load(str(tmp_path / "gen"))) == [0, 1, 2]
    with pytest.raises(
        tf.errors.NotFoundError, match="tf.data snapshot element_spec file not found"
    ):
        tf.data.Dataset.load(str(tmp_path / "missing"))
