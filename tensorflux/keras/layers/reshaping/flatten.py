"""``keras.layers.Flatten``: flattens all axes but the batch axis."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops

__all__ = ["Flatten"]


class Flatten(Layer):
    """Reshapes ``(batch, d1, ..., dn)`` to ``(batch, d1 * ... * dn)``; a 1-D input
    ``(batch,)`` becomes ``(batch, 1)``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Flatten()(tf.ones((2, 28, 28))).shape
    TensorShape([2, 784])

    Args:
        data_format: ``"channels_last"`` (default, from ``keras.backend.image_data_format()``)
            or ``"channels_first"``; channels-first inputs are moved to channels-last
            first, so the order of the flattened features matches a channels-last model.

    Raises:
        ValueError: an unknown ``data_format``.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        from tensorflux.keras import backend

        self.data_format = data_format or backend.image_data_format()
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                "The `data_format` argument must be one of 'channels_first', "
                f"'channels_last'. Received: {data_format}"
            )
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = inputs.shape.rank
        if rank == 1:
            return array_ops.expand_dims(inputs, 1)
        if self.data_format == "channels_first" and rank > 2:
            inputs = array_ops.transpose(inputs, [0] + list(range(2, rank)) + [1])
        batch, *rest = inputs.shape.as_list()
        if None in rest:
            # Inner sizes known only when a traced graph runs.
            return array_ops.reshape(inputs, [array_ops.shape(inputs)[0], -1])
        return array_ops.reshape(inputs, [-1 if batch is None else batch, int(np.prod(rest))])

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        if len(dims) == 1:
            return TensorShape([dims[0], 1])
        rest = dims[1:]
        size = None if None in rest else int(np.prod(rest))
        return TensorShape([dims[0], size])

    def get_config(self) -> dict:
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
