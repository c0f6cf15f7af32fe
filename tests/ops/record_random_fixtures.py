"""Records TensorFlow's random numbers into ``tests/fixtures/random_ops.json``.

Run with a Python where TensorFlow and tf_keras are installed (the tests never import
them)::

    python tests/ops/record_random_fixtures.py

The programs are the functions of ``random_cases.py`` (and ``keras_random_cases.py``
when present); each runs here on TensorFlow, with ``tf.keras`` being tf_keras, and in
the tests on tensorflux. The fixture keeps a hash of every array's bytes, so the tests
check bit-for-bit equality, plus the values of small arrays.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).parent))

import random_cases  # noqa: E402
import tensorflow as tf  # noqa: E402

FIXTURE = Path(__file__).parent.parent / "fixtures" / "random_ops.json"


def main():
    cases = dict(random_cases.CASES)
    try:
        import keras_random_cases
    except ImportError:
        keras_random_cases = None
    if keras_random_cases is not None:
        cases.update(keras_random_cases.CASES)
    record = {name: random_cases.summarize(case(tf)) for name, case in cases.items()}
    FIXTURE.write_text(json.dumps(record, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {len(record)} cases to {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
