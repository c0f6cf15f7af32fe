"""The Hurwitz zeta function and the polygamma functions (TF's Zeta and Polygamma ops).

``zeta(x, q) = sum_k (k + q)^-x``: the first terms are summed until ``k + q`` passes 9,
the rest comes from the Euler-Maclaurin formula with twelve Bernoulli terms (Cephes'
scheme, which TF's Eigen kernel follows), in float64 rounded to the input dtype.
``polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x)`` for integer ``n >= 1``, digamma for 0.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from tensorflux.engine.registry import FLOATING, register
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import elementwise_binary_infer, unbroadcast
from tensorflux.ops.logic_ops import _binary

__all__: list = []

# B_2, B_4, ..., B_24: the Euler-Maclaurin coefficients are (2k)! / B_2k.
_BERNOULLI = [
    Fraction(1, 6),
    Fraction(-1, 30),
    Fraction(1, 42),
    Fraction(-1, 30),
    Fraction(5, 66),
    Fraction(-691, 2730),
    Fraction(7, 6),
    Fraction(-3617, 510),
    Fraction(43867, 798),
    Fraction(-174611, 330),
    Fraction(854513, 138),
    Fraction(-236364091, 2730),
]
_EULER_MACLAURIN = [float(math.factorial(2 * k + 2) / b) for k, b in enumerate(_BERNOULLI)]


def _zeta64(x, q):
    x, q = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(q, np.float64))
    x, q = x.astype(np.float64), q.astype(np.float64)
    with np.errstate(all="ignore"):
        # Direct terms: at least ten, and until k + q > 9.
        n_terms = np.maximum(10, np.ceil(9.0 - q) + 1)
        total = np.power(q, -x)
        a, b = q.copy(), np.zeros_like(q)
        for i in range(1, int(np.max(n_terms, initial=10)) + 1):
            more = i < n_terms
            a = np.where(more, a + 1.0, a)
            b = np.where(more, np.power(a, -x), b)
            total = np.where(more, total + b, total)
        w = a
        total = total + b * w / (x - 1.0) - 0.5 * b
        fac, k = np.ones_like(x), 0.0
        for coeff in _EULER_MACLAURIN:
            fac = fac * (x + k)
            b = b / w
            total = total + fac * b / coeff
            k += 1.0
            fac = fac * (x + k)
            b = b / w
            k += 1.0
    out = total
    out = np.where(x < 1.0, np.nan, out)
    pole_q = (q <= 0) & (q == np.floor(q))
    even_x = (x == np.floor(x)) & (np.fmod(x, 2.0) == 0)
    out = np.where(pole_q, np.where(even_x, np.inf, np.nan), out)
    out = np.where((q <= 0) & ~pole_q & (x != np.floor(x)), np.nan, out)
    # As TF: every term vanishes at q = inf; and x < 1 is outside the domain whatever q is.
    out = np.where((q == np.inf) & (x > 1.0), 0.0, out)
    out = np.where(x < 1.0, np.nan, out)
    return np.where(x == 1.0, np.inf, out)


def _zeta_kernel(x, q):
    return np.asarray(_zeta64(x, q)).astype(x.dtype)


def _zeta_grad(call, dy):
    """d zeta(x, q) / dq = -x zeta(x + 1, q); TF gives no gradient for x."""
    from tensorflux.ops import math_ops

    x, q = call.inputs
    dq = math_ops.multiply(dy, math_ops.multiply(math_ops.negative(x), zeta(x + 1, q)))
    return None, unbroadcast(dq, q, x)


_ZETA = register(
    "Zeta",
    kernel=_zeta_kernel,
    grad=_zeta_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=frozenset({t for t in FLOATING if t.name in ("float32", "float64")}),
)


def zeta(x, q, name=None) -> Tensor:
    """The Hurwitz zeta function ``sum_k (k + q)^-x`` (inf at x = 1, nan for x < 1).

    Raises:
        InvalidArgumentError: inputs that are not float32/float64, or of different dtypes.

    >>> import tensorflux as tf
    >>> round(float(tf.math.zeta(2.0, 1.0)), 6)
    1.644934
    """
    return _binary(_ZETA, x, q)


def _polygamma_kernel(a, x):
    from tensorflux.ops.unary_math_ops import _polygamma_kernel as psi

    a64, x64 = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    with np.errstate(all="ignore"):
        n1 = a64 + 1.0
        lg = np.vectorize(math.lgamma, otypes=[np.float64])(np.where(n1 > 0, n1, 1.0))
        out = np.power(-1.0, n1) * np.exp(lg) * _zeta64(n1, x64)
        out = np.where(a64 == 0, psi(x64.astype(np.float64), 0), out)
    out = np.where((a64 != np.floor(a64)) | (a64 < 0), np.nan, out)
    return np.asarray(out).astype(x.dtype)


def _polygamma_grad(call, dy):
    """d polygamma(n, x) / dx = polygamma(n + 1, x); no gradient for n (as in TF)."""
    from tensorflux.ops import math_ops

    a, x = call.inputs
    dx = math_ops.multiply(dy, polygamma(a + 1, x))
    return None, unbroadcast(dx, x, a)


_POLYGAMMA = register(
    "Polygamma",
    kernel=_polygamma_kernel,
    grad=_polygamma_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=frozenset({t for t in FLOATING if t.name in ("float32", "float64")}),
)


def polygamma(a, x, name=None) -> Tensor:
    """The ``a``-th derivative of digamma at ``x`` (``a`` a whole number; nan otherwise).

    Raises:
        InvalidArgumentError: inputs that are not float32/float64, or of different dtypes.

    >>> import tensorflux as tf
    >>> round(float(tf.math.polygamma(1.0, 1.0)), 6)
    1.644934
    """
    return _binary(_POLYGAMMA, a, x)
