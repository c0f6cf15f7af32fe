"""``keras.layers.SpatialDropout1D``: drops whole feature channels of sequences."""

from __future__ import annotations

from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.regularization.dropout import Dropout

__all__ = ["SpatialDropout1D"]


class SpatialDropout1D(Dropout):
    """Dropout of entire channels of ``(batch, steps, channels)``: each channel of each
    sample is zeroed at every step, or kept and scaled by ``1 / (1 - rate)``; only with
    ``training=True``. Neighbouring steps are correlated, so dropping single values
    would not regularise.

    >>> import tensorflux as tf
    >>> out = tf.keras.layers.SpatialDropout1D(0.5)(tf.ones((1, 4, 3)), training=True)
    >>> bool(tf.reduce_all(out == out[:, :1]))    # the same channels at every step
    True

    Args:
        rate: the fraction of channels to drop, in ``[0, 1]``.

    Raises:
        ValueError: a ``rate`` outside ``[0, 1]``.
    """

    def __init__(self, rate, **kwargs):
        super().__init__(rate, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        return self._drop(inputs, (None, 1, None), lambda layer: layer.seed)
