"""FusedBatchNormV3 / FusedBatchNormGradV3 (and the older versions) against TF's values,
errors and gradients (``tests/fixtures/fused_batch_norm.json``, recorded by
``record_fused_batch_norm_fixtures.py``), and against finite differences."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import fused_batch_norm_ops
from tensorflux.testing import check_gradients, check_one_graph

DATA = json.loads((Path(__file__).parents[1] / "fixtures" / "fused_batch_norm.json").read_text())
TOL = {"float32": 2e-5, "float16": 2e-2, "bfloat16": 8e-2}
_NEEDS_ML_DTYPES = pytest.mark.skipif(
    importlib.util.find_spec("ml_dtypes") is None, reason="bfloat16 needs ml_dtypes"
)
CASES = [
    pytest.param(c, marks=_NEEDS_ML_DTYPES) if c["dtype"] == "bfloat16" else c
    for c in DATA["forward"]
]


def _case_id(case):
    fmt, training = case["data_format"], "train" if case["is_training"] else "infer"
    return f"{case['dtype']}-{fmt}-{training}-f{case['exponential_avg_factor']}"


def _inputs(case):
    x = tf.cast(tf.constant(np.array(case["x"], np.float32)), case["dtype"])
    vectors = [tf.constant(np.array(case[k], np.float32)) for k in ("scale", "offset")]
    stats = [np.array(case[k], np.float32) for k in ("mean", "variance")]
    return x, *vectors, *stats


def _attrs(case):
    keys = ("epsilon", "exponential_avg_factor", "data_format", "is_training")
    return {k: case[k] for k in keys}


def _close(got, want, tol, what):
    got = np.asarray(tf.cast(got, "float32"))
    np.testing.assert_allclose(got, np.array(want, np.float32), rtol=tol, atol=tol, err_msg=what)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_forward_matches_tf(case):
    outs = tf.raw_ops.FusedBatchNormV3(*(), **dict(zip(["x", "scale", "offset", "mean",
                                       "variance"], _inputs(case))), **_attrs(case))  # fmt: skip
    tol = TOL[case["dtype"]]
    assert outs.y.dtype.name == case["dtype"]
    assert [o.dtype.name for o in outs[1:]] == ["float32"] * 5
    for name in ("y", "batch_mean", "batch_variance"):
        _close(getattr(outs, name), case[name], tol, name)
    if case["is_training"]:
        _close(outs.reserve_space_1, case["reserve_space_1"], tol, "reserve_space_1")
        _close(outs.reserve_space_2, case["reserve_space_2"], tol, "reserve_space_2")
        assert outs.reserve_space_3.shape.as_list() == case["reserve_space_3_shape"]


def _grads(case, fn):
    x, scale, offset, mean, variance = _inputs(case)
    dy = tf.cast(tf.constant(np.array(case["dy"], np.float32)), case["dtype"])
    w_dx, w_ds = (tf.constant(np.array(case[k], np.float32)) for k in ("w_dx", "w_ds"))
    attrs = _attrs(case)

    def run(x, scale, offset):
        with tf.GradientTape(persistent=True) as outer:
            outer.watch([x, scale])
            with tf.GradientTape() as inner:
                inner.watch([x, scale, offset])
                y = fused_batch_norm_ops.fused_batch_norm_v3(
                    x, scale, offset, mean, variance, **attrs
                )[0]
                loss = tf.reduce_sum(tf.cast(y, "float32") * tf.cast(dy, "float32"))
            dx, ds, do = inner.gradient(loss, [x, scale, offset])
            second = tf.reduce_sum(tf.cast(dx, "float32") * w_dx) + tf.reduce_sum(ds * w_ds)
        return (dx, ds, do, *outer.gradient(second, [x, scale]))

    return fn(run)(x, scale, offset)


@pytest.mark.parametrize("mode", ["eager", "function"])
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_gradients_match_tf(case, mode):
    got = _grads(case, (lambda f: f) if mode == "eager" else tf.function)
    tol = TOL[case["dtype"]] * (1 if case["dtype"] == "float32" else 5)
    for g, name in zip(got, ("dx", "dscale", "doffset", "ddx", "ddscale")):
        _close(g, case[name], tol * 10 if name.startswith("dd") else tol, name)


@pytest.mark.parametrize("name", sorted(DATA["errors"]))
def test_forward_errors_match_tf(name):
    entry = DATA["errors"][name]
    kwargs = {k: np.ones((2, 3, 2, 3) if k == "x" else (3,), np.float32) for k in
              ("x", "scale", "offset", "mean", "variance")}  # fmt: skip
    for key, value in entry["change"].items():
        kwargs[key] = np.ones(value, np.float32) if isinstance(value, list) else value
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.raw_ops.FusedBatchNormV3(**kwargs)
    assert entry["message"] in str(info.value)
    assert "FusedBatchNormV3" in str(info.value)


@pytest.mark.parametrize("name", sorted(DATA["grad_errors"]))
def test_gradient_op_errors_match_tf(name):
    entry = DATA["grad_errors"][name]
    kwargs = {
        k: np.ones((2, 3, 2, 3) if k in ("x", "y_backprop") else (3,), np.float32)
        for k in ("y_backprop", "x", "scale", "reserve_space_1", "reserve_space_2",
                  "reserve_space_3")
    }  # fmt: skip
    for key, value in entry["change"].items():
        kwargs[key] = np.ones(value, np.float32) if isinstance(value, list) else value
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.raw_ops.FusedBatchNormGradV3(**kwargs)
    assert entry["message"] in str(info.value)


def test_dtype_errors_name_the_attr():
    x, c = np.ones((1, 1, 1, 2)), np.ones(2, np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'T' of float64"):
        tf.raw_ops.FusedBatchNormV3(x=x, scale=c, offset=c, mean=c, variance=c)
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'U' of half"):
        tf.raw_ops.FusedBatchNormV3(
            x=x.astype(np.float32), scale=c.astype(np.float16), offset=c, mean=c, variance=c
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'T' of float16"):
        tf.raw_ops.FusedBatchNorm(x=x.astype(np.float16), scale=c, offset=c, mean=c, variance=c)


def test_training_needs_no_statistics_and_empty_batches_give_nan():
    x, c, empty = np.ones((2, 1, 1, 3), np.float32), np.ones(3, np.float32), np.zeros(0, "f")
    outs = tf.raw_ops.FusedBatchNormV3(x=x, scale=c, offset=c, mean=empty, variance=empty)
    assert outs.batch_mean.numpy().tolist() == [1.0] * 3
    zero = np.zeros((0, 2, 2, 3), np.float32)
    outs = tf.raw_ops.FusedBatchNormV3(
        x=zero, scale=c, offset=c, mean=c, variance=c, exponential_avg_factor=0.5
    )
    assert outs.y.shape == (0, 2, 2, 3) and np.isnan(outs.batch_variance.numpy()).all()


def test_older_versions_share_the_kernels():
    rng = np.random.default_rng(3)
    x, c = rng.standard_normal((2, 2, 2, 3)).astype(np.float32), np.ones(3, np.float32)
    v3 = tf.raw_ops.FusedBatchNormV3(x=x, scale=c, offset=c, mean=c, variance=c)
    for op in (tf.raw_ops.FusedBatchNorm, tf.raw_ops.FusedBatchNormV2):
        outs = op(x=x, scale=c, offset=c, mean=c, variance=c)
        assert len(outs) == 5
        for a, b in zip(outs, v3[:5]):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
    saved = {"reserve_space_1": v3[3], "reserve_space_2": v3[4]}
    g3 = tf.raw_ops.FusedBatchNormGradV3(y_backprop=x, x=x, scale=c, reserve_space_3=v3[5], **saved)
    for op in (tf.raw_ops.FusedBatchNormGrad, tf.raw_ops.FusedBatchNormGradV2):
        outs = op(y_backprop=x, x=x, scale=c, **saved)
        assert [o.shape.as_list() for o in outs] == [[2, 2, 2, 3], [3], [3], [0], [0]]
        for a, b in zip(outs[:3], g3[:3]):
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def _f32(fn):
    """The ops take no float64: finite differences run through a float32 cast."""

    def wrapped(*args):
        outs = fn(*(tf.cast(a, "float32") for a in args))
        return [tf.cast(o, "float64") for o in outs]

    return wrapped


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
@pytest.mark.parametrize("is_training", [True, False])
def test_gradients_match_finite_differences(data_format, is_training):
    rng = np.random.default_rng(5)
    shape = (2, 3, 2, 2) if data_format == "NCHW" else (2, 2, 2, 3)
    x = rng.standard_normal(shape)
    scale, offset = rng.uniform(0.5, 1.5, 3), rng.standard_normal(3)
    mean, variance = np.float32([0.1, -0.2, 0.3]), np.float32([1.0, 0.7, 1.3])

    def fn(x, scale, offset):
        out = fused_batch_norm_ops.fused_batch_norm_v3(
            x, scale, offset, mean, variance, 1e-3, 1.0, data_format, is_training
        )
        return [out[0]]

    check_gradients(_f32(fn), [x, scale, offset], rtol=2e-2, atol=2e-2, eps=1e-2, order=2)


def test_unknown_batch_in_one_graph():
    c = np.float32([1.0, 2.0])

    def fn(x):
        return fused_batch_norm_ops.fused_batch_norm_v3(x, c, c, c, c)[:3]

    signature = [tf.TensorSpec([None, 2, None, 2], tf.float32)]
    rng = np.random.default_rng(0)
    calls = [(rng.standard_normal((n, 2, w, 2)).astype(np.float32),) for n, w in ((1, 3), (4, 1))]
    f = check_one_graph(fn, signature, calls)
    traced = f.get_concrete_function().structured_outputs
    assert [o.shape.as_list() for o in traced] == [[None, 2, None, 2], [2], [2]]
