"""What the built-in recurrent cells share: argument checks, weight arguments and their
config entries, dropout masks, initial states, and naming sublayers' weights."""

from __future__ import annotations

import contextlib

from tensorflux.framework import nest
from tensorflux.framework.name_scope import name_scope
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.ops import array_ops, creation_ops, nn_ops

__all__ = [
    "DropoutRNNCellMixin",
    "init_weight_args",
    "weight_args_config",
    "check_units",
    "zero_states",
    "weights_scope",
    "batch_size_of",
]

_KINDS = ("kernel", "recurrent", "bias")


def check_units(units, layer_name: str) -> int:
    """``units`` as a positive int, or Keras' ValueError naming the layer."""
    if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
        raise ValueError(
            f"Layer {layer_name!r}: received an invalid value for argument "
            f"`units`, expected a positive integer, got {units}."
        )
    return units


def init_weight_args(
    cell,
    kernel_initializer,
    recurrent_initializer,
    bias_initializer,
    kernel_regularizer,
    recurrent_regularizer,
    bias_regularizer,
    kernel_constraint,
    recurrent_constraint,
    bias_constraint,
) -> None:
    """Resolves and stores the initializers, regularizers and constraints of a cell."""
    for kind, init, reg, con in zip(
        _KINDS,
        (kernel_initializer, recurrent_initializer, bias_initializer),
        (kernel_regularizer, recurrent_regularizer, bias_regularizer),
        (kernel_constraint, recurrent_constraint, bias_constraint),
    ):
        setattr(cell, f"{kind}_initializer", initializers.get(init))
        setattr(cell, f"{kind}_regularizer", regularizers.get(reg))
        setattr(cell, f"{kind}_constraint", constraints.get(con))


def weight_args_config(cell) -> dict:
    """The config entries of ``init_weight_args``' arguments, in Keras' order."""
    config = {
        f"{k}_initializer": initializers.serialize(getattr(cell, f"{k}_initializer"))
        for k in _KINDS
    }
    config.update(
        {
            f"{k}_regularizer": regularizers.serialize(getattr(cell, f"{k}_regularizer"))
            for k in _KINDS
        }
    )
    config.update(
        {f"{k}_constraint": constraints.serialize(getattr(cell, f"{k}_constraint")) for k in _KINDS}
    )
    return config


def forget_bias_initializer(base, units: int):
    """The LSTM bias initializer with ``unit_forget_bias``: ``base`` for the i, c and o
    gates and ones for the forget gate (Jozefowicz et al.), in Keras' gate order."""

    def init(shape, dtype=None, **kwargs):
        return array_ops.concat(
            [
                base((units,), dtype=dtype),
                initializers.get("ones")((units,), dtype),
                base((2 * units,), dtype=dtype),
            ],
            axis=0,
        )

    return init


def add_cell_weight(cell, name, shape, kind, initializer=None):
    """A weight of ``cell`` with the initializer, regularizer and constraint of ``kind``."""
    return cell.add_weight(
        name,
        shape=shape,
        initializer=initializer or getattr(cell, f"{kind}_initializer"),
        regularizer=getattr(cell, f"{kind}_regularizer"),
        constraint=getattr(cell, f"{kind}_constraint"),
    )


def batch_size_of(x):
    """The batch size of ``x``: an int when known, else a scalar tensor."""
    b = x.shape[0]
    return b if b is not None else array_ops.shape(x)[0]


def zero_states(state_size, batch_size, dtype):
    """Zeros of (batch, size) for each size in ``state_size`` (an int or a nest)."""

    def zeros(size):
        return creation_ops.zeros([batch_size, size], dtype=dtype)

    if isinstance(state_size, int):
        return zeros(state_size)
    return nest.map_structure(zeros, state_size)


def weights_scope(layer, replace: bool = False):
    """The name scope in which an enclosing layer builds ``layer``: the layer's name, as
    Keras names a cell's weights under its RNN layer (``lstm/lstm_cell/kernel:0``), or
    with ``replace`` none of its own: a wrapped layer's weights take the wrapper's name
    (``time_distributed/kernel:0``)."""
    return contextlib.nullcontext() if replace else name_scope(layer.name)


class DropoutRNNCellMixin:
    """Dropout masks a cell draws once per layer call and applies at every step, so one
    sequence sees the same units dropped throughout (Keras' behaviour)."""

    def reset_dropout_mask(self) -> None:
        self._dropout_masks = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_masks = None

    def _masks(self, attr, rate, like, training, count):
        if not training or rate <= 0:
            return None
        masks = getattr(self, attr, None)
        if masks is None:
            ones = creation_ops.ones_like(like)
            masks = [self._dropout_mask(ones, rate) for _ in range(count)]
            setattr(self, attr, masks)
        return masks

    def _dropout_mask(self, ones, rate):
        from tensorflux.keras.utils.random_seed import draws_from_generator

        if draws_from_generator(self):
            from tensorflux.keras.layers.preprocessing.preprocessing_utils import layer_generator
            from tensorflux.ops.dropout_ops import general_dropout

            return general_dropout(ones, rate, layer_generator(self).uniform)
        return nn_ops.dropout(ones, rate)

    def get_dropout_mask_for_cell(self, inputs, training, count=1):
        """``count`` masks shaped like ``inputs`` (one per gate), or None when not
        training or without dropout."""
        return self._masks("_dropout_masks", self.dropout, inputs, training, count)

    def get_recurrent_dropout_mask_for_cell(self, inputs, training, count=1):
        """As ``get_dropout_mask_for_cell``, for the recurrent state."""
        return self._masks(
            "_recurrent_dropout_masks", self.recurrent_dropout, inputs, training, count
        )


def per_gate(x, masks, count: int) -> list:
    """``x`` for each of ``count`` gates, times that gate's dropout mask when there are
    masks."""
    if masks is None:
        return [x] * count
    return [x * m for m in masks]


def clip_rate(rate) -> float:
    """A dropout rate clipped to [0, 1], as Keras' cells store it."""
    return min(1.0, max(0.0, float(rate)))
