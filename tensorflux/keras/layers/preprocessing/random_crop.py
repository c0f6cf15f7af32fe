"""``keras.layers.RandomCrop``: one random window per batch while training."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.preprocessing_utils import (
    convert_inputs,
    is_training,
    layer_generator,
)
from tensorflux.keras.utils.image_utils import smart_resize
from tensorflux.ops.array_ops import gather
from tensorflux.ops.array_ops import range as tf_range
from tensorflux.ops.image_geometry_ops import spatial_dims
from tensorflux.ops.math_ops import cast

__all__ = ["RandomCrop"]


class RandomCrop(Layer):
    """While training, crops every image of a batch at the same random
    ``height x width`` window; otherwise (or for images too small) resizes the largest
    centred window of the target's aspect ratio (``smart_resize``).

    >>> import numpy as np, tensorflux as tf
    >>> layer = tf.keras.layers.RandomCrop(2, 2, seed=1)
    >>> layer(np.zeros((1, 4, 5, 3)), training=True).shape
    TensorShape([1, 2, 2, 3])
    """

    def __init__(self, height, width, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.height = height
        self.width = width
        self.seed = seed

    def build(self, input_shape) -> None:
        # Keras makes the generator when the layer is first connected, so seeds are
        # drawn from ``set_random_seed`` in layer order, between the weights' draws.
        layer_generator(self)
        super().build(input_shape)

    def call(self, inputs, training=None):
        x = convert_inputs(inputs, self.compute_dtype)
        height, width = spatial_dims("RandomCrop", x)
        h_diff, w_diff = height - self.height, width - self.width
        if is_training(training) and h_diff >= 0 and w_diff >= 0:
            draws = layer_generator(self).uniform([2], 0, 2**31 - 1, dtype=dtypes.int32)
            rank = x.shape.rank
            rows = tf_range(self.height) + draws[0] % (h_diff + 1)
            cols = tf_range(self.width) + draws[1] % (w_diff + 1)
            return gather(gather(x, rows, axis=rank - 3), cols, axis=rank - 2)
        return cast(smart_resize(x, [self.height, self.width]), self.compute_dtype)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        return TensorShape(dims[:-3] + [self.height, self.width, dims[-1]])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "seed": self.seed})
        return config
