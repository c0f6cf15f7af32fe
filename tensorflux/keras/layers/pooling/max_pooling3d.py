"""``keras.layers.MaxPooling3D`` (alias ``MaxPool3D``): max pooling over windows of a volume."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_pooling import Pooling

__all__ = ["MaxPooling3D", "MaxPool3D"]


class MaxPooling3D(Pooling):
    """Max pooling over windows of a volumes (3 spatial axises).

    >>> import tensorflux as tf
    >>> tf.keras.layers.MaxPooling3D()(tf.ones((2, 4, 4, 4, 3))).shape
    TensorShape([2, 2, 2, 2, 3])

    Args:
        pool_size: an int or 3 ints (default (2, 2, 2)).
        strides: an int, 3 ints, or None (the default) for ``pool_size``.
        padding: ``"valid"`` (default) or ``"same"``.
        data_format: ``"channels_last"`` or ``"channels_first"``; None reads
            ``keras.backend.image_data_format()``.

    Raises:
        ValueError: bad pool sizes, strides, padding or data format (Keras' messages), or
            inputs that are not 5-D.
    """

    def __init__(
        self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs
    ):
        super().__init__("max", 3, pool_size, strides, padding, data_format, **kwargs)


MaxPool3D = MaxPooling3D
