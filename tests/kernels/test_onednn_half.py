"""float16 / bfloat16 convolution and pooling through the oneDNN float32 kernels
(widened, rounded once) against the NumPy reference kernels, which compute 16-bit
inputs in float32 too: mixed-precision models train at float32 kernel speed."""

import importlib.util
import platform
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.kernels import set_kernel_backend

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() == "x86_64"),
    reason="the oneDNN backend is installed on Linux x86-64 only",
)
DTYPES = ["float16"] + (["bfloat16"] if importlib.util.find_spec("ml_dtypes") else [])


def _conv_and_pool(x, w):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        y = tf.nn.conv2d(x, w, 1, "SAME")
        pooled = tf.nn.max_pool2d(y, 2, 2, "VALID") + tf.nn.avg_pool2d(y, 2, 2, "VALID")
        loss = tf.reduce_sum(pooled * pooled)
    grads = tape.gradient(loss, [x, w])
    return [t.numpy().astype(np.float32) for t in [y, pooled, *grads]]


@pytest.mark.parametrize("dtype", DTYPES)
def test_half_conv_and_pool_match_the_reference_kernels(dtype):
    rng = np.random.default_rng(0)
    x = tf.cast(rng.normal(size=(2, 6, 6, 3)).astype(np.float32), dtype)
    w = tf.cast(rng.normal(size=(3, 3, 3, 4)).astype(np.float32) * 0.3, dtype)
    fast = _conv_and_pool(x, w)
    set_kernel_backend("reference")
    try:
        reference = _conv_and_pool(x, w)
    finally:
        set_kernel_backend("auto")
    tol = 1e-2 if dtype == "float16" else 6e-2
    for a, b in zip(fast, reference):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * np.abs(b).max())


def test_half_max_pool_with_nan_goes_to_the_reference_kernel():
    x = np.zeros((1, 2, 2, 1), np.float16)
    x[0, 0, 0, 0] = np.nan
    y = tf.nn.max_pool2d(tf.constant(x), 2, 2, "VALID")
    set_kernel_backend("reference")
    try:
        expected = tf.nn.max_pool2d(tf.constant(x), 2, 2, "VALID")
    finally:
        set_kernel_backend("auto")
    np.testing.assert_array_equal(y.numpy(), expected.numpy())
