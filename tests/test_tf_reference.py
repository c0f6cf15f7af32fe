"""tensorflux against results recorded from real TensorFlow (``tests/fixtures/tf_reference.json``).

Each case is an expression string evaluated with ``tf = tensorflux``; the
fixture holds what TensorFlow returned for the same string (values, dtype and
shape), or the class name of the exception it raised. The fixture is written
by ``tests/record_fixtures.py``; this file never imports TensorFlow.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux
from tests.record_fixtures import FIXTURE, evaluate, namespace

_CASES = json.loads(FIXTURE.read_text())["cases"]
_NS = namespace(tensorflux)


def _tolerance(dtype: str) -> dict:
    if dtype in ("float16", "bfloat16"):
        return {"rtol": 1e-3, "atol": 1e-3}
    return {"rtol": 1e-5, "atol": 1e-6}


def _compare(got, want: dict, where: str = "result") -> None:
    if "none" in want:
        assert got is None, f"{where}: expected None, got {got!r}"
    elif "str" in want:
        assert isinstance(got, str), f"{where}: expected a str, got {type(got).__name__}"
        assert got == want["str"]
    elif "py" in want:
        assert type(got).__name__ == want["type"], (
            f"{where}: expected Python {want['type']}, got {type(got).__name__}"
        )
        assert got == pytest.approx(want["py"], rel=1e-6)
    elif "seq" in want:
        assert isinstance(got, (list, tuple)), f"{where}: expected a sequence, got {got!r}"
        assert len(got) == len(want["seq"]), f"{where}: length {len(got)} != {len(want['seq'])}"
        for i, (g, w) in enumerate(zip(got, want["seq"], strict=True)):
            _compare(g, w, f"{where}[{i}]")
    elif "tensor_shape" in want:
        assert type(got).__name__ == "TensorShape", f"{where}: expected a TensorShape, got {got!r}"
        assert (None if got.rank is None else got.as_list()) == want["tensor_shape"]
    else:
        assert hasattr(got, "dtype") and hasattr(got, "numpy"), (
            f"{where}: expected a tensor, got {type(got).__name__}: {got!r}"
        )
        assert got.dtype.name == want["dtype"], (
            f"{where}: dtype {got.dtype.name} != {want['dtype']}"
        )
        arr = np.asarray(got.numpy())
        assert list(arr.shape) == want["shape"], f"{where}: shape {arr.shape} != {want['shape']}"
        expected = np.array(want["value"], dtype=arr.dtype).reshape(want["shape"])
        if arr.dtype.kind in "fc":
            np.testing.assert_allclose(
                arr, expected, equal_nan=True, err_msg=where, **_tolerance(want["dtype"])
            )
        else:
            np.testing.assert_array_equal(arr, expected, err_msg=where)


@pytest.mark.parametrize("case", _CASES, ids=[c["expr"] for c in _CASES])
def test_matches_tensorflow(case):
    expr = case["expr"]
    if case["kind"] == "error":
        with pytest.raises(Exception) as info:
            evaluate(expr, _NS)
        assert type(info.value).__name__ == case["error"], (
            f"TF raises {case['error']}, tensorflux raised {type(info.value).__name__}: "
            f"{info.value}"
        )
        return
    result = evaluate(expr, _NS)
    if case["kind"] == "spec":
        assert result.dtype.name == case["result"]["dtype"]
        assert result.shape.as_list() == case["result"]["shape"]
        return
    _compare(result, case["result"])


def test_fixture_is_broad():
    kinds = {c["kind"] for c in _CASES}
    assert kinds == {"value", "error", "spec"}
    assert len(_CASES) > 400
