"""``keras.layers.Softmax``: softmax along one or more axes, with an optional mask."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import nn_ops
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import greater
from tensorflux.ops.math_ops import add, cast, multiply, subtract
from tensorflux.ops.reduction_ops import reduce_logsumexp
from tensorflux.ops.unary_math_ops import exp

__all__ = ["Softmax"]


def _large_negative(dtype) -> float:
    """A number that makes exp() vanish, yet fits the dtype (float16 tops out at 65504)."""
    return float(dtypes.float16.min) if dtype == dtypes.float16 else -1e9


class Softmax(Layer):
    """``exp(x) / sum(exp(x), axis)``; with a ``mask``, masked positions (mask 0 or
    False) get a large negative added first, so their probability is about zero.

    >>> import tensorflux as tf
    >>> x = tf.constant([[1.0, 2.0, 3.0]])
    >>> tf.keras.layers.Softmax()(x, mask=tf.constant([[True, True, False]])).numpy().round(3)
    array([[0.269, 0.731, 0.   ]], dtype=float32)

    Args:
        axis: an int, or a list of ints to normalise over several axes at once.
        robust_masking: mask with ``tf.where`` (exactly zero probability, safe for any
            magnitude) instead of adding the large negative.
    """

    def __init__(self, axis=-1, robust_masking=False, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.robust_masking = robust_masking
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is not None:
            big = _large_negative(inputs.dtype)
            if self.robust_masking:
                if mask.dtype != dtypes.bool:
                    mask = greater(mask, cast(0.5, mask.dtype))
                inputs = where(mask, inputs, cast(big, inputs.dtype))
            else:
                keep = cast(mask, inputs.dtype)
                inputs = add(
                    inputs,
                    multiply(subtract(cast(1.0, inputs.dtype), keep), cast(big, inputs.dtype)),
                )
        if isinstance(self.axis, (tuple, list)):
            if len(self.axis) > 1:
                return exp(
                    subtract(inputs, reduce_logsumexp(inputs, axis=self.axis, keepdims=True))
                )
            return nn_ops.softmax(inputs, axis=self.axis[0])
        return nn_ops.softmax(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        if self.robust_masking:
            config["robust_masking"] = True
        return config
