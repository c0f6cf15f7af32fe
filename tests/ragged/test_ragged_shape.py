"""``tf.shape`` of ragged tensors (``tf.experimental.DynamicRaggedShape``) and the ops that
take such a shape, against values recorded from TensorFlow
(tests/ragged/record_ragged_shape_fixtures.py writes the fixture)."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tests.ragged.record_ragged_shape_fixtures import as_json, describe, run_graph_case

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ragged_shape.json"
RECORDED = json.loads(FIXTURE.read_text())


def _ids(cases):
    return [c["expr"][:90] for c in cases]


@pytest.mark.parametrize("case", RECORDED["eager"], ids=_ids(RECORDED["eager"]))
def test_eager_matches_tensorflow(case):
    want, expr = case["tf"], case["expr"]
    if "error" in want:
        with pytest.raises(Exception) as info:
            eval(expr, {"tf": tf})  # noqa: S307 - our own case table
        assert type(info.value).__name__ == want["error"], (expr, info.value)
        assert str(info.value).split("\n")[0] == want["message"], expr
        return
    assert as_json(describe(tf, eval(expr, {"tf": tf}))) == want, expr  # noqa: S307


@pytest.mark.parametrize("case", RECORDED["type_only"], ids=_ids(RECORDED["type_only"]))
def test_error_class_matches_tensorflow(case):
    with pytest.raises(Exception) as info:
        eval(case["expr"], {"tf": tf})  # noqa: S307
    assert type(info.value).__name__ == case["tf"]["error"]


@pytest.mark.parametrize(
    "case", RECORDED["graph"], ids=[f"{c['arg'][:40]}-{c['returned']}" for c in RECORDED["graph"]]
)
def test_in_function_matches_tensorflow(case):
    got = run_graph_case(tf, case["arg"], case["traced"], case["returned"])
    assert got == case["tf"], case


def test_dense_shape_is_still_a_tensor():
    out = tf.shape(tf.zeros([2, 3]))
    assert isinstance(out, tf.Tensor) and out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [2, 3])


def test_one_trace_serves_ragged_arguments_of_other_lengths():
    traces = []

    @tf.function
    def fn(x):
        traces.append(repr(tf.shape(x)))
        return tf.ones(tf.shape(x), tf.int32) * 2

    first = fn(tf.ragged.constant([[1, 2], [3]]))
    second = fn(tf.ragged.constant([[1], [2, 3, 4]]))
    assert traces == ["<DynamicRaggedShape lengths=[2, None] num_row_partitions=1>"]
    assert first.to_list() == [[2, 2], [2]] and second.to_list() == [[2], [2, 2, 2]]


def test_gradient_flows_through_broadcast_to_a_ragged_shape():
    x = tf.constant([[1.0], [2.0]], tf.float64)
    target = tf.shape(tf.ragged.constant([[1, 2, 3], [4]]))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.broadcast_to(x, target).flat_values * 2.0)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [[6.0], [2.0]])
