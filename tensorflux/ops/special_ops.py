"""Special functions of ``tf.math`` / ``tf.math.special``: the inverse error functions
(Erfinv, Ndtri, and ``erfcinv`` built on Ndtri as in TF) and the modified Bessel
functions of the first kind (BesselI0, BesselI0e, BesselI1, BesselI1e).

The kernels evaluate in float64 and round to the input's dtype, so float16/float32
results are the correctly rounded values TF's float kernels approximate. Inverses are
found by Newton steps on ``erf`` / ``erfc`` (exact per element in float64) from the
Abramowitz-Stegun 26.2.23 starting point; the Bessel functions use their power series
for ``|x| <= 30`` and their large-argument asymptotic series beyond.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.engine.registry import FLOATING, execute, register
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import same_as_input, to_tensor
from tensorflux.ops.unary_math_ops import _erf_scalar, _erfc_scalar

__all__: list = []

_SQRT_2PI = math.sqrt(2.0 * math.pi)


def _erfc64(x):
    return np.asarray(_erfc_scalar(x), dtype=np.float64)


def _erf64(x):
    return np.asarray(_erf_scalar(x), dtype=np.float64)


def _lower_quantile(p):
    """``ndtri(p)`` for ``0 < p <= 0.5`` in float64: a rational start refined by Newton
    steps on ``Phi(x) = erfc(-x / sqrt 2) / 2`` (erfc keeps the tail's precision)."""
    t = np.sqrt(-2.0 * np.log(p))
    x = -(
        t
        - (2.515517 + t * (0.802853 + t * 0.010328))
        / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)))
    )
    for _ in range(6):
        phi = np.exp(-0.5 * x * x) / _SQRT_2PI
        x = x - (0.5 * _erfc64(-x / math.sqrt(2.0)) - p) / phi
    return x


def _ndtri64(p):
    p = np.asarray(p, np.float64)
    out = np.full(p.shape, np.nan)
    out[p == 0] = -np.inf
    out[p == 1] = np.inf
    low = (p > 0) & (p <= 0.5)
    high = (p > 0.5) & (p < 1)
    out[low] = _lower_quantile(p[low])
    out[high] = -_lower_quantile(1.0 - p[high])
    out[p == 0.5] = 0.0  # the median exactly, where Newton leaves a 1e-18 residue
    return out


def _erfinv64(x):
    x = np.asarray(x, np.float64)
    a = np.abs(x)
    out = np.full(x.shape, np.nan)
    out[a == 1] = np.inf
    small = a <= 0.5
    # Near 0 solve erf(z) = |x| (erf is accurate there); elsewhere erfc(z) = 1 - |x|,
    # exact for inputs of float32 or narrower.
    z = a[small] * (math.sqrt(math.pi) / 2)
    for _ in range(5):
        z = z - (_erf64(z) - a[small]) / (2 / math.sqrt(math.pi) * np.exp(-z * z))
    out[small] = z
    big = (a > 0.5) & (a < 1)
    q = 1.0 - a[big]
    z = -_lower_quantile(q / 2) / math.sqrt(2.0)
    for _ in range(3):
        z = z + (_erfc64(z) - q) / (2 / math.sqrt(math.pi) * np.exp(-z * z))
    out[big] = z
    return np.copysign(out, x)


def _bessel_scaled(order: int, x):
    """``I_order(|x|) * exp(-|x|)`` in float64 (``order`` 0 or 1; sign applied later)."""
    a = np.abs(np.asarray(x, np.float64))
    out = np.empty(a.shape)
    near = a <= 30.0
    # Power series: sum_k (a/2)^(2k+order) / (k! (k+order)!), all terms positive.
    an = a[near]
    term = (an / 2) ** order / math.factorial(order)
    total = term.copy()
    for k in range(1, 80):
        term = term * (an / 2) ** 2 / (k * (k + order))
        total += term
    out[near] = total * np.exp(-an)
    # Asymptotic series: (1 / sqrt(2 pi a)) sum_k (-1)^k prod_j (4n^2 - (2j-1)^2) / (k! (8a)^k).
    af = a[~near]
    mu = 4.0 * order * order
    term = np.ones_like(af)
    total = term.copy()
    for k in range(1, 30):
        term = -term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * af)
        total += term
    out[~near] = total / np.sqrt(2 * math.pi * af)
    return out


def _unary(fn):
    def kernel(x):
        with np.errstate(all="ignore"):
            return fn(x).astype(x.dtype)

    return kernel


def _i0e(x):
    return _bessel_scaled(0, x)


def _i0(x):
    return _bessel_scaled(0, x) * np.exp(np.abs(np.asarray(x, np.float64)))


def _i1e(x):
    return np.copysign(_bessel_scaled(1, x), x)


def _i1(x):
    return _i1e(x) * np.exp(np.abs(np.asarray(x, np.float64)))


def _math():
    from tensorflux.ops import math_ops, unary_math_ops

    return math_ops, unary_math_ops


def _erfinv_grad(call, dy):
    """d erfinv(x) = dy * sqrt(pi)/2 * exp(erfinv(x)^2)."""
    m, u = _math()
    (y,) = call.outputs
    return (m.multiply(dy, m.multiply(m._const(math.sqrt(math.pi) / 2, y), u.exp(m.square(y)))),)


def _ndtri_grad(call, dy):
    """d ndtri(p) = dy * sqrt(2 pi) * exp(ndtri(p)^2 / 2)."""
    m, u = _math()
    (y,) = call.outputs
    half_sq = m.multiply(m._const(0.5, y), m.square(y))
    return (m.multiply(dy, m.multiply(m._const(_SQRT_2PI, y), u.exp(half_sq))),)


