"""Conv2D -> BiasAdd -> Relu fused into _FusedConv2D when a graph is compiled: the plan
runs one node, its values equal the three ops', the traced graph (gradients, GraphDefs)
keeps TF's ops, and the oneDNN kernel equals the reference one on a table of cases."""

import platform
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.kernels.onednn import _library, support

onednn_only = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() == "x86_64"),
    reason="the oneDNN backend is installed on Linux x86-64 only",
)

RNG = np.random.default_rng(7)


def _arrays(x_shape, w_shape):
    x = RNG.standard_normal(x_shape).astype(np.float32)
    w = RNG.standard_normal(w_shape).astype(np.float32)
    b = RNG.standard_normal(w_shape[-1]).astype(np.float32)
    return x, w, b


def _unfused(x, w, b, relu, stride=1, padding="SAME"):
    y = tf.nn.bias_add(tf.nn.conv2d(x, w, stride, padding), b)
    return tf.nn.relu(y) if relu else y


def _kernel_calls(concrete) -> int:
    return concrete._source.count("= k")


@pytest.mark.parametrize("relu", [False, True])
def test_a_traced_conv_bias_relu_runs_as_one_node_with_the_ops_values(relu):
    x, w, b = _arrays((2, 7, 6, 3), (3, 3, 3, 4))
    fn = tf.function(lambda x, w, b: _unfused(x, w, b, relu))
    got = fn(x, w, b).numpy()
    np.testing.assert_allclose(got, _unfused(x, w, b, relu).numpy(), rtol=1e-5, atol=1e-5)
    concrete = fn.get_concrete_function(x, w, b)
    assert _kernel_calls(concrete) == 1
    assert "_FusedConv2D" not in [n.op.name for n in concrete._nodes if n.op is not None]


def test_intermediates_read_elsewhere_are_not_fused():
    x, w, b = _arrays((1, 5, 5, 2), (3, 3, 2, 3))

    @tf.function
    def conv_is_an_output(x, w, b):
        y = tf.nn.conv2d(x, w, 1, "SAME")
        return y, tf.nn.relu(tf.nn.bias_add(y, b))

    @tf.function
    def sum_read_twice(x, w, b):
        y = tf.nn.bias_add(tf.nn.conv2d(x, w, 1, "SAME"), b)
        return tf.nn.relu(y) + y

    first, second = conv_is_an_output(x, w, b)
    np.testing.assert_allclose(first.numpy(), tf.nn.conv2d(x, w, 1, "SAME").numpy(), rtol=1e-6)
    # Conv + BiasAdd in one kernel rounds differently from the two ops; sums that cancel
    # to near zero need an absolute tolerance (as in the test above).
    np.testing.assert_allclose(
        second.numpy(), _unfused(x, w, b, True).numpy(), rtol=1e-5, atol=1e-5
    )
    assert _kernel_calls(conv_is_an_output.get_concrete_function(x, w, b)) == 3
    expected = _unfused(x, w, b, True) + _unfused(x, w, b, False)
    np.testing.assert_allclose(
        sum_read_twice(x, w, b).numpy(), expected.numpy(), rtol=1e-5, atol=1e-5
    )
    # Conv2D and BiasAdd fuse; the sum feeds Relu and AddV2, so Relu stays apart.
    assert _kernel_calls(sum_read_twice.get_concrete_function(x, w, b)) == 3


def test_gradients_through_a_fused_layer_equal_the_eager_ones():
    x, w, b = _arrays((2, 8, 8, 3), (3, 3, 3, 5))
    w_var, b_var = tf.Variable(w), tf.Variable(b)

    def loss():
        return tf.reduce_sum(_unfused(x, w_var, b_var, True, stride=2) ** 2)

    @tf.function
    def traced():
        with tf.GradientTape() as tape:
            value = loss()
        return tape.gradient(value, [w_var, b_var])

    with tf.GradientTape() as tape:
        value = loss()
    eager = tape.gradient(value, [w_var, b_var])
    for got, want in zip(traced(), eager, strict=True):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-4, atol=1e-4)


