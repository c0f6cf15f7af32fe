"""``tf.random.poisson`` and ``tf.random.stateless_poisson`` (TF's numbers are checked in
``test_random_streams.py``'s ``poisson`` case): distribution, shapes, errors."""

import numpy as np
import pytest

import tensorflux as tf


@pytest.fixture(autouse=True)
def _reset_seed():
    yield
    tf.random.set_seed(None)


@pytest.mark.parametrize("lam", [0.5, 4.0, 15.0, 200.0])
def test_moments(lam):
    x = tf.random.stateless_poisson([4000], [2, int(lam)], lam=lam).numpy()
    assert abs(x.mean() - lam) < 0.1 * lam
    assert abs(x.var() - lam) < 0.2 * lam
    y = tf.random.poisson([4000], lam, dtype=tf.float64, seed=1).numpy()
    assert abs(y.mean() - lam) < 0.1 * lam and np.all(y == np.floor(y))


def test_shapes_dtypes_and_edge_rates():
    x = tf.random.poisson([5, 2], [[1.0], [20.0]], dtype=tf.int64, seed=1)
    assert x.shape == (5, 2, 2, 1) and x.dtype == tf.int64
    assert tf.random.poisson([0], 1.0).shape == (0,)
    zero = tf.random.stateless_poisson([6, 2], [1, 2], lam=[0.0, -3.0]).numpy()
    np.testing.assert_array_equal(zero, np.zeros((6, 2)))
    assert zero.dtype == np.int32

    @tf.function
    def draw(n):
        return tf.random.poisson(tf.shape(n), [1.0, 30.0])

    assert draw(tf.zeros([4])).shape == (4, 2)


@pytest.mark.parametrize(
    "fn, exc, msg",
    [
        (
            lambda: tf.random.stateless_poisson([3], [1, 2], lam=[1.0, 2.0]),
            tf.errors.InvalidArgumentError,
            "must end with broadcasted shape",
        ),
        (
            lambda: tf.random.poisson([2], 1.0, dtype=tf.bool),
            tf.errors.InvalidArgumentError,
            "not in the list of allowed values",
        ),
        (
            lambda: tf.random.poisson([2], [1.0, np.nan]),
            tf.errors.InvalidArgumentError,
            "must be finite",
        ),
        (
            lambda: tf.random.stateless_poisson([2], [1, 2, 3], lam=1.0),
            tf.errors.InvalidArgumentError,
            "seed must have shape",
        ),
        (
            lambda: tf.random.poisson([-1], 1.0),
            tf.errors.InvalidArgumentError,
            "Dimension -1 must be >= 0",
        ),
    ],
)
def test_errors(fn, exc, msg):
    with pytest.raises(exc, match=msg):
        fn()
