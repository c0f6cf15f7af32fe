"""``keras.layers.Hashing``: strings or integers to ``num_bins`` buckets by TF's hashes
(FarmHash Fingerprint64, or keyed SipHash-2-4 when salted), so bins agree with TF."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.index_lookup import as_input, encode_categorical
from tensorflux.keras.layers.preprocessing.string_hashing import fingerprint64, siphash24
from tensorflux.ops.preprocessing_func_ops import preprocessing_func

__all__ = ["Hashing"]

_MODES = ("int", "one_hot", "multi_hot", "count")


class Hashing(Layer):
    """Hashes strings (integers as their decimal text) into ``num_bins`` bins.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Hashing(num_bins=3)([["A"], ["B"], ["C"]]).numpy()
    array([[1],
           [0],
           [1]])

    Args:
        num_bins: the number of bins (bin 0 is reserved for ``mask_value`` if set).
        mask_value: a value hashed to bin 0, or None.
        salt: None (FarmHash), an int, or a pair of ints (the SipHash key).
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: False (dense outputs only).

    Raises:
        ValueError: a bad ``num_bins``, ``salt`` or ``output_mode``.
    """

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ):
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins}."
            )
        if not kwargs.get("dtype"):
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        elif output_mode == "int" and not dtypes.as_dtype(kwargs["dtype"]).is_integer:
            kwargs["dtype"] = "int64"
        super().__init__(**kwargs)
        if output_mode not in _MODES:
            raise ValueError(
                f"Unknown value for `output_mode`. Allowed values are: {_MODES}. "
                f"Received: {output_mode}"
            )
        if sparse:
            raise ValueError("`sparse=True` is not supported here: outputs are dense tensors.")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = salt
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `Hashing` can only be a tuple of size 2 "
                    f"integers, or a single integer. Received: salt={salt}."
                )

    def _bins(self, values: np.ndarray) -> np.ndarray:
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask_value = self.mask_value
            if values.dtype == object and isinstance(mask_value, str):
                mask_value = mask_value.encode("utf-8")
            mask = values == mask_value
        if values.dtype.kind in "iu":
            texts = [str(int(v)).encode() for v in values.reshape(-1)]
        else:
            texts = [
                v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in values.reshape(-1)
            ]
        if self.salt is not None:
            key = (self.salt[0], self.salt[1])
            hashed = [siphash24(key, t) % bins for t in texts]
        else:
            hashed = [fingerprint64(t) % bins for t in texts]
        out = np.array(hashed, np.int64).reshape(values.shape)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def _compute(self, values: np.ndarray) -> np.ndarray:
        indices = self._bins(np.asarray(values))
        if self.output_mode == "int":
            return indices.astype(np.dtype(self.compute_dtype))
        return encode_categorical(indices, self.output_mode, self.num_bins, self.compute_dtype)

    def _out(self, shape):
        if shape is None or self.output_mode == "int":
            return shape
        if not shape:
            return (self.num_bins,)
        if self.output_mode == "one_hot" and shape[-1] != 1:
            return shape + (self.num_bins,)
        return shape[:-1] + (self.num_bins,)

    def __call__(self, inputs, *args, **kwargs):
        return super().__call__(as_input(inputs), *args, **kwargs)

    def call(self, inputs):
        x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
        if x.dtype is not dtypes.string and not x.dtype.is_integer:
            raise TypeError(
                f"Hashing takes strings or integers, got a tensor of dtype {x.dtype.name}. "
                "Convert floats first (tf.strings.as_string, or bucketize with Discretization)."
            )
        shape = tuple(x.shape.as_list()) if x.shape.rank is not None else None
        return preprocessing_func(self._compute, x, self.compute_dtype, self._out(shape))

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(self._out(tuple(TensorShape(input_shape).as_list())))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "num_bins": self.num_bins,
                "salt": self.salt,
                "mask_value": self.mask_value,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config
