"""``keras.layers.UpSampling2D``: enlarges images by integer factors through the resize
op ``tf.image.resize`` picks for each interpolation method."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.reshaping.spatial_args import data_format_arg, spatial_axes
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import array_ops, image_ops, image_resample_ops
from tensorflux.ops.math_ops import cast, multiply, truediv
from tensorflux.ops.strided_slice_ops import getitem

__all__ = ["UpSampling2D"]


def _scale_and_translate(kernel_type):
    def resize(images, size, hw):
        """As ``tf.image.resize``: scale = new size / old size, no translation, no
        antialiasing."""
        if hw is None:
            old = cast(getitem(array_ops.shape(images), slice(1, 3)), dtypes.float32)
            scale = truediv(cast(size, dtypes.float32), old)
        else:
            scale = np.asarray(size, np.float32) / np.asarray(hw, np.float32)
        return image_resample_ops.scale_and_translate(
            images, size, scale, np.zeros(2, np.float32), kernel_type, antialias=False
        )

    return resize


# Keras' interpolation methods (its order, for its message), each with the resize op
# tf.image.resize runs for it.
_RESIZERS = {
    "bilinear": lambda x, size, hw: image_ops.resize_bilinear(x, size, half_pixel_centers=True),
    "nearest": lambda x, size, hw: image_ops.resize_nearest_neighbor(
        x, size, half_pixel_centers=True
    ),
    "bicubic": lambda x, size, hw: image_resample_ops.resize_bicubic(
        x, size, half_pixel_centers=True
    ),
    "area": lambda x, size, hw: image_resample_ops.resize_area(x, size),
    **{
        kernel: _scale_and_translate(kernel)
        for kernel in ("lanczos3", "lanczos5", "gaussian", "mitchellcubic")
    },
}


def _interpolation_arg(interpolation) -> str:
    method = interpolation.lower()
    if method not in _RESIZERS:
        keys = "dict_keys([" + ", ".join(repr(m) for m in _RESIZERS) + "])"
        raise NotImplementedError(
            f"Value not recognized for `interpolation`: {method}. Supported values are: {keys}"
        )
    return method


class UpSampling2D(Layer):
    """Enlarges a batch of images ``(batch, rows, cols, channels)`` by ``size[0]`` rows
    and ``size[1]`` columns per pixel (channels first with
    ``data_format="channels_first"``).

    ``interpolation="nearest"`` repeats pixels and keeps the dtype; the other methods
    interpolate (with half-pixel centres) and return float32, as ``tf.image.resize``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.UpSampling2D((1, 2))(tf.ones((2, 2, 1, 3))).shape
    TensorShape([2, 2, 2, 3])

    Args:
        size: an int or 2 ints, the factors for rows and columns.
        data_format: "channels_last" or "channels_first"; None takes
            ``keras.backend.image_data_format()``.
        interpolation: "nearest", "bilinear", "bicubic", "area", "lanczos3",
            "lanczos5", "gaussian" or "mitchellcubic" (any capitalisation).

    Raises:
        ValueError: a ``size`` that is not 1 or 2 positive ints, or an unknown
            ``data_format``.
        NotImplementedError: another ``interpolation``, in Keras' words.
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
            hw = None
            size = multiply(
                getitem(array_ops.shape(images), slice(1, 3)), Tensor(factors, dtypes.int32)
            )
        else:
            size = (np.asarray(hw, dtype=np.int32) * factors).tolist()
        outputs = _RESIZERS[self.interpolation](images, size, hw)
        return array_ops.transpose(outputs, (0, 3, 1, 2)) if channels_first else outputs

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        for axis, factor in zip(spatial_axes(self.data_format, 2), self.size):
            dims[axis] = None if dims[axis] is None else dims[axis] * factor
        return TensorShape(dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "size": self.size,
                "data_format": self.data_format,
                "interpolation": self.interpolation,
            }
        )
        return config
