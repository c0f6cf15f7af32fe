"""``keras.layers.RandomTranslation``: shifts each image at random while training."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing import preprocessing_utils as utils
from tensorflux.ops.array_ops import concat

__all__ = ["RandomTranslation"]


class RandomTranslation(Layer):
    """Shifts each image by fractions of its height and width drawn from the factors'
    ranges, filling uncovered pixels by ``fill_mode``; the identity at inference.

    >>> import numpy as np, tensorflux as tf
    >>> layer = tf.keras.layers.RandomTranslation(0.2, 0.2, seed=1)
    >>> layer(np.zeros((1, 4, 4, 1)), training=True).shape
    TensorShape([1, 4, 4, 1])

    Raises:
        ValueError: a factor outside [-1, 1] or with ``upper < lower``.
        NotImplementedError: unknown modes.
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self.height_lower, self.height_upper = utils.bounds(height_factor, "height_factor")
        self.width_lower, self.width_upper = utils.bounds(width_factor, "width_factor")
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
        shape = concat([utils.batch_size(images), [1]], 0)
        generator = utils.layer_generator(self)
        dy = generator.uniform(shape, minval=self.height_lower, maxval=self.height_upper) * height
        dx = generator.uniform(shape, minval=self.width_lower, maxval=self.width_upper) * width
        matrices = utils.translation_matrices(concat([dx, dy], axis=1))
        out = utils.transform(images, matrices, self.fill_mode, self.fill_value, self.interpolation)
        return utils.unbatched(out, single)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "height_factor": self.height_factor,
                "width_factor": self.width_factor,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "interpolation": self.interpolation,
                "seed": self.seed,
            }
        )
        return config
