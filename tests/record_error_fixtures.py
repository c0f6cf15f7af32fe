"""Records what TensorFlow does with each case of ``error_cases.py``.

Run with TensorFlow 2.21 and tf_keras 2.21 installed (``tf.keras`` is then Keras 2):

    python tests/record_error_fixtures.py

It writes ``tests/fixtures/tf_errors.json``: per case, TF's exception class and message,
or "no error" and a summary of the value it returned.
"""

import json
import os
import sys
import warnings

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tests.error_cases import CASES, describe, describe_error, run_case  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "tf_errors.json")


def main():
    tf.get_logger().setLevel("ERROR")
    records = {}
    for group, code, _ in CASES:
        tf.keras.backend.clear_session()
        try:
            value = run_case(tf, np, code)
        except Exception as e:  # noqa: BLE001 - recording what TF raises is the point
            records[code] = {"group": group, **describe_error(e)}
        else:
            records[code] = {"group": group, "error": None, "value": describe(value)}
    with open(OUT, "w") as f:
        json.dump({"tensorflow": tf.__version__, "cases": records}, f, indent=0, sort_keys=True)
        f.write("\n")
    errors = sum(r["error"] is not None for r in records.values())
    print(f"{len(records)} cases, {errors} raise in TensorFlow {tf.__version__}")


if __name__ == "__main__":
    main()
