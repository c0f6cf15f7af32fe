"""``tf.nondifferentiable_batch_function``: values, splitting, padding and errors as TF
2.21 gives them (expected values observed in TF 2.21)."""

import numpy as np
import pytest

import tensorflux as tf


def test_values_and_structures():
    @tf.nondifferentiable_batch_function(1, 4, 100000)
    def affine(x, y):
        return x * 2 + y

    out = affine(tf.constant([[1.0], [2.0]]), tf.constant([[3.0], [4.0]]))
    np.testing.assert_array_equal(out.numpy(), [[5.0], [8.0]])

    @tf.nondifferentiable_batch_function(1, 4, 100000)
    def two(x):
        return x * 2, x + 1

    doubled, shifted = two(tf.constant([1.0, 2.0]))
    assert doubled.numpy().tolist() == [2.0, 4.0] and shifted.numpy().tolist() == [2.0, 3.0]


def test_batches_are_split_and_padded():
    seen = []

    def record(x):
        seen.append(int(x.shape[0]))
        return x * 10

    split = tf.nondifferentiable_batch_function(1, 2, 1000)(record)
    assert split(tf.constant([1.0, 2.0, 3.0])).numpy().tolist() == [10.0, 20.0, 30.0]
    assert seen == [2, 1]
    seen.clear()
    padded = tf.nondifferentiable_batch_function(1, 4, 1000, allowed_batch_sizes=[2, 4])(record)
    assert padded(tf.constant([1.0])).numpy().tolist() == [10.0]
    assert seen == [2]


def test_errors_as_tf():
    identity = tf.nondifferentiable_batch_function(1, 4, 1000, allowed_batch_sizes=[3, 2])(
        lambda x: x
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="monotonically increasing"):
        identity(tf.constant([1.0]))
    plain = tf.nondifferentiable_batch_function(1, 2, 1000)(lambda x, y=None: x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="at least one dimension"):
        plain(tf.constant(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="equal 0th-dimension size"):
        plain(tf.constant([1.0]), tf.constant([1.0, 2.0]))


def test_outputs_carry_no_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nondifferentiable_batch_function(1, 4, 1000)(lambda v: v * v)(x)
    grad = tape.gradient(y, x)
    assert grad is None or not np.any(grad.numpy())
