"""Records TensorFlow's ``tf.nn.embedding_lookup_sparse``,
``tf.nn.safe_embedding_lookup_sparse``, ``tf.nn.batch_norm_with_global_normalization``,
``tf.nn.conv_transpose``, ``tf.nn.with_space_to_batch`` and
``tf.nn.isotonic_regression`` (values and gradients) into
``tests/fixtures/nn_extras.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_nn_extras_fixtures.py
"""

# ruff: noqa: B023 - each closure runs within its loop iteration

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "nn_extras.json"

PARAMS = np.round(np.random.default_rng(0).uniform(-2, 2, [6, 3]), 3)
# Ids (row 2 empty, a repeated id, an invalid -1 for the safe lookup) and weights.
IDS = {"indices": [[0, 0], [0, 1], [1, 0], [3, 0], [3, 1], [3, 2]], "values": [1, 4, 0, 4, 2, 5],
       "dense_shape": [4, 3]}  # fmt: skip
SAFE_IDS = {"indices": [[0, 0], [0, 1], [1, 0], [3, 0], [3, 1], [3, 2]],
            "values": [1, -1, 0, 4, 2, 5], "dense_shape": [4, 3]}  # fmt: skip
WEIGHTS = [0.5, 2.0, 1.5, -1.0, 3.0, 0.25]


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the fixture records TF's type and message
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    return None


def _grad(tf, fn, *xs):
    xs = [tf.constant(x, tf.float64) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = fn(*xs)
    w = tf.constant(np.random.default_rng(1).uniform(-1, 1, y.shape), tf.float64)
    grads = tape.gradient(y, xs, output_gradients=w)
    return {"y": y.numpy().tolist(), "w": w.numpy().tolist(),
            "grads": [None if g is None else tf.convert_to_tensor(g).numpy().tolist()
                      for g in grads]}  # fmt: skip


def main():
    import tensorflow as tf

    out = {"lookup": [], "safe": []}
    ids = tf.SparseTensor(IDS["indices"], tf.constant(IDS["values"], tf.int64), IDS["dense_shape"])
    safe_ids = tf.SparseTensor(SAFE_IDS["indices"], tf.constant(SAFE_IDS["values"], tf.int64),
                               SAFE_IDS["dense_shape"])  # fmt: skip
    for combiner in ("sum", "mean", "sqrtn"):
        for weighted in (False, True):
            for max_norm in (None, 1.5):

                def fn(p, w=None):
                    sw = tf.SparseTensor(ids.indices, w, ids.dense_shape) if weighted else None
                    return tf.nn.embedding_lookup_sparse(p, ids, sw, combiner, max_norm)

                args = [PARAMS] + ([np.array(WEIGHTS)] if weighted else [])
                out["lookup"].append({"combiner": combiner, "weighted": weighted,
                                      "max_norm": max_norm, **_grad(tf, fn, *args)})  # fmt: skip
        for weighted, default_id in ((False, None), (True, None), (True, 3), (False, 2)):

            def fn(p, w=None):
                sw = (
                    tf.SparseTensor(safe_ids.indices, w, safe_ids.dense_shape) if weighted else None
                )
                return tf.nn.safe_embedding_lookup_sparse(p, safe_ids, sw, combiner, default_id)

            args = [PARAMS] + ([np.array(WEIGHTS)] if weighted else [])
            out["safe"].append({"combiner": combiner, "weighted": weighted,
                                "default_id": default_id, **_grad(tf, fn, *args)})  # fmt: skip
    out["bad_combiner"] = _error(lambda: tf.nn.embedding_lookup_sparse(PARAMS, ids, None, "max"))
    # A 3-D safe lookup: the leading dimensions are kept.
    ids3 = tf.SparseTensor([[0, 0, 0], [0, 1, 1], [1, 1, 0]], tf.constant([2, 3, 1], tf.int64),
                           [2, 2, 2])  # fmt: skip
    out["safe3d"] = tf.nn.safe_embedding_lookup_sparse(PARAMS, ids3).numpy().tolist()

    rng = np.random.default_rng(2)
    x, m, v, beta, gamma = (
        rng.uniform(0.2, 2, s).round(3) for s in ([2, 3, 4], [4], [4], [4], [4])
    )
    for scale in (False, True):
        out[f"bn_scale_{scale}"] = _grad(
            tf,
            lambda *a: tf.nn.batch_norm_with_global_normalization(*a, 0.001, scale),
            x,
            m,
            v,
            beta,
            gamma,
        )

    out["conv_transpose"] = []
    for rank, strides, padding in ((1, 2, "SAME"), (2, [2, 1], "VALID"), (3, 1, "SAME")):
        xs = [2] + [3] * rank + [2]
        fs = [2] * rank + [3, 2]
        out_shape = [2] + ([6] if rank == 1 else [7, 4] if rank == 2 else [3, 3, 3]) + [3]
        xv, fv = rng.standard_normal(xs).round(3), rng.standard_normal(fs).round(3)
        out["conv_transpose"].append({
            "x": xv.tolist(), "f": fv.tolist(), "output_shape": out_shape, "strides": strides,
            "padding": padding,
            **_grad(tf, lambda a, b: tf.nn.conv_transpose(a, b, out_shape, strides, padding),
                    xv, fv),
        })  # fmt: skip

    xv = rng.standard_normal([1, 5, 6, 2]).round(3)
    fv = rng.standard_normal([3, 3, 2, 2]).round(3)
    out["wstb_x"], out["wstb_f"] = xv.tolist(), fv.tolist()
    for padding in ("VALID", "SAME"):

        def op(inp, num_spatial_dims, padding):
            return tf.nn.convolution(inp, tf.constant(fv, inp.dtype), padding=padding)

        out[f"wstb_{padding}"] = _grad(
            tf, lambda a: tf.nn.with_space_to_batch(a, [2, 2], padding, op, [3, 3]), xv
        )
    out["wstb_pool"] = tf.nn.with_space_to_batch(
        tf.constant(xv, tf.float32), [2, 1], "SAME",
        lambda inp, num_spatial_dims, padding: tf.nn.max_pool2d(inp, 2, 1, padding),
        [2, 2],
    ).numpy().tolist()  # fmt: skip

    out["isotonic"] = []
    for shape, decreasing, axis in (([2, 6], True, -1), ([5, 3], False, 0), ([7], True, -1)):
        y = rng.standard_normal(shape).round(2)
        y.flat[1] = y.flat[2]  # a tie
        r = _grad(tf, lambda a: tf.nn.isotonic_regression(a, decreasing, axis)[0], y)
        seg = tf.nn.isotonic_regression(tf.constant(y, tf.float32), decreasing, axis)
        out["isotonic"].append({"input": y.tolist(), "decreasing": decreasing, "axis": axis, **r,
                                "f32": seg[0].numpy().tolist(),
                                "segments": seg[1].numpy().tolist(),
                                "segments_dtype": seg[1].dtype.name})  # fmt: skip
    out["isotonic_int"] = tf.nn.isotonic_regression([[3, 1, 2]])[0].dtype.name
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
