"""Activations and neural-network ops (``tf.nn``)."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, COMPLEX, execute, register
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import same_as_input, to_tensor

__all__ = ["sigmoid"]


# -- Sigmoid ----------------------------------------------------------------


def _sigmoid_kernel(x):
    # exp(-|x|) never overflows; the two branches give the same value.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


def _sigmoid_grad(call, dy):
    """d sigmoid(x) = dy * y * (1 - y), from the output y."""
    (y,) = call.outputs
    one = Tensor(np.asarray(1, dtype=y._value.dtype), y._dtype)
    from tensorflux.ops.math_ops import multiply, subtract

    return (multiply(dy, multiply(y, subtract(one, y))),)


_SIGMOID = register("Sigmoid", kernel=_sigmoid_kernel, grad=_sigmoid_grad, infer=same_as_input,
                    allowed=FLOATING | COMPLEX)


def sigmoid(x, name=None) -> Tensor:
    """Logistic function ``1 / (1 + exp(-x))``, computed without overflow (``tf.math.sigmoid``).

    A primitive: its gradient reuses the output, cheaper than differentiating a
    composition of exp and division.
    """
    return execute(_SIGMOID, (to_tensor(x),))
