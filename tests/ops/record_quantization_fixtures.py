"""Records TensorFlow's ``tf.quantization`` results (values and gradients) into
``tests/fixtures/quantization_ops.json``.

Run with a Python that has TensorFlow 2.21:
``python tests/ops/record_quantization_fixtures.py``.
"""

import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "quantization_ops.json")
Q = tf.quantization


def _inputs():
    rng = np.random.default_rng(7)
    return {
        "line": np.linspace(-8, 8, 13).astype(np.float32),
        "grid": (rng.standard_normal((3, 4)) * 3).astype(np.float32),
        "cube": (rng.standard_normal((2, 3, 5)) * 2).astype(np.float32),
    }


def _with_gradient(fn, x, extra=()):
    """fn's value and the gradient of sum(value * weights) wrt x and extra tensors."""
    x = tf.constant(x)
    extra = [tf.constant(e) for e in extra]
    with tf.GradientTape() as tape:
        tape.watch([x, *extra])
        y = fn(x, *extra)
        weights = tf.reshape(tf.range(1, tf.size(y) + 1, dtype=y.dtype), tf.shape(y))
        loss = tf.reduce_sum(y * weights)
    grads = tape.gradient(loss, [x, *extra])
    return {
        "value": y.numpy().tolist(),
        "grads": [None if g is None else g.numpy().tolist() for g in grads],
    }


def fake_quant_cases(inputs):
    cases = []
    for key in ("line", "grid"):
        for attrs in [
            {},
            {"min": -1.3, "max": 2.7, "num_bits": 4, "narrow_range": True},
            {"min": 0.5, "max": 3.0, "num_bits": 16},
            {"min": -5.0, "max": -1.0},
        ]:
            out = _with_gradient(
                lambda x, attrs=attrs: Q.fake_quant_with_min_max_args(x, **attrs), inputs[key]
            )
            cases.append({"op": "args", "input": key, "attrs": attrs, **out})
        for lo, hi, attrs in [
            (-6.0, 6.0, {}),
            (-1.3, 2.7, {"num_bits": 5, "narrow_range": True}),
            (2.0, 1.0, {}),
            (0.4, 3.0, {"num_bits": 3}),
        ]:
            lo_hi = (np.float32(lo), np.float32(hi))
            out = _with_gradient(
                lambda x, a, b, attrs=attrs: Q.fake_quant_with_min_max_vars(x, a, b, **attrs),
                inputs[key],
                lo_hi,
            )
            cases.append({"op": "vars", "input": key, "min": lo, "max": hi, "attrs": attrs, **out})
    for lo, hi, attrs in [
        ([-1.0, -2.0, 0.5, -3.0], [1.0, 2.0, 4.0, -0.5], {}),
        ([-1.0, -2.0, -1.0, -3.0], [1.0, 0.5, 4.0, 3.0], {"num_bits": 3}),
    ]:
        lo_hi = (np.float32(lo), np.float32(hi))
        out = _with_gradient(
            lambda x, a, b, attrs=attrs: Q.fake_quant_with_min_max_vars_per_channel(
                x, a, b, **attrs
            ),
            inputs["grid"],
            lo_hi,
        )
        cases.append(
            {"op": "per_channel", "input": "grid", "min": lo, "max": hi, "attrs": attrs, **out}
        )
    return cases


def qdq_cases(inputs):
    cases = []
    for key, lo, hi, kwargs in [
        ("line", -3.0, 3.0, {}),
        ("line", -3.0, 3.0, {"range_given": True}),
        (
            "line",
            -3.0,
            3.0,
            {"range_given": True, "round_mode": "HALF_UP", "narrow_range": True, "num_bits": 4},
        ),
        ("line", 0.0, 0.0, {"signed_input": False}),
        ("line", 0.5, 6.0, {"signed_input": False, "range_given": True, "num_bits": 3}),
        ("grid", -2.0, 2.0, {"range_given": True, "num_bits": 5}),
        ("cube", [-1.0, -2.0, -0.5], [1.0, 1.5, 3.0], {"range_given": True, "axis": 1}),
        ("cube", [0.0] * 5, [0.0] * 5, {"axis": -1}),
        ("cube", -1.0, 1.0, {"range_given": True}),
    ]:
        for op in ("quantize_and_dequantize_v2", "quantize_and_dequantize"):
            for dtype in ("float32", "float64"):
                x = inputs[key].astype(dtype)
                lo_hi = (np.asarray(lo, dtype), np.asarray(hi, dtype))
                try:
                    out = _with_gradient(
                        lambda v, a, b, op=op, kwargs=kwargs: getattr(Q, op)(v, a, b, **kwargs),
                        x,
                        lo_hi,
                    )
                except tf.errors.InvalidArgumentError as e:
                    out = {"error": type(e).__name__, "message": str(e).split("}}")[-1].strip()}
                cases.append(
                    {
                        "op": op,
                        "input": key,
                        "dtype": dtype,
                        "min": lo,
                        "max": hi,
                        "kwargs": kwargs,
                        **out,
                    }
                )
    return cases


def error_cases(inputs):
    cases = []
    line = inputs["line"]
    for label, call in [
        ("args_min_ge_max", lambda: Q.fake_quant_with_min_max_args(line, min=2.0, max=1.0)),
        ("args_bits", lambda: Q.fake_quant_with_min_max_args(line, num_bits=1)),
        ("vars_bits", lambda: Q.fake_quant_with_min_max_vars(line, -1.0, 1.0, num_bits=17)),
        ("qdq_range", lambda: Q.quantize_and_dequantize_v2(line, 2.0, 1.0, range_given=True)),
        ("qdq_round", lambda: Q.quantize_and_dequantize_v2(line, -1.0, 1.0, round_mode="UP")),
    ]:
        try:
            call()
            cases.append({"label": label, "error": None})
        except Exception as e:  # noqa: BLE001 - recording whatever TF raises
            cases.append({"label": label, "error": type(e).__name__})
    return cases


def main():
    inputs = _inputs()
    fixture = {
        "inputs": {
            k: {"shape": list(v.shape), "values": v.ravel().tolist()} for k, v in inputs.items()
        },
        "fake_quant": fake_quant_cases(inputs),
        "quantize_dequantize": qdq_cases(inputs),
        "errors": error_cases(inputs),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixture, f)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
