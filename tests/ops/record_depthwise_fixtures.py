"""Records reference values of the depthwise and separable convolutions from TensorFlow
into ``tests/fixtures/depthwise_conv_ops.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_depthwise_fixtures.py

Each case keeps its inputs (rounded to 4 decimals), the output of
``tf.nn.depthwise_conv2d`` (or ``tf.nn.separable_conv2d``) and the gradients of
``sum(output * weights)`` with respect to every input, from ``tf.GradientTape``. The
gradients check the backprop ops, including dilated cases, which TF computes through
space-to-batch.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import tensorflow as tf

FIXTURE = Path(__file__).parents[1] / "fixtures" / "depthwise_conv_ops.json"

rng = np.random.default_rng(2024)


def normal(*shape):
    return rng.normal(size=shape).round(4)


# name: (input shape, filter shape, strides, padding, dilations)
DEPTHWISE = {
    "same_s1": ((2, 5, 5, 3), (3, 3, 3, 1), 1, "SAME", None),
    "same_s2_mult2": ((2, 6, 7, 2), (3, 3, 2, 2), 2, "SAME", None),
    "valid_s2_even_kernel_mult3": ((1, 7, 6, 3), (2, 2, 3, 3), 2, "VALID", None),
    "same_dilated": ((1, 8, 8, 2), (3, 3, 2, 1), 1, "SAME", (2, 2)),
    "valid_dilated_uneven": ((1, 9, 7, 2), (3, 2, 2, 2), 1, "VALID", (2, 3)),
    "explicit_s2": ((1, 6, 5, 2), (3, 3, 2, 2), 2, [[0, 0], [1, 2], [0, 1], [0, 0]], None),
    "explicit_dilated": ((1, 6, 6, 2), (3, 3, 2, 2), 1, [[0, 0], [2, 1], [1, 0], [0, 0]], (2, 2)),
    "same_s3_big_kernel": ((1, 5, 5, 1), (4, 4, 1, 3), 3, "SAME", None),
    "same_kernel_larger_than_input": ((1, 4, 4, 2), (5, 5, 2, 1), 1, "SAME", None),
    "valid_to_1x1": ((2, 3, 3, 2), (3, 3, 2, 1), 1, "VALID", None),
    "valid_odd_sizes_s2": ((1, 7, 9, 1), (3, 3, 1, 2), 2, "VALID", None),
    # Dilation with strides: TF warns and samples through space-to-batch.
    "valid_dilated_strided": ((1, 7, 7, 2), (3, 3, 2, 1), 2, "VALID", (2, 2)),
    "same_dilated_strided": ((1, 8, 6, 2), (2, 3, 2, 2), 2, "SAME", (2, 2)),
    "explicit_dilated_strided": (
        (1, 9, 8, 1),
        (3, 2, 1, 2),
        2,
        [[0, 0], [1, 2], [0, 1], [0, 0]],
        (3, 2),
    ),
}

# name: (input shape, depthwise shape, pointwise out channels, strides, padding, dilations)
SEPARABLE = {
    "sep_same": ((2, 5, 5, 3), (3, 3, 3, 2), 4, 1, "SAME", None),
    "sep_valid_s2": ((1, 6, 7, 2), (2, 2, 2, 1), 3, 2, "VALID", None),
    "sep_dilated": ((1, 7, 7, 2), (3, 3, 2, 2), 2, 1, "SAME", (2, 2)),
}


def _gradients(fn, inputs):
    tensors = [tf.constant(v) for v in inputs]
    with tf.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        out = fn(*tensors)
        weights = tf.constant(rng.uniform(0.5, 1.5, size=out.shape).round(4))
        total = tf.reduce_sum(out * weights)
    grads = tape.gradient(total, tensors)
    return out.numpy(), weights.numpy(), [g.numpy() for g in grads]


def main():
    cases = {}
    for name, (xs, fs, s, padding, dilations) in DEPTHWISE.items():
        x, f = normal(*xs), normal(*fs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out, weights, grads = _gradients(
                lambda a, b, s=s, p=padding, d=dilations: tf.nn.depthwise_conv2d(
                    a, b, [1, s, s, 1], p, dilations=d
                ),
                [x, f],
            )
        cases[name] = {
            "kind": "depthwise",
            "strides": s,
            "padding": padding,
            "dilations": dilations,
            "inputs": [x.tolist(), f.tolist()],
            "output": out.tolist(),
            "weights": weights.tolist(),
            "grads": [g.tolist() for g in grads],
        }
    for name, (xs, fs, outc, s, padding, dilations) in SEPARABLE.items():
        x, f = normal(*xs), normal(*fs)
        p = normal(1, 1, fs[2] * fs[3], outc)
        out, weights, grads = _gradients(
            lambda a, b, c, s=s, pad=padding, d=dilations: tf.nn.separable_conv2d(
                a, b, c, [1, s, s, 1], pad, dilations=d
            ),
            [x, f, p],
        )
        cases[name] = {
            "kind": "separable",
            "strides": s,
            "padding": padding,
            "dilations": dilations,
            "inputs": [x.tolist(), f.tolist(), p.tolist()],
            "output": out.tolist(),
            "weights": weights.tolist(),
            "grads": [g.tolist() for g in grads],
        }
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps({"tensorflow": tf.__version__, "cases": cases}) + "\n")
    print(f"wrote {len(cases)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
