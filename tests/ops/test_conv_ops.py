"""Tests for the convolution ops (conv_ops, conv_im2col) and tf.nn's conv functions."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine.registry import Spec, get
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor
from tensorflux.ops import conv_im2col
from tensorflux.testing import check_gradients, check_one_graph

FIXTURES = json.loads((Path(__file__).parent.parent / "fixtures" / "conv_ops.json").read_text())
GRAD_CASES = sorted(name for name, case in FIXTURES.items() if "gx" in case)
RNG = np.random.default_rng(7)


def _run(case, x, w):
    return getattr(tf.nn, case["fn"])(x, w, **case["kwargs"])


def _inputs(case):
    return (
        tf.constant(np.array(case["x"], np.float64)),
        tf.constant(np.array(case["w"], np.float64)),
    )


def _uniform(*shape):
    return RNG.uniform(-1, 1, size=shape)


# -- values against TensorFlow ------------------------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_values_match_tensorflow(name):
    case = FIXTURES[name]
    x, w = _inputs(case)
    y = _run(case, x, w)
    np.testing.assert_allclose(y.numpy(), np.array(case["y"]), rtol=1e-10, atol=1e-10)
    traced = tf.function(lambda a, b: _run(case, a, b))(x, w)
    assert traced.shape == y.shape
    np.testing.assert_allclose(traced.numpy(), y.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", GRAD_CASES)
def test_gradients_match_tensorflow(name):
    case = FIXTURES[name]
    x, w = _inputs(case)
    dy = tf.constant(np.array(case["dy"]))

    def grads(a, b):
        with tf.GradientTape() as tape:
            tape.watch([a, b])
            loss = tf.reduce_sum(_run(case, a, b) * dy)
        return tape.gradient(loss, [a, b])

    for gx, gw in (grads(x, w), tf.function(grads)(x, w)):
        np.testing.assert_allclose(gx.numpy(), np.array(case["gx"]), rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(gw.numpy(), np.array(case["gw"]), rtol=1e-10, atol=1e-10)


def test_float32_and_float16_follow_float64():
    case = FIXTURES["conv2d_same_s2"]
    for dtype, tol in ((tf.float32, 1e-5), (tf.float16, 3e-2)):
        x, w = (tf.cast(t, dtype) for t in _inputs(case))
        dy = tf.constant(np.array(case["dy"]), dtype)
        with tf.GradientTape() as tape:
            tape.watch([x, w])
            y = _run(case, x, w)
            loss = tf.reduce_sum(y * dy)
        grads = tape.gradient(loss, [x, w])
        for got, key in zip([y, *grads], ("y", "gx", "gw")):
            assert got.dtype == dtype
            np.testing.assert_allclose(
                got.numpy().astype(np.float64), np.array(case[key]), rtol=tol, atol=tol
            )


def test_int32_conv2d_is_exact():
    x = RNG.integers(-5, 5, size=(2, 5, 5, 3)).astype(np.int32)
    w = RNG.integers(-5, 5, size=(2, 3, 3, 2)).astype(np.int32)
    y = tf.nn.conv2d(x, w, 1, "SAME")
    ref = tf.nn.conv2d(x.astype(np.float64), w.astype(np.float64), 1, "SAME").numpy()
    assert y.dtype == tf.int32
    np.testing.assert_array_equal(y.numpy(), ref.astype(np.int32))


def test_chunks_and_bands_give_the_same_result(monkeypatch):
    x, w = _uniform(3, 9, 7, 2), _uniform(3, 2, 2, 4)
    dy = _uniform(3, 5, 7, 4)

    def run():
        with tf.GradientTape() as tape:
            xt, wt = tf.constant(x), tf.constant(w)
            tape.watch([xt, wt])
            y = tf.nn.conv2d(xt, wt, [2, 1], "SAME")
            loss = tf.reduce_sum(y * dy)
        return [y.numpy()] + [g.numpy() for g in tape.gradient(loss, [xt, wt])]

    whole = run()
    for rows in (1, 3, 20, 40):  # bands of one image, several images per chunk
        monkeypatch.setattr(conv_im2col, "CHUNK_ROWS", rows)
        for a, b in zip(run(), whole):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_kernel_larger_than_valid_input_gives_an_empty_output():
    y = tf.nn.conv2d(tf.ones([1, 5, 5, 2]), tf.ones([6, 3, 2, 4]), 1, "VALID")
    assert y.shape == (1, 0, 3, 4)


# -- finite differences --------------------------------------------------------


@pytest.mark.parametrize(
    "fn, x_shape, w_shape, kwargs",
    [
        (tf.nn.conv2d, (2, 5, 4, 2), (3, 2, 2, 3), {"strides": [2, 1], "padding": "SAME"}),
        (
            tf.nn.conv2d,
            (1, 6, 5, 2),
            (2, 2, 2, 2),
            {"strides": 1, "padding": "VALID", "dilations": 2},
        ),
        (tf.nn.conv2d, (1, 4, 4, 4), (3, 3, 2, 4), {"strides": 1, "padding": "SAME"}),  # groups
        (
            tf.nn.conv2d,
            (1, 4, 5, 1),
            (2, 3, 1, 2),
            {"strides": 2, "padding": [[0, 0], [1, 0], [2, 1], [0, 0]]},
        ),
        (tf.nn.conv1d, (2, 7, 2), (3, 2, 2), {"stride": 2, "padding": "SAME"}),
        (
            tf.nn.conv3d,
            (1, 3, 4, 3, 2),
            (2, 2, 2, 2, 2),
            {"strides": [1, 2, 1, 1, 1], "padding": "SAME"},
        ),
    ],
)
def test_forward_gradients_first_and_second_order(fn, x_shape, w_shape, kwargs):
    check_gradients(
        lambda x, w: fn(x, w, **kwargs), [_uniform(*x_shape), _uniform(*w_shape)], order=2
    )


@pytest.mark.parametrize(
    "fn, x_shape, w_shape, out_shape, kwargs",
    [
        (tf.nn.conv2d_transpose, (1, 3, 2, 2), (3, 3, 3, 2), [1, 6, 4, 3], {"strides": 2}),
        (
            tf.nn.conv2d_transpose,
            (2, 2, 2, 1),
            (2, 3, 2, 1),
            [2, 5, 6, 2],
            {"strides": [2, 3], "padding": "VALID"},
        ),
        (tf.nn.conv1d_transpose, (1, 3, 2), (3, 2, 2), [1, 6, 2], {"strides": 2}),
        (
            tf.nn.conv3d_transpose,
            (1, 2, 2, 2, 1),
            (2, 2, 2, 2, 1),
            [1, 4, 4, 3, 2],
            {"strides": [1, 2, 2, 2, 1], "padding": "SAME", "dilations": 1},
        ),
    ],
)
def test_transpose_gradients_first_and_second_order(fn, x_shape, w_shape, out_shape, kwargs):
    check_gradients(
        lambda x, w: fn(x, w, out_shape, **kwargs),
        [_uniform(*x_shape), _uniform(*w_shape)],
        order=2,
    )


def test_backprop_ops_are_differentiable_twice():
    attrs = {
        "strides": (1, 2, 1, 1),
        "padding": "SAME",
        "explicit_paddings": (),
        "data_format": "NHWC",
        "dilations": (1, 1, 2, 1),
    }
    x, w, g = _uniform(1, 5, 5, 2), _uniform(2, 3, 2, 2), _uniform(1, 3, 5, 2)
    backprop_input, backprop_filter = get("Conv2DBackpropInput"), get("Conv2DBackpropFilter")
    from tensorflux.engine.registry import execute

    check_gradients(
        lambda b, d: execute(backprop_input, ([1, 5, 5, 2], b, d), attrs), [w, g], order=2
    )
    check_gradients(
        lambda a, d: execute(backprop_filter, (a, [2, 3, 2, 2], d), attrs), [x, g], order=2
    )


# -- traces and inference -----------------------------------------------------------


def test_one_graph_serves_every_batch_size_with_gradients():
    w = tf.constant(_uniform(3, 3, 2, 3))

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.conv2d(x, w, 2, "SAME")
            loss = tf.reduce_sum(y * y)
        gx = tape.gradient(loss, x)
        if isinstance(y, SymbolicTensor):
            assert y.shape.as_list() == [None, 3, 4, 3]
            assert gx.shape.as_list() == [None, 5, 7, 2]
        return y, gx

    check_one_graph(
        step,
        [tf.TensorSpec([None, 5, 7, 2], tf.float64)],
        [(tf.constant(_uniform(n, 5, 7, 2)),) for n in (1, 3)],
    )


def test_transpose_with_a_traced_batch_keeps_the_known_sizes():
    w = tf.constant(_uniform(3, 3, 4, 2))

    def up(x):
        y = tf.nn.conv2d_transpose(x, w, [tf.shape(x)[0], 6, 8, 4], 2)
        if isinstance(y, SymbolicTensor):
            assert y.shape.as_list() == [None, 6, 8, 4]
        return y

    check_one_graph(
        up,
        [tf.TensorSpec([None, 3, 4, 2], tf.float64)],
        [(tf.constant(_uniform(n, 3, 4, 2)),) for n in (1, 2)],
    )


def test_inference_with_unknown_dimensions():
    conv = get("Conv2D")
    spec = conv.infer(
        Spec(tf.float32, TensorShape([None, 9, None, 3])),
        Spec(tf.float32, TensorShape([3, 3, 3, 8])),
        strides=(1, 2, 2, 1),
        padding="SAME",
        explicit_paddings=(),
        data_format="NHWC",
        dilations=(1, 1, 1, 1),
    )
    assert spec.shape.as_list() == [None, 5, None, 8] and spec.dtype == tf.float32
    spec = get("Conv3D").infer(
        Spec(tf.float32, TensorShape([2, 4, 4, 4, 1])),
        Spec(tf.float32, TensorShape([2, 2, 2, 1, 5])),
        strides=(1, 1, 1, 1, 1),
        padding="VALID",
        data_format="NDHWC",
        dilations=(1, 1, 1, 1, 1),
    )
    assert spec.shape.as_list() == [2, 3, 3, 3, 5]


# -- errors -----------------------------------------------------------------------------

X, W = tf.ones([1, 5, 5, 2]), tf.ones([3, 3, 2, 4])

ERRORS = [
    (
        lambda: tf.nn.conv2d(X, W, 0, "VALID"),
        InvalidArgumentError,
        "Row and column strides should be larger than 0.",
    ),
    (lambda: tf.nn.conv2d(X, W, -1, "VALID"), InvalidArgumentError, "larger than 0"),
    (
        lambda: tf.nn.conv2d(X, W, [1, 2, 3], "VALID"),
        ValueError,
        "strides should be of length 1, 2 or 4. Received: strides=[1, 2, 3] of length 3",
    ),
    (
        lambda: tf.nn.conv2d(X, tf.ones([3, 3, 3, 4]), 1, "VALID"),
        InvalidArgumentError,
        "input depth must be evenly divisible by filter depth: 2 vs 3",
    ),
    (
        lambda: tf.nn.conv2d(X, tf.ones([3, 3, 3, 4]), 1, "VALID"),
        InvalidArgumentError,
        "Input shape [1,5,5,2], filter shape [3,3,3,4]",
    ),
    (
        lambda: tf.nn.conv2d(tf.ones([1, 5, 5, 4]), tf.ones([3, 3, 2, 3]), 1, "SAME"),
        InvalidArgumentError,
        "output depth must be evenly divisible by number of groups: 3 vs 2",
    ),
    (
        lambda: tf.nn.conv2d(X, tf.ones([3, 3, 0, 3]), 1, "SAME"),
        InvalidArgumentError,
        "filter depth must be stricly positive, got 0",
    ),
    (
        lambda: tf.nn.conv2d(X[0], W, 1, "VALID"),
        InvalidArgumentError,
        "convolution input must be 4-dimensional: [5,5,2]",
    ),
    (
        lambda: tf.nn.conv2d(X, W[0], 1, "VALID"),
        InvalidArgumentError,
        "convolution filter must be 4-dimensional: [3,2,4]",
    ),
    (
        lambda: tf.nn.conv2d(X, W, 1, "same"),
        InvalidArgumentError,
        "Value for attr 'padding' of \"same\" is not in the list of allowed values",
    ),
    (
        lambda: tf.nn.conv2d(X, W, 1, [[1, 1], [1, 1]]),
        ValueError,
        "When padding is a list, it must be of size 4.",
    ),
    (lambda: tf.nn.conv2d(X, W, 1, "EXPLICIT"), ValueError, "`padding` must be a list"),
    (
        lambda: tf.nn.conv2d(X, W, 1, [[1, 0], [1, 1], [1, 1], [0, 0]]),
        InvalidArgumentError,
        "Nonzero explicit padding in the batch or depth dimensions",
    ),
    (
        lambda: tf.nn.conv2d(X, W, [2, 1, 1, 1], "VALID"),
        UnimplementedError,
        "does not yet support strides in the batch and depth dimensions",
    ),
    (
        lambda: tf.nn.conv2d(X, tf.cast(W, tf.float64), 1, "VALID"),
        InvalidArgumentError,
        "was expected to be a float tensor but is a double tensor",
    ),
    (
        lambda: tf.nn.conv2d(tf.ones([1, 2, 5, 5]), W, 1, "SAME", data_format="NCHW"),
        UnimplementedError,
        "The Conv2D op currently only supports the NHWC tensor format on "
        "the CPU. The op was given the format: NCHW",
    ),
    (
        lambda: tf.nn.conv2d(X, tf.ones([7, 3, 2, 4]), 1, "VALID"),
        InvalidArgumentError,
        "Computed output size would be negative",
    ),
    (
        lambda: tf.nn.conv1d(tf.ones([2, 5, 2]), tf.ones([3, 2, 4]), [2, 2], "VALID"),
        ValueError,
        "stride should be of length 1, 1 or 3",
    ),
    (
        lambda: tf.nn.conv1d(tf.ones([2, 5, 2]), tf.ones([3, 2, 4]), 1, "VALID", "NCHWW"),
        ValueError,
        "`data_format` must be 'NWC' or 'NCW'",
    ),
    (
        lambda: tf.nn.conv3d(tf.ones([1, 4, 4, 4, 2]), tf.ones([2, 2, 2, 2, 3]), 1, "SAME"),
        TypeError,
        "Expected list for 'strides' argument to 'conv3d' Op, not 1.",
    ),
    (
        lambda: tf.nn.conv3d(tf.ones([1, 4, 4, 4, 4]), tf.ones([2, 2, 2, 2, 3]), [1] * 5, "SAME"),
        InvalidArgumentError,
        "Input depth must be evenly divisible by filter depth: 4 vs 2",
    ),
    (
        lambda: tf.nn.conv3d(
            tf.ones([1, 2, 4, 4, 4]), tf.ones([2, 2, 2, 2, 3]), [1] * 5, "SAME", data_format="NCDHW"
        ),
        InvalidArgumentError,
        "only supports the NHWC tensor format",
    ),
    (
        lambda: tf.nn.convolution(X, W, strides=2, dilations=2),
        ValueError,
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
        "strides=[2 2] and dilation_rate=[2 2]",
    ),
    (
        lambda: tf.nn.convolution(tf.ones([2, 2]), tf.ones([2, 2])),
        ValueError,
        "must have rank at least 3 and at most 5",
    ),
    (
        lambda: tf.nn.atrous_conv2d(X, W, 0, "SAME"),
        ValueError,
        "all values of `dilation_rate` must be positive",
    ),
    (
        lambda: tf.nn.conv2d_transpose(X, tf.ones([3, 3, 6, 2]), [1, 11, 11, 6], 2),
        InvalidArgumentError,
        "Conv2DCustomBackpropInput: Size of out_backprop doesn't match "
        "computed: actual = 5, computed = 6 spatial_dim: 1 input: 11 filter: 3 output: 5 "
        "stride: 2 dilation: 1",
    ),
    (
        lambda: tf.nn.conv2d_transpose(X, tf.ones([3, 3, 6, 3]), [1, 10, 10, 6], 2),
        InvalidArgumentError,
        "filter and out_backprop must have the same out_depth",
    ),
    (
        lambda: tf.nn.conv2d_transpose(X, tf.ones([3, 3, 6, 2]), [10, 10, 6], 2),
        InvalidArgumentError,
        "requires input_sizes to contain 4 values or 2 values, but got: 3",
    ),
    (
        lambda: tf.nn.conv2d_transpose(X, tf.ones([3, 3, 6, 2]), [2, 10, 10, 6], 2),
        InvalidArgumentError,
        "input and out_backprop must have the same batch size",
    ),
    (
        lambda: tf.nn.atrous_conv2d_transpose(X, tf.ones([3, 3, 6, 2]), [1, 5, 5, 6], 0, "SAME"),
        ValueError,
        "`rate` cannot be less than one. Received: rate=0",
    ),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors(index):
    fn, cls, text = ERRORS[index]
    with pytest.raises(cls) as info:
        fn()
    assert text in str(info.value)


def test_shape_errors_inside_a_trace_are_value_errors():
    # As TF's graph construction: the shapes alone refuse it, before anything runs.
    with pytest.raises(ValueError, match="evenly divisible"):
        tf.function(lambda x: tf.nn.conv2d(x, tf.ones([3, 3, 3, 4]), 1, "SAME"))(X)
