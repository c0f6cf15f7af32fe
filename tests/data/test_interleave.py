"""flat_map, interleave, window."""

import pytest

import tensorflux as tf
from tests.data.conftest import as_lists


def test_flat_map():
    ds = tf.data.Dataset.range(1, 4).flat_map(lambda x: tf.data.Dataset.range(x))
    assert ds.element_spec == tf.TensorSpec((), tf.int64)
    assert as_lists(ds) == [0, 0, 1, 0, 1, 2]
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        tf.data.Dataset.range(3).flat_map(lambda x: x)


def test_interleave_order_matches_tf():
    ds = tf.data.Dataset.range(1, 4)
    fn = lambda x: tf.data.Dataset.range(x)  # noqa: E731
    assert as_lists(ds.interleave(fn, cycle_length=2)) == [0, 0, 1, 0, 1, 2]
    rep = tf.data.Dataset.range(10).interleave(
        lambda x: tf.data.Dataset.from_tensors(x).repeat(3), cycle_length=2, block_length=2
    )
    assert as_lists(rep.take(12)) == [0, 0, 1, 1, 0, 1, 2, 2, 3, 3, 2, 3]
    parallel = ds.interleave(fn, cycle_length=2, num_parallel_calls=tf.data.AUTOTUNE)
    assert repr(parallel).startswith("<_ParallelInterleaveDataset")
    assert as_lists(parallel) == [0, 0, 1, 0, 1, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="cycle_length"):
        ds.interleave(fn, cycle_length=0)


def test_interleave_of_text_files(tmp_path):
    for i in range(2):
        (tmp_path / f"f{i}.txt").write_text(f"a{i}\nb{i}\n")
    files = tf.data.Dataset.list_files(str(tmp_path / "*.txt"), shuffle=False)
    lines = files.interleave(tf.data.TextLineDataset, cycle_length=2)
    assert as_lists(lines) == [b"a0", b"a1", b"b0", b"b1"]


def test_window():
    d = tf.data.Dataset.range(10)
    windows = [as_lists(w) for w in d.window(3)]
    assert windows == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert [as_lists(w) for w in d.window(3, shift=2, stride=2)] == [
        [0, 2, 4],
        [2, 4, 6],
        [4, 6, 8],
        [6, 8],
        [8],
    ]
    assert [as_lists(w) for w in d.window(4, shift=3, drop_remainder=True)] == [
        [0, 1, 2, 3],
        [3, 4, 5, 6],
        [6, 7, 8, 9],
    ]
    flat = d.window(3).flat_map(lambda w: w.batch(3))
    assert flat.element_spec == tf.TensorSpec((None,), tf.int64)
    assert [b.tolist() for b in as_lists(flat)] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    pairs = tf.data.Dataset.zip((d, d)).window(2)
    assert repr(pairs.element_spec[0]) == (
        "DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))"
    )
    first = next(iter(pairs))
    assert as_lists(first[1]) == [0, 1]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Window size must be greater"):
        d.window(0)
