"""``keras.layers.RandomZoom``: zooms each image in or out at random while training."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing import preprocessing_utils as utils
from tensorflux.ops.array_ops import concat

__all__ = ["RandomZoom"]


def _range(factor) -> tuple:
    return (factor[0], factor[1]) if isinstance(factor, (tuple, list)) else (-factor, factor)


class RandomZoom(Layer):
    """Scales each image about its centre by ``1 + u``, ``u`` drawn from the factor's
    range (positive: zoom out, negative: zoom in); the width follows the height unless
    ``width_factor`` is given; the identity at inference.

    >>> import numpy as np, tensorflux as tf
    >>> tf.keras.layers.RandomZoom(0.2, seed=1)(np.zeros((1, 4, 4, 1)), training=True).shape
    TensorShape([1, 4, 4, 1])

    Raises:
        ValueError: a height factor outside [-1, 1] or a width factor below -1.
        NotImplementedError: unknown modes.
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _range(height_factor)
        if abs(self.height_lower) > 1.0 or abs(self.height_upper) > 1.0:
            raise ValueError(
                f"`height_factor` argument must have values between [-1, 1]. "
                f"Received: height_factor={height_factor}"
            )
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _range(width_factor)
            if self.width_lower < -1.0 or self.width_upper < -1.0:
                raise ValueError(
                    f"`width_factor` argument must have values larger than -1. "
                    f"Received: width_factor={width_factor}"
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
        shape = concat([utils.batch_size(images), [1]], 0)
        generator = utils.layer_generator(self)
        height_zoom = generator.uniform(
            shape, minval=1.0 + self.height_lower, maxval=1.0 + self.height_upper
        )
        width_zoom = (
            height_zoom
            if self.width_factor is None
            else generator.uniform(
                shape, minval=1.0 + self.width_lower, maxval=1.0 + self.width_upper
            )
        )
        zooms = concat([width_zoom, height_zoom], axis=1)
        out = utils.transform(
            images,
            utils.zoom_matrices(zooms, height, width),
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
                "height_factor": self.height_factor,
                "width_factor": self.width_factor,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "interpolation": self.interpolation,
                "seed": self.seed,
            }
        )
        return config
