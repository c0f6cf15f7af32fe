"""``keras.layers.ZeroPadding2D``: zero rows and columns around 2-D images."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.reshaping.spatial_args import (
    data_format_arg,
    spatial_axes,
    spatial_pairs,
)
from tensorflux.ops import array_ops

__all__ = ["ZeroPadding2D"]


class ZeroPadding2D(Layer):
    """Pads the 2 spatial dimensions of a batch ``(batch, rows, cols, channels)`` with zeros
    (channels first with ``data_format="channels_first"``).

    >>> import tensorflux as tf
    >>> tf.keras.layers.ZeroPadding2D(padding=1)(tf.ones((1, 2, 3, 1))).shape
    TensorShape([1, 4, 5, 1])

    Args:
        padding: an int (the same on every side), 2 ints (symmetric per spatial
            dimension) or 2 pairs ``(before, after)``.
        data_format: "channels_last" or "channels_first"; None takes
            ``keras.backend.image_data_format()``.

    Raises:
        ValueError: another form of ``padding``, negative entries, or an unknown
            ``data_format``.
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_arg(data_format)
        self.padding = spatial_pairs(padding, 2, "padding")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        pattern = [[0, 0] for _ in range(4)]
        for axis, pair in zip(spatial_axes(self.data_format, 2), self.padding):
            pattern[axis] = list(pair)
        return array_ops.pad(inputs, pattern)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        for axis, pair in zip(spatial_axes(self.data_format, 2), self.padding):
            dims[axis] = None if dims[axis] is None else dims[axis] + sum(pair)
        return TensorShape(dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
