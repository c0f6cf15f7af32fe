"""The Dataset base: iteration, printed forms, element_spec, cardinality, len()."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.data import dataset as dataset_module


def test_constants_match_tf():
    assert tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1
    assert tf.data.INFINITE_CARDINALITY == tf.data.experimental.INFINITE_CARDINALITY == -1
    assert tf.data.UNKNOWN_CARDINALITY == tf.data.experimental.UNKNOWN_CARDINALITY == -2


def test_repr_names_transformations_as_tf():
    d = tf.data.Dataset.from_tensor_slices(np.arange(10, dtype=np.int32))
    spec = "TensorSpec(shape=(), dtype=tf.int32, name=None)"
    assert repr(d) == f"<_TensorSliceDataset element_spec={spec}>"
    cases = {
        "_MapDataset": d.map(lambda x: x * 2),
        "_ParallelMapDataset": d.map(lambda x: x * 2, num_parallel_calls=tf.data.AUTOTUNE),
        "_FilterDataset": d.filter(lambda x: x > 2),
        "_ShuffleDataset": d.shuffle(3),
        "_RepeatDataset": d.repeat(),
        "_TakeDataset": d.take(2),
        "_SkipDataset": d.skip(2),
        "_ConcatenateDataset": d.concatenate(d),
        "CacheDataset": d.cache(),
        "_PrefetchDataset": d.prefetch(1),
        "_UnbatchDataset": d.batch(3).unbatch(),
        "_OptionsDataset": d.with_options(tf.data.Options()),
        "_InterleaveDataset": d.interleave(lambda x: tf.data.Dataset.from_tensors(x)),
        "_FlatMapDataset": d.flat_map(lambda x: tf.data.Dataset.from_tensors(x)),
    }
    for name, ds in cases.items():
        assert repr(ds) == f"<{name} element_spec={spec}>"
    assert repr(d.batch(3)) == (
        "<_BatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int32, name=None)>"
    )
    assert repr(d.batch(3, drop_remainder=True)).endswith("shape=(3,), dtype=tf.int32, name=None)>")
    assert repr(d.batch(3, num_parallel_calls=2)).startswith("<_ParallelBatchDataset")
    assert repr(d.padded_batch(3)).startswith("<_PaddedBatchDataset")
    assert repr(d.enumerate()) == (
        f"<_ZipDataset element_spec=(TensorSpec(shape=(), dtype=tf.int64, name=None), {spec})>"
    )
    assert repr(d.window(3)) == (
        f"<_WindowDataset element_spec=DatasetSpec({spec}, TensorShape([]))>"
    )
    assert repr(tf.data.Dataset.range(5)).startswith("<_RangeDataset")
    assert repr(tf.data.Dataset.from_tensors([1, 2])) == (
        "<_TensorDataset element_spec=TensorSpec(shape=(2,), dtype=tf.int32, name=None)>"
    )


def test_iteration_yields_tensors_and_restarts():
    d = tf.data.Dataset.from_tensor_slices(([1, 2], [3.0, 4.0]))
    first = [(a.numpy(), b.numpy()) for a, b in d]
    assert first == [(1, 3.0), (2, 4.0)]
    assert [(a.numpy(), b.numpy()) for a, b in d] == first  # re-iterable
    x, y = next(iter(d))
    assert isinstance(x, tf.Tensor) and x.dtype == tf.int32 and y.dtype == tf.float32


def test_iterator_exhaustion_and_get_next():
    it = iter(tf.data.Dataset.range(2))
    assert it.element_spec == tf.TensorSpec((), tf.int64)
    assert int(next(it)) == 0 and int(it.get_next()) == 1
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(tf.errors.OutOfRangeError):
        it.get_next()


def test_as_numpy_iterator_forms():
    d = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "s": ["x", "yz"]})
    out = list(d.as_numpy_iterator())
    assert out == [{"a": 1, "s": b"x"}, {"a": 2, "s": b"yz"}]
    assert isinstance(out[0]["a"], np.int32)
    assert "NumpyIterator(iterator=" in repr(d.as_numpy_iterator())
    with pytest.raises(TypeError, match="not supported"):
        tf.data.Dataset.range(4).window(2).as_numpy_iterator()


def test_take_one_loop_like_the_notes():
    d = tf.data.Dataset.range(100).batch(10)
    seen = [b.numpy() for b in d.take(1)]
    assert len(seen) == 1 and list(seen[0]) == list(range(10))


def test_cardinality_and_len():
    d = tf.data.Dataset.range(10)
    card = d.cardinality()
    assert card.dtype == tf.int64 and int(card) == 10
    assert int(tf.data.experimental.cardinality(d)) == 10 and len(d) == 10
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(d.repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(d.filter(lambda x: x > 2))
    assert bool(d.repeat())  # truthy even though len() fails


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d.filter(lambda x: x > 2), -2),
        (lambda d: d.batch(3), 4),
        (lambda d: d.batch(3, True), 3),
        (lambda d: d.repeat(), -1),
        (lambda d: d.repeat(2), 20),
        (lambda d: d.repeat(0), 0),
        (lambda d: d.take(3), 3),
        (lambda d: d.take(-1), 10),
        (lambda d: d.skip(3), 7),
        (lambda d: d.skip(20), 0),
        (lambda d: d.skip(-1), 0),
        (lambda d: d.shuffle(3), 10),
        (lambda d: d.repeat().take(5), 5),
        (lambda d: d.repeat().skip(3), -1),
        (lambda d: d.batch(3).unbatch(), -2),
        (lambda d: d.window(3), 4),
        (lambda d: d.enumerate(), 10),
        (lambda d: d.cache(), 10),
        (lambda d: d.prefetch(2), 10),
        (lambda d: d.flat_map(lambda x: tf.data.Dataset.from_tensors(x)), -2),
        (lambda d: tf.data.Dataset.zip((d, d.take(3))), 3),
        (lambda d: d.concatenate(d.repeat()), -1),
        (lambda d: d.filter(lambda x: x > 2).repeat(), -1),
        (lambda d: d.padded_batch(4), 3),
        (lambda d: d.map(lambda x: x + 1), 10),
    ],
)
def test_cardinality_matches_tf(make, expected):
    assert int(make(tf.data.Dataset.range(10)).cardinality()) == expected


def test_get_single_element_and_reduce():
    assert int(tf.data.Dataset.from_tensors(5).get_single_element()) == 5
    assert int(tf.data.experimental.get_single_element(tf.data.Dataset.from_tensors(5))) == 5
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one element"):
        tf.data.Dataset.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty"):
        tf.data.Dataset.range(0).get_single_element()
    total = tf.data.Dataset.range(5).reduce(tf.constant(0, tf.int64), lambda a, b: a + b)
    assert int(total) == 10


def test_apply_and_errors():
    d = tf.data.Dataset.range(5)
    assert list(d.apply(lambda ds: ds.take(2)).as_numpy_iterator()) == [0, 1]
    with pytest.raises(TypeError, match="must return a `tf.data.Dataset`"):
        d.apply(lambda ds: 3)
    with pytest.raises(ValueError, match="must be a callable"):
        d.map(3)
    with pytest.raises(TypeError, match="EagerTensor of dtype int64"):
        d.take("a")


def test_block_switch_is_restored():
    assert dataset_module.use_blocks is True
