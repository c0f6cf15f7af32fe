"""``keras.layers.StringLookup``: strings to vocabulary indices (or back, with ``invert``)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.keras.layers.preprocessing.index_lookup import IndexLookup
from tensorflux.keras.layers.preprocessing.string_hashing import fingerprint64

__all__ = ["StringLookup"]


def to_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, np.bytes_):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(
        f"StringLookup expects string tokens, got {value!r} of type {type(value).__name__}. "
        "Convert the inputs to strings first (tf.strings.as_string)."
    )


class StringLookup(IndexLookup):
    """Maps strings to integer indices through a vocabulary learned by ``adapt`` or given.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.StringLookup(vocabulary=["a", "b"])
    >>> layer([["a", "z", "b"]]).numpy()
    array([[1, 0, 2]])

    Args:
        max_tokens: the largest vocabulary (mask and OOV indices included), or None.
        num_oov_indices: indices for out-of-vocabulary tokens (several: by FarmHash).
        mask_token: a token that maps to index 0 (``int`` mode), or None.
        oov_token: the token ``invert`` returns for OOV indices.
        vocabulary: a list or array of tokens, or a text file's path (one per line).
        idf_weights: the idf weight of each vocabulary token (``tf_idf`` mode only).
        invert: map indices back to tokens.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: encoded outputs have ``max_tokens`` columns.
        encoding: the text encoding of the tokens (``"utf-8"``).

    Raises:
        ValueError: invalid settings (Keras 2's checks and messages).
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        encoding="utf-8",
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        **kwargs,
    ):
        if not kwargs.get("dtype"):
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        self.encoding = encoding
        self._mask_str, self._oov_str = mask_token, oov_token
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=None if mask_token is None else to_bytes(mask_token),
            oov_token=to_bytes(oov_token),
            vocabulary_dtype=dtypes.string,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            **kwargs,
        )

    def _tokens(self, values) -> list:
        return [to_bytes(v) for v in values]

    def _show(self, token):
        return token.decode("utf-8", errors="replace")

    def _vocabulary_entry(self, token, special=False):
        shown = self._show(token)
        return shown if special else np.str_(shown)

    def _oov_bucket(self, token) -> int:
        # tf.strings.to_hash_bucket_fast, as Keras 2 spreads OOV strings.
        return fingerprint64(token) % self.num_oov_indices

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"oov_token": self._oov_str, "mask_token": self._mask_str, "encoding": self.encoding}
        )
        return config
