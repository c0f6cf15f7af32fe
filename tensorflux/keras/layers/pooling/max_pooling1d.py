"""``keras.layers.MaxPooling1D`` (alias ``MaxPool1D``): max pooling over windows of a sequence."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_pooling import Pooling

__all__ = ["MaxPooling1D", "MaxPool1D"]


class MaxPooling1D(Pooling):
    """Max pooling over windows of a sequences (1 spatial axis).

    >>> import tensorflux as tf
    >>> tf.keras.layers.MaxPooling1D()(tf.ones((2, 8, 3))).shape
    TensorShape([2, 4, 3])

    Args:
        pool_size: an int or 1 ints (default 2).
        strides: an int, 1 ints, or None (the default) for ``pool_size``.
        padding: ``"valid"`` (default) or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Raises:
        ValueError: bad pool sizes, strides, padding or data format (Keras' messages), or
            inputs that are not 3-D.
    """

    def __init__(
        self, pool_size=2, strides=None, padding="valid", data_format="channels_last", **kwargs
    ):
        super().__init__("max", 1, pool_size, strides, padding, data_format, **kwargs)


MaxPool1D = MaxPooling1D
