"""Ragged tensors, tf.strings and tf.lookup against values recorded from TensorFlow
(tests/ragged/record_ragged_fixtures.py writes the fixture)."""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tests.ragged.record_ragged_fixtures import describe, write_vocab_files

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ragged_strings_lookup.json"
CASES = json.loads(FIXTURE.read_text())


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    return write_vocab_files(tmp_path_factory.mktemp("vocab"))


def _close(got, want) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(_close, got, want))
    if isinstance(want, dict) and "float" in want:
        return isinstance(got, dict) and got == want
    if isinstance(want, float):
        return isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-6)
    return got == want


def _same(got: dict, want: dict, expr: str) -> None:
    if want["kind"] == "tuple":
        assert got["kind"] == "tuple" and len(got["items"]) == len(want["items"]), expr
        for g, w in zip(got["items"], want["items"]):
            _same(g, w, expr)
        return
    assert got["kind"] == want["kind"], (expr, got)
    for key in ("dtype", "splits_dtype", "shape"):
        assert got.get(key) == want.get(key), (expr, key, got)
    assert _close(got["value"], want["value"]), (expr, got["value"], want["value"])


@pytest.mark.parametrize("case", CASES, ids=[c["expr"][:70] for c in CASES])
def test_matches_tensorflow(case, names):
    want = case["tf"]
    expr = case["expr"]
    if "error" in want:
        with pytest.raises(Exception) as info:
            eval(expr, {"tf": tf, **names})  # noqa: S307 - our own case table
        assert type(info.value).__name__ == want["error"], (expr, info.value)
        return
    got = describe(tf, eval(expr, {"tf": tf, **names}))  # noqa: S307
    if expr.endswith(".export()"):
        # A hash table exports in its own hash order: compare as pairs.
        pairs = sorted(zip(*(i["value"] for i in got["items"])), key=repr)
        assert pairs == sorted(zip(*(i["value"] for i in want["items"])), key=repr)
        return
    _same(got, want, expr)


def test_numpy_rows_are_arrays():
    rows = tf.ragged.constant([[1, 2], [3]]).numpy()
    assert rows.dtype == object
    np.testing.assert_array_equal(rows[0], [1, 2])
