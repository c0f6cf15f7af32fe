"""``keras.layers.CategoryEncoding``: integer categories as one-hot, multi-hot or count rows."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.index_lookup import as_input, encode_categorical
from tensorflux.ops.preprocessing_func_ops import preprocessing_func

__all__ = ["CategoryEncoding"]

_MODES = ("one_hot", "multi_hot", "count")


class CategoryEncoding(Layer):
    """Encodes integer features in [0, num_tokens) as dense one_hot / multi_hot / count rows.

    >>> import tensorflux as tf
    >>> tf.keras.layers.CategoryEncoding(num_tokens=4)([[0, 1], [3, 3]]).numpy()
    array([[1., 1., 0., 0.],
           [0., 0., 0., 1.]], dtype=float32)

    Args:
        num_tokens: the number of categories; inputs must lie in [0, num_tokens).
        output_mode: ``"multi_hot"`` (default), ``"one_hot"`` or ``"count"``.
        sparse: False (dense outputs only).

    Raises:
        ValueError: a missing ``num_tokens`` or an unknown mode.
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        if "max_tokens" in kwargs:
            num_tokens = kwargs.pop("max_tokens")
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in _MODES:
            raise ValueError(
                f"Unknown `output_mode` {output_mode!r}. Expected one of {list(_MODES)}."
            )
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is "
                "not known beforehand, use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError("`sparse=True` is not supported here: outputs are dense tensors.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def _encode(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values)
        if values.size and (values.min() < 0 or values.max() >= self.num_tokens):
            raise InvalidArgumentError(
                None,
                None,
                "Input values must be in the range 0 <= values < num_tokens with "
                f"num_tokens={self.num_tokens}",
            )
        return encode_categorical(values, self.output_mode, self.num_tokens, self.compute_dtype)

    def __call__(self, inputs, *args, **kwargs):
        return super().__call__(as_input(inputs), *args, **kwargs)

    def call(self, inputs):
        x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
        shape = tuple(x.shape.as_list()) if x.shape.rank is not None else None
        return preprocessing_func(self._encode, x, self.compute_dtype, self._out(shape))

    def _out(self, shape):
        if shape is None:
            return None
        if not shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and shape[-1] != 1:
            return shape + (self.num_tokens,)
        return shape[:-1] + (self.num_tokens,)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(self._out(tuple(TensorShape(input_shape).as_list())))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"num_tokens": self.num_tokens, "output_mode": self.output_mode, "sparse": self.sparse}
        )
        return config
