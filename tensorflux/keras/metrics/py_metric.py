"""``keras.metrics.experimental.PyMetric``: a metric whose state lives in Python."""

from __future__ import annotations

import types

from tensorflux.keras.metrics.metric import Metric
from tensorflux.ops.script_ops import py_function

__all__ = []


class PyMetric(Metric):
    """A metric written in plain Python: its state is ordinary Python objects, and its
    ``update_state`` and ``result`` run eagerly through ``tf.py_function`` (so also
    from a traced ``fit``/``evaluate`` step), on tensors with ``.numpy()``.

    Subclasses implement ``update_state(y_true, y_pred, sample_weight=None)``,
    ``reset_state()`` (called by the constructor to create the state), ``result()``
    and, where needed, ``merge_state(metrics)``.

    >>> import tensorflux as tf
    >>> class Largest(tf.keras.metrics.experimental.PyMetric):
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.top = max(self.top, float(y_pred.numpy().max()))
    ...     def reset_state(self):
    ...         self.top = 0.0
    ...     def result(self):
    ...         return self.top
    >>> m = Largest()
    >>> _ = m.update_state([1.0], [0.5, 2.5])
    >>> float(m.result())
    2.5
    """

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        python_update = obj.update_state
        python_result = obj.result

        def update_state(self, y_true, y_pred, sample_weight=None):
            inputs = [y_true, y_pred] + ([] if sample_weight is None else [sample_weight])
            return py_function(func=python_update, inp=inputs, Tout=[])

        def result(self):
            return py_function(func=python_result, inp=[], Tout=self.dtype)

        # The originals stay reachable under Keras' names for them.
        obj.update_state_on_cpu = python_update
        obj.result_on_host_cpu = python_result
        obj.update_state = types.MethodType(update_state, obj)
        obj.result = types.MethodType(result, obj)
        return obj

    def __init__(self, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None):
        raise NotImplementedError("Subclasses should implement `update_state`")

    def merge_state(self, metrics):
        raise NotImplementedError("Subclasses should implement `merge_state`")

    def reset_state(self):
        raise NotImplementedError("Subclasses should implement `reset_state`")

    def result(self):
        raise NotImplementedError("Subclasses should implement `result`")
