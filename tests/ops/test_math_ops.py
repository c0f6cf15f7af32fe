"""Tests for tensorflux/ops/math_ops.py: values, dtypes, inference, gradients, errors."""

import math
import subprocess
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import math_ops
from tensorflux.testing import check_gradients

X = np.array([[-2.5, -0.7, 0.3], [1.2, 4.0, 7.5]])
POS = np.array([[0.3, 0.9, 1.7], [2.2, 4.0, 7.5]])
UNIT = np.array([[-0.8, -0.3, 0.1], [0.25, 0.6, 0.9]])
ABOVE_ONE = POS + 1.0
# No x / DIVISOR is an integer, so floor-based ops are away from their jumps.
DIVISOR = np.array([0.7, 0.9, 1.7])

# name, function, NumPy reference, input, differentiable
UNARY = [
    ("negative", tf.negative, np.negative, X, True),
    ("abs", tf.abs, np.abs, X, True),
    ("sign", tf.sign, np.sign, X, True),
    ("square", tf.square, np.square, X, True),
    ("sqrt", tf.sqrt, np.sqrt, POS, True),
    ("rsqrt", tf.math.rsqrt, lambda v: 1 / np.sqrt(v), POS, True),
    ("reciprocal", tf.math.reciprocal, np.reciprocal, POS, True),
    ("exp", tf.exp, np.exp, X, True),
    ("expm1", tf.math.expm1, np.expm1, X, True),
    ("log", tf.math.log, np.log, POS, True),
    ("log1p", tf.math.log1p, np.log1p, POS, True),
    ("sin", tf.sin, np.sin, X, True),
    ("cos", tf.cos, np.cos, X, True),
    ("tan", tf.tan, np.tan, UNIT, True),
    ("asin", tf.asin, np.arcsin, UNIT, True),
    ("acos", tf.acos, np.arccos, UNIT, True),
    ("atan", tf.atan, np.arctan, X, True),
    ("sinh", tf.sinh, np.sinh, UNIT, True),
    ("cosh", tf.cosh, np.cosh, UNIT, True),
    ("tanh", tf.tanh, np.tanh, X, True),
    ("asinh", tf.asinh, np.arcsinh, X, True),
    ("acosh", tf.acosh, np.arccosh, ABOVE_ONE, True),
    ("atanh", tf.atanh, np.arctanh, UNIT, True),
    ("erf", tf.math.erf, np.vectorize(math.erf), X, True),
    ("erfc", tf.math.erfc, np.vectorize(math.erfc), X, True),
    ("floor", tf.floor, np.floor, X, False),
    ("ceil", tf.math.ceil, np.ceil, X, False),
    ("round", tf.round, np.round, X, False),
    ("rint", tf.math.rint, np.rint, X, False),
]

# name, function, NumPy reference, x, y (y broadcasts), differentiable
BINARY = [
    ("add", tf.add, np.add, X, POS[0], True),
    ("subtract", tf.subtract, np.subtract, X, POS[0], True),
    ("multiply", tf.multiply, np.multiply, X, POS[0], True),
    ("divide", tf.divide, np.divide, X, POS[0], True),
    ("realdiv", tf.realdiv, np.divide, X, POS[0], True),
    ("floordiv", tf.math.floordiv, np.floor_divide, X, DIVISOR, False),
    ("floormod", tf.math.floormod, np.mod, X, DIVISOR, True),
    ("truncatediv", tf.truncatediv, lambda a, b: np.trunc(a / b), X, DIVISOR, False),
    ("truncatemod", tf.truncatemod, np.fmod, X, DIVISOR, False),
    ("pow", tf.pow, np.power, POS, X[0], True),
    ("maximum", tf.maximum, np.maximum, X, POS[0], True),
    ("minimum", tf.minimum, np.minimum, X, POS[0], True),
    ("squared_difference", tf.math.squared_difference, lambda a, b: (a - b) ** 2, X, POS[0], True),
    ("divide_no_nan", tf.math.divide_no_nan, np.divide, X, POS[0], True),
    ("multiply_no_nan", tf.math.multiply_no_nan, np.multiply, X, POS[0], True),
    ("xlogy", tf.math.xlogy, lambda a, b: a * np.log(b), X, POS[0], True),
    ("xdivy", tf.math.xdivy, np.divide, X, POS[0], True),
    ("atan2", tf.math.atan2, np.arctan2, X, POS[0], True),
]

