"""Tests for tensorflux/ops/operators.py: the Python operator surface of Tensor and Variable."""

import operator

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError

XF = np.array([[1.5, -2.0], [3.0, 0.5]], np.float32)
YF = np.array([[0.5, 4.0], [-1.5, 2.0]], np.float32)
XI = np.array([[7, -7], [5, 12]], np.int32)
YI = np.array([[2, 3], [-3, 5]], np.int32)

# operator, x, y, NumPy reference
BINARY = [
    (operator.add, XF, YF, np.add),
    (operator.sub, XF, YF, np.subtract),
    (operator.mul, XF, YF, np.multiply),
    (operator.truediv, XF, YF, np.true_divide),
    (operator.floordiv, XI, YI, np.floor_divide),
    (operator.mod, XI, YI, np.mod),
    (operator.pow, np.abs(XF), YF, np.power),
    (operator.matmul, XF, YF, np.matmul),
    (operator.lt, XF, YF, np.less),
    (operator.le, XF, YF, np.less_equal),
    (operator.gt, XF, YF, np.greater),
    (operator.ge, XF, YF, np.greater_equal),
    (operator.eq, XI, YI, np.equal),
    (operator.ne, XI, YI, np.not_equal),
    (operator.and_, XI, YI, np.bitwise_and),
    (operator.or_, XI, YI, np.bitwise_or),
    (operator.xor, XI, YI, np.bitwise_xor),
    (operator.and_, XI > 6, YI > 2, np.logical_and),
    (operator.or_, XI > 6, YI > 2, np.logical_or),
    (operator.xor, XI > 6, YI > 2, np.logical_xor),
]


@pytest.mark.parametrize(
    "op,x,y,ref", BINARY, ids=[f"{r[0].__name__}-{r[1].dtype}" for r in BINARY]
)
@pytest.mark.parametrize("wrap", [tf.constant, tf.Variable], ids=["tensor", "variable"])
def test_binary_operators(op, x, y, ref, wrap):
    expected = ref(x, y)
    for a, b in ((wrap(x), wrap(y)), (wrap(x), y), (x, wrap(y))):
        out = op(a, b)
        assert isinstance(out, tf.Tensor)
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
        assert out.dtype == tf.as_dtype(expected.dtype)


@pytest.mark.parametrize("wrap", [tf.constant, tf.Variable], ids=["tensor", "variable"])
def test_unary_operators(wrap):
    np.testing.assert_array_equal((-wrap(XF)).numpy(), -XF)
    np.testing.assert_array_equal(abs(wrap(XI)).numpy(), np.abs(XI))
    assert abs(wrap(XI)).dtype == tf.int32
    np.testing.assert_array_equal((~wrap(XI)).numpy(), ~XI)
    np.testing.assert_array_equal((~wrap(XI > 6)).numpy(), ~(XI > 6))


