"""Records TensorFlow's results for the cases of ``linalg_cases.py`` into
``tests/fixtures/linalg_ops.json`` (values, dtypes, gradients, error types and messages).

    python tests/ops/record_linalg_fixtures.py   # with TensorFlow installed
"""

import json
import os
import sys

import numpy as np
import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from linalg_cases import CASES, ERRORS, weights  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "linalg_ops.json")


def _encode(value):
    if isinstance(value, (list, tuple)):
        return {"list": [_encode(v) for v in value]}
    if isinstance(value, (bool, type(None))):
        return {"py": value}
    arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    dtype = (
        value.dtype.name
        if hasattr(value, "dtype") and hasattr(value.dtype, "name")
        else str(arr.dtype)
    )
    entry = {"dtype": dtype, "shape": list(arr.shape)}
    if arr.dtype.kind == "c":
        entry["real"] = arr.real.ravel().tolist()
        entry["imag"] = arr.imag.ravel().tolist()
    else:
        entry["value"] = [float(v) if arr.dtype.kind == "f" else int(v) for v in arr.ravel()]
    return entry


def _flat(value):
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _flat(v)]
    return [value]


def _inputs(spec):
    return [tf.constant(np.asarray(a).astype(d), dtype=d) for a, d in spec]


def record_case(expr, spec, grad):
    xs = _inputs(spec)
    env = {"tf": tf, **{f"x{i}": x for i, x in enumerate(xs)}}
    if not grad:
        return {"out": _encode(eval(expr, env))}
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        out = eval(expr, env)
        loss = tf.constant(0.0, tf.float64)
        for k, o in enumerate(_flat(out)):
            if not hasattr(o, "dtype") or not (o.dtype.is_floating or o.dtype.is_complex):
                continue
            w = tf.constant(weights(o.shape.as_list(), k, o.dtype.is_complex), dtype=o.dtype)
            loss += tf.cast(tf.math.real(tf.reduce_sum(w * o)), tf.float64)
    grads = tape.gradient(loss, xs)
    return {
        "out": _encode(out),
        "grads": [_encode(g) if g is not None else {"py": None} for g in grads],
    }


def main():
    fixtures = {"cases": {}, "errors": {}}
    for name, expr, spec, grad in CASES:
        try:
            fixtures["cases"][name] = record_case(expr, spec, grad)
        except Exception as e:  # noqa: BLE001 - the tests expect the same exception type
            fixtures["cases"][name] = {"error": type(e).__name__, "message": str(e)}
    for name, expr, spec in ERRORS:
        env = {"tf": tf, **{f"x{i}": x for i, x in enumerate(_inputs(spec))}}
        try:
            eval(expr, env)
        except Exception as e:  # noqa: BLE001 - recording whatever TF raises
            fixtures["errors"][name] = {"type": type(e).__name__, "message": str(e)}
        else:
            fixtures["errors"][name] = {"type": None, "message": ""}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixtures, f, separators=(",", ":"))
    print(f"wrote {OUT}: {len(fixtures['cases'])} cases, {len(fixtures['errors'])} errors")


if __name__ == "__main__":
    main()
