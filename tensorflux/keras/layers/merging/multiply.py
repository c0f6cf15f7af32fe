"""``keras.layers.Multiply`` and its functional form ``keras.layers.multiply``."""

from __future__ import annotations

from tensorflux.keras.layers.merging.base_merge import Merge

__all__ = ["Multiply", "multiply"]


class Multiply(Merge):
    """Multiplies a list of tensors elementwise.

    >>> import tensorflux as tf
    >>> a, b = tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])
    >>> tf.keras.layers.Multiply()([a, b]).numpy()
    array([[3., 8.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output * x
        return output


def multiply(inputs, **kwargs):
    """The functional form of ``Multiply``: ``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)
