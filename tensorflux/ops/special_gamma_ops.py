"""Regularized incomplete gamma and beta functions: TF's Igamma, Igammac, IgammaGradA
and Betainc ops (``tf.math.igamma``, ``igammac``, ``betainc``).

Kernels evaluate in float64 and round to the input dtype. As in Cephes (which TF's
Eigen kernels follow), the lower gamma function comes from its power series where
``x <= max(1, a)`` and the upper one from its continued fraction elsewhere, each
computing the small side directly so tails keep their relative precision. The beta
function uses its continued fraction (modified Lentz) on the side of the symmetry
``I_x(a, b) = 1 - I_{1-x}(b, a)`` where it converges fast.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import elementwise_binary_infer, to_tensor, unbroadcast
from tensorflux.ops.logic_ops import _binary

__all__: list = []

_F32_F64 = frozenset({dtypes.float32, dtypes.float64})
_lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
_EPS = np.finfo(np.float64).eps


def _lower_series(a, x):
    """P(a, x) by its power series (x <= max(1, a))."""
    log_front = a * np.log(x) - x - _lgamma(a + 1.0)
    term, total = np.ones_like(x), np.ones_like(x)
    r = a.copy()
    for _ in range(4000):
        r = r + 1.0
        term = term * x / r
        total = total + term
        if np.all(term <= _EPS * total):
            break
    return total * np.exp(log_front)


def _upper_fraction(a, x):
    """Q(a, x) by its continued fraction (x > max(1, a))."""
    big, tiny = 2.0**300, 2.0**-300
    log_front = a * np.log(x) - x - _lgamma(a)
    y, z, c = 1.0 - a, x + 2.0 - a, np.zeros_like(x)
    p2, q2, p1, q1 = np.ones_like(x), x.copy(), x + 1.0, z * x
    ans = p1 / q1
    for _ in range(2000):
        c, y, z = c + 1.0, y + 1.0, z + 2.0
        yc = y * c
        pk, qk = p1 * z - p2 * yc, q1 * z - q2 * yc
        safe = qk != 0
        r = np.where(safe, pk / np.where(safe, qk, 1.0), ans)
        done = np.abs(ans - r) <= _EPS * np.abs(r)
        ans = r
        p2, p1, q2, q1 = p1, pk, q1, qk
        huge = np.abs(pk) > big
        p2, p1 = np.where(huge, p2 * tiny, p2), np.where(huge, p1 * tiny, p1)
        q2, q1 = np.where(huge, q2 * tiny, q2), np.where(huge, q1 * tiny, q1)
        if np.all(done):
            break
    return ans * np.exp(log_front)


def _igamma_pq(a, x):
    """``(P, Q)``: the regularized lower and upper incomplete gamma functions."""
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    a, x = a.astype(np.float64), x.astype(np.float64)
    p, q = np.full(a.shape, np.nan), np.full(a.shape, np.nan)
    with np.errstate(all="ignore"):
        ok = (a > 0) & (x >= 0) & np.isfinite(a)
        zero = ok & (x == 0)
        p[zero], q[zero] = 0.0, 1.0
        inf = ok & np.isposinf(x)
        p[inf], q[inf] = 1.0, 0.0
        live = ok & (x > 0) & np.isfinite(x)
        series = live & ((x <= 1.0) | (x <= a))
        if series.any():
            p[series] = _lower_series(a[series], x[series])
            q[series] = 1.0 - p[series]
        frac = live & ~series
        if frac.any():
            q[frac] = _upper_fraction(a[frac], x[frac])
            p[frac] = 1.0 - q[frac]
    return p, q


def _igamma_kernel(a, x):
    # As TF: P(a, 0) is 0 for every a, a <= 0 included.
    return np.where(x == 0, 0.0, _igamma_pq(a, x)[0]).astype(a.dtype)


def _igammac_kernel(a, x):
    return _igamma_pq(a, x)[1].astype(a.dtype)


def _series_with_derivative(a, x):
    """``(s, ds/da)`` of the lower series ``s = sum_n x^n / ((a+1)...(a+n))``
    (``P = s * x^a e^-x / Gamma(a+1)``), summed until the derivative's terms vanish."""
    r, c, total = a.copy(), np.ones_like(x), np.ones_like(x)
    dc, dtotal = np.zeros_like(x), np.zeros_like(x)
    for _ in range(4000):
        r = r + 1.0
        term = x / r
        dc = term * dc - (x / (r * r)) * c
        c = c * term
        total, dtotal = total + c, dtotal + dc
        if np.all(np.abs(dc) <= _EPS * np.abs(dtotal)):
            break
    return total, dtotal


