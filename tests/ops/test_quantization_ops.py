"""``tf.quantization``: values and gradients against TensorFlow's recorded results
(``tests/ops/record_quantization_fixtures.py``) and TF's errors.

The outputs are step functions, so their true derivatives vanish almost everywhere;
TF's gradients are straight-through estimates, checked against TF's own values instead
of finite differences."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

with open(
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "quantization_ops.json"),
    encoding="utf-8",
) as _f:
    FIXTURE = json.load(_f)
INPUTS = {
    key: np.array(spec["values"], np.float32).reshape(spec["shape"])
    for key, spec in FIXTURE["inputs"].items()
}
Q = tf.quantization


def _value_and_gradients(fn, x, extra=()):
    x = tf.constant(x)
    extra = [tf.constant(e) for e in extra]
    with tf.GradientTape() as tape:
        tape.watch([x, *extra])
        y = fn(x, *extra)
        weights = tf.reshape(tf.range(1, tf.size(y) + 1, dtype=y.dtype), tf.shape(y))
        loss = tf.reduce_sum(y * weights)
    return y, tape.gradient(loss, [x, *extra])


def _compare(y, grads, case):
    np.testing.assert_array_equal(y.numpy(), np.array(case["value"], y.dtype.as_numpy_dtype))
    for got, want in zip(grads, case["grads"]):
        if want is None:
            assert got is None
        else:
            np.testing.assert_allclose(got.numpy(), np.array(want), rtol=1e-6, atol=1e-6)


def _fake_quant_call(case):
    attrs = case["attrs"]
    if case["op"] == "args":
        return lambda x: Q.fake_quant_with_min_max_args(x, **attrs), ()
    fn = {
        "vars": Q.fake_quant_with_min_max_vars,
        "per_channel": Q.fake_quant_with_min_max_vars_per_channel,
    }[case["op"]]
    extra = (np.float32(case["min"]), np.float32(case["max"]))
    return lambda x, a, b: fn(x, a, b, **attrs), extra


@pytest.mark.parametrize("case", FIXTURE["fake_quant"], ids=lambda c: f"{c['op']}-{c['input']}")
def test_fake_quant_matches_tf(case):
    fn, extra = _fake_quant_call(case)
    _compare(*_value_and_gradients(fn, INPUTS[case["input"]], extra), case)


@pytest.mark.parametrize("case", FIXTURE["fake_quant"][:6], ids=lambda c: c["op"])
def test_fake_quant_traced_matches_tf(case):
    fn, extra = _fake_quant_call(case)
    traced = tf.function(fn)
    got = traced(tf.constant(INPUTS[case["input"]]), *extra)
    np.testing.assert_array_equal(got.numpy(), np.array(case["value"], np.float32))


def test_fake_quant_gradient_ops_match_the_gradients():
    x = INPUTS["grid"]
    ones = np.ones_like(x)
    (expected,) = _value_and_gradients(lambda v: Q.fake_quant_with_min_max_args(v), x)[1]
    with tf.GradientTape() as tape:
        v = tf.constant(x)
        tape.watch(v)
        y = Q.fake_quant_with_min_max_args(v)
    np.testing.assert_array_equal(
        tape.gradient(y, v).numpy(), Q.fake_quant_with_min_max_args_gradient(ones, x).numpy()
    )
    backprop, d_min, d_max = Q.fake_quant_with_min_max_vars_gradient(ones, x, -1.0, 1.0)
    inside = (x >= -1.0) & (x <= 1.0)
    np.testing.assert_array_equal(backprop.numpy(), inside.astype(np.float32))
    assert float(d_min) == np.sum(x < -1.0) and float(d_max) == np.sum(x > 1.0)
    channel = Q.fake_quant_with_min_max_vars_per_channel_gradient(ones, x, [-1.0] * 4, [1.0] * 4)
    assert channel[1].shape == [4] and channel[2].shape == [4]
    assert expected is not None


def test_fake_quant_range_gradients_count_clamped_inputs():
    # TF's estimate: each input clamped below adds its upstream gradient to d/dmin, each
    # one clamped above to d/dmax.
    x = np.array([-9.0, -7.5, 7.5, 9.0], np.float64)

    def clamped_only(lo, hi):
        return tf.reduce_sum(
            Q.fake_quant_with_min_max_vars(tf.constant(x, tf.float32), lo, hi)
            * [1.0, 2.0, 3.0, 4.0]
        )

    with tf.GradientTape() as tape:
        lo, hi = tf.constant(-6.0), tf.constant(6.0)
        tape.watch([lo, hi])
        y = clamped_only(lo, hi)
    d_lo, d_hi = tape.gradient(y, [lo, hi])
    assert float(d_lo) == 3.0 and float(d_hi) == 7.0


QDQ_VALUES = [c for c in FIXTURE["quantize_dequantize"] if "error" not in c]
QDQ_ERRORS = [c for c in FIXTURE["quantize_dequantize"] if "error" in c]


def _qdq_call(case):
    dtype = case["dtype"]
    x = INPUTS[case["input"]].astype(dtype)
    extra = (np.asarray(case["min"], dtype), np.asarray(case["max"], dtype))
    fn = getattr(Q, case["op"])
    return (lambda v, a, b: fn(v, a, b, **case["kwargs"])), x, extra


@pytest.mark.parametrize(
    "case", QDQ_VALUES, ids=lambda c: f"{c['op']}-{c['input']}-{c['dtype']}-{sorted(c['kwargs'])}"
)
def test_quantize_and_dequantize_matches_tf(case):
    fn, x, extra = _qdq_call(case)
    _compare(*_value_and_gradients(fn, x, extra), case)


@pytest.mark.parametrize("case", QDQ_ERRORS, ids=lambda c: f"{c['op']}-{c['dtype']}")
def test_quantize_and_dequantize_refuses_what_tf_refuses(case):
    fn, x, extra = _qdq_call(case)
    message = case["message"].split(" [Op:")[0]
    with pytest.raises(tf.errors.InvalidArgumentError, match=message.replace(".", r"\.")):
        fn(tf.constant(x), *extra)


def test_deprecated_form_passes_gradients_straight_through_to_second_order():
    x = tf.constant([0.3, -2.0, 0.9], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = Q.quantize_and_dequantize(x, -1.0, 1.0, range_given=True) * x
        (dy,) = inner.gradient(y, [x])
    # d(q(x) * x)/dx = q(x) + x with the straight-through estimate dq/dx = 1.
    quantized = Q.quantize_and_dequantize(x, -1.0, 1.0, range_given=True)
    np.testing.assert_allclose(dy.numpy(), quantized.numpy() + x.numpy())
    np.testing.assert_allclose(outer.gradient(dy, x).numpy(), [2.0, 2.0, 2.0])


@pytest.mark.parametrize("case", FIXTURE["errors"], ids=lambda c: c["label"])
def test_errors_are_tfs(case):
    line = INPUTS["line"]
    calls = {
        "args_min_ge_max": lambda: Q.fake_quant_with_min_max_args(line, min=2.0, max=1.0),
        "args_bits": lambda: Q.fake_quant_with_min_max_args(line, num_bits=1),
        "vars_bits": lambda: Q.fake_quant_with_min_max_vars(line, -1.0, 1.0, num_bits=17),
        "qdq_range": lambda: Q.quantize_and_dequantize_v2(line, 2.0, 1.0, range_given=True),
        "qdq_round": lambda: Q.quantize_and_dequantize_v2(line, -1.0, 1.0, round_mode="UP"),
    }
    with pytest.raises(getattr(tf.errors, case["error"])):
        calls[case["label"]]()


def test_fake_quant_takes_float32_only():
    with pytest.raises((ValueError, TypeError, tf.errors.InvalidArgumentError)):
        Q.fake_quant_with_min_max_args(tf.constant([1.0], tf.float64))
