"""``keras.layers.ZeroPadding1D``: zeros before and after the steps of a sequence."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import array_ops

__all__ = ["ZeroPadding1D"]


class ZeroPadding1D(Layer):
    """Pads a batch of sequences ``(batch, steps, features)`` with zero steps.

    >>> import tensorflux as tf
    >>> tf.keras.layers.ZeroPadding1D((1, 2))(tf.ones((1, 3, 2))).shape
    TensorShape([1, 6, 2])

    Args:
        padding: an int (the same number of steps on both sides) or a pair
            ``(before, after)`` of non-negative ints.

    Raises:
        ValueError: another form of ``padding``, or negative entries.
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = conv_utils.normalize_tuple(padding, 2, "padding", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return array_ops.pad(inputs, [[0, 0], list(self.padding), [0, 0]])

    def compute_output_shape(self, input_shape) -> TensorShape:
        batch, steps, features = TensorShape(input_shape).as_list()
        steps = None if steps is None else steps + sum(self.padding)
        return TensorShape([batch, steps, features])

    def get_config(self) -> dict:
        config = super().get_config()
        config["padding"] = self.padding
        return config
