"""Prints, per TensorFlow module, the share of TF 2.21's public names tensorflux has.

    python tests/tf_api_coverage.py

The names come from ``tensorflux/tf_public_names.json`` (``tests/record_tf_names.py``);
TensorFlow itself is not needed.
"""

import importlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tensorflux  # noqa: E402
from tensorflux.framework.tf_names import _PATH  # noqa: E402


def _module(tf_path: str):
    """The tensorflux object serving ``tf_path`` ("tf.keras.layers"), or None."""
    obj = tensorflux
    for part in tf_path.split(".")[1:]:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            try:
                obj = importlib.import_module(f"{obj.__name__}.{part}")
            except (ImportError, AttributeError):
                return None
    return obj


def coverage() -> list:
    """``(tf_path, implemented, total)`` per module listed in the names file."""
    with open(_PATH, encoding="utf-8") as f:
        names = json.load(f)
    rows = []
    for tf_path, listed in names.items():
        if tf_path == "tensorflow":
            continue
        module = _module(tf_path)
        have = 0 if module is None else sum(hasattr(module, n) for n in listed)
        rows.append((tf_path, have, len(listed)))
    return rows


def main():
    rows = coverage()
    width = max(len(r[0]) for r in rows)
    for tf_path, have, total in rows:
        share = 100.0 * have / total if total else 100.0
        print(f"{tf_path:<{width}}  {have:4d} / {total:4d}  {share:5.1f}%")
    have, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{'all':<{width}}  {have:4d} / {total:4d}  {100.0 * have / total:5.1f}%")


if __name__ == "__main__":
    main()
