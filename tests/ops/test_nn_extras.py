"""tf.nn.embedding_lookup_sparse, safe_embedding_lookup_sparse,
batch_norm_with_global_normalization, conv_transpose, with_space_to_batch and
isotonic_regression against TensorFlow fixtures (``record_nn_extras_fixtures.py``):
values and gradients, eager and inside tf.function."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients, check_one_graph
from tests.ops.record_nn_extras_fixtures import FIXTURE, IDS, PARAMS, SAFE_IDS, WEIGHTS

RECORD = json.loads(FIXTURE.read_text())


def _sparse(d):
    return tf.SparseTensor(d["indices"], tf.constant(d["values"], tf.int64), d["dense_shape"])


def _check(fn, xs, want, traced=False, atol=1e-12):
    xs = [tf.constant(x, tf.float64) for x in xs]

    def run(*xs):
        with tf.GradientTape() as tape:
            tape.watch(xs)
            y = fn(*xs)
        return y, tape.gradient(y, list(xs), output_gradients=tf.constant(want["w"], tf.float64))

    y, grads = (tf.function(run) if traced else run)(*xs)
    np.testing.assert_allclose(y.numpy(), want["y"], atol=atol)
    for g, w in zip(grads, want["grads"]):
        if w is None:
            assert g is None
        else:
            np.testing.assert_allclose(tf.convert_to_tensor(g).numpy(), w, atol=atol)


def _lookup(case, safe):
    ids = _sparse(SAFE_IDS if safe else IDS)

    def fn(p, w=None):
        sw = tf.SparseTensor(ids.indices, w, ids.dense_shape) if case["weighted"] else None
        if safe:
            return tf.nn.safe_embedding_lookup_sparse(p, ids, sw, case["combiner"],
                                                      case["default_id"])  # fmt: skip
        return tf.nn.embedding_lookup_sparse(p, ids, sw, case["combiner"], case["max_norm"])

    return fn, [PARAMS] + ([np.array(WEIGHTS)] if case["weighted"] else [])


@pytest.mark.parametrize("i", range(len(RECORD["lookup"])))
def test_embedding_lookup_sparse_matches_tf(i):
    fn, xs = _lookup(RECORD["lookup"][i], safe=False)
    _check(fn, xs, RECORD["lookup"][i])


@pytest.mark.parametrize("i", range(len(RECORD["safe"])))
def test_safe_embedding_lookup_sparse_matches_tf(i):
    fn, xs = _lookup(RECORD["safe"][i], safe=True)
    _check(fn, xs, RECORD["safe"][i])


def test_embedding_lookups_in_tf_function_and_finite_differences():
    case = RECORD["lookup"][-1]  # sqrtn, weighted, max_norm
    fn, xs = _lookup(case, safe=False)
    _check(fn, xs, case, traced=True)
    check_gradients(fn, xs)
    fn, xs = _lookup(RECORD["safe"][-3], safe=True)
    check_gradients(fn, xs)


def test_safe_lookup_keeps_leading_dimensions_and_combiner_errors():
    ids3 = tf.SparseTensor([[0, 0, 0], [0, 1, 1], [1, 1, 0]], tf.constant([2, 3, 1], tf.int64),
                           [2, 2, 2])  # fmt: skip
    np.testing.assert_allclose(
        tf.nn.safe_embedding_lookup_sparse(PARAMS, ids3).numpy(), RECORD["safe3d"]
    )
    with pytest.raises(ValueError, match=RECORD["bad_combiner"]["message"]):
        tf.nn.embedding_lookup_sparse(PARAMS, _sparse(IDS), None, "max")
    with pytest.raises(TypeError, match="sp_ids must be SparseTensor"):
        tf.nn.embedding_lookup_sparse(PARAMS, [[1]], None)


@pytest.mark.parametrize("scale", [False, True])
def test_batch_norm_with_global_normalization_matches_tf(scale):
    rng = np.random.default_rng(2)
    xs = [rng.uniform(0.2, 2, s).round(3) for s in ([2, 3, 4], [4], [4], [4], [4])]
    fn = lambda *a: tf.nn.batch_norm_with_global_normalization(*a, 0.001, scale)  # noqa: E731
    _check(fn, xs, RECORD[f"bn_scale_{scale}"])
    check_gradients(fn, xs)


@pytest.mark.parametrize("i", range(len(RECORD["conv_transpose"])))
def test_conv_transpose_dispatches_like_tf(i):
    c = RECORD["conv_transpose"][i]

    def fn(x, f):
        return tf.nn.conv_transpose(x, f, c["output_shape"], c["strides"], c["padding"])

    _check(fn, [c["x"], c["f"]], c, traced=i == 1, atol=1e-10)


def test_conv_transpose_rejects_bad_output_shapes():
    with pytest.raises(ValueError, match="must be of length 3, 4 or 5"):
        tf.nn.conv_transpose(tf.ones([1, 2]), tf.ones([1, 1]), [1, 2], 1)
    with pytest.raises(ValueError, match="must be a tensor or sized collection"):
        tf.nn.conv_transpose(tf.ones([1, 2, 1]), tf.ones([1, 1, 1]), 3, 1)


def _conv_op(f):
    def op(inp, num_spatial_dims, padding):
        return tf.nn.convolution(inp, tf.constant(f, inp.dtype), padding=padding)

    return op


@pytest.mark.parametrize("padding", ["VALID", "SAME"])
def test_with_space_to_batch_matches_tf(padding):
    op = _conv_op(RECORD["wstb_f"])
    fn = lambda a: tf.nn.with_space_to_batch(a, [2, 2], padding, op, [3, 3])  # noqa: E731
    _check(fn, [RECORD["wstb_x"]], RECORD[f"wstb_{padding}"], traced=padding == "SAME",
           atol=1e-10)  # fmt: skip
    check_gradients(fn, [np.asarray(RECORD["wstb_x"])])
    pool = tf.nn.with_space_to_batch(
        tf.constant(RECORD["wstb_x"], tf.float32), [2, 1], "SAME",
        lambda inp, num_spatial_dims, padding: tf.nn.max_pool2d(inp, 2, 1, padding), [2, 2],
    )  # fmt: skip
    np.testing.assert_allclose(pool.numpy(), RECORD["wstb_pool"])


def test_with_space_to_batch_errors():
    x = tf.ones([1, 4, 4, 1])
    with pytest.raises(ValueError, match="`filter_shape` must be specified"):
        tf.nn.with_space_to_batch(x, [2, 2], "SAME", lambda a, n, p: a)
    with pytest.raises(ValueError, match="`dilation_rate` must be positive"):
        tf.nn.with_space_to_batch(x, [0, 2], "VALID", lambda a, n, p: a)
    ones = tf.nn.with_space_to_batch(x, [1, 1], "SAME", lambda a, n, p: (a, n, p))
    assert ones[1:] == (2, "SAME")


@pytest.mark.parametrize("i", range(len(RECORD["isotonic"])))
def test_isotonic_regression_matches_tf(i):
    c = RECORD["isotonic"][i]

    def fn(x):
        return tf.nn.isotonic_regression(x, c["decreasing"], c["axis"])[0]

    y, seg = tf.nn.isotonic_regression(tf.constant(c["input"], tf.float32), c["decreasing"],
                                       c["axis"])  # fmt: skip
    assert y.dtype == tf.float32 and seg.dtype.name == c["segments_dtype"]
    assert seg.numpy().tolist() == c["segments"]
    np.testing.assert_allclose(y.numpy(), c["f32"], rtol=1e-6)
    if np.ndim(c["input"]) == 2:  # TF's gradient of a 1-D input comes back 2-D: not matched
        _check(fn, [c["input"]], c, traced=i == 1)
    jitter = np.random.default_rng(i).uniform(-0.01, 0.01, np.shape(c["input"]))
    check_gradients(fn, [np.asarray(c["input"]) + jitter])  # away from ties (kinks)


def test_isotonic_regression_of_integers_is_float64():
    assert tf.nn.isotonic_regression([[3, 1, 2]])[0].dtype.name == RECORD["isotonic_int"]


def test_isotonic_regression_traces_once_for_unknown_rows():
    rng = np.random.default_rng(4)
    check_one_graph(
        lambda x: tf.nn.isotonic_regression(x)[0],
        [tf.TensorSpec([None, None], tf.float32)],
        [(rng.standard_normal([n, 4]).astype(np.float32),) for n in (1, 3)],
    )
