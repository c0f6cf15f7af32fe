"""oneDNN fused batch norm kernels against the NumPy reference kernels on a table of
cases, and the cases left to the reference."""

import importlib.util
import platform
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux import kernels
from tensorflux.kernels.onednn import _library, support

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() == "x86_64"),
    reason="the oneDNN backend is installed on Linux x86-64 only",
)

OPS = (
    "FusedBatchNorm",
    "FusedBatchNormV2",
    "FusedBatchNormV3",
    "FusedBatchNormGrad",
    "FusedBatchNormGradV2",
    "FusedBatchNormGradV3",
)

# (x shape, data_format, is_training, epsilon, exponential_avg_factor)
CASES = [
    ((2, 5, 4, 3), "NHWC", True, 1e-3, 1.0),
    ((2, 5, 4, 3), "NHWC", True, 1e-3, 0.01),
    ((2, 5, 4, 3), "NHWC", False, 1e-3, 1.0),
    ((8, 6, 6, 32), "NHWC", True, 1e-4, 0.1),  # SIMD-wide channel blocks
    ((3, 4, 4, 17), "NHWC", False, 1e-5, 1.0),  # channels off the SIMD width
    ((1, 1, 1, 5), "NHWC", True, 1e-3, 1.0),  # one value per channel
    ((2, 3, 2, 4, 6), "NDHWC", True, 1e-3, 0.5),
    ((2, 3, 2, 4, 6), "NDHWC", False, 1e-3, 1.0),
    ((2, 2, 3, 2, 4), "NHWC", True, 1e-3, 1.0),  # 5-D under TF's 4-D name
]


def _batch_norm():
    if _library.library() is None:
        pytest.fail(f"libdnnl did not load: {_library.load_error()}")
    from tensorflux.kernels.onednn import batch_norm

    return batch_norm


def _close(actual, expected):
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=2e-5, atol=2e-5 * scale)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_forward_and_gradient_match_the_reference(case):
    batch_norm = _batch_norm()
    shape, data_format, is_training, epsilon, factor = case
    rng = np.random.default_rng(sum(shape))
    c = shape[-1]
    x = (rng.standard_normal(shape) * 3 + 1).astype(np.float32)
    scale, offset = rng.uniform(0.5, 2, c).astype("f"), rng.standard_normal(c).astype("f")
    mean, var = rng.standard_normal(c).astype("f"), rng.uniform(0.5, 2, c).astype("f")
    attrs = {
        "epsilon": epsilon,
        "exponential_avg_factor": factor,
        "data_format": data_format,
        "is_training": is_training,
    }
    args = (x, scale, offset, mean, var)
    assert support.fused_batch_norm_supports(*args, **attrs)
    expected = kernels.reference_kernel("FusedBatchNormV3")(*args, **attrs)
    got = batch_norm.fused_batch_norm_v3(*args, **attrs)
    for a, e in zip(got if is_training else got[:3], expected):
        _close(a, e)
    assert len(batch_norm.fused_batch_norm_v2(*args, **attrs)) == 5

    dy = rng.standard_normal(shape).astype(np.float32)
    saved = (expected[3], expected[4], expected[5])
    grad_attrs = {k: attrs[k] for k in ("epsilon", "data_format", "is_training")}
    grad_args = (dy, x, scale, *saved)
    assert support.fused_batch_norm_grad_supports(*grad_args, **grad_attrs)
    want = kernels.reference_kernel("FusedBatchNormGradV3")(*grad_args, **grad_attrs)
    for a, e in zip(batch_norm.fused_batch_norm_grad_v3(*grad_args, **grad_attrs), want):
        _close(a, e)


