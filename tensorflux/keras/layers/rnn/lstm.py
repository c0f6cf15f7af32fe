"""``keras.layers.LSTM``: long short-term memory over a sequence."""

from __future__ import annotations

from tensorflux.keras.layers.rnn.builtin_rnn import BuiltinRNN, fused_activation
from tensorflux.keras.layers.rnn.lstm_cell import LSTMCell
from tensorflux.ops import lstm_ops

__all__ = ["LSTM"]


class LSTM(BuiltinRNN):
    """An LSTM over a sequence (gates i, f, c, o; states ``[h, c]``). Runs as one fused
    op (``FusedLSTM``) unless an activation has no fused kernel or a per-step dropout
    is training, then step by step with the cell, as Keras falls back from cuDNN.

    >>> import tensorflux as tf
    >>> out, h, c = tf.keras.layers.LSTM(4, return_state=True)(tf.ones((2, 3, 5)))
    >>> out.shape, c.shape
    (TensorShape([2, 4]), TensorShape([2, 4]))

    Args:
        units, activation, recurrent_activation, use_bias, unit_forget_bias,
            kernel_* / recurrent_* / bias_*, dropout, recurrent_dropout,
            implementation: as ``LSTMCell``.
        activity_regularizer: a penalty on the output.
        return_sequences, return_state, go_backwards, stateful, time_major, unroll: as
            ``RNN``.

    Raises:
        ValueError: as ``LSTMCell`` and ``RNN``.
    """

    _CELL_CLASS = LSTMCell
    _CELL_ATTRS = BuiltinRNN._CELL_ATTRS + (
        "recurrent_activation",
        "unit_forget_bias",
        "implementation",
    )

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
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        time_major=False,
        unroll=False,
        **kwargs,
    ):
        implementation = kwargs.pop("implementation", 2)
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            implementation=1 if implementation == 0 else implementation,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="lstm_cell",
        )
        super().__init__(
            cell,
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            time_major=time_major,
            unroll=unroll,
            **kwargs,
        )

    def _fused(self, x, states, step_mask):
        cell = self.cell
        outputs, h, c = lstm_ops.fused_lstm(
            x,
            states[0],
            states[1],
            step_mask,
            cell.kernel,
            cell.recurrent_kernel,
            self._bias((4 * cell.units,), x.dtype),
            activation=fused_activation(cell.activation),
            recurrent_activation=fused_activation(cell.recurrent_activation),
            **self._fused_attrs(),
        )
        return outputs, [h, c]
