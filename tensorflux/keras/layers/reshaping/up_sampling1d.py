"""``keras.layers.UpSampling1D``: repeats each step of a sequence."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops.selection_ops import repeat

__all__ = ["UpSampling1D"]


class UpSampling1D(Layer):
    """Repeats each step of a batch of sequences ``(batch, steps, features)`` ``size``
    times along the steps.

    >>> import tensorflux as tf
    >>> tf.keras.layers.UpSampling1D(2)(tf.reshape(tf.range(3.0), (1, 3, 1)))[0, :, 0].numpy()
    array([0., 0., 1., 1., 2., 2.], dtype=float32)

    Args:
        size: the upsampling factor (an int).
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape) -> TensorShape:
        batch, steps, features = TensorShape(input_shape).as_list()
        steps = None if steps is None else steps * self.size
        return TensorShape([batch, steps, features])

    def get_config(self) -> dict:
        config = super().get_config()
        config["size"] = self.size
        return config
