"""``keras.layers.AlphaDropout``: dropout that keeps SELU's mean and variance."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import backend
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils.random_seed import draws_from_generator, next_legacy_seed
from tensorflux.ops import array_ops, logic_ops, math_ops, random_ops

__all__ = ["AlphaDropout"]

# SELU's constants: dropped units are set to its negative saturation value.
_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Sets each input to SELU's saturation value ``-alpha * scale`` with probability
    ``rate``, then applies the affine map that restores the inputs' mean and variance
    (for zero-mean unit-variance inputs), so self-normalization survives; only with
    ``training=True`` and ``0 < rate < 1``, otherwise the identity.

    >>> import tensorflux as tf
    >>> tf.keras.layers.AlphaDropout(0.2)(tf.ones((1, 2))).numpy()   # inference
    array([[1., 1.]], dtype=float32)

    Args:
        rate: the drop probability.
        noise_shape: the shape of the keep/drop mask (used as given), broadcast
            against the inputs; default the inputs' shape.
        seed: an op seed, combined with ``tf.random.set_seed``.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        draws_from_generator(self)
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not (0.0 < self.rate < 1.0) or not training:
            return inputs
        rate = self.rate
        shape = self.noise_shape if self.noise_shape else array_ops.shape(inputs)
        # The mask is drawn in floatx whatever the inputs' dtype, as tf_keras does.
        if draws_from_generator(self):
            from tensorflux.keras.layers.preprocessing.preprocessing_utils import layer_generator

            draw = layer_generator(self).uniform(shape, 0.0, None, dtype=backend.floatx())
        else:
            draw = random_ops.uniform(
                shape, 0.0, 1.0, dtype=backend.floatx(), seed=next_legacy_seed(self)
            )
        kept = math_ops.cast(logic_ops.greater_equal(draw, rate), inputs.dtype)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * rate
        x = inputs * kept + alpha_p * (1 - kept)
        return a * x + b

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
