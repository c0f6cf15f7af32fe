"""``keras.layers.ThresholdedReLU``: ``x`` above ``theta``, else zero."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.activations.floats import as_floatx
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops.logic_ops import greater
from tensorflux.ops.math_ops import cast, multiply

__all__ = ["ThresholdedReLU"]


class ThresholdedReLU(Layer):
    """``x`` where ``x > theta``, else 0.

    >>> import tensorflux as tf
    >>> tf.keras.layers.ThresholdedReLU(theta=1.0)(tf.constant([0.5, 1.0, 2.0])).numpy()
    array([0., 0., 2.], dtype=float32)

    Args:
        theta: the threshold; not negative.

    Raises:
        ValueError: ``theta`` None or negative.
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError(
                "Theta of a Thresholded ReLU layer cannot be None, expecting a "
                f"float. Received: {theta}"
            )
        if theta < 0:
            raise ValueError(
                f"The theta value of a Thresholded ReLU layer should be >=0. Received: {theta}"
            )
        self.supports_masking = True
        self.theta = as_floatx(theta)

    def call(self, inputs):
        dtype = dtypes.as_dtype(self.compute_dtype)
        return multiply(inputs, cast(greater(inputs, self.theta), dtype))

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["theta"] = self.theta
        return config
