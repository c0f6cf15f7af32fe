"""``keras.layers.Dense``: ``activation(inputs @ kernel + bias)``."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations, constraints, initializers, regularizers
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import linalg_ops, math_ops, nn_ops
from tensorflux.ops.sparse.sparse_math_ops import sparse_dense_matmul
from tensorflux.ops.sparse.sparse_tensor import SparseTensor

__all__ = ["Dense"]


class Dense(Layer):
    """A densely connected layer: ``activation(dot(inputs, kernel) + bias)``.

    Inputs of rank greater than 2 are multiplied along their last axis, so
    ``(batch, d0, d1)`` becomes ``(batch, d0, units)``.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.Dense(3, activation="relu")
    >>> layer(tf.ones((2, 4))).shape
    TensorShape([2, 3])

    Args:
        units: the size of the last axis of the output.
        activation: an activation name or function; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers of the weights.
        kernel_regularizer / bias_regularizer: penalties added to ``layer.losses``.
        activity_regularizer: a penalty on the layer's output.
        kernel_constraint / bias_constraint: projections applied after optimizer updates.

    Raises:
        ValueError: a negative ``units``, or inputs whose last dimension is unknown or
            differs from the one the layer was built with.
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units)
        if self.units < 0:
            raise ValueError(
                f"Dense layer {self._name!r} received an invalid value for "
                f"`units`, expected a positive integer. Received: units={units}"
            )
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        last_dim = input_shape[-1]
        if last_dim is None:
            raise ValueError(
                f'Dense layer "{self.name}": the last dimension of the inputs should be '
                f"defined. Found None. Full input shape received: "
                f"{tuple(input_shape.as_list())}"
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
        self.kernel = self.add_weight(
            "kernel",
            shape=(last_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    def call(self, inputs):
        if inputs.dtype != self._dtype:
            inputs = math_ops.cast(inputs, self._dtype)
        rank = inputs.shape.rank
        if isinstance(inputs, SparseTensor):
            # As tf_keras: a sparse batch multiplies the kernel without densifying.
            outputs = sparse_dense_matmul(inputs, self.kernel)
        elif rank == 2:
            outputs = math_ops.matmul(inputs, self.kernel)
        else:
            outputs = linalg_ops.tensordot(inputs, self.kernel, [[rank - 1], [0]])
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape) -> TensorShape:
        input_shape = TensorShape(input_shape)
        if input_shape.rank is not None and input_shape[-1] is None:
            raise ValueError(
                f'Dense layer "{self.name}": the last dimension of the input shape should be '
                f"defined. Found None. Full input shape received: "
                f"{tuple(input_shape.as_list())}"
            )
        return input_shape[:-1].concatenate([self.units])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config
