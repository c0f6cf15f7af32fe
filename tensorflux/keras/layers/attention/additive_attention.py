"""``keras.layers.AdditiveAttention``: Bahdanau-style attention."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.attention.base_dense_attention import BaseDenseAttention
from tensorflux.ops import math_ops
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import expand_dims
from tensorflux.ops.unary_math_ops import tanh

__all__ = ["AdditiveAttention"]


class AdditiveAttention(BaseDenseAttention):
    """Attention whose scores are ``sum(scale * tanh(query + key), -1)`` over all
    query/key pairs; ``softmax(scores) @ value`` is returned.

    >>> import tensorflux as tf
    >>> query, value = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
    >>> tf.keras.layers.AdditiveAttention()([query, value]).shape
    TensorShape([2, 3, 4])

    Args:
        use_scale: weight the features by a trainable vector ``scale`` of the value's
            last dimension (glorot-uniform initialised); otherwise they are summed.
        dropout: the fraction of the attention distribution to drop while training.

    Call arguments: as ``Attention``'s (``inputs``, ``mask``, ``training``,
    ``return_attention_scores``, ``use_causal_mask``).

    Raises:
        ValueError: inputs or masks that are not lists of the accepted lengths.
    """

    def __init__(self, use_scale=True, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale

    def build(self, input_shape) -> None:
        dim = TensorShape(input_shape[1])[-1]
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight("scale", shape=(dim,), initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        pairs = tanh(math_ops.add(expand_dims(query, -2), expand_dims(key, -3)))
        if self.scale is not None:
            pairs = math_ops.multiply(self.scale, pairs)
        return reduce_sum(pairs, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        config["use_scale"] = self.use_scale
        return config
