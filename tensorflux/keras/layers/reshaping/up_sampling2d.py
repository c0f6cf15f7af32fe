"""``keras.layers.UpSampling2D``: enlarges images by integer factors, through TF's
resize ops (nearest neighbour or bilinear with half-pixel centres, as
``tf.image.resize``)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.reshaping.spatial_args import data_format_arg, spatial_axes
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import array_ops, image_ops
from tensorflux.ops.math_ops import multiply
from tensorflux.ops.slicing_ops import getitem

__all__ = ["UpSampling2D"]

_RESIZERS = {"nearest": image_ops.resize_nearest_neighbor,
             "bilinear": image_ops.resize_bilinear}
# What Keras 2 accepts; the kernels of the others (area, bicubic and the
# scale-and-translate family) are not written yet.
_KERAS_METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                  "gaussian", "mitchellcubic")


def _interpolation_arg(interpolation) -> str:
    method = interpolation.lower()
    if method not in _KERAS_METHODS:
        keys = "dict_keys([" + ", ".join(repr(m) for m in _KERAS_METHODS) + "])"
        raise NotImplementedError(f"Value not recognized for `interpolation`: {method}. "
                                  f"Supported values are: {keys}")
    if method not in _RESIZERS:
        raise NotImplementedError(
            f'UpSampling2D: interpolation="{method}" is accepted by Keras but not '
            f'implemented in tensorflux yet. Use "nearest" or "bilinear".')
    return method


class UpSampling2D(Layer):
    """Enlarges a batch of images ``(batch, rows, cols, channels)`` by ``size[0]`` rows
    and ``size[1]`` columns per pixel (channels first with
    ``data_format="channels_first"``).

    ``interpolation="nearest"`` repeats pixels and keeps the dtype; ``"bilinear"``
    interpolates with half-pixel centres and returns float32, as ``tf.image.resize``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.UpSampling2D((1, 2))(tf.ones((2, 2, 1, 3))).shape
    TensorShape([2, 2, 2, 3])

    Args:
        size: an int or 2 ints, the factors for rows and columns.
        data_format: "channels_last" or "channels_first"; None takes
            ``keras.backend.image_data_format()``.
        interpolation: "nearest" or "bilinear" (any capitalisation).

    Raises:
        ValueError: a ``size`` that is not 1 or 2 positive ints, or an unknown
            ``data_format``.
        NotImplementedError: an ``interpolation`` Keras does not know (Keras' message),
            or one of Keras' other methods, which tensorflux does not implement yet.
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_arg(data_format)
        self.size = conv_utils.normalize_tuple(size, 2, "size")
        self.interpolation = _interpolation_arg(interpolation)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        channels_first = self.data_format == "channels_first"
        images = array_ops.transpose(inputs, (0, 2, 3, 1)) if channels_first else inputs
        hw = images.shape.as_list()[1:3]
        factors = np.asarray(self.size, dtype=np.int32)
        if None in hw:
            size = multiply(getitem(array_ops.shape(images), slice(1, 3)),
                            Tensor(factors, dtypes.int32))
        else:
            size = (np.asarray(hw, dtype=np.int32) * factors).tolist()
        outputs = _RESIZERS[self.interpolation](images, size, half_pixel_centers=True)
        return array_ops.transpose(outputs, (0, 3, 1, 2)) if channels_first else outputs

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        for axis, factor in zip(spatial_axes(self.data_format, 2), self.size):
            dims[axis] = None if dims[axis] is None else dims[axis] * factor
        return TensorShape(dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format,
                       "interpolation": self.interpolation})
        return config
