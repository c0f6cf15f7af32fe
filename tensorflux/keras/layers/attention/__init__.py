"""Attention layers: dot-product / concat ``Attention``, ``AdditiveAttention`` and
``MultiHeadAttention``."""

from tensorflux.keras.layers.attention.additive_attention import AdditiveAttention  # noqa: F401
from tensorflux.keras.layers.attention.attention import Attention  # noqa: F401
from tensorflux.keras.layers.attention.multi_head_attention import (  # noqa: F401
    MultiHeadAttention,
)
