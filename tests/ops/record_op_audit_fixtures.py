"""Records what TensorFlow's ops return or raise on the corners of ``op_audit_cases.py``
into ``tests/fixtures/op_audit.json``.

Run with a Python where TensorFlow and tf_keras are installed (the tests never import it)::

    python tests/ops/record_op_audit_fixtures.py

``test_op_audit.py`` runs the same cases on tensorflux and compares.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).parent.parent.parent))

import tensorflow as tf  # noqa: E402

from tests.ops import op_audit_cases  # noqa: E402

FIXTURE = Path(__file__).parent.parent / "fixtures" / "op_audit.json"


def main():
    record = {}
    for name, case in op_audit_cases.CASES.items():
        try:
            record[name] = op_audit_cases.summarize(case(tf))
        except Exception as e:  # noqa: BLE001 - every error is part of the record
            record[name] = op_audit_cases.error_summary(e)
    FIXTURE.write_text(json.dumps(record, indent=0, sort_keys=True) + "\n")
    print(f"wrote {len(record)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
