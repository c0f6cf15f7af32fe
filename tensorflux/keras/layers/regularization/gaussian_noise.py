"""``keras.layers.GaussianNoise``: adds zero-centred noise while training."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils.random_seed import draws_from_generator, next_legacy_seed
from tensorflux.ops import array_ops, random_ops

__all__ = ["GaussianNoise"]


class GaussianNoise(Layer):
    """Adds normal noise of standard deviation ``stddev``; only with ``training=True``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.GaussianNoise(0.1)(tf.ones((1, 2))).numpy()   # inference
    array([[1., 1.]], dtype=float32)

    Args:
        stddev: the standard deviation of the noise.
        seed: an op seed, combined with ``tf.random.set_seed``.
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed = seed
        draws_from_generator(self)
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not training:
            return inputs
        if draws_from_generator(self):
            from tensorflux.keras.layers.preprocessing.preprocessing_utils import layer_generator

            noise = layer_generator(self).normal(
                array_ops.shape(inputs), mean=0.0, stddev=self.stddev, dtype=inputs.dtype
            )
            return inputs + noise
        noise = random_ops.normal(
            array_ops.shape(inputs),
            mean=0.0,
            stddev=self.stddev,
            dtype=inputs.dtype,
            seed=next_legacy_seed(self),
        )
        return inputs + noise

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
