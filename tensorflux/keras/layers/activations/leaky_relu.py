"""``keras.layers.LeakyReLU``: ``x`` above zero, ``alpha * x`` below."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations
from tensorflux.keras.layers.activations.floats import as_floatx
from tensorflux.keras.layers.layer import Layer

__all__ = ["LeakyReLU"]


class LeakyReLU(Layer):
    """Leaky rectified linear unit: ``x`` for ``x > 0``, else ``alpha * x``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.LeakyReLU()(tf.constant([-10.0, 2.0])).numpy()
    array([-3.,  2.], dtype=float32)

    Args:
        alpha: the slope below zero (Keras 2's default 0.3).

    Raises:
        ValueError: ``alpha=None``.
    """

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(
                "The alpha value of a Leaky ReLU layer cannot be None, Expecting "
                f"a float. Received: {alpha}"
            )
        self.supports_masking = True
        self.alpha = as_floatx(alpha)

    def call(self, inputs):
        return activations.relu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
