"""Records TensorFlow 2.21's BiasAddGrad: values over layouts, ranks and dtypes, and the
second-order gradient of a bias through BiasAdd.

Run with TensorFlow installed, from the repository root:

    python tests/ops/record_bias_add_grad_fixtures.py

It writes ``tests/fixtures/bias_add_grad.json``, read by ``test_bias_add_grad.py``.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "bias_add_grad.json")

# (name, shape, dtype, data_format)
CASES = [
    ("nhwc_f32", (2, 3, 4, 5), "float32", "NHWC"),
    ("nchw_f32", (2, 5, 3, 4), "float32", "NCHW"),
    ("rank2_f64", (7, 3), "float64", "NHWC"),
    ("rank5_nchw_f64", (2, 3, 2, 2, 2), "float64", "NCHW"),
    ("rank3_nchw_f32", (2, 4, 3), "float32", "NCHW"),
    ("half_accumulates", (64, 33, 4), "float16", "NHWC"),
    ("int32", (3, 4, 2), "int32", "NHWC"),
    ("uint8_wraps", (40, 3), "uint8", "NHWC"),
    ("complex64", (3, 2), "complex64", "NHWC"),
    ("empty_rows", (0, 3), "float32", "NHWC"),
]


def _input(shape, dtype):
    size = int(np.prod(shape))
    values = (np.arange(size) % 11 - 4).astype(np.float64) * 0.75
    if dtype == "float16":
        values = np.full(size, 7.0)  # 64 * 33 sevens: past float16's exact integers
    if dtype in ("int32", "uint8"):
        values = np.arange(size) % 250
    if dtype == "complex64":
        return (values + 1j * values[::-1]).astype(dtype).reshape(shape)
    return values.astype(dtype).reshape(shape)


def main():
    cases = {}
    for name, shape, dtype, fmt in CASES:
        x = _input(shape, dtype)
        y = tf.raw_ops.BiasAddGrad(out_backprop=x, data_format=fmt).numpy()
        cases[name] = {
            "shape": list(shape),
            "dtype": dtype,
            "data_format": fmt,
            "expected_real": np.real(y).astype(np.float64).tolist(),
            "expected_imag": np.imag(y).astype(np.float64).tolist(),
        }
    x = tf.constant(_input((2, 3, 4), "float64"))
    bias = tf.Variable([0.5, -1.0, 2.0, 0.25], dtype=tf.float64)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = tf.reduce_sum(tf.nn.bias_add(x, bias) ** 3)
        first = inner.gradient(loss, bias)
    second = outer.gradient(first, bias)
    grads = {"first": first.numpy().tolist(), "second": second.numpy().tolist()}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"cases": cases, "bias_gradients": grads}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
