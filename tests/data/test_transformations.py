"""map, filter, repeat, take, skip, concatenate, enumerate, with_options."""

import numpy as np
import pytest

import tensorflux as tf
from tests.data.conftest import as_lists, assert_same_elements, element_by_element

Spec = tf.TensorSpec


def _images():
    rng = np.random.default_rng(0)
    return (
        rng.integers(0, 256, (50, 4, 4, 1), dtype=np.uint8),
        rng.integers(0, 10, 50).astype(np.int64),
    )


def normalize_img(image, label):
    return tf.cast(image, tf.float32) / 255.0, label


def test_map_spec_and_values_like_the_notes():
    x, y = _images()
    ds = tf.data.Dataset.from_tensor_slices((x, y)).map(normalize_img)
    assert ds.element_spec == (Spec((4, 4, 1), tf.float32), Spec((), tf.int64))
    out = as_lists(ds)
    np.testing.assert_allclose(out[3][0], x[3].astype(np.float32) / 255.0)
    assert out[3][1] == y[3]


def test_map_traces_once_and_sees_symbolic_tensors():
    seen = []

    def f(a):
        seen.append(type(a).__name__)
        return a + 1

    ds = tf.data.Dataset.range(5).map(f)
    assert as_lists(ds) == [1, 2, 3, 4, 5] and as_lists(ds) == [1, 2, 3, 4, 5]
    assert seen == ["SymbolicTensor"]


def test_map_over_batches_of_unknown_size_traces_once_as_in_tf():
    seen = []

    def f(rows):
        seen.append(rows.shape.as_list())
        return tf.reduce_sum(rows, 1), tf.shape(rows)

    ds = tf.data.Dataset.from_tensor_slices(np.arange(28.0, dtype=np.float32).reshape(7, 4))
    ds = ds.batch(3).map(f)
    assert ds.element_spec == (Spec((None,), tf.float32), Spec((2,), tf.int32))
    out = as_lists(ds)
    assert [s.tolist() for _, s in out] == [[3, 4], [3, 4], [1, 4]]
    np.testing.assert_allclose(out[2][0], [24.0 + 25.0 + 26.0 + 27.0])
    assert seen == [[None, 4]]


def test_map_numpy_call_fails_like_tf():
    with pytest.raises(AttributeError, match="object has no attribute 'numpy'"):
        tf.data.Dataset.range(3).map(lambda x: x.numpy())


def test_map_shape_error_surfaces_at_map_time():
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((4, 2, 2), np.float32))
    with pytest.raises(ValueError, match=r"MatMul"):
        ds.map(lambda x: tf.matmul(x, tf.zeros((3, 3))))


def test_map_argument_count_error():
    ds = tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4]))
    with pytest.raises(TypeError, match="positional argument"):
        ds.map(lambda x: x)


@pytest.mark.parametrize(
    "fn, spec",
    [
        (lambda x: 3, Spec((), tf.int32)),
        (lambda x: [x, x], (Spec((), tf.int64), Spec((), tf.int64))),
        (lambda x: {"v": x}, {"v": Spec((), tf.int64)}),
        (lambda x: (x, np.float32(2)), (Spec((), tf.int64), Spec((), tf.float32))),
        (lambda x: (x,), (Spec((), tf.int64),)),
    ],
)
def test_map_output_structures(fn, spec):
    assert tf.data.Dataset.range(3).map(fn).element_spec == spec


def test_map_constant_output_and_none():
    assert as_lists(tf.data.Dataset.range(2).map(lambda x: (x, 7))) == [(0, 7), (1, 7)]
    with pytest.raises(ValueError, match="must return at least one tensor"):
        tf.data.Dataset.range(2).map(lambda x: None)


def test_map_element_structures_as_arguments():
    d = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]})
    assert as_lists(d.map(lambda e: e["a"] + e["b"])) == [4, 6]
    one = tf.data.Dataset.range(3).map(lambda x: (x,)).map(lambda x: x * 2)
    assert as_lists(one) == [0, 2, 4]


def test_map_partial_shapes_get_unknown_dims():
    gen = tf.data.Dataset.from_generator(
        lambda: ([1] * i for i in range(1, 4)), output_signature=Spec((None,), tf.int32)
    )
    doubled = gen.map(lambda v: (v * 2, tf.reduce_sum(v)))
    assert doubled.element_spec == (Spec((None,), tf.int32), Spec((), tf.int32))
    assert [(a.tolist(), int(b)) for a, b in as_lists(doubled)] == [
        ([2], 1),
        ([2, 2], 2),
        ([2, 2, 2], 3),
    ]
    batched = tf.data.Dataset.range(7).batch(3).map(lambda b: b * 10)
    assert batched.element_spec == Spec((None,), tf.int64)
    assert [b.tolist() for b in as_lists(batched)] == [[0, 10, 20], [30, 40, 50], [60]]


@pytest.mark.parametrize(
    "fn",
    [
        normalize_img,
        lambda x, y: (1.0 - tf.cast(x, tf.float32) / 255.0, y),
        lambda x, y: (tf.maximum(tf.cast(x, tf.float32) - 100.0, 0.0), y * 2),
        lambda x, y: (tf.reduce_sum(x), y),  # not elementwise: per element
        lambda x, y: (tf.cast(x, tf.int32) + tf.constant([1, 2, 3, 4], tf.int32), y),
    ],
)
def test_map_block_path_matches_element_path(fn):
    x, y = _images()

    def pipe():
        return tf.data.Dataset.from_tensor_slices((x, y)).map(fn).batch(7)

    fast = as_lists(pipe())
    with element_by_element():
        slow = as_lists(pipe())
    assert_same_elements(fast, slow)


