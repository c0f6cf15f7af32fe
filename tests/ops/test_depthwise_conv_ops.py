"""DepthwiseConv2dNative, its backprops, tf.nn.depthwise_conv2d and separable_conv2d:
values and gradients against TensorFlow fixtures, finite-difference gradients of first
and second order, traced graphs with unknown sizes, inference, and the error paths."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.testing import check_gradients, check_one_graph

FIXTURES = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "depthwise_conv_ops.json").read_text()
)["cases"]


def _fn(case):
    s, padding, dilations = case["strides"], case["padding"], case["dilations"]
    if case["kind"] == "depthwise":
        return lambda x, f: tf.nn.depthwise_conv2d(x, f, [1, s, s, 1], padding, dilations=dilations)
    return lambda x, f, p: tf.nn.separable_conv2d(
        x, f, p, [1, s, s, 1], padding, dilations=dilations
    )


def _values_and_grads(fn, inputs, weights):
    with tf.GradientTape() as tape:
        for t in inputs:
            tape.watch(t)
        out = fn(*inputs)
        total = tf.reduce_sum(out * weights)
    return out, tape.gradient(total, inputs)


@pytest.mark.filterwarnings("ignore:When dilation rate")
@pytest.mark.parametrize("name", sorted(FIXTURES))
@pytest.mark.parametrize("traced", [False, True], ids=["eager", "function"])
def test_matches_tensorflow(name, traced):
    case = FIXTURES[name]
    inputs = [tf.constant(np.array(v)) for v in case["inputs"]]
    weights = tf.constant(np.array(case["weights"]))
    fn = _fn(case)
    run = tf.function(_values_and_grads, reduce_retracing=False) if traced else (_values_and_grads)
    out, grads = run(fn, inputs, weights)
    np.testing.assert_allclose(out.numpy(), np.array(case["output"]), rtol=1e-10, atol=1e-10)
    for g, want in zip(grads, case["grads"]):
        np.testing.assert_allclose(g.numpy(), np.array(want), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", ["same_s2_mult2", "explicit_dilated", "sep_same"])
def test_float32_and_float16(name):
    case = FIXTURES[name]
    for dtype, tol in (("float32", 1e-5), ("float16", 2e-2)):
        inputs = [tf.constant(np.array(v, dtype=dtype)) for v in case["inputs"]]
        out = _fn(case)(*inputs)
        assert out.dtype == tf.as_dtype(dtype)
        want = np.array(case["output"])
        np.testing.assert_allclose(out.numpy(), want, rtol=tol, atol=tol * np.abs(want).max())


# -- Finite-difference gradients (float64) ---------------------------------------------

_RNG = np.random.default_rng(7)


def _small(*shape):
    return _RNG.normal(size=shape)


@pytest.mark.parametrize(
    "strides,padding,dilations",
    [
        (1, "SAME", None),
        (2, "VALID", None),
        (1, "SAME", (2, 1)),
        (2, [[0, 0], [1, 0], [0, 2], [0, 0]], None),
    ],
)
def test_depthwise_gradients(strides, padding, dilations):
    x, f = _small(1, 5, 4, 2), _small(2, 3, 2, 2)
    check_gradients(
        lambda a, b: tf.nn.depthwise_conv2d(
            a, b, [1, strides, strides, 1], padding, dilations=dilations
        ),
        [x, f],
        order=2,
    )


@pytest.mark.parametrize("strides,padding", [(1, "SAME"), (2, "VALID")])
def test_backprop_ops_are_differentiable(strides, padding):
    x, f = _small(1, 5, 5, 2), _small(3, 3, 2, 2)
    dy_shape = tf.nn.depthwise_conv2d(x, f, [1, strides, strides, 1], padding).shape
    dy = _small(*dy_shape)
    st = [1, strides, strides, 1]
    check_gradients(
        lambda b, g: tf.nn.depthwise_conv2d_backprop_input([1, 5, 5, 2], b, g, st, padding),
        [f, dy],
        order=2,
    )
    check_gradients(
        lambda a, g: tf.nn.depthwise_conv2d_backprop_filter(a, [3, 3, 2, 2], g, st, padding),
        [x, dy],
        order=2,
    )


def test_separable_gradients():
    x, f, p = _small(1, 4, 5, 2), _small(3, 2, 2, 2), _small(1, 1, 4, 3)
    check_gradients(
        lambda a, b, c: tf.nn.separable_conv2d(a, b, c, [1, 1, 1, 1], "SAME"), [x, f, p], order=2
    )


def test_dilated_strided_gradients():
    x, f = _small(1, 7, 6, 1), _small(2, 2, 1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_gradients(
            lambda a, b: tf.nn.depthwise_conv2d(a, b, [1, 2, 2, 1], "SAME", dilations=[2, 2]),
            [x, f],
        )


# -- Traced graphs and inference ---------------------------------------------------------


def test_one_graph_for_unknown_sizes():
    f = tf.constant(_small(3, 3, 2, 2))
    calls = [(tf.constant(_small(2, 6, 7, 2)),), (tf.constant(_small(1, 5, 5, 2)),)]
    spec = [tf.TensorSpec([None, None, None, 2], tf.float64)]
    check_one_graph(lambda x: tf.nn.depthwise_conv2d(x, f, [1, 2, 2, 1], "SAME"), spec, calls)
    check_one_graph(
        lambda x: tf.nn.depthwise_conv2d(x, f, [1, 1, 1, 1], "VALID", dilations=[2, 1]), spec, calls
    )
    p = tf.constant(_small(1, 1, 4, 3))
    check_one_graph(lambda x: tf.nn.separable_conv2d(x, f, p, [1, 1, 1, 1], "SAME"), spec, calls)


def test_unknown_batch_train_step_keeps_shapes():
    w = tf.Variable(_small(3, 3, 2, 2))
    shapes = {}

    @tf.function(input_signature=[tf.TensorSpec([None, 6, 6, 2], tf.float64)])
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME")
            loss = tf.reduce_sum(y * y)
        dx, dw = tape.gradient(loss, [x, w])
        shapes.update(y=y.shape, dx=dx.shape, dw=dw.shape)
        w.assign_sub(0.01 * dw)
        return dx

    for n in (3, 1):
        step(tf.constant(_small(n, 6, 6, 2)))
    assert step.experimental_get_tracing_count() == 1
    assert shapes == {
        "y": TensorShape([None, 3, 3, 4]),
        "dx": TensorShape([None, 6, 6, 2]),
        "dw": TensorShape([3, 3, 2, 2]),
    }


def test_inference_rules():
    op = registry.get("DepthwiseConv2dNative")
    x, f = (
        Spec(tf.float32, TensorShape([None, 9, None, 3])),
        Spec(tf.float32, TensorShape([3, 3, 3, 2])),
    )
    out = op.infer(x, f, strides=[1, 2, 2, 1], padding="VALID", dilations=[1, 2, 1, 1])
    assert out == Spec(tf.float32, TensorShape([None, 3, None, 6]))
    unknown = Spec(tf.float32, TensorShape(None))
    assert op.infer(unknown, unknown, strides=[1, 1, 1, 1], padding="SAME").shape.rank == 4
    bpi = registry.get("DepthwiseConv2dNativeBackpropInput")
    sizes = Spec(tf.int32, TensorShape([4]))
    dy = Spec(tf.float32, TensorShape([None, 4, 4, 6]))
    assert bpi.infer(sizes, f, dy, strides=[1, 1, 1, 1], padding="SAME").shape.as_list() == [
        None,
        None,
        None,
        3,
    ]
    bpf = registry.get("DepthwiseConv2dNativeBackpropFilter")
    assert bpf.infer(x, sizes, dy, strides=[1, 1, 1, 1], padding="SAME").shape.as_list() == [
        None,
        None,
        3,
        2,
    ]


def test_empty_outputs():
    x = tf.zeros([0, 5, 5, 2])
    assert tf.nn.depthwise_conv2d(x, tf.ones([3, 3, 2, 2]), [1, 1, 1, 1], "SAME").shape == (
        TensorShape([0, 5, 5, 4])
    )
    y = tf.nn.depthwise_conv2d(tf.ones([1, 2, 5, 1]), tf.ones([3, 3, 1, 1]), [1, 1, 1, 1], "VALID")
    assert y.shape == TensorShape([1, 0, 3, 1])


def test_backprop_functions_match_gradients():
    x, f = tf.constant(_small(2, 5, 6, 2)), tf.constant(_small(3, 2, 2, 3))
    dy = tf.constant(_small(2, 3, 3, 6))
    with tf.GradientTape() as tape:
        tape.watch([x, f])
        y = tf.nn.depthwise_conv2d(x, f, [1, 2, 2, 1], "SAME")
    dx, df = tape.gradient(y, [x, f], output_gradients=dy)
    np.testing.assert_allclose(
        tf.nn.depthwise_conv2d_backprop_input(tf.shape(x), f, dy, [1, 2, 2, 1], "SAME").numpy(),
        dx.numpy(),
    )
    np.testing.assert_allclose(
        tf.nn.depthwise_conv2d_backprop_filter(x, [3, 2, 2, 3], dy, [1, 2, 2, 1], "SAME").numpy(),
        df.numpy(),
    )


# -- Errors -----------------------------------------------------------------------------

X, F = np.ones((1, 5, 5, 2), np.float32), np.ones((3, 3, 2, 1), np.float32)


@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        (
            dict(filter=np.ones((3, 3, 3, 1), np.float32)),
            InvalidArgumentError,
            "input and filter must have the same depth: 2 vs 3",
        ),
        (
            dict(input=np.ones((5, 5, 2), np.float32)),
            InvalidArgumentError,
            r"input must be 4-dimensional\[5, 5, 2\]",
        ),
        (
            dict(filter=np.ones((3, 3, 2), np.float32)),
            InvalidArgumentError,
            "filter must be 4-dimensional",
        ),
        (
            dict(data_format="NCHW"),
            UnimplementedError,
            "Depthwise convolution on CPU is only supported for NHWC format",
        ),
        (
            dict(strides=[2, 1, 1, 1]),
            InvalidArgumentError,
            "does not yet support strides in the batch and depth dimensions",
        ),
        (
            dict(strides=[1, 1, 2, 1]),
            InvalidArgumentError,
            "only supports equal length strides in the row and column dimensions",
        ),
        (dict(strides=[1, 1, 1]), InvalidArgumentError, "strides field must specify 4 dimensions"),
        (
            dict(padding="same"),
            InvalidArgumentError,
            "Value for attr 'padding' of \"same\" is not in the list of allowed values",
        ),
        (dict(padding="EXPLICIT"), ValueError, "'EXPLICIT' is not a valid value for `padding`"),
        (dict(padding=[[0, 0], [1, 1], [1, 1]]), ValueError, "it must be of size 4"),
        (
            dict(padding=[[1, 0], [1, 1], [1, 1], [0, 0]]),
            InvalidArgumentError,
            "Nonzero explicit padding in the batch or depth dimensions is not supported",
        ),
        (
            dict(padding="VALID", filter=np.ones((7, 3, 2, 1), np.float32)),
            InvalidArgumentError,
            "Computed output size would be negative",
        ),
        (dict(dilations=[1, 1, 1, 1]), ValueError, "`dilations` must hold 2 values"),
        (dict(dilations=[0, 1]), ValueError, "`dilation_rate` must be positive"),
        (
            dict(input=np.ones((1, 5, 5, 2), np.int32), filter=np.ones((3, 3, 2, 1), np.int32)),
            InvalidArgumentError,
            "Value for attr 'T' of int32 is not in the list of allowed values",
        ),
        (
            dict(filter=np.ones((3, 3, 2, 1), np.float64)),
            InvalidArgumentError,
            r"cannot compute DepthwiseConv2dNative as input #1\(zero-based\) was expected to be a "
            "float tensor but is a double tensor",
        ),
    ],
)
def test_depthwise_errors(kwargs, error, message):
    args = dict(input=X, filter=F, strides=[1, 1, 1, 1], padding="SAME")
    args.update(kwargs)
    with pytest.raises(error, match=message):
        tf.nn.depthwise_conv2d(**args)


def test_explicit_paddings_with_same_is_refused():
    op = registry.get("DepthwiseConv2dNative")
    with pytest.raises(InvalidArgumentError, match="explicit_paddings attribute must be empty"):
        registry.execute(
            op,
            (tf.constant(X), tf.constant(F)),
            {
                "strides": [1, 1, 1, 1],
                "padding": "SAME",
                "explicit_paddings": [0, 0, 1, 1, 1, 1, 0, 0],
                "data_format": "NHWC",
                "dilations": [1, 1, 1, 1],
            },
        )


@pytest.mark.parametrize(
    "call,message",
    [
        (
            lambda: tf.nn.depthwise_conv2d_backprop_input(
                [1, 6, 5, 2], F, tf.ones([1, 5, 5, 2]), [1, 1, 1, 1], "SAME"
            ),
            "DepthwiseConv2DBackpropInput: Number of rows of out_backprop doesn't match computed: "
            "actual = 5, computed = 6",
        ),
        (
            lambda: tf.nn.depthwise_conv2d_backprop_input(
                [1, 5, 5, 3], F, tf.ones([1, 5, 5, 2]), [1, 1, 1, 1], "SAME"
            ),
            "input and filter must have the same in_depth",
        ),
        (
            lambda: tf.nn.depthwise_conv2d_backprop_input(
                [1, 5, 5, 2], F, tf.ones([1, 5, 5, 4]), [1, 1, 1, 1], "SAME"
            ),
            "depth_multiplier \\* in_depth not equal to out_depth",
        ),
        (
            lambda: tf.nn.depthwise_conv2d_backprop_input(
                [2, 5, 5, 2], F, tf.ones([1, 5, 5, 2]), [1, 1, 1, 1], "SAME"
            ),
            "input and out_backprop must have the same batch size",
        ),
        (
            lambda: tf.nn.depthwise_conv2d_backprop_input(
                [[1, 5, 5, 2]], F, tf.ones([1, 5, 5, 2]), [1, 1, 1, 1], "SAME"
            ),
            "input_sizes input must be 1-dim, not 2",
        ),
        (
            lambda: tf.nn.depthwise_conv2d_backprop_filter(
                X, [3, 3, 2], tf.ones([1, 5, 5, 2]), [1, 1, 1, 1], "SAME"
            ),
            "DepthwiseConv2DBackpropFilter: filter must be 4-dimensional",
        ),
        (
            lambda: tf.nn.depthwise_conv2d_backprop_filter(
                X, [3, 2, 2, 1], tf.ones([1, 3, 3, 2]), [1, 1, 1, 1], "VALID"
            ),
            "Number of columns of out_backprop doesn't match computed: actual = 3, computed = 4",
        ),
        (
            lambda: tf.nn.depthwise_conv2d_backprop_filter(
                np.ones((1, 5, 5, 2), np.int32),
                [3, 3, 2, 1],
                tf.ones([1, 5, 5, 2], tf.int32),
                [1, 1, 1, 1],
                "SAME",
            ),
            "Value for attr 'T' of int32 is not in the list of allowed values",
        ),
        (
            lambda: tf.nn.depthwise_conv2d_backprop_input(
                [1, 5, 5, 2], F, tf.ones([1, 5, 5, 2], tf.float64), [1, 1, 1, 1], "SAME"
            ),
            r"cannot compute DepthwiseConv2dNativeBackpropInput as input #2\(zero-based\) was "
            "expected to be a float tensor but is a double tensor",
        ),
    ],
)
def test_backprop_errors(call, message):
    with pytest.raises(InvalidArgumentError, match=message):
        call()


@pytest.mark.parametrize(
    "pointwise,error,message",
    [
        (np.ones((4, 3), np.float32), ValueError, r"Shape \(4, 3\) must have rank 4"),
        (np.ones((2, 1, 2, 3), np.float32), ValueError, "Dimensions 2 and 1 are not compatible"),
        (
            np.ones((1, 1, 3, 3), np.float32),
            InvalidArgumentError,
            "input depth must be evenly divisible by filter depth: 2 vs 3",
        ),
        (
            np.ones((1, 1, 2, 3), np.float64),
            InvalidArgumentError,
            "cannot compute Conv2D as input #1",
        ),
    ],
)
def test_separable_errors(pointwise, error, message):
    with pytest.raises(error, match=message):
        tf.nn.separable_conv2d(X, F, pointwise, [1, 1, 1, 1], "SAME")


def test_dilation_with_strides_warns_as_tensorflow():
    with pytest.warns(
        UserWarning,
        match="When dilation rate is greater than 1, then all values of strides must be 1",
    ):
        tf.nn.depthwise_conv2d(X, F, [1, 2, 2, 1], "SAME", dilations=[2, 2])
