"""``keras.layers.ReLU``: rectified linear unit with a cap, a slope and a threshold."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations
from tensorflux.keras.layers.activations.floats import as_floatx
from tensorflux.keras.layers.layer import Layer

__all__ = ["ReLU"]


class ReLU(Layer):
    """``min(x, max_value)`` for ``x >= threshold``, else ``negative_slope * (x -
    threshold)``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.ReLU(max_value=1.0)(tf.constant([-1.0, 0.5, 2.0])).numpy()
    array([0. , 0.5, 1. ], dtype=float32)

    Args:
        max_value: the largest output (None: no cap); not negative.
        negative_slope: the slope below the threshold; not negative.
        threshold: where the unit turns on; not negative.

    Raises:
        ValueError: a negative ``max_value``, or a negative or None ``negative_slope``
            or ``threshold``, in Keras' wording.
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                f"max_value of a ReLU layer cannot be a negative value. Received: {max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                "negative_slope of a ReLU layer cannot be a negative value. "
                f"Received: {negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                f"threshold of a ReLU layer cannot be a negative value. Received: {threshold}"
            )
        self.supports_masking = True
        self.max_value = None if max_value is None else as_floatx(max_value)
        self.negative_slope = as_floatx(negative_slope)
        self.threshold = as_floatx(threshold)

    def call(self, inputs):
        return activations.relu(
            inputs, alpha=self.negative_slope, max_value=self.max_value, threshold=self.threshold
        )

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "max_value": self.max_value,
                "negative_slope": self.negative_slope,
                "threshold": self.threshold,
            }
        )
        return config
