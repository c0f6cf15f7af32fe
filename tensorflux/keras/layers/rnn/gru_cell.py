"""``keras.layers.GRUCell``: one step of a gated recurrent unit, gates z, r, h."""

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
    per_gate,
    weight_args_config,
    zero_states,
)
from tensorflux.ops import array_ops, math_ops, nn_ops

__all__ = ["GRUCell"]


class GRUCell(DropoutRNNCellMixin, Layer):
    """The cell of a GRU, gates z, r, h (Keras' order): ``h_t = z * h_{t-1} + (1 - z) * hh``.
    With ``reset_after`` (the default, cuDNN-compatible) the reset gate multiplies the
    recurrent product and the bias is (2, 3 units); without it, it multiplies the
    state before the product and the bias is (3 units,).

    >>> import tensorflux as tf
    >>> rnn = tf.keras.layers.RNN(tf.keras.layers.GRUCell(4))
    >>> rnn(tf.ones((2, 3, 5))).shape
    TensorShape([2, 4])

    Args:
        units: the size of the state and output.
        activation / recurrent_activation: default ``tanh`` / ``sigmoid``.
        use_bias: whether to add biases.
        kernel_* / recurrent_* / bias_*: initializers, regularizers and constraints.
        dropout / recurrent_dropout: fractions dropped while training.
        implementation: 1 or 2, kept for config compatibility (same results).
        reset_after: apply the reset gate after the recurrent product.

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
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        implementation=2,
        reset_after=True,
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
        self.dropout = clip_rate(dropout)
        self.recurrent_dropout = clip_rate(recurrent_dropout)
        # Keras' mode 2 has no recurrent dropout: asking for it selects mode 1.
        self.implementation = 1 if self.recurrent_dropout else int(implementation)
        self.reset_after = bool(reset_after)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape) -> None:
        last = TensorShape(input_shape)[-1]
        units = self.units
        self.kernel = add_cell_weight(self, "kernel", (last, 3 * units), "kernel")
        self.recurrent_kernel = add_cell_weight(
            self, "recurrent_kernel", (units, 3 * units), "recurrent"
        )
        self.bias = None
        if self.use_bias:
            shape = (2, 3 * units) if self.reset_after else (3 * units,)
            self.bias = add_cell_weight(self, "bias", shape, "bias")
        self.built = True

    def call(self, inputs, states, training=None):
        h_prev = states[0] if nest.is_nested(states) else states
        dp = self.get_dropout_mask_for_cell(inputs, training, count=3)
        rec_dp = self.get_recurrent_dropout_mask_for_cell(h_prev, training, count=3)
        u = self.units
        kernel, rec = self.kernel, self.recurrent_kernel
        n_inner = 3 if self.reset_after else 2
        if self.implementation == 1:
            # One product per gate, each with its own dropout masks (Keras' mode 1).
            xs, hs = per_gate(inputs, dp, 3), per_gate(h_prev, rec_dp, 3)
            x = array_ops.concat(
                [math_ops.matmul(xs[k], kernel[:, k * u : (k + 1) * u]) for k in range(3)], axis=1
            )
            inner = array_ops.concat(
                [math_ops.matmul(hs[k], rec[:, k * u : (k + 1) * u]) for k in range(n_inner)],
                axis=1,
            )
            h_for_candidate = hs[2]
        else:
            x = math_ops.matmul(inputs if dp is None else inputs * dp[0], kernel)
            inner = math_ops.matmul(h_prev, rec if self.reset_after else rec[:, : 2 * u])
            h_for_candidate = h_prev
        if self.bias is not None:
            x = nn_ops.bias_add(x, self.bias[0] if self.reset_after else self.bias)
        if self.reset_after and self.bias is not None:
            inner = nn_ops.bias_add(inner, self.bias[1])
        z = self.recurrent_activation(x[:, :u] + inner[:, :u])
        r = self.recurrent_activation(x[:, u : 2 * u] + inner[:, u : 2 * u])
        if self.reset_after:
            recurrent_h = r * inner[:, 2 * u :]
        else:
            recurrent_h = math_ops.matmul(r * h_for_candidate, rec[:, 2 * u :])
        hh = self.activation(x[:, 2 * u :] + recurrent_h)
        h = z * h_prev + (1.0 - z) * hh
        return h, ([h] if nest.is_nested(states) else h)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Zeros of (batch, units)."""
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
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "implementation": self.implementation,
                "reset_after": self.reset_after,
            }
        )
        return config
