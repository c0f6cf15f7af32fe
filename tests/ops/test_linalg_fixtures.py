"""tf.linalg against TensorFlow: the cases of ``linalg_cases.py`` replayed on tensorflux and
compared with ``tests/fixtures/linalg_ops.json`` (``record_linalg_fixtures.py``): values,
dtypes, gradients of a weighted sum of the outputs, and error types and messages."""

import json
import os
import re

import numpy as np
import pytest

import tensorflux as tf
from tests.ops.linalg_cases import CASES, ERRORS, weights

with open(
    os.path.join(os.path.dirname(__file__), "..", "fixtures", "linalg_ops.json"), encoding="utf-8"
) as _f:
    FIXTURES = json.load(_f)

_TOL = {"float32": 3e-4, "complex64": 3e-4, "float64": 1e-7, "complex128": 1e-7}


def _decode(entry):
    if "list" in entry:
        return [_decode(e) for e in entry["list"]]
    if "py" in entry:
        return entry["py"]
    if "real" in entry:
        arr = np.asarray(entry["real"]) + 1j * np.asarray(entry["imag"])
    else:
        arr = np.asarray(entry["value"])
    return arr.reshape(entry["shape"]), entry["dtype"]


def _flat(value):
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _flat(v)]
    return [value]


def _compare(got, want, what):
    if isinstance(want, list):
        got = list(got)
        assert len(got) == len(want), f"{what}: {len(got)} outputs, TF has {len(want)}"
        for k, (g, w) in enumerate(zip(got, want)):
            _compare(g, w, f"{what}[{k}]")
        return
    if not isinstance(want, tuple):
        assert got == want, f"{what}: {got!r} vs TF's {want!r}"
        return
    arr, dtype = want
    if isinstance(got, tf.TensorShape):
        got = got.as_list()
    got_dtype = got.dtype.name if hasattr(got, "dtype") else None
    value = np.asarray(got.numpy() if hasattr(got, "numpy") else got)
    if got_dtype is not None:
        assert got_dtype == dtype, f"{what}: dtype {got_dtype}, TF gives {dtype}"
    assert value.shape == arr.shape, f"{what}: shape {value.shape}, TF gives {arr.shape}"
    tol = _TOL.get(dtype, 0)
    np.testing.assert_allclose(value, arr, rtol=tol, atol=tol * 10, err_msg=what)


def _inputs(spec):
    return [tf.constant(np.asarray(a).astype(d), dtype=d) for a, d in spec]


def _run(expr, xs):
    return eval(expr, {"tf": tf, **{f"x{i}": x for i, x in enumerate(xs)}})


@pytest.mark.parametrize("name, expr, spec, grad", CASES, ids=[c[0] for c in CASES])
def test_matches_tensorflow(name, expr, spec, grad):
    want = FIXTURES["cases"][name]
    xs = _inputs(spec)
    if "error" in want:
        with pytest.raises(Exception) as info:
            _run(expr, xs)
        assert type(info.value).__name__ == want["error"], str(info.value)
        return
    if not grad:
        _compare(_run(expr, xs), _decode(want["out"]), name)
        return
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        out = _run(expr, xs)
        loss = tf.constant(0.0, tf.float64)
        for k, o in enumerate(_flat(out)):
            if not hasattr(o, "dtype") or not (o.dtype.is_floating or o.dtype.is_complex):
                continue
            w = tf.constant(weights(o.shape.as_list(), k, o.dtype.is_complex), dtype=o.dtype)
            loss += tf.cast(tf.math.real(tf.reduce_sum(w * o)), tf.float64)
    _compare(out, _decode(want["out"]), name)
    grads = tape.gradient(loss, xs)
    for k, (g, w) in enumerate(zip(grads, want["grads"])):
        if "py" in w:
            assert g is None, f"{name}: TF has no gradient for input {k}"
            continue
        _compare(g, _decode(w), f"{name} gradient of input {k}")


def _core(message: str) -> str:
    """TF's message without the function-node prefix and the op suffix."""
    message = re.sub(r"^\{\{function_node [^}]*\}\}\s*", "", message)
    if message.startswith("Value for attr 'T' of"):
        # TF names dtypes by their C++ names ("float") in its own order of the list.
        return "Value for attr 'T' of"
    return re.split(r" \[Op:|\t|\n| Found| Received", message)[0].strip()


@pytest.mark.parametrize("name, expr, spec", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_match_tensorflow(name, expr, spec):
    want = FIXTURES["errors"][name]
    xs = _inputs(spec)
    with pytest.raises(Exception) as info:
        _run(expr, xs)
    assert type(info.value).__name__ == want["type"], str(info.value)
    assert _core(want["message"]) in str(info.value)
