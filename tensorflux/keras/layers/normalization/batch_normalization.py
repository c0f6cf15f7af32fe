"""``keras.layers.BatchNormalization``: normalizes with batch statistics while training."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.framework.variable_enums import VariableAggregation, VariableSynchronization
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.distribute import distributed_training_utils
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.normalization.axes import broadcast_param, normalize_axes
from tensorflux.ops import array_ops, creation_ops, math_ops, nn_ops
from tensorflux.ops.fused_batch_norm_ops import fused_batch_norm_v3

__all__ = ["BatchNormalization"]

# The axes Keras 2 may hand to TF's fused kernel (1 or 3 of 4-D, 1 or 4 of 5-D inputs).
_FUSED_AXES = (-4, -3, -1, 1, 3, 4)
_FUSED_DTYPES = ("float16", "bfloat16", "float32")


class BatchNormalization(Layer):
    """Normalizes each feature to zero mean and unit variance, then scales by
    ``gamma`` and shifts by ``beta``.

    With ``training=True`` it uses the statistics of the batch and moves
    ``moving_mean``/``moving_variance`` towards them
    (``moving = moving * momentum + batch * (1 - momentum)``); otherwise (inference,
    and always when ``layer.trainable`` is False) it uses the moving statistics.
    As Keras 2, 4-D and 5-D float inputs normalized along their channel axis (first or
    last) run as one ``FusedBatchNormV3`` op, which moves the moving variance towards the
    unbiased batch variance.

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
        self._data_format = self._fused_data_format(input_shape.rank)
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
            synchronization=VariableSynchronization.ON_READ,
            aggregation=VariableAggregation.MEAN,
        )
        self.moving_variance = self.add_weight(
            "moving_variance",
            shape=param_shape,
            dtype=param_dtype,
            autocast=False,
            initializer=self.moving_variance_initializer,
            trainable=False,
            synchronization=VariableSynchronization.ON_READ,
            aggregation=VariableAggregation.MEAN,
        )
        self.built = True

    def call(self, inputs, training=None):
        if not inputs.dtype.is_floating:
            # As Keras: integer inputs are normalised in the layer's dtype (a string cannot be).
            inputs = math_ops.cast(inputs, self._dtype)
        if self._data_format is not None and inputs.dtype.name in _FUSED_DTYPES:
            return self._fused_normalize(inputs, bool(training and self.trainable))
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
        self._update(self.moving_mean, mean)
        self._update(self.moving_variance, variance)
        return nn_ops.batch_normalization(inputs, mean, variance, beta, gamma, self.epsilon)

    def _fused_data_format(self, rank):
        """TF's data format when Keras 2 runs this layer as one fused op, else None."""
        axis = self.axis if isinstance(self.axis, list) else [self.axis]
        fusable = len(axis) == 1 and axis[0] in _FUSED_AXES and rank in (4, 5)
        if not fusable or self.compute_dtype not in _FUSED_DTYPES:
            return None
        if self._axes == [1]:
            return "NCHW" if rank == 4 else "NCDHW"
        if self._axes == [rank - 1]:
            return "NHWC" if rank == 4 else "NDHWC"
        if rank == 4:
            raise ValueError(
                "Unsupported axis. The use of `fused=True` is only possible with `axis=1` or "
                f"`axis=3` for 4D input tensors. Received: axis={tuple(self._axes)}"
            )
        return None  # 5-D inputs along a middle axis: Keras 2 does not fuse them either

    def _fused_normalize(self, inputs, training):
        """One FusedBatchNormV3; with training its running averages (``1 - momentum``
        weighting the batch, the variance unbiased) become the moving statistics."""
        shape = self.moving_mean.shape
        gamma = self.gamma if self.scale else creation_ops.ones(shape, "float32")
        beta = self.beta if self.center else creation_ops.zeros(shape, "float32")
        y, mean, variance, *_ = fused_batch_norm_v3(
            inputs,
            gamma,
            beta,
            self.moving_mean,
            self.moving_variance,
            epsilon=self.epsilon,
            exponential_avg_factor=1.0 - self.momentum if training else 1.0,
            data_format=self._data_format,
            is_training=training,
        )
        if training:
            self._assign_running(self.moving_mean, mean)
            self._assign_running(self.moving_variance, variance)
        return y

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

    def _assign_running(self, variable, value) -> None:
        context = distributed_training_utils.aggregation_context()
        if context is not None:
            # Under a strategy TF keeps a copy per replica and reads their mean: the
            # replicas' new values are averaged into the shared variable.
            delta = context.all_reduce("MEAN", variable.value() - value)
            context.merge_call(lambda _: variable.assign_sub(delta))
            return
        variable.assign(value)

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
