"""``keras.layers.Permute``: permutes the non-batch axes."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops

__all__ = ["Permute"]


class Permute(Layer):
    """Permutes the axes after the batch axis: ``dims`` is 1-indexed.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Permute((2, 1))(tf.ones((4, 10, 64))).shape
    TensorShape([4, 64, 10])

    Args:
        dims: a permutation of ``1, ..., rank - 1``.

    Raises:
        ValueError: ``dims`` that is not such a permutation.
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set "
                "of indices in `dims` must be consecutive and start from 1. "
                f"Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return array_ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        return TensorShape([dims[0]] + [dims[d] for d in self.dims])

    def get_config(self) -> dict:
        config = super().get_config()
        config["dims"] = self.dims
        return config
