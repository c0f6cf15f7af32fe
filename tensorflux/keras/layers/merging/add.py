"""``keras.layers.Add`` and its functional form ``keras.layers.add``."""

from __future__ import annotations

from tensorflux.keras.layers.merging.base_merge import Merge
from tensorflux.ops import math_ops

__all__ = ["Add", "add"]


class Add(Merge):
    """Adds a list of tensors of the same shape (or broadcastable shapes).

    >>> import tensorflux as tf
    >>> a, b = tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])
    >>> tf.keras.layers.Add()([a, b]).numpy()
    array([[4., 6.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.add(output, x)
        return output


def add(inputs, **kwargs):
    """The functional form of ``Add``: ``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)