def test_reverse_operators_with_python_scalars():
    t = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal((2 - t).numpy(), [1, 0])
    np.testing.assert_array_equal((1.5 * t).numpy(), [1.5, 3])
    np.testing.assert_array_equal((1 + t).numpy(), [2, 3])
    np.testing.assert_array_equal((2 / t).numpy(), [2, 1])
    np.testing.assert_array_equal((2**t).numpy(), [2, 4])
    np.testing.assert_array_equal((7 // tf.constant([2])).numpy(), [3])
    np.testing.assert_array_equal((-7 % tf.constant([3])).numpy(), [2])
    np.testing.assert_array_equal((3 > t).numpy(), [True, True])
    assert (2 / tf.constant([1])).dtype == tf.float64
    np.testing.assert_array_equal((True & tf.constant([True, False])).numpy(), [True, False])
    np.testing.assert_array_equal((tf.constant([3]) & True).numpy(), [1])


def test_numpy_operands_become_tensors_of_the_tensor_dtype():
    t = tf.constant([1, 2])
    out = np.array([1.5, 3.0]) + t
    assert isinstance(out, tf.Tensor) and out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [2, 5])
    cmp = np.array([1.5, 3.0]) < t
    assert isinstance(cmp, tf.Tensor)
    np.testing.assert_array_equal(cmp.numpy(), [False, False])


def test_equality_is_elementwise_tf2_style():
    t = tf.constant([1, 2])
    assert (t == None) is False  # noqa: E711 - the operator itself is under test
    assert (t != None) is True  # noqa: E711
    assert bool(t == [1, 2, 3]) is False  # shapes that cannot broadcast
    assert bool(t != tf.constant([1, 2, 3])) is True
    np.testing.assert_array_equal((t == t.numpy()).numpy(), [True, True])
    np.testing.assert_array_equal(
        (tf.constant([[1, 2]]) == tf.constant([[1], [2]])).numpy(), [[True, False], [False, True]]
    )
    np.testing.assert_array_equal(
        (tf.Variable([1, 2]) == tf.Variable([1, 2])).numpy(), [True, True]
    )
    assert bool(tf.constant(1) == tf.Variable(1))
    np.testing.assert_array_equal((tf.constant([1.0, 2.0]) == 1).numpy(), [True, False])
    with pytest.raises(TypeError, match="unhashable"):
        hash(t)


def test_getitem_delegates_to_slicing_ops():
    t = tf.constant([[1, 2, 3], [4, 5, 6]])
    assert int(t[1, 2]) == 6
    np.testing.assert_array_equal(t[:, 1].numpy(), [2, 5])
    np.testing.assert_array_equal(tf.Variable([1, 2, 3])[1:].numpy(), [2, 3])


def test_operators_record_gradients():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x * x - 1.0 / x + x**2 - -x + abs(x))
    v = np.array([1.0, 2.0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 4 * v + 1 / v**2 + 2, rtol=1e-6)


ERRORS = [
    (lambda: tf.constant([1, 2]) + 1.5, InvalidArgumentError, "AddV2"),
    (lambda: tf.constant([1, 2]) + [1.5], InvalidArgumentError, "AddV2"),
    (lambda: tf.constant([1, 2]) * 1.5, TypeError, "Cannot convert 1.5 to EagerTensor"),
    (lambda: tf.constant([1, 2]) - 1.5, TypeError, "dtype int32"),
    (lambda: 1.5 - tf.constant([1, 2]), TypeError, "Cannot convert 1.5"),
    (lambda: tf.constant([1, 2]) / 1.5, TypeError, "same dtype"),
    (lambda: tf.constant([1, 2]) // 1.5, TypeError, "Cannot convert 1.5"),
    (lambda: tf.constant([1, 2]) % 1.5, TypeError, "Cannot convert 1.5"),
    (lambda: 1.5 ** tf.constant([1, 2]), TypeError, "Cannot convert 1.5"),
    (lambda: tf.constant([1, 2]) == 1.5, TypeError, "Cannot convert 1.5"),
    (lambda: tf.constant([1, 2]) == "a", TypeError, "Cannot convert 'a'"),
    (lambda: tf.constant([1, 2]) < 1.5, TypeError, "Cannot convert 1.5"),
    (lambda: tf.constant([1, 2]) == tf.constant([1.0, 2.0]), InvalidArgumentError, "Equal"),
    (lambda: tf.constant([1, 2]) < tf.constant([1, 2, 3]), InvalidArgumentError, "Less"),
    (lambda: tf.constant([1.0]) + tf.constant([1]), InvalidArgumentError, "tf.cast"),
    (
        lambda: tf.constant([1]) // tf.constant([0]),
        InvalidArgumentError,
        "Integer division by zero",
    ),
    (lambda: tf.constant([3.0]) & tf.constant([5.0]), InvalidArgumentError, "BitwiseAnd"),
    (lambda: tf.constant([3]) & 1.5, TypeError, "Cannot convert 1.5"),
    (lambda: tf.constant([1]) ^ tf.constant([True]), InvalidArgumentError, "BitwiseXor"),
    (lambda: ~tf.constant([1.0]), InvalidArgumentError, "Invert"),
    (lambda: -tf.constant([True]), InvalidArgumentError, "Neg"),
    (
        lambda: tf.constant([1, 2]) @ tf.constant([[1], [2]]),
        InvalidArgumentError,
        "has different ndims",
    ),
]


@pytest.mark.parametrize("expr,exc,fragment", ERRORS)
def test_errors(expr, exc, fragment):
    with pytest.raises(exc) as info:
        expr()
    assert fragment in str(info.value)
