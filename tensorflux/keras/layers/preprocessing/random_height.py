"""``keras.layers.RandomHeight`` and ``RandomWidth``: stretch one side of a batch by a
random factor while training."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.preprocessing_utils import (
    convert_inputs,
    is_training,
    layer_generator,
)
from tensorflux.keras.utils.image_utils import get_interpolation
from tensorflux.ops.array_ops import stack
from tensorflux.ops.image_geometry_ops import spatial_dims
from tensorflux.ops.image_resizing import resize
from tensorflux.ops.math_ops import cast

__all__ = ["RandomHeight", "RandomWidth"]


class _RandomSide(Layer):
    """Resizes one spatial side by ``1 + u``, ``u`` drawn from the factor's range."""

    _axis = 0
    _less = "less"

    def __init__(self, factor, interpolation="bilinear", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        if isinstance(factor, (tuple, list)):
            self.lower, self.upper = factor[0], factor[1]
        else:
            self.lower, self.upper = -factor, factor
        if self.upper < self.lower:
            raise ValueError(
                f"`factor` argument cannot have an upper bound {self._less} than "
                f"the lower bound. Received: factor={factor}"
            )
        if self.lower < -1.0 or self.upper < -1.0:
            raise ValueError(
                f"`factor` argument must have values larger than -1. Received: factor={factor}"
            )
        self.interpolation = interpolation
        self._method = get_interpolation(interpolation)
        self.seed = seed

    def build(self, input_shape) -> None:
        # Keras makes the generator when the layer is first connected, so seeds are
        # drawn from ``set_random_seed`` in layer order, between the weights' draws.
        layer_generator(self)
        super().build(input_shape)

    def call(self, inputs, training=None):
        x = convert_inputs(inputs, self.compute_dtype)
        if not is_training(training):
            return x
        sides = list(spatial_dims(type(self).__name__, x))
        scale = layer_generator(self).uniform([], minval=1.0 + self.lower, maxval=1.0 + self.upper)
        new_side = cast(scale * float(sides[self._axis]), dtypes.int32)
        size = stack([new_side, sides[1]] if self._axis == 0 else [sides[0], new_side])
        return cast(resize(x, size, method=self._method), self.compute_dtype)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        dims[-3 + self._axis] = None
        return TensorShape(dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"factor": self.factor, "interpolation": self.interpolation, "seed": self.seed}
        )
        return config


class RandomHeight(_RandomSide):
    """Resizes the height of a batch by a random factor ``1 + u`` while training; the
    identity at inference.

    >>> import numpy as np, tensorflux as tf
    >>> tf.keras.layers.RandomHeight(0.5)(np.zeros((1, 4, 4, 1)), training=False).shape
    TensorShape([1, 4, 4, 1])

    Raises:
        ValueError: ``upper < lower`` or a bound below -1.
    """

    _axis = 0
    _less = "lesser"


class RandomWidth(_RandomSide):
    """Resizes the width of a batch by a random factor ``1 + u`` while training; the
    identity at inference.

    >>> import numpy as np, tensorflux as tf
    >>> tf.keras.layers.RandomWidth(0.5)(np.zeros((1, 4, 4, 1)), training=False).shape
    TensorShape([1, 4, 4, 1])

    Raises:
        ValueError: ``upper < lower`` or a bound below -1.
    """

    _axis = 1
