"""Activations, softmax, losses with logits and other neural-network ops (``tf.nn``).

Primitives here are the ops whose fused NumPy kernel is clearly more stable or
cheaper than a composition (Relu, Softplus, Softmax, the cross-entropy ops,
BiasAdd, TopKV2, ...); the rest compose public tensorflux ops and need no
gradient code. Only ``sigmoid`` is exported at the top level (``tf.sigmoid``);
everything else is reached through ``tf.nn`` (see ``tensorflux/nn.py``).
"""

from __future__ import annotations

import numbers

import numpy as np

from tensorflux.engine.registry import (
    COMPLEX,
    FLOATING,
    REAL,
    Spec,
    execute,
    register,
)
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops.activation_grad_ops import (
    leaky_relu_grad,
    leaky_select,
    relu6_grad,
    relu_grad,
)
from tensorflux.ops.bias_add_grad_ops import bias_add_grad
from tensorflux.ops.common import (
    conjugated_grad,
    dim_list,
    known_shape,
    normalize_axis,
    same_as_input,
    static_dims,
    to_tensor,
)
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import greater, greater_equal, less
from tensorflux.ops.math_ops import (
    abs as _abs,
)
from tensorflux.ops.math_ops import (
    add,
    cast,
    maximum,
    multiply,
    negative,
    pow,
    square,
    subtract,
    truediv,
)
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import reshape, stop_gradient
from tensorflux.ops.unary_math_ops import (
    erf,
    imag,
    real,
    rsqrt,
)