SECOND_ORDER = {
    "square",
    "sqrt",
    "exp",
    "log",
    "sin",
    "tanh",
    "erf",
    "multiply",
    "divide",
    "pow",
    "atan2",
    "xlogy",
    "reciprocal",
}


@pytest.mark.parametrize("name,fn,ref,x,diff", UNARY, ids=[r[0] for r in UNARY])
def test_unary_values_and_gradients(name, fn, ref, x, diff):
    out = fn(tf.constant(x))
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), ref(x), rtol=1e-12, atol=1e-12)
    out32 = fn(tf.constant(x, tf.float32))
    assert out32.dtype == tf.float32
    np.testing.assert_allclose(out32.numpy(), ref(x), rtol=1e-5, atol=1e-5)
    if diff:
        check_gradients(fn, [x], order=2 if name in SECOND_ORDER else 1)


@pytest.mark.parametrize("name,fn,ref,x,y,diff", BINARY, ids=[r[0] for r in BINARY])
def test_binary_values_and_gradients(name, fn, ref, x, y, diff):
    out = fn(tf.constant(x), tf.constant(y))
    assert out.shape == TensorShape([2, 3]) and out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), ref(x, y), rtol=1e-12, atol=1e-12)
    if diff:
        check_gradients(fn, [x, y], order=2 if name in SECOND_ORDER else 1)


def test_non_differentiable_ops_give_no_gradient():
    x = tf.constant([1.3, 2.7])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        outs = [tf.floor(x), tf.math.ceil(x), tf.round(x), tf.math.floordiv(x, 2.0)]
    assert all(tape.gradient(o, x) is None for o in outs)


