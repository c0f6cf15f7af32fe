"""keras.activations: values against tf_keras fixtures, gradients, lookup by name."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import activations
from tensorflux.testing import check_gradients

FIXTURES = json.load(
    open(os.path.join(os.path.dirname(__file__), "fixtures", "losses_metrics.json"))
)
X = np.array(FIXTURES["x"])


@pytest.mark.parametrize(
    "case", FIXTURES["activations"], ids=lambda c: f"{c['fn']}{c['kwargs'] or ''}"
)
def test_activation_matches_tf_keras(case):
    fn = getattr(activations, case["fn"])
    # TF keeps some constants (leaky_relu alpha, gelu coefficients) in float32.
    for dtype, rtol in ((np.float64, 2e-7), (np.float32, 2e-6)):
        out = fn(tf.constant(X.astype(dtype)), **case["kwargs"])
        assert out.dtype == tf.as_dtype(dtype)
        np.testing.assert_allclose(out.numpy(), case["expected"], rtol=rtol, atol=rtol)


# Inputs avoid the kinks (0 for relu/elu, the threshold, max_value, +-2.5 for hard_sigmoid).
SMOOTH = np.array([[-2.1, -0.7, 0.4, 1.3], [2.2, -1.6, 0.9, 3.1]])
GRADIENT_CASES = [
    ("relu", {}),
    ("relu", {"alpha": 0.1}),
    ("relu", {"max_value": 1.5}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"threshold": 0.5}),
    ("relu", {"alpha": 0.2, "max_value": 2.0, "threshold": -1.0}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("softmax", {}),
    ("softmax", {"axis": 0}),
    ("log_softmax", {}),
    ("softplus", {}),
    ("softsign", {}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("swish", {}),
    ("silu", {}),
    ("exponential", {}),
    ("hard_sigmoid", {}),
    ("linear", {}),
    ("mish", {}),
    ("relu6", {}),
    ("leaky_relu", {"negative_slope": 0.3}),
]


@pytest.mark.parametrize(
    "name,kwargs", GRADIENT_CASES, ids=[f"{n}{k or ''}" for n, k in GRADIENT_CASES]
)
def test_activation_gradient_matches_finite_differences(name, kwargs):
    fn = getattr(activations, name)
    check_gradients(lambda x: fn(x, **kwargs), [SMOOTH])


def test_second_order_gradients():
    for name in ("softmax", "mish", "gelu"):
        check_gradients(getattr(activations, name), [SMOOTH], order=2)


def test_softmax_of_1d_input_explains_the_fix():
    with pytest.raises(ValueError, match=r"1D.*shape \(2,\).*tf.nn.softmax"):
        activations.softmax(tf.constant([1.0, 2.0]))


def test_get_and_serialize():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("silu") is activations.swish
    assert activations.get({"class_name": "function", "config": "tanh"}) is activations.tanh
    assert activations.get({"class_name": "gelu", "config": {}}) is activations.gelu
    fn = tf.nn.relu
    assert activations.get(fn) is fn
    assert activations.serialize(activations.relu) == "relu"
    assert (
        activations.deserialize(activations.serialize(activations.hard_sigmoid))
        is activations.hard_sigmoid
    )
    assert activations.deserialize("my", custom_objects={"my": fn}) is fn


def test_get_errors():
    with pytest.raises(ValueError, match="Unknown activation function 'foo'"):
        activations.get("foo")
    with pytest.raises(TypeError, match="Could not interpret activation function identifier: 3"):
        activations.get(3)
