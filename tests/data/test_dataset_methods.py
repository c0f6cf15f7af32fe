"""The Dataset methods of selection, grouping and sampling against TensorFlow's
recorded elements (``tests/data/record_dataset_method_fixtures.py``), and their
errors."""

import json
import os

import pytest

import tensorflux as tf
from tests.data.dataset_method_cases import CASES

with open(
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "dataset_methods.json"),
    encoding="utf-8",
) as _f:
    FIXTURE = json.load(_f)


def _plain(value):
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("name", sorted(CASES))
def test_elements_and_spec_match_tf(name):
    dataset = CASES[name](tf)
    assert [_plain(e) for e in dataset.as_numpy_iterator()] == FIXTURE[name]["elements"]
    assert str(dataset.element_spec) == FIXTURE[name]["spec"]


def test_a_second_iteration_repeats_the_first():
    for name in ("sample_weighted", "random", "group_by_window", "scan_sum"):
        dataset = CASES[name](tf)
        first = [_plain(e) for e in dataset.as_numpy_iterator()]
        assert first == [_plain(e) for e in dataset.as_numpy_iterator()]


def test_cardinalities():
    assert int(tf.data.Dataset.range(10).shard(3, 1).cardinality()) == 3
    assert int(tf.data.Dataset.counter().cardinality()) == tf.data.INFINITE_CARDINALITY
    assert int(tf.data.Dataset.range(3).take_while(lambda x: x < 2).cardinality()) == (
        tf.data.UNKNOWN_CARDINALITY
    )
    assert int(tf.data.Dataset.range(5).scan(0, lambda s, x: (s, x)).cardinality()) == 5


def test_errors_are_tfs():
    ds = tf.data.Dataset.range(10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Number of shards must be greater"):
        ds.shard(0, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Index must be between 0 and 2"):
        ds.shard(3, 3)
    with pytest.raises(TypeError, match="does not support type"):
        tf.data.Dataset.from_tensor_slices([1.0]).unique()
    with pytest.raises(tf.errors.InvalidArgumentError, match="single component"):
        tf.data.Dataset.from_tensor_slices(([1], [2])).unique()
    with pytest.raises(TypeError, match="must be scalar `tf.int64`"):
        tf.data.Dataset.choose_from_datasets([ds], tf.data.Dataset.from_tensor_slices([0]))
    out_of_range = tf.data.Dataset.choose_from_datasets(
        [ds], tf.data.Dataset.from_tensor_slices(tf.constant([0, 5], tf.int64))
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="Selector index out of range: 5"):
        list(out_of_range)
    with pytest.raises(ValueError, match="same length"):
        tf.data.Dataset.sample_from_datasets([ds, ds], weights=[1.0])
    with pytest.raises(ValueError, match="must be specified"):
        ds.group_by_window(lambda x: x, lambda k, w: w)
    with pytest.raises(ValueError, match="tf.bool"):
        ds.take_while(lambda x: x)
    with pytest.raises(ValueError, match="bucket_batch_sizes"):
        ds.bucket_by_sequence_length(lambda x: 1, [2, 4], [1, 2])
