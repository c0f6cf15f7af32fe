"""``keras.layers.Cropping2D``: drops rows and columns at the borders of 2-D images."""

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

__all__ = ["Cropping2D"]


class Cropping2D(Layer):
    """Crops the 2 spatial dimensions of a batch ``(batch, rows, cols, channels)``
    (channels first with ``data_format="channels_first"``).

    >>> import tensorflux as tf
    >>> tf.keras.layers.Cropping2D(1)(tf.ones((1, 4, 5, 1))).shape
    TensorShape([1, 2, 3, 1])

    Args:
        cropping: an int (the same on every side), 2 ints (symmetric per spatial
            dimension) or 2 pairs ``(start, end)``.
        data_format: "channels_last" or "channels_first"; None takes
            ``keras.backend.image_data_format()``.

    Raises:
        ValueError: another form of ``cropping``, negative entries, an unknown
            ``data_format``, or (on call) a cropping that leaves nothing.
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_arg(data_format)
        self.cropping = spatial_pairs(cropping, 2, "cropping")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        axes = spatial_axes(self.data_format, 2)
        dims = inputs.shape.as_list()
        if any(
            dims[axis] is not None and sum(pair) >= dims[axis]
            for axis, pair in zip(axes, self.cropping)
        ):
            raise ValueError(
                "Argument `cropping` must be greater than the input shape. "
                f"Received: inputs.shape={inputs.shape}, and "
                f"cropping={self.cropping}"
            )
        key = [slice(None)] * 4
        for axis, (start, end) in zip(axes, self.cropping):
            key[axis] = slice(start, -end if end else None)
        return getitem(inputs, tuple(key))

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        for axis, pair in zip(spatial_axes(self.data_format, 2), self.cropping):
            dims[axis] = dims[axis] - sum(pair) if dims[axis] else None
        return TensorShape(dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"cropping": self.cropping, "data_format": self.data_format})
        return config
