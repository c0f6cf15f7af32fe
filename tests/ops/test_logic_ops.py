"""Tests for tensorflux/ops/logic_ops.py: comparisons, logical/bitwise ops, NaN tests."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import logic_ops

A = np.array([[1, 5, 3], [4, 2, 6]])
B = np.array([3, 2, 3])
P = np.array([[True, False], [True, True]])
Q = np.array([True, False])

# name, function, NumPy reference, x, y
BINARY = [
    ("equal", tf.equal, np.equal, A, B),
    ("not_equal", tf.not_equal, np.not_equal, A, B),
    ("less", tf.less, np.less, A, B),
    ("less_equal", tf.less_equal, np.less_equal, A, B),
    ("greater", tf.greater, np.greater, A, B),
    ("greater_equal", tf.greater_equal, np.greater_equal, A, B),
    ("logical_and", tf.logical_and, np.logical_and, P, Q),
    ("logical_or", tf.logical_or, np.logical_or, P, Q),
    ("logical_xor", tf.math.logical_xor, np.logical_xor, P, Q),
    ("bitwise_and", logic_ops.bitwise_and, np.bitwise_and, A, B),
    ("bitwise_or", logic_ops.bitwise_or, np.bitwise_or, A, B),
    ("bitwise_xor", logic_ops.bitwise_xor, np.bitwise_xor, A, B),
]


@pytest.mark.parametrize("name,fn,ref,x,y", BINARY, ids=[r[0] for r in BINARY])
def test_binary_values(name, fn, ref, x, y):
    out = fn(tf.constant(x), tf.constant(y))
    expected = ref(x, y)
    assert out.dtype == tf.as_dtype(expected.dtype)
    np.testing.assert_array_equal(out.numpy(), expected)


V = np.array([1.0, np.nan, np.inf, -np.inf, -2.0])
UNARY = [
    ("is_nan", tf.math.is_nan, np.isnan, V),
    ("is_inf", tf.math.is_inf, np.isinf, V),
    ("is_finite", tf.math.is_finite, np.isfinite, V),
    ("logical_not", tf.logical_not, np.logical_not, P),
    ("invert", logic_ops.invert, np.invert, A),
]


@pytest.mark.parametrize("name,fn,ref,x", UNARY, ids=[r[0] for r in UNARY])
def test_unary_values(name, fn, ref, x):
    out = fn(tf.constant(x))
    np.testing.assert_array_equal(out.numpy(), ref(x))
    assert out.dtype == tf.as_dtype(ref(x).dtype)


def test_tf_examples():
    np.testing.assert_array_equal(tf.math.greater([1, 2, 3], [2]).numpy(), [False, False, True])
    np.testing.assert_array_equal(tf.equal(tf.constant(["a", "b"]), "a").numpy(), [True, False])
    assert bool(tf.math.logical_xor(True, False))
    np.testing.assert_array_equal(logic_ops.invert(tf.constant([1], tf.uint8)).numpy(), [254])
    np.testing.assert_array_equal(
        tf.less(tf.constant([1, 2]), np.array([1.5])).numpy(), [False, False]
    )  # the NumPy operand is cast to int32


def test_comparisons_are_not_differentiable():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(tf.greater(x, 1.5), tf.float32) * x
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0, 1])
    for name in ("Equal", "Less", "LogicalAnd", "IsNan", "BitwiseAnd", "Invert"):
        assert not registry.get(name).differentiable


INFER = [
    (
        "Less",
        [Spec(tf.int32, TensorShape([None, 3])), Spec(tf.int32, TensorShape([3]))],
        {},
        [2, 3],
        tf.bool,
    ),
    (
        "Equal",
        [Spec(tf.int32, TensorShape([2])), Spec(tf.int32, TensorShape([3]))],
        {"incompatible_shape_error": False},
        [],
        tf.bool,
    ),
    ("LogicalNot", [Spec(tf.bool, TensorShape([None]))], {}, [4], tf.bool),
    ("IsNan", [Spec(tf.float32, TensorShape(None))], {}, [3], tf.bool),
    (
        "BitwiseOr",
        [Spec(tf.int64, TensorShape([None, 1])), Spec(tf.int64, TensorShape([5]))],
        {},
        [2, 5],
        tf.int64,
    ),
]


@pytest.mark.parametrize("name,specs,attrs,eager_shape,dtype", INFER, ids=[r[0] for r in INFER])
def test_inference(name, specs, attrs, eager_shape, dtype):
    spec = registry.get(name).infer(*specs, **attrs)
    assert spec.dtype == dtype
    assert spec.shape.is_compatible_with(TensorShape(eager_shape))


def test_equal_infer_raises_on_incompatible_shapes_by_default():
    with pytest.raises(InvalidArgumentError, match="incompatible shapes"):
        registry.get("Equal").infer(
            Spec(tf.int32, TensorShape([2])), Spec(tf.int32, TensorShape([3]))
        )


ERRORS = [
    (lambda: tf.equal([1, 2], [1, 2, 3]), InvalidArgumentError, "Incompatible shapes: [2] vs. [3]"),
    (lambda: tf.equal(tf.constant([1, 2]), 1.5), TypeError, "Cannot convert 1.5"),
    (lambda: tf.less(tf.constant([1, 2]), 1.5), TypeError, "dtype int32"),
    (lambda: tf.equal(tf.constant(1), tf.constant("a")), InvalidArgumentError, "string"),
    (lambda: tf.less(tf.constant(["a"]), "b"), InvalidArgumentError, "string"),
    (lambda: tf.greater(tf.constant([1]), tf.constant([1.0])), InvalidArgumentError, "tf.cast"),
    (lambda: tf.logical_and([True], [1]), TypeError, "dtype bool"),
    (lambda: tf.logical_not(tf.constant([1])), InvalidArgumentError, "LogicalNot"),
    (lambda: tf.math.is_nan([1]), InvalidArgumentError, "IsNan"),
    (
        lambda: logic_ops.bitwise_and(tf.constant([3.0]), tf.constant([5.0])),
        InvalidArgumentError,
        "BitwiseAnd",
    ),
    (
        lambda: logic_ops.bitwise_or(tf.constant([3]), tf.constant([5], tf.int64)),
        InvalidArgumentError,
        "BitwiseOr",
    ),
    (lambda: logic_ops.invert(tf.constant([1.0])), InvalidArgumentError, "Invert"),
]


@pytest.mark.parametrize("expr,exc,fragment", ERRORS)
def test_errors(expr, exc, fragment):
    with pytest.raises(exc) as info:
        expr()
    assert fragment in str(info.value)


# -- LeftShift, RightShift and the tf.bitwise namespace ---------------------

# function, x, y, dtype, result recorded from TF 2.21 (shifts clamp to [0, bits - 1])
SHIFTS = [
    (tf.bitwise.left_shift, [1, -3, 5], [2, 1, 8], tf.int8, [4, -6, -128]),
    (tf.bitwise.left_shift, [1, -3, 5], [2, 33, -1], tf.int32, [4, -2147483648, 5]),
    (tf.bitwise.left_shift, [200], [3], tf.uint8, [64]),
    (tf.bitwise.right_shift, [16, -16, 5], [2, 2, 40], tf.int32, [4, -4, 0]),
    (tf.bitwise.right_shift, [-16], [9], tf.int8, [-1]),
    (tf.bitwise.right_shift, [200], [9], tf.uint8, [1]),
    (tf.bitwise.right_shift, [2**40], [38], tf.int64, [4]),
]


@pytest.mark.parametrize("fn,x,y,dtype,expected", SHIFTS)
def test_shifts_as_tf(fn, x, y, dtype, expected):
    out = fn(tf.constant(x, dtype), tf.constant(y, dtype))
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.numpy(), expected)


def test_shifts_broadcast_and_take_python_scalars():
    out = tf.bitwise.left_shift(tf.constant([[1], [2]]), tf.constant([1, 2]))
    np.testing.assert_array_equal(out.numpy(), [[2, 4], [4, 8]])
    out = tf.bitwise.right_shift([8, 16], 2)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [2, 4])


@pytest.mark.parametrize("name", ["LeftShift", "RightShift"])
def test_shift_inference(name):
    op = registry.get(name)
    spec = op.infer(Spec(tf.int32, TensorShape([None, 1])), Spec(tf.int32, TensorShape([3])))
    out = registry.execute(op, [np.ones((2, 1), np.int32), np.ones(3, np.int32)])
    assert spec.dtype == out.dtype and spec.shape.is_compatible_with(out.shape)


@pytest.mark.parametrize(
    "fn,x,y,exc,msg",
    [
        (
            tf.bitwise.left_shift,
            tf.constant([1.0]),
            tf.constant([1.0]),
            InvalidArgumentError,
            "float32 is not in the list of allowed values",
        ),
        (
            tf.bitwise.right_shift,
            tf.constant([1]),
            tf.constant([1], tf.int64),
            InvalidArgumentError,
            "cannot compute RightShift as input #1",
        ),
        (tf.bitwise.left_shift, tf.constant([1]), 1.5, TypeError, "Cannot convert 1.5"),
    ],
)
def test_shift_errors(fn, x, y, exc, msg):
    with pytest.raises(exc, match=msg):
        fn(x, y)


def test_bitwise_namespace():
    assert sorted(n for n in vars(tf.bitwise) if not n.startswith("_")) == [
        "bitwise_and",
        "bitwise_or",
        "bitwise_xor",
        "invert",
        "left_shift",
        "right_shift",
    ]
    np.testing.assert_array_equal(tf.bitwise.invert(tf.constant([0], tf.uint8)).numpy(), [255])
    assert not hasattr(tf, "left_shift")
