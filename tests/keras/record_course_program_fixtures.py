"""Records tf_keras' results for ``course_program_cases.py`` into
``tests/keras/fixtures/course_programs.json``.

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    TF_USE_LEGACY_KERAS=1 /path/to/tf-venv/bin/python tests/keras/record_course_program_fixtures.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import tensorflow as tf
import tf_keras

sys.path.insert(0, str(Path(__file__).parent))
import course_program_cases as cases  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "course_programs.json"


def main():
    fixtures = {name: cases.run(tf, tf_keras, name) for name in cases.CASES}
    FIXTURE.write_text(json.dumps(fixtures, indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
