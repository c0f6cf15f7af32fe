"""The convolutional LSTM layers' shared base (Keras' ``ConvRNN`` + ``ConvLSTM``): an
RNN over ``(batch, time, *spatial, channels)`` whose states are feature maps."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.shape import TensorShape
from tensorflux.framework.variables import Variable
from tensorflux.keras import regularizers
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.rnn.base_rnn import _STATEFUL_BATCH, RNN
from tensorflux.keras.layers.rnn.cell_utils import weights_scope
from tensorflux.keras.layers.rnn.conv_lstm_cell import ConvLSTMCell
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import creation_ops, reduction_ops

__all__ = ["ConvLSTM"]

_CELL_ARGS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
)


class ConvLSTM(RNN):
    """A convolutional LSTM of ``rank`` spatial dimensions; ``ConvLSTM1D/2D/3D`` fix
    the rank. Its weights are named as Keras names them (``conv_lstm2d/kernel:0``).

    Raises:
        ValueError: inputs of another rank (Keras' InputSpec message), an undefined
            channel dimension, or ``stateful`` without a known batch size.
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
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        **kwargs,
    ):
        cell = ConvLSTMCell(
            rank=rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=regularizers.get(activity_regularizer),
            **kwargs,
        )
        self.rank = rank
        self.input_spec = InputSpec(ndim=rank + 3)

    def __getattr__(self, name):
        # filters, kernel_size, strides... read through to the cell, as in Keras.
        if name in _CELL_ARGS or name in ("kernel", "recurrent_kernel", "bias"):
            return getattr(self.__dict__["cell"], name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def build(self, input_shape) -> None:
        if isinstance(input_shape, list) and not isinstance(input_shape[0], (int, type(None))):
            input_shape = input_shape[0]
        dims = TensorShape(input_shape).as_list()
        self._input_dims = dims
        if not self.cell.built:
            # Keras names these weights after the layer itself: conv_lstm2d/kernel:0.
            with weights_scope(self.cell, replace=True):
                self.cell.build(TensorShape([dims[0]] + dims[2:]))
            self.cell.built = True
        if self.stateful:
            if dims[0] is None:
                raise ValueError(_STATEFUL_BATCH)
            self._stateful_batch = dims[0]
            self.reset_states()
        self.built = True

    def _state_shape(self) -> list:
        """(batch, *spatial, filters) of each state, from the built input shape."""
        cell = self.cell
        channels_first = cell.data_format == "channels_first"
        spatial = self._input_dims[3:] if channels_first else self._input_dims[2:-1]
        out = [
            conv_utils.conv_output_length(n, k, cell.padding, s, d)
            for n, k, s, d in zip(spatial, cell.kernel_size, cell.strides, cell.dilation_rate)
        ]
        if channels_first:
            return [self._stateful_batch, cell.filters] + out
        return [self._stateful_batch] + out + [cell.filters]

    def reset_states(self, states=None) -> None:
        """Sets a stateful layer's states to zeros, or to ``states`` (arrays).

        Raises:
            AttributeError: the layer is not stateful.
            ValueError: a wrong number of states or a state of the wrong shape.
        """
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        shape = self._state_shape()
        if None in shape:
            raise ValueError(
                f"Layer {self.name}: a stateful convolutional RNN needs the full input "
                f"shape (batch and spatial dimensions), got {tuple(self._input_dims)}."
            )
        dtype = self._dtype.as_numpy_dtype
        if self._state_variables is None:
            self._state_variables = [
                Variable(np.zeros(shape, dtype), trainable=False, name="Variable") for _ in range(2)
            ]
        values = [np.zeros(shape, dtype)] * 2 if states is None else list(states)
        if len(values) != 2:
            raise ValueError(
                f"Layer {self.name} expects 2 states, but it received {len(values)} state "
                f"values. States received: {states}"
            )
        for i, value in enumerate(values):
            value = np.asarray(value)
            if value.shape != tuple(shape):
                raise ValueError(
                    f"State {i} is incompatible with layer {self.name}: expected "
                    f"shape={tuple(shape)} but found shape={value.shape}"
                )
            self._state_variables[i].assign(value.astype(dtype))

    def _initial_states(self, x, initial_state) -> list:
        if initial_state is not None or self.stateful:
            return super()._initial_states(x, initial_state)
        # Keras' zeros: the first step's input map convolved with a zero kernel, which
        # gives the states' shape for any input size.
        cell = self.cell
        step = reduction_ops.reduce_sum(creation_ops.zeros_like(x), axis=1)
        kernel = creation_ops.zeros(
            cell.kernel_size + (cell.kernel_shape[-2], cell.filters), x.dtype
        )
        zeros = cell.input_conv(step, kernel, padding=cell.padding)
        return [zeros, zeros]

    def _validate_initial_state(self, given, structure, sizes) -> None:
        shapes = [tuple(s.shape.as_list()) for s in given]
        axis = 1 if self.cell.data_format == "channels_first" else -1
        ok = len(given) == 2 and all(
            len(shape) == self.rank + 2 and shape[axis] in (self.cell.filters, None)
            for shape in shapes
        )
        if not ok:
            raise ValueError(
                f'Layer "{self.name}" expects an `initial_state` of 2 tensors of shape '
                f"(batch, *spatial, {self.cell.filters}) (h and c), got shapes {shapes}."
            )

    def get_config(self) -> dict:
        config = self._rnn_config()
        cell = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell.pop(key, None)
        for key, value in cell.items():
            config[key] = value
            if key == "bias_regularizer":
                config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)
