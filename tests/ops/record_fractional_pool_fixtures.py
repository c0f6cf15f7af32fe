"""Records TensorFlow's ``tf.nn.fractional_max_pool`` / ``tf.nn.fractional_avg_pool``
(region sequences drawn from a seed, pooled values, gradients) into
``tests/fixtures/fractional_pool.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_fractional_pool_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "fractional_pool.json"

# (input shape, pooling_ratio, pseudo_random, overlapping, seed, global seed or None)
CASES = [
    ([1, 7, 9, 2], 1.5, False, False, 3, None),
    ([2, 10, 8, 1], [1.0, 1.44, 1.73, 1.0], True, False, 7, None),
    ([1, 9, 9, 3], [1.0, 2.0, 1.5, 1.0], False, True, 11, None),
    ([1, 11, 6, 1], 1.3, True, True, 5, 42),
    ([2, 8, 8, 2], 2.0, False, False, 1, None),
    ([1, 25, 13, 1], [1.0, 2.3, 1.2, 1.0], True, False, 9, None),
]


def main():
    import tensorflow as tf

    out = {"cases": []}
    for i, (shape, ratio, pseudo, overlapping, seed, global_seed) in enumerate(CASES):
        rng = np.random.default_rng(i)
        x = np.round(rng.uniform(-2, 2, shape) * 4) / 4  # quarter steps: ties in regions
        row = {"x": x.tolist()}
        for kind, fn in (("max", tf.nn.fractional_max_pool), ("avg", tf.nn.fractional_avg_pool)):
            tf.random.set_seed(global_seed)
            xt = tf.constant(x, tf.float32)
            if kind == "avg" and not isinstance(ratio, list):
                ratio = [1.0, ratio, ratio, 1.0]  # TF's avg pool takes only the full list
            with tf.GradientTape() as tape:
                tape.watch(xt)
                y, rows, cols = fn(xt, ratio, pseudo, overlapping, seed)
            w = tf.constant(rng.uniform(-1, 1, y.shape).round(2), tf.float32)
            g = tape.gradient(y, xt, output_gradients=w)
            again = fn(xt, ratio, pseudo, overlapping, seed)
            row[kind] = {"y": y.numpy().tolist(), "rows": rows.numpy().tolist(),
                         "cols": cols.numpy().tolist(), "w": w.numpy().tolist(),
                         "g": g.numpy().tolist(),
                         "again_rows": again[1].numpy().tolist()}  # fmt: skip
        out["cases"].append(row)
    tf.random.set_seed(None)
    x = tf.reshape(tf.range(36, dtype=tf.int32), [1, 6, 6, 1])
    out["int_max"] = tf.nn.fractional_max_pool(x, 1.5, seed=4)[0].numpy().tolist()
    out["int_avg"] = tf.nn.fractional_avg_pool(x, [1, 1.5, 1.5, 1], seed=4)[0].numpy().tolist()
    try:
        tf.nn.fractional_avg_pool(x, 1.5, seed=4)
    except TypeError as e:
        out["avg_scalar_ratio"] = str(e)
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
