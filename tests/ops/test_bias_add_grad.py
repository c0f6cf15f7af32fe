"""BiasAddGrad against TensorFlow's recorded values (tests/ops/record_bias_add_grad_fixtures.py),
its gradient by finite differences, BiasAdd's gradients through it, and TF's errors."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients

with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "bias_add_grad.json")) as f:
    FIXTURE = json.load(f)

CASES = FIXTURE["cases"]


def _input(shape, dtype):
    """The recorder's inputs, made again."""
    size = int(np.prod(shape))
    values = (np.arange(size) % 11 - 4).astype(np.float64) * 0.75
    if dtype == "float16":
        values = np.full(size, 7.0)
    if dtype in ("int32", "uint8"):
        values = np.arange(size) % 250
    if dtype == "complex64":
        return (values + 1j * values[::-1]).astype(dtype).reshape(shape)
    return values.astype(dtype).reshape(shape)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])
def test_values_match_tf(name, traced):
    case = CASES[name]
    x = _input(case["shape"], case["dtype"])

    def run(x):
        return tf.raw_ops.BiasAddGrad(out_backprop=x, data_format=case["data_format"])

    got = (tf.function(run) if traced else run)(tf.constant(x))
    assert got.dtype.name == case["dtype"]
    expected = np.array(case["expected_real"]) + 1j * np.array(case["expected_imag"])
    rtol = 1e-3 if case["dtype"] == "float16" else 1e-6
    np.testing.assert_allclose(got.numpy().astype(np.complex128), expected, rtol=rtol)


def test_half_gradients_are_summed_in_float32():
    # 2112 sevens: a float16 running sum stalls at 8192, TF's float32 accumulator does not.
    got = tf.raw_ops.BiasAddGrad(out_backprop=np.full((64, 33, 4), 7, np.float16))
    np.testing.assert_array_equal(got.numpy(), np.full(4, 14784, np.float16))


def test_first_and_second_order_bias_gradients_match_tf():
    x = tf.constant(_input((2, 3, 4), "float64"))
    bias = tf.Variable([0.5, -1.0, 2.0, 0.25], dtype=tf.float64)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = tf.reduce_sum(tf.nn.bias_add(x, bias) ** 3)
        first = inner.gradient(loss, bias)
    second = outer.gradient(first, bias)
    np.testing.assert_allclose(first.numpy(), FIXTURE["bias_gradients"]["first"], rtol=1e-12)
    np.testing.assert_allclose(second.numpy(), FIXTURE["bias_gradients"]["second"], rtol=1e-12)


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_gradient_by_finite_differences(data_format):
    dy = np.random.default_rng(0).standard_normal((2, 3, 4, 2))
    check_gradients(
        lambda t: tf.raw_ops.BiasAddGrad(out_backprop=t, data_format=data_format), [dy], order=2
    )


def test_bias_add_gradients_by_finite_differences():
    rng = np.random.default_rng(1)
    check_gradients(
        lambda v, b: tf.nn.bias_add(v, b) ** 2,
        [rng.standard_normal((3, 2, 4)), rng.standard_normal(4)],
        order=2,
    )


def test_tf_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"at least 2D: \[2\]"):
        tf.raw_ops.BiasAddGrad(out_backprop=tf.constant([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="not in the list of allowed"):
        tf.raw_ops.BiasAddGrad(out_backprop=tf.constant([["a"]]))
