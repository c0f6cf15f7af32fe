"""``keras.layers.BatchNormalization``: normalizes with batch statistics while training."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.distribute import distributed_training_utils
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.normalization.axes import broadcast_param, normalize_axes
from tensorflux.ops import array_ops, math_ops, nn_ops
from tensorflux.ops.reduction_ops import reduce_prod

__all__ = ["BatchNormalization"]


class BatchNormalization(Layer):
    """Normalizes each feature to zero mean and unit variance, then scales by
    ``gamma`` and shifts by ``beta``.

    With ``training=True`` it uses the statistics of the batch and moves
    ``moving_mean``/``moving_variance`` towards them
    (``moving = moving * momentum + batch * (1 - momentum)``); otherwise (inference,
    and always when ``layer.trainable`` is False) it uses the moving statistics.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.BatchNormalization()
    >>> y = layer(tf.constant([[1.0], [3.0]]), training=True)
    >>> [round(float(v), 3) for v in y[:, 0]], round(float(layer.moving_mean[0]), 3)
    ([-1.0, 1.0], 0.02)

    Args:
        axis: the feature axis (or axes) kept; statistics are taken over the others.
        momentum: the weight of the old value in the moving averages.
        epsilon: added to the variance before its square root.
        center / scale: whether to learn ``beta`` / ``gamma``.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: for the weights.

    Raises:
        ValueError: an ``axis`` outside the input's rank.
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for a in axis if isinstance(axis, (list, tuple)) else [axis]:
            if isinstance(a, bool) or not isinstance(a, int):
                raise TypeError(
                    f"Expected an int or a list/tuple of ints for the argument "
                    f"'axis', but received: {axis!r} (BatchNormalization)."
                )
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        self._axes = normalize_axes(self.axis, input_shape.rank)
        dims = {a: input_shape[a] for a in self._axes}
        self.input_spec = InputSpec(ndim=input_shape.rank, axes=dims)
        if len(self._axes) == 1:
            param_shape = (dims[self._axes[0]],)
        else:
            param_shape = tuple(dims.get(i, 1) for i in range(input_shape.rank))
        # As Keras: 16-bit layers keep float32 statistics and parameters, and
        # normalize in float32 (see ``call``).
        param_dtype = "float32" if self.dtype in ("float16", "bfloat16") else self.dtype
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                "gamma",
                shape=param_shape,
                dtype=param_dtype,
                autocast=False,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                "beta",
                shape=param_shape,
                dtype=param_dtype,
                autocast=False,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.moving_mean = self.add_weight(
            "moving_mean",
            shape=param_shape,
            dtype=param_dtype,
            autocast=False,
            initializer=self.moving_mean_initializer,
            trainable=False,
        )
        self.moving_variance = self.add_weight(
            "moving_variance",
            shape=param_shape,
            dtype=param_dtype,
            autocast=False,
            initializer=self.moving_variance_initializer,
            trainable=False,
        )
        self.built = True

    def call(self, inputs, training=None):
        if not inputs.dtype.is_floating:
            # As Keras: integer inputs are normalised in the layer's dtype (a string cannot be).
            inputs = math_ops.cast(inputs, self._dtype)
        if inputs.dtype.name in ("float16", "bfloat16"):
            # Moments in 16 bits lose too much; the float32 result is rounded once.
            outputs = self._normalize(math_ops.cast(inputs, "float32"), training)
            return math_ops.cast(outputs, inputs.dtype)
        return self._normalize(inputs, training)

    def _normalize(self, inputs, training):
        rank = inputs.shape.rank
        gamma, beta = (broadcast_param(p, self._axes, rank) for p in (self.gamma, self.beta))
        if not (training and self.trainable):
            mean = broadcast_param(self.moving_mean, self._axes, rank)
            variance = broadcast_param(self.moving_variance, self._axes, rank)
            return nn_ops.batch_normalization(inputs, mean, variance, beta, gamma, self.epsilon)
        reduction = [i for i in range(rank) if i not in self._axes]
        mean, variance = nn_ops.moments(inputs, reduction, keepdims=True)
        moving_variance = variance
        if self._uses_unbiased_update(inputs):
            # Keras 2 runs 4-D/5-D float32 channel normalization through TF's fused
            # kernel, which moves the moving variance towards the unbiased estimate.
            count = TensorShape([inputs.shape[i] for i in reduction]).num_elements()
            if count is None:
                # Sizes known only when a traced graph runs.
                n = math_ops.cast(
                    reduce_prod(array_ops.gather(array_ops.shape(inputs), reduction)),
                    variance.dtype,
                )
                moving_variance = variance * (n / math_ops.maximum(n - 1.0, 1.0))
            elif count > 1:
                moving_variance = variance * (count / (count - 1))
        self._update(self.moving_mean, mean)
        self._update(self.moving_variance, moving_variance)
        return nn_ops.batch_normalization(inputs, mean, variance, beta, gamma, self.epsilon)

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(
                    self.moving_variance_initializer
                ),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config

    def _uses_unbiased_update(self, inputs) -> bool:
        rank = inputs.shape.rank
        return (
            rank in (4, 5)
            and inputs.dtype.name in ("float16", "bfloat16", "float32")
            and self._axes in ([1], [rank - 1])
        )

    def _update(self, variable, batch_value) -> None:
        """``variable -= (variable - batch_value) * (1 - momentum)``, as an assign so it
        is also recorded inside ``tf.function``."""
        batch_value = math_ops.cast(batch_value, variable.dtype)
        delta = variable.value() - array_ops.reshape(batch_value, variable.shape.as_list())
        context = distributed_training_utils.aggregation_context()
        if context is not None:
            # Under a strategy TF keeps a copy per replica and reads their mean: the
            # replicas' updates are averaged and applied once to the shared variable.
            delta = context.all_reduce("MEAN", delta)
            context.merge_call(lambda _: variable.assign_sub(delta * (1 - self.momentum)))
            return
        variable.assign_sub(delta * (1 - self.momentum))
