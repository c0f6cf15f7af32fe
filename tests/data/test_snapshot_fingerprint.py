"""``Dataset.fingerprint`` and ``Dataset.snapshot``: equal for pipelines built alike,
different when anything in them differs; a snapshot is read back instead of rerunning
the pipeline."""

import os

import numpy as np

import tensorflux as tf

CALLS = {"count": 0}


def _counted(x):
    CALLS["count"] += 1
    return x


def _pipeline(scale=2):
    return tf.data.Dataset.range(5).map(lambda x: tf.py_function(_counted, [x * scale], tf.int64))


def test_fingerprints_follow_how_pipelines_are_built():
    def build(values, batch):
        return tf.data.Dataset.from_tensor_slices(values).map(lambda x: x + 1).batch(batch)

    first = build([1, 2, 3], 2).fingerprint()
    assert first.dtype == tf.uint64 and first.shape == []
    assert int(first) == int(build([1, 2, 3], 2).fingerprint())
    assert int(first) != int(build([1, 2, 4], 2).fingerprint())
    assert int(first) != int(build([1, 2, 3], 3).fingerprint())
    other_function = tf.data.Dataset.from_tensor_slices([1, 2, 3]).map(lambda x: x + 2).batch(2)
    assert int(first) != int(other_function.fingerprint())


def test_snapshot_is_written_once_and_read_back(tmp_path):
    folder = str(tmp_path)
    expected = [0, 2, 4, 6, 8]
    first = _pipeline().snapshot(folder)
    CALLS["count"] = 0
    assert [int(x) for x in first] == expected
    assert CALLS["count"] == 5
    second = _pipeline().snapshot(folder)
    CALLS["count"] = 0
    assert [int(x) for x in second] == expected
    assert CALLS["count"] == 0, "the second pipeline read the snapshot"
    assert [int(x) for x in _pipeline(scale=3).snapshot(folder)] == [0, 3, 6, 9, 12]
    assert len(os.listdir(folder)) == 2
    np.testing.assert_array_equal(
        list(tf.data.Dataset.range(100).snapshot(folder).as_numpy_iterator()), np.arange(100)
    )
