"""What SimpleRNN, LSTM and GRU share: a built-in cell whose settings they expose and
whose config they flatten into theirs, and the choice of the fused whole-sequence op
(as Keras chooses cuDNN) where the configuration allows it."""

from __future__ import annotations

from tensorflux.keras import activations, regularizers
from tensorflux.keras.layers.rnn.base_rnn import RNN
from tensorflux.keras.mixed_precision.autocast_variable import enable_auto_cast_variables
from tensorflux.ops import array_ops, creation_ops, math_ops
from tensorflux.ops.rnn_common import ACTIVATIONS

__all__ = ["BuiltinRNN"]

_CELL_ONLY = ("name", "trainable", "dtype")


def fused_activation(fn):
    """The fused kernels' name for a Keras activation, or None if they cannot run it."""
    name = getattr(fn, "__name__", None)
    if name in ACTIVATIONS and activations.get(name) is fn:
        return name
    return None


class BuiltinRNN(RNN):
    """An RNN over one of Keras' cells, exposing the cell's settings as its own."""

    _CELL_CLASS = None
    _CELL_ATTRS = (
        "units",
        "activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
    )

    def __init__(self, cell, activity_regularizer=None, **kwargs):
        super().__init__(cell, **kwargs)
        self.activity_regularizer = regularizers.get(activity_regularizer)

    def __getattr__(self, name):
        if name in type(self)._CELL_ATTRS and "cell" in self.__dict__:
            return getattr(self.__dict__["cell"], name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _fusable(self, training) -> bool:
        cell = self.cell
        if type(cell) is not self._CELL_CLASS:
            return False
        names = [fused_activation(cell.activation)]
        if hasattr(cell, "recurrent_activation"):
            names.append(fused_activation(cell.recurrent_activation))
        if None in names:
            return False
        if training and cell.recurrent_dropout > 0:
            return False
        # Mode 1 draws a dropout mask per gate; the fused ops take one masked input.
        return not (training and cell.dropout > 0 and getattr(cell, "implementation", 2) == 1)

    def _run(self, x, states, mask, training):
        if not self._fusable(training) or (x.dtype.name == "bfloat16" and self.dtype != "float32"):
            # (bfloat16 weights: no exact widening into the fused float kernels.)
            return super()._run(x, states, mask, training)
        cell = self.cell
        masks = cell.get_dropout_mask_for_cell(x[:, 0], training, count=1)
        if masks is not None:
            x = x * array_ops.expand_dims(masks[0], 1)
        step_mask = (
            creation_ops.ones_like(x[:, :, 0]) if mask is None else math_ops.cast(mask, x.dtype)
        )
        if x.dtype.name == "bfloat16":
            outputs, final_states = self._fused_in_float32(x, list(states), step_mask)
        else:
            outputs, final_states = self._fused(x, list(states), step_mask)
        return outputs[:, -1], outputs, final_states

    def _fused_in_float32(self, x, states, step_mask):
        """mixed_bfloat16: the fused kernels have no bfloat16 arithmetic, so the sequence
        runs on widened inputs and the float32 weights themselves, rounded once at the
        end (Keras rounds after each op; the values agree to bfloat16's precision)."""

        def wide(t):
            return math_ops.cast(t, "float32")

        with enable_auto_cast_variables("float32"):
            outputs, final_states = self._fused(wide(x), [wide(s) for s in states], wide(step_mask))
        return math_ops.cast(outputs, x.dtype), [math_ops.cast(s, x.dtype) for s in final_states]

    def _bias(self, shape, dtype):
        bias = self.cell.bias
        return bias if bias is not None else creation_ops.zeros(shape, dtype=dtype)

    def _fused_attrs(self) -> dict:
        return {
            "go_backwards": self.go_backwards,
            "zero_output_for_mask": self.zero_output_for_mask,
        }

    def get_config(self) -> dict:
        config = self._rnn_config()
        cell_config = self.cell.get_config()
        for key in _CELL_ONLY:
            cell_config.pop(key, None)
        config.update(cell_config)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("implementation") == 0:
            config["implementation"] = 1
        return cls(**config)
