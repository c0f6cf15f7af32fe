"""``keras.layers.GlobalAveragePooling1D`` (alias ``GlobalAvgPool1D``):
the mean over every spatial axis."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_global_pooling import GlobalPooling
from tensorflux.ops import array_ops, math_ops, reduction_ops

__all__ = ["GlobalAveragePooling1D", "GlobalAvgPool1D"]


class GlobalAveragePooling1D(GlobalPooling):
    """The mean over the spatial axis of each example.

    With a mask ``(batch, steps)``, only the unmasked steps are averaged.

    >>> import tensorflux as tf
    >>> tf.keras.layers.GlobalAveragePooling1D()(tf.ones((2, 8, 3))).shape
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
        self.supports_masking = True

    def call(self, inputs, mask=None):
        steps = self.spatial_axes
        if mask is None:
            return reduction_ops.reduce_mean(inputs, axis=steps, keepdims=self.keepdims)
        mask = math_ops.cast(mask, inputs.dtype)
        mask = array_ops.expand_dims(mask, 2 if self.data_format == "channels_last" else 1)
        total = reduction_ops.reduce_sum(inputs * mask, axis=steps, keepdims=self.keepdims)
        return total / reduction_ops.reduce_sum(mask, axis=steps, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None


GlobalAvgPool1D = GlobalAveragePooling1D
