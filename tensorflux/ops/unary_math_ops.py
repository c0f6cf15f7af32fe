"""Unary elementwise math: exponentials, logarithms, trigonometry, rounding, complex parts.

Split from math_ops to keep files readable; math_ops re-exports every public
name here, so ``tensorflux.ops.math_ops.exp`` keeps working. The gradients
reuse math_ops' arithmetic ops: this module is imported at the end of
math_ops, when those already exist. Kernels run under ``np.errstate`` so that,
as in TF, results outside a function's domain are silent inf/NaN.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from tensorflux.engine.registry import COMPLEX, FLOATING, NUMERIC, Spec, execute, register
from tensorflux.framework.composite_tensor import dispatch_to_values
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import conjugated_grad, same_as_input, to_tensor
from tensorflux.ops.math_ops import (
    _ADD,
    _FLOAT_LIKE,
    _MUL,
    _MUL_NO_NAN,
    _REALDIV,
    _SUB,
    _const,
    _quiet,
    _zeros_like,
    cast,
    negative,
    square,
)

__all__ = [
    "sqrt",
    "exp",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "asinh",
    "acosh",
    "atanh",
    "floor",
    "round",
]


# -- unary: powers, exponentials and logarithms -----------------------------


def _sqrt_grad(call, dy):
    """d sqrt(x) = dy * 0.5 / y, and 0 wherever dy is 0 (TF's SqrtGrad kernel), so that a
    branch ``tf.where`` discards adds no NaN from x <= 0."""
    (y,) = call.outputs
    return (execute(_MUL_NO_NAN, (execute(_REALDIV, (_const(0.5, y), y)), dy)),)


_SQRT = register(
    "Sqrt",
    kernel=_quiet(np.sqrt),
    grad=conjugated_grad(_sqrt_grad),
    infer=same_as_input,
    allowed=_FLOAT_LIKE,
)


@dispatch_to_values
def sqrt(x, name=None) -> Tensor:
    """Elementwise square root; NaN for negative reals (``tf.math.sqrt``).

    Raises:
        InvalidArgumentError: integer input (cast to float first).
    """
    return execute(_SQRT, (x,))


def _rsqrt_grad(call, dy):
    """d x^-1/2 = dy * -0.5 * y^3, and 0 wherever dy is 0 (TF's RsqrtGrad kernel)."""
    (y,) = call.outputs
    cube = execute(_MUL, (y, square(y)))
    return (execute(_MUL_NO_NAN, (execute(_MUL, (_const(-0.5, y), cube)), dy)),)


_RSQRT = register(
    "Rsqrt",
    kernel=_quiet(lambda x: np.reciprocal(np.sqrt(x))),
    grad=conjugated_grad(_rsqrt_grad),
    infer=same_as_input,
    allowed=_FLOAT_LIKE,
)


def rsqrt(x, name=None) -> Tensor:
    """Elementwise ``1 / sqrt(x)`` (``tf.math.rsqrt``)."""
    return execute(_RSQRT, (x,))


def _exp_grad(call, dy):
    """d exp(x) = dy * y."""
    return (execute(_MUL, (dy, call.outputs[0])),)


_EXP = register(
    "Exp",
    kernel=_quiet(np.exp),
    grad=conjugated_grad(_exp_grad),
    infer=same_as_input,
    allowed=_FLOAT_LIKE,
)


def exp(x, name=None) -> Tensor:
    """Elementwise ``e^x`` (``tf.math.exp``).

    Raises:
        InvalidArgumentError: integer input (cast to float first).
    """
    return execute(_EXP, (x,))


def _expm1_grad(call, dy):
    """d(e^x - 1) = dy * e^x."""
    return (execute(_MUL, (dy, exp(call.inputs[0]))),)


_EXPM1 = register(
    "Expm1",
    kernel=_quiet(np.expm1),
    grad=conjugated_grad(_expm1_grad),
    infer=same_as_input,
    allowed=_FLOAT_LIKE,
)


def expm1(x, name=None) -> Tensor:
    """Elementwise ``e^x - 1``, accurate for small x (``tf.math.expm1``)."""
    return execute(_EXPM1, (x,))


def _log_grad(call, dy):
    """d log(x) = dy / x."""
    return (execute(_REALDIV, (dy, call.inputs[0])),)


_LOG = register(
    "Log",
    kernel=_quiet(np.log),
    grad=conjugated_grad(_log_grad),
    infer=same_as_input,
    allowed=_FLOAT_LIKE,
)


def log(x, name=None) -> Tensor:
    """Elementwise natural logarithm; -inf at 0, NaN below (``tf.math.log``).

    Raises:
        InvalidArgumentError: integer input (cast to float first).
    """
    return execute(_LOG, (x,))


def _log1p_grad(call, dy):
    """d log(1 + x) = dy / (1 + x)."""
    (x,) = call.inputs
    return (execute(_REALDIV, (dy, execute(_ADD, (_const(1, x), x)))),)


_LOG1P = register(
    "Log1p",
    kernel=_quiet(np.log1p),
    grad=conjugated_grad(_log1p_grad),
    infer=same_as_input,
    allowed=_FLOAT_LIKE,
)


def log1p(x, name=None) -> Tensor:
    """Elementwise ``log(1 + x)``, accurate for small x (``tf.math.log1p``)."""
    return execute(_LOG1P, (x,))


_erf_scalar = np.frompyfunc(math.erf, 1, 1)


def _erf_kernel(x):
    # NumPy has no erf; math.erf per element is exact in float64.
    return np.asarray(_erf_scalar(x), dtype=x.dtype)


def _erf_grad(call, dy):
    """d erf(x) = dy * 2/sqrt(pi) * exp(-x^2)."""
    (x,) = call.inputs
    e = exp(negative(square(x)))
    return (execute(_MUL, (dy, execute(_MUL, (_const(2 / math.sqrt(math.pi), x), e)))),)


_ERF = register("Erf", kernel=_erf_kernel, grad=_erf_grad, infer=same_as_input, allowed=FLOATING)


@dispatch_to_values
def erf(x, name=None) -> Tensor:
    """Elementwise Gauss error function (``tf.math.erf``)."""
    return execute(_ERF, (x,))


_erfc_scalar = np.frompyfunc(math.erfc, 1, 1)


def _erfc_kernel(x):
    # math.erfc keeps full precision in the tail, where 1 - erf(x) would round to 0.
    return np.asarray(_erfc_scalar(x), dtype=x.dtype)


def _erfc_grad(call, dy):
    """d erfc(x) = -dy * 2/sqrt(pi) * exp(-x^2)."""
    (x,) = call.inputs
    e = exp(negative(square(x)))
    return (execute(_MUL, (dy, execute(_MUL, (_const(-2 / math.sqrt(math.pi), x), e)))),)


_ERFC = register(
    "Erfc", kernel=_erfc_kernel, grad=_erfc_grad, infer=same_as_input, allowed=FLOATING
)


def erfc(x, name=None) -> Tensor:
    """Elementwise complementary error function ``1 - erf(x)`` (``tf.math.erfc``)."""
    return execute(_ERFC, (x,))


# -- unary: log-gamma and the polygamma family ------------------------------


def _lgamma_scalar(v: float) -> float:
    try:
        return math.lgamma(v)
    except (ValueError, OverflowError):  # a pole, or a result beyond float64
        return math.inf


_lgamma_ufunc = np.frompyfunc(_lgamma_scalar, 1, 1)


def _lgamma_kernel(x):
    # NumPy has no lgamma; math.lgamma per element is exact in float64.
    with np.errstate(over="ignore"):
        return np.asarray(_lgamma_ufunc(x.astype(np.float64)), dtype=x.dtype)


def _lgamma_grad(call, dy):
    """d lgamma(x) = dy * digamma(x)."""
    return (execute(_MUL, (dy, digamma(call.inputs[0]))),)


_LGAMMA = register(
    "Lgamma", kernel=_lgamma_kernel, grad=_lgamma_grad, infer=same_as_input, allowed=FLOATING
)


def lgamma(x, name=None) -> Tensor:
    """Elementwise ``log|Gamma(x)|``; +inf at 0 and the negative integers (``tf.math.lgamma``).

    >>> import tensorflux as tf
    >>> tf.math.lgamma([1.0, 3.0]).numpy()
    array([0.       , 0.6931472], dtype=float32)

    Raises:
        InvalidArgumentError: a non-floating input.
    """
    return execute(_LGAMMA, (x,))


# Bernoulli numbers B_2, B_4, ..., B_20 of the asymptotic series. From x >= 10 on, the
# terms they weigh fall below float64 precision before the (divergent) series turns.
_BERNOULLI = (
    1 / 6,
    -1 / 30,
    1 / 42,
    -1 / 30,
    5 / 66,
    -691 / 2730,
    7 / 6,
    -3617 / 510,
    43867 / 798,
    -174611 / 330,
)
_ASYMPTOTIC_FROM = 10.0


@functools.lru_cache(maxsize=None)
def _cot_derivative(n: int) -> np.ndarray:
    """Coefficients (highest first) of P_n with d^n/dy^n cot(y) = P_n(cot y)."""
    poly = np.array([1.0, 0.0])
    for _ in range(n):  # d/dy P(cot y) = -(1 + cot^2 y) P'(cot y)
        poly = -np.polymul([1.0, 0.0, 1.0], np.polyder(poly))
    return poly


def _asymptotic(z: np.ndarray, n: int) -> np.ndarray:
    """psi^(n)(z) for z >= 10 by its asymptotic series (n derivatives of the digamma one)."""
    if n == 0:
        out = np.log(z) - 0.5 / z
        for k, b in enumerate(_BERNOULLI, 1):
            out -= b / (2 * k) * z ** (-2 * k)
        return out
    out = math.factorial(n - 1) * z**-n + 0.5 * math.factorial(n) * z ** -(n + 1)
    for k, b in enumerate(_BERNOULLI, 1):
        out += b * math.factorial(2 * k + n - 1) / math.factorial(2 * k) * z ** -(2 * k + n)
    return out if n % 2 else -out


def _polygamma_kernel(x, n=0):
    """psi^(n)(x), the (n+1)-th derivative of lgamma, in float64.

    Below 1/2 by reflection, psi^(n)(x) = (-1)^n psi^(n)(1-x) - pi^(n+1) P_n(cot(pi x));
    then by recurrence, psi^(n)(z) = psi^(n)(z+1) - (-1)^n n! / z^(n+1), up to z >= 10;
    there by the asymptotic series. Poles (0, -1, ...) give NaN for even n, +inf for odd
    n, as in TF.
    """
    v = x.astype(np.float64)
    with np.errstate(all="ignore"):
        reflect = v < 0.5
        z = np.where(reflect, 1.0 - v, v)
        # Sum of the recurrence terms; z is NaN or >= 1/2 here, so at most 10 steps.
        lift = np.zeros_like(z)
        coeff = (-1) ** n * math.factorial(n)
        small = z < _ASYMPTOTIC_FROM
        while small.any():
            lift -= coeff * np.where(small, z, np.inf) ** -(n + 1)
            z = np.where(small, z + 1.0, z)
            small = z < _ASYMPTOTIC_FROM
        out = _asymptotic(z, n) + lift
        if reflect.any():
            # cot has period pi: reducing x to [-1/2, 1/2] first is exact and keeps
            # precision for large |x|.
            cot = 1.0 / np.tan(np.pi * (v - np.round(v)))
            mirrored = (-1) ** n * out - np.pi ** (n + 1) * np.polyval(_cot_derivative(n), cot)
            out = np.where(reflect, mirrored, out)
            pole = (v <= 0) & (v == np.floor(v))
            out[pole] = np.inf if n % 2 else np.nan
    return out.astype(x.dtype)


def _digamma_grad(call, dy):
    """d digamma(x) = dy * polygamma(1, x)."""
    (x,) = call.inputs
    return (execute(_MUL, (dy, execute(_POLYGAMMA, (x,), {"n": 1}))),)


def _polygamma_grad(call, dy):
    """d polygamma(n, x) = dy * polygamma(n + 1, x)."""
    (x,) = call.inputs
    return (execute(_MUL, (dy, execute(_POLYGAMMA, (x,), {"n": call.attrs["n"] + 1}))),)


_DIGAMMA = register(
    "Digamma", kernel=_polygamma_kernel, grad=_digamma_grad, infer=same_as_input, allowed=FLOATING
)
# The derivatives of digamma (trigamma, ...): the order is an attribute here, unlike
# TF's Polygamma, whose order is a tensor input. Only gradients use it.
_POLYGAMMA = register(
    "PolygammaOfOrder",
    kernel=_polygamma_kernel,
    grad=_polygamma_grad,
    infer=same_as_input,
    allowed=FLOATING,
)


def digamma(x, name=None) -> Tensor:
    """Elementwise ``psi(x) = d/dx lgamma(x)``; NaN at 0 and the negative integers
    (``tf.math.digamma``).

    >>> import tensorflux as tf
    >>> tf.math.digamma([1.0]).numpy()
    array([-0.5772157], dtype=float32)

    Raises:
        InvalidArgumentError: a non-floating input.
    """
    return execute(_DIGAMMA, (x,))


# -- unary: trigonometric and hyperbolic ------------------------------------


def _sin_grad(call, dy):
    """d sin(x) = dy * cos(x)."""
    return (execute(_MUL, (dy, cos(call.inputs[0]))),)


def _cos_grad(call, dy):
    """d cos(x) = -dy * sin(x)."""
    return (negative(execute(_MUL, (dy, sin(call.inputs[0])))),)


def _tan_grad(call, dy):
    """d tan(x) = dy * (1 + y^2)."""
    (y,) = call.outputs
    return (execute(_MUL, (dy, execute(_ADD, (_const(1, y), square(y))))),)


def _one_minus_x2(x: Tensor) -> Tensor:
    return execute(_SUB, (_const(1, x), square(x)))


def _asin_grad(call, dy):
    """d asin(x) = dy / sqrt(1 - x^2)."""
    return (execute(_MUL, (dy, rsqrt(_one_minus_x2(call.inputs[0])))),)


def _acos_grad(call, dy):
    """d acos(x) = -dy / sqrt(1 - x^2)."""
    return (negative(execute(_MUL, (dy, rsqrt(_one_minus_x2(call.inputs[0]))))),)


def _atan_grad(call, dy):
    """d atan(x) = dy / (1 + x^2)."""
    (x,) = call.inputs
    return (execute(_REALDIV, (dy, execute(_ADD, (_const(1, x), square(x))))),)


def _sinh_grad(call, dy):
    """d sinh(x) = dy * cosh(x)."""
    return (execute(_MUL, (dy, cosh(call.inputs[0]))),)


def _cosh_grad(call, dy):
    """d cosh(x) = dy * sinh(x)."""
    return (execute(_MUL, (dy, sinh(call.inputs[0]))),)


def _tanh_grad(call, dy):
    """d tanh(x) = dy * (1 - y^2)."""
    return (execute(_MUL, (dy, _one_minus_x2(call.outputs[0]))),)


def _asinh_grad(call, dy):
    """d asinh(x) = dy / cosh(y)."""
    return (execute(_REALDIV, (dy, cosh(call.outputs[0]))),)


def _acosh_grad(call, dy):
    """d acosh(x) = dy / sinh(y)."""
    return (execute(_REALDIV, (dy, sinh(call.outputs[0]))),)


def _atanh_grad(call, dy):
    """d atanh(x) = dy / (1 - x^2)."""
    return (execute(_REALDIV, (dy, _one_minus_x2(call.inputs[0]))),)


def _unary(name, ufunc, grad):
    return register(
        name,
        kernel=_quiet(ufunc),
        grad=conjugated_grad(grad),
        infer=same_as_input,
        allowed=_FLOAT_LIKE,
    )


_SIN = _unary("Sin", np.sin, _sin_grad)
_COS = _unary("Cos", np.cos, _cos_grad)
_TAN = _unary("Tan", np.tan, _tan_grad)
_ASIN = _unary("Asin", np.arcsin, _asin_grad)
_ACOS = _unary("Acos", np.arccos, _acos_grad)
_ATAN = _unary("Atan", np.arctan, _atan_grad)
_SINH = _unary("Sinh", np.sinh, _sinh_grad)
_COSH = _unary("Cosh", np.cosh, _cosh_grad)
_TANH = _unary("Tanh", np.tanh, _tanh_grad)
_ASINH = _unary("Asinh", np.arcsinh, _asinh_grad)
_ACOSH = _unary("Acosh", np.arccosh, _acosh_grad)
_ATANH = _unary("Atanh", np.arctanh, _atanh_grad)


@dispatch_to_values
def sin(x, name=None) -> Tensor:
    """Elementwise sine (``tf.math.sin``)."""
    return execute(_SIN, (x,))


def cos(x, name=None) -> Tensor:
    """Elementwise cosine (``tf.math.cos``)."""
    return execute(_COS, (x,))


@dispatch_to_values
def tan(x, name=None) -> Tensor:
    """Elementwise tangent (``tf.math.tan``)."""
    return execute(_TAN, (x,))


@dispatch_to_values
def asin(x, name=None) -> Tensor:
    """Elementwise inverse sine; NaN outside [-1, 1] (``tf.math.asin``)."""
    return execute(_ASIN, (x,))


def acos(x, name=None) -> Tensor:
    """Elementwise inverse cosine; NaN outside [-1, 1] (``tf.math.acos``)."""
    return execute(_ACOS, (x,))


@dispatch_to_values
def atan(x, name=None) -> Tensor:
    """Elementwise inverse tangent (``tf.math.atan``)."""
    return execute(_ATAN, (x,))


def sinh(x, name=None) -> Tensor:
    """Elementwise hyperbolic sine (``tf.math.sinh``)."""
    return execute(_SINH, (x,))


def cosh(x, name=None) -> Tensor:
    """Elementwise hyperbolic cosine (``tf.math.cosh``)."""
    return execute(_COSH, (x,))


@dispatch_to_values
def tanh(x, name=None) -> Tensor:
    """Elementwise hyperbolic tangent (``tf.math.tanh``).

    A primitive: its gradient reuses the output, ``dy * (1 - y^2)``.
    """
    return execute(_TANH, (x,))


@dispatch_to_values
def asinh(x, name=None) -> Tensor:
    """Elementwise inverse hyperbolic sine (``tf.math.asinh``)."""
    return execute(_ASINH, (x,))


def acosh(x, name=None) -> Tensor:
    """Elementwise inverse hyperbolic cosine; NaN below 1 (``tf.math.acosh``)."""
    return execute(_ACOSH, (x,))


@dispatch_to_values
def atanh(x, name=None) -> Tensor:
    """Elementwise inverse hyperbolic tangent (``tf.math.atanh``)."""
    return execute(_ATANH, (x,))


# -- unary: rounding (piecewise constant: not differentiable, as in TF) -----

_FLOOR = register("Floor", kernel=np.floor, grad=None, infer=same_as_input, allowed=FLOATING)
_CEIL = register("Ceil", kernel=np.ceil, grad=None, infer=same_as_input, allowed=FLOATING)
# np.round rounds half to even, as TF's Round and Rint do.
_ROUND = register("Round", kernel=np.round, grad=None, infer=same_as_input, allowed=NUMERIC)
_RINT = register("Rint", kernel=np.rint, grad=None, infer=same_as_input, allowed=FLOATING)


def floor(x, name=None) -> Tensor:
    """Elementwise largest integer not greater than ``x`` (``tf.math.floor``)."""
    return execute(_FLOOR, (x,))


def ceil(x, name=None) -> Tensor:
    """Elementwise smallest integer not less than ``x`` (``tf.math.ceil``)."""
    return execute(_CEIL, (x,))


def round(x, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """Rounds half to even, as TF does: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2 (``tf.math.round``).

    >>> import tensorflux as tf
    >>> tf.round([0.5, 1.5, 2.5]).numpy()
    array([0., 2., 2.], dtype=float32)
    """
    return execute(_ROUND, (x,))


def rint(x, name=None) -> Tensor:
    """Rounds half to even (``tf.math.rint``)."""
    return execute(_RINT, (x,))


# -- complex parts: Conj, Real, Imag ----------------------------------------


def _conj_grad(call, dy):
    """d conj(x) = conj(dy)."""
    return (conj(dy),)


_CONJ = register("Conj", kernel=np.conj, grad=_conj_grad, infer=same_as_input, allowed=COMPLEX)


def conj(x, name=None) -> Tensor:
    """Complex conjugate; real tensors are returned unchanged (``tf.math.conj``)."""
    x = to_tensor(x)
    return execute(_CONJ, (x,)) if x._dtype.is_complex else x


def _part_infer(x: Spec) -> Spec:
    return Spec(x.dtype.real_dtype, x.shape)


def _real_grad(call, dy):
    """d real(z) = complex(dy, 0)."""
    return (cast(dy, call.inputs[0]._dtype),)


def _imag_grad(call, dy):
    """d imag(z) = complex(0, dy)."""
    z = call.inputs[0]
    return (execute(_MUL, (cast(dy, z._dtype), _const(1j, z))),)


_REAL = register("Real", kernel=np.real, grad=_real_grad, infer=_part_infer, allowed=COMPLEX)
_IMAG = register("Imag", kernel=np.imag, grad=_imag_grad, infer=_part_infer, allowed=COMPLEX)


def real(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Real part; real tensors are returned unchanged (``tf.math.real``)."""
    x = to_tensor(input)
    return execute(_REAL, (x,)) if x._dtype.is_complex else x


def imag(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Imaginary part; zeros for real tensors (``tf.math.imag``)."""
    x = to_tensor(input)
    if x._dtype.is_complex:
        return execute(_IMAG, (x,))
    return _zeros_like(x)
