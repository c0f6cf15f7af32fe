"""Records ``tf.test.compute_gradient`` results from TensorFlow into
``tests/fixtures/compute_gradient.json``.

Run with a Python that has TensorFlow 2.21:
``python tests/framework/record_compute_gradient_fixtures.py``.
"""

import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "compute_gradient.json")

CASES = {
    "square": (lambda x: x * x, [np.float32([1.0])], None),
    "sin_times": (
        lambda x, y: tf.sin(x) * y,
        [np.float32([0.3, 0.5]), np.float32([2.0, -1.0])],
        None,
    ),
    "matmul64": (
        lambda a, b: tf.matmul(a, b),
        [np.arange(6, dtype=np.float64).reshape(2, 3) / 7, np.ones((3, 2)) * 0.5],
        1e-4,
    ),
    "tanh_sum": (
        lambda x: tf.reduce_sum(tf.tanh(x), axis=1),
        [np.float32([[0.1, -2.0], [1.5, 0.0]])],
        0.01,
    ),
}


def main():
    out = {}
    for name, (fn, args, delta) in CASES.items():
        theoretical, numerical = tf.test.compute_gradient(fn, args, delta=delta)
        out[name] = {
            "args": [a.tolist() for a in args],
            "dtypes": [a.dtype.name for a in args],
            "delta": delta,
            "theoretical": [t.tolist() for t in theoretical],
            "numerical": [n.tolist() for n in numerical],
            "theoretical_dtype": theoretical[0].dtype.name,
        }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
