"""HashedCrossing: the harness, output modes and shapes, sparse one-hot rows,
tf.function, argument and input errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import run_layer_test


@pytest.mark.parametrize(
    "kwargs, shape, expected",
    [
        ({"num_bins": 5}, (4,), (4,)),
        ({"num_bins": 5}, (4, 1), (4, 1)),
        ({"num_bins": 6, "output_mode": "one_hot"}, (3, 1), (3, 6)),
    ],
)
def test_harness(kwargs, shape, expected):
    run_layer_test(
        layers.HashedCrossing,
        kwargs,
        [shape, shape],
        expected,
        input_dtype="int64",
        expected_num_trainable_weights=0,
    )


def test_bins_are_in_range_and_deterministic():
    a = tf.constant(np.arange(50))
    b = tf.constant([str(i % 7) for i in range(50)])
    out = layers.HashedCrossing(num_bins=8)((a, b)).numpy()
    assert out.dtype == np.int64 and ((0 <= out) & (out < 8)).all()
    np.testing.assert_array_equal(layers.HashedCrossing(num_bins=8)([a, b]).numpy(), out)


def test_one_hot_sparse_and_dtype():
    inputs = (tf.constant(["A", "B"]), tf.constant([1, 2]))
    dense = layers.HashedCrossing(4, output_mode="one_hot")(inputs)
    sparse = layers.HashedCrossing(4, output_mode="one_hot", sparse=True)(inputs)
    np.testing.assert_array_equal(tf.sparse.to_dense(sparse).numpy(), dense.numpy())
    as_int32 = layers.HashedCrossing(4, dtype="int32")(inputs)
    assert as_int32.dtype == tf.int32


def test_in_tf_function_with_unknown_batch():
    layer = layers.HashedCrossing(num_bins=11)
    a, b = tf.constant(["x", "y", "z"]), tf.constant([3, 4, 5], tf.int64)
    spec = [tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.int64)]
    traced = tf.function(lambda x, y: layer((x, y)), input_signature=spec)
    np.testing.assert_array_equal(traced(a, b).numpy(), layer((a, b)).numpy())


def test_compute_output_shape():
    assert layers.HashedCrossing(3).compute_output_shape([[None, 1], [None, 1]]).as_list() == [
        None,
        1,
    ]
    one_hot = layers.HashedCrossing(3, output_mode="one_hot")
    assert one_hot.compute_output_shape([[None], [None]]).as_list() == [None, 3]
    assert one_hot.compute_output_shape([[], []]).as_list() == [3]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_bins": 3, "output_mode": "multi_hot"}, "Unkown value for `output_mode`"),
        ({"num_bins": 3, "dtype": "float32"}, "When `output_mode='int'`, `dtype` should be"),
    ],
)
def test_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.HashedCrossing(**kwargs)


@pytest.mark.parametrize(
    "inputs, message",
    [
        (tf.constant([1, 2]), "should be called on a list or tuple"),
        ([tf.constant([1, 2])], "should be called on at least two inputs"),
        ([tf.ones((2, 2), tf.int64), tf.ones((2, 2), tf.int64)], "should have shape `\\[\\]`"),
        ([tf.constant([1, 2]), tf.constant([1, 2, 3])], "should have equal shape"),
        ([tf.constant([1.0, 2.0]), tf.constant([1, 2])], "integer or string dtype"),
    ],
)
def test_input_errors(inputs, message):
    with pytest.raises(ValueError, match=message):
        layers.HashedCrossing(num_bins=3)(inputs)