def _i0_grad(call, dy):
    """d I0(x) = dy * I1(x)."""
    m, _ = _math()
    return (m.multiply(dy, bessel_i1(call.inputs[0])),)


def _i0e_grad(call, dy):
    """d I0e(x) = dy * (I1e(x) - sign(x) I0e(x))."""
    m, _ = _math()
    (x,), (y,) = call.inputs, call.outputs
    return (m.multiply(dy, m.subtract(bessel_i1e(x), m.multiply(m.sign(x), y))),)


def _safe_x(x):
    m, _ = _math()
    from tensorflux.ops.creation_ops import ones_like
    from tensorflux.ops.gather_ops import where
    from tensorflux.ops.logic_ops import equal

    at_zero = equal(x, m._const(0, x))
    return at_zero, where(at_zero, ones_like(x), x)


def _i1_grad(call, dy):
    """d I1(x) = dy * (I0(x) - I1(x)/x), and dy * 1 at x = 0 (TF's value there)."""
    m, _ = _math()
    from tensorflux.ops.creation_ops import ones_like
    from tensorflux.ops.gather_ops import where

    (x,), (y,) = call.inputs, call.outputs
    at_zero, safe = _safe_x(x)
    slope = where(at_zero, ones_like(x), m.subtract(bessel_i0(x), m.divide(y, safe)))
    return (m.multiply(dy, slope),)


def _i1e_grad(call, dy):
    """d I1e(x) = dy * (I0e(x) - I1e(x) (sign(x) + 1/x)), and dy / 2 at x = 0."""
    m, _ = _math()
    from tensorflux.ops.creation_ops import ones_like
    from tensorflux.ops.gather_ops import where

    (x,), (y,) = call.inputs, call.outputs
    at_zero, safe = _safe_x(x)
    rest = m.multiply(y, m.add(m.sign(x), m.reciprocal(safe)))
    slope = m.subtract(bessel_i0e(x), rest)
    half = m.multiply(ones_like(x), m._const(0.5, x))
    return (m.multiply(dy, where(at_zero, half, slope)),)


def _register(name, fn, grad):
    return register(name, kernel=_unary(fn), grad=grad, infer=same_as_input, allowed=FLOATING)


_ERFINV = _register("Erfinv", _erfinv64, _erfinv_grad)
_NDTRI = _register("Ndtri", _ndtri64, _ndtri_grad)
_I0 = _register("BesselI0", _i0, _i0_grad)
_I0E = _register("BesselI0e", _i0e, _i0e_grad)
_I1 = _register("BesselI1", _i1, _i1_grad)
_I1E = _register("BesselI1e", _i1e, _i1e_grad)


def erfinv(x, name=None) -> Tensor:
    """The inverse error function: ``erf(erfinv(x)) = x`` on (-1, 1); +-inf at +-1, nan
    outside.

    Raises:
        InvalidArgumentError: a non-floating ``x``.

    >>> import tensorflux as tf
    >>> round(float(tf.math.erfinv(0.5)), 6)
    0.476936
    """
    return execute(_ERFINV, (to_tensor(x),))


def ndtri(x, name=None) -> Tensor:
    """The standard normal quantile function (inverse of the normal CDF) on [0, 1].

    Raises:
        InvalidArgumentError: a non-floating ``x``.

    >>> import tensorflux as tf
    >>> round(float(tf.math.ndtri(0.975)), 5)
    1.95996
    """
    return execute(_NDTRI, (to_tensor(x),))


def erfcinv(x, name=None) -> Tensor:
    """The inverse complementary error function on [0, 2]: ``-ndtri(x / 2) / sqrt(2)``.

    Raises:
        InvalidArgumentError: a non-floating ``x``.

    >>> import tensorflux as tf
    >>> round(float(tf.math.erfcinv(0.2)), 6)
    0.906194
    """
    m, _ = _math()
    x = to_tensor(x)
    q = ndtri(m.multiply(m._const(0.5, x), x))
    return m.multiply(m.negative(q), m._const(math.sqrt(0.5), x))


def bessel_i0(x, name=None) -> Tensor:
    """The modified Bessel function of the first kind of order 0.

    Raises:
        InvalidArgumentError: a non-floating ``x``.

    >>> import tensorflux as tf
    >>> round(float(tf.math.bessel_i0(1.0)), 6)
    1.266066
    """
    return execute(_I0, (to_tensor(x),))


def bessel_i0e(x, name=None) -> Tensor:
    """``bessel_i0(x) * exp(-|x|)``, finite for large ``|x|``.

    Raises:
        InvalidArgumentError: a non-floating ``x``.

    >>> import tensorflux as tf
    >>> round(float(tf.math.bessel_i0e(1.0)), 6)
    0.46576
    """
    return execute(_I0E, (to_tensor(x),))


def bessel_i1(x, name=None) -> Tensor:
    """The modified Bessel function of the first kind of order 1 (odd in ``x``).

    Raises:
        InvalidArgumentError: a non-floating ``x``.

    >>> import tensorflux as tf
    >>> round(float(tf.math.bessel_i1(1.0)), 6)
    0.565159
    """
    return execute(_I1, (to_tensor(x),))


def bessel_i1e(x, name=None) -> Tensor:
    """``bessel_i1(x) * exp(-|x|)``, finite for large ``|x|``.

    Raises:
        InvalidArgumentError: a non-floating ``x``.

    >>> import tensorflux as tf
    >>> round(float(tf.math.bessel_i1e(1.0)), 6)
    0.20791
    """
    return execute(_I1E, (to_tensor(x),))
