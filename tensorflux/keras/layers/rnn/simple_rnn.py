"""``keras.layers.SimpleRNN``: a fully-connected RNN whose output is fed back."""

from __future__ import annotations

from tensorflux.keras.layers.rnn.builtin_rnn import BuiltinRNN, fused_activation
from tensorflux.keras.layers.rnn.simple_rnn_cell import SimpleRNNCell
from tensorflux.ops import rnn_ops

__all__ = ["SimpleRNN"]


class SimpleRNN(BuiltinRNN):
    """``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)`` over a
    sequence. Runs as one fused op (``FusedSimpleRNN``) unless the activation has no
    fused kernel or recurrent dropout is training, then step by step with the cell.

    >>> import tensorflux as tf
    >>> tf.keras.layers.SimpleRNN(4)(tf.ones((2, 3, 5))).shape
    TensorShape([2, 4])

    Args:
        units, activation, use_bias, kernel_* / recurrent_* / bias_*, dropout,
            recurrent_dropout: as ``SimpleRNNCell``.
        activity_regularizer: a penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll, time_major: as
            ``RNN``.

    Raises:
        ValueError: as ``SimpleRNNCell`` and ``RNN``.
    """

    _CELL_CLASS = SimpleRNNCell

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
        unroll=False,
        **kwargs,
    ):
        cell = SimpleRNNCell(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
        )
        super().__init__(
            cell,
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )

    def _fused(self, x, states, step_mask):
        cell = self.cell
        outputs, h = rnn_ops.fused_simple_rnn(
            x,
            states[0],
            step_mask,
            cell.kernel,
            cell.recurrent_kernel,
            self._bias((cell.units,), x.dtype),
            activation=fused_activation(cell.activation),
            **self._fused_attrs(),
        )
        return outputs, [h]
