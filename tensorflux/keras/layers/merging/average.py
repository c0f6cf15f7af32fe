"""``keras.layers.Average`` and its functional form ``keras.layers.average``."""

from __future__ import annotations

from tensorflux.keras.layers.merging.base_merge import Merge

__all__ = ["Average", "average"]


class Average(Merge):
    """Averages a list of tensors elementwise.

    >>> import tensorflux as tf
    >>> a, b = tf.constant([[1.0, 4.0]]), tf.constant([[3.0, 2.0]])
    >>> tf.keras.layers.Average()([a, b]).numpy()
    array([[2., 3.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output / len(inputs)


def average(inputs, **kwargs):
    """The functional form of ``Average``: ``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)
