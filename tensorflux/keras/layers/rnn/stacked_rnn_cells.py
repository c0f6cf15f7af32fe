"""``keras.layers.StackedRNNCells``: several cells run as one, each feeding the next."""

from __future__ import annotations

from tensorflux.framework import nest
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.rnn.cell_utils import weights_scope

__all__ = ["StackedRNNCells"]


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state = cell.state_size
    return state[0] if nest.is_nested(state) else state


class StackedRNNCells(Layer):
    """Cells stacked into one cell: each step runs them in order, the output of one the
    input of the next; the state is the tuple of their states.

    >>> import tensorflux as tf
    >>> cells = [tf.keras.layers.LSTMCell(4), tf.keras.layers.GRUCell(3)]
    >>> tf.keras.layers.RNN(cells)(tf.ones((2, 5, 6))).shape
    TensorShape([2, 3])

    Args:
        cells: the cells, first to last.

    Raises:
        ValueError: a cell without ``call`` or ``state_size``.
    """

    def __init__(self, cells, **kwargs):
        for cell in cells:
            if not hasattr(cell, "call"):
                raise ValueError(
                    f"All cells must have a `call` method. Received cell without "
                    f"a `call` method: {cell}"
                )
            if not hasattr(cell, "state_size"):
                raise ValueError(
                    f"All cells must have a `state_size` attribute. Received "
                    f"cell without a `state_size`: {cell}"
                )
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self):
        return tuple(c.state_size for c in self.cells)

    @property
    def output_size(self):
        return _output_size(self.cells[-1])

    def build(self, input_shape) -> None:
        shape = TensorShape(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                with weights_scope(cell):
                    cell.build(shape)
                cell.built = True
            shape = TensorShape([shape[0], _output_size(cell)])
        self.built = True

    def call(self, inputs, states, training=None):
        nested = nest.pack_sequence_as(self.state_size, nest.flatten(states))
        new_states = []
        for cell, cell_states in zip(self.cells, nested):
            cell_states = list(cell_states) if nest.is_nested(cell_states) else [cell_states]
            kwargs = {"training": training} if _takes_training(cell) else {}
            inputs, cell_states = cell.call(inputs, cell_states, **kwargs)
            new_states.append(cell_states)
        return inputs, nest.pack_sequence_as(self.state_size, nest.flatten(new_states))

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Each cell's initial state, as a tuple."""
        from tensorflux.keras.layers.rnn.base_rnn import initial_cell_states

        return tuple(initial_cell_states(c, batch_size, dtype) for c in self.cells)

    def get_config(self) -> dict:
        from tensorflux.keras.layers import serialize

        config = super().get_config()
        config["cells"] = [serialize(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux.keras.layers import deserialize

        config = dict(config)
        cells = [deserialize(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def _takes_training(cell) -> bool:
    import inspect

    return "training" in inspect.signature(cell.call).parameters
