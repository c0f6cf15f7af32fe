"""Tests for tensorflux/ops/reduction_ops.py: values, dtypes, inference, gradients, errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.testing import check_gradients

# Distinct values (no ties), no zeros: every reduction is smooth here.
X = np.array(
    [
        [[0.6, -1.3, 2.2, 0.9], [1.7, -0.4, 0.35, -2.1], [1.1, 0.8, -0.7, 1.45]],
        [[-0.9, 1.25, 0.5, -1.6], [2.4, 0.75, -1.15, 0.2], [-0.3, 1.9, 1.05, -0.55]],
    ]
)

AXES = [None, 0, 1, -1, [0, 2], [-1, 0], [0, 1, 2], []]

# name, function, NumPy reference(x, axis, keepdims)
REDUCTIONS = [
    ("reduce_sum", tf.reduce_sum, np.sum),
    ("reduce_mean", tf.reduce_mean, np.mean),
    ("reduce_max", tf.reduce_max, np.max),
    ("reduce_min", tf.reduce_min, np.min),
    ("reduce_prod", tf.reduce_prod, np.prod),
    ("reduce_std", tf.math.reduce_std, np.std),
    ("reduce_variance", tf.math.reduce_variance, np.var),
    (
        "reduce_logsumexp",
        tf.reduce_logsumexp,
        lambda v, axis, keepdims: np.log(np.sum(np.exp(v), axis=axis, keepdims=keepdims)),
    ),
    (
        "reduce_euclidean_norm",
        tf.math.reduce_euclidean_norm,
        lambda v, axis, keepdims: np.sqrt(np.sum(v * v, axis=axis, keepdims=keepdims)),
    ),
]


def _np_axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@pytest.mark.parametrize("name,fn,ref", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_values(name, fn, ref, axis, keepdims):
    out = fn(tf.constant(X), axis=axis, keepdims=keepdims)
    expected = ref(X, axis=_np_axis(axis), keepdims=keepdims)
    assert out.dtype == tf.float64
    assert out.shape == TensorShape(np.shape(expected))
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name,fn,ref", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
@pytest.mark.parametrize("axis", [None, 1, [0, 2]], ids=str)
def test_reduction_gradients(name, fn, ref, axis):
    order = 2 if axis == 1 else 1
    check_gradients(lambda x: fn(x, axis=axis), [X], order=order)


def test_prod_gradient_handles_zeros():
    x = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0]])
    check_gradients(lambda v: tf.reduce_prod(v, axis=1), [x])
    check_gradients(lambda v: tf.reduce_prod(v), [x[:1]])
    t = tf.constant([2.0, 0.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.reduce_prod(t)
    np.testing.assert_array_equal(tape.gradient(y, t).numpy(), [0, 6, 0])


def test_max_min_gradient_splits_ties_like_tf():
    t = tf.constant([[1.0, 1.0, 3.0], [2.0, 0.0, 5.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(t)
        mx, mn = tf.reduce_max(tf.constant([1.0, 3.0, 3.0]) * 1.0), tf.reduce_min(t, axis=1)
        mx_full = tf.reduce_max(t * tf.constant([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]))
    np.testing.assert_array_equal(tape.gradient(mn, t).numpy(), [[0.5, 0.5, 0], [0, 1, 0]])
    # max of [[1,1,0],[0,0,0]]: the two 1s share the gradient.
    np.testing.assert_array_equal(tape.gradient(mx_full, t).numpy(), [[0.5, 0.5, 0], [0, 0, 0]])
    assert mx.numpy() == 3.0


def test_seed_examples():
    a = tf.constant([[1, 2], [3, 4]])
    np.testing.assert_array_equal(tf.reduce_sum(a, axis=0).numpy(), [4, 6])
    np.testing.assert_array_equal(tf.reduce_sum(a, axis=1).numpy(), [3, 7])
    s = tf.reduce_sum(tf.cast(a > 1, tf.float32))
    assert s.dtype == tf.float32 and float(s) == 3.0


# -- integer and bool semantics, checked against TF 2.21 --------------------

# expression, expected value, expected dtype
INT_CASES = [
    (lambda: tf.reduce_mean([1, 2]), 1, tf.int32),
    (lambda: tf.reduce_mean(tf.constant([-1, -2])), -1, tf.int32),
    (lambda: tf.reduce_mean(tf.constant([2**30, 2**30])), 2**30, tf.int32),
    (lambda: tf.reduce_mean(tf.constant([1, 2], tf.int8)), 1, tf.int8),
    (lambda: tf.reduce_mean(tf.constant([1.0, 2.0], tf.float16)), 1.5, tf.float16),
    (lambda: tf.reduce_sum(tf.constant([100, 100], tf.int8)), -56, tf.int8),
    (lambda: tf.reduce_sum(tf.constant([200, 200], tf.uint8)), 144, tf.uint8),
    (lambda: tf.reduce_prod(tf.constant([100, 3], tf.int8)), 44, tf.int8),
    (lambda: tf.reduce_max([1, 3]), 3, tf.int32),
    (lambda: tf.reduce_max(tf.zeros([0], tf.int32)), -(2**31), tf.int32),
    (lambda: tf.reduce_max(tf.zeros([0])), -np.inf, tf.float32),
    (lambda: tf.reduce_min(tf.zeros([0])), np.inf, tf.float32),
    (lambda: tf.reduce_any([True, False]), True, tf.bool),
    (lambda: tf.reduce_all([True, False]), False, tf.bool),
    (lambda: tf.math.count_nonzero([0, 1, 2]), 2, tf.int64),
    (lambda: tf.math.count_nonzero([0.0, 1.0, 2.0], dtype=tf.int32), 2, tf.int32),
    (lambda: tf.math.count_nonzero([True, False]), 1, tf.int64),
    (lambda: tf.math.count_nonzero(["a", ""]), 1, tf.int64),
    (lambda: tf.math.reduce_euclidean_norm([3, 4]), 5, tf.int32),
    (lambda: tf.reduce_logsumexp(tf.constant([-np.inf, -np.inf])), -np.inf, tf.float32),
    (lambda: tf.reduce_logsumexp(tf.constant([np.inf, 1.0])), np.inf, tf.float32),
    (lambda: tf.math.reduce_std(tf.constant([1 + 1j, 2.0])), np.sqrt(0.5), tf.float64),
    (lambda: tf.argmax([1, 3, 2]), 1, tf.int64),
    (lambda: tf.argmin([2, 1, 1]), 1, tf.int64),
    (lambda: tf.argmax(tf.constant([True, False])), 0, tf.int64),
    (lambda: tf.argmax([np.nan, 1.0]), 1, tf.int64),
    (lambda: tf.argmax([1.0, np.nan, 3.0]), 2, tf.int64),
    (lambda: tf.argmin([np.nan, 1.0]), 1, tf.int64),
    (lambda: tf.reduce_sum(tf.constant(5), axis=[]), 5, tf.int32),
]


@pytest.mark.parametrize("expr,value,dtype", INT_CASES)
def test_integer_and_bool_semantics(expr, value, dtype):
    out = expr()
    assert out.dtype == dtype
    np.testing.assert_allclose(out.numpy(), value)


def test_keepdims_and_axis_forms():
    a = [[1, 2], [3, 4]]
    assert tf.reduce_max(a, axis=-1, keepdims=True).shape == TensorShape([2, 1])
    assert int(tf.reduce_sum(a, axis=tf.constant([0, 1]))) == 10
    np.testing.assert_array_equal(
        tf.reduce_all([[True, False], [True, True]], axis=-1).numpy(), [False, True]
    )
    np.testing.assert_array_equal(
        tf.math.count_nonzero([[0, 1], [2, 3]], axis=1, keepdims=True).numpy(), [[1], [2]]
    )


# -- argmax / argmin --------------------------------------------------------


@pytest.mark.parametrize("fn,ref", [(tf.argmax, np.argmax), (tf.argmin, np.argmin)])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, 2])
def test_arg_extrema(fn, ref, axis):
    out = fn(X, axis=axis)
    assert out.dtype == tf.int64
    np.testing.assert_array_equal(out.numpy(), ref(X, axis=0 if axis is None else axis))
    assert fn(X, axis=axis, output_type=tf.int32).dtype == tf.int32


# -- cumsum / cumprod -------------------------------------------------------


def _np_scan(fn, identity, v, axis, exclusive, reverse):
    if reverse:
        v = np.flip(v, axis)
    out = fn(v, axis=axis)
    if exclusive:
        out = np.moveaxis(out, axis, 0)
        out = np.concatenate([np.full_like(out[:1], identity), out[:-1]], axis=0)
        out = np.moveaxis(out, 0, axis)
    return np.flip(out, axis) if reverse else out


@pytest.mark.parametrize(
    "fn,np_fn,identity", [(tf.cumsum, np.cumsum, 0), (tf.math.cumprod, np.cumprod, 1)]
)
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_scans(fn, np_fn, identity, axis, exclusive, reverse):
    out = fn(tf.constant(X), axis=axis, exclusive=exclusive, reverse=reverse)
    np.testing.assert_allclose(
        out.numpy(), _np_scan(np_fn, identity, X, axis, exclusive, reverse), rtol=1e-12
    )
    check_gradients(
        lambda v: fn(v, axis=axis, exclusive=exclusive, reverse=reverse),
        [X[0]],
        order=2 if axis == 1 and exclusive else 1,
    )


def test_scan_examples_from_tf():
    np.testing.assert_array_equal(
        tf.cumsum([1, 2, 3], exclusive=True, reverse=True).numpy(), [5, 3, 0]
    )
    np.testing.assert_array_equal(tf.math.cumprod([1, 2, 3], exclusive=True).numpy(), [1, 1, 2])
    np.testing.assert_array_equal(tf.cumsum([[1, 2], [3, 4]]).numpy(), [[1, 2], [4, 6]])
    assert tf.cumsum(tf.constant([1, 2], tf.int8)).dtype == tf.int8


# -- inference --------------------------------------------------------------

_F = tf.float32
INFER = [
    ("Sum", TensorShape([None, 3, 4]), {"axis": (1,), "keepdims": False}, (2, 3, 4)),
    ("Mean", TensorShape([None, 3, 4]), {"axis": (0, 2), "keepdims": True}, (2, 3, 4)),
    ("Max", TensorShape([None, 3]), {"axis": None, "keepdims": False}, (2, 3)),
    ("Prod", TensorShape(None), {"axis": (1,), "keepdims": False}, (2, 3)),
    ("ArgMax", TensorShape([None, 3]), {"axis": 1, "output_type": tf.int64}, (2, 3)),
    ("Cumsum", TensorShape([None, 3]), {"axis": 1, "exclusive": True, "reverse": False}, (2, 3)),
]


@pytest.mark.parametrize("name,shape,attrs,concrete", INFER, ids=[r[0] for r in INFER])
def test_inference_matches_eager(name, shape, attrs, concrete):
    op = registry.get(name)
    spec = op.infer(Spec(_F, shape), **attrs)
    eager = registry.execute(op, [tf.constant(np.ones(concrete, np.float32))], attrs)
    assert spec.dtype == eager.dtype
    assert spec.shape.is_compatible_with(eager.shape)


def test_bool_inference():
    spec = registry.get("Any").infer(
        Spec(tf.bool, TensorShape([None, 2])), axis=(1,), keepdims=False
    )
    assert spec == Spec(tf.bool, TensorShape([None]))


# -- errors -----------------------------------------------------------------

ERRORS = [
    (
        lambda: tf.reduce_sum([[1, 2], [3, 4]], axis=2),
        InvalidArgumentError,
        "Invalid reduction dimension (2 for input with 2 dimension(s)",
    ),
    (
        lambda: tf.reduce_sum(tf.constant(5), axis=0),
        InvalidArgumentError,
        "Invalid reduction dimension",
    ),
    (lambda: tf.reduce_sum([[1, 2]], axis=[0, 0]), InvalidArgumentError, "duplicate dimension"),
    (lambda: tf.reduce_sum(tf.constant([True])), InvalidArgumentError, "bool"),
    (lambda: tf.reduce_mean(tf.constant([True])), InvalidArgumentError, "Mean"),
    (lambda: tf.reduce_max(tf.constant([True])), InvalidArgumentError, "Max"),
    (lambda: tf.reduce_any([1, 0]), TypeError, "dtype bool"),
    (lambda: tf.reduce_any(tf.constant([1, 0])), InvalidArgumentError, "Any"),
    (lambda: tf.math.reduce_std(tf.constant([1, 3])), TypeError, "real or complex"),
    (lambda: tf.math.reduce_variance(tf.constant([1, 3])), TypeError, "tf.cast"),
    (lambda: tf.reduce_logsumexp([1, 2]), InvalidArgumentError, "IsFinite"),
    (
        lambda: tf.argmax([[1, 2]], axis=2),
        InvalidArgumentError,
        "Expected dimension in the range [-2, 2), but got 2",
    ),
    (lambda: tf.argmax(tf.constant(5)), InvalidArgumentError, "range [0, 0)"),
    (lambda: tf.argmax([1, 2], output_type=tf.float32), InvalidArgumentError, "output_type"),
    (
        lambda: tf.cumsum([[1, 2], [3, 4]], axis=2),
        InvalidArgumentError,
        "Expected scan axis in the range [-2, 2), but got 2",
    ),
    (lambda: tf.cumsum(tf.constant([True])), InvalidArgumentError, "Cumsum"),
]


@pytest.mark.parametrize("expr,exc,fragment", ERRORS)
def test_errors(expr, exc, fragment):
    with pytest.raises(exc) as info:
        expr()
    assert fragment in str(info.value)
