"""``keras.layers.Resizing``: resizes image batches to a fixed height and width."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils.image_utils import get_interpolation, smart_resize
from tensorflux.ops.image_resizing import resize
from tensorflux.ops.math_ops import cast

__all__ = ["Resizing"]


class Resizing(Layer):
    """Resizes images ``(..., h, w, c)`` to ``(..., height, width, c)`` with
    ``tf.image.resize`` (or, with ``crop_to_aspect_ratio``, ``smart_resize``).

    >>> import numpy as np, tensorflux as tf
    >>> tf.keras.layers.Resizing(2, 3)(np.zeros((1, 4, 4, 1))).shape
    TensorShape([1, 2, 3, 1])

    Raises:
        NotImplementedError: an unknown ``interpolation`` (Keras' type).
    """

    def __init__(
        self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, **kwargs
    ):
        super().__init__(**kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self._method = get_interpolation(interpolation)

    def call(self, inputs):
        size = [self.height, self.width]
        if self.crop_to_aspect_ratio:
            outputs = smart_resize(inputs, size, interpolation=self._method)
        else:
            outputs = resize(inputs, size, method=self._method)
        return cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        return TensorShape(dims[:-3] + [self.height, self.width, dims[-1]])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "height": self.height,
                "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            }
        )
        return config
