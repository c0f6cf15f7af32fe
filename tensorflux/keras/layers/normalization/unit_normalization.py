"""``keras.layers.UnitNormalization``: scales each example to unit L2 norm."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.normalization.axes import normalize_axes
from tensorflux.ops import nn_ops

__all__ = ["UnitNormalization"]


class UnitNormalization(Layer):
    """Divides inputs by their L2 norm over ``axis``: ``x / sqrt(max(sum(x**2), 1e-12))``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.UnitNormalization()(tf.constant([[3.0, 4.0]])).numpy()
    array([[0.6, 0.8]], dtype=float32)

    Args:
        axis: the axis (or list of axes) normalized over.

    Raises:
        TypeError: an axis that is not an int.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                "Invalid value for `axis` argument: expected an int or a "
                f"list/tuple of ints. Received: axis={axis}"
            )
        self.supports_masking = True

    def build(self, input_shape) -> None:
        self._axes = normalize_axes(self.axis, TensorShape(input_shape).rank)
        self.built = True

    def call(self, inputs):
        return nn_ops.l2_normalize(inputs, axis=self._axes, epsilon=1e-12)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config
