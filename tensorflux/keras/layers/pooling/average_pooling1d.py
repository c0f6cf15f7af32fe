"""``keras.layers.AveragePooling1D`` (alias ``AvgPool1D``):
average pooling over windows of a sequence."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_pooling import Pooling

__all__ = ["AveragePooling1D", "AvgPool1D"]


class AveragePooling1D(Pooling):
    """Average pooling over windows of a sequences (1 spatial axis).

    SAME padding averages the cells inside the input only, as TF.

    >>> import tensorflux as tf
    >>> tf.keras.layers.AveragePooling1D()(tf.ones((2, 8, 3))).shape
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
        super().__init__("avg", 1, pool_size, strides, padding, data_format, **kwargs)


AvgPool1D = AveragePooling1D
