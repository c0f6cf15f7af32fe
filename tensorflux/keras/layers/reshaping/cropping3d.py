"""``keras.layers.Cropping3D``: drops rows and columns at the borders of 3-D images."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.reshaping.spatial_args import (
    data_format_arg,
    spatial_axes,
    spatial_pairs,
)
from tensorflux.ops.strided_slice_ops import getitem

__all__ = ["Cropping3D"]


class Cropping3D(Layer):
    """Crops the 3 spatial dimensions of a batch ``(batch, dim1, dim2, dim3, channels)``
    (channels first with ``data_format="channels_first"``).

    >>> import tensorflux as tf
    >>> tf.keras.layers.Cropping3D(1)(tf.ones((1, 3, 4, 5, 1))).shape
    TensorShape([1, 1, 2, 3, 1])

    Args:
        cropping: an int (the same on every side), 3 ints (symmetric per spatial
            dimension) or 3 pairs ``(start, end)``.
        data_format: "channels_last" or "channels_first"; None takes
            ``keras.backend.image_data_format()``.

    Raises:
        ValueError: another form of ``cropping``, negative entries, an unknown
            ``data_format``.
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_arg(data_format)
        self.cropping = spatial_pairs(cropping, 3, "cropping")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        axes = spatial_axes(self.data_format, 3)
        key = [slice(None)] * 5
        for axis, (start, end) in zip(axes, self.cropping):
            key[axis] = slice(start, -end if end else None)
        return getitem(inputs, tuple(key))

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        for axis, pair in zip(spatial_axes(self.data_format, 3), self.cropping):
            dims[axis] = None if dims[axis] is None else dims[axis] - sum(pair)
        return TensorShape(dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"cropping": self.cropping, "data_format": self.data_format})
        return config
