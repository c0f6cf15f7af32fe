"""XLA kernels of the elementwise ops: unary math, binary arithmetic, comparisons,
logic, activations and their gradients' building blocks.

Each follows its NumPy kernel's TF semantics where ``jax.numpy`` differs (``FloorDiv``
of floats is ``floor(x / y)``, ``DivNoNan`` is 0 where ``y`` is 0).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.scipy import special

from tensorflux.kernels.xla import xla_kernel

_UNARY = {
    "Abs": jnp.abs,
    "Acos": jnp.arccos,
    "Acosh": jnp.arccosh,
    "Asin": jnp.arcsin,
    "Asinh": jnp.arcsinh,
    "Atan": jnp.arctan,
    "Atanh": jnp.arctanh,
    "Ceil": jnp.ceil,
    "Conj": jnp.conj,
    "Cos": jnp.cos,
    "Cosh": jnp.cosh,
    "Digamma": special.digamma,
    "Erf": special.erf,
    "Erfc": special.erfc,
    "Erfinv": special.erfinv,
    "Exp": jnp.exp,
    "Expm1": jnp.expm1,
    "Floor": jnp.floor,
    "Imag": jnp.imag,
    "Invert": jnp.invert,
    "IsFinite": jnp.isfinite,
    "IsInf": jnp.isinf,
    "IsNan": jnp.isnan,
    "Lgamma": special.gammaln,
    "Log": jnp.log,
    "Log1p": jnp.log1p,
    "LogicalNot": jnp.logical_not,
    "Neg": jnp.negative,
    "Real": jnp.real,
    "Rint": jnp.rint,
    "Round": jnp.round,
    "Sigmoid": jax.nn.sigmoid,
    "Sin": jnp.sin,
    "Sinh": jnp.sinh,
    "Sqrt": jnp.sqrt,
    "Square": jnp.square,
    "Tan": jnp.tan,
    "Tanh": jnp.tanh,
    "BesselI0e": special.i0e,
    "BesselI1e": special.i1e,
}

_BINARY = {
    "AddV2": jnp.add,
    "Sub": jnp.subtract,
    "Mul": jnp.multiply,
    "RealDiv": jnp.true_divide,
    "Maximum": jnp.maximum,
    "Minimum": jnp.minimum,
    "Atan2": jnp.arctan2,
    "Equal": jnp.equal,
    "NotEqual": jnp.not_equal,
    "Greater": jnp.greater,
    "GreaterEqual": jnp.greater_equal,
    "Less": jnp.less,
    "LessEqual": jnp.less_equal,
    "LogicalAnd": jnp.logical_and,
    "LogicalOr": jnp.logical_or,
    "BitwiseAnd": jnp.bitwise_and,
    "BitwiseOr": jnp.bitwise_or,
    "BitwiseXor": jnp.bitwise_xor,
    "LeftShift": jnp.left_shift,
    "RightShift": jnp.right_shift,
    "NextAfter": jnp.nextafter,
}


def _register_table(table: dict) -> None:
    for name, fn in table.items():
        xla_kernel(name)(fn)


_register_table(_UNARY)
_register_table(_BINARY)


@xla_kernel("Identity", "StopGradient", "PreventGradient", "EnsureShape")
def _identity(x, **attrs):
    return x


@xla_kernel("Ndtri")
def _ndtri(x):
    # jax's ndtri has no float16: computed in float32 and rounded once.
    if x.dtype.itemsize == 2:
        return special.ndtri(x.astype(jnp.float32)).astype(x.dtype)
    return special.ndtri(x)


@xla_kernel("Sign")
def _sign(x):
    if jnp.iscomplexobj(x):
        mag = jnp.abs(x)
        return jnp.where(mag == 0, 0, x / jnp.where(mag == 0, 1, mag)).astype(x.dtype)
    return jnp.sign(x)


@xla_kernel("Reciprocal")
def _reciprocal(x):
    return jnp.asarray(1, x.dtype) / x


@xla_kernel("Rsqrt")
def _rsqrt(x):
    return jax.lax.rsqrt(x)


@xla_kernel("Pow")
def _pow(x, y):
    return jnp.power(x, y)


@xla_kernel("DivNoNan")
def _div_no_nan(x, y):
    return jnp.where(y == 0, jnp.zeros((), x.dtype), x / jnp.where(y == 0, 1, y))


@xla_kernel("MulNoNan")
def _mul_no_nan(x, y):
    return jnp.where(y == 0, jnp.zeros((), x.dtype), x * y)


@xla_kernel("FloorDiv")
def _floordiv(x, y):
    if jnp.issubdtype(x.dtype, jnp.floating):
        # TF's floor(x / y), not the fmod-based floor_divide: 1 // 0.1 is 10.
        return jnp.floor(x / y)
    return jnp.floor_divide(x, y)


@xla_kernel("FloorMod")
def _floormod(x, y):
    return jnp.mod(x, y)


@xla_kernel("TruncateDiv")
def _truncatediv(x, y):
    if jnp.issubdtype(x.dtype, jnp.floating):
        return jnp.trunc(x / y)
    return jax.lax.div(x, y)


@xla_kernel("TruncateMod")
def _truncatemod(x, y):
    if jnp.issubdtype(x.dtype, jnp.floating):
        return jnp.fmod(x, y)
    return jax.lax.rem(x, y)


@xla_kernel("Xdivy")
def _xdivy(x, y):
    return jnp.where(x == 0, jnp.zeros((), x.dtype), x / y)


@xla_kernel("Xlogy")
def _xlogy(x, y):
    return jnp.where(x == 0, jnp.zeros((), x.dtype), x * jnp.log(y))


@xla_kernel("Xlog1py")
def _xlog1py(x, y):
    return jnp.where(x == 0, jnp.zeros((), x.dtype), x * jnp.log1p(y))


@xla_kernel("SelectV2")
def _select(condition, t, e):
    return jnp.where(condition, t, e)


@xla_kernel("AddN")
def _add_n(*xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


@xla_kernel("Cast")
def _cast(x, dtype):
    target = dtype.as_numpy_dtype
    if jnp.iscomplexobj(x) and not jnp.issubdtype(target, jnp.complexfloating):
        # TF drops the imaginary part; astype would warn about it.
        x = jnp.real(x)
    return x.astype(target)


@xla_kernel("Relu")
def _relu(x):
    return jnp.maximum(x, jnp.zeros((), x.dtype))


@xla_kernel("Relu6")
def _relu6(x):
    return jnp.clip(x, jnp.zeros((), x.dtype), jnp.asarray(6, x.dtype))


@xla_kernel("ReluGrad")
def _relu_grad(gradients, features):
    # TF's product, not a select: a NaN gradient under a closed mask stays NaN.
    return gradients * (features > 0).astype(gradients.dtype)


@xla_kernel("Relu6Grad")
def _relu6_grad(gradients, features):
    return gradients * ((features > 0) & (features < 6)).astype(gradients.dtype)


@xla_kernel("LeakyReluGrad")
def _leaky_relu_grad(gradients, features, alpha=0.2):
    return jnp.where(features > 0, gradients, gradients * jnp.asarray(alpha, gradients.dtype))


@xla_kernel("Elu")
def _elu(x):
    return jnp.where(x > 0, x, jnp.expm1(x))


@xla_kernel("Selu")
def _selu(x):
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return (scale * jnp.where(x > 0, x, alpha * jnp.expm1(x))).astype(x.dtype)


@xla_kernel("LeakyRelu")
def _leaky_relu(x, alpha):
    return jnp.where(x > 0, x, (alpha * x).astype(x.dtype))


@xla_kernel("Softplus")
def _softplus(x):
    return jax.nn.softplus(x)


@xla_kernel("Softsign")
def _softsign(x):
    return x / (1 + jnp.abs(x))


@xla_kernel("_KerasAdamUpdate")
def _keras_adam_update(var, m, v, grad, alpha, one_minus_beta_1, one_minus_beta_2, epsilon):
    m = m + (grad - m) * one_minus_beta_1
    v = v + (jnp.square(grad) - v) * one_minus_beta_2
    return var - (m * alpha) / (jnp.sqrt(v) + epsilon), m, v


@xla_kernel("CheckNumerics")
def _check_numerics(tensor, message):
    # TF's XLA kernel checks nothing: under jit_compile=True NaN and Inf pass through.
    return tensor


@xla_kernel("IgammaGradA")
def _igamma_grad_a(a, x):
    a, x = jnp.broadcast_arrays(a, x)
    return jax.lax.igamma_grad_a(a, x)


@xla_kernel("RandomGammaGrad")
def _random_gamma_grad(alpha, sample):
    # JAX's is TF's algorithm: within 1e-14 of TF's CPU and XLA kernels in float64.
    alpha, sample = jnp.broadcast_arrays(alpha, sample)
    return jax.lax.random_gamma_grad(alpha, sample)