def test_the_ops_dispatch_to_onednn_eagerly_and_in_functions():
    _batch_norm()
    for op in OPS:
        assert tf.config.experimental.get_op_kernel_backend(op) == "onednn"
    rng = np.random.default_rng(5)
    x = tf.constant(rng.standard_normal((4, 3, 3, 8)).astype(np.float32))
    layer = tf.keras.layers.BatchNormalization()
    layer.build(x.shape)

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x, training=True)
            loss = tf.reduce_sum(y * y * x)
        return y, tape.gradient(loss, [x, layer.gamma])

    eager = step(x)
    traced = tf.function(step)(x)
    kernels.set_kernel_backend("reference")
    try:
        reference = step(x)
    finally:
        kernels.set_kernel_backend("auto")
    for got in (eager, traced):
        for a, e in zip(tf.nest.flatten(got), tf.nest.flatten(reference)):
            _close(a.numpy(), e.numpy())


@pytest.mark.parametrize(
    "shape, dtype, change",
    [
        ((2, 3, 3, 4), np.float32, {"data_format": "NCHW"}),
        ((2, 3, 3, 4), np.float16, {}),
        ((0, 3, 3, 4), np.float32, {}),  # an empty batch: NaN moments from the reference
        ((2, 3, 4), np.float32, {}),  # TF's rank error
        ((2, 3, 3, 4), np.float32, {"scale": 3}),  # TF's size error
        ((2, 3, 3, 4), np.float32, {"mean": 2, "is_training": False}),
        ((2, 3, 3, 4), np.float32, {"mean": 2, "exponential_avg_factor": 0.5}),
    ],
)
def test_cases_left_to_the_reference_kernel(shape, dtype, change):
    change = dict(change)
    vectors = {k: np.ones(change.pop(k, 4), np.float32) for k in ("scale", "mean")}
    x = np.ones(shape, dtype)
    args = (x, vectors["scale"], np.ones(4, "f"), vectors["mean"], np.ones(4, "f"))
    assert not support.fused_batch_norm_supports(*args, **change)
    grad_attrs = {k: v for k, v in change.items() if k != "exponential_avg_factor"}
    grad_args = (x, x, vectors["scale"], vectors["mean"], np.ones(4, "f"), np.ones(0, "f"))
    assert not support.fused_batch_norm_grad_supports(*grad_args, **grad_attrs)


def test_training_ignores_unused_statistics():
    x, c, empty = np.ones((2, 2, 2, 4), np.float32), np.ones(4, np.float32), np.zeros(0, "f")
    assert support.fused_batch_norm_supports(x, c, c, empty, empty, is_training=True)


_NEEDS_ML_DTYPES = pytest.mark.skipif(
    importlib.util.find_spec("ml_dtypes") is None, reason="bfloat16 needs ml_dtypes"
)


@pytest.mark.parametrize("dtype", ["float16", pytest.param("bfloat16", marks=_NEEDS_ML_DTYPES)])
def test_16_bit_inputs_run_widened_with_float32_statistics(dtype):
    _batch_norm()
    rng = np.random.default_rng(9)
    x = tf.cast(rng.standard_normal((2, 3, 3, 8)).astype(np.float32), dtype)
    c = np.linspace(0.5, 1.5, 8).astype(np.float32)
    outs = tf.raw_ops.FusedBatchNormV3(x=x, scale=c, offset=c, mean=c, variance=c)
    want = kernels.reference_kernel("FusedBatchNormV3")(x.numpy(), c, c, c, c)
    assert outs.y.dtype.name == dtype and outs.batch_mean.dtype == tf.float32
    for a, e in zip(outs, want):
        np.testing.assert_allclose(
            np.asarray(a.numpy(), np.float32), np.asarray(e, np.float32), atol=2e-2
        )
    grads = tf.raw_ops.FusedBatchNormGradV3(
        y_backprop=x, x=x, scale=c, reserve_space_1=outs[3], reserve_space_2=outs[4],
        reserve_space_3=outs[5],
    )  # fmt: skip
    want = kernels.reference_kernel("FusedBatchNormGradV3")(
        x.numpy(), x.numpy(), c, outs[3].numpy(), outs[4].numpy(), outs[5].numpy()
    )
    assert grads.x_backprop.dtype.name == dtype
    for a, e in zip(grads, want):
        np.testing.assert_allclose(
            np.asarray(a.numpy(), np.float32), np.asarray(e, np.float32), atol=5e-2
        )
    assert not support.fused_batch_norm_supports(x.numpy(), c.astype("f2"), c, c, c)
