"""Records TensorFlow's ``tf.nn.experimental.stateless_dropout`` and
``tf.nn.experimental.general_dropout`` into ``tests/fixtures/dropout_experimental.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_dropout_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "dropout_experimental.json"

X = np.round(np.random.default_rng(0).uniform(-2, 2, [3, 6]), 3).tolist()
# (rate, seed, rng_alg, noise_shape, dtype)
STATELESS_CASES = [
    (0.5, [1, 2], None, None, "float32"),
    (0.2, [7, 0], "philox", [3, 1], "float32"),
    (0.7, [3, 9], None, None, "float64"),
    (0.4, [5, 5], "auto_select", [1, 6], "float16"),
    (0.0, [1, 1], None, None, "float32"),
]


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the fixture records TF's type and message
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    return None


def main():
    import tensorflow as tf

    out = {"stateless": [], "general": []}
    for rate, seed, alg, noise_shape, dtype in STATELESS_CASES:
        x = tf.constant(X, dtype)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.experimental.stateless_dropout(x, rate, seed, alg, noise_shape)
        g = tape.gradient(y, x)
        out["stateless"].append([y.numpy().astype(float).tolist(),
                                 g.numpy().astype(float).tolist()])  # fmt: skip
    y = tf.nn.experimental.stateless_dropout(tf.constant(X), tf.constant(0.25), [4, 4])
    out["tensor_rate"] = y.numpy().tolist()

    def sampler(shape, dtype):
        return tf.random.stateless_uniform(shape, [11, 12], dtype=dtype)

    for rate in (0.3, 0.6):
        y = tf.nn.experimental.general_dropout(tf.constant(X), rate, sampler)
        out["general"].append(y.numpy().tolist())
    x = tf.constant(X)
    out["bad_rate"] = _error(lambda: tf.nn.experimental.stateless_dropout(x, 1.0, [1, 2]))
    out["int_x"] = _error(lambda: tf.nn.experimental.stateless_dropout([1, 2], 0.5, [1, 2]))
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
