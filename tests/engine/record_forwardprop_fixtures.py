"""Records TensorFlow's forward-mode results (``tf.autodiff.ForwardAccumulator``) for
the cases of ``forwardprop_cases.py`` into ``tests/fixtures/forwardprop.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/engine/record_forwardprop_fixtures.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import tensorflow as tf

sys.path.insert(0, str(Path(__file__).parent))
import forwardprop_cases as cases  # noqa: E402

FIXTURE = Path(__file__).parents[1] / "fixtures" / "forwardprop.json"


def main():
    fixtures = {name: cases.to_plain(case(tf)) for name, case in cases.CASES.items()}
    fixtures["errors"] = cases.errors(tf)
    FIXTURE.write_text(json.dumps(fixtures, indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
