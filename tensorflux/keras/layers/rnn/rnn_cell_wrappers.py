"""``tf.nn.RNNCellResidualWrapper``, ``tf.nn.RNNCellDeviceWrapper`` and
``tf.nn.RNNCellDropoutWrapper``: cells that wrap a Keras RNN cell, usable by
``keras.layers.RNN`` or called step by step.

As TF's wrappers: the wrapped cell's ``state_size`` and ``output_size`` are the wrapper's;
a step calls the cell's ``call`` and changes its inputs or results. The dropout wrapper
drops with ``tf.nn.dropout`` under op seeds derived from ``seed`` (the first 8 hex digits
of the MD5 of ``f"{seed}{kind}_{index}"``, as TF), or with a mask drawn once at
construction (``variational_recurrent``) and reused at every step.
"""

from __future__ import annotations

import hashlib
import inspect

from tensorflux.framework import dtypes, nest
from tensorflux.keras.layers.rnn.abstract_rnn_cell import AbstractRNNCell

__all__ = ["DeviceWrapper", "DropoutWrapper", "ResidualWrapper"]


class _CellWrapper(AbstractRNNCell):
    """Shared by the wrappers: holds ``cell``, builds it, forwards its sizes and config."""

    def __init__(self, cell, **kwargs):
        super().__init__(**kwargs)
        self.cell = cell
        self._cell_takes_training = "training" in inspect.signature(cell.call).parameters

    @property
    def state_size(self):
        return self.cell.state_size

    @property
    def output_size(self):
        return self.cell.output_size

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        return self.cell.get_initial_state(inputs=inputs, batch_size=batch_size, dtype=dtype)

    def build(self, input_shape) -> None:
        self.cell.build(input_shape)
        self.built = True

    def _cell_call(self, inputs, state, training=None):
        kwargs = {"training": training} if self._cell_takes_training else {}
        return self.cell.call(inputs, state, **kwargs)

    def get_config(self) -> dict:
        cell = {"class_name": type(self.cell).__name__, "config": self.cell.get_config()}
        return {**super().get_config(), "cell": cell}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux.keras.layers.serialization import deserialize

        config = dict(config)
        cell = deserialize(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


class ResidualWrapper(_CellWrapper):
    """Adds the step's inputs to the cell's outputs: ``inputs + output``, or
    ``residual_fn(inputs, output)`` (``tf.nn.RNNCellResidualWrapper``).

    Args:
        cell: the Keras RNN cell to wrap (its outputs must match the inputs' shape).
        residual_fn: ``(inputs, outputs) -> outputs``; None adds them.

    >>> import tensorflux as tf
    >>> cell = tf.keras.layers.SimpleRNNCell(2, kernel_initializer="zeros",
    ...                                      recurrent_initializer="zeros")
    >>> out, _ = tf.nn.RNNCellResidualWrapper(cell)(tf.ones((1, 2)), [tf.zeros((1, 2))])
    >>> out.numpy().tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, cell, residual_fn=None, **kwargs):
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def call(self, inputs, state, training=None):
        outputs, new_state = self._cell_call(inputs, state, training)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, outputs), new_state
        nest.assert_same_structure(inputs, outputs)
        for a, b in zip(nest.flatten(inputs), nest.flatten(outputs)):
            if not a.shape.is_compatible_with(b.shape):
                raise ValueError(f"Shapes {a.shape} and {b.shape} are incompatible")
        return nest.map_structure(lambda a, b: a + b, inputs, outputs), new_state

    def get_config(self) -> dict:
        fn = self._residual_fn
        if fn is None:
            return super().get_config()
        if fn.__name__ == "<lambda>":
            raise ValueError(
                "ResidualWrapper cannot serialize a lambda residual_fn: give it a named "
                "function (saved by name and module, as TF saves functions)."
            )
        extra = {"residual_fn": fn.__name__, "residual_fn_type": "function",
                 "residual_fn_module": fn.__module__}  # fmt: skip
        return {**super().get_config(), **extra}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        import importlib

        config = dict(config)
        if "residual_fn" in config:
            name = config.pop("residual_fn")
            config.pop("residual_fn_type", None)
            module = config.pop("residual_fn_module", None)
            found = (custom_objects or {}).get(name)
            if found is None and module:
                found = getattr(importlib.import_module(module), name)
            config["residual_fn"] = found
        return super().from_config(config, custom_objects)


class DeviceWrapper(_CellWrapper):
    """Runs the cell on ``device`` (``tf.nn.RNNCellDeviceWrapper``); on this CPU-only
    engine every device is the CPU, so the step is the cell's.

    Args:
        cell: the Keras RNN cell to wrap.
        device: a device string, e.g. ``"/cpu:0"`` (kept in the config).

    >>> import tensorflux as tf
    >>> w = tf.nn.RNNCellDeviceWrapper(tf.keras.layers.GRUCell(2), "/cpu:0")
    >>> w.state_size, w.get_config()["device"]
    (2, '/cpu:0')
    """

    def __init__(self, cell, device, **kwargs):
        super().__init__(cell, **kwargs)
        self._device = device

    def call(self, inputs, state, training=None):
        return self._cell_call(inputs, state, training)

    def get_config(self) -> dict:
        return {**super().get_config(), "device": self._device}


def _leaves_to_drop(visitor, structure) -> list:
    """Per leaf of ``structure``, whether the state filter lets it be dropped (TF's
    traverse-shallow-structure walk: a False stops at that level)."""
    keep = visitor(structure)
    if nest.is_nested(structure) and keep is True:
        return [flag for item in structure for flag in _leaves_to_drop(visitor, item)]
    n = len(nest.flatten(structure))
    return [bool(keep)] * n


class DropoutWrapper(_CellWrapper):
    """Dropout on a cell's inputs, output and new state, each kept with its probability
    (``tf.nn.RNNCellDropoutWrapper``).

    Args:
        cell: the Keras RNN cell to wrap.
        input_keep_prob, output_keep_prob, state_keep_prob: probabilities in ``[0, 1]``
            (1: no dropout there).
        variational_recurrent: draw one mask per tensor at construction and reuse it at
            every step (needs ``dtype``, and ``input_size`` when inputs are dropped).
        input_size: the inputs' depth (a nest of them), for the variational input mask.
        dtype: the mask dtype for ``variational_recurrent``.
        seed: the seed the per-tensor op seeds are derived from.
        dropout_state_filter_visitor: ``substate -> bool``: which states may be dropped.

    Raises:
        ValueError: a probability outside ``[0, 1]``, or ``variational_recurrent``
            without ``dtype`` (or ``input_size``).
        TypeError: a filter that is not callable.

    >>> import tensorflux as tf
    >>> w = tf.nn.RNNCellDropoutWrapper(tf.keras.layers.SimpleRNNCell(2), output_keep_prob=1.0)
    >>> out, _ = w(tf.ones((1, 3)), [tf.zeros((1, 2))])
    >>> out.shape
    TensorShape([1, 2])
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None, **kwargs):  # fmt: skip
        import numpy as np

        super().__init__(cell, dtype=dtype, **kwargs)
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError("dropout_state_filter_visitor must be callable")
        self._state_filter = dropout_state_filter_visitor or (lambda substate: True)
        for attr, prob in (("input_keep_prob", input_keep_prob),
                           ("state_keep_prob", state_keep_prob),
                           ("output_keep_prob", output_keep_prob)):  # fmt: skip
            value = float(np.float32(prob))  # TF reads it back from a float32 constant
            if value < 0 or value > 1:
                raise ValueError(f"Parameter {attr} must be between 0 and 1: {int(value)}")
            setattr(self, f"_{attr}", value)
        self._variational = variational_recurrent
        self._input_size = input_size
        self._seed = seed
        self._noise = {"input": None, "state": None, "output": None}
        if variational_recurrent:
            self._draw_variational_noise(dtype, input_size)

    def _gen_seed(self, kind: str, index: int):
        if self._seed is None:
            return None
        digest = hashlib.md5(f"{self._seed}{kind}_{index}".encode()).hexdigest()
        return int(digest[:8], 16) & 0x7FFFFFFF

    def _draw_variational_noise(self, dtype, input_size):
        from tensorflux.ops.random_ops import uniform

        if dtype is None:
            raise ValueError("When variational_recurrent=True, dtype must be provided")
        dtype = dtypes.as_dtype(dtype)

        def noise_for(kind, sizes):
            flat = nest.flatten(sizes)
            draws = [
                uniform([1, *_dims(s)], dtype=dtype, seed=self._gen_seed(kind, i))
                for i, s in enumerate(flat)
            ]
            return nest.pack_sequence_as(sizes, draws) if nest.is_nested(sizes) else draws[0]

        if self._input_keep_prob < 1.0:
            if input_size is None:
                raise ValueError(
                    "When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, "
                    "input_size must be provided"
                )
            self._noise["input"] = noise_for("input", input_size)
        self._noise["state"] = noise_for("state", self.cell.state_size)
        self._noise["output"] = noise_for("output", self.cell.output_size)

    def _dropout(self, values, kind, keep_prob, allowed=None):
        from tensorflux.ops.nn_ops import dropout
        from tensorflux.ops.unary_math_ops import floor

        flat = nest.flatten(values)
        allowed = allowed or [True] * len(flat)
        noise = nest.flatten(self._noise[kind]) if self._variational else None
        out = []
        for i, (v, drop) in enumerate(zip(flat, allowed)):
            if not drop:
                out.append(v)
            elif self._variational:
                out.append(v / keep_prob * floor(keep_prob + noise[i]))
            else:
                out.append(dropout(v, rate=1.0 - keep_prob, seed=self._gen_seed(kind, i)))
        return nest.pack_sequence_as(values, out) if nest.is_nested(values) else out[0]

    def call(self, inputs, state, training=None):
        if self._input_keep_prob < 1:
            inputs = self._dropout(inputs, "input", self._input_keep_prob)
        output, new_state = self._cell_call(inputs, state, training)
        if self._state_keep_prob < 1:
            allowed = _leaves_to_drop(self._state_filter, new_state)
            new_state = self._dropout(new_state, "state", self._state_keep_prob, allowed)
        if self._output_keep_prob < 1:
            output = self._dropout(output, "output", self._output_keep_prob)
        return output, new_state

    def get_config(self) -> dict:
        config = {
            "input_keep_prob": self._input_keep_prob,
            "output_keep_prob": self._output_keep_prob,
            "state_keep_prob": self._state_keep_prob,
            "variational_recurrent": self._variational,
            "input_size": self._input_size,
            "seed": self._seed,
        }
        return {**super().get_config(), **config}


def _dims(size) -> list:
    return list(size.as_list()) if hasattr(size, "as_list") else [int(size)]
