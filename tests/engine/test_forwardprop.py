"""tf.autodiff.ForwardAccumulator: JVPs against finite differences (float64) and
against TensorFlow fixtures (``record_forwardprop_fixtures.py``): several primals,
variables, nesting, Hessian-vector products both ways, tf.function, errors."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tests.engine import forwardprop_cases as cases

FIXTURES = json.loads((Path(__file__).parents[1] / "fixtures" / "forwardprop.json").read_text())


def test_namespace():
    assert tf.autodiff.GradientTape is tf.GradientTape
    assert tf.autodiff.ForwardAccumulator.__name__ == "ForwardAccumulator"


def _assert_tree_close(got, expected, rtol=1e-5, atol=1e-6):
    if expected is None:
        assert got is None
    elif isinstance(expected, dict):
        assert set(got) == set(expected)
        for k in expected:
            _assert_tree_close(got[k], expected[k], rtol, atol)
    else:
        assert got is not None
        np.testing.assert_allclose(np.asarray(got), expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_cases_match_tensorflow(name):
    _assert_tree_close(cases.to_plain(cases.CASES[name](tf)), FIXTURES[name], rtol=2e-5)


def test_unconnected_dtypes():
    got = cases.unconnected(tf)
    assert got["int_zero"].dtype == tf.int32
    assert got["zero"].dtype == tf.float32


@pytest.mark.parametrize("case", sorted(FIXTURES["errors"]))
def test_errors_match_tensorflow(case):
    error_type, message = FIXTURES["errors"][case]
    with pytest.raises(ValueError) as info:
        _raise(case)
    assert type(info.value).__name__ == error_type
    assert str(info.value) == message


def _raise(case):
    fa = tf.autodiff.ForwardAccumulator
    x = tf.constant([1.0, 2.0])
    if case == "int_tangent":
        fa(x, tf.constant([1, 2]))
    elif case == "float64_tangent":
        fa(x, tf.constant([1.0, 2.0], tf.float64))
    elif case == "duplicate_primal":
        fa([x, x], [x, x])
    else:
        fa(x, x).jvp(x, unconnected_gradients="bogus")


def test_tangent_shape_and_structure_errors():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match=r"tangent has shape \(3,\) but its primal has shape"):
        tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="same nested structure"):
        tf.autodiff.ForwardAccumulator(x, [tf.constant([1.0, 2.0])])
    with pytest.raises(AttributeError, match="'float' object has no attribute 'dtype'"):
        tf.autodiff.ForwardAccumulator(3.0, 1.0)


# -- finite differences, float64 ------------------------------------------------------

FUNCTIONS = {
    "sin_exp": lambda x: tf.sin(x) * tf.exp(x),
    "logsumexp": lambda x: tf.reduce_logsumexp(x[:, None] * x[None, :], axis=1),
    "softmax": lambda x: tf.nn.softmax(x * 2.0),
    "matmul": lambda x: tf.matmul(tf.reshape(x, (2, 2)), tf.reshape(x, (2, 2))),
    "sigmoid_norm": lambda x: tf.sigmoid(x) / tf.norm(x),
    "gather_where": lambda x: tf.where(x > 0, tf.gather(x, [3, 2, 1, 0]) ** 2, -x),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_jvp_matches_finite_differences(name):
    f = FUNCTIONS[name]
    rng = np.random.default_rng(3)
    x = rng.normal(size=4)
    v = rng.normal(size=4)
    primal = tf.constant(x)
    with tf.autodiff.ForwardAccumulator(primal, tf.constant(v)) as acc:
        y = f(primal)
    eps = 1e-6
    numeric = (f(tf.constant(x + eps * v)).numpy() - f(tf.constant(x - eps * v)).numpy()) / (
        2 * eps
    )
    np.testing.assert_allclose(acc.jvp(y).numpy(), numeric, rtol=1e-6, atol=1e-8)


def test_hessian_vector_product_matches_finite_differences_of_the_gradient():
    rng = np.random.default_rng(4)
    x, v = rng.normal(size=3), rng.normal(size=3)

    def grad(values):
        t = tf.constant(values)
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.reduce_sum(tf.sin(t) * t**2)
        return tape.gradient(y, t)

    primal = tf.constant(x)
    with tf.autodiff.ForwardAccumulator(primal, tf.constant(v)) as acc:
        with tf.GradientTape() as tape:
            tape.watch(primal)
            y = tf.reduce_sum(tf.sin(primal) * primal**2)
        backward = tape.gradient(y, primal)
    eps = 1e-6
    numeric = (grad(x + eps * v).numpy() - grad(x - eps * v).numpy()) / (2 * eps)
    np.testing.assert_allclose(acc.jvp(backward).numpy(), numeric, rtol=1e-6, atol=1e-8)


def test_keras_model_jvp_with_variables_as_primals():
    model = tf.keras.Sequential([tf.keras.layers.Dense(3, activation="tanh", input_shape=(2,))])
    x = np.array([[0.5, -1.0]], np.float32)
    kernel = model.layers[0].kernel
    direction = np.ones(kernel.shape, np.float32)
    with tf.autodiff.ForwardAccumulator(kernel, tf.constant(direction)) as acc:
        y = model(x)
    eps = 1e-3
    base = kernel.numpy()
    kernel.assign(base + eps * direction)
    plus = model(x).numpy()
    kernel.assign(base - eps * direction)
    minus = model(x).numpy()
    kernel.assign(base)
    np.testing.assert_allclose(acc.jvp(y).numpy(), (plus - minus) / (2 * eps), rtol=2e-3)


def test_jvp_inside_the_context_and_reentry():
    x = tf.constant(2.0)
    acc = tf.autodiff.ForwardAccumulator(x, tf.constant(1.0))
    with acc:
        y = x * x
        assert float(acc.jvp(y)) == 4.0
    with acc:
        z = y * x
    assert float(acc.jvp(z)) == 12.0
