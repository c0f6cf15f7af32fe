"""``keras.layers.ConvLSTM1D``: a convolutional LSTM over sequences of 1-D feature maps."""

from __future__ import annotations

from tensorflux.keras.layers.rnn.conv_lstm import ConvLSTM

__all__ = ["ConvLSTM1D"]


class ConvLSTM1D(ConvLSTM):
    """A convolutional LSTM over inputs of shape ``(batch, time, *1 spatial dims,
    channels)`` (channels after the batch and time axes with ``channels_first``).

    Each step's gates are convolutions of the input (``kernel_size``, ``strides``,
    ``padding``, ``dilation_rate``) plus 'same' convolutions of the previous output;
    see ``ConvLSTMCell``. Other arguments are those of ``keras.layers.RNN`` and
    ``LSTM`` (``recurrent_activation`` defaults to ``hard_sigmoid``).
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(1, filters, kernel_size, **kwargs)
