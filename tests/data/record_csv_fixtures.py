"""Records the elements (or errors) of ``csv_cases`` built with TensorFlow into
``tests/fixtures/csv_datasets.json``.

Run with a Python that has TensorFlow 2.21, from the repository root:
``python tests/data/record_csv_fixtures.py``.
"""

import json
import os
import sys
import tempfile

import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from csv_cases import CASES, ERRORS, write_files  # noqa: E402
from record_dataset_method_fixtures import plain  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "csv_datasets.json")


def main():
    folder = tempfile.mkdtemp()
    write_files(folder)
    out = {"cases": {}, "errors": {}}
    for name, build in CASES.items():
        out["cases"][name] = [plain(e) for e in build(tf, folder).as_numpy_iterator()]
    for name, build in ERRORS.items():
        try:
            list(build(tf, folder))
            out["errors"][name] = None
        except tf.errors.OpError as e:
            message = str(e).split("}}")[-1].split(" [Op:")[0].strip()
            out["errors"][name] = [type(e).__name__, message]
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