def test_map_with_tf_random_runs_per_element():
    ds = tf.data.Dataset.range(4).map(lambda x: tf.random.uniform(()) + tf.cast(x, tf.float32))
    values = [v - i for i, v in enumerate(as_lists(ds))]
    assert len(set(np.round(values, 6))) == 4  # a fresh draw for every element


def test_filter():
    d = tf.data.Dataset.range(10)
    assert as_lists(d.filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    pairs = tf.data.Dataset.from_tensor_slices(([1, 2, 3], ["a", "", "c"]))
    assert as_lists(pairs.filter(lambda n, s: s != "")) == [(1, b"a"), (3, b"c")]
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar tensor"):
        d.filter(lambda x: x)
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar tensor"):
        d.filter(lambda x: (x > 1, x > 2))


def test_filter_block_path_matches_element_path():
    x, y = _images()

    def pipe():
        return tf.data.Dataset.from_tensor_slices((x, y)).filter(lambda a, b: b > 4).batch(6)

    fast = as_lists(pipe())
    with element_by_element():
        slow = as_lists(pipe())
    assert_same_elements(fast, slow)


def test_repeat_take_skip():
    d = tf.data.Dataset.range(3)
    assert as_lists(d.repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert as_lists(d.repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert as_lists(d.repeat(0)) == []
    assert as_lists(tf.data.Dataset.range(0).repeat()) == []  # ends, no endless loop
    assert as_lists(d.take(2)) == [0, 1] and as_lists(d.take(-1)) == [0, 1, 2]
    assert as_lists(d.skip(1)) == [1, 2] and as_lists(d.skip(-1)) == []
    assert as_lists(d.take(tf.constant(2, tf.int64))) == [0, 1]
    big = tf.data.Dataset.range(100)
    assert as_lists(big.skip(37).take(3).batch(2)) == [
        pytest.approx(np.array([37, 38])),
        pytest.approx(np.array([39])),
    ]


def test_take_and_skip_with_cardinality_tensor_like_the_notes():
    ds = tf.data.Dataset.range(50).batch(5)
    n = tf.data.experimental.cardinality(ds)
    test, val = ds.take(n // 5), ds.skip(n // 5)
    assert len(test) == 2 and len(val) == 8


def test_concatenate():
    a, b = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)
    assert as_lists(a.concatenate(b)) == [0, 1, 2, 10, 11]
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        a.concatenate(a.map(lambda x: tf.cast(x, tf.int32)))
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        a.concatenate(tf.data.Dataset.zip((a, a)))
    mixed = tf.data.Dataset.from_tensors([1, 2]).concatenate(tf.data.Dataset.from_tensors([3]))
    assert mixed.element_spec == Spec((None,), tf.int32)


def test_enumerate():
    assert as_lists(tf.data.Dataset.range(3).enumerate(start=5)) == [(5, 0), (6, 1), (7, 2)]


def test_with_options():
    options = tf.data.Options()
    options.deterministic = False
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    ds = tf.data.Dataset.range(3).with_options(options).map(lambda x: x)
    assert ds.options().deterministic is False
    assert ds.options().experimental_distribute.auto_shard_policy == 2
    assert tf.data.Dataset.range(2).options().deterministic is None
    assert as_lists(ds) == [0, 1, 2]
    with pytest.raises(AttributeError, match="no option"):
        options.no_such_option = 1
    with pytest.raises(TypeError, match="tf.data.Options"):
        tf.data.Dataset.range(2).with_options({"deterministic": True})


def test_elementwise_maps_run_on_blocks():
    x, y = _images()
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    assert ds.map(normalize_img)._elementwise
    assert ds.map(lambda a, b: (1.0 - tf.cast(a, tf.float32), b))._elementwise
    assert not ds.map(lambda a, b: (tf.reduce_sum(a), b))._elementwise
    assert not ds.map(lambda a, b: (tf.random.uniform(()), b))._elementwise


def test_map_over_unknown_rank_and_dataset_elements():
    gen = tf.data.Dataset.from_generator(lambda: iter([[1, 2], [3, 4]]), output_types=tf.int32)
    doubled = gen.map(lambda v: v * 2)
    assert doubled.element_spec == Spec(None, tf.int32)
    assert [v.tolist() for v in as_lists(doubled)] == [[2, 4], [6, 8]]
    windows = tf.data.Dataset.range(4).window(2)
    sums = windows.map(lambda w: w.reduce(tf.constant(0, tf.int64), lambda a, b: a + b))
    assert as_lists(sums) == [1, 5]
    with pytest.raises(TypeError, match="elements that hold datasets"):
        windows.filter(lambda w: True)


def test_map_outputs_of_data_dependent_length_have_unknown_dims():
    positives = tf.data.Dataset.from_tensor_slices([[1, -2, 3], [4, 5, -6]]).map(
        lambda v: tf.boolean_mask(v, v > 0)
    )
    assert positives.element_spec == tf.TensorSpec(shape=(None,), dtype=tf.int32)
    assert [x.tolist() for x in positives.as_numpy_iterator()] == [[1, 3], [4, 5]]
