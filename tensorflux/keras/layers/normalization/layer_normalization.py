"""``keras.layers.LayerNormalization``: normalizes each example over its features."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.normalization.axes import broadcast_param, normalize_axes
from tensorflux.ops import math_ops, nn_ops

__all__ = ["LayerNormalization"]


class LayerNormalization(Layer):
    """Normalizes each example to zero mean and unit variance over ``axis``, then
    scales by ``gamma`` and shifts by ``beta`` (weights with the shape of those axes).
    The same in training and inference.

    >>> import tensorflux as tf
    >>> y = tf.keras.layers.LayerNormalization()(tf.constant([[1.0, 3.0]]))
    >>> [round(float(v), 4) for v in y[0]]
    [-0.9995, 0.9995]

    Args:
        axis: the axis (or list of axes) normalized over.
        epsilon: added to the variance before its square root.
        center / scale: whether to learn ``beta`` / ``gamma``.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: for the weights.

    Raises:
        ValueError: an ``axis`` outside the input's rank.
    """

    def __init__(
        self,
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
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        self._axes = normalize_axes(self.axis, input_shape.rank)
        param_shape = tuple(input_shape[a] for a in self._axes)
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                "gamma",
                shape=param_shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
            )
        if self.center:
            self.beta = self.add_weight(
                "beta",
                shape=param_shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
            )
        self.built = True

    def call(self, inputs):
        rank = inputs.shape.rank
        input_dtype = inputs.dtype
        if input_dtype.name in ("float16", "bfloat16") and self.dtype == "float32":
            # Mixed precision: the moments in float32, as Keras computes them.
            inputs = math_ops.cast(inputs, "float32")
        mean, variance = nn_ops.moments(inputs, self._axes, keepdims=True)
        gamma, beta = (broadcast_param(p, self._axes, rank) for p in (self.gamma, self.beta))
        outputs = nn_ops.batch_normalization(inputs, mean, variance, beta, gamma, self.epsilon)
        return math_ops.cast(outputs, input_dtype) if outputs.dtype != input_dtype else outputs

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
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
