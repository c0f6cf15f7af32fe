"""``keras.layers.MaxPooling2D`` (alias ``MaxPool2D``): max pooling over windows of an image."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_pooling import Pooling

__all__ = ["MaxPooling2D", "MaxPool2D"]


class MaxPooling2D(Pooling):
    """Max pooling over windows of an images (2 spatial axises).

    >>> import tensorflux as tf
    >>> tf.keras.layers.MaxPooling2D()(tf.ones((2, 8, 8, 3))).shape
    TensorShape([2, 4, 4, 3])

    Args:
        pool_size: an int or 2 ints (default (2, 2)).
        strides: an int, 2 ints, or None (the default) for ``pool_size``.
        padding: ``"valid"`` (default) or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; None reads
            ``keras.backend.image_data_format()``.

    Raises:
        ValueError: bad pool sizes, strides, padding or data format (Keras' messages), or
            inputs that are not 4-D.
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__("max", 2, pool_size, strides, padding, data_format, **kwargs)


MaxPool2D = MaxPooling2D
