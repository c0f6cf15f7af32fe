"""Uniform row lengths and multi-ragged reductions against values recorded from
TensorFlow (tests/ragged/record_ragged_uniform_fixtures.py writes the fixture)."""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients
from tests.ragged.record_ragged_uniform_fixtures import describe

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ragged_uniform.json"
RECORDED = json.loads(FIXTURE.read_text())


def _close(got, want) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(_close, got, want))
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    if isinstance(want, float):
        return isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-6)
    return got == want and type(got) is type(want)


def _same(got: dict, want: dict, expr: str) -> None:
    if want["kind"] == "tuple":
        assert got["kind"] == "tuple" and len(got["items"]) == len(want["items"]), expr
        for g, w in zip(got["items"], want["items"]):
            _same(g, w, expr)
        return
    assert {k: v for k, v in got.items() if k != "value"} == {
        k: v for k, v in want.items() if k != "value"
    }, expr
    assert _close(got["value"], want["value"]), (expr, got["value"], want["value"])


@pytest.mark.parametrize("case", RECORDED["eager"], ids=[c["expr"][:80] for c in RECORDED["eager"]])
def test_eager_matches_tensorflow(case):
    want, expr = case["tf"], case["expr"]
    if "error" in want:
        with pytest.raises(Exception) as info:
            eval(expr, {"tf": tf})  # noqa: S307 - our own case table
        assert type(info.value).__name__ == want["error"], (expr, info.value)
        assert str(info.value).split("\n")[0] == want["message"], expr
        return
    _same(describe(tf, eval(expr, {"tf": tf})), want, expr)  # noqa: S307


@pytest.mark.parametrize("case", RECORDED["graph"], ids=[c["expr"][:80] for c in RECORDED["graph"]])
def test_in_function_matches_tensorflow(case):
    expr = case["expr"]
    got = tf.function(lambda: eval(expr, {"tf": tf}))()  # noqa: S307
    _same(describe(tf, got), case["tf"], expr)


def test_uniform_row_length_survives_function_boundaries():
    rt = tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5, 6], 2)
    seen = []

    @tf.function
    def identity(r):
        seen.append(r.shape.as_list())
        return r

    out = identity(rt)
    assert seen == [[3, 2]]
    assert out.shape.as_list() == [3, 2] and int(out.uniform_row_length) == 2


def test_traced_length_leaves_the_dimension_unknown():
    shapes = []

    @tf.function
    def rows(values, length):
        rt = tf.RaggedTensor.from_uniform_row_length(values, length)
        shapes.append(rt.shape.as_list())
        return rt.to_tensor()

    out = rows(tf.constant([1, 2, 3, 4]), tf.constant(2, tf.int64))
    np.testing.assert_array_equal(out.numpy(), [[1, 2], [3, 4]])
    assert shapes == [[None, None]]


def test_gradient_reaches_values():
    x = tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        rt = tf.RaggedTensor.from_uniform_row_length(x, 2)
        y = tf.reduce_sum(rt.to_tensor() * tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64))
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("kind", ["sum", "mean", "max", "min", "prod"])
@pytest.mark.parametrize("axis", [0, 1])
def test_outer_axis_reduction_gradients(kind, axis):
    splits = [[0, 2, 3, 3, 6], [0, 2, 3, 4, 7, 7, 8]]
    values = np.array([1.0, 2.5, 3.0, 4.0, 5.5, 6.0, 7.0, 8.5])
    reduce = getattr(tf, f"reduce_{kind}")

    def fn(v):
        rt = tf.RaggedTensor.from_nested_row_splits(v, splits)
        return reduce(rt, axis=axis).flat_values

    check_gradients(fn, [values])
