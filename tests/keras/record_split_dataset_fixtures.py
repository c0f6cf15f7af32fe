"""Records tf_keras' ``split_dataset`` results for ``split_dataset_cases.py`` into
``tests/keras/fixtures/split_dataset.json``.

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    /path/to/tf-venv/bin/python tests/keras/record_split_dataset_fixtures.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import tensorflow as tf
import tf_keras

sys.path.insert(0, str(Path(__file__).parent))
import split_dataset_cases as cases  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "split_dataset.json"


def main():
    fixtures = {name: cases.run(tf, tf_keras, name) for name in cases.CASES}
    FIXTURE.write_text(json.dumps(fixtures, indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
