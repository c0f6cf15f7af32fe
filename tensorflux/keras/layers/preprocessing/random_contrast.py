"""``keras.layers.RandomContrast``: a random contrast factor per batch while
training."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.preprocessing_utils import (
    convert_inputs,
    is_training,
    layer_generator,
    stateless_seed,
)
from tensorflux.ops.clip_ops import clip_by_value
from tensorflux.ops.image_random_ops import stateless_random_contrast

__all__ = ["RandomContrast"]


class RandomContrast(Layer):
    """Scales each channel's deviation from its mean by a factor drawn from
    ``[1 - lower, 1 + upper]`` (one factor per call), then clips to [0, 255]; the
    identity at inference.

    >>> import numpy as np, tensorflux as tf
    >>> tf.keras.layers.RandomContrast(0.5)(np.ones((1, 2, 2, 1)), training=False).shape
    TensorShape([1, 2, 2, 1])

    Raises:
        ValueError: factors below 0 or a lower factor above 1.
    """

    def __init__(self, factor, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        if isinstance(factor, (tuple, list)):
            self.lower, self.upper = factor[0], factor[1]
        else:
            self.lower = self.upper = factor
        if self.lower < 0.0 or self.upper < 0.0 or self.lower > 1.0:
            raise ValueError(
                f"`factor` argument cannot have negative values or values "
                f"greater than 1.Received: factor={factor}"
            )
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
        contrasted = stateless_random_contrast(
            x, 1.0 - self.lower, 1.0 + self.upper, seed=stateless_seed(self)
        )
        return clip_by_value(contrasted, 0, 255)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"factor": self.factor, "seed": self.seed})
        return config
