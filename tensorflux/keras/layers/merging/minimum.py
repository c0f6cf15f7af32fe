"""``keras.layers.Minimum`` and its functional form ``keras.layers.minimum``."""

from __future__ import annotations

from tensorflux.keras.layers.merging.base_merge import Merge
from tensorflux.ops import math_ops

__all__ = ["Minimum", "minimum"]


class Minimum(Merge):
    """The elementwise minimum of a list of tensors.

    >>> import tensorflux as tf
    >>> a, b = tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])
    >>> tf.keras.layers.Minimum()([a, b]).numpy()
    array([[1., 2.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.minimum(output, x)
        return output


def minimum(inputs, **kwargs):
    """The functional form of ``Minimum``: ``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)
