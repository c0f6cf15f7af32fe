"""Records what TensorFlow's top-level ops and functions (``tf.roll``, ``tf.map_fn`` ...)
return or raise into
``tests/fixtures/tfops.json``.

Run with a Python where TensorFlow and tf_keras are installed (the tests never import it)::

    python tests/ops/record_tfops_fixtures.py

The programs are the cases of ``tfops_cases.py``; ``test_tfops.py`` runs them on
tensorflux and compares.
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

from tests.ops import tfops_cases  # noqa: E402

FIXTURE = Path(__file__).parent.parent / "fixtures" / "tfops.json"
REPO = str(Path(__file__).resolve().parent.parent.parent) + "/"


def main():
    record = {}
    for name, case in tfops_cases.CASES.items():
        try:
            record[name] = tfops_cases.summarize(case(tf))
        except Exception as e:  # noqa: BLE001 - every error is part of the record
            record[name] = tfops_cases.error_summary(e)
    for name in tfops_cases.TRACED:
        case = tfops_cases.CASES[name]
        try:
            record[f"traced/{name}"] = tfops_cases.summarize(tf.function(lambda c=case: c(tf))())
        except Exception as e:  # noqa: BLE001
            summary = tfops_cases.error_summary(e)
            # A traced error quotes the recording file's path; keep it repository-relative.
            summary["message"] = summary["message"].replace(REPO, "")
            record[f"traced/{name}"] = summary
    FIXTURE.write_text(json.dumps(record, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {len(record)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
