"""``keras.layers.GlobalMaxPooling1D`` (alias ``GlobalMaxPool1D``):
the maximum over every spatial axis."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_global_pooling import GlobalPooling
from tensorflux.ops import reduction_ops

__all__ = ["GlobalMaxPooling1D", "GlobalMaxPool1D"]


class GlobalMaxPooling1D(GlobalPooling):
    """The maximum over the spatial axis of each example.

    >>> import tensorflux as tf
    >>> tf.keras.layers.GlobalMaxPooling1D()(tf.ones((2, 8, 3))).shape
    TensorShape([2, 3])

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: whether the spatial axes stay, with size 1 (default False).

    Raises:
        ValueError: an unknown data format, inputs that are not 3-D, or a spatial
            axis of size 0.
    """

    def __init__(self, data_format="channels_last", keepdims=False, **kwargs):
        super().__init__(1, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return reduction_ops.reduce_max(inputs, axis=self.spatial_axes, keepdims=self.keepdims)


GlobalMaxPool1D = GlobalMaxPooling1D