def _fraction_with_derivative(a, x):
    """``(f, df/da)`` of the upper continued fraction ``f`` (``Q = f * x^a e^-x /
    Gamma(a)``): its convergents and their derivatives by the same recurrence."""
    big, tiny = 2.0**300, 2.0**-300
    y, z, c = 1.0 - a, x + 2.0 - a, np.zeros_like(x)
    p2, q2, p1, q1 = np.ones_like(x), x.copy(), x + 1.0, z * x
    dp2, dq2, dp1, dq1 = np.zeros_like(x), np.zeros_like(x), np.zeros_like(x), -x
    ans = p1 / q1
    dans = (dp1 - ans * dq1) / q1
    for _ in range(2000):
        c, y, z = c + 1.0, y + 1.0, z + 2.0
        yc = y * c
        pk, qk = p1 * z - p2 * yc, q1 * z - q2 * yc
        dpk = dp1 * z - p1 - dp2 * yc + p2 * c
        dqk = dq1 * z - q1 - dq2 * yc + q2 * c
        safe = qk != 0
        q_safe = np.where(safe, qk, 1.0)
        ans = np.where(safe, pk / q_safe, ans)
        new_dans = np.where(safe, (dpk - ans * dqk) / q_safe, dans)
        done = np.abs(new_dans - dans) <= _EPS
        dans = new_dans
        p2, p1, q2, q1 = p1, pk, q1, qk
        dp2, dp1, dq2, dq1 = dp1, dpk, dq1, dqk
        huge = np.abs(pk) > big
        p2, p1, q2, q1, dp2, dp1, dq2, dq1 = (
            np.where(huge, v * tiny, v) for v in (p2, p1, q2, q1, dp2, dp1, dq2, dq1)
        )
        if np.all(done):
            break
    return ans, dans


def negligible(a, x, dtype):
    """Where TF's kernels of ``dtype`` take ``x^a e^-x / Gamma(a)`` for zero (its log
    below ``-log(max)``), and so every derivative in ``a`` too (``a, x > 0``)."""
    with np.errstate(all="ignore"):
        log_front = a * np.log(x) - x - _lgamma(a)
    return log_front < -np.log(np.finfo(dtype).max)


def igamma_derivatives(a, x):
    """``(dP/da, dx/da)`` of the regularized lower incomplete gamma function ``P(a, x)``
    at ``x > 0, a > 0`` (float64 arrays): the derivative in ``a``, and that of a gamma
    sample ``x`` in its shape ``a`` at fixed ``P`` (``-(dP/da) / (dP/dx)``). As TF's
    Eigen kernels (Cephes' algorithms differentiated): the series where
    ``x <= max(1, a)``, the continued fraction of ``Q`` elsewhere, the sample derivative
    without dividing by the (possibly underflowing) density."""
    from tensorflux.ops.unary_math_ops import _polygamma_kernel

    d_p, d_x = np.zeros_like(x), np.zeros_like(x)
    series = (x <= 1.0) | (x <= a)
    with np.errstate(all="ignore"):
        if series.any():
            sa, sx = a[series], x[series]
            total, dtotal = _series_with_derivative(sa, sx)
            dlog = np.log(sx) - _polygamma_kernel(sa + 1.0, 0)
            front = np.exp(sa * np.log(sx) - sx - _lgamma(sa + 1.0))
            d_p[series] = front * (dtotal + total * dlog)
            d_x[series] = -(dtotal + total * dlog) * sx / sa
        frac = ~series
        if frac.any():
            fa, fx = a[frac], x[frac]
            total, dtotal = _fraction_with_derivative(fa, fx)
            dlog = np.log(fx) - _polygamma_kernel(fa, 0)
            front = np.exp(fa * np.log(fx) - fx - _lgamma(fa))
            d_p[frac] = -front * (dtotal + total * dlog)
            d_x[frac] = fx * (dtotal + total * dlog)
    return d_p, d_x