def test_gradient_conventions_match_tf():
    x = tf.constant([1.0, 0.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        mx, mn = tf.maximum(x, 1.0), tf.minimum(x, 1.0)
        ab, sg = tf.abs(x), tf.sign(x)
        dnn = tf.math.divide_no_nan(x, 0.0)
        mnn = tf.math.multiply_no_nan(x, tf.constant([0.0, 2.0]))
    np.testing.assert_array_equal(tape.gradient(mx, x).numpy(), [1, 0])  # tie goes to x
    np.testing.assert_array_equal(tape.gradient(mn, x).numpy(), [1, 1])
    np.testing.assert_array_equal(tape.gradient(ab, x).numpy(), [1, 0])
    np.testing.assert_array_equal(tape.gradient(sg, x).numpy(), [0, 0])
    np.testing.assert_array_equal(tape.gradient(dnn, x).numpy(), [0, 0])
    np.testing.assert_array_equal(tape.gradient(mnn, x).numpy(), [0, 2])
    assert float(tf.math.multiply_no_nan(np.inf, 0.0)) == 0.0


def test_pow_gradient_wrt_exponent_is_zero_for_nonpositive_base():
    x, y = tf.constant([0.0, -2.0, 2.0]), tf.constant([2.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(y)
        z = tf.pow(x, y)
    np.testing.assert_allclose(tape.gradient(z, y).numpy(), [0, 0, 8 * np.log(2)], rtol=1e-6)


# -- integer semantics ------------------------------------------------------


def test_floor_division_and_modulo_follow_python():
    assert int(tf.math.floordiv(-7, 2)) == -4
    assert int(tf.math.floormod(-7, 3)) == 2
    assert int(tf.math.mod(-7, 3)) == 2
    assert float(tf.math.floormod(-7.5, 2.0)) == 0.5
    assert int(tf.truncatediv(-7, 2)) == -3
    assert int(tf.truncatemod(-7, 3)) == -1
    np.testing.assert_array_equal(
        tf.math.floormod(tf.constant([5, -5], tf.int8), tf.constant([-3, 3], tf.int8)).numpy(),
        [-1, 1],
    )
    assert float(tf.math.floordiv(tf.constant([7.0]), 0.0)[0]) == np.inf
    assert np.isnan(float(tf.math.floormod(7.0, 0.0)))


@pytest.mark.parametrize(
    "fn,op",
    [
        (tf.math.floordiv, "FloorDiv"),
        (tf.math.floormod, "FloorMod"),
        (tf.truncatediv, "TruncateDiv"),
    ],
)
def test_integer_division_by_zero_raises(fn, op):
    with pytest.raises(InvalidArgumentError, match=f"Integer division by zero.*{op}"):
        fn(tf.constant([7, 1]), tf.constant([0, 1]))


def test_round_is_half_to_even():
    np.testing.assert_array_equal(
        tf.round([0.5, 1.5, 2.5, -0.5, -1.5]).numpy(), [0, 2, 2, -0.0, -2]
    )
    r = tf.round(tf.constant([1, 2]))
    assert r.dtype == tf.int32


def test_add_n_and_scalar_mul():
    np.testing.assert_array_equal(tf.add_n([[1, 2], [3, 4], [5, 6]]).numpy(), [9, 12])
    assert int(tf.add_n([1, 2])) == 3
    assert float(tf.add_n(tf.constant([1.0, 2.0]))) == 3.0
    assert tf.math.scalar_mul(2, tf.constant([1.5])).numpy()[0] == 3.0
    assert tf.scalar_mul(tf.constant(2.0), tf.constant([1.0])).dtype == tf.float32
    check_gradients(lambda a, b, c: tf.add_n([a, b, c]), [X, X * 2, POS])


def test_complex_parts():
    z = tf.constant([1 + 2j, -3 + 0.5j])
    assert tf.abs(z).dtype == tf.float64
    np.testing.assert_allclose(tf.abs(z).numpy(), np.abs(z.numpy()))
    np.testing.assert_array_equal(tf.math.real(z).numpy(), [1, -3])
    np.testing.assert_array_equal(tf.math.imag(z).numpy(), [2, 0.5])
    np.testing.assert_array_equal(tf.math.conj(z).numpy(), [1 - 2j, -3 - 0.5j])
    r = tf.constant([1, 2])
    assert tf.math.conj(r) is r and tf.math.real(r) is r
    np.testing.assert_array_equal(tf.math.imag(r).numpy(), [0, 0])
    assert tf.math.imag(tf.constant([1j], tf.complex64)).dtype == tf.float32
    check_gradients(lambda a: tf.math.real(tf.math.conj(tf.cast(a, tf.complex128))) * 3.0, [X])


def test_segment_sum():
    np.testing.assert_array_equal(tf.math.segment_sum([1, 2, 3], [0, 0, 2]).numpy(), [3, 0, 3])
    np.testing.assert_array_equal(
        tf.math.unsorted_segment_sum([1, 2, 3], [1, 0, 1], 3).numpy(), [2, 4, 0]
    )


# -- result dtypes, checked against TF 2.21 ---------------------------------

# expression, expected dtype
DTYPES = [
    (lambda: tf.constant([1, 2]) / tf.constant([2, 2]), tf.float64),
    (lambda: tf.constant([1, 2], tf.int8) / tf.constant([2, 2], tf.int8), tf.float32),
    (lambda: tf.truediv(tf.constant([1]), 2), tf.float64),
    (lambda: tf.math.divide_no_nan(1, 2), tf.float64),
    (lambda: tf.abs(tf.constant([-1, 2])), tf.int32),
    (lambda: tf.square(tf.constant([2])), tf.int32),
    (lambda: tf.sign(tf.constant([-2, 0])), tf.int32),
    (lambda: tf.constant([1.0, 2.0]) + 1, tf.float32),
    (lambda: tf.constant([1.0], tf.float64) - 1, tf.float64),
    (lambda: tf.maximum(tf.constant([1]), 2), tf.int32),
    (lambda: tf.math.floordiv(tf.constant([7], tf.uint8), tf.constant([2], tf.uint8)), tf.uint8),
    (lambda: tf.math.squared_difference(tf.constant([1]), tf.constant([3])), tf.int32),
    (lambda: tf.abs(tf.constant([3 + 4j])), tf.float64),
    (lambda: tf.cast(tf.constant([1.7]), tf.int32), tf.int32),
]


@pytest.mark.parametrize("expr,dtype", DTYPES)
def test_result_dtypes_match_tf(expr, dtype):
    assert expr().dtype == dtype


def test_python_scalars_take_the_tensor_dtype():
    a = tf.constant([[1, 2], [3, 4]])
    np.testing.assert_array_equal((a + 1).numpy(), [[2, 3], [4, 5]])
    np.testing.assert_array_equal((a + [10, 20]).numpy(), [[11, 22], [13, 24]])
    np.testing.assert_array_equal((np.array([1.5, 3.0]) + tf.constant([1, 2])).numpy(), [2, 5])
    assert (tf.constant([1.0]) + np.array([1, 2])).dtype == tf.float32
    assert (tf.constant([1, 2], tf.int64) + 2**40).numpy()[0] == 2**40 + 1


# -- inference --------------------------------------------------------------

_F = tf.float32


def _arr(*shape, dtype=np.float32):
    return tf.constant(np.random.default_rng(0).uniform(1, 2, shape).astype(dtype))


# op name, input specs (with unknown dims), eager inputs, attrs
INFER = [
    (
        "AddV2",
        [Spec(_F, TensorShape([None, 3])), Spec(_F, TensorShape([3]))],
        [_arr(2, 3), _arr(3)],
        {},
    ),
    (
        "Maximum",
        [Spec(_F, TensorShape([None, 1])), Spec(_F, TensorShape([4]))],
        [_arr(2, 1), _arr(4)],
        {},
    ),
    (
        "FloorMod",
        [Spec(_F, TensorShape([None, 3])), Spec(_F, TensorShape([]))],
        [_arr(2, 3), _arr()],
        {},
    ),
    ("Sqrt", [Spec(_F, TensorShape([None, 3]))], [_arr(2, 3)], {}),
    ("Abs", [Spec(tf.complex64, TensorShape([None]))], [_arr(2, dtype=np.complex64)], {}),
    ("Real", [Spec(tf.complex128, TensorShape([None]))], [_arr(2, dtype=np.complex128)], {}),
    (
        "AddN",
        [Spec(_F, TensorShape([None, 3])), Spec(_F, TensorShape([2, None]))],
        [_arr(2, 3), _arr(2, 3)],
        {},
    ),
    ("Cast", [Spec(_F, TensorShape([None]))], [_arr(2)], {"dtype": tf.int32}),
    (
        "MatMul",
        [Spec(_F, TensorShape([None, 3])), Spec(_F, TensorShape([3, 4]))],
        [_arr(2, 3), _arr(3, 4)],
        {},
    ),
    ("Atan2", [Spec(_F, TensorShape(None)), Spec(_F, TensorShape([3]))], [_arr(2, 3), _arr(3)], {}),
]


@pytest.mark.parametrize("name,specs,inputs,attrs", INFER, ids=[r[0] for r in INFER])
def test_inference_matches_eager(name, specs, inputs, attrs):
    op = registry.get(name)
    spec = op.infer(*specs, **attrs)
    eager = registry.execute(op, inputs, attrs)
    assert spec.dtype == eager.dtype
    assert spec.shape.is_compatible_with(eager.shape)


def test_matmul_infer_rejects_mismatched_inner_dims():
    with pytest.raises(InvalidArgumentError, match="Matrix size-incompatible"):
        math_ops._MATMUL.infer(Spec(_F, TensorShape([None, 3])), Spec(_F, TensorShape([4, 2])))


# -- errors -----------------------------------------------------------------

# expression, exception type, message fragment
ERRORS = [
    (lambda: tf.constant([1, 2]) + 1.5, InvalidArgumentError, "AddV2"),
    (lambda: tf.add(tf.constant([1]), tf.constant([1.0])), InvalidArgumentError, "tf.cast"),
    (lambda: tf.subtract(tf.constant([1, 2]), 1.5), TypeError, "Cannot convert 1.5"),
    (lambda: tf.multiply(tf.constant([1, 2]), 1.5), TypeError, "dtype int32"),
    (lambda: tf.pow(tf.constant([1, 2]), 0.5), TypeError, "Cannot convert 0.5"),
    (lambda: tf.constant([1, 2]) / tf.constant([1.0, 2.0]), TypeError, "same dtype"),
    (lambda: tf.divide(tf.constant([1, 2]), 1.5), TypeError, "same dtype"),
    (lambda: tf.sqrt(tf.constant([1, 4])), InvalidArgumentError, "int32 is not in the list"),
    (lambda: tf.exp(tf.constant([1])), InvalidArgumentError, "Exp"),
    (lambda: tf.math.log(tf.constant([1])), InvalidArgumentError, "tf.cast"),
    (lambda: tf.math.erf(tf.constant([1])), InvalidArgumentError, "Erf"),
    (lambda: tf.math.xlogy(1, 2), InvalidArgumentError, "Xlogy"),
    (lambda: tf.negative(tf.constant([1], tf.uint8)), InvalidArgumentError, "uint8"),
    (lambda: tf.abs(tf.constant([True])), InvalidArgumentError, "bool"),
    (lambda: tf.constant([True]) + tf.constant([True]), InvalidArgumentError, "bool"),
    (
        lambda: tf.maximum(tf.constant([True]), tf.constant([False])),
        InvalidArgumentError,
        "Maximum",
    ),
    (lambda: tf.pow(tf.constant(5), -1), InvalidArgumentError, "negative integer powers"),
    (lambda: tf.add_n([]), ValueError, "at least one"),
    (
        lambda: tf.add_n([tf.constant([1]), tf.constant([1, 2])]),
        InvalidArgumentError,
        "same size and shape",
    ),
    (lambda: tf.add_n([tf.constant([1]), tf.constant([1.0])]), InvalidArgumentError, "AddN"),
    (lambda: tf.scalar_mul([2.0, 3.0], tf.constant([1.0])), ValueError, "0-D"),
    (lambda: tf.math.scalar_mul(2.5, tf.constant([1])), TypeError, "Cannot convert 2.5"),
    (lambda: tf.add([1, 2], [1, 2, 3]), InvalidArgumentError, "AddV2"),
    (lambda: tf.math.segment_sum([1, 2, 3], [1, 0, 1]), InvalidArgumentError, "not increasing"),
    (lambda: tf.math.unsorted_segment_sum([1, 2], [0, 5], 3), InvalidArgumentError, "[0, 3)"),
    (
        lambda: tf.math.segment_sum([1.0], [0.0]),
        InvalidArgumentError,
        "Value for attr 'Tindices' of float",
    ),
    (
        lambda: tf.matmul(tf.constant([1, 2]), tf.constant([[1], [2]])),
        InvalidArgumentError,
        "In[0] and In[1] has different ndims",
    ),
]


@pytest.mark.parametrize("expr,exc,fragment", ERRORS)
def test_errors(expr, exc, fragment):
    with pytest.raises(exc) as info:
        expr()
    assert fragment in str(info.value)


def test_kernels_are_silent_on_domain_errors():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isneginf(tf.math.log(tf.constant([0.0])).numpy()[0])
        assert np.isnan(tf.sqrt(tf.constant([-1.0])).numpy()[0])
        assert np.isinf((tf.constant([1.0]) / 0.0).numpy()[0])
        assert np.isinf(tf.exp(tf.constant([1000.0])).numpy()[0])


def test_ufunc_kernels_do_not_warn_on_nan_results_eagerly_or_traced():
    # As in TF; NumPy would print "invalid value encountered in multiply".
    code = (
        "import tensorflux as tf\n"
        "inf = tf.constant([float('inf')])\n"
        "print(float((inf * 0.0)[0]), float(tf.function(lambda x: x * 0.0)(inf)[0]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "default", "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["nan", "nan"] and done.stderr == ""


# -- lgamma, digamma --------------------------------------------------------

# Away from the poles: both sides of the reflection (1/2) and of the series start (10).
GAMMA_X = np.array(
    [1.0, 2.5, -0.5, -2.5, 1e-8, 7.3, -10.3, 0.49, 0.51, 9.99, 10.01, 123.4, -1e6 + 0.3]
)
# Recorded from TF 2.21 in float64.
DIGAMMA_TF = [
    -0.5772156649015323,
    0.7031566406452434,
    0.03648997397857645,
    1.1031566406452433,
    -100000000.57721566,
    1.917820335637986,
    4.6624034935820875,
    -2.013716050695126,
    -1.9149875241635765,
    2.2507003728312007,
    2.2528037003181356,
    4.8113737751162775,
    11.533010090164286,
]
TRIGAMMA_TF = [
    1.6449340668482266,
    0.4903577561002349,
    8.934802200544679,
    9.539246644989124,
    1e16,
    0.14679576813142703,
    14.98688706572264,
    5.1080924838814035,
    4.771259239159045,
    0.10527695014824176,
    0.10505595320551511,
    0.008136651610865263,
    15.079412699597045,
]


def test_lgamma_values():
    out = tf.math.lgamma(GAMMA_X)
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), [math.lgamma(v) for v in GAMMA_X], rtol=1e-15)
    out32 = tf.math.lgamma(tf.constant([0.5, 3.0, 10.0]))
    assert out32.dtype == tf.float32
    np.testing.assert_allclose(out32.numpy(), [0.5723649, 0.6931472, 12.801827], rtol=1e-6)
    assert tf.math.lgamma(tf.constant([1.0], tf.float16)).dtype == tf.float16


def test_lgamma_special_values_as_tf():
    import warnings

    x = tf.constant([0.0, -1.0, -1e300, 1e308, np.inf, -np.inf, np.nan], tf.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = tf.math.lgamma(x).numpy()
    np.testing.assert_array_equal(out, [np.inf] * 6 + [np.nan])


def test_digamma_values():
    out = tf.math.digamma(GAMMA_X)
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), DIGAMMA_TF, rtol=1e-13)
    out32 = tf.math.digamma(tf.constant([1.0, 2.5]))
    assert out32.dtype == tf.float32
    np.testing.assert_allclose(out32.numpy(), [-0.5772157, 0.7031566], rtol=1e-6)


def test_digamma_special_values_as_tf():
    x = tf.constant([0.0, -1.0, -1e300, -np.inf, np.inf, np.nan, 1e308], tf.float64)
    out = tf.math.digamma(x).numpy()
    np.testing.assert_array_equal(out[:6], [np.nan] * 4 + [np.inf, np.nan])
    np.testing.assert_allclose(out[6], 709.19620864, rtol=1e-10)


def test_digamma_gradient_is_trigamma():
    x = tf.constant(GAMMA_X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.math.digamma(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), TRIGAMMA_TF, rtol=1e-13)


@pytest.mark.parametrize("fn", [tf.math.lgamma, tf.math.digamma], ids=["lgamma", "digamma"])
def test_gamma_gradients(fn):
    x = np.array([0.3, 2.5, 7.0, -1.5, 12.0, -20.3])
    check_gradients(fn, [x], order=2)
    check_gradients(fn, [np.array([1e-3, 0.49, 0.51, 9.99, 10.01])])


@pytest.mark.parametrize("name", ["Lgamma", "Digamma", "PolygammaOfOrder"])
def test_gamma_inference(name):
    op = registry.get(name)
    attrs = {"n": 1} if name == "PolygammaOfOrder" else {}
    spec = op.infer(Spec(tf.float32, TensorShape([None, 3])), **attrs)
    eager = registry.execute(op, [np.ones((2, 3), np.float32)], attrs)
    assert spec.dtype == eager.dtype == tf.float32
    assert spec.shape.is_compatible_with(eager.shape)


@pytest.mark.parametrize("fn,op", [(tf.math.lgamma, "Lgamma"), (tf.math.digamma, "Digamma")])
def test_gamma_int_inputs_rejected(fn, op):
    with pytest.raises(InvalidArgumentError, match=f"int32 is not in the list.*{op}"):
        fn(tf.constant([1, 2]))


# -- string concatenation ---------------------------------------------------


@pytest.mark.parametrize(
    "expr,expected",
    [
        (lambda: tf.constant("a") + "b", b"ab"),
        (lambda: "b" + tf.constant("a"), b"ba"),
        (lambda: tf.add(tf.constant("a"), tf.constant("b")), b"ab"),
        (lambda: tf.math.add("a", "b"), b"ab"),
        (lambda: tf.add(tf.constant(["a", "b"]), "c"), [b"ac", b"bc"]),
        (lambda: "c" + tf.constant(["a", "b"]), [b"ca", b"cb"]),
        (
            lambda: tf.constant(["a", "b"]) + tf.constant([["x"], ["y"]]),
            [[b"ax", b"bx"], [b"ay", b"by"]],
        ),
    ],
)
def test_string_add_concatenates(expr, expected):
    out = expr()
    assert out.dtype == tf.string
    assert out.shape == np.shape(expected)
    assert np.asarray(out.numpy(), dtype=object).tolist() == expected


@pytest.mark.parametrize(
    "expr",
    [
        lambda: tf.constant("a") + tf.constant(1),
        lambda: tf.constant(1) + tf.constant("a"),
        lambda: tf.constant("a") + 1.5,
    ],
)
def test_string_add_dtype_mismatch(expr):
    with pytest.raises(InvalidArgumentError, match="cannot compute AddV2"):
        expr()


def test_add_reraises_unrelated_attribute_errors():
    class Broken:
        def _as_tensor(self):
            raise AttributeError("broken")

    with pytest.raises(AttributeError, match="broken"):
        tf.add(tf.constant(1.0), Broken())


def test_complex_parts_gradients_follow_tf_conjugate_convention():
    def parts(a, b):
        z = tf.cast(a, tf.complex128) + tf.cast(b, tf.complex128) * 1j
        w = z * z / (z + 3.0)
        return tf.math.imag(w) + 2.0 * tf.math.real(w)

    check_gradients(parts, [np.array([0.5, -1.2]), np.array([0.3, 0.8])])
