"""Records the ICU script code of every Unicode code point, as TensorFlow reports it.

``tf.strings.unicode_script`` maps code points to ICU ``UScriptCode`` values through the
ICU library built into TensorFlow. The mapping is Unicode's Scripts data numbered by
ICU; it changes only between Unicode versions. This script asks TensorFlow 2.21 for the
code of every code point and writes the runs of equal codes (about 1,600) to
``tensorflux/ops/data/unicode_scripts.npz``: ``starts`` (the first code point of each
run) and ``codes``. It also records, as a test fixture
(``tests/fixtures/unicode_script.json``), TensorFlow's codes of sample code points
taken afresh (every run boundary and its neighbours, out-of-range values).

Run with a Python that has TensorFlow:
    python tests/ops/record_unicode_scripts.py
"""

import json
import os
import pathlib

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tensorflux/ops/data/unicode_scripts.npz"
FIXTURE = ROOT / "tests/fixtures/unicode_script.json"


def main():
    codes = tf.strings.unicode_script(tf.range(0x110000, dtype=tf.int32)).numpy()
    starts = np.concatenate([[0], np.flatnonzero(np.diff(codes)) + 1]).astype(np.int32)
    np.savez_compressed(OUT, starts=starts, codes=codes[starts].astype(np.int16))
    print(f"{len(starts)} runs, {len(np.unique(codes))} scripts -> {OUT}")
    edges = np.unique(np.concatenate([starts - 1, starts, starts + 1]))
    samples = np.concatenate([[-(2**31), -1, 0x110000, 0x7FFFFFFF], edges[edges >= 0]])
    samples = samples.astype(np.int32)
    values = tf.strings.unicode_script(tf.constant(samples)).numpy()
    FIXTURE.write_text(
        json.dumps({"code_points": samples.tolist(), "scripts": values.tolist()}) + "\n"
    )


if __name__ == "__main__":
    main()
