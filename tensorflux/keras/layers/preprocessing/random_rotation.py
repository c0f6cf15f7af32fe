"""``keras.layers.RandomRotation``: rotates each image by a random angle while
training."""

from __future__ import annotations

import math

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing import preprocessing_utils as utils

__all__ = ["RandomRotation"]


class RandomRotation(Layer):
    """Rotates each image about its centre by an angle drawn from
    ``[lower, upper] * 2 pi`` (``factor`` ``f`` means ``[-f, f]`` of a full turn),
    filling uncovered pixels by ``fill_mode``; the identity at inference.

    >>> import numpy as np, tensorflux as tf
    >>> layer = tf.keras.layers.RandomRotation(0.1, seed=2)
    >>> layer(np.zeros((2, 5, 5, 1)), training=True).shape
    TensorShape([2, 5, 5, 1])

    Args:
        factor: a fraction of 2 pi, or a ``(lower, upper)`` pair.
        fill_mode: "reflect", "wrap", "constant" or "nearest".
        interpolation: "bilinear" or "nearest".
        seed: seeds the layer's random generator (else ``set_random_seed`` does).
        fill_value: the value "constant" fills with.

    Raises:
        ValueError: ``upper < lower``. NotImplementedError: unknown modes (Keras' type).
    """

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.factor = factor
        if isinstance(factor, (tuple, list)):
            self.lower, self.upper = factor[0], factor[1]
        else:
            self.lower, self.upper = -factor, factor
        if self.upper < self.lower:
            raise ValueError(
                f"`factor` argument cannot have a negative value. Received: factor={factor}"
            )
        utils.check_fill_and_interpolation(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed

    def build(self, input_shape) -> None:
        # Keras makes the generator when the layer is first connected, so seeds are
        # drawn from ``set_random_seed`` in layer order, between the weights' draws.
        utils.layer_generator(self)
        super().build(input_shape)

    def call(self, inputs, training=None):
        x = utils.convert_inputs(inputs, self.compute_dtype)
        if not utils.is_training(training):
            return x
        images, single = utils.batched(x)
        height, width = utils.image_size(images)
        angles = utils.layer_generator(self).uniform(
            utils.batch_size(images),
            minval=self.lower * 2.0 * math.pi,
            maxval=self.upper * 2.0 * math.pi,
        )
        out = utils.transform(
            images,
            utils.rotation_matrices(angles, height, width),
            self.fill_mode,
            self.fill_value,
            self.interpolation,
        )
        return utils.unbatched(out, single)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "interpolation": self.interpolation,
                "seed": self.seed,
            }
        )
        return config
