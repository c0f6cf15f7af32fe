"""The projections inside ``MultiHeadAttention``: an einsum of the inputs with a
kernel, plus a bias over the output's trailing axes (tf_keras builds them as
``EinsumDense`` sublayers named ``query``, ``key``, ``value`` and
``attention_output``; their weights keep those names and shapes)."""

from __future__ import annotations

import string

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import math_ops
from tensorflux.ops.linalg_ops import einsum

__all__ = ["EinsumProjection"]


class EinsumProjection(Layer):
    """Maps inputs ``(*free, *bound)`` to ``(*free, *out_dims)`` with a kernel of shape
    ``(*bound, *out_dims)`` and an optional bias of shape ``out_dims``.

    Args:
        bound_dims: how many trailing input axes are contracted with the kernel.
        out_dims: the sizes of the output's trailing axes.
        use_bias: whether to add the bias.
        kernel_initializer ... bias_constraint: as ``Dense``'s.
    """

    def __init__(
        self,
        bound_dims,
        out_dims,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.bound_dims = int(bound_dims)
        self.out_dims = tuple(int(d) for d in out_dims)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        free = input_shape.rank - self.bound_dims
        letters = string.ascii_lowercase
        inputs = letters[: input_shape.rank]
        outs = letters[input_shape.rank : input_shape.rank + len(self.out_dims)]
        self.equation = f"{inputs},{inputs[free:]}{outs}->{inputs[:free]}{outs}"
        self.kernel = self.add_weight(
            "kernel",
            shape=tuple(input_shape.as_list()[free:]) + self.out_dims,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=self.out_dims,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    def call(self, inputs):
        outputs = einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = math_ops.add(outputs, self.bias)
        return outputs

    def compute_output_shape(self, input_shape) -> TensorShape:
        input_shape = TensorShape(input_shape)
        return input_shape[: input_shape.rank - self.bound_dims].concatenate(self.out_dims)
