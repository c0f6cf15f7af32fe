"""``keras.layers.Cropping1D``: drops steps at both ends of a sequence."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils import conv_utils
from tensorflux.ops.strided_slice_ops import getitem

__all__ = ["Cropping1D"]


class Cropping1D(Layer):
    """Crops a batch of sequences ``(batch, steps, features)`` along the steps.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Cropping1D((1, 2))(tf.ones((1, 5, 2))).shape
    TensorShape([1, 2, 2])

    Args:
        cropping: an int (the same at both ends) or a pair ``(start, end)`` of
            non-negative ints.

    Raises:
        ValueError: another form of ``cropping``, negative entries, or (on call) a
            cropping that leaves no step.
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = conv_utils.normalize_tuple(cropping, 2, "cropping", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        steps = inputs.shape[1]
        if steps is not None and sum(self.cropping) >= steps:
            raise ValueError(
                "cropping parameter of Cropping layer must be greater than the "
                f"input shape. Received: inputs.shape={inputs.shape}, and "
                f"cropping={self.cropping}"
            )
        start, end = self.cropping
        return getitem(inputs, (slice(None), slice(start, -end if end else None)))

    def compute_output_shape(self, input_shape) -> TensorShape:
        batch, steps, features = TensorShape(input_shape).as_list()
        steps = None if steps is None else steps - sum(self.cropping)
        return TensorShape([batch, steps, features])

    def get_config(self) -> dict:
        config = super().get_config()
        config["cropping"] = self.cropping
        return config
