"""``keras.layers.GroupNormalization``: normalizes groups of channels per sample."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops, math_ops, nn_ops, reduction_ops

__all__ = ["GroupNormalization"]


class GroupNormalization(Layer):
    """Splits the channels (``axis``) into ``groups`` groups and normalizes each group
    of each sample to zero mean and unit variance over its channels and all other
    non-batch axes, then applies the per-channel ``gamma`` and ``beta``. One group is
    LayerNormalization over all axes; one group per channel is InstanceNormalization.
    The same in training and inference (no moving statistics).

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.GroupNormalization(groups=2)
    >>> layer(tf.constant([[1.0, 3.0, 5.0, 9.0]])).numpy().round(3)
    array([[-1.,  1., -1.,  1.]], dtype=float32)

    Args:
        groups: the number of groups (``-1``: one per channel); divides the channels.
        axis: the channel axis.
        epsilon: added to the variance.
        center, scale: whether to learn ``beta`` / ``gamma``.
        beta_initializer ... gamma_constraint: for the two weights.

    Raises:
        ValueError: when built, an ``axis`` outside the input's rank, an unknown
            channel count, or ``groups`` larger than or not dividing it.
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        rank = input_shape.rank
        if not rank:
            raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}")
        axis = self.axis + rank if self.axis < 0 else self.axis
        if not 0 <= axis < rank:
            raise ValueError(
                "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank "
                f"(with inputs.rank={rank}). Received: axis={(axis,)}"
            )
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but "
                f"the layer received an input with shape {input_shape}."
            )
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) cannot be more than the number of "
                f"channels ({dim})."
            )
        if dim % self.groups != 0:
            raise ValueError(
                f"Number of groups ({self.groups}) must be a multiple of the number of "
                f"channels ({dim})."
            )
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: dim})
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                shape=(dim,),
                name="gamma",
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                shape=(dim,),
                name="beta",
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.built = True

    def _grouped_shape(self, sizes):
        """``sizes`` with the channel axis split into ``(groups, channels / groups)``
        (a negative ``axis`` counts from the end in the longer list too)."""
        sizes = list(sizes)
        sizes[self.axis] = sizes[self.axis] // self.groups
        sizes.insert(self.axis, self.groups)
        return sizes

    def call(self, inputs, mask=None):
        shape = array_ops.shape(inputs)
        rank = inputs.shape.rank
        grouped = array_ops.stack(self._grouped_shape([shape[i] for i in range(rank)]))
        x = array_ops.reshape(inputs, grouped)
        if mask is None:
            weights = array_ops.ones_like(x)
        else:
            weights = array_ops.reshape(array_ops.broadcast_to(mask, shape), grouped)
            weights = math_ops.cast(weights, x.dtype)
        # Every axis but the batch and the groups axes.
        axes = list(range(1, rank + 1))
        axes.pop(self.axis - 1)
        # tf.nn.weighted_moments' arithmetic: sums times the reciprocal of the weights'
        # sum, the variance around the mean held constant.
        inverse = math_ops.reciprocal(reduction_ops.reduce_sum(weights, axes, keepdims=True))
        mean = reduction_ops.reduce_sum(weights * x, axes, keepdims=True) * inverse
        squares = math_ops.squared_difference(x, array_ops.stop_gradient(mean))
        variance = reduction_ops.reduce_sum(weights * squares, axes, keepdims=True) * inverse
        params = [1] * rank
        params[self.axis] = inputs.shape[self.axis]
        params = self._grouped_shape(params)
        gamma = None if self.gamma is None else array_ops.reshape(self.gamma, params)
        beta = None if self.beta is None else array_ops.reshape(self.beta, params)
        out = nn_ops.batch_normalization(x, mean, variance, beta, gamma, self.epsilon)
        return array_ops.reshape(out, shape)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "groups": self.groups,
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
