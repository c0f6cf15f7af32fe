"""Segment reductions and the other tf.math / tf.nn functions of the mathx group: values,
dtypes, gradients and errors against TF fixtures (tests/ops/record_mathx_fixtures.py),
eager and inside tf.function; finite-difference gradients in float64."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients, check_one_graph

with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "mathx_ops.json")) as f:
    FIXTURES = json.load(f)

_ERRORS = {
    "InvalidArgumentError": tf.errors.InvalidArgumentError,
    "ValueError": ValueError,
    "TypeError": TypeError,
    "NotFoundError": tf.errors.NotFoundError,
}


def decode(d):
    return np.array(d["v"], dtype=d["dtype"]).reshape(d["shape"])


def _assert_close(got, want, what):
    rtol = 1e-9 if want.dtype == np.float64 else 2e-5
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, TF gives {want.dtype}"
    assert got.shape == want.shape, f"{what}: shape {got.shape}, TF gives {want.shape}"
    if want.dtype.kind in "iub":
        np.testing.assert_array_equal(got, want, err_msg=what)
        return
    finite = np.abs(want[np.isfinite(want)])
    scale = max(1.0, float(np.max(finite, initial=0.0)))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale, err_msg=what)


VALUE_IDS = [f"{i}:{c['expr']}" for i, c in enumerate(FIXTURES["values"])]


@pytest.mark.parametrize("case", FIXTURES["values"], ids=VALUE_IDS)
def test_values_and_gradients_match_tf(case):
    inputs = {k: tf.constant(decode(v)) for k, v in case["inputs"].items()}
    env = {"tf": tf, **inputs}
    want = decode(case["out"])
    floats = [k for k, v in inputs.items() if v.dtype.is_floating]
    with tf.GradientTape() as tape:
        tape.watch([inputs[k] for k in floats])
        out = eval(case["expr"], env)  # noqa: S307 - the fixture's own expressions
    _assert_close(out.numpy(), want, case["expr"])
    if "grads" not in case:
        return
    grads = tape.gradient(
        out, [inputs[k] for k in floats], output_gradients=tf.constant(decode(case["w"]))
    )
    for name, g in zip(floats, grads):
        if case["grads"][name] is None:
            assert g is None, f"TF gives no gradient for {name} of {case['expr']}"
            continue
        _assert_close(g.numpy(), decode(case["grads"][name]), f"d/d{name} of {case['expr']}")


# confusion_matrix learns the class count from the labels' values: eager only.
_TRACED = [c for c in FIXTURES["values"] if c["expr"] != "tf.math.confusion_matrix(x, y)"]


@pytest.mark.parametrize("case", _TRACED, ids=[f"{i}:{c['expr']}" for i, c in enumerate(_TRACED)])
def test_values_inside_tf_function(case):
    inputs = {k: tf.constant(decode(v)) for k, v in case["inputs"].items()}
    names = sorted(inputs)

    def fn(*args):
        return eval(case["expr"], {"tf": tf, **dict(zip(names, args))})  # noqa: S307

    out = tf.function(fn)(*[inputs[k] for k in names])
    _assert_close(out.numpy(), decode(case["out"]), case["expr"])


@pytest.mark.parametrize(
    "case", FIXTURES["errors"], ids=[f"{i}:{c['expr']}" for i, c in enumerate(FIXTURES["errors"])]
)
def test_errors_match_tf(case):
    env = {"tf": tf, **{k: tf.constant(decode(v)) for k, v in case["inputs"].items()}}
    with pytest.raises(_ERRORS[case["error"]]):
        eval(case["expr"], env)  # noqa: S307


# -- finite differences, float64 ----------------------------------------------------

_rng = np.random.default_rng(7)


def _r(*shape):
    return _rng.normal(size=shape)


@pytest.mark.parametrize("name", ["segment_max", "segment_min", "segment_prod", "segment_mean"])
def test_sorted_segment_gradients(name):
    ids = tf.constant([0, 0, 2, 2, 2, 3])
    check_gradients(lambda x: getattr(tf.math, name)(x, ids), [_r(6, 2)])


@pytest.mark.parametrize(
    "name",
    [
        "unsorted_segment_max",
        "unsorted_segment_min",
        "unsorted_segment_prod",
        "unsorted_segment_mean",
        "unsorted_segment_sqrt_n",
    ],
)
def test_unsorted_segment_gradients(name):
    # Every segment gets a row: an empty max/min segment holds +-FLT_MAX, which the
    # weighted sum of the check would overflow.
    ids = tf.constant([[2, 0], [-1, 1], [2, 0]])
    check_gradients(lambda x: getattr(tf.math, name)(x, ids, 3), [_r(3, 2, 2)])


def test_segment_prod_second_order():
    ids = tf.constant([0, 1, 1, 1])
    check_gradients(lambda x: tf.math.segment_prod(x, ids), [_r(4, 2)], order=2)
    check_gradients(lambda x: tf.math.unsorted_segment_prod(x, ids, 3), [_r(4, 2)], order=2)
    check_gradients(lambda x: tf.math.segment_mean(x, ids), [_r(4, 2)], order=2)


def test_sorted_segment_ops_with_unknown_rows_in_one_graph():
    ids = [0, 0, 1, 3]
    check_one_graph(
        lambda x: tf.math.segment_max(x, ids) + tf.math.segment_mean(x, ids),
        [tf.TensorSpec([None, 2], tf.float32)],
        [[_r(4, 2).astype(np.float32)], [_r(4, 2).astype(np.float32)]],
    )


def test_xlog1py_and_logsumexp_gradients():
    check_gradients(tf.math.xlog1py, [_r(2, 3), np.abs(_r(3))], order=2)
    check_gradients(lambda x: tf.math.cumulative_logsumexp(x, axis=1), [_r(2, 4)], order=2)
    check_gradients(
        lambda x: tf.math.cumulative_logsumexp(x, exclusive=True, reverse=True)[:-1], [_r(4)]
    )


def test_composite_math_gradients():
    check_gradients(tf.math.lbeta, [np.abs(_r(2, 3)) + 0.5], order=2)
    check_gradients(lambda a, x: tf.math.polyval([a, 2.0, a], x), [_r(3), _r(3)], order=2)
    check_gradients(tf.math.reciprocal_no_nan, [np.abs(_r(3)) + 0.5])


def test_approx_min_k_is_exact_on_cpu():
    # TF 2.21 has no CPU kernel for approx_min_k; it is the exact k smallest here.
    x = _r(3, 6).astype(np.float32)
    values, indices = tf.math.approx_min_k(x, 2)
    np.testing.assert_array_equal(indices.numpy(), np.argsort(x, axis=-1)[:, :2])
    np.testing.assert_array_equal(values.numpy(), np.sort(x, axis=-1)[:, :2])
    assert indices.dtype == tf.int32


def test_nn_composite_gradients():
    check_gradients(tf.nn.crelu, [_r(2, 3)], order=2)
    check_gradients(
        lambda z, x: tf.nn.weighted_cross_entropy_with_logits(z, x, 1.7),
        [np.abs(_r(2, 3)) % 1, _r(2, 3)],
        order=2,
    )
    check_gradients(
        lambda z, c: tf.nn.log_poisson_loss(z, c, compute_full_loss=True),
        [np.abs(_r(5)) + 0.2, _r(5)],
    )
    check_gradients(lambda x: tf.nn.sufficient_statistics(x, [0], shift=0.5)[2], [_r(3, 2)])
    check_gradients(
        lambda m, v: tf.nn.normalize_moments(4.0, m, v, None)[1], [_r(3), np.abs(_r(3)) + 3]
    )
    check_gradients(
        lambda x, w: tf.nn.weighted_moments(x, [0], w)[1], [_r(4, 2), np.abs(_r(4, 2)) + 0.5]
    )
    check_gradients(lambda x: tf.nn.space_to_depth(x, 2), [_r(1, 4, 2, 3)])
    check_gradients(lambda x: tf.nn.depth_to_space(x, 2), [_r(1, 1, 2, 8)])
    check_gradients(lambda x, w: tf.nn.compute_average_loss(x, sample_weight=w), [_r(4), _r(4)])


def test_space_to_depth_with_unknown_batch_in_one_graph():
    check_one_graph(
        lambda x: tf.nn.depth_to_space(tf.nn.space_to_depth(x, 2), 2),
        [tf.TensorSpec([None, 4, 2, 1], tf.float32)],
        [[_r(2, 4, 2, 1).astype(np.float32)], [_r(3, 4, 2, 1).astype(np.float32)]],
    )


@pytest.mark.parametrize(
    "fn, x",
    [
        (tf.math.erfinv, [-0.9, -0.2, 0.05, 0.6, 0.97]),
        (tf.math.ndtri, [0.05, 0.3, 0.5, 0.8, 0.9]),
        (tf.math.erfcinv, [0.05, 0.7, 1.0, 1.6]),
        # Not at 0: the gradient of I1 there is TF's 1, not the true 0.5 (see the fixtures).
        (tf.math.bessel_i0, [-3.0, -0.4, 0.2, 0.7, 2.5]),
        (tf.math.bessel_i0e, [-3.0, -0.4, 0.7, 2.5, 31.0]),
        (tf.math.bessel_i1, [-3.0, -0.4, 0.7, 2.5, 4.0]),
        (tf.math.bessel_i1e, [-3.0, -0.4, 0.7, 2.5, 31.0]),
    ],
)
def test_special_function_gradients(fn, x):
    check_gradients(fn, [np.array(x)], order=2)


def test_zeta_and_polygamma_gradients():
    x = tf.constant([2.0, 3.5, 4.0], tf.float64)
    check_gradients(lambda q: tf.math.zeta(x, q), [np.array([0.7, 2.0, 9.5])], order=2)
    n = tf.constant([0.0, 1.0, 2.0], tf.float64)
    check_gradients(lambda v: tf.math.polygamma(n, v), [np.array([0.7, 3.0, 2.5])], order=2)


def test_incomplete_gamma_and_beta_gradients():
    a, x = np.array([0.7, 2.5, 4.0, 6.0]), np.array([0.3, 3.0, 1.5, 9.0])
    check_gradients(tf.math.igamma, [a, x], rtol=1e-4, atol=1e-6)
    check_gradients(tf.math.igammac, [a, x], rtol=1e-4, atol=1e-6)
    a, b = tf.constant([2.0, 0.7, 6.0], tf.float64), tf.constant([3.0, 1.5, 2.5], tf.float64)
    check_gradients(lambda z: tf.math.betainc(a, b, z), [np.array([0.3, 0.6, 0.8])], order=2)


def test_space_to_batch_round_trip_and_gradients():
    x = _r(2, 4, 2, 3)
    blocks = tf.space_to_batch(x, [2, 2], [[0, 0], [1, 1]])
    back = tf.batch_to_space(blocks, [2, 2], [[0, 0], [1, 1]])
    np.testing.assert_array_equal(back.numpy(), x)
    check_gradients(lambda v: tf.space_to_batch(v, [2, 2], [[0, 0], [1, 1]]), [x])
    check_gradients(lambda v: tf.batch_to_space(v, [3], [[1, 2]]), [_r(3, 3, 2)])


def test_cumulative_logsumexp_far_apart_values():
    x = np.array([-1000.0, 0.0, 800.0])
    np.testing.assert_allclose(
        tf.math.cumulative_logsumexp(x).numpy(), [-1000.0, 0.0, 800.0], rtol=1e-12
    )
    check_gradients(lambda v: tf.math.cumulative_logsumexp(v, reverse=True), [_r(5) * 30], order=2)
