"""``keras.layers.CenterCrop``: the central window of each image."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.preprocessing_utils import convert_inputs
from tensorflux.keras.utils.image_utils import smart_resize
from tensorflux.ops.image_geometry_ops import crop_to_bounding_box, spatial_dims
from tensorflux.ops.math_ops import cast

__all__ = ["CenterCrop"]


class CenterCrop(Layer):
    """Crops the centre ``height x width`` of images; images smaller than that are
    resized up (``smart_resize``) instead.

    >>> import numpy as np, tensorflux as tf
    >>> x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    >>> tf.keras.layers.CenterCrop(2, 2)(x).numpy()[0, :, :, 0]
    array([[ 5.,  6.],
           [ 9., 10.]], dtype=float32)
    """

    def __init__(self, height, width, **kwargs):
        super().__init__(**kwargs)
        self.height = height
        self.width = width

    def call(self, inputs):
        x = convert_inputs(inputs, self.compute_dtype)
        height, width = spatial_dims("CenterCrop", x)
        h_diff, w_diff = height - self.height, width - self.width
        if h_diff >= 0 and w_diff >= 0:
            return crop_to_bounding_box(
                x, int(h_diff / 2), int(w_diff / 2), self.height, self.width
            )
        return cast(smart_resize(x, [self.height, self.width]), self.compute_dtype)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        return TensorShape(dims[:-3] + [self.height, self.width, dims[-1]])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config
