"""The oneDNN kernels attached to the real ops (once the conv and pooling op modules are
in the tree): each registered op's dispatched kernel against its own reference kernel,
eagerly and inside tf.function, and the forcing switch."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux import kernels
from tensorflux.engine import registry
from tests.kernels.test_onednn_conv import _kernels, pytestmark  # noqa: F401

_CONV_ATTRS = {
    "strides": [1, 2, 1, 1],
    "padding": "SAME",
    "explicit_paddings": [],
    "data_format": "NHWC",
    "dilations": [1, 1, 1, 1],
}
_POOL_ATTRS = {
    "ksize": [1, 3, 3, 1],
    "strides": [1, 2, 2, 1],
    "padding": "SAME",
    "data_format": "NHWC",
}


def _arrays():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 7, 6, 3)).astype(np.float32)
    w = rng.standard_normal((3, 2, 3, 4)).astype(np.float32)
    dy = rng.standard_normal((2, 4, 6, 4)).astype(np.float32)
    pooled = rng.standard_normal((2, 4, 3, 3)).astype(np.float32)
    return x, w, dy, pooled


def _calls():
    x, w, dy, pooled = _arrays()
    return {
        "Conv2D": ((x, w), _CONV_ATTRS),
        "Conv2DBackpropInput": ((np.array(x.shape, np.int32), w, dy), _CONV_ATTRS),
        "Conv2DBackpropFilter": ((x, np.array(w.shape, np.int32), dy), _CONV_ATTRS),
        "MaxPool": ((x,), _POOL_ATTRS),
        "MaxPoolGrad": ((x, np.zeros_like(pooled), pooled), _POOL_ATTRS),
        "AvgPool": ((x,), _POOL_ATTRS),
        "AvgPoolGrad": ((np.array(x.shape, np.int32), pooled), _POOL_ATTRS),
    }


def _registered(name):
    if name not in registry.registered_ops():
        pytest.skip(f"{name} is not registered: its op module is not in this tree yet")
    return registry.get(name)


@pytest.mark.parametrize("name", sorted(_calls()))
def test_dispatched_kernel_matches_the_reference_kernel(name):
    _kernels()
    op = _registered(name)
    arrays, attrs = _calls()[name]
    assert tf.config.experimental.get_op_kernel_backend(name) == "onednn"
    fast = op.kernel(*arrays, **attrs)
    expected = kernels.reference_kernel(name)(*arrays, **attrs)
    assert fast.dtype == expected.dtype and fast.shape == expected.shape
    np.testing.assert_allclose(fast, expected, rtol=1e-4, atol=1e-4)


def test_conv_training_step_agrees_with_the_reference_kernels():
    _kernels()
    _registered("Conv2D")
    x, w, _, _ = _arrays()
    kernel = tf.Variable(w)

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            y = tf.nn.max_pool2d(tf.nn.relu(tf.nn.conv2d(x, kernel, 1, "SAME")), 2, 2, "VALID")
            loss = tf.reduce_sum(y * y)
        return loss, tape.gradient(loss, kernel)

    fast = [t.numpy() for t in step(tf.constant(x))]
    tf.config.experimental.set_kernel_backend("reference")
    try:
        expected = [t.numpy() for t in step(tf.constant(x))]
    finally:
        tf.config.experimental.set_kernel_backend("auto")
    for a, b in zip(fast, expected):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-3)
