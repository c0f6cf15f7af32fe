"""``keras.layers.RandomBrightness``: adds a random brightness shift per image while
training."""

from __future__ import annotations

import numbers

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.preprocessing_utils import (
    convert_inputs,
    is_training,
    layer_generator,
)
from tensorflux.ops.array_ops import concat, shape
from tensorflux.ops.clip_ops import clip_by_value

__all__ = ["RandomBrightness"]


class RandomBrightness(Layer):
    """Adds ``u * (high - low)`` to each image, ``u`` drawn from the factor's range,
    and clips to ``value_range = (low, high)``; the identity at inference.

    >>> import numpy as np, tensorflux as tf
    >>> layer = tf.keras.layers.RandomBrightness(0.1, value_range=(0, 1))
    >>> layer(np.zeros((2, 2, 2, 3)), training=False).shape
    TensorShape([2, 2, 2, 3])

    Raises:
        ValueError: a factor outside [-1, 1] or a ``value_range`` not of two numbers.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        pair = [-factor, factor] if isinstance(factor, numbers.Number) else factor
        if not (
            isinstance(pair, (list, tuple))
            and len(pair) == 2
            and all(-1.0 <= f <= 1.0 for f in pair)
        ):
            raise ValueError(
                f"The `factor` argument should be a number (or a list of two "
                f"numbers) in the range [-1.0, 1.0]. Got {factor}"
            )
        factor = pair
        if not (isinstance(value_range, (list, tuple)) and len(value_range) == 2):
            raise ValueError(
                f"The `value_range` argument should be a list of two numbers. Got {value_range}"
            )
        self.factor = sorted(factor)
        self.value_range = sorted(value_range)
        self.seed = seed

    def build(self, input_shape) -> None:
        # Keras makes the generator when the layer is first connected, so seeds are
        # drawn from ``set_random_seed`` in layer order, between the weights' draws.
        layer_generator(self)
        super().build(input_shape)

    def call(self, inputs, training=None):
        x = convert_inputs(inputs, self.compute_dtype)
        if not is_training(training):
            return x
        low, high = self.value_range
        delta_shape = [1, 1, 1] if x.shape.rank == 3 else concat([shape(x)[:1], [1, 1, 1]], 0)
        delta = layer_generator(self).uniform(
            delta_shape, minval=self.factor[0], maxval=self.factor[1]
        )
        return clip_by_value(x + delta * (high - low), low, high)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"factor": list(self.factor), "value_range": list(self.value_range), "seed": self.seed}
        )
        return config
