"""``keras.layers.Identity``: returns its inputs unchanged."""

from __future__ import annotations

from tensorflux.framework import nest
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops

__all__ = ["Identity"]


class Identity(Layer):
    """A placeholder layer: its output is its input (each tensor of a nest passed
    through ``tf.identity``), whatever else it is called with.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Identity()(tf.constant([1.0, 2.0])).numpy()
    array([1., 2.], dtype=float32)

    Args:
        name: the layer's name.
    """

    def call(self, inputs):
        return nest.map_structure(array_ops.identity, inputs)
