"""``keras.layers.LSTMCell``: one step of a long short-term memory, gates i, f, c, o."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.rnn.cell_utils import (
    DropoutRNNCellMixin,
    add_cell_weight,
    batch_size_of,
    check_units,
    clip_rate,
    forget_bias_initializer,
    init_weight_args,
    per_gate,
    weight_args_config,
    zero_states,
)
from tensorflux.ops import array_ops, math_ops, nn_ops

__all__ = ["LSTMCell"]


class LSTMCell(DropoutRNNCellMixin, Layer):
    """The cell of an LSTM. With ``z = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias``
    split into gates i, f, c, o (Keras' order): ``c_t = f * c_{t-1} + i * g``,
    ``h_t = o * activation(c_t)``, where i, f, o pass through ``recurrent_activation``
    and g through ``activation``. States ``[h, c]``; the output is h.

    >>> import tensorflux as tf
    >>> rnn = tf.keras.layers.RNN(tf.keras.layers.LSTMCell(4), return_state=True)
    >>> [t.shape for t in rnn(tf.ones((2, 3, 5)))]
    [TensorShape([2, 4]), TensorShape([2, 4]), TensorShape([2, 4])]

    Args:
        units: the size of h and c.
        activation / recurrent_activation: default ``tanh`` / ``sigmoid``.
        use_bias: whether to add a bias.
        unit_forget_bias: start the forget gate's bias at 1 (Jozefowicz et al.).
        kernel_* / recurrent_* / bias_*: initializers, regularizers and constraints.
        dropout / recurrent_dropout: fractions dropped while training.
        implementation: 1 or 2, kept for config compatibility (same results).

    Raises:
        ValueError: ``units`` that is not a positive integer.
    """

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
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
        implementation=2,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = check_units(units, self._name)
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
        # Keras' mode 2 has no recurrent dropout: asking for it selects mode 1.
        self.implementation = 1 if self.recurrent_dropout else int(implementation)
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape) -> None:
        last = TensorShape(input_shape)[-1]
        units = self.units
        self.kernel = add_cell_weight(self, "kernel", (last, 4 * units), "kernel")
        self.recurrent_kernel = add_cell_weight(
            self, "recurrent_kernel", (units, 4 * units), "recurrent"
        )
        self.bias = None
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                init = forget_bias_initializer(init, units)

            self.bias = add_cell_weight(self, "bias", (4 * units,), "bias", initializer=init)
        self.built = True

    def call(self, inputs, states, training=None):
        h_prev, c_prev = states[0], states[1]
        dp = self.get_dropout_mask_for_cell(inputs, training, count=4)
        rec_dp = self.get_recurrent_dropout_mask_for_cell(h_prev, training, count=4)
        u = self.units
        if self.implementation == 1:
            # One product per gate, each with its own dropout masks (Keras' mode 1).
            xs, hs = per_gate(inputs, dp, 4), per_gate(h_prev, rec_dp, 4)
            z = array_ops.concat(
                [
                    math_ops.matmul(xs[k], self.kernel[:, k * u : (k + 1) * u])
                    + math_ops.matmul(hs[k], self.recurrent_kernel[:, k * u : (k + 1) * u])
                    for k in range(4)
                ],
                axis=1,
            )
        else:
            if dp is not None:
                inputs = inputs * dp[0]
            z = math_ops.matmul(inputs, self.kernel) + math_ops.matmul(
                h_prev, self.recurrent_kernel
            )
        if self.bias is not None:
            z = nn_ops.bias_add(z, self.bias)
        i = self.recurrent_activation(z[:, :u])
        f = self.recurrent_activation(z[:, u : 2 * u])
        g = self.activation(z[:, 2 * u : 3 * u])
        o = self.recurrent_activation(z[:, 3 * u :])
        c = f * c_prev + i * g
        h = o * self.activation(c)
        return h, [h, c]

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Zeros ``[h, c]`` of (batch, units)."""
        if inputs is not None:
            batch_size, dtype = batch_size_of(inputs), inputs.dtype
        return zero_states(self.state_size, batch_size, dtype or self._dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias,
            }
        )
        config.update(weight_args_config(self))
        config.update(
            {
                "unit_forget_bias": self.unit_forget_bias,
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "implementation": self.implementation,
            }
        )
        return config