def _igamma_grad_a_kernel(a, x):
    a64, x64 = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    out = np.full(a64.shape, np.nan)
    ok = np.array((a64 > 0) & (x64 > 0) & np.isfinite(a64) & np.isfinite(x64))
    ok[ok] = ~negligible(a64[ok], x64[ok], a.dtype)
    out[ok] = igamma_derivatives(a64[ok], x64[ok])[0]
    # P is constant in a at x = 0 and x = inf, and TF takes it for so where the
    # function's front factor is negligible.
    out[(a64 > 0) & (x64 >= 0) & ~ok & ~np.isnan(x64)] = 0.0
    return out.astype(a.dtype)


def _x_density(a, x):
    """d P(a, x) / dx = exp(-x + (a - 1) log x - lgamma(a))."""
    from tensorflux.ops import math_ops
    from tensorflux.ops.unary_math_ops import exp, lgamma, log

    one = math_ops._const(1, a)
    return exp(
        math_ops.subtract(
            math_ops.subtract(math_ops.multiply(math_ops.subtract(a, one), log(x)), x), lgamma(a)
        )
    )


def _igamma_grad(call, dy):
    """dP/da = IgammaGradA(a, x); dP/dx = exp(-x + (a - 1) log x - lgamma(a))."""
    from tensorflux.ops import math_ops

    a, x = call.inputs
    da = math_ops.multiply(dy, execute(_IGAMMA_GRAD_A, (a, x)))
    dx = math_ops.multiply(dy, _x_density(a, x))
    return unbroadcast(da, a, x), unbroadcast(dx, x, a)


def _igammac_grad(call, dy):
    """Q = 1 - P: the negated gradients of Igamma."""
    from tensorflux.ops import math_ops

    da, dx = _igamma_grad(call, math_ops.negative(dy))
    return da, dx


def _register(name, kernel, grad):
    return register(
        name,
        kernel=kernel,
        grad=grad,
        infer=elementwise_binary_infer,
        same_dtype=True,
        allowed=_F32_F64,
    )


_IGAMMA = _register("Igamma", _igamma_kernel, _igamma_grad)
_IGAMMAC = _register("Igammac", _igammac_kernel, _igammac_grad)
# TF registers no gradient for IgammaGradA (second derivatives in a are not defined).
_IGAMMA_GRAD_A = _register("IgammaGradA", _igamma_grad_a_kernel, None)


def igamma(a, x, name=None) -> Tensor:
    """The regularized lower incomplete gamma function ``P(a, x)``.

    Raises:
        InvalidArgumentError: inputs that are not float32/float64, or of different dtypes.

    >>> import tensorflux as tf
    >>> round(float(tf.math.igamma(1.0, 2.0)), 6)
    0.864665
    """
    return _binary(_IGAMMA, a, x)


def igammac(a, x, name=None) -> Tensor:
    """The regularized upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``.

    Raises:
        InvalidArgumentError: inputs that are not float32/float64, or of different dtypes.

    >>> import tensorflux as tf
    >>> round(float(tf.math.igammac(1.0, 2.0)), 6)
    0.135335
    """
    return _binary(_IGAMMAC, a, x)


# -- Betainc -----------------------------------------------------------------


def _beta_fraction(a, b, x):
    """The continued fraction of I_x(a, b) (modified Lentz), for x < (a+1)/(a+b+2)."""
    tiny = 1e-300
    c = np.ones_like(x)
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
    h = d.copy()
    for m in range(1, 3000):
        m2 = 2.0 * m
        for coeff in (
            m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)),
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)),
        ):
            d = 1.0 + coeff * d
            d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
            c = 1.0 + coeff / c
            c = np.where(np.abs(c) < tiny, tiny, c)
            step = c * d
            h = h * step
        if np.all(np.abs(step - 1.0) <= _EPS):
            break
    log_front = a * np.log(x) + b * np.log1p(-x) - (_lgamma(a) + _lgamma(b) - _lgamma(a + b))
    return np.exp(log_front) * h / a


