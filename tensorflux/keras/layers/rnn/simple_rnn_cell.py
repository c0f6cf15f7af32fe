"""``keras.layers.SimpleRNNCell``: one step of ``activation(x @ W + h @ U + b)``."""

from __future__ import annotations

from tensorflux.framework import nest
from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.rnn.cell_utils import (
    DropoutRNNCellMixin,
    add_cell_weight,
    batch_size_of,
    check_units,
    clip_rate,
    init_weight_args,
    weight_args_config,
    zero_states,
)
from tensorflux.ops import math_ops, nn_ops

__all__ = ["SimpleRNNCell"]


class SimpleRNNCell(DropoutRNNCellMixin, Layer):
    """The cell of a fully-connected RNN: ``h_t = activation(x_t @ kernel +
    h_{t-1} @ recurrent_kernel + bias)``; its output is its state.

    >>> import tensorflux as tf
    >>> rnn = tf.keras.layers.RNN(tf.keras.layers.SimpleRNNCell(4))
    >>> rnn(tf.ones((2, 3, 5))).shape
    TensorShape([2, 4])

    Args:
        units: the size of the state and output.
        activation: default ``tanh``.
        use_bias: whether to add a bias.
        kernel_* / recurrent_* / bias_*: initializers, regularizers and constraints of
            the three weights (recurrent kernel ``orthogonal`` by default).
        dropout / recurrent_dropout: fractions of the inputs / state dropped while
            training (one mask per sequence).

    Raises:
        ValueError: ``units`` that is not a positive integer.
    """

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
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
        self.units = check_units(units, self._name)
        self.activation = activations.get(activation)
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
        self.dropout = clip_rate(dropout)
        self.recurrent_dropout = clip_rate(recurrent_dropout)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape) -> None:
        last = TensorShape(input_shape)[-1]
        self.kernel = add_cell_weight(self, "kernel", (last, self.units), "kernel")
        self.recurrent_kernel = add_cell_weight(
            self, "recurrent_kernel", (self.units, self.units), "recurrent"
        )
        self.bias = add_cell_weight(self, "bias", (self.units,), "bias") if self.use_bias else None
        self.built = True

    def call(self, inputs, states, training=None):
        prev = states[0] if nest.is_nested(states) else states
        dp = self.get_dropout_mask_for_cell(inputs, training)
        rec_dp = self.get_recurrent_dropout_mask_for_cell(prev, training)
        if dp is not None:
            inputs = inputs * dp[0]
        h = math_ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            h = nn_ops.bias_add(h, self.bias)
        if rec_dp is not None:
            prev = prev * rec_dp[0]
        output = self.activation(h + math_ops.matmul(prev, self.recurrent_kernel))
        return output, ([output] if nest.is_nested(states) else output)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Zeros of (batch, units), the batch size taken from ``inputs`` if given."""
        if inputs is not None:
            batch_size, dtype = batch_size_of(inputs), inputs.dtype
        return zero_states(self.state_size, batch_size, dtype or self._dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
            }
        )
        config.update(weight_args_config(self))
        config.update({"dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout})
        return config
