"""``keras.layers.Activation``: applies an activation function."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations
from tensorflux.keras.layers.layer import Layer

__all__ = ["Activation"]


class Activation(Layer):
    """Applies ``activation`` elementwise; masks pass through.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Activation("relu")(tf.constant([-1.0, 2.0])).numpy()
    array([0., 2.], dtype=float32)

    Args:
        activation: an activation name (``"relu"``) or function (``tf.nn.relu``).
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
