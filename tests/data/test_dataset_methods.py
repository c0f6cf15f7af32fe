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


@pytest.fixture(autouse=True)
def _no_global_seed():
    # The recorded draws come from op seeds alone (no global seed was set in TF).
    tf.random.set_seed(None)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
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
    assert int(dataset.cardinality()) == FIXTURE[name]["cardinality"]


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


def test_experimental_transformations_apply_the_methods():
    experimental = tf.data.experimental
    ds = tf.data.Dataset.range(6)
    assert [int(x) for x in ds.apply(experimental.take_while(lambda x: x < 2))] == [0, 1]
    batched = ds.apply(experimental.map_and_batch(lambda x: x * 2, 4))
    assert [b.tolist() for b in batched.as_numpy_iterator()] == [
        [0, 2, 4, 6],
        [8, 10],
    ]
    grouped = ds.apply(experimental.group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), 3))
    assert [g.tolist() for g in grouped.as_numpy_iterator()] == [[0, 2, 4], [1, 3, 5]]
    assert experimental.get_structure(ds) == ds.element_spec
    with pytest.raises(TypeError):
        experimental.get_structure(3)


def test_assert_cardinality_as_tf():
    ds = tf.data.Dataset.range(4)
    checked = ds.apply(tf.data.experimental.assert_cardinality(4))
    assert int(checked.cardinality()) == 4 and len(list(checked)) == 4
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match="contain 3 elements but contained at least 4 elements",
    ):
        list(ds.apply(tf.data.experimental.assert_cardinality(3)))
    with pytest.raises(
        tf.errors.FailedPreconditionError, match="contain 6 elements but contained only 4 elements"
    ):
        list(ds.apply(tf.data.experimental.assert_cardinality(6)))


def test_from_list_as_tf():
    pairs = tf.data.experimental.from_list([(1, "a"), (2, "b")])
    assert [(int(a), b) for a, b in pairs.as_numpy_iterator()] == [(1, b"a"), (2, b"b")]
    varying = tf.data.experimental.from_list([[1], [2, 3]])
    assert str(varying.element_spec) == "TensorSpec(shape=(None,), dtype=tf.int32, name=None)"
    with pytest.raises(ValueError):
        tf.data.experimental.from_list([])
