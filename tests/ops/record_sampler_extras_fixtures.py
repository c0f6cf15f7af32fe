"""Records TensorFlow's ``tf.random.all_candidate_sampler`` and
``tf.random.learned_unigram_candidate_sampler`` (which learns from each call's true
classes) into ``tests/fixtures/sampler_extras.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_sampler_extras_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sampler_extras.json"

TRUE_CLASSES = [[[1, 5], [7, 0], [3, 3]], [[2, 2], [2, 9], [4, 1]], [[9, 9], [9, 9], [0, 6]]]
# (num_sampled, unique, range_max, seed); each is called once per TRUE_CLASSES entry.
LEARNED_CASES = [(6, True, 10, 42), (5, False, 10, 3), (4, True, 16, 7), (8, True, 10, 1)]


def _out(o):
    return [o[0].numpy().tolist(), o[1].numpy().tolist(), o[2].numpy().tolist()]


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the fixture records TF's type and message
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    return None


def main():
    import tensorflow as tf

    out = {"learned": [], "all": []}
    for num_sampled, unique, range_max, seed in LEARNED_CASES:
        calls = []
        for classes in TRUE_CLASSES:
            t = tf.constant(classes, tf.int64)
            calls.append(_out(tf.random.learned_unigram_candidate_sampler(
                t, 2, num_sampled, unique, range_max, seed=seed)))  # fmt: skip
        out["learned"].append(calls)
    for unique in (True, False):
        o = tf.random.all_candidate_sampler(tf.constant(TRUE_CLASSES[0], tf.int64), 2, 10, unique)
        out["all"].append(_out(o))
    t = tf.constant(TRUE_CLASSES[0], tf.int64)
    out["learned_too_small"] = _error(
        lambda: tf.random.learned_unigram_candidate_sampler(t, 2, 11, True, 10, seed=1)
    )
    out["learned_bad_class"] = _error(
        lambda: tf.random.learned_unigram_candidate_sampler(t, 2, 2, True, 7, seed=1)
    )
    out["same_in_nn"] = tf.nn.learned_unigram_candidate_sampler is (
        tf.random.learned_unigram_candidate_sampler
    )  # fmt: skip
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
