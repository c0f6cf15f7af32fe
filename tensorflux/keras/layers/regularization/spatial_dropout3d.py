"""``keras.layers.SpatialDropout3D``: drops whole feature maps of 3-D images."""

from __future__ import annotations

from tensorflux.keras import backend
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.regularization.dropout import Dropout

__all__ = ["SpatialDropout3D"]


class SpatialDropout3D(Dropout):
    """Dropout of entire feature maps of ``(batch, dim1, dim2, dim3, channels)``
    (channels first with ``data_format="channels_first"``): each channel of each sample is zeroed
    everywhere, or kept and scaled by ``1 / (1 - rate)``; only with ``training=True``.

    >>> import tensorflux as tf
    >>> out = tf.keras.layers.SpatialDropout3D(0.5)(tf.ones((1, 2, 2, 2, 3)), training=True)
    >>> bool(tf.reduce_all(out == out[:, :1, :1, :1]))    # the same channels at every position
    True

    Args:
        rate: the fraction of channels to drop, in ``[0, 1]``.
        data_format: "channels_last" or "channels_first"; None takes
            ``keras.backend.image_data_format()``. (As in Keras 2, it is not part of
            the config.)

    Raises:
        ValueError: a ``rate`` outside ``[0, 1]``, or an unknown ``data_format``.
    """

    def __init__(self, rate, data_format=None, **kwargs):
        super().__init__(rate, **kwargs)
        if data_format is None:
            data_format = backend.image_data_format()
        if data_format not in {"channels_last", "channels_first"}:
            raise ValueError(
                '`data_format` must be "channels_last" or "channels_first". '
                f"Received: data_format={data_format}."
            )
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        if self.data_format == "channels_first":
            noise_shape = (None, None, 1, 1, 1)
        else:
            noise_shape = (None, 1, 1, 1, None)
        return self._drop(inputs, noise_shape, lambda layer: layer.seed)
