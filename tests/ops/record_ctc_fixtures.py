"""Records TensorFlow's CTC ops (``tf.nn.ctc_loss`` with sparse and dense labels and its
gradient, the greedy and beam search decoders, ``collapse_repeated``,
``ctc_unique_labels``) into ``tests/fixtures/ctc_ops.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_ctc_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ctc_ops.json"


def _logits(seed, shape, scale=2.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).round(3)


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the fixture records TF's type and message
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    return None


def _loss_case(tf, labels, logits, label_length, logit_length, dtype="float32", **kw):
    x = tf.constant(np.asarray(logits), dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.nn.ctc_loss(labels, x, label_length, logit_length, **kw)
    grad = tape.gradient(loss, x)
    return loss.numpy().tolist(), grad.numpy().tolist()


def _sparse(tf, rows):
    indices = [[b, i] for b, row in enumerate(rows) for i in range(len(row))]
    values = [v for row in rows for v in row]
    width = max(len(r) for r in rows)
    return tf.SparseTensor(indices, tf.constant(values, tf.int32), [len(rows), width])


def _decoded(decoded, log_probs):
    return {
        "decoded": [
            [d.indices.numpy().tolist(), d.values.numpy().tolist(), d.dense_shape.numpy().tolist()]
            for d in decoded
        ],
        "log_probs": log_probs.numpy().tolist(),
    }


def main():
    import tensorflow as tf

    out = {"loss": [], "greedy": [], "beam": []}
    sparse_rows = [[1, 2, 2], [3, 1], [0]]
    dense = [[1, 2, 2, 0], [3, 1, 0, 0], [2, 0, 0, 0]]
    for case in [
        {"kind": "sparse", "blank_index": -1, "time_major": True, "C": 5},
        {"kind": "sparse", "blank_index": 0, "time_major": False, "C": 5, "shift": 1},
        {"kind": "sparse", "blank_index": 4, "time_major": True, "C": 6},
        {"kind": "dense", "blank_index": None, "time_major": True, "C": 5, "shift": 1},
        {"kind": "dense", "blank_index": -1, "time_major": False, "C": 5},
        {"kind": "dense", "blank_index": 4, "time_major": True, "C": 6},
        {"kind": "dense_unique", "blank_index": None, "time_major": True, "C": 5, "shift": 1},
    ]:
        shift = case.get("shift", 0)
        shape = [6, 3, case["C"]] if case["time_major"] else [3, 6, case["C"]]
        logits = _logits(len(out["loss"]), shape)
        lengths = [6, 4, 5]
        kw = {"logits_time_major": case["time_major"], "blank_index": case["blank_index"]}
        if case["kind"] == "sparse":
            rows = [[v + shift for v in r] for r in sparse_rows]
            labels = _sparse(tf, rows)
            label_length = None
            record_labels = rows
        else:
            record_labels = [[v + shift if j < n else 0 for j, v in enumerate(r)]
                             for r, n in zip(dense, [3, 2, 1])]  # fmt: skip
            labels = tf.constant(record_labels, tf.int32)
            label_length = tf.constant([3, 2, 1], tf.int32)
            if case["kind"] == "dense_unique":
                kw["unique"] = tf.nn.ctc_unique_labels(labels)
        loss, grad = _loss_case(
            tf, labels, logits, label_length, lengths, case.get("dtype", "float32"), **kw
        )
        out["loss"].append({**case, "labels": record_labels, "logits": logits.tolist(),
                            "logit_length": lengths, "loss": loss, "grad": grad})  # fmt: skip
    # A label longer than its logits: the dense path gives inf, the sparse op an error.
    logits = _logits(99, [3, 1, 4])
    out["dense_too_long"] = _loss_case(tf, tf.constant([[1, 2, 1, 2]]), logits, [4], [3])[0]
    out["sparse_too_long"] = _error(
        lambda: tf.nn.ctc_loss(
            _sparse(tf, [[1, 2, 1, 2]]), tf.constant(logits, tf.float32), None, [3], blank_index=0
        )  # fmt: skip
    )
    out["sparse_no_blank"] = _error(
        lambda: tf.nn.ctc_loss(_sparse(tf, [[1]]), tf.constant(logits, tf.float32), None, [3])
    )
    out["dense_no_length"] = _error(
        lambda: tf.nn.ctc_loss(tf.constant([[1]]), tf.constant(logits, tf.float32), None, [3])
    )

    for i, (merge, blank, lengths) in enumerate(
        [
            (True, None, [7, 3, 0]),
            (False, None, [7, 7, 5]),
            (True, 0, [7, 6, 2]),
            (False, -2, [7, 4, 1]),
        ]  # fmt: skip
    ):
        inputs = _logits(10 + i, [7, 3, 4], 1.0)
        inputs[1] = inputs[0]  # a repeat to merge or keep
        d, lp = tf.nn.ctc_greedy_decoder(tf.constant(inputs, tf.float32), lengths, merge, blank)
        out["greedy"].append({"inputs": inputs.tolist(), "lengths": lengths,
                              "merge_repeated": merge, "blank_index": blank,
                              **_decoded(d, lp)})  # fmt: skip
    for i, (beam_width, top_paths, lengths, dtype) in enumerate(
        [
            (1, 1, [8, 5], "float32"),
            (3, 2, [8, 8], "float32"),
            (10, 3, [8, 6], "float64"),
            (100, 1, [8, 0], "float32"),
            (4, 4, [8, 7], "float32"),
        ]  # fmt: skip
    ):
        inputs = _logits(20 + i, [8, 2, 4], 1.0)
        d, lp = tf.nn.ctc_beam_search_decoder(tf.constant(inputs, dtype), lengths, beam_width,
                                              top_paths)  # fmt: skip
        out["beam"].append({"inputs": inputs.tolist(), "lengths": lengths, "dtype": dtype,
                            "beam_width": beam_width, "top_paths": top_paths,
                            **_decoded(d, lp)})  # fmt: skip
    inputs = tf.constant(_logits(30, [2, 1, 3]), tf.float32)
    out["beam_too_few_leaves"] = _error(lambda: tf.nn.ctc_beam_search_decoder(inputs, [1], 5, 3))
    out["beam_top_paths"] = _error(lambda: tf.nn.ctc_beam_search_decoder(inputs, [2], 2, 3))
    out["greedy_bad_length"] = _error(lambda: tf.nn.ctc_greedy_decoder(inputs, [3]))
    out["greedy_bad_batch"] = _error(lambda: tf.nn.ctc_greedy_decoder(inputs, [1, 1]))
    out["greedy_bad_rank"] = _error(lambda: tf.nn.ctc_greedy_decoder(inputs[0], [1]))

    labels = [[3, 3, 1, 1, 2, 0], [4, 4, 4, 4, 4, 4], [1, 2, 2, 5, 5, 1]]
    collapsed, length = tf.nn.collapse_repeated(labels, [6, 3, 5])
    out["collapse"] = {
        "labels": labels,
        "lengths": [6, 3, 5],
        "out": collapsed.numpy().tolist(),
        "new_length": length.numpy().tolist(),
    }
    u, idx = tf.nn.ctc_unique_labels(tf.constant(labels, tf.int32))
    out["unique"] = {"labels": labels, "y": u.numpy().tolist(), "idx": idx.numpy().tolist(),
                     "dtypes": [u.dtype.name, idx.dtype.name]}  # fmt: skip
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
