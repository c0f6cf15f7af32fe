"""``keras.layers.GaussianDropout``: multiplies inputs by 1-centred noise while
training."""

from __future__ import annotations

import math

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils.random_seed import draws_from_generator, next_legacy_seed
from tensorflux.ops import array_ops, random_ops

__all__ = ["GaussianDropout"]


class GaussianDropout(Layer):
    """Multiplies the inputs by normal noise of mean 1 and standard deviation
    ``sqrt(rate / (1 - rate))``; only with ``training=True`` and ``0 < rate < 1``,
    otherwise the identity.

    >>> import tensorflux as tf
    >>> tf.keras.layers.GaussianDropout(0.2)(tf.ones((1, 2))).numpy()   # inference
    array([[1., 1.]], dtype=float32)

    Args:
        rate: the drop probability of the equivalent ``Dropout``.
        seed: an op seed, combined with ``tf.random.set_seed``.
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        draws_from_generator(self)
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not (0 < self.rate < 1) or not training:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        if draws_from_generator(self):
            from tensorflux.keras.layers.preprocessing.preprocessing_utils import layer_generator

            noise = layer_generator(self).normal(
                array_ops.shape(inputs), mean=1.0, stddev=stddev, dtype=inputs.dtype
            )
            return inputs * noise
        noise = random_ops.normal(
            array_ops.shape(inputs),
            mean=1.0,
            stddev=stddev,
            dtype=inputs.dtype,
            seed=next_legacy_seed(self),
        )
        return inputs * noise

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
