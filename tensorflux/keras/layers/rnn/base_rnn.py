"""``keras.layers.RNN``: runs any cell over the time axis of a sequence.

A cell is anything with ``call(inputs, states)`` returning ``(output, new_states)`` and a
``state_size``. This generic path calls the cell once per step; SimpleRNN, LSTM and GRU
override ``_run`` with their fused whole-sequence ops where their settings allow.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import nest
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.rnn.cell_utils import batch_size_of, weights_scope, zero_states
from tensorflux.keras.layers.rnn.rnn_loop import run_steps
from tensorflux.keras.layers.rnn.stacked_rnn_cells import StackedRNNCells, _takes_training
from tensorflux.ops import array_ops, math_ops

__all__ = ["RNN", "initial_cell_states"]

_STATEFUL_BATCH = (
    "If a RNN is stateful, it needs to know its batch size. Specify the batch size of your "
    "input tensors: \n- If using a Sequential model, specify the batch size by passing a "
    "`batch_input_shape` argument to your first layer.\n- If using the functional API, "
    "specify the batch size by passing a `batch_shape` argument to your Input layer."
)


def _state_list(state_size) -> list:
    return list(state_size) if nest.is_nested(state_size) else [state_size]


def initial_cell_states(cell, batch_size, dtype):
    """``cell``'s initial states: its ``get_initial_state`` if it has one, else zeros."""
    get = getattr(cell, "get_initial_state", None)
    if get is not None:
        states = get(inputs=None, batch_size=batch_size, dtype=dtype)
        return states
    return zero_states(cell.state_size, batch_size, dtype)


