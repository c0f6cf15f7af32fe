"""``keras.activations``: activation functions and their lookup by name.

Built on the ``tf.nn`` ops, so their gradients are the ops' gradients. Formulas
follow Keras 2 (``hard_sigmoid`` is ``clip(0.2 * x + 0.5, 0, 1)``).
"""

from __future__ import annotations

import inspect

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops import nn_ops
from tensorflux.ops.clip_ops import clip_by_value
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import greater
from tensorflux.ops.math_ops import cast, multiply
from tensorflux.ops.unary_math_ops import exp
from tensorflux.ops.unary_math_ops import tanh as tf_tanh

__all__ = []


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit with Keras' options.

    ``x`` above ``threshold`` passes through (capped at ``max_value``); below it the
    result is ``alpha * (x - threshold)``.

    >>> import tensorflux as tf
    >>> tf.keras.activations.relu([-10.0, -5.0, 0.0, 5.0, 10.0], alpha=0.5).numpy()
    array([-5. , -2.5,  0. ,  5. , 10. ], dtype=float32)
    """
    x = convert_to_tensor(x)
    if alpha != 0 and max_value is None and threshold == 0:
        return nn_ops.leaky_relu(x, alpha=alpha)
    if alpha != 0:
        negative_part = nn_ops.relu(threshold - x if threshold != 0 else -x)
    if threshold != 0:
        out = multiply(x, cast(greater(x, threshold), x.dtype))
    elif max_value == 6:
        out, max_value = nn_ops.relu6(x), None
    else:
        out = nn_ops.relu(x)
    if max_value is not None:
        out = clip_by_value(out, 0.0, max_value)
    if alpha != 0:
        out = out - alpha * negative_part
    return out


def sigmoid(x):
    """``1 / (1 + exp(-x))``; the output keeps its logits for Keras' cross-entropy."""
    x = convert_to_tensor(x)
    output = nn_ops.sigmoid(x)
    output._keras_logits = x
    return output


def tanh(x):
    """Hyperbolic tangent."""
    return tf_tanh(x)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x), axis)``: a probability distribution along ``axis``.

    Raises:
        ValueError: a 1-D input (Keras 2 expects a batch; use ``tf.nn.softmax``).
    """
    x = convert_to_tensor(x)
    if len(x.shape) <= 1:
        raise ValueError(
            f"Cannot apply softmax to a tensor that is 1D. Received input of shape "
            f"{tuple(x.shape.as_list())}; keras.activations.softmax expects a batch "
            f"(add a batch axis with tf.expand_dims, or use tf.nn.softmax)."
        )
    output = nn_ops.softmax(x, axis=axis)
    # As in tf_keras: cross-entropy losses given this output compute from its logits.
    output._keras_logits = x
    return output


def log_softmax(x, axis=-1):
    """``x - log(sum(exp(x), axis))``."""
    return nn_ops.log_softmax(x, axis=axis)


def softplus(x):
    """``log(exp(x) + 1)``."""
    return nn_ops.softplus(x)


def softsign(x):
    """``x / (abs(x) + 1)``."""
    return nn_ops.softsign(x)


def elu(x, alpha=1.0):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""
    x = convert_to_tensor(x)
    res = nn_ops.elu(x)
    return res if alpha == 1 else where(greater(x, 0.0), res, alpha * res)


def selu(x):
    """Scaled ELU: ``1.0507 * elu(x, 1.67326)``."""
    return nn_ops.selu(x)


def gelu(x, approximate=False):
    """Gaussian error linear unit, exact (erf) or tanh-approximated."""
    return nn_ops.gelu(x, approximate=approximate)


def swish(x):
    """``x * sigmoid(x)`` (also called SiLU)."""
    return nn_ops.silu(x)


def exponential(x):
    """``exp(x)``."""
    return exp(x)


def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)``, a piecewise-linear sigmoid (Keras 2 slope)."""
    x = convert_to_tensor(x)
    return clip_by_value(0.2 * x + 0.5, 0.0, 1.0)


def linear(x):
    """The identity: returns ``x`` unchanged."""
    return x


def mish(x):
    """``x * tanh(softplus(x))``."""
    x = convert_to_tensor(x)
    return multiply(x, tf_tanh(nn_ops.softplus(x)))


def relu6(x):
    """``min(max(x, 0), 6)``."""
    return nn_ops.relu6(x)


def leaky_relu(x, negative_slope=0.2):
    """``x`` for ``x >= 0``, ``negative_slope * x`` otherwise (Keras 3 spelling)."""
    return nn_ops.leaky_relu(x, alpha=negative_slope)


silu = swish

_ACTIVATIONS = {
    name: fn
    for name, fn in dict(globals()).items()
    if inspect.isfunction(fn) and fn.__module__ == __name__
}


def serialize(activation):
    """The name of a built-in activation (``serialize(relu) == "relu"``).

    Raises:
        ValueError: a callable that is not a known activation and has no ``__name__``.
    """
    name = getattr(activation, "__name__", None)
    if name is None:
        raise ValueError(f"Could not serialize activation {activation!r}: it has no __name__.")
    return name


def deserialize(name, custom_objects=None):
    """The activation function called ``name`` (or a ``{"class_name": ...}`` config).

    Raises:
        ValueError: an unknown name.
    """
    if isinstance(name, dict):
        name = (
            name.get("config") if name.get("class_name") == "function" else name.get("class_name")
        )
    fn = (custom_objects or {}).get(name) or _ACTIVATIONS.get(name)
    if fn is None:
        raise ValueError(
            f"Unknown activation function '{name}' cannot be deserialized. "
            f"Known names: {sorted(_ACTIVATIONS)}; pass custom ones with "
            f"custom_objects={{'{name}': fn}}."
        )
    return fn


def get(identifier):
    """Resolves an activation: ``None`` -> :func:`linear`, a name or config -> the function,
    a callable -> itself.

    >>> import tensorflux as tf
    >>> tf.keras.activations.get("relu").__name__
    'relu'

    Raises:
        ValueError: an unknown name.
        TypeError: an identifier that is neither None, a string, a dict nor callable.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier!r}")


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.activations", __name__, name)
