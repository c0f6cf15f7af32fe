"""``tf.random.gamma`` and ``tf.random.stateless_gamma`` (TF's numbers are checked in
``test_random_streams.py``'s ``gamma`` case): distribution, shapes, inference, errors."""

import math

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine.registry import Spec, execute
from tensorflux.ops import random_gamma_ops


@pytest.fixture(autouse=True)
def _reset_seed():
    yield
    tf.random.set_seed(None)


@pytest.mark.parametrize("alpha", [0.4, 1.0, 3.0, 25.0])
def test_moments(alpha):
    x = tf.random.stateless_gamma([4000], [1, int(alpha * 10)], alpha=alpha, beta=2.0).numpy()
    assert abs(x.mean() - alpha / 2) < 0.1 * alpha / 2 + 0.01
    assert abs(x.var() - alpha / 4) < 0.15 * alpha / 4 + 0.01
    y = tf.random.gamma([4000], alpha, beta=0.5, dtype=tf.float64, seed=3).numpy()
    assert abs(y.mean() - 2 * alpha) < 0.1 * 2 * alpha


def test_shapes_and_dtypes():
    x = tf.random.gamma([5, 2], [[1.0], [2.0], [3.0]], beta=[1.0, 2.0], seed=1)
    assert x.shape == (5, 2, 3, 2) and x.dtype == tf.float32
    assert tf.random.gamma([0], 1.0).shape == (0,)
    assert tf.random.gamma([2], [], seed=1).shape == (2, 0)
    s = tf.random.stateless_gamma([0, 3], [1, 2], alpha=[1.0, 2.0, 3.0], dtype=tf.float16)
    assert s.shape == (0, 3) and s.dtype == tf.float16
    # At least the smallest normal number, as TF clips.
    tiny = tf.random.gamma([50], 1e-3, seed=2).numpy()
    assert tiny.min() >= np.finfo(np.float32).tiny


def test_stateless_repeats_and_seeded_stateful_sequence():
    a = tf.random.stateless_gamma([6], [3, 4], alpha=0.5)
    b = tf.random.stateless_gamma([6], tf.constant([3, 4], tf.int64), alpha=0.5)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    tf.random.set_seed(5)
    first = [tf.random.gamma([3], 2.0, seed=1).numpy() for _ in range(2)]
    assert not np.array_equal(*first)
    tf.random.set_seed(5)
    np.testing.assert_array_equal(tf.random.gamma([3], 2.0, seed=1).numpy(), first[0])


def test_traced_shapes():
    @tf.function
    def draw(n):
        return tf.random.gamma(tf.shape(n), [1.0, 2.0]), tf.random.stateless_gamma(
            tf.shape(n), [1, 2], alpha=1.5
        )

    g, s = draw(tf.zeros([4]))
    assert g.shape == (4, 2) and s.shape == (4,)


def test_infer():
    alpha = Spec(tf.float32, tf.TensorShape([3]))
    spec = random_gamma_ops._RANDOM_GAMMA.infer(
        Spec(tf.int32, tf.TensorShape([2]), [5, 2]), alpha, dtype=tf.float32, seed=0, seed2=0
    )
    assert spec == Spec(tf.float32, tf.TensorShape([5, 2, 3]))
    spec = random_gamma_ops._RANDOM_GAMMA.infer(
        Spec(tf.int32, tf.TensorShape([1])), alpha, dtype=tf.float32, seed=0, seed2=0
    )
    assert spec.shape.as_list() == [None, 3]
    scalar = Spec(tf.int32, tf.TensorShape([]))
    key = Spec(tf.uint64, tf.TensorShape([1]))
    spec = random_gamma_ops._STATELESS_GAMMA.infer(
        Spec(tf.int32, tf.TensorShape([2]), [4, 3]), key, key, scalar, alpha, dtype=tf.float64
    )
    assert spec == Spec(tf.float64, tf.TensorShape([4, 3]))


@pytest.mark.parametrize(
    "fn, exc, msg",
    [
        (
            lambda: tf.random.stateless_gamma([2, 3], [1, 2], alpha=[1.0, 2.0]),
            tf.errors.InvalidArgumentError,
            "must end with broadcasted shape",
        ),
        (
            lambda: tf.random.stateless_gamma([3], [1, 2], alpha=[[1.0, 2.0, 3.0]]),
            tf.errors.InvalidArgumentError,
            "must end with broadcasted shape",
        ),
        (lambda: tf.random.gamma([2], 1, dtype=tf.int32), ValueError, "not a floating"),
        (
            lambda: tf.random.gamma([-1], 1.0),
            tf.errors.InvalidArgumentError,
            "Dimension -1 must be >= 0",
        ),
        (
            lambda: tf.random.gamma([2], [1.0, 2.0], beta=[1.0, 2.0, 3.0]),
            tf.errors.InvalidArgumentError,
            "incompatible shapes",
        ),
        (
            lambda: tf.random.stateless_gamma([2], [1, 2, 3], alpha=1.0),
            tf.errors.InvalidArgumentError,
            "seed must have shape",
        ),
    ],
)
def test_errors(fn, exc, msg):
    with pytest.raises(exc, match=msg):
        fn()


def _dsample_dalpha(alpha, sample):
    """The RandomGammaGrad op on NumPy values."""
    return execute(
        random_gamma_ops._RANDOM_GAMMA_GRAD, (tf.constant(alpha), tf.constant(sample))
    ).numpy()


def _gamma_cdf(a: float, x: float) -> float:
    """P(a, x) by its power series x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a+1)...(a+n))."""
    term, total = 1.0, 1.0
    for n in range(1, 400):
        term *= x / (a + n)
        total += term
    return math.exp(a * math.log(x) - x - math.lgamma(a + 1)) * total


@pytest.mark.parametrize(
    "a, x", [(0.5, 0.2), (1.0, 1.3), (2.5, 0.7), (4.0, 9.0), (9.0, 14.0), (30.0, 26.0)]
)
def test_random_gamma_grad_keeps_the_cdf_level(a, x):
    """d x / d a holds P(a, x) fixed: P(a + h, x + h * dx/da) = P(a, x) to second order."""
    dxda = float(_dsample_dalpha(np.float64(a), np.float64(x)))
    h = 1e-4
    moved = _gamma_cdf(a + h, x + h * dxda) - _gamma_cdf(a - h, x - h * dxda)
    density = np.exp((a - 1) * np.log(x) - x - math.lgamma(a))
    assert abs(moved) / (2 * h) < 1e-6 * max(1.0, density * abs(dxda))


def test_sample_gradient_sums_over_samples():
    alpha = tf.constant([0.7, 3.0], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(alpha)
        g = tf.random.gamma([5], alpha, dtype=tf.float64, seed=2)
        s = tf.random.stateless_gamma([4, 5, 2], [1, 1], alpha, dtype=tf.float64)
    want = _dsample_dalpha(alpha.numpy(), g.numpy()).sum(0)
    np.testing.assert_allclose(tape.gradient(g, alpha).numpy(), want)
    want = _dsample_dalpha(alpha.numpy(), s.numpy()).sum((0, 1))
    np.testing.assert_allclose(tape.gradient(s, alpha).numpy(), want)
