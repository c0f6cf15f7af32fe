"""``keras.layers.ELU``: exponential linear unit."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations
from tensorflux.keras.layers.activations.floats import as_floatx
from tensorflux.keras.layers.layer import Layer

__all__ = ["ELU"]


class ELU(Layer):
    """``x`` for ``x > 0``, else ``alpha * (exp(x) - 1)``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.ELU(alpha=2.0)(tf.constant([0.0, 1.0])).numpy()
    array([0., 1.], dtype=float32)

    Args:
        alpha: the scale of the negative part.

    Raises:
        ValueError: ``alpha=None``.
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(
                f"Alpha of an ELU layer cannot be None, expecting a float. Received: {alpha}"
            )
        self.supports_masking = True
        self.alpha = as_floatx(alpha)

    def call(self, inputs):
        return activations.elu(inputs, self.alpha)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
