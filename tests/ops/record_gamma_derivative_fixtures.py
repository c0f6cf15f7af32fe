"""Records TF's IgammaGradA (dP(a, x)/da) and RandomGammaGrad (d sample / d alpha) on a
grid of shapes and samples, both sides of the series / continued-fraction switch and
far into the tails, into fixtures/gamma_derivatives.json.

Run with a Python that has TensorFlow: ``/path/to/tf-venv/bin/python
tests/ops/record_gamma_derivative_fixtures.py``.
"""

import json
import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

FIXTURE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "fixtures",
    "gamma_derivatives.json",
)


def points():
    """(a, x) pairs: a grid from tiny to large shapes and samples."""
    shapes = [0.02, 0.25, 0.62, 0.84, 1.0, 1.43, 2.5, 4.55, 9.0, 25.0, 48.0, 150.0, 1000.0]
    samples = [1e-4, 0.1, 0.73, 1.0, 2.35, 7.5, 21.3, 24.9, 27.6, 35.3, 60.0, 180.0, 1100.0]
    a, x = np.meshgrid(shapes, samples, indexing="ij")
    return a.reshape(-1), x.reshape(-1)


def main():
    a, x = points()
    results = {"a": a.tolist(), "x": x.tolist()}
    for dtype in ("float32", "float64"):
        a_t, x_t = tf.constant(a, dtype), tf.constant(x, dtype)
        results[f"igamma_grad_a_{dtype}"] = tf.raw_ops.IgammaGradA(a=a_t, x=x_t).numpy().tolist()
        results[f"random_gamma_grad_{dtype}"] = (
            tf.raw_ops.RandomGammaGrad(alpha=a_t, sample=x_t).numpy().tolist()
        )
    with open(FIXTURE, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
