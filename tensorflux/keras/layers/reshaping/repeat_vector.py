"""``keras.layers.RepeatVector``: repeats a vector along a new time axis."""

from __future__ import annotations

from numbers import Integral

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops

__all__ = ["RepeatVector"]


class RepeatVector(Layer):
    """Turns ``(batch, features)`` into ``(batch, n, features)`` by repetition.

    >>> import tensorflux as tf
    >>> tf.keras.layers.RepeatVector(3)(tf.ones((2, 4))).shape
    TensorShape([2, 3, 4])

    Args:
        n: the number of repetitions.

    Raises:
        TypeError: a non-integer ``n``.
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, Integral) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.n = int(n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return array_ops.tile(array_ops.expand_dims(inputs, 1), [1, self.n, 1])

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        return TensorShape([dims[0], self.n, dims[1]])

    def get_config(self) -> dict:
        config = super().get_config()
        config["n"] = self.n
        return config
