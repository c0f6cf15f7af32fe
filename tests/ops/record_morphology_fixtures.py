"""Records TensorFlow's ``tf.nn.dilation2d`` / ``tf.nn.erosion2d`` (values, gradients
with respect to the input and the filters, errors) into
``tests/fixtures/morphology_ops.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_morphology_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "morphology_ops.json"

# (input shape, filter shape, strides, dilations, padding); values are rounded to 1/4 so
# windows hold ties, which the gradients break TF's way.
CASES = [
    ([1, 5, 5, 1], [2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
    ([2, 6, 5, 2], [3, 2, 2], [1, 2, 1, 1], [1, 1, 1, 1], "SAME"),
    ([1, 7, 6, 3], [2, 3, 3], [1, 1, 2, 1], [1, 2, 1, 1], "SAME"),
    ([2, 6, 6, 1], [2, 2, 1], [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
]


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the fixture records TF's type and message
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    return None


def main():
    import tensorflow as tf

    out = {"cases": []}
    for i, (shape, fshape, strides, dilations, padding) in enumerate(CASES):
        rng = np.random.default_rng(i)
        x = np.round(rng.uniform(-2, 2, shape) * 4) / 4
        f = np.round(rng.uniform(-1, 1, fshape) * 4) / 4
        row = {"x": x.tolist(), "f": f.tolist(), "strides": strides, "dilations": dilations,
               "padding": padding}  # fmt: skip
        for name, fn in (("dilation", tf.nn.dilation2d), ("erosion", tf.nn.erosion2d)):
            xt, ft = tf.constant(x, tf.float32), tf.constant(f, tf.float32)
            with tf.GradientTape(persistent=True) as tape:
                tape.watch([xt, ft])
                y = fn(xt, ft, strides, padding, "NHWC", dilations)
            w = tf.constant(rng.uniform(-1, 1, y.shape).round(2), tf.float32)
            gx, gf = tape.gradient(y, [xt, ft], output_gradients=w)
            row[name] = {"y": y.numpy().tolist(), "w": w.numpy().tolist(),
                         "gx": gx.numpy().tolist(), "gf": gf.numpy().tolist()}  # fmt: skip
        out["cases"].append(row)
    x = tf.zeros([1, 4, 4, 2])
    f = tf.zeros([2, 2, 2])
    d = tf.nn.dilation2d
    out["errors"] = {
        "data_format": _error(lambda: d(x, f, [1, 1, 1, 1], "SAME", "NCHW", [1, 1, 1, 1])),
        "stride_batch": _error(lambda: d(x, f, [2, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1])),
        "rate_depth": _error(lambda: d(x, f, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 2])),
        "depth": _error(
            lambda: d(x, tf.zeros([2, 2, 3]), [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1])
        ),  # fmt: skip
        "rank": _error(lambda: d(x[0], f, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1])),
        "too_big": _error(
            lambda: d(x, tf.zeros([5, 1, 2]), [1, 1, 1, 1], "VALID", "NHWC", [1, 1, 1, 1])
        ),  # fmt: skip
        "strides_len": _error(lambda: d(x, f, [1, 1], "SAME", "NHWC", [1, 1, 1, 1])),
    }
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
