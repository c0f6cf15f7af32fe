"""The shared part of ``Attention`` and ``AdditiveAttention``: masks, the causal
mask, softmax, dropout on the distribution and the weighted sum of the values."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import math_ops, nn_ops
from tensorflux.ops.creation_ops import range as tf_range
from tensorflux.ops.logic_ops import greater_equal, logical_and, logical_not
from tensorflux.ops.shape_ops import expand_dims, shape

__all__ = ["BaseDenseAttention", "causal_mask"]


def causal_mask(q_len, v_len):
    """A ``(q_len, v_len)`` boolean mask, True where ``row >= column`` (a position
    attends to itself and to those before it); lengths may be ints or scalar tensors."""
    rows = expand_dims(tf_range(q_len), -1)
    cols = expand_dims(tf_range(v_len), 0)
    return greater_equal(rows, cols)


def _length(x, axis):
    dim = x.shape[axis]
    return dim if dim is not None else shape(x)[axis]


class BaseDenseAttention(Layer):
    """Attention over ``[query, value(, key)]`` lists of shape ``(batch, T, dim)``:
    subclasses compute the ``(batch, Tq, Tv)`` scores; this class masks them,
    normalises them with softmax and returns the weighted sum of the values.

    Args:
        dropout: the fraction of the attention distribution to drop while training.

    Raises:
        ValueError: inputs or masks that are not lists of the accepted lengths.
    """

    def __init__(self, dropout=0.0, **kwargs):
        self.causal = kwargs.pop("causal", False)
        super().__init__(**kwargs)
        self.dropout = dropout
        self.supports_masking = True

    def _calculate_scores(self, query, key):
        raise NotImplementedError

    def _apply_scores(self, scores, value, scores_mask=None, training=None):
        if scores_mask is not None:
            # Keras subtracts a large constant rather than using -inf, so a fully
            # masked row stays finite (a uniform distribution).
            big = 65504.0 if scores.dtype == dtypes.float16 else 1.0e9
            padding = math_ops.cast(logical_not(scores_mask), scores.dtype)
            scores = math_ops.subtract(scores, math_ops.multiply(padding, big))
        weights = nn_ops.softmax(scores)
        if training and self.dropout > 0:
            weights = nn_ops.dropout(weights, self.dropout)
        return math_ops.matmul(weights, value), weights

    def call(
        self, inputs, mask=None, training=None, return_attention_scores=False, use_causal_mask=False
    ):
        self._validate_call_args(inputs=inputs, mask=mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._calculate_scores(query=query, key=key)
        scores_mask = None
        if v_mask is not None:
            scores_mask = expand_dims(convert_to_tensor(v_mask), -2)
        if self.causal or use_causal_mask:
            causal = causal_mask(_length(scores, -2), _length(scores, -1))
            scores_mask = causal if scores_mask is None else logical_and(scores_mask, causal)
        result, attention_scores = self._apply_scores(scores, value, scores_mask, training)
        if q_mask is not None:
            q_mask = expand_dims(convert_to_tensor(q_mask), -1)
            result = math_ops.multiply(result, math_ops.cast(q_mask, result.dtype))
        if return_attention_scores:
            return result, attention_scores
        return result

    def compute_mask(self, inputs, mask=None):
        self._validate_call_args(inputs=inputs, mask=mask)
        if mask and mask[0] is not None:
            return convert_to_tensor(mask[0])
        return None

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape[0])

    def _validate_call_args(self, inputs, mask) -> None:
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] "
                f"or [query, value, key]. Received: {inputs}."
            )
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] "
                f"or [query, value, key]. Received length: {len(inputs)}."
            )
        # A bare mask tensor has no truth value: check its type first.
        if (mask is not None and not isinstance(mask, list)) or mask:
            if not isinstance(mask, list):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: {mask}."
                )
            if len(mask) < 2 or len(mask) > len(inputs):
                raise ValueError(
                    f"{name} layer mask must be a list of length 2, namely "
                    f"[query_mask, value_mask]. Received length: {len(mask)}."
                )

    def get_config(self) -> dict:
        config = super().get_config()
        config["dropout"] = self.dropout
        return config
