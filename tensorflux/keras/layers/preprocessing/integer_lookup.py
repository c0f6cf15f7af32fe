"""``keras.layers.IntegerLookup``: integers to vocabulary indices (or back, with ``invert``)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.keras.layers.preprocessing.index_lookup import IndexLookup

__all__ = ["IntegerLookup"]


class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices through a vocabulary learned by ``adapt`` or given.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.IntegerLookup(vocabulary=[12, 36])
    >>> layer([[12, 7, 36]]).numpy()
    array([[1, 0, 2]])

    Args:
        max_tokens: the largest vocabulary (mask and OOV indices included), or None.
        num_oov_indices: indices for out-of-vocabulary values (several: ``value mod n``).
        mask_token: a value that maps to index 0 (``int`` mode), or None.
        oov_token: the value ``invert`` returns for OOV indices (-1).
        vocabulary: a list or array of integers, or a text file's path (one per line).
        vocabulary_dtype: ``"int64"``.
        idf_weights, invert, output_mode, pad_to_max_tokens: as StringLookup.

    Raises:
        ValueError: invalid settings (Keras 2's checks and messages).
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        **kwargs,
    ):
        if not kwargs.get("dtype"):
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        if max_tokens is not None and max_tokens <= 0:
            raise ValueError(
                f"If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. "
                f"Received: max_tokens={max_tokens}."
            )
        self._vocabulary_dtype_name = dtypes.as_dtype(vocabulary_dtype).name
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=None if mask_token is None else int(mask_token),
            oov_token=None if oov_token is None else int(oov_token),
            vocabulary_dtype=dtypes.as_dtype(vocabulary_dtype),
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            **kwargs,
        )

    def _tokens(self, values) -> list:
        values = np.asarray(values)
        if values.dtype.kind in "SUO":
            values = values.astype(np.int64)
        return [int(v) for v in values]

    def _show(self, token):
        return token

    def _vocabulary_entry(self, token, special=False):
        return self.vocabulary_dtype.as_numpy_dtype(token)

    def _oov_bucket(self, token) -> int:
        return token % self.num_oov_indices

    def get_config(self) -> dict:
        config = super().get_config()
        config["vocabulary_dtype"] = self._vocabulary_dtype_name
        return config
