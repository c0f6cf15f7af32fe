"""Records what TensorFlow's ``tf.sparse`` returns or raises into
``tests/fixtures/sparse_ops.json``.

Run with a Python where TensorFlow and tf_keras are installed (the tests never import it)::

    python tests/ops/record_sparse_fixtures.py

The programs are the cases of ``sparse_cases.py``; ``test_sparse_ops.py`` runs them on
tensorflux and compares.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).parent))

import sparse_cases  # noqa: E402
import tensorflow as tf  # noqa: E402

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sparse_ops.json"


def main():
    record = {}
    for name, case in sparse_cases.CASES.items():
        try:
            record[name] = sparse_cases.summarize(case(tf))
        except Exception as e:  # noqa: BLE001 - every error is part of the record
            record[name] = sparse_cases.error_summary(e)
    FIXTURE.write_text(json.dumps(record, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {len(record)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