def test_keras_conv2d_with_relu_fits_as_it_does_eagerly():
    x = RNG.random((16, 8, 8, 1), np.float32)
    y = RNG.integers(0, 3, 16)

    def trained(run_eagerly):
        tf.keras.utils.set_random_seed(3)
        model = tf.keras.Sequential(
            [
                tf.keras.Input((8, 8, 1)),
                tf.keras.layers.Conv2D(4, 3, activation="relu"),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(3),
            ]
        )
        model.compile(
            "sgd",
            tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            run_eagerly=run_eagerly,
        )
        model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        return model.get_weights()

    for got, want in zip(trained(False), trained(True), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_the_fused_op_keeps_nan_and_infinity_as_the_three_ops_do():
    x, w, b = _arrays((2, 6, 6, 3), (3, 3, 3, 4))
    x[0, 1, 1, 0] = np.nan
    x[1, 2, 2, 1] = np.inf
    fn = tf.function(lambda x, w, b: _unfused(x, w, b, True))
    got, want = fn(x, w, b).numpy(), _unfused(x, w, b, True).numpy()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


# (input shape, filter shape, stride, padding, dilation)
CASES = [
    ((2, 7, 8, 3), (3, 3, 3, 4), 1, "SAME", 1),
    ((2, 7, 8, 3), (3, 3, 3, 4), 1, "VALID", 1),
    ((1, 9, 7, 4), (2, 2, 4, 3), 2, "SAME", 1),
    ((3, 11, 10, 5), (5, 5, 5, 6), 1, "SAME", 1),
    ((2, 12, 12, 8), (3, 3, 8, 16), 2, "VALID", 1),
    ((2, 10, 9, 2), (3, 2, 2, 3), 1, "SAME", 2),
    ((4, 13, 13, 32), (3, 3, 32, 64), 1, "VALID", 1),
]


@onednn_only
@pytest.mark.parametrize("fused_ops", [("BiasAdd",), ("BiasAdd", "Relu")])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_onednn_fused_conv_equals_the_reference(case, fused_ops):
    if _library.library() is None:
        pytest.fail(f"libdnnl did not load: {_library.load_error()}")
    x_shape, w_shape, stride, padding, dilation = case
    x, w, b = _arrays(x_shape, w_shape)
    attrs = {
        "strides": [1, stride, stride, 1],
        "padding": padding,
        "explicit_paddings": [],
        "data_format": "NHWC",
        "dilations": [1, dilation, dilation, 1],
        "fused_ops": fused_ops,
        "num_args": 1,
    }
    assert support.fused_conv2d_supports(x, w, b, **attrs)
    from tensorflux.kernels.onednn import conv

    got = conv.fused_conv2d(x, w, b, **attrs)
    want = registry.get("_FusedConv2D").kernel.reference(x, w, b, **attrs)
    scale = max(1.0, float(np.abs(want).max()))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5 * scale)
    if len(fused_ops) == 2:
        assert not np.signbit(got[got == 0]).any()


def test_cases_left_to_the_reference_kernel():
    x, w, b = _arrays((2, 6, 6, 3), (3, 3, 3, 4))
    attrs = {
        "strides": [1, 1, 1, 1],
        "padding": "SAME",
        "explicit_paddings": [],
        "data_format": "NHWC",
        "dilations": [1, 1, 1, 1],
        "num_args": 1,
    }
    relu = ("BiasAdd", "Relu")
    assert not support.fused_conv2d_supports(x, w, b.astype(np.float64), fused_ops=relu, **attrs)
    assert not support.fused_conv2d_supports(x, w, b[:3], fused_ops=relu, **attrs)
    assert not support.fused_conv2d_supports(x, w, b, fused_ops=("BiasAdd", "Relu6"), **attrs)
    bad = x.copy()
    bad[0, 0, 0, 0] = np.nan
    # oneDNN's ReLU post-op would turn the NaN sums into 0.
    assert not support.fused_conv2d_supports(bad, w, b, fused_ops=relu, **attrs)
    assert support.fused_conv2d_supports(bad, w, b, fused_ops=("BiasAdd",), **attrs)
    huge = np.full_like(x, 1e19)
    assert not support.fused_conv2d_supports(huge, w, b, fused_ops=relu, **attrs)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_other_float_dtypes_fuse_to_the_three_ops_exact_values(dtype):
    # A 16-bit convolution is rounded before the bias is added, as by the three ops.
    x, w, b = (a.astype(dtype) for a in _arrays((2, 6, 6, 3), (3, 3, 3, 4)))
    fn = tf.function(lambda x, w, b: _unfused(x, w, b, True))
    np.testing.assert_array_equal(fn(x, w, b).numpy(), _unfused(x, w, b, True).numpy())
    assert _kernel_calls(fn.get_concrete_function(x, w, b)) == 1
