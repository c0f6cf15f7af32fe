"""Records TF's values and gradients of ``complex_gradient_cases`` into
``tests/fixtures/complex_gradients.json``.

Run with a Python that has TensorFlow 2.21, from the repository root:
``python tests/ops/record_complex_gradient_fixtures.py``.
"""

import json
import os
import sys

import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from complex_gradient_cases import CASES, value_and_gradient  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "complex_gradients.json")


def _pairs(a):
    return [[float(v.real), float(v.imag)] for v in a.ravel()]


def main():
    out = {}
    for name in CASES:
        value, gradient = value_and_gradient(tf, name)
        out[name] = {
            "value": _pairs(value),
            "shape": list(value.shape),
            "gradient": _pairs(gradient),
        }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