class RNN(Layer):
    """A recurrent layer over any cell.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.RNN(tf.keras.layers.SimpleRNNCell(4), return_sequences=True)
    >>> layer(tf.ones((2, 3, 5))).shape
    TensorShape([2, 3, 4])

    Args:
        cell: a cell (``call(inputs, states)`` and ``state_size``), or a list of cells
            (stacked with ``StackedRNNCells``).
        return_sequences: return every step's output, not only the last.
        return_state: also return the final states.
        go_backwards: read the sequence from its end (outputs in processing order).
        stateful: the final states of one batch are the initial states of the next.
        unroll: accepted for compatibility (the loop is unrolled when traced).
        time_major: inputs are (time, batch, ...) instead of (batch, time, ...).

    Raises:
        ValueError: a cell without ``call`` or ``state_size``; inputs not of rank 3; an
            ``initial_state`` not matching the cell's states; ``stateful`` without a
            known batch size.
    """

    _untracked_attributes = Layer._untracked_attributes | {"_state_variables"}

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        time_major=False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call"):
            raise ValueError(
                f"Argument `cell` should have a `call` method. The RNN was passed: cell={cell}"
            )
        if not hasattr(cell, "state_size"):
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (tuple of "
                "integers, one integer per RNN state). Received: "
                f"cell={cell}"
            )
        self.zero_output_for_mask = kwargs.pop("zero_output_for_mask", False)
        if "input_dim" in kwargs or "input_length" in kwargs:
            kwargs["input_shape"] = (
                kwargs.pop("input_length", None),
                kwargs.pop("input_dim", None),
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.time_major = bool(time_major)
        self.supports_masking = True
        self.input_spec = InputSpec(ndim=3)
        self._state_variables = None
        self._stateful_batch = None

    # -- states -------------------------------------------------------------

    @property
    def states(self) -> list:
        """The state variables of a stateful layer (None entries before it is built)."""
        if self._state_variables is None:
            return [None] * len(nest.flatten(_state_list(self.cell.state_size)))
        return list(self._state_variables)

    def get_initial_state(self, inputs) -> list:
        """The states a call on ``inputs`` starts from when none are given: the cell's
        ``get_initial_state`` or zeros of ``(batch, size)``, always as a list.

        >>> import tensorflux as tf
        >>> gru = tf.keras.layers.GRU(3)
        >>> [s.shape for s in gru.get_initial_state(tf.ones((2, 5, 4)))]
        [TensorShape([2, 3])]
        """
        x = convert_to_tensor(nest.flatten(inputs)[0])
        axis = 1 if self.time_major else 0
        batch = x.shape[axis] if x.shape[axis] is not None else array_ops.shape(x)[axis]
        states = initial_cell_states(self.cell, batch, x.dtype)
        return list(states) if nest.is_nested(states) else [states]

    def reset_states(self, states=None) -> None:
        """Sets a stateful layer's states to zeros, or to ``states`` (arrays).

        Raises:
            AttributeError: the layer is not stateful.
            ValueError: a wrong number of states or a state of the wrong shape.
        """
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        sizes = nest.flatten(_state_list(self.cell.state_size))
        batch = self._stateful_batch
        if batch is None:
            raise ValueError(_STATEFUL_BATCH)
        if self._state_variables is None:
            self._state_variables = [
                Variable(
                    np.zeros((batch, s), self._dtype.as_numpy_dtype),
                    trainable=False,
                    name="Variable",
                )
                for i, s in enumerate(sizes)
            ]
            if states is None:
                return
        if states is None:
            for v in self._state_variables:
                v.assign(np.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype))
            return
        values = list(states) if isinstance(states, (list, tuple)) else [states]
        if len(values) != len(sizes):
            raise ValueError(
                f"Layer {self.name} expects {len(sizes)} states, but it received "
                f"{len(values)} state values. States received: {states}"
            )
        for i, (value, size) in enumerate(zip(values, sizes)):
            value = np.asarray(value)
            if value.shape != (batch, size):
                raise ValueError(
                    f"State {i} is incompatible with layer {self.name}: expected "
                    f"shape={(batch, size)} but found shape={value.shape}"
                )
            self._state_variables[i].assign(value.astype(self._dtype.as_numpy_dtype))

    # -- building and calling -------------------------------------------------

    def build(self, input_shape) -> None:
        if isinstance(input_shape, list) and not isinstance(input_shape[0], (int, type(None))):
            input_shape = input_shape[0]
        shape = TensorShape(input_shape)
        batch_axis = 1 if self.time_major else 0
        if shape.rank is not None and shape.rank >= 2:
            dims = shape.as_list()
            step_shape = TensorShape([dims[batch_axis]] + dims[2:])
        else:
            step_shape = shape
        if isinstance(self.cell, Layer) and not self.cell.built:
            with weights_scope(self.cell):
                self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful:
            if shape.rank is None or shape[batch_axis] is None:
                raise ValueError(_STATEFUL_BATCH)
            self._stateful_batch = shape[batch_axis]
            self.reset_states()
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        # Keras also takes the initial states as extra inputs: [x, *states].
        if isinstance(inputs, (list, tuple)) and len(inputs) > 1:
            if kwargs.get("initial_state") is None:
                kwargs["initial_state"] = list(inputs[1:])
            inputs = inputs[0]
        elif isinstance(inputs, (list, tuple)) and len(inputs) == 1:
            inputs = inputs[0]
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs, mask=None, training=None, initial_state=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is not None:
            mask = convert_to_tensor(mask)
        x = inputs
        if self.time_major:
            x = array_ops.transpose(x, [1, 0, 2] + list(range(3, x.shape.rank)))
            if mask is not None:
                mask = array_ops.transpose(mask, [1, 0])
        if mask is not None:
            self._check_mask(mask, x)
        states = self._initial_states(x, initial_state)
        for cell in self._dropout_cells():
            cell.reset_dropout_mask()
            cell.reset_recurrent_dropout_mask()
        last, outputs, states = self._run(x, states, mask, training)
        if self.stateful:
            for v, s in zip(self._state_variables, nest.flatten(states)):
                v.assign(math_ops.cast(s, v.dtype))
        if self.time_major:
            outputs = array_ops.transpose(outputs, [1, 0, 2] + list(range(3, outputs.shape.rank)))
        output = outputs if self.return_sequences else last
        if self.return_state:
            return [output] + list(states)
        return output

    def _dropout_cells(self):
        cells = self.cell.cells if isinstance(self.cell, StackedRNNCells) else [self.cell]
        return [c for c in cells if hasattr(c, "reset_dropout_mask")]

    def _run(self, x, states, mask, training):
        """(last output, outputs (batch, time, ...) in processing order, final states)."""
        cell = self.cell
        kwargs = {"training": training} if _takes_training(cell) else {}
        single = not nest.is_nested(cell.state_size)

        def step(x_t, step_states):
            out, new = cell.call(x_t, step_states, **kwargs)
            if single and not nest.is_nested(new):
                new = [new]
            return out, list(new) if isinstance(new, tuple) and not single else new

        return run_steps(
            step, x, states, mask, self.go_backwards, self.zero_output_for_mask, self.name
        )

    def _check_mask(self, mask, x) -> None:
        want = x.shape.as_list()[:2]
        got = mask.shape.as_list()
        if len(got) != 2 or any(
            a is not None and b is not None and a != b for a, b in zip(want, got)
        ):
            raise ValueError(
                f'Layer "{self.name}" received a mask of shape {tuple(got)} for inputs of '
                f"shape {tuple(x.shape.as_list())}: the mask must be (batch, timesteps) = "
                f"{tuple(want)}. Pass the mask of these inputs (e.g. from "
                f"Embedding(mask_zero=True) or Masking)."
            )

    def _initial_states(self, x, initial_state) -> list:
        structure = _state_list(self.cell.state_size)
        sizes = nest.flatten(structure)
        if initial_state is not None:
            given = (
                list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
            )
            given = [convert_to_tensor(s) for s in given]
            self._validate_initial_state(given, structure, sizes)
            given = [math_ops.cast(s, x.dtype) if s.dtype != x.dtype else s for s in given]
            return nest.pack_sequence_as(structure, given)
        if self.stateful:
            return nest.pack_sequence_as(structure, [v.read_value() for v in self._state_variables])
        states = initial_cell_states(self.cell, batch_size_of(x), x.dtype)
        if not nest.is_nested(self.cell.state_size):
            states = list(states) if isinstance(states, (list, tuple)) else [states]
        return list(states)

    def _validate_initial_state(self, given, structure, sizes) -> None:
        shapes = [tuple(s.shape.as_list()) for s in given]
        ok = len(given) == len(sizes) and all(
            len(shape) == 2 and shape[1] in (size, None) for shape, size in zip(shapes, sizes)
        )
        if not ok:
            specs = ", ".join(f"InputSpec(shape={shape}, ndim={len(shape)})" for shape in shapes)
            raise ValueError(
                f"An `initial_state` was passed that is not compatible with `cell.state_size`. "
                f"Received `state_spec`=[{specs}]; however `cell.state_size` is {structure} "
                f'(layer "{self.name}"). Pass one (batch, size) tensor per state.'
            )

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(nest.flatten(_state_list(self.cell.state_size)))
        return output_mask

    def _rnn_config(self) -> dict:
        """The base layer's config and the recurrent flags, without the cell."""
        config = super().get_config()
        config.update(
            {
                "return_sequences": self.return_sequences,
                "return_state": self.return_state,
                "go_backwards": self.go_backwards,
                "stateful": self.stateful,
                "unroll": self.unroll,
                "time_major": self.time_major,
            }
        )
        if self.zero_output_for_mask:
            config["zero_output_for_mask"] = self.zero_output_for_mask
        return config

    def get_config(self) -> dict:
        from tensorflux.keras.layers import serialize

        config = self._rnn_config()
        config["cell"] = serialize(self.cell)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux.keras.layers import deserialize

        config = dict(config)
        cell = deserialize(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)
