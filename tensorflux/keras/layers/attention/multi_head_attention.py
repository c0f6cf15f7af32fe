"""``keras.layers.MultiHeadAttention``: scaled dot-product attention with several
heads, over one or more attention axes."""

from __future__ import annotations

import collections.abc
import math
import string

from tensorflux.framework import dtypes
from tensorflux.framework.name_scope import name_scope
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.activations.softmax import Softmax
from tensorflux.keras.layers.attention.base_dense_attention import _length, causal_mask
from tensorflux.keras.layers.attention.einsum_projection import EinsumProjection
from tensorflux.keras.layers.layer import Layer, get_mask
from tensorflux.keras.layers.regularization.dropout import Dropout
from tensorflux.keras.layers.rnn.cell_utils import weights_scope
from tensorflux.ops import math_ops
from tensorflux.ops.linalg_ops import einsum
from tensorflux.ops.logic_ops import logical_and
from tensorflux.ops.shape_ops import expand_dims

__all__ = ["MultiHeadAttention"]


def _attention_equations(rank: int, attn_axes: tuple) -> tuple:
    """Einsum equations over projected tensors of ``rank`` (``(batch, *axes, heads,
    dim)``): ``key, query -> scores`` and ``scores, value -> output``. The scores have
    the batch-like axes (all but the attention axes and the last), then the query's
    attention axes, then the key's; returns also the scores' rank."""
    letters = string.ascii_lowercase
    query = letters[:rank]
    key = list(query)
    fresh = iter(letters[rank:])
    for axis in attn_axes:
        key[axis] = next(fresh)
    key = "".join(key)
    batch = [query[i] for i in range(rank - 1) if i not in attn_axes]
    scores = "".join(batch + [query[i] for i in attn_axes] + [key[i] for i in attn_axes])
    return f"{key},{query}->{scores}", f"{scores},{key}->{query}", len(scores)


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017): query, key and value are projected
    to ``num_heads`` heads, each head computes ``softmax(q k^T / sqrt(key_dim)) v``
    over the attention axes, and the heads are projected back together.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    >>> query, value = tf.ones((2, 4, 5)), tf.ones((2, 6, 5))
    >>> out, scores = layer(query, value, return_attention_scores=True)
    >>> out.shape, scores.shape
    (TensorShape([2, 4, 5]), TensorShape([2, 2, 4, 6]))

    Args:
        num_heads: the number of heads.
        key_dim: the size of each head for query and key.
        value_dim: the size of each head for value (default ``key_dim``).
        dropout: the fraction of the attention distribution to drop while training.
        use_bias: whether the projections have biases.
        output_shape: the trailing shape of the output (an int or a tuple; default the
            query's last dimension).
        attention_axes: the axes attention runs over (default all axes but batch,
            heads and features).
        kernel_initializer ... bias_constraint: for the projections' weights.
        softmax_robust_masking: mask with ``where`` instead of adding a large negative.

    Call arguments:
        query: ``(batch, Tq, dim)`` (or more attention axes).
        value: ``(batch, Tv, dim)``.
        key: ``(batch, Tv, key_dim_in)``; default ``value``.
        attention_mask: booleans ``(batch, Tq, Tv)``, True where attention is allowed.
        return_attention_scores: also return the ``(batch, heads, Tq, Tv)`` scores.
        training: applies dropout when True.
        use_causal_mask: query position ``i`` attends only to positions ``<= i``.

    Raises:
        ValueError: from ``compute_output_shape``, query and value with different
            last dimensions or key and value with different inner dimensions.
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        softmax_robust_masking=False,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._output_shape = output_shape
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self._softmax_robust_masking = softmax_robust_masking
        if attention_axes is not None and not isinstance(attention_axes, collections.abc.Sized):
            attention_axes = (attention_axes,)
        self._attention_axes = attention_axes
        self._built_from_signature = False
        self._query_shape, self._key_shape, self._value_shape = None, None, None

    def build(self, input_shape) -> None:
        # The projections need the shapes of query, value and key together, so they
        # are made on the first call (or by from_config), as tf_keras does.
        self.built = True

    def _build_from_signature(self, query, value, key=None) -> None:
        def as_shape(x):
            return TensorShape(x.shape if hasattr(x, "shape") else x)

        self._built_from_signature = True
        self._query_shape = as_shape(query)
        self._value_shape = as_shape(value)
        self._key_shape = self._value_shape if key is None else as_shape(key)
        heads = self._num_heads
        self._query_dense = self._projection("query", self._query_shape, 1, (heads, self._key_dim))
        self._key_dense = self._projection("key", self._key_shape, 1, (heads, self._key_dim))
        self._value_dense = self._projection(
            "value", self._value_shape, 1, (heads, self._value_dim)
        )
        rank = self._query_shape.rank + 1  # the projected tensors' rank
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(self._attention_axes)
        self._dot_product_equation, self._combine_equation, scores_rank = _attention_equations(
            rank, self._attention_axes
        )
        n = len(self._attention_axes)
        self._softmax = Softmax(
            axis=tuple(range(scores_rank - n, scores_rank)),
            robust_masking=self._softmax_robust_masking,
            dtype=self.dtype,
        )
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype)
        if self._output_shape:
            out_dims = self._output_shape
            if not isinstance(out_dims, collections.abc.Sized):
                out_dims = (out_dims,)
        else:
            out_dims = (self._query_shape[-1],)
        projected = self._query_shape[:-1].concatenate((heads, self._value_dim))
        self._output_dense = self._projection("attention_output", projected, 2, out_dims)

    def _projection(self, name, input_shape, bound_dims, out_dims) -> EinsumProjection:
        layer = EinsumProjection(
            bound_dims,
            out_dims,
            use_bias=self._use_bias,
            kernel_initializer=self._kernel_initializer.__class__.from_config(
                self._kernel_initializer.get_config()
            ),
            bias_initializer=self._bias_initializer.__class__.from_config(
                self._bias_initializer.get_config()
            ),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self.activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint,
            name=name,
            dtype=self.dtype,
        )
        with weights_scope(layer):
            layer.build(input_shape)
        return layer

    def call(
        self,
        query,
        value,
        key=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        if not self._built_from_signature:
            self._build_from_signature(query=query, value=value, key=key)
        if key is None:
            key = value
        attention_mask = self._compute_attention_mask(
            query, value, key, attention_mask, use_causal_mask
        )
        query = self._query_dense(query)
        key = self._key_dense(key)
        value = self._value_dense(value)
        output, scores = self._compute_attention(query, key, value, attention_mask, training)
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        # Scaling the query rather than the scores is the cheaper of the two.
        query = math_ops.multiply(query, 1.0 / math.sqrt(float(self._key_dim)))
        scores = einsum(self._dot_product_equation, key, query)
        if attention_mask is not None:
            # (batch, Tq, Tv) -> (batch, 1, Tq, Tv): one mask for every head.
            axis = -len(self._attention_axes) * 2 - 1
            for _ in range(scores.shape.rank - attention_mask.shape.rank):
                attention_mask = expand_dims(attention_mask, axis)
        scores = self._softmax(scores, mask=attention_mask)
        dropped = self._dropout_layer(scores, training=training)
        return einsum(self._combine_equation, dropped, value), scores

    def _compute_attention_mask(self, query, value, key, attention_mask, use_causal_mask):
        masks = []
        for x, axis in ((query, -1), (value, -2), (key, -2)):
            mask = get_mask(x)
            if mask is not None:
                masks.append(expand_dims(math_ops.cast(mask, dtypes.bool), axis))
        if use_causal_mask:
            causal = causal_mask(_length(query, 1), _length(value, 1))
            masks.append(expand_dims(causal, 0))
        if not masks:
            return attention_mask
        auto = masks[0]
        for mask in masks[1:]:
            auto = logical_and(auto, mask)
        if attention_mask is None:
            return auto
        return logical_and(math_ops.cast(convert_to_tensor(attention_mask), dtypes.bool), auto)

    def compute_output_shape(self, query_shape, value_shape, key_shape=None) -> TensorShape:
        if key_shape is None:
            key_shape = value_shape
        query_shape = TensorShape(query_shape)
        value_shape = TensorShape(value_shape)
        key_shape = TensorShape(key_shape)
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                "The last dimension of `query_shape` and `value_shape` must be equal, but "
                f"are {query_shape[-1]}, {value_shape[-1]}. Received: "
                f"query_shape={query_shape}, value_shape={value_shape}"
            )
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received {value_shape} and {key_shape}"
            )
        if self._output_shape:
            out = self._output_shape
            if not isinstance(out, collections.abc.Sized):
                out = (out,)
            return query_shape[:-1].concatenate(out)
        return query_shape

    def get_config(self) -> dict:
        def listed(shape):
            return None if shape is None else shape.as_list()

        config = super().get_config()
        config.update(
            {
                "num_heads": self._num_heads,
                "key_dim": self._key_dim,
                "value_dim": self._value_dim,
                "dropout": self._dropout,
                "use_bias": self._use_bias,
                "output_shape": self._output_shape,
                "attention_axes": self._attention_axes,
                "kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self._bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self._kernel_constraint),
                "bias_constraint": constraints.serialize(self._bias_constraint),
                "query_shape": listed(self._query_shape),
                "key_shape": listed(self._key_shape),
                "value_shape": listed(self._value_shape),
                "softmax_robust_masking": self._softmax_robust_masking,
            }
        )
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        query_shape = config.pop("query_shape")
        key_shape = config.pop("key_shape")
        value_shape = config.pop("value_shape")
        layer = cls(**config)
        if None not in (query_shape, key_shape, value_shape):
            # Named as when built by the layer's first call, under its name.
            with name_scope(layer.name):
                layer._build_from_signature(query_shape, value_shape, key_shape)
        return layer
