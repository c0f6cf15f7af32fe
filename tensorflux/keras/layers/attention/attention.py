"""``keras.layers.Attention``: dot-product (Luong-style) or concat attention."""

from __future__ import annotations

from tensorflux.keras.layers.attention.base_dense_attention import BaseDenseAttention
from tensorflux.ops import math_ops
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import expand_dims
from tensorflux.ops.unary_math_ops import tanh

__all__ = ["Attention"]


class Attention(BaseDenseAttention):
    """Attention whose scores are ``query @ key^T`` (``score_mode="dot"``) or
    ``c * sum(tanh(query + key), -1)`` over all query/key pairs (``"concat"``);
    ``softmax(scores) @ value`` is returned.

    >>> import tensorflux as tf
    >>> query, value = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
    >>> tf.keras.layers.Attention()([query, value]).shape
    TensorShape([2, 3, 4])

    Args:
        use_scale: multiply the scores by a trainable scalar ``scale`` (initially 1).
        score_mode: ``"dot"`` or ``"concat"`` (the latter adds a trainable scalar
            ``concat_score_weight``).
        dropout: the fraction of the attention distribution to drop while training.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]``, shapes
            ``(batch, Tq, dim)`` and ``(batch, Tv, dim)``.
        mask: ``[query_mask, value_mask]`` booleans of shape ``(batch, Tq)`` and
            ``(batch, Tv)``: masked values get no weight, masked queries output 0.
        return_attention_scores: also return the ``(batch, Tq, Tv)`` distribution.
        use_causal_mask: query position ``i`` attends only to positions ``<= i``.

    Raises:
        ValueError: an unknown ``score_mode``, or inputs/masks that are not lists of
            the accepted lengths.
    """

    def __init__(self, use_scale=False, score_mode="dot", **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f'Received: score_mode={score_mode}. Acceptable values are: ["dot", "concat"]'
            )

    def build(self, input_shape) -> None:
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight("scale", shape=(), initializer="ones")
        self.concat_score_weight = None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                "concat_score_weight", shape=(), initializer="ones"
            )
        self.built = True

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = math_ops.matmul(query, key, transpose_b=True)
            if self.scale is not None:
                scores = math_ops.multiply(scores, self.scale)
            return scores
        # Every query/key pair: (batch, Tq, 1, dim) + (batch, 1, Tv, dim).
        pairs = math_ops.add(expand_dims(query, -2), expand_dims(key, -3))
        if self.scale is not None:
            pairs = math_ops.multiply(self.scale, pairs)
        return math_ops.multiply(self.concat_score_weight, reduce_sum(tanh(pairs), axis=-1))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode})
        return config
