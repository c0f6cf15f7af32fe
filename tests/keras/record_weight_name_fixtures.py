"""Records the variable names tf_keras 2.21 gives in the cases of
tests/keras/weight_name_cases.py into fixtures/weight_names.json.

Run with a Python that has TensorFlow and tf_keras:
``/path/to/tf-venv/bin/python tests/keras/record_weight_name_fixtures.py``.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tensorflow as tf  # noqa: E402
from weight_name_cases import CASES  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "weight_names.json")


def main():
    results = {}
    for name, case in CASES.items():
        tf.keras.backend.clear_session()
        results[name] = case(tf)
    with open(FIXTURE, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
