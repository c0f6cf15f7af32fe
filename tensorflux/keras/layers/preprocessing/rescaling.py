"""``keras.layers.Rescaling``: ``inputs * scale + offset`` in the layer's dtype."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.preprocessing_utils import convert_inputs
from tensorflux.ops.math_ops import cast

__all__ = ["Rescaling"]


class Rescaling(Layer):
    """Multiplies inputs by ``scale`` and adds ``offset`` (training and inference alike).

    >>> import numpy as np, tensorflux as tf
    >>> tf.keras.layers.Rescaling(1 / 255)(np.array([[0, 255]], np.uint8)).numpy()
    array([[0., 1.]], dtype=float32)

    Args:
        scale: the factor, e.g. ``1 / 255`` for [0, 255] images.
        offset: added after scaling, e.g. -1 with ``scale=1 / 127.5`` for [-1, 1].
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset

    def call(self, inputs):
        x = convert_inputs(inputs, self.compute_dtype)
        return x * cast(self.scale, x.dtype) + cast(self.offset, x.dtype)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"scale": self.scale, "offset": self.offset})
        return config
