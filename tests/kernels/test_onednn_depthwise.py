"""oneDNN depthwise convolution kernels (grouped convolutions) against the NumPy
reference kernels on a table of cases, and the cases left to the reference."""

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
    "DepthwiseConv2dNative",
    "DepthwiseConv2dNativeBackpropInput",
    "DepthwiseConv2dNativeBackpropFilter",
)

# (input shape, filter shape [kh, kw, channels, multiplier], stride, padding, explicit)
CASES = [
    ((2, 7, 8, 3), (3, 3, 3, 1), 1, "SAME", ()),
    ((2, 7, 8, 3), (3, 3, 3, 2), 1, "VALID", ()),
    ((1, 9, 7, 4), (2, 2, 4, 3), 1, "SAME", ()),  # even window: padding after
    ((3, 11, 10, 5), (3, 3, 5, 1), 2, "SAME", ()),
    ((2, 12, 12, 8), (3, 3, 8, 1), 2, "VALID", ()),  # MobileNet's downsampling block
    ((1, 5, 5, 2), (5, 5, 2, 4), 1, "VALID", ()),  # 1x1 output
    ((2, 6, 7, 3), (3, 2, 3, 2), 3, "SAME", ()),
    ((2, 6, 7, 3), (3, 3, 3, 1), 1, "EXPLICIT", (0, 0, 1, 2, 0, 3, 0, 0)),
    ((1, 8, 8, 6), (3, 3, 6, 1), 2, "EXPLICIT", (0, 0, 0, 1, 0, 1, 0, 0)),
]


def _attrs(stride, padding, explicit):
    return {
        "strides": [1, stride, stride, 1],
        "padding": padding,
        "explicit_paddings": list(explicit),
        "data_format": "NHWC",
        "dilations": [1, 1, 1, 1],
    }


def _depthwise():
    if _library.library() is None:
        pytest.fail(f"libdnnl did not load: {_library.load_error()}")
    from tensorflux.kernels.onednn import depthwise

    return depthwise


def _close(actual, expected):
    assert actual.dtype == np.float32 and actual.shape == expected.shape
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5 * scale)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_depthwise_forward_and_gradients_match_the_reference(case):
    depthwise = _depthwise()
    x_shape, w_shape, stride, padding, explicit = case
    rng = np.random.default_rng(sum(x_shape) + sum(w_shape))
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    attrs = _attrs(stride, padding, explicit)
    forward, backprop_input, backprop_filter = (kernels.reference_kernel(op) for op in OPS)

    assert support.depthwise_supports(x, w, **attrs)
    expected = forward(x, w, **attrs)
    _close(depthwise.depthwise(x, w, **attrs), expected)

    dy = rng.standard_normal(expected.shape).astype(np.float32)
    sizes = np.array(x_shape, np.int32)
    assert support.depthwise_backprop_input_supports(sizes, w, dy, **attrs)
    _close(
        depthwise.depthwise_backprop_input(sizes, w, dy, **attrs),
        backprop_input(sizes, w, dy, **attrs),
    )
    filter_sizes = np.array(w_shape, np.int64)
    assert support.depthwise_backprop_filter_supports(x, filter_sizes, dy, **attrs)
    _close(
        depthwise.depthwise_backprop_filter(x, filter_sizes, dy, **attrs),
        backprop_filter(x, filter_sizes, dy, **attrs),
    )


def test_the_ops_dispatch_to_onednn_eagerly_and_in_functions():
    _depthwise()
    for op in OPS:
        assert tf.config.experimental.get_op_kernel_backend(op) == "onednn"
    rng = np.random.default_rng(5)
    x = tf.constant(rng.standard_normal((2, 6, 6, 4)).astype(np.float32))
    w = tf.Variable(rng.standard_normal((3, 3, 4, 2)).astype(np.float32))
    reference = kernels.reference_kernel("DepthwiseConv2dNative")

    @tf.function
    def loss_and_grads(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME")
            loss = tf.reduce_sum(y * y)
        return y, tape.gradient(loss, [x, w])

    y, (dx, dw) = loss_and_grads(x)
    attrs = _attrs(2, "SAME", ())
    expected = reference(x.numpy(), w.numpy(), **attrs)
    _close(y.numpy(), expected)
    sizes = np.array(x.shape, np.int32)
    dy = 2 * expected
    _close(dx.numpy(), kernels.reference_kernel(OPS[1])(sizes, w.numpy(), dy, **attrs))
    filter_sizes = np.array(w.shape, np.int32)
    _close(dw.numpy(), kernels.reference_kernel(OPS[2])(x.numpy(), filter_sizes, dy, **attrs))


@pytest.mark.parametrize(
    "x_shape, w_shape, attrs",
    [
        ((2, 5, 5, 3), (3, 3, 3, 1), {"data_format": "NCHW"}),
        ((2, 5, 5, 3), (3, 3, 2, 1), {}),  # channels differ
        ((2, 2, 2, 3), (3, 3, 3, 1), {"padding": "VALID"}),  # window larger than input
        ((2, 5, 5, 3), (3, 3, 3, 1), {"strides": [1, 1, 2, 1]}),  # unequal strides
        ((2, 5, 5, 3), (3, 3, 3, 1), {"strides": [2, 1, 1, 1]}),
        ((2, 5, 5, 3), (3, 3, 3, 1), {"dilations": [1, 2, 2, 1]}),
        ((2, 5, 5, 3), (3, 3, 3, 1), {"padding": "EXPLICIT", "explicit_paddings": [1] + [0] * 7}),
        ((2, 5, 5, 3), (3, 3, 3, 1), {"explicit_paddings": [0, 0, 1, 1, 1, 1, 0, 0]}),
        ((2, 5, 5, 3), (3, 3, 3, 1), {"padding": "FULL"}),
        ((0, 5, 5, 3), (3, 3, 3, 1), {}),
        ((2, 5, 5, 3), (3, 3, 3, 0), {}),
    ],
)
def test_cases_left_to_the_reference_kernel(x_shape, w_shape, attrs):
    attrs = {"strides": [1, 1, 1, 1], "padding": "SAME", **attrs}
    x, w = np.ones(x_shape, np.float32), np.ones(w_shape, np.float32)
    assert not support.depthwise_supports(x, w, **attrs)
    dy = np.ones((2, 5, 5, 3), np.float32)
    assert not support.depthwise_backprop_filter_supports(x, np.array(w_shape), dy, **attrs)


def test_float64_and_disagreeing_gradient_shapes_are_left_to_the_reference_kernel():
    attrs = {"strides": [1, 1, 1, 1], "padding": "SAME"}
    w = np.ones((3, 3, 2, 2), np.float32)
    assert not support.depthwise_supports(np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 2)), **attrs)
    dy = np.ones((1, 4, 4, 4), np.float32)
    assert support.depthwise_backprop_input_supports(np.array([1, 4, 4, 2]), w, dy, **attrs)
    assert not support.depthwise_backprop_input_supports(np.array([1, 5, 4, 2]), w, dy, **attrs)
    assert not support.depthwise_backprop_input_supports(np.array([1, 4, 4]), w, dy, **attrs)
    assert not support.depthwise_backprop_input_supports(
        np.array([1, 4, 4, 2]), w, dy.astype(np.float64), **attrs
    )
    x = np.ones((1, 4, 4, 2), np.float32)
    assert not support.depthwise_backprop_filter_supports(x, np.array([3, 3, 2, 3]), dy, **attrs)
