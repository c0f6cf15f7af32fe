"""``keras.layers.AbstractRNNCell``: the base class of user-written RNN cells."""

from __future__ import annotations

from tensorflux.framework import nest
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops, creation_ops

__all__ = ["AbstractRNNCell"]


class AbstractRNNCell(Layer):
    """A cell for ``keras.layers.RNN``: subclasses define ``call(inputs, states)``
    returning ``(output, new_states)``, and the ``state_size`` and ``output_size``
    properties (an int, a TensorShape, or a nest of them). ``get_initial_state`` gives
    zeros of ``(batch,) + size`` for each state.

    >>> import tensorflux as tf
    >>> class Running(tf.keras.layers.AbstractRNNCell):
    ...     state_size = 2
    ...     output_size = 2
    ...     def call(self, inputs, states):
    ...         total = inputs + states[0]
    ...         return total, [total]
    >>> tf.keras.layers.RNN(Running())(tf.ones((1, 3, 2))).numpy()
    array([[3., 3.]], dtype=float32)
    """

    def call(self, inputs, states):
        """One step: ``(output, new_states)`` from the step's inputs and the states.

        Raises:
            NotImplementedError: always; subclasses define it.
        """
        raise NotImplementedError

    @property
    def state_size(self):
        """The size(s) of the states: an int, a TensorShape, or a nest of them."""
        raise NotImplementedError

    @property
    def output_size(self):
        """The size of the outputs: an int or a TensorShape."""
        raise NotImplementedError

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Zero states: ``(batch,) + size`` for each state size, in ``dtype``; both
        taken from ``inputs`` when given.

        Raises:
            ValueError: neither ``inputs`` nor both ``batch_size`` and ``dtype``.
        """
        if inputs is not None:
            batch_size, dtype = array_ops.shape(inputs)[0], inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(
                "batch_size and dtype cannot be None while constructing initial "
                f"state. Received: batch_size={batch_size}, dtype={dtype}"
            )

        def zeros(size):
            dims = TensorShape(size).as_list()
            return creation_ops.zeros(array_ops.stack([batch_size] + dims), dtype=dtype)

        if nest.is_nested(self.state_size):
            return nest.map_structure(zeros, self.state_size)
        return zeros(self.state_size)
