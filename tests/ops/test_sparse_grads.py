"""Gradients of the sparse ops TF differentiates, against finite differences (float64)."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients

INDICES = np.array([[0, 1], [1, 0], [2, 3], [2, 1]], np.int64)
ORDERED = np.array([[0, 1], [1, 0], [2, 1], [2, 3]], np.int64)
VALUES = np.array([0.5, -1.2, 2.0, 0.7])


def _sp(values, indices=ORDERED, shape=(3, 4)):
    return tf.sparse.SparseTensor(indices, values, shape)


def test_to_dense_values_and_default():
    check_gradients(
        lambda v, d: tf.sparse.to_dense(_sp(v), default_value=d) ** 2,
        [VALUES, np.array(0.3)],
        order=2,
    )


@pytest.mark.parametrize("adjoint_a", [False, True])
@pytest.mark.parametrize("adjoint_b", [False, True])
def test_sparse_dense_matmul(adjoint_a, adjoint_b):
    rng = np.random.default_rng(0)
    inner = 3 if adjoint_a else 4
    b = rng.normal(size=(2, inner) if adjoint_b else (inner, 2))

    def f(v, dense):
        sp = _sp(v)
        return tf.sparse.sparse_dense_matmul(sp, dense, adjoint_a=adjoint_a, adjoint_b=adjoint_b)

    check_gradients(f, [VALUES, b], order=2)


def test_dense_times_sparse():
    b = np.random.default_rng(1).normal(size=(2, 3))
    check_gradients(lambda v, d: tf.sparse.sparse_dense_matmul(d, _sp(v)), [VALUES, b])


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_reduce_sum(axis):
    check_gradients(lambda v: tf.sparse.reduce_sum(_sp(v), axis) ** 2, [VALUES], order=2)


def test_reduce_sum_keepdims():
    check_gradients(lambda v: tf.sparse.reduce_sum(_sp(v), 1, keepdims=True) ** 2, [VALUES])


def test_reorder():
    weights = tf.constant(np.arange(1.0, 5.0))
    check_gradients(
        lambda v: tf.sparse.reorder(_sp(v, INDICES)).values * weights, [VALUES], order=2
    )


def test_sparse_add():
    other = np.array([[0, 1], [1, 1]], np.int64)

    def f(a, b):
        total = tf.sparse.add(_sp(a), _sp(b, other))
        return total.values * tf.constant(np.arange(1.0, 6.0))

    check_gradients(f, [VALUES, np.array([1.5, -0.5])])


def test_sparse_plus_dense():
    dense = np.random.default_rng(2).normal(size=(3, 4))
    check_gradients(lambda v, d: tf.sparse.add(_sp(v), d) ** 2, [VALUES, dense], order=2)


def test_softmax():
    weights = tf.constant(np.array([1.0, -2.0, 0.5, 3.0]))
    check_gradients(lambda v: tf.sparse.softmax(_sp(v)).values * weights, [VALUES], order=2)


def test_slice():
    check_gradients(
        lambda v: tf.sparse.slice(_sp(v), [1, 0], [2, 2]).values ** 2, [VALUES], order=2
    )


def test_fill_empty_rows():
    def f(v, d):
        out, _ = tf.sparse.fill_empty_rows(_sp(v, shape=(5, 4)), d)
        return out.values * tf.constant(np.arange(1.0, 7.0))

    check_gradients(f, [VALUES, np.array(0.25)])


@pytest.mark.parametrize(
    "fn", [tf.sparse.segment_sum, tf.sparse.segment_mean, tf.sparse.segment_sqrt_n]
)
def test_segments(fn):
    data = np.random.default_rng(3).normal(size=(4, 2))
    check_gradients(
        lambda d: fn(d, [0, 2, 1, 2], [0, 0, 1, 3], num_segments=5) ** 2, [data], order=2
    )


def test_cwise_mul_and_div():
    dense = np.array([1.5, 2.0, -0.5, 3.0])
    check_gradients(lambda v, d: (_sp(v) * d).values ** 2, [VALUES, dense], order=2)
    check_gradients(lambda v, d: (_sp(v) / d).values ** 2, [VALUES, dense])


def test_gradient_inside_tf_function():
    b = tf.constant(np.random.default_rng(4).normal(size=(4, 2)))
    v = tf.Variable(VALUES)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.sparse.sparse_dense_matmul(_sp(v * 1.0), b) ** 2)
        return tape.gradient(y, v)

    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.sparse.sparse_dense_matmul(_sp(v * 1.0), b) ** 2)
    np.testing.assert_allclose(step().numpy(), tape.gradient(y, v).numpy())