__all__ = ["sigmoid"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _const(value, like: Tensor) -> Tensor:
    """A scalar of ``like``'s dtype, for the constants inside gradients."""
    return Tensor(np.asarray(value, dtype=like._value.dtype), like._dtype)


def _keep_axis(dy: Tensor, shape: tuple, axis: int) -> Tensor:
    """``dy`` (reduced over ``axis``) reshaped so it broadcasts against ``shape``."""
    return reshape(dy, shape[:axis] + (1,) + shape[axis + 1 :])


# -- Sigmoid ----------------------------------------------------------------


# exp(-x) is clamped below overflow, so no warning is raised and the result keeps its
# relative accuracy down to sigmoid(x) ~ 1e-38 (float32). float16 is computed in float32.
_EXP_LIMIT = {np.dtype(np.float32): 88.0, np.dtype(np.float64): 709.0}


def _sigmoid_kernel(x):
    if x.dtype.kind == "c":
        return 1 / (1 + np.exp(-x))
    if x.dtype not in _EXP_LIMIT:
        return _sigmoid_kernel(np.asarray(x, dtype=np.float32)).astype(x.dtype)
    t = np.empty_like(x)
    np.negative(x, out=t)
    np.minimum(t, _EXP_LIMIT[x.dtype], out=t)
    np.exp(t, out=t)
    t += 1
    return np.reciprocal(t, out=t)


def _sigmoid_grad(call, dy):
    """d sigmoid(x) = dy * y * (1 - y), from the output y."""
    (y,) = call.outputs
    return (multiply(dy, multiply(y, subtract(_const(1, y), y))),)


_SIGMOID = register(
    "Sigmoid",
    kernel=_sigmoid_kernel,
    grad=conjugated_grad(_sigmoid_grad),
    infer=same_as_input,
    allowed=FLOATING | COMPLEX,
)


def sigmoid(x, name=None) -> Tensor:
    """Logistic function ``1 / (1 + exp(-x))``, computed without overflow (``tf.math.sigmoid``).

    A primitive: its gradient reuses the output, cheaper than differentiating a
    composition of exp and division.

    >>> import tensorflux as tf
    >>> tf.sigmoid([0.0]).numpy()
    array([0.5], dtype=float32)
    """
    x = to_tensor(x)
    return _remember_logits(execute(_SIGMOID, (x,)), x)


# -- Relu, Relu6, LeakyRelu -------------------------------------------------


def _relu_grad(call, dy):
    """d relu(x) = ReluGrad(dy, y) = dy * (y > 0), from the output y as TF (y > 0 iff x > 0)."""
    (y,) = call.outputs
    return (relu_grad(dy, y),)


_RELU = register(
    "Relu",
    kernel=lambda x: np.maximum(x, x.dtype.type(0)),
    grad=_relu_grad,
    infer=same_as_input,
    allowed=REAL,
)


def relu(features, name=None) -> Tensor:
    """Rectified linear unit ``max(features, 0)`` (``tf.nn.relu``).

    A primitive: one NumPy pass, and a gradient that is a single mask.

    >>> import tensorflux as tf
    >>> tf.nn.relu([-1.0, 2.0]).numpy()
    array([0., 2.], dtype=float32)
    """
    return execute(_RELU, (to_tensor(features),))


def _relu6_grad(call, dy):
    """d relu6(x) = Relu6Grad(dy, y) = dy * (0 < y < 6), from the output y as TF."""
    (y,) = call.outputs
    return (relu6_grad(dy, y),)


def _relu6_kernel(x):
    # Not np.clip: it keeps -0.0, which TF's Relu6 returns as +0.0.
    out = np.maximum(x, x.dtype.type(0))
    return np.minimum(out, x.dtype.type(6), out=out)


_RELU6 = register(
    "Relu6",
    kernel=_relu6_kernel,
    grad=_relu6_grad,
    infer=same_as_input,
    allowed=REAL,
)


def relu6(features, name=None) -> Tensor:
    """``min(max(features, 0), 6)`` (``tf.nn.relu6``); a primitive like TF's Relu6."""
    return execute(_RELU6, (to_tensor(features),))


def _leaky_relu_kernel(x, alpha):
    return leaky_select(x, x, alpha)


def _leaky_relu_grad(call, dy):
    """d leaky_relu(x) = LeakyReluGrad(dy, x) = dy where x > 0, else alpha * dy."""
    (x,) = call.inputs
    return (leaky_relu_grad(dy, x, call.attrs["alpha"]),)


_LEAKY_RELU = register(
    "LeakyRelu",
    kernel=_leaky_relu_kernel,
    grad=_leaky_relu_grad,
    infer=same_as_input,
    allowed=FLOATING,
)


def leaky_relu(features, alpha=0.2, name=None) -> Tensor:
    """``features`` where positive, else ``alpha * features`` (``tf.nn.leaky_relu``).

    Integer inputs are cast to float32 first, as TF does.
    """
    x = to_tensor(features)
    if x._dtype.is_integer:
        x = cast(x, dtypes.float32)
    if isinstance(alpha, (str, bytes)):
        raise TypeError(f"tf.nn.leaky_relu: alpha must be a number, got {alpha!r}.")
    return execute(_LEAKY_RELU, (x,), {"alpha": float(alpha)})


# -- Elu, Selu --------------------------------------------------------------


def _elu_kernel(x):
    # expm1 only of the non-positive part: large positive inputs would overflow.
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


def _elu_grad(call, dy):
    """d elu(x) = dy where x > 0, else dy * (y + 1) (= dy * exp(x))."""
    (x,), (y,) = call.inputs, call.outputs
    return (where(greater(x, _const(0, x)), dy, multiply(dy, add(y, _const(1, y)))),)


_ELU = register("Elu", kernel=_elu_kernel, grad=_elu_grad, infer=same_as_input, allowed=FLOATING)


def elu(features, name=None) -> Tensor:
    """Exponential linear unit: ``x`` if ``x > 0`` else ``exp(x) - 1`` (``tf.nn.elu``).

    A primitive: the gradient reuses the output instead of recomputing exp.
    """
    return execute(_ELU, (to_tensor(features),))


def _selu_kernel(x):
    neg = _SELU_SCALE * _SELU_ALPHA * np.expm1(np.minimum(x, 0))
    return np.where(x > 0, _SELU_SCALE * x, neg).astype(x.dtype, copy=False)


def _selu_grad(call, dy):
    """d selu(x) = dy * (y + scale * alpha) where y < 0, else dy * scale (at 0 too, as
    TF's SeluGrad)."""
    (y,) = call.outputs
    pos = multiply(dy, _const(_SELU_SCALE, dy))
    neg = multiply(dy, add(y, _const(_SELU_SCALE * _SELU_ALPHA, y)))
    return (where(less(y, _const(0, y)), neg, pos),)


_SELU = register(
    "Selu", kernel=_selu_kernel, grad=_selu_grad, infer=same_as_input, allowed=FLOATING
)


def selu(features, name=None) -> Tensor:
    """Scaled ELU, ``scale * elu(x)`` with ``alpha * scale`` below zero (``tf.nn.selu``)."""
    return execute(_SELU, (to_tensor(features),))


# -- Softplus, Softsign -----------------------------------------------------


def _softplus_grad(call, dy):
    """d softplus(x) = dy * sigmoid(x)."""
    (x,) = call.inputs
    return (multiply(dy, sigmoid(x)),)


_SOFTPLUS = register(
    "Softplus",
    kernel=lambda x: np.logaddexp(x.dtype.type(0), x),
    grad=_softplus_grad,
    infer=same_as_input,
    allowed=FLOATING,
)


def softplus(features, name=None) -> Tensor:
    """``log(exp(features) + 1)`` (``tf.math.softplus``).

    A primitive so that it is computed stably (``logaddexp``) for large |x|.
    """
    return execute(_SOFTPLUS, (to_tensor(features),))


def log_sigmoid(x, name=None) -> Tensor:
    """``log(1 / (1 + exp(-x)))``, computed stably as ``-softplus(-x)`` (``tf.math.log_sigmoid``).

    >>> import tensorflux as tf
    >>> tf.math.log_sigmoid([-100.0, 0.0]).numpy()
    array([-100.       ,   -0.6931472], dtype=float32)

    Raises:
        InvalidArgumentError: a non-floating input.
    """
    return negative(softplus(negative(to_tensor(x))))


def _softsign_grad(call, dy):
    """d softsign(x) = dy / (1 + |x|)^2."""
    (x,) = call.inputs
    return (truediv(dy, square(add(_const(1, x), _abs(x)))),)


_SOFTSIGN = register(
    "Softsign",
    kernel=lambda x: x / (x.dtype.type(1) + np.abs(x)),
    grad=_softsign_grad,
    infer=same_as_input,
    allowed=FLOATING,
)


def softsign(features, name=None) -> Tensor:
    """``features / (abs(features) + 1)`` (``tf.math.softsign``), a one-pass primitive."""
    return execute(_SOFTSIGN, (to_tensor(features),))


# -- gelu, silu (compositions) ----------------------------------------------


def gelu(features, approximate=False, name=None) -> Tensor:
    """Gaussian error linear unit (``tf.nn.gelu``).

    ``approximate=False``: ``0.5 * x * (1 + erf(x / sqrt(2)))``; ``True``: the tanh
    form ``0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))``, computed as
    ``x * sigmoid(2 z)`` (the same function, one op fewer).

    >>> import tensorflux as tf
    >>> round(float(tf.nn.gelu(1.0)), 4)
    0.8413
    """
    x = to_tensor(features)
    if not (x._dtype.is_floating or x._dtype.is_complex):
        raise ValueError(
            f"`features.dtype` must be a floating point tensor.Received:features.dtype="
            f"{x._dtype} (tf.nn.gelu). Cast it first, e.g. tf.cast(x, tf.float32)."
        )
    if approximate:
        cube = multiply(_const(0.044715, x), pow(x, _const(3, x)))
        z = multiply(_const(2 * np.sqrt(2 / np.pi), x), add(x, cube))
        return multiply(x, sigmoid(z))
    cdf = add(_const(1, x), erf(multiply(x, _const(1 / np.sqrt(2), x))))
    return multiply(multiply(_const(0.5, x), x), cdf)


def silu(features, beta=1.0) -> Tensor:
    """Sigmoid-weighted linear unit ``features * sigmoid(beta * features)`` (``tf.nn.silu``)."""
    x = to_tensor(features)
    if isinstance(beta, numbers.Number) and beta == 1.0:
        return multiply(x, sigmoid(x))
    return multiply(x, sigmoid(multiply(to_tensor(beta, x._dtype), x)))


swish = silu


# -- Softmax, LogSoftmax ----------------------------------------------------


def _softmax_kernel(x, axis):
    if x.size == 0:
        return x.copy()
    if x.dtype.itemsize == 2:
        # 16-bit floats are computed in float32 and rounded once, as TF's kernels do.
        return _softmax_kernel(x.astype(np.float32), axis).astype(x.dtype)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_grad(call, dy):
    """d softmax = y * (dy - sum(dy * y, axis)), from the output y."""
    (y,) = call.outputs
    axis = call.attrs["axis"]
    dot = reduce_sum(multiply(dy, y), axis=axis, keepdims=True)
    return (multiply(y, subtract(dy, dot)),)


_SOFTMAX = register(
    "Softmax", kernel=_softmax_kernel, grad=_softmax_grad, infer=same_as_input, allowed=FLOATING
)


def _log_softmax_kernel(x, axis):
    if x.size == 0:
        return x.copy()
    if x.dtype.itemsize == 2:
        return _log_softmax_kernel(x.astype(np.float32), axis).astype(x.dtype)
    z = x - np.max(x, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def _log_softmax_grad(call, dy):
    """d log_softmax = dy - softmax(x) * sum(dy, axis)."""
    (x,) = call.inputs
    axis = call.attrs["axis"]
    total = reduce_sum(dy, axis=axis, keepdims=True)
    return (subtract(dy, multiply(execute(_SOFTMAX, (x,), call.attrs), total)),)


_LOG_SOFTMAX = register(
    "LogSoftmax",
    kernel=_log_softmax_kernel,
    grad=_log_softmax_grad,
    infer=same_as_input,
    allowed=FLOATING,
)


def _softmax_axis(x: Tensor, axis, op_name: str = "Softmax") -> int:
    rank = x._value.ndim
    if rank == 0:
        raise InvalidArgumentError(
            None, op_name, f"logits must have >= 1 dimension, got [] [Op:{op_name}]"
        )
    axis = int(axis)
    if not -rank <= axis < rank:
        raise InvalidArgumentError(
            None,
            "Softmax",
            f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the "
            f"number of dimensions in the input. Received: dim={axis}",
        )
    return axis % rank


def softmax(logits, axis=None, name=None) -> Tensor:
    """``exp(logits) / sum(exp(logits), axis)`` (``tf.nn.softmax``; ``axis`` defaults to -1).

    A primitive: the max-shifted kernel is stable and the gradient reuses the output.

    >>> import tensorflux as tf
    >>> tf.nn.softmax([0.0, 0.0]).numpy()
    array([0.5, 0.5], dtype=float32)

    Raises:
        InvalidArgumentError: ``axis`` out of range, or non-floating logits.
    """
    x = to_tensor(logits)
    out = execute(_SOFTMAX, (x,), {"axis": _softmax_axis(x, -1 if axis is None else axis)})
    return _remember_logits(out, x)


def _remember_logits(out, logits):
    """Marks a traced softmax or sigmoid output with its logits: Keras' cross-entropy
    losses then compute from the logits, as tf_keras does for a graph tensor made by a
    Softmax or Sigmoid op, so saturated probabilities still give gradients."""
    if type(out) is SymbolicTensor:
        out._keras_logits = logits
    return out


def log_softmax(logits, axis=None, name=None) -> Tensor:
    """``logits - log(sum(exp(logits), axis))`` (``tf.nn.log_softmax``), a stable primitive."""
    x = to_tensor(logits)
    axis = _softmax_axis(x, -1 if axis is None else axis, "LogSoftmax")
    return execute(_LOG_SOFTMAX, (x,), {"axis": axis})


# -- BiasAdd ----------------------------------------------------------------


def _bias_add_kernel(value, bias, data_format):
    if data_format == "NCHW":
        bias = bias.reshape(bias.shape + (1,) * (value.ndim - 2))
    return value + bias


def _bias_add_infer(value: Spec, bias: Spec, data_format) -> Spec:
    return Spec(value.dtype, value.shape)


def _bias_add_grad(call, dy):
    """(dy, BiasAddGrad(dy): dy summed over every axis but the channel axis)."""
    return dy, bias_add_grad(dy, call.attrs["data_format"])


_BIAS_ADD = register(
    "BiasAdd", kernel=_bias_add_kernel, grad=_bias_add_grad, infer=_bias_add_infer, same_dtype=True
)


def bias_add(value, bias, data_format=None, name=None) -> Tensor:
    """Adds the 1-D ``bias`` along the channel axis of ``value`` (``tf.nn.bias_add``).

    Args:
        value: a tensor of rank >= 2.
        bias: a 1-D tensor with one entry per channel.
        data_format: "NHWC"-style (channels last, the default) or "NCHW"-style
            (channels at axis 1); any string starting with "NC" means channels first.

    Raises:
        InvalidArgumentError: ``value`` of rank < 2, or a bias size that does not match
            the channel dimension.
    """
    v, b = to_tensor(value), to_tensor(bias)
    if data_format is not None and not (
        isinstance(data_format, str)
        and len(data_format) >= 2
        and (
            data_format.startswith("NC")
            or (data_format.startswith("N") and data_format.endswith("C"))
        )
    ):
        raise ValueError(
            f"`data_format` must be of the form `N...C` or `NC...`. Received: "
            f"data_format={data_format}"
        )
    fmt = "NCHW" if data_format is not None and data_format.startswith("NC") else "NHWC"
    # Static shapes: None where a traced tensor's size is known only when the graph runs.
    vshape, bshape = known_shape(v), known_shape(b)
    if vshape is None:
        vshape = tuple(v.shape.as_list())
    if bshape is None:
        bshape = tuple(b.shape.as_list())
    if len(vshape) < 2:
        raise InvalidArgumentError(
            None, "BiasAdd", f"Input tensor must be at least 2D: {list(vshape)} [Op:BiasAdd]"
        )
    channels = vshape[1 if fmt == "NCHW" else -1]
    if len(bshape) != 1:
        raise InvalidArgumentError(
            None,
            "BiasAdd",
            f"Biases must be 1D: [{','.join(str(d) for d in bshape)}] [Op:BiasAdd]",
        )
    if bshape[0] != channels and None not in (bshape[0], channels):
        where_ = "dimension 1" if fmt == "NCHW" else "last dimension"
        raise InvalidArgumentError(
            None,
            "BiasAdd",
            f"Must provide as many biases as the {where_} of the input "
            f"tensor: {list(bshape)} vs. {list(vshape)} [Op:BiasAdd]",
        )
    return execute(_BIAS_ADD, (v, b), {"data_format": fmt})


# -- moments, batch_normalization (compositions) ----------------------------


def moments(x, axes, shift=None, keepdims=False, name=None):
    """Mean and variance of ``x`` over ``axes`` (``tf.nn.moments``).

    Returns:
        ``(mean, variance)``; the variance uses ``stop_gradient(mean)`` as TF does
        (the same gradient, one path fewer).
    """
    from tensorflux.ops.reduction_ops import _dims_without, _reshape_dims, reduce_mean

    x = to_tensor(x)
    axes = normalize_axis(axes, x._value.ndim, "Mean")
    mean = reduce_mean(x, axis=axes, keepdims=True)
    variance = reduce_mean(square(subtract(x, stop_gradient(mean))), axis=axes, keepdims=True)
    if not keepdims:
        kept = _dims_without(x, axes)
        mean, variance = _reshape_dims(mean, kept), _reshape_dims(variance, kept)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``scale * (x - mean) / sqrt(variance + epsilon) + offset`` (``tf.nn.batch_normalization``).

    ``offset`` and ``scale`` may be None. Computed as ``x * inv + (offset - mean * inv)``.
    """
    x = to_tensor(x)
    variance = to_tensor(variance, x._dtype) if not isinstance(variance, Tensor) else variance
    inv = rsqrt(add(variance, _const(variance_epsilon, x)))
    if scale is not None:
        inv = multiply(inv, scale)
    shift = negative(multiply(mean, inv))
    if offset is not None:
        shift = add(offset, shift)
    return add(multiply(x, inv), shift)


# -- L2Loss -----------------------------------------------------------------


def _l2_loss_kernel(x):
    return np.asarray(np.sum(np.square(x), dtype=x.dtype) / x.dtype.type(2))


def _l2_loss_grad(call, dy):
    """d (sum(x^2) / 2) = dy * x."""
    (x,) = call.inputs
    return (multiply(dy, x),)


_L2_LOSS = register(
    "L2Loss",
    kernel=_l2_loss_kernel,
    grad=_l2_loss_grad,
    infer=lambda x: Spec(x.dtype, TensorShape([])),
    allowed=FLOATING,
)


def l2_loss(t, name=None) -> Tensor:
    """``sum(t ** 2) / 2`` (``tf.nn.l2_loss``); a primitive: one fused pass, no temporaries."""
    return execute(_L2_LOSS, (to_tensor(t),))


# -- dropout (composition) --------------------------------------------------


def dropout(x, rate, noise_shape=None, seed=None, name=None) -> Tensor:
    """Zeroes each element with probability ``rate`` and scales the rest by
    ``1 / (1 - rate)`` (``tf.nn.dropout``), so the expected value is unchanged.

    Args:
        noise_shape: the shape of the keep/drop mask, broadcast against ``x``
            (e.g. ``[batch, 1, channels]`` drops whole channels); None entries take
            ``x``'s dimension.
        seed: an op seed, combined with ``tf.random.set_seed`` as for random ops.

    Raises:
        ValueError: a non-floating ``x`` or a ``rate`` outside ``[0, 1)``.
    """
    from tensorflux.ops import random_ops
    from tensorflux.ops.creation_ops import is_traced_shape

    x = to_tensor(x)
    if not x._dtype.is_floating:
        raise ValueError(
            f"`x.dtype` must be a floating point tensor as `x` will be scaled. "
            f"Received: x_dtype={x._dtype!r}"
        )
    if isinstance(rate, (str, bytes)) or rate is None:
        raise ValueError(
            f"`rate` must be a scalar tensor or a float in the range [0, 1). "
            f"Received: rate={rate!r}"
        )
    if isinstance(rate, numbers.Real):
        if not 0 <= rate < 1:
            raise ValueError(
                f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                f"Received: rate={rate}"
            )
        if rate == 0:
            return x
    if isinstance(rate, numbers.Real):
        # TF scales by 1 / (1 - rate) taken in double, then rounded to x's dtype.
        scale = to_tensor(1 / (1 - rate), x._dtype)
        rate = to_tensor(rate, x._dtype)
    else:
        if not isinstance(rate, Tensor) and not hasattr(rate, "_as_tensor"):
            raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
        rate = to_tensor(rate)
        if rate._dtype is not x._dtype:
            # As TF: a tensor rate is never cast.
            raise ValueError(
                f"`x.dtype` must be compatible with `rate.dtype`. Received: x.dtype={x._dtype} "
                f"and rate.dtype={rate._dtype}"
            )
        scale = truediv(_const(1, x), subtract(_const(1, x), rate))
    shape = known_shape(x)
    if shape is None:
        # Sizes known only when the graph runs: int32 scalars of tf.shape(x) stand in.
        shape = dim_list(x)
    if type(noise_shape) is SymbolicTensor:
        shape = noise_shape
    elif noise_shape is not None:
        dims = (
            [int(d) for d in to_tensor(noise_shape).numpy()]
            if isinstance(noise_shape, Tensor)
            else list(noise_shape)
        )
        shape = [
            s if d is None else d if type(d) is SymbolicTensor else int(d)
            for d, s in zip(dims, shape[len(shape) - len(dims) :])
        ]
    noise = random_ops.uniform(
        shape if is_traced_shape(shape) else tuple(shape), dtype=x._dtype, seed=seed
    )
    # As TF: x * scale * keep, so a dropped inf or NaN gives NaN, as there.
    return multiply(multiply(x, scale), cast(greater_equal(noise, rate), x._dtype))


# -- TopKV2 -----------------------------------------------------------------


def _top_k_kernel(x, k):
    if k is not None and x.shape[-1] < k:
        # Reached by graphs traced with an unknown last dimension: top_k checks the others.
        raise InvalidArgumentError(
            None,
            "TopKV2",
            f"input must have at least k columns. Had {x.shape[-1]}, needed {k} [Op:TopKV2]",
        )
    # Sort ascending on a key that reverses the order: ~x for integers never
    # overflows (unlike -x at the minimum); a stable sort keeps lower indices first on ties.
    key = ~x if x.dtype.kind in "iu" else -x
    idx = np.argsort(key, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, idx, axis=-1), idx.astype(np.int32)


def _top_k_infer(x: Spec, k) -> tuple:
    if x.shape.rank is None:
        shape = TensorShape(None)
    else:
        # k None (from tf.sort) keeps the whole last axis.
        dims = x.shape.as_list()
        shape = TensorShape(dims[:-1] + [dims[-1] if k is None else k])
    return Spec(x.dtype, shape), Spec(dtypes.int32, shape)


def _top_k_grad(call, dvalues, dindices):
    """d x = dvalues put back at the positions named by the indices."""
    (x,) = call.inputs
    return (execute(_PUT_ALONG_LAST, (dvalues, call.outputs[1], x)),)


# k: how many of the largest entries to keep; None keeps all (a sort).
_TOP_K = register(
    "TopKV2",
    kernel=_top_k_kernel,
    grad=_top_k_grad,
    infer=_top_k_infer,
    num_outputs=2,
    allowed=REAL,
)


# -- TakeAlongLastAxis, PutAlongLastAxis ------------------------------------
#
# TopKV2's gradient and its own gradient: entries picked from the last axis by index,
# and entries added back into zeros shaped like a reference tensor (input 2, taken
# whole so that its shape need not be known when tracing).


def _put_along_last_kernel(updates, indices, like):
    # Repeated indices add up, so that the op is TakeAlongLastAxis's exact adjoint.
    out = np.zeros(like.shape, dtype=updates.dtype)
    leading = np.indices(indices.shape, sparse=True)[:-1]
    np.add.at(out, (*leading, indices), updates)
    return out


def _put_along_last_grad(call, dy):
    """The updates' gradient is dy at the positions they were written to."""
    _, indices, _ = call.inputs
    return execute(_TAKE_ALONG_LAST, (dy, indices)), None, None


_PUT_ALONG_LAST = register(
    "PutAlongLastAxis",
    kernel=_put_along_last_kernel,
    grad=_put_along_last_grad,
    infer=lambda updates, indices, like: Spec(updates.dtype, like.shape),
)


def _take_along_last_grad(call, dy):
    """dy goes back to the positions the entries were taken from."""
    params, indices = call.inputs
    return execute(_PUT_ALONG_LAST, (dy, indices, params)), None


_TAKE_ALONG_LAST = register(
    "TakeAlongLastAxis",
    kernel=lambda params, indices: np.take_along_axis(params, indices, -1),
    grad=_take_along_last_grad,
    infer=lambda params, indices: Spec(params.dtype, indices.shape),
)


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """The ``k`` largest entries of the last axis and their indices (``tf.math.top_k``).

    Values come out in descending order (also for ``sorted=False``, which TF leaves
    unspecified); ties keep the lower index first.

    >>> import tensorflux as tf
    >>> tf.math.top_k([1, 3, 2], k=2).indices.numpy()
    array([1, 2], dtype=int32)

    Returns:
        ``(values, indices)``, with attributes ``.values`` and ``.indices``.

    Raises:
        InvalidArgumentError: a scalar input, ``k < 0`` or ``k`` above the last dimension.
    """
    x = to_tensor(input)
    if isinstance(k, (float, str)):
        raise TypeError(
            f"Cannot convert {k!r} to EagerTensor of dtype int32: top_k's k must be an integer."
        )
    k_value = np.asarray(to_tensor(k).numpy() if isinstance(k, Tensor) else k)
    if k_value.ndim != 0:
        raise InvalidArgumentError(
            None, "TopKV2", f"k must be scalar, got shape {list(k_value.shape)} [Op:TopKV2]"
        )
    k = int(k_value)
    if x._value.ndim == 0:
        raise InvalidArgumentError(None, "TopKV2", "input must be >= 1-D, got shape [] [Op:TopKV2]")
    if k < 0:
        raise InvalidArgumentError(None, "TopKV2", f"Need k >= 0, got {k} [Op:TopKV2]")
    columns = static_dims(x)[-1]
    if columns is not None and columns < k:
        raise InvalidArgumentError(
            None,
            "TopKV2",
            f"input must have at least k columns. Had {columns}, needed {k} [Op:TopKV2]",
        )
    values, indices = execute(_TOP_K, (x,), {"k": k})
    index_type = dtypes.as_dtype(index_type)
    if index_type is not dtypes.int32:
        indices = cast(indices, index_type)
    return TopKV2(values, indices)


class TopKV2(tuple):
    """The ``(values, indices)`` pair ``top_k`` returns, as TF's named tuple."""

    __slots__ = ()

    def __new__(cls, values, indices):
        return super().__new__(cls, (values, indices))

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self):
        return f"TopKV2(values={self[0]!r}, indices={self[1]!r})"


# -- InTopKV2 ---------------------------------------------------------------


def _in_top_k_kernel(predictions, targets, k):
    n = predictions.shape[-1]
    valid = (targets >= 0) & (targets < n)
    target = predictions[np.arange(len(targets)), np.where(valid, targets, 0)]
    above = np.sum(predictions > target[:, None], axis=-1)
    # As TF: a non-finite score anywhere in the row makes the answer "no".
    finite = np.all(np.isfinite(predictions), axis=-1)
    return valid & finite & (above < k)


_IN_TOP_K = register(
    "InTopKV2",
    kernel=_in_top_k_kernel,
    grad=None,
    infer=lambda p, t, k: Spec(dtypes.bool, t.shape),
    allowed=FLOATING,
)


def in_top_k(targets, predictions, k, name=None) -> Tensor:
    """Whether each target class is among the ``k`` highest predictions of its row
    (``tf.math.in_top_k``); classes tied at the boundary all count as inside.

    Targets outside ``[0, num_classes)`` and rows with a non-finite score give False.

    Raises:
        InvalidArgumentError: predictions that are not ``[batch, classes]``, or targets
            that are not ``[batch]``.
    """
    p, t = to_tensor(predictions), to_tensor(targets)
    if p._dtype is not dtypes.float32:
        # TF's InTopKV2 kernel exists for float32 predictions only.
        raise InvalidArgumentError(
            None,
            "InTopKV2",
            f"cannot compute InTopKV2 as input #0(zero-based) was expected to be a float "
            f"tensor but is a {dtypes.tf_type_name(p._dtype)} tensor [Op:InTopKV2]. Cast the "
            f"predictions with tf.cast(predictions, tf.float32).",
        )
    pshape, tshape = static_dims(p), static_dims(t)
    if (
        len(pshape) != 2
        or len(tshape) != 1
        or (None not in (tshape[0], pshape[0]) and tshape[0] != pshape[0])
    ):
        raise InvalidArgumentError(
            None,
            "InTopKV2",
            f"in_top_k expects predictions of shape [batch, classes] and "
            f"targets of shape [batch], got {pshape} and {tshape} [Op:InTopKV2]",
        )
    return execute(_IN_TOP_K, (p, t), {"k": int(k)})


# -- l2_normalize (composition) ---------------------------------------------


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None) -> Tensor:
    """``x / sqrt(max(sum(x^2, axis), epsilon))`` (``tf.math.l2_normalize``).

    Raises:
        TypeError: an integer ``x`` (epsilon cannot be held in it), as in TF.
    """
    x = to_tensor(x)
    axis = dim if axis is None else axis
    axes = normalize_axis(axis, x._value.ndim, "Sum")
    if x._dtype.is_complex:
        # As TF: the norm of the real and imaginary parts together, applied to both.
        parts = (real(x), imag(x))
        square_sum = add(*(reduce_sum(square(p), axis=axes, keepdims=True) for p in parts))
        eps = to_tensor(epsilon, square_sum._dtype)
        inv_norm = rsqrt(maximum(square_sum, eps))
        from tensorflux.ops.complex_ops import complex as make_complex

        return make_complex(*(multiply(p, inv_norm) for p in parts))
    eps = to_tensor(epsilon, x._dtype)
    square_sum = reduce_sum(square(x), axis=axes, keepdims=True)
    return multiply(x, rsqrt(maximum(square_sum, eps)))
