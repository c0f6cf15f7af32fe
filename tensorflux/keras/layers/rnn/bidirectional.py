"""``keras.layers.Bidirectional``: an RNN run forwards and backwards, outputs merged."""

from __future__ import annotations

from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.rnn.base_wrapper import Wrapper
from tensorflux.keras.layers.rnn.cell_utils import weights_scope
from tensorflux.ops import array_ops

__all__ = ["Bidirectional"]

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _recreate(layer, go_backwards=False):
    """A fresh copy of ``layer`` from its config (no weights, no state)."""
    config = layer.get_config()
    if go_backwards:
        config["go_backwards"] = not config["go_backwards"]
    return type(layer).from_config(config)


class Bidirectional(Wrapper):
    """Runs a copy of an RNN layer forwards and another backwards over the sequence and
    merges their outputs (``merge_mode``: "concat", "sum", "mul", "ave", or None for
    the pair). Returned sequences of the backward copy are reversed back into time order,
    and masked steps output zeros.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(4))
    >>> layer(tf.ones((2, 3, 5))).shape
    TensorShape([2, 8])

    Args:
        layer: the RNN layer (its copies run; it is not used itself).
        merge_mode: how the two outputs combine.
        weights: initial weights, forward layer's then backward layer's.
        backward_layer: a layer to run backwards instead of a copy of ``layer``.

    Raises:
        ValueError: a ``layer`` or ``backward_layer`` that is not a Layer, an unknown
            ``merge_mode``, or layers whose ``go_backwards`` are equal or whose
            ``stateful``, ``return_sequences`` or ``return_state`` differ.
    """

    # ``layer`` (set by Wrapper) is only the template of the two copies: its weights,
    # never built, are no part of this layer's, as in tf_keras.
    _untracked_attributes = Wrapper._untracked_attributes | {"layer"}

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a "
                f"`tf.keras.layers.Layer` instance. Received: {layer}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` need to be a `tf.keras.layers.Layer` "
                f"instance. Received: {backward_layer}"
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: {merge_mode}. Merge mode should "
                'be one of {"sum", "mul", "ave", "concat", None}'
            )
        kwargs.setdefault("trainable", layer.trainable)
        super().__init__(layer, **kwargs)
        from tensorflux.keras.layers import serialize

        self._layer_config = serialize(layer)
        self.forward_layer = _recreate(layer)
        if backward_layer is None:
            self.backward_layer = _recreate(layer, go_backwards=True)
        else:
            self.backward_layer = backward_layer
            self._backward_layer_config = serialize(backward_layer)
        self.forward_layer._name = "forward_" + self.forward_layer.name
        self.backward_layer._name = "backward_" + self.backward_layer.name
        self._verify()
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        if weights:
            half = len(weights) // 2
            self.forward_layer._initial_weights = weights[:half]
            self.backward_layer._initial_weights = weights[half:]
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify(self) -> None:
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different "
                f"`go_backwards` value.forward_layer.go_backwards = "
                f"{fwd.go_backwards},backward_layer.go_backwards = "
                f"{bwd.go_backwards}"
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            a, b = getattr(fwd, attr), getattr(bwd, attr)
            if a != b:
                raise ValueError(
                    "Forward layer and backward layer are expected to have the "
                    f'same value for attribute "{attr}", got "{a}" for forward '
                    f'layer and "{b}" for backward layer'
                )

    def build(self, input_shape) -> None:
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                with weights_scope(sub):
                    sub.build(input_shape)
                sub.built = True
                if sub._initial_weights is not None:
                    sub.set_weights(sub._initial_weights)
                    sub._initial_weights = None
        self.built = True

    def call(self, inputs, training=None, mask=None, initial_state=None):
        kwargs = {"training": training, "mask": mask}
        fwd_state = bwd_state = None
        if initial_state is not None:
            states = list(initial_state)
            half = len(states) // 2
            fwd_state, bwd_state = states[:half], states[half:]
        y = self.forward_layer(inputs, initial_state=fwd_state, **kwargs)
        y_rev = self.backward_layer(inputs, initial_state=bwd_state, **kwargs)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            time_axis = 0 if getattr(self.forward_layer, "time_major", False) else 1
            y_rev = array_ops.reverse(y_rev, [time_axis])
        if self.merge_mode == "concat":
            output = array_ops.concat([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if self.return_state:
            return (output if isinstance(output, list) else [output]) + states
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            n = len(self.forward_layer.states) * 2
            return masks + [None] * n
        return masks if self.merge_mode is None else output_mask

    def reset_states(self, states=None) -> None:
        """Resets both directions' states (``states``: forward's then backward's).

        Raises:
            AttributeError: the layer is not stateful.
        """
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    def get_config(self) -> dict:
        config = super().get_config()
        config["layer"] = self._layer_config
        config["merge_mode"] = self.merge_mode
        if hasattr(self, "_backward_layer_config"):
            config["backward_layer"] = self._backward_layer_config
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux.keras.layers import deserialize

        config = dict(config)
        layer = deserialize(config.pop("layer"), custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            backward = deserialize(backward, custom_objects=custom_objects)
        return cls(layer, backward_layer=backward, **config)
