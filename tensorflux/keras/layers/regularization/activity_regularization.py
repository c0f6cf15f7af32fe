"""``keras.layers.ActivityRegularization``: penalizes the activations passing through."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import regularizers
from tensorflux.keras.layers.layer import Layer

__all__ = ["ActivityRegularization"]


class ActivityRegularization(Layer):
    """The identity, adding ``(l1 * sum(|x|) + l2 * sum(x**2)) / batch_size`` to
    ``layer.losses`` on each call.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.ActivityRegularization(l1=0.1)
    >>> _ = layer(tf.constant([[1.0, -2.0]]))
    >>> round(float(layer.losses[0]), 4)
    0.3

    Args:
        l1: the L1 penalty factor.
        l2: the L2 penalty factor.
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
