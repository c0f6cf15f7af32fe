"""``keras.layers.GRU``: a gated recurrent unit over a sequence."""

from __future__ import annotations

from tensorflux.keras.layers.rnn.builtin_rnn import BuiltinRNN, fused_activation
from tensorflux.keras.layers.rnn.gru_cell import GRUCell
from tensorflux.ops import gru_ops

__all__ = ["GRU"]


class GRU(BuiltinRNN):
    """A GRU over a sequence (gates z, r, h; ``reset_after`` as ``GRUCell``). Runs as one
    fused op (``FusedGRU``) unless an activation has no fused kernel or a per-step
    dropout is training, then step by step with the cell.

    >>> import tensorflux as tf
    >>> tf.keras.layers.GRU(4, return_sequences=True)(tf.ones((2, 3, 5))).shape
    TensorShape([2, 3, 4])

    Args:
        units, activation, recurrent_activation, use_bias, kernel_* / recurrent_* /
            bias_*, dropout, recurrent_dropout, implementation, reset_after: as
            ``GRUCell``.
        activity_regularizer: a penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll, time_major: as
            ``RNN``.

    Raises:
        ValueError: as ``GRUCell`` and ``RNN``.
    """

    _CELL_CLASS = GRUCell
    _CELL_ATTRS = BuiltinRNN._CELL_ATTRS + ("recurrent_activation", "implementation", "reset_after")

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
        time_major=False,
        reset_after=True,
        **kwargs,
    ):
        implementation = kwargs.pop("implementation", 2)
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
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
            implementation=1 if implementation == 0 else implementation,
            reset_after=reset_after,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
        )
        super().__init__(
            cell,
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            time_major=time_major,
            **kwargs,
        )

    def _fused(self, x, states, step_mask):
        cell = self.cell
        shape = (2, 3 * cell.units) if cell.reset_after else (3 * cell.units,)
        outputs, h = gru_ops.fused_gru(
            x,
            states[0],
            step_mask,
            cell.kernel,
            cell.recurrent_kernel,
            self._bias(shape, x.dtype),
            activation=fused_activation(cell.activation),
            recurrent_activation=fused_activation(cell.recurrent_activation),
            reset_after=cell.reset_after,
            **self._fused_attrs(),
        )
        return outputs, [h]
