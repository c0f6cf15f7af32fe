"""``keras.layers.GlobalMaxPooling3D`` (alias ``GlobalMaxPool3D``):
the maximum over every spatial axis."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_global_pooling import GlobalPooling
from tensorflux.ops import reduction_ops

__all__ = ["GlobalMaxPooling3D", "GlobalMaxPool3D"]


class GlobalMaxPooling3D(GlobalPooling):
    """The maximum over the 3 spatial axises of each example.

    >>> import tensorflux as tf
    >>> tf.keras.layers.GlobalMaxPooling3D()(tf.ones((2, 4, 4, 4, 3))).shape
    TensorShape([2, 3])

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``; None reads
            ``keras.backend.image_data_format()``.
        keepdims: whether the spatial axes stay, with size 1 (default False).

    Raises:
        ValueError: an unknown data format, inputs that are not 5-D, or a spatial
            axis of size 0.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return reduction_ops.reduce_max(inputs, axis=self.spatial_axes, keepdims=self.keepdims)


GlobalMaxPool3D = GlobalMaxPooling3D
