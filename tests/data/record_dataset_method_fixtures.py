"""Records the elements of ``dataset_method_cases.CASES`` built with TensorFlow into
``tests/fixtures/dataset_methods.json``.

Run with a Python that has TensorFlow 2.21, from the repository root:
``python tests/data/record_dataset_method_fixtures.py``.
"""

import json
import os
import sys

import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dataset_method_cases import CASES  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "dataset_methods.json")


def plain(value):
    """NumPy elements as JSON: arrays as lists, bytes as text, tuples as lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main():
    tf.random.set_seed(None)
    out = {}
    for name, build in CASES.items():
        dataset = build(tf)
        out[name] = {
            "elements": [plain(e) for e in dataset.as_numpy_iterator()],
            "spec": str(dataset.element_spec),
            "cardinality": int(dataset.cardinality()),
        }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
