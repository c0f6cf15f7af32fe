"""``keras.layers.Maximum`` and its functional form ``keras.layers.maximum``."""

from __future__ import annotations

from tensorflux.keras.layers.merging.base_merge import Merge
from tensorflux.ops import math_ops

__all__ = ["Maximum", "maximum"]


class Maximum(Merge):
    """The elementwise maximum of a list of tensors.

    >>> import tensorflux as tf
    >>> a, b = tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])
    >>> tf.keras.layers.Maximum()([a, b]).numpy()
    array([[3., 4.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.maximum(output, x)
        return output


def maximum(inputs, **kwargs):
    """The functional form of ``Maximum``: ``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)
