"""Records reference values of TF's segment reductions and the other ``tf.math`` /
``tf.nn`` functions covered by tests/ops/test_mathx_ops.py into
tests/fixtures/mathx_ops.json.

Run with a Python that has TensorFlow installed (the test suite itself never imports it):

    python tests/ops/record_mathx_fixtures.py

Each case is an expression in ``tf`` and the stored inputs (``x``, ``y``, ``ids`` ...).
Recorded per case: the value and its dtype, and for differentiable cases the gradient of
``sum(out * w)`` with respect to every floating input (``w`` stored too). Error cases
record the exception's type. Inputs are rounded so that JSON keeps them exactly.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "mathx_ops.json")
rng = np.random.default_rng(5)


def real(*shape, dtype="float32", scale=1.0):
    return (np.round(rng.normal(size=shape), 2) * scale).astype(dtype)


def ints(*values, dtype="int32"):
    return np.array(values, dtype)


def encode(a):
    a = np.asarray(a)
    return {"dtype": a.dtype.name, "shape": list(a.shape), "v": a.tolist()}


_TIED = np.array([[1.0, 2.0], [3.0, 2.0], [3.0, 0.0], [-1.0, 0.0], [4.0, 5.0]], np.float32)
_ZEROS = np.array([[1.5, 0.0], [2.0, 0.0], [0.0, 3.0], [-1.0, 2.0], [4.0, 0.5]], np.float64)

# (expression, inputs, record gradients)
VALUE_CASES = [
    ("tf.math.segment_max(x, ids)", {"x": _TIED, "ids": ints(0, 0, 0, 2, 2)}, True),
    ("tf.math.segment_min(x, ids)", {"x": _TIED, "ids": ints(0, 0, 1, 1, 3)}, True),
    ("tf.math.segment_max(x, ids)", {"x": ints(4, -2, 7, 1), "ids": ints(0, 2, 2, 2)}, False),
    (
        "tf.math.segment_min(x, ids)",
        {"x": real(4, 2, 3, dtype="float64"), "ids": ints(1, 1, 1, 3, dtype="int64")},
        True,
    ),
    ("tf.math.segment_prod(x, ids)", {"x": _ZEROS, "ids": ints(0, 0, 1, 1, 3)}, True),
    ("tf.math.segment_prod(x, ids)", {"x": real(5, 3), "ids": ints(0, 1, 1, 1, 2)}, True),
    ("tf.math.segment_prod(x, ids)", {"x": ints(3, -2, 5), "ids": ints(0, 0, 2)}, False),
    ("tf.math.segment_mean(x, ids)", {"x": real(5, 3), "ids": ints(0, 0, 2, 2, 2)}, True),
    ("tf.math.segment_mean(x, ids)", {"x": ints(3, -4, 5, 8), "ids": ints(0, 0, 2, 2)}, False),
    ("tf.math.segment_mean(x, ids)", {"x": np.zeros((0, 2), np.float32), "ids": ints()}, False),
    ("tf.math.unsorted_segment_max(x, ids, 4)", {"x": _TIED, "ids": ints(2, 0, 2, -1, 0)}, True),
    ("tf.math.unsorted_segment_min(x, ids, 3)", {"x": _TIED, "ids": ints(1, 1, 0, 1, -1)}, True),
    (
        "tf.math.unsorted_segment_max(x, ids, 3)",
        {"x": ints(4, -2, 7, 1), "ids": ints(0, 2, 2, 0)},
        False,
    ),
    (
        "tf.math.unsorted_segment_min(x, ids, 3)",
        {"x": ints(4, -2, 7, 1, dtype="int64"), "ids": ints(0, 2, 2, 0)},
        False,
    ),
    (
        "tf.math.unsorted_segment_max(x, ids, 2)",
        {"x": real(2, 3, 2, dtype="float64"), "ids": ints([0, 1, 1], [1, -1, 0])},
        True,
    ),
    ("tf.math.unsorted_segment_prod(x, ids, 4)", {"x": _ZEROS, "ids": ints(0, 0, 1, 1, 3)}, True),
    (
        "tf.math.unsorted_segment_prod(x, ids, 3)",
        {"x": real(5, 2), "ids": ints(2, 0, -1, 2, 2)},
        True,
    ),
    (
        "tf.math.unsorted_segment_mean(x, ids, 4)",
        {"x": real(5, 2), "ids": ints(2, 0, -1, 2, 2)},
        True,
    ),
    (
        "tf.math.unsorted_segment_mean(x, ids, 3)",
        {"x": ints(1, 2, 4, 7), "ids": ints(0, 0, 2, 2)},
        False,
    ),
    (
        "tf.math.unsorted_segment_sqrt_n(x, ids, 4)",
        {"x": real(5, 2, dtype="float64"), "ids": ints(2, 0, -1, 2, 2)},
        True,
    ),
    (
        "tf.math.unsorted_segment_sqrt_n(x, ids, 2)",
        {"x": real(2, 2, 3), "ids": ints([0, 1], [1, 1])},
        True,
    ),
    ("tf.math.unsorted_segment_sum(x, ids, 3)", {"x": real(4, 2), "ids": ints(0, -1, 2, 0)}, True),
]

ERROR_CASES = [
    ("tf.math.segment_max(x, ids)", {"x": real(3), "ids": ints(1, 0, 2)}),
    ("tf.math.segment_min(x, ids)", {"x": real(3), "ids": ints(-1, 0, 2)}),
    ("tf.math.segment_prod(x, ids)", {"x": real(3), "ids": ints(0, 2, 1)}),
    ("tf.math.segment_mean(x, ids)", {"x": real(3), "ids": ints(0, 1)}),
    ("tf.math.segment_max(x, ids)", {"x": real(3), "ids": np.array([0.0, 1.0, 1.0], np.float32)}),
    ("tf.math.unsorted_segment_max(x, ids, 3)", {"x": real(3), "ids": ints(1, 0, 5)}),
    ("tf.math.unsorted_segment_prod(x, ids, 2)", {"x": real(3, 2), "ids": ints(1, 0)}),
    ("tf.math.unsorted_segment_mean(x, ids, 2)", {"x": real(3), "ids": ints(1, 0, 2)}),
    ("tf.math.unsorted_segment_sqrt_n(x, ids, 2)", {"x": ints(1, 2), "ids": ints(1, 0)}),
    ("tf.math.unsorted_segment_max(tf.constant([1 + 1j, 2]), ids, 2)", {"ids": ints(1, 0)}),
]


def record_value(expr, inputs, grad):
    env = {"tf": tf, **{k: tf.constant(v) for k, v in inputs.items()}}
    case = {"expr": expr, "inputs": {k: encode(v) for k, v in inputs.items()}}
    floats = [k for k, v in inputs.items() if np.asarray(v).dtype.kind == "f"]
    with tf.GradientTape() as tape:
        tape.watch([env[k] for k in floats])
        out = eval(expr, env)  # noqa: S307 - our own expressions
    case["out"] = encode(out.numpy())
    if grad:
        w = real(*out.shape, dtype=out.dtype.as_numpy_dtype)
        grads = tape.gradient(out, [env[k] for k in floats], output_gradients=tf.constant(w))
        case["w"] = encode(w)
        case["grads"] = {k: encode(g.numpy()) for k, g in zip(floats, grads)}
    return case


def record_error(expr, inputs):
    env = {"tf": tf, **{k: tf.constant(v) for k, v in inputs.items()}}
    try:
        eval(expr, env)  # noqa: S307
    except Exception as e:  # noqa: BLE001 - the type is what we record
        return {
            "expr": expr,
            "inputs": {k: encode(v) for k, v in inputs.items()},
            "error": type(e).__name__,
        }
    raise AssertionError(f"{expr} did not raise")


def main():
    fixtures = {
        "values": [record_value(*c) for c in VALUE_CASES],
        "errors": [record_error(*c) for c in ERROR_CASES],
    }
    with open(OUT, "w") as f:
        json.dump(fixtures, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