def _betainc_kernel(a, b, x):
    a64, b64, x64 = (np.asarray(v, np.float64) for v in np.broadcast_arrays(a, b, x))
    out = np.full(a64.shape, np.nan)
    with np.errstate(all="ignore"):
        ok = (a64 > 0) & (b64 > 0) & (x64 >= 0) & (x64 <= 1)
        out[ok & (x64 == 0)] = 0.0
        out[ok & (x64 == 1)] = 1.0
        live = ok & (x64 > 0) & (x64 < 1)
        direct = live & (x64 < (a64 + 1.0) / (a64 + b64 + 2.0))
        if direct.any():
            out[direct] = _beta_fraction(a64[direct], b64[direct], x64[direct])
        mirror = live & ~direct
        if mirror.any():
            out[mirror] = 1.0 - _beta_fraction(b64[mirror], a64[mirror], 1.0 - x64[mirror])
    return out.astype(a.dtype)


def _betainc_infer(a: Spec, b: Spec, x: Spec) -> Spec:
    shaped = [s.shape for s in (a, b, x) if s.shape.rank != 0]
    shape = shaped[0] if shaped else TensorShape([])
    for other in shaped[1:]:
        shape = shape.merge_with(other) if shape.is_compatible_with(other) else shape
    return Spec(a.dtype, shape)


def _betainc_grad(call, dy):
    """dI/dx = x^(a-1) (1-x)^(b-1) / B(a, b); TF defines no gradient for a and b."""
    from tensorflux.ops import math_ops
    from tensorflux.ops.unary_math_ops import exp, lgamma, log, log1p

    a, b, x = call.inputs
    one = math_ops._const(1, x)
    log_beta = math_ops.subtract(math_ops.add(lgamma(a), lgamma(b)), lgamma(math_ops.add(a, b)))
    log_density = math_ops.subtract(
        math_ops.add(
            math_ops.multiply(math_ops.subtract(a, one), log(x)),
            math_ops.multiply(math_ops.subtract(b, one), log1p(math_ops.negative(x))),
        ),
        log_beta,
    )
    # A scalar x with tensor a and b: its gradient sums over their shape.
    return None, None, unbroadcast(math_ops.multiply(dy, exp(log_density)), x)


_BETAINC = register(
    "Betainc",
    kernel=_betainc_kernel,
    grad=_betainc_grad,
    infer=_betainc_infer,
    same_dtype=True,
    allowed=_F32_F64,
)


def betainc(a, b, x, name=None) -> Tensor:
    """The regularized incomplete beta function ``I_x(a, b)``.

    Args:
        a, b: positive parameters; x: the point in [0, 1]. Tensors of one shape, or
            scalars (TF does not broadcast other shapes).

    Raises:
        InvalidArgumentError: inputs that are not float32/float64, of different dtypes,
            or non-scalar inputs of different shapes.

    >>> import tensorflux as tf
    >>> round(float(tf.math.betainc(2.0, 3.0, 0.5)), 6)
    0.6875
    """
    a, b, x = to_tensor(a), to_tensor(b), to_tensor(x)
    dts = {t.dtype for t in (a, b, x)}
    if len(dts) != 1:
        raise InvalidArgumentError(
            None,
            "Betainc",
            "a, b and x must have the same dtype, got "
            f"{a.dtype.name}, {b.dtype.name}, {x.dtype.name} [Op:Betainc]",
        )
    shapes = [t.shape for t in (a, b, x) if t.shape.rank != 0]
    for other in shapes[1:]:
        if not other.is_compatible_with(shapes[0]):
            raise InvalidArgumentError(
                None,
                "Betainc",
                f"Shapes of a, b and x are inconsistent: {a.shape} vs. {b.shape} vs. "
                f"{x.shape} [Op:Betainc]. Give them one shape (or pass scalars).",
            )
    return execute(_BETAINC, (a, b, x))
