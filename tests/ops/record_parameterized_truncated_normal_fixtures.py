"""Records TensorFlow's ``tf.random.stateless_parameterized_truncated_normal`` (each of
its three samplers, broadcast parameters, float32 and float64) into
``tests/fixtures/parameterized_truncated_normal.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_parameterized_truncated_normal_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

FIXTURE = Path(__file__).parents[1] / "fixtures" / "parameterized_truncated_normal.json"

# (shape, seed, means, stddevs, minvals, maxvals, dtype): small outputs, which TF draws on
# one worker thread.
CASES = [
    ([5], [1, 2], 0.0, 1.0, -2.0, 2.0, "float32"),  # normal rejection
    ([4, 3], [7, 9], [0.0, 1.0, -3.0], [1.0, 2.0, 0.5], [-0.5, 0.8, -3.2], [0.4, 1.5, -2.9],
     "float32"),  # uniform rejection per member
    ([6], [3, 4], 0.0, 1.0, 2.5, float("inf"), "float32"),  # exponential tail
    ([3, 2], [5, 5], [0.0, 10.0], 1.0, [1.5, -float("inf")], [4.0, 8.0], "float32"),
    ([4, 2], [11, 3], [0.0, 0.0], [1.0, 3.0], [-1.0, 3.5], [1.0, 20.0], "float64"),
    ([2, 2, 3], [9, 1], [[0.0], [1.0]], 1.0, -1.0, [0.5, 1.0, 3.0], "float32"),
]  # fmt: skip


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the fixture records TF's type and message
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    return None


def main():
    import tensorflow as tf

    out = {"cases": []}
    for shape, seed, means, stddevs, minvals, maxvals, dtype in CASES:
        args = [tf.constant(v, dtype) for v in (means, stddevs, minvals, maxvals)]
        y = tf.random.stateless_parameterized_truncated_normal(shape, seed, *args)
        out["cases"].append(y.numpy().tolist())
    f = tf.random.stateless_parameterized_truncated_normal
    out["bad_stddev"] = _error(lambda: f([2], [1, 2], 0.0, -1.0))
    out["bad_shape"] = _error(lambda: f([2, 3], [1, 2], [0.0, 1.0]))
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
