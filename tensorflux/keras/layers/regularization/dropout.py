"""``keras.layers.Dropout``: randomly zeroes inputs while training."""

from __future__ import annotations

from numbers import Real

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils.random_seed import draws_from_generator, next_legacy_seed
from tensorflux.ops import dropout_ops, nn_ops

__all__ = ["Dropout"]


class Dropout(Layer):
    """Sets each input to 0 with probability ``rate`` and scales the others by
    ``1 / (1 - rate)``, so the expected sum is unchanged; only when called with
    ``training=True`` (``fit`` does that), otherwise the identity.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.Dropout(0.5)
    >>> layer(tf.ones((2, 2))).numpy()          # inference: unchanged
    array([[1., 1.],
           [1., 1.]], dtype=float32)

    Args:
        rate: the fraction of inputs to drop, in ``[0, 1]``.
        noise_shape: the shape of the keep/drop mask, broadcast against the input;
            ``None`` entries take the input's size (``(batch, 1, features)`` drops the
            same features at every timestep).
        seed: an op seed, combined with ``tf.random.set_seed``.

    Raises:
        ValueError: a ``rate`` outside ``[0, 1]``.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, Real) and not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value {rate} received for `rate`, expected a value between 0 and 1."
            )
        self.rate = rate
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.supports_masking = True
        draws_from_generator(self)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        return self._drop(inputs, self.noise_shape, next_legacy_seed)

    def _drop(self, inputs, noise_shape, legacy_seed):
        """Dropout with ``noise_shape``: from the layer's own generator when it was made
        under ``keras.backend.experimental.enable_tf_random_generator``, else from the
        legacy op seeded by ``legacy_seed(self)``."""
        if draws_from_generator(self):
            from tensorflux.keras.layers.preprocessing.preprocessing_utils import layer_generator

            sampler = layer_generator(self).uniform
            return dropout_ops.general_dropout(inputs, self.rate, sampler, noise_shape=noise_shape)
        return nn_ops.dropout(inputs, self.rate, noise_shape=noise_shape, seed=legacy_seed(self))

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
