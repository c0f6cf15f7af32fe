"""``keras.layers.TimeDistributed``: one layer applied to every time step."""

from __future__ import annotations

from tensorflux.framework import nest
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.rnn.base_wrapper import Wrapper
from tensorflux.keras.layers.rnn.cell_utils import weights_scope
from tensorflux.ops import array_ops

__all__ = ["TimeDistributed"]


class TimeDistributed(Wrapper):
    """Applies ``layer`` to each slice ``inputs[:, t]``, with the same weights: the batch
    and time axes are merged, the layer runs once, and they are split again.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2))
    >>> layer(tf.ones((4, 3, 5))).shape
    TensorShape([4, 3, 2])

    Args:
        layer: the layer to apply at each step.

    Raises:
        ValueError: a ``layer`` that is not a Layer, or inputs of rank below 3.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `TimeDistributed` layer with a "
                f"`tf.keras.layers.Layer` instance. Received: {layer}"
            )
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def build(self, input_shape) -> None:
        shape = TensorShape(input_shape)
        if shape.rank is None or shape.rank < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape ` "
                f"with at least 3 dimensions, received: "
                f"{tuple(shape.as_list()) if shape.rank is not None else shape}"
            )
        dims = shape.as_list()
        self.input_spec = InputSpec(shape=[None, None] + dims[2:])
        if not self.layer.built:
            with weights_scope(self.layer, replace=True):
                self.layer.build(TensorShape([None] + dims[2:]))
            self.layer.built = True
        self.built = True

    def call(self, inputs, training=None, mask=None):
        dims = inputs.shape.as_list()
        # Lists of ints and scalar tensors keep the known sizes in the inferred shapes.
        flat = array_ops.reshape(inputs, [-1] + _sizes(inputs, dims[2:], 2))
        kwargs = {}
        if "training" in self.layer._call_spec:
            kwargs["training"] = training
        if mask is not None and "mask" in self.layer._call_spec:
            kwargs["mask"] = array_ops.reshape(mask, [-1])
        out = self.layer(flat, **kwargs)
        batch = dims[0] if dims[0] is not None else array_ops.shape(inputs)[0]

        def restore(y):
            steps = dims[1] if dims[1] is not None else -1
            return array_ops.reshape(y, [batch, steps] + _sizes(y, y.shape.as_list()[1:], 1))

        return nest.map_structure(restore, out)

    def compute_mask(self, inputs, mask=None):
        return mask


def _sizes(x, dims, start: int) -> list:
    """``dims`` (axes ``start``... of ``x``) with unknown sizes read from ``x``'s shape."""
    return [d if d is not None else array_ops.shape(x)[start + i] for i, d in enumerate(dims)]
