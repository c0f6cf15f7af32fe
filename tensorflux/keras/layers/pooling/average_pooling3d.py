"""``keras.layers.AveragePooling3D`` (alias ``AvgPool3D``):
average pooling over windows of a volume."""

from __future__ import annotations

from tensorflux.keras.layers.pooling.base_pooling import Pooling

__all__ = ["AveragePooling3D", "AvgPool3D"]


class AveragePooling3D(Pooling):
    """Average pooling over windows of a volumes (3 spatial axises).

    SAME padding averages the cells inside the input only, as TF.

    >>> import tensorflux as tf
    >>> tf.keras.layers.AveragePooling3D()(tf.ones((2, 4, 4, 4, 3))).shape
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
        super().__init__("avg", 3, pool_size, strides, padding, data_format, **kwargs)


AvgPool3D = AveragePooling3D
