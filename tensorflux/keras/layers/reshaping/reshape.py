"""``keras.layers.Reshape``: reshapes the non-batch axes."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops

__all__ = ["Reshape"]


class Reshape(Layer):
    """Reshapes inputs ``(batch, ...)`` to ``(batch,) + target_shape``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Reshape((7, 7, 32))(tf.ones((2, 1568))).shape
    TensorShape([2, 7, 7, 32])

    Args:
        target_shape: the output shape without the batch axis; one entry may be -1,
            inferred from the input size.

    Raises:
        ValueError: more than one -1 in ``target_shape``, or a target whose size
            differs from the input's.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in self.target_shape) > 1:
            raise ValueError(
                "There must be at most one unknown dimension (-1) in "
                f"`target_shape`. Received: target_shape={self.target_shape}"
            )
        if any(d < -1 for d in self.target_shape):
            raise ValueError(
                "`target_shape` must hold positive sizes or -1. "
                f"Received: target_shape={self.target_shape}"
            )

    def call(self, inputs):
        dims = inputs.shape.as_list()
        target = self._fix_unknown_dimension(dims[1:])
        return array_ops.reshape(inputs, [-1 if dims[0] is None else dims[0]] + target)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        if None in dims[1:]:
            return TensorShape([dims[0]] + [None if d == -1 else d for d in self.target_shape])
        return TensorShape([dims[0]] + self._fix_unknown_dimension(dims[1:]))

    def get_config(self) -> dict:
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config

    def _fix_unknown_dimension(self, input_dims) -> list:
        """``target_shape`` with its -1 resolved for inputs of (non-batch) ``input_dims``."""
        size = int(np.prod(input_dims))
        known = int(np.prod([d for d in self.target_shape if d != -1]))
        output = list(self.target_shape)
        if -1 in output and known != 0 and size % known == 0:
            output[output.index(-1)] = size // known
        if -1 in output or int(np.prod(output)) != size:
            raise ValueError(
                f'Reshape layer "{self.name}" cannot reshape inputs of shape '
                f"{tuple(input_dims)} (batch axis excluded) to target_shape "
                f"{self.target_shape}: total size of new array must be unchanged, "
                f"input_shape = {list(input_dims)}, output_shape = {list(self.target_shape)}"
            )
        return output
