"""``keras.layers.RandomFlip``: mirrors each image with probability 1/2 while
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
from tensorflux.ops.image_random_ops import (
    stateless_random_flip_left_right,
    stateless_random_flip_up_down,
)

__all__ = ["RandomFlip"]

_MODES = {
    "horizontal": (True, False),
    "vertical": (False, True),
    "horizontal_and_vertical": (True, True),
}


class RandomFlip(Layer):
    """Flips each image left-right and/or up-down at random, independently per image;
    the identity at inference.

    >>> import numpy as np, tensorflux as tf
    >>> x = np.arange(4.0).reshape(1, 2, 2, 1)
    >>> tf.keras.layers.RandomFlip("horizontal")(x, training=False).numpy().ravel()
    array([0., 1., 2., 3.], dtype=float32)

    Args:
        mode: "horizontal", "vertical" or "horizontal_and_vertical".
        seed: seeds the layer's random generator (else ``set_random_seed`` does).

    Raises:
        ValueError: an unknown ``mode``.
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, **kwargs):
        super().__init__(**kwargs)
        if mode not in _MODES:
            raise ValueError(
                f"RandomFlip layer {self.name} received an unknown mode argument {mode}"
            )
        self.mode = mode
        self.horizontal, self.vertical = _MODES[mode]
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
        if self.horizontal:
            x = stateless_random_flip_left_right(x, seed=stateless_seed(self))
        if self.vertical:
            x = stateless_random_flip_up_down(x, seed=stateless_seed(self))
        return x

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"mode": self.mode, "seed": self.seed})
        return config
