"""``keras.layers.GlobalMaxPooling2D`` (alias ``GlobalMaxPool2D``):
the maximum over every spatial axis."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_global_pooling import GlobalPooling
from tensorflux.ops import reduction_ops

__all__ = ["GlobalMaxPooling2D", "GlobalMaxPool2D"]


class GlobalMaxPooling2D(GlobalPooling):
    """The maximum over the 2 spatial axises of each example.

    >>> import tensorflux as tf
    >>> tf.keras.layers.GlobalMaxPooling2D()(tf.ones((2, 8, 8, 3))).shape
    TensorShape([2, 3])

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``; None reads
            ``keras.backend.image_data_format()``.
        keepdims: whether the spatial axes stay, with size 1 (default False).

    Raises:
        ValueError: an unknown data format, inputs that are not 4-D, or a spatial
            axis of size 0.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return reduction_ops.reduce_max(inputs, axis=self.spatial_axes, keepdims=self.keepdims)


GlobalMaxPool2D = GlobalMaxPooling2D
