"""The cell of the convolutional LSTMs: an LSTM whose products are convolutions."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.rnn.cell_utils import (
    DropoutRNNCellMixin,
    add_cell_weight,
    clip_rate,
    forget_bias_initializer,
    init_weight_args,
    per_gate,
    weight_args_config,
)
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import convolution, nn_ops, split_ops

__all__ = ["ConvLSTMCell"]


class ConvLSTMCell(DropoutRNNCellMixin, Layer):
    """One step of a convolutional LSTM (Keras' ``ConvLSTMCell``): with
    ``z_k = conv(x_t, kernel_k) + bias_k + conv_same(h_{t-1}, recurrent_kernel_k)`` for
    the gates k = i, f, c, o (Keras' order), ``c_t = f * c_{t-1} + i * activation(z_c)``
    and ``h_t = o * activation(c_t)``; i, f and o pass through ``recurrent_activation``.
    The input convolution has the layer's strides, padding and dilation; the recurrent
    one is 'same' with stride 1. States ``[h, c]``, each ``(batch, *spatial, filters)``.

    Args:
        rank: 1, 2 or 3 spatial dimensions.
        filters: the channels of h and c.
        kernel_size, strides, padding, data_format, dilation_rate: of the input
            convolution, as in ``Conv{rank}D``.
        activation / recurrent_activation: default ``tanh`` / ``hard_sigmoid``.
        unit_forget_bias: start the forget gate's bias at 1.
        dropout / recurrent_dropout: fractions dropped while training.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="hard_sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.rank = rank
        self.filters = int(filters)
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        init_weight_args(
            self,
            kernel_initializer,
            recurrent_initializer,
            bias_initializer,
            kernel_regularizer,
            recurrent_regularizer,
            bias_regularizer,
            kernel_constraint,
            recurrent_constraint,
            bias_constraint,
        )
        self.unit_forget_bias = bool(unit_forget_bias)
        self.dropout = clip_rate(dropout)
        self.recurrent_dropout = clip_rate(recurrent_dropout)
        self.state_size = (self.filters, self.filters)

    @property
    def _channel_axis(self) -> int:
        return 1 if self.data_format == "channels_first" else -1

    def build(self, input_shape) -> None:
        channels = TensorShape(input_shape)[self._channel_axis]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        f = self.filters
        self.kernel_shape = self.kernel_size + (channels, 4 * f)
        self.kernel = add_cell_weight(self, "kernel", self.kernel_shape, "kernel")
        self.recurrent_kernel = add_cell_weight(
            self, "recurrent_kernel", self.kernel_size + (f, 4 * f), "recurrent"
        )
        self.bias = None
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                init = forget_bias_initializer(init, f)

            self.bias = add_cell_weight(self, "bias", (4 * f,), "bias", initializer=init)
        self.built = True

    def _tf_format(self) -> str:
        spatial = "DHW"[3 - self.rank :]
        return f"NC{spatial}" if self.data_format == "channels_first" else f"N{spatial}C"

    def input_conv(self, x, w, b=None, padding="valid"):
        """The input convolution (the layer's strides, dilation and ``padding``)."""
        out = convolution.convolution(
            x, w, self.strides, padding.upper(), self._tf_format(), self.dilation_rate
        )
        if b is not None:
            out = nn_ops.bias_add(out, b, data_format=self._tf_format())
        return out

    def recurrent_conv(self, h, w):
        """The recurrent convolution: 'same' padding, stride 1."""
        return convolution.convolution(h, w, 1, "SAME", self._tf_format())

    def call(self, inputs, states, training=None):
        h_prev, c_prev = states[0], states[1]
        xs = per_gate(inputs, self.get_dropout_mask_for_cell(inputs, training, count=4), 4)
        hs = per_gate(
            h_prev, self.get_recurrent_dropout_mask_for_cell(h_prev, training, count=4), 4
        )
        kernels = split_ops.split(self.kernel, 4, axis=self.rank + 1)
        recurrents = split_ops.split(self.recurrent_kernel, 4, axis=self.rank + 1)
        biases = [None] * 4 if self.bias is None else split_ops.split(self.bias, 4)
        z = [
            self.input_conv(xs[k], kernels[k], biases[k], self.padding)
            + self.recurrent_conv(hs[k], recurrents[k])
            for k in range(4)
        ]
        i = self.recurrent_activation(z[0])
        forget = self.recurrent_activation(z[1])
        c = forget * c_prev + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias,
            }
        )
        for key, value in weight_args_config(self).items():
            config[key] = value
            if key == "bias_initializer":
                config["unit_forget_bias"] = self.unit_forget_bias
        config.update({"dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout})
        return config
