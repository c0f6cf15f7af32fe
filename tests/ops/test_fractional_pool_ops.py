"""tf.nn.fractional_max_pool / fractional_avg_pool against TensorFlow fixtures
(``record_fractional_pool_fixtures.py``): TF's region sequences for a seed (random and
pseudo-random, overlapping or not), pooled values and gradients, eager and inside
tf.function."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients, check_one_graph
from tests.ops.record_fractional_pool_fixtures import CASES, FIXTURE

RECORD = json.loads(FIXTURE.read_text())
FNS = {"max": tf.nn.fractional_max_pool, "avg": tf.nn.fractional_avg_pool}


@pytest.fixture(autouse=True)
def _no_global_seed():
    yield
    tf.random.set_seed(None)


def _ratio(kind, ratio):
    return [1.0, ratio, ratio, 1.0] if kind == "avg" and not isinstance(ratio, list) else ratio


@pytest.mark.parametrize("i", range(len(CASES)))
@pytest.mark.parametrize("kind", sorted(FNS))
@pytest.mark.parametrize("traced", [False, True])
def test_regions_values_and_gradients_match_tf(i, kind, traced):
    _, ratio, pseudo, overlapping, seed, global_seed = CASES[i]
    want = RECORD["cases"][i][kind]
    tf.random.set_seed(global_seed)

    def run(x, w):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y, rows, cols = FNS[kind](x, _ratio(kind, ratio), pseudo, overlapping, seed)
        return y, rows, cols, tape.gradient(y, x, output_gradients=w)

    run = tf.function(run) if traced else run
    y, rows, cols, g = run(tf.constant(RECORD["cases"][i]["x"], tf.float32), tf.constant(want["w"]))
    assert rows.numpy().tolist() == want["rows"] == want["again_rows"]
    assert cols.numpy().tolist() == want["cols"] and rows.dtype == tf.int64
    np.testing.assert_array_equal(y.numpy(), np.float32(want["y"]))
    np.testing.assert_allclose(g.numpy(), want["g"], atol=1e-6)


@pytest.mark.parametrize("kind", sorted(FNS))
def test_gradients_match_finite_differences(kind):
    x = np.random.default_rng(3).standard_normal([1, 7, 6, 2])

    def fn(x):
        return FNS[kind](x, [1.0, 1.5, 1.4, 1.0], True, True, seed=2)[0]

    check_gradients(fn, [x])


def test_integer_inputs_and_errors_match_tf():
    x = tf.reshape(tf.range(36, dtype=tf.int32), [1, 6, 6, 1])
    assert tf.nn.fractional_max_pool(x, 1.5, seed=4)[0].numpy().tolist() == RECORD["int_max"]
    avg = tf.nn.fractional_avg_pool(x, [1, 1.5, 1.5, 1], seed=4)[0]
    assert avg.dtype == tf.int32 and avg.numpy().tolist() == RECORD["int_avg"]
    with pytest.raises(TypeError) as info:
        tf.nn.fractional_avg_pool(x, 1.5, seed=4)
    assert str(info.value) == RECORD["avg_scalar_ratio"]
    with pytest.raises(ValueError, match="first and last elements with value 1.0"):
        tf.nn.fractional_max_pool(x, [2.0, 1.5, 1.5, 1.0])
    with pytest.raises(ValueError, match="should be >= 1.0"):
        tf.nn.fractional_max_pool(x, 0.5)


def test_seed_zero_draws_valid_regions():
    out, rows, cols = tf.nn.fractional_max_pool(tf.ones([1, 9, 7, 1]), 1.7)
    steps = np.diff(rows.numpy())
    assert out.shape == [1, 5, 4, 1] and set(steps.tolist()) <= {1, 2}
    assert rows.numpy()[-1] == 9 and cols.numpy()[-1] == 7


def test_unknown_batch_traces_once():
    rng = np.random.default_rng(5)
    check_one_graph(
        lambda x: tf.nn.fractional_max_pool(x, 1.5, seed=3)[0],
        [tf.TensorSpec([None, 6, 6, 1], tf.float32)],
        [(rng.standard_normal([n, 6, 6, 1]).astype(np.float32),) for n in (1, 2)],
    )
