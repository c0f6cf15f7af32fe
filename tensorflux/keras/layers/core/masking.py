"""``keras.layers.Masking``: masks timesteps whose features all equal a value."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import logic_ops, math_ops, reduction_ops

__all__ = ["Masking"]


class Masking(Layer):
    """Masks the timesteps of a ``(batch, timesteps, features)`` input whose features
    all equal ``mask_value``: they are zeroed, and the output carries a boolean mask
    of shape ``(batch, timesteps)`` that downstream layers (RNNs) skip on.

    >>> import tensorflux as tf
    >>> x = tf.constant([[[0.0, 0.0], [1.0, 2.0]]])
    >>> tf.keras.layers.Masking()(x)._keras_mask.numpy()
    array([[False,  True]])

    Args:
        mask_value: the value marking a padded timestep.
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def call(self, inputs):
        keep = reduction_ops.reduce_any(
            logic_ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True
        )
        return inputs * math_ops.cast(keep, inputs.dtype)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def compute_mask(self, inputs, mask=None):
        return reduction_ops.reduce_any(logic_ops.not_equal(inputs, self.mask_value), axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
