"""Pooling ops: values, gradients and errors against TF fixtures, finite-difference
checks, tracing with unknown sizes, and inference."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework.shape import TensorShape
from tensorflux.testing import check_gradients, check_one_graph

with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "pooling_ops.json")) as f:
    FIXTURES = json.load(f)


def _case_id(case):
    return f"{case['fn']}-{np.shape(case['x'])}-{case['ksize']}-{case['strides']}-{case['padding']}"


def _run(case, fn):
    x = tf.constant(np.array(case["x"], np.float32))
    dy = tf.constant(np.array(case["dy"], np.float32))
    with tf.GradientTape() as outer:
        outer.watch(dy)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        dx = tape.gradient(y, x, output_gradients=dy)
    ddy = None
    if "ddx" in case:
        ddy = outer.gradient(
            dx, dy, output_gradients=tf.constant(np.array(case["ddx"], np.float32))
        )
    return y, dx, ddy


def _pool_fn(case):
    fn = getattr(tf.nn, case["fn"])
    return lambda x: fn(x, case["ksize"], case["strides"], case["padding"])


def _check_case(case, y, dx, ddy):
    np.testing.assert_allclose(y.numpy(), np.array(case["y"]), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dx.numpy(), np.array(case["dx"]), rtol=1e-6, atol=1e-6)
    if "ddx" in case:
        np.testing.assert_allclose(ddy.numpy(), np.array(case["ddy"]), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", FIXTURES["values"] + FIXTURES["ties"], ids=_case_id)
def test_values_and_gradients_match_tf(case):
    _check_case(case, *_run(case, _pool_fn(case)))


@pytest.mark.parametrize("case", FIXTURES["values"][::3] + FIXTURES["ties"], ids=_case_id)
def test_values_and_gradients_match_tf_inside_tf_function(case):
    fn = _pool_fn(case)

    @tf.function
    def run(x, dy, ddx):
        with tf.GradientTape() as outer:
            outer.watch(dy)
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = fn(x)
            dx = tape.gradient(y, x, output_gradients=dy)
        ddy = outer.gradient(dx, dy, output_gradients=ddx) if "ddx" in case else y
        return y, dx, ddy

    ddx = np.array(case.get("ddx", case["x"]), np.float32)
    _check_case(
        case,
        *run(
            tf.constant(np.array(case["x"], np.float32)),
            tf.constant(np.array(case["dy"], np.float32)),
            tf.constant(ddx),
        ),
    )


@pytest.mark.parametrize("case", FIXTURES["forward_only"], ids=_case_id)
def test_depthwise_max_pool_and_channel_strides_match_tf(case):
    y = _pool_fn(case)(tf.constant(np.array(case["x"], np.float32)))
    np.testing.assert_array_equal(y.numpy(), np.array(case["y"]))


def test_depthwise_max_pool_has_no_gradient_as_in_tf():
    x = tf.ones((1, 2, 2, 4))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, [1, 1, 1, 2], [1, 1, 1, 2], "VALID")
    with pytest.raises(tf.errors.UnimplementedError, match="not yet supported on the depth"):
        tape.gradient(y, x)


def test_max_pool_grad_gives_tied_maxima_to_the_first_cell_of_each_window():
    # Overlapping 2x2 windows of ones: each window's gradient goes to its top-left cell.
    x = tf.ones((1, 3, 3, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, 1, "VALID")
    dy = tf.reshape(tf.constant([1.0, 10.0, 100.0, 1000.0]), (1, 2, 2, 1))
    dx = tape.gradient(y, x, output_gradients=dy).numpy().reshape(3, 3)
    np.testing.assert_array_equal(dx, [[1, 10, 0], [100, 1000, 0], [0, 0, 0]])


def test_max_pool3d_grad_gives_every_tied_maximum_the_gradient():
    x = tf.ones((1, 1, 2, 2, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool3d(x, [1, 2, 2], 1, "VALID")
    np.testing.assert_array_equal(tape.gradient(y, x).numpy().ravel(), [1, 1, 1, 1])


@pytest.mark.parametrize(
    "case",
    FIXTURES["argmax"],
    ids=lambda c: (
        f"{np.shape(c['x'])}-{c['ksize']}-{c['strides']}-"
        f"{c['padding']}-{c['include_batch_in_index']}"
    ),
)
def test_max_pool_with_argmax_matches_tf(case):
    x = tf.constant(np.array(case["x"], np.float32))
    dy = tf.constant(np.array(case["dy"], np.float32))
    batch = case["include_batch_in_index"]
    with tf.GradientTape() as outer:
        outer.watch(dy)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y, arg = tf.nn.max_pool_with_argmax(
                x, case["ksize"], case["strides"], case["padding"], include_batch_in_index=batch
            )
        dx = tape.gradient(y, x, output_gradients=dy)
    assert arg.dtype == tf.int64
    np.testing.assert_array_equal(arg.numpy(), np.array(case["argmax"]))
    np.testing.assert_allclose(y.numpy(), np.array(case["y"]))
    np.testing.assert_allclose(dx.numpy(), np.array(case["dx"]))
    # The second-order op reads its input at the argmax cells (TF runs it on GPUs only).
    ddx = np.arange(np.size(case["x"]), dtype=np.float32).reshape(np.shape(case["x"]))
    ddy = outer.gradient(dx, dy, output_gradients=tf.constant(ddx)).numpy()
    idx = np.array(case["argmax"])
    if not batch:
        per_image = ddx[0].size
        idx = idx + (np.arange(idx.shape[0]) * per_image).reshape(-1, 1, 1, 1)
    np.testing.assert_array_equal(ddy, ddx.reshape(-1)[idx])


def test_max_pool_with_argmax_int32_output():
    _, arg = tf.nn.max_pool_with_argmax(tf.ones((1, 4, 4, 1)), 2, 2, "SAME", output_dtype=tf.int32)
    assert arg.dtype == tf.int32
    np.testing.assert_array_equal(arg.numpy().ravel(), [0, 2, 8, 10])


@pytest.mark.parametrize(
    "case",
    FIXTURES["pool"],
    ids=lambda c: f"{c['pooling_type']}-{c['window_shape']}-{c['dilations']}",
)
def test_pool_matches_tf(case):
    y = tf.nn.pool(
        tf.constant(np.array(case["x"], np.float32)),
        case["window_shape"],
        case["pooling_type"],
        strides=case["strides"],
        padding=case["padding"],
        dilations=case["dilations"],
    )
    np.testing.assert_allclose(y.numpy(), np.array(case["y"]), rtol=1e-6)


@pytest.mark.parametrize("case", FIXTURES["errors"], ids=lambda c: c["expr"])
def test_errors_match_tf(case):
    with pytest.raises(Exception) as info:
        eval(case["expr"], {"tf": tf})  # noqa: S307 - the fixture's own expressions
    assert type(info.value).__name__ == case["type"]
    assert case["fragment"] in str(info.value)


def test_explicit_padding_has_no_second_derivative_as_in_tf():
    x = tf.constant(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1))
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.max_pool2d(x, 2, 1, [[0, 0], [1, 1], [1, 1], [0, 0]])
        dx = inner.gradient(y, x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="EXPLICIT"):
        outer.gradient(dx, x)


# -- finite differences (float64, distinct values: no ties) -------------------------------


def _distinct(shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1


@pytest.mark.parametrize(
    "fn,shape,ksize,strides,padding",
    [
        (tf.nn.max_pool2d, (2, 5, 4, 2), 2, 2, "SAME"),
        (tf.nn.max_pool2d, (1, 5, 5, 1), 3, 1, "SAME"),
        (tf.nn.avg_pool2d, (2, 5, 4, 2), 3, 2, "SAME"),
        (tf.nn.avg_pool2d, (1, 5, 5, 1), 2, 1, "VALID"),
        (tf.nn.max_pool1d, (1, 7, 2), 3, 2, "SAME"),
        (tf.nn.avg_pool1d, (1, 7, 2), 3, 2, "VALID"),
        (tf.nn.max_pool3d, (1, 3, 4, 3, 1), 2, 1, "SAME"),
        (tf.nn.avg_pool3d, (1, 3, 4, 3, 1), 2, 2, "SAME"),
    ],
)
def test_gradients_match_finite_differences(fn, shape, ksize, strides, padding):
    check_gradients(lambda x: fn(x, ksize, strides, padding), [_distinct(shape)], order=2)


def test_explicit_padding_and_argmax_gradients_match_finite_differences():
    check_gradients(
        lambda x: tf.nn.max_pool2d(x, 2, 1, [[0, 0], [1, 0], [0, 1], [0, 0]]),
        [_distinct((1, 4, 4, 2))],
    )
    check_gradients(
        lambda x: tf.nn.max_pool_with_argmax(x, 3, 2, "SAME")[0], [_distinct((2, 5, 5, 2))], order=2
    )
    check_gradients(
        lambda x: tf.nn.pool(x, [2, 2], "MAX", dilations=[2, 1]), [_distinct((1, 5, 4, 1))], order=2
    )
    check_gradients(
        lambda x: tf.nn.pool(x, [2], "AVG", dilations=[2]), [_distinct((1, 6, 2))], order=2
    )


# -- dtypes, shapes, tracing, inference ----------------------------------------------------


@pytest.mark.parametrize("dtype", [tf.float16, tf.float64, tf.int32, tf.uint8])
def test_max_pool_keeps_the_input_dtype(dtype):
    x = tf.cast(tf.reshape(tf.range(16), (1, 4, 4, 1)), dtype)
    y = tf.nn.max_pool2d(x, 2, 2, "VALID")
    assert y.dtype == dtype
    np.testing.assert_array_equal(y.numpy().ravel(), [5, 7, 13, 15])


def test_avg_pool_half_and_double():
    for dtype in (tf.float16, tf.float64):
        y = tf.nn.avg_pool2d(tf.ones((1, 3, 3, 1), dtype), 2, 2, "SAME")
        assert y.dtype == dtype
        np.testing.assert_array_equal(y.numpy().ravel(), [1, 1, 1, 1])


def test_max_pool_ignores_nan_and_starts_from_the_lowest_value_as_tf():
    x = tf.constant(np.array([1, np.nan, 2, 0], np.float32).reshape(1, 2, 2, 1))
    np.testing.assert_array_equal(tf.nn.max_pool2d(x, 2, 1, "SAME").numpy().ravel(), [2, 0, 2, 0])
    lowest = tf.nn.max_pool2d(tf.fill((1, 2, 2, 1), -np.inf), 2, 1, "SAME")
    assert (lowest.numpy() == np.finfo(np.float32).min).all()


def test_windows_of_minus_infinity_give_their_first_cell_the_gradient_as_tf():
    x = tf.fill((1, 2, 2, 1), -np.inf)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, 1, "SAME")
    np.testing.assert_array_equal(tape.gradient(y, x).numpy().ravel(), [1, 1, 1, 1])
    _, arg = tf.nn.max_pool_with_argmax(x, 2, 1, "SAME")
    np.testing.assert_array_equal(arg.numpy().ravel(), [0, 1, 2, 3])


def test_empty_batch_and_window_larger_than_a_valid_input():
    assert tf.nn.max_pool2d(tf.ones((0, 4, 4, 1)), 2, 1, "VALID").shape == (0, 3, 3, 1)
    assert tf.nn.avg_pool2d(tf.ones((1, 4, 4, 1)), 5, 1, "VALID").shape == (1, 0, 0, 1)


def test_dispatch_by_rank():
    assert tf.nn.max_pool(tf.ones((2, 6, 3)), 2, 2, "VALID").shape == (2, 3, 3)
    assert tf.nn.avg_pool(tf.ones((2, 6, 6, 3)), [3], [3], "VALID").shape == (2, 2, 2, 3)
    assert tf.nn.max_pool(tf.ones((1, 4, 4, 4, 1)), [1, 2, 2, 2, 1], 2, "SAME").shape == (
        1,
        2,
        2,
        2,
        1,
    )


@pytest.mark.parametrize("fn", [tf.nn.max_pool2d, tf.nn.avg_pool2d])
def test_one_graph_serves_every_size(fn):
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x, 3, 2, "SAME")
            loss = tf.reduce_sum(y * y)
        return y, tape.gradient(loss, x)

    rng = np.random.default_rng(1)
    calls = [
        (tf.constant(rng.standard_normal(s).astype(np.float32)),)
        for s in [(2, 5, 6, 3), (1, 8, 7, 3), (3, 4, 4, 3)]
    ]
    check_one_graph(step, [tf.TensorSpec([None, None, None, 3], tf.float32)], calls)


def test_traced_gradient_keeps_the_known_sizes():
    shapes = {}

    @tf.function(input_signature=[tf.TensorSpec([None, 6, 6, 2], tf.float32)])
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.avg_pool2d(x, 2, 2, "VALID")
        dx = tape.gradient(y, x)
        shapes["y"], shapes["dx"] = y.shape.as_list(), dx.shape.as_list()
        return dx

    step(tf.ones((3, 6, 6, 2)))
    assert shapes == {"y": [None, 3, 3, 2], "dx": [None, 6, 6, 2]}


def test_inference_rules_with_unknown_sizes():
    infer = registry.get("MaxPool").infer
    out = infer(
        Spec(tf.float32, TensorShape([None, None, 7, 3])),
        ksize=[1, 2, 2, 1],
        strides=[1, 2, 2, 1],
        padding="SAME",
    )
    assert out.shape.as_list() == [None, None, 4, 3]
    out = registry.get("AvgPool3D").infer(
        Spec(tf.float32, TensorShape(None)), ksize=[1, 2, 2, 2, 1], strides=[1] * 5, padding="VALID"
    )
    assert out.shape.as_list() == [None] * 5
    grad = registry.get("AvgPoolGrad").infer(
        Spec(tf.int32, TensorShape([4])),
        Spec(tf.float32, TensorShape([None, 3, 3, 2])),
        ksize=[1, 2, 2, 1],
        strides=[1, 2, 2, 1],
        padding="VALID",
    )
    assert grad.shape.as_list() == [None, None, None, 2]
    values, argmax = registry.get("MaxPoolWithArgmax").infer(
        Spec(tf.float32, TensorShape([2, 5, None, 1])),
        ksize=[1, 2, 2, 1],
        strides=[1, 2, 2, 1],
        padding="VALID",
    )
    assert values.shape.as_list() == argmax.shape.as_list() == [2, 2, None, 1]
    assert argmax.dtype == tf.int64


def _op_calls():
    """(op name, input arrays, attrs) for every pooling op."""
    rng = np.random.default_rng(3)
    x4 = rng.standard_normal((2, 5, 6, 3)).astype(np.float32)
    x5 = rng.standard_normal((1, 3, 4, 5, 2)).astype(np.float32)
    a4 = {"ksize": [1, 3, 2, 1], "strides": [1, 2, 2, 1], "padding": "SAME"}
    a5 = {"ksize": [1, 2, 2, 3, 1], "strides": [1, 1, 2, 2, 1], "padding": "VALID"}
    y4 = tf.nn.max_pool2d(x4, [3, 2], 2, "SAME").numpy()
    y5 = tf.nn.max_pool3d(x5, [2, 2, 3], [1, 2, 2], "VALID").numpy()
    _, arg = tf.nn.max_pool_with_argmax(x4, [3, 2], 2, "SAME")
    shape4 = np.array(x4.shape, np.int32)
    return [
        ("MaxPool", [x4], a4),
        ("AvgPool", [x4], a4),
        ("MaxPool3D", [x5], a5),
        ("AvgPool3D", [x5], a5),
        ("MaxPoolGrad", [x4, y4, y4], a4),
        ("MaxPoolGradGrad", [x4, y4, x4], a4),
        ("AvgPoolGrad", [shape4, y4], a4),
        ("MaxPool3DGrad", [x5, y5, y5], a5),
        ("MaxPool3DGradGrad", [x5, y5, x5], a5),
        ("AvgPool3DGrad", [np.array(x5.shape, np.int32), y5], a5),
        ("MaxPoolWithArgmax", [x4], dict(a4, Targmax=tf.int64, include_batch_in_index=False)),
        ("MaxPoolGradWithArgmax", [x4, y4, arg.numpy()], dict(a4, include_batch_in_index=False)),
        (
            "MaxPoolGradGradWithArgmax",
            [x4, x4, arg.numpy()],
            dict(a4, include_batch_in_index=False),
        ),
    ]


@pytest.mark.parametrize(
    "name, arrays, attrs", _op_calls(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_inference_agrees_with_the_kernel(name, arrays, attrs):
    op = registry.get(name)
    out = registry.execute(op, [tf.constant(a) for a in arrays], attrs)
    outs = out if isinstance(out, tuple) else (out,)
    specs = [Spec(tf.as_dtype(a.dtype), TensorShape(list(a.shape))) for a in arrays]
    inferred = op.infer(*specs, **attrs)
    inferred = (inferred,) if isinstance(inferred, Spec) else inferred
    partial = [
        Spec(s.dtype, TensorShape([None] * s.shape.rank)) if i == 0 or s.shape.rank > 1 else s
        for i, s in enumerate(specs)
    ]
    loose = op.infer(*partial, **attrs)
    loose = (loose,) if isinstance(loose, Spec) else loose
    for o, spec, unknown in zip(outs, inferred, loose):
        assert spec.dtype == o.dtype
        assert spec.shape.is_compatible_with(o.shape)
        assert unknown.shape.is_compatible_with(o.shape)
        if name not in ("AvgPoolGrad", "AvgPool3DGrad"):
            assert spec.shape.as_list() == o.shape.as_list()
