"""``keras.metrics.Metric``: the base class of stateful metrics."""

from __future__ import annotations

import re

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.variable_enums import VariableAggregation, VariableSynchronization
from tensorflux.framework.variables import Variable

__all__ = []


def snake_case(name: str) -> str:
    """``TopKCategoricalAccuracy`` -> ``top_k_categorical_accuracy`` (Keras' default names)."""
    s = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", s).lower()


class Metric:
    """A value accumulated over batches in variables (``keras.metrics.Metric``).

    Subclasses create their state with :meth:`add_weight` in ``__init__`` (so it
    exists before ``update_state`` is traced by ``tf.function``), implement
    ``update_state(...)`` with variable assignments and ``result()`` from the
    variables. Calling a metric updates it and returns the new result.

    >>> import tensorflux as tf
    >>> class Count(tf.keras.metrics.Metric):
    ...     def __init__(self, name="count", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.n = self.add_weight(name="n", initializer="zeros")
    ...     def update_state(self, values, sample_weight=None):
    ...         self.n.assign_add(tf.cast(tf.size(values), self.dtype))
    ...     def result(self):
    ...         return tf.identity(self.n)
    >>> m = Count()
    >>> float(m([1, 2, 3]))
    3.0

    Args:
        name: the metric name (history key); by default the snake-case class name,
            made unique like layer names (``auc``, ``auc_1``, ...).
        dtype: the dtype of the state and result (default ``keras.backend.floatx()``).
    """

    def __init__(self, name=None, dtype=None, **kwargs):
        from tensorflux.keras import backend

        if kwargs:
            raise TypeError(
                f"{type(self).__name__} got unexpected keyword arguments "
                f"{sorted(kwargs)}; metrics accept `name` and `dtype`."
            )
        self._name = name or backend.unique_object_name(snake_case(type(self).__name__))
        self._dtype = dtypes.as_dtype(dtype or backend.floatx())
        self._variables = []

    def __call__(self, *args, **kwargs):
        """Updates the state with this batch and returns the result so far."""
        self.update_state(*args, **kwargs)
        return self.result()

    def update_state(self, *args, **kwargs):
        """Accumulates one batch into the state variables; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        """Returns the metric value from the state variables; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def reset_state(self) -> None:
        """Sets every state variable back to zero (start of an epoch)."""
        for v in self._variables:
            v.assign(np.zeros_like(v.numpy()))

    reset_states = reset_state

    def add_weight(
        self,
        name,
        shape=(),
        aggregation=VariableAggregation.SUM,
        synchronization=VariableSynchronization.ON_READ,
        initializer=None,
        dtype=None,
    ) -> Variable:
        """Creates a non-trainable state variable of this metric.

        Args:
            name: the variable name.
            shape: its shape (default scalar).
            aggregation, synchronization: as TF's, a state summed over the replicas
                when read (under a ``tf.distribute`` strategy, each replica adds to it).
            initializer: ``None``/``"zeros"``, ``"ones"`` or a callable
                ``(shape, dtype) -> value``.
            dtype: default the metric's dtype.

        Raises:
            ValueError: an initializer name other than "zeros"/"ones".
        """
        dtype = dtypes.as_dtype(dtype or self._dtype)
        shape = tuple(shape or ())
        if initializer is None or initializer == "zeros":
            value = np.zeros(shape, dtype.as_numpy_dtype)
        elif initializer == "ones":
            value = np.ones(shape, dtype.as_numpy_dtype)
        elif callable(initializer):
            value = initializer(shape, dtype=dtype)
        else:
            raise ValueError(
                f"Metric {self._name!r}: unknown initializer {initializer!r} for "
                f"weight {name!r}; use 'zeros', 'ones' or a callable."
            )
        variable = Variable(
            value,
            trainable=False,
            name=name,
            dtype=dtype,
            synchronization=synchronization,
            aggregation=aggregation,
        )
        self._variables.append(variable)
        return variable

    def _trackable_children(self) -> dict:
        """Checkpoint children: the state variables by their ``add_weight`` names, as
        tf_keras saves a metric held by a model (``tracker/total/...``)."""
        return {v.name.split(":")[0].rsplit("/", 1)[-1]: v for v in self._variables}

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> str:
        """The state dtype as a string (Keras 2 reports ``"float32"``)."""
        return self._dtype.name

    @property
    def variables(self) -> list:
        return list(self._variables)

    weights = variables
    non_trainable_weights = variables

    @property
    def trainable_weights(self) -> list:
        return []

    def get_config(self) -> dict:
        return {"name": self._name, "dtype": self._dtype.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} object name={self._name!r}>"
