"""Records TensorFlow's convolution results into ``tests/fixtures/conv_ops.json``.

Run with a Python where TensorFlow is installed (the tests never import it)::

    python tests/ops/record_conv_fixtures.py

Each case names a ``tf.nn`` function, its input and filter shapes and its keyword
arguments. The inputs are drawn from a seeded generator and stored with the outputs;
cases with ``grad`` also store the gradients of ``sum(y * dy)`` for a stored ``dy``.
``tests/ops/test_conv_ops.py`` replays the same cases with tensorflux.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent.parent / "fixtures" / "conv_ops.json"

# (name, function, input shape, filter shape, kwargs, record gradients)
CASES = [
    (
        "conv2d_valid",
        "conv2d",
        (2, 5, 6, 3),
        (3, 3, 3, 4),
        {"strides": 1, "padding": "VALID"},
        True,
    ),
    (
        "conv2d_same_s2",
        "conv2d",
        (2, 7, 6, 2),
        (3, 3, 2, 3),
        {"strides": 2, "padding": "SAME"},
        True,
    ),
    (
        "conv2d_same_s21",
        "conv2d",
        (1, 7, 5, 2),
        (3, 2, 2, 3),
        {"strides": [2, 1], "padding": "SAME"},
        True,
    ),
    (
        "conv2d_even_kernel",
        "conv2d",
        (2, 6, 7, 1),
        (4, 2, 1, 2),
        {"strides": [1, 3, 2, 1], "padding": "SAME"},
        True,
    ),
    (
        "conv2d_explicit",
        "conv2d",
        (1, 5, 5, 2),
        (3, 3, 2, 2),
        {"strides": 2, "padding": [[0, 0], [1, 2], [0, 1], [0, 0]]},
        True,
    ),
    (
        "conv2d_dilated",
        "conv2d",
        (1, 7, 8, 2),
        (3, 2, 2, 3),
        {"strides": 1, "padding": "SAME", "dilations": [2, 3]},
        False,
    ),
    (
        "conv2d_dilated_strided",
        "conv2d",
        (1, 9, 8, 2),
        (2, 3, 2, 2),
        {"strides": 2, "padding": "VALID", "dilations": 2},
        False,
    ),
    (
        "conv2d_groups",
        "conv2d",
        (2, 5, 5, 4),
        (3, 3, 2, 6),
        {"strides": 1, "padding": "SAME"},
        False,
    ),
    ("conv1d_same_s2", "conv1d", (2, 9, 3), (3, 3, 4), {"stride": 2, "padding": "SAME"}, False),
    (
        "conv1d_dilated",
        "conv1d",
        (2, 9, 2),
        (2, 2, 3),
        {"stride": 1, "padding": "VALID", "dilations": 3},
        False,
    ),
    (
        "conv3d_same",
        "conv3d",
        (1, 4, 5, 3, 2),
        (2, 3, 2, 2, 3),
        {"strides": [1, 2, 1, 2, 1], "padding": "SAME"},
        True,
    ),
    (
        "conv3d_valid",
        "conv3d",
        (2, 3, 4, 4, 1),
        (2, 2, 3, 1, 2),
        {"strides": [1, 1, 1, 1, 1], "padding": "VALID"},
        True,
    ),
    (
        "convolution_2d_dilated",
        "convolution",
        (1, 6, 6, 2),
        (3, 3, 2, 2),
        {"padding": "SAME", "dilations": 2},
        False,
    ),
    (
        "convolution_1d",
        "convolution",
        (2, 7, 2),
        (3, 2, 3),
        {"strides": 2, "padding": "SAME"},
        False,
    ),
    (
        "atrous_conv2d",
        "atrous_conv2d",
        (1, 7, 7, 2),
        (3, 3, 2, 2),
        {"rate": 2, "padding": "SAME"},
        False,
    ),
    (
        "conv2d_transpose_same_s2",
        "conv2d_transpose",
        (2, 3, 4, 3),
        (3, 3, 2, 3),
        {"output_shape": [2, 6, 7, 2], "strides": 2, "padding": "SAME"},
        True,
    ),
    (
        "conv2d_transpose_valid_s2",
        "conv2d_transpose",
        (1, 3, 3, 2),
        (3, 2, 4, 2),
        {"output_shape": [1, 8, 7, 4], "strides": 2, "padding": "VALID"},
        True,
    ),
    (
        "conv2d_transpose_explicit",
        "conv2d_transpose",
        (1, 3, 3, 2),
        (3, 3, 2, 2),
        {"output_shape": [1, 5, 5, 2], "strides": 2, "padding": [[0, 0], [1, 1], [1, 2], [0, 0]]},
        True,
    ),
    (
        "conv1d_transpose",
        "conv1d_transpose",
        (2, 4, 3),
        (3, 2, 3),
        {"output_shape": [2, 9, 2], "strides": 2, "padding": "VALID"},
        False,
    ),
    (
        "conv3d_transpose",
        "conv3d_transpose",
        (1, 2, 3, 2, 2),
        (2, 2, 2, 3, 2),
        {"output_shape": [1, 4, 6, 4, 3], "strides": 2, "padding": "SAME"},
        True,
    ),
    (
        "atrous_conv2d_transpose",
        "atrous_conv2d_transpose",
        (1, 3, 3, 2),
        (3, 3, 2, 2),
        {"output_shape": [1, 7, 7, 2], "rate": 2, "padding": "VALID"},
        False,
    ),
]


def sample(shape, seed):
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).round(3)


def main() -> None:
    import tensorflow as tf

    out = {}
    for i, (name, fn, x_shape, w_shape, kwargs, with_grad) in enumerate(CASES):
        x = tf.constant(sample(x_shape, 2 * i), tf.float64)
        w = tf.constant(sample(w_shape, 2 * i + 1), tf.float64)
        with tf.GradientTape() as tape:
            tape.watch([x, w])
            y = getattr(tf.nn, fn)(x, w, **kwargs)
            dy = tf.constant(sample(y.shape, 1000 + i), tf.float64)
            loss = tf.reduce_sum(y * dy)
        case = {
            "fn": fn,
            "x": x.numpy().tolist(),
            "w": w.numpy().tolist(),
            "kwargs": kwargs,
            "y": y.numpy().tolist(),
        }
        if with_grad:
            gx, gw = tape.gradient(loss, [x, w])
            case.update(dy=dy.numpy().tolist(), gx=gx.numpy().tolist(), gw=gw.numpy().tolist())
        out[name] = case
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")))
    print(f"wrote {len(out)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
