"""``SeparableConv``: the base of SeparableConv1D and SeparableConv2D."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.convolutional.base_depthwise_conv import (
    channel_axis,
    conv_config,
    init_conv_args,
    spatial_output_shape,
)
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer

__all__ = ["SeparableConv"]


class SeparableConv(Layer):
    """The base of the separable convolutions: a depthwise convolution
    (``depthwise_kernel``, ``kernel_size + (in_channels, depth_multiplier)``) followed by
    a pointwise one that mixes channels (``pointwise_kernel``, ``(1,) * rank +
    (in_channels * depth_multiplier, filters)``), a bias and the activation.

    Subclasses define ``call``. ``kernel_initializer``, ``kernel_regularizer`` and
    ``kernel_constraint`` are accepted and kept in the config as Keras 2 does, unused.

    Args:
        rank: the number of spatial dimensions.
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or ``rank`` ints.
        padding: ``"valid"`` or ``"same"`` (``"causal"`` too for rank 1).
        depth_multiplier: depthwise output channels per input channel.
        data_format, activation, use_bias: as for the other convolutions.
        depthwise_* / pointwise_* / bias_* initializers, regularizers and constraints,
        activity_regularizer: of the weights and outputs.

    Raises:
        ValueError: invalid sizes (Keras' messages), or inputs with an unknown channel
            dimension.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 groups=1, kernel_initializer="glorot_uniform", kernel_regularizer=None,
                 kernel_constraint=None, **kwargs):
        super().__init__(activity_regularizer=regularizers.get(activity_regularizer), **kwargs)
        if isinstance(filters, float):
            filters = int(filters)
        if filters is not None and filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`. Expected a strictly "
                             f"positive value. Received filters={filters}.")
        self.filters = filters
        init_conv_args(self, rank, kernel_size, strides, padding, data_format, dilation_rate,
                       activation, use_bias, bias_initializer, bias_regularizer,
                       bias_constraint, groups, causal_ok=rank == 1)
        if filters is not None and filters % self.groups:
            raise ValueError(f"The number of filters must be evenly divisible by the number of "
                             f"groups. Received: groups={self.groups}, filters={filters}")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        axis = channel_axis(self)
        input_dim = input_shape[axis] if input_shape.rank else None
        if input_dim is None:
            raise ValueError(
                f"The channel dimension of the inputs should be defined. The input_shape "
                f"received is {tuple(input_shape.as_list())}, where axis {axis} (0-based) is "
                f"the channel dimension, which found to be `None`.")
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: input_dim})
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", shape=self.kernel_size + (input_dim, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel",
            shape=(1,) * self.rank + (self.depth_multiplier * input_dim, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias", shape=(self.filters,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        batch = dims[:len(dims) - self.rank - 1]
        first = self.data_format == "channels_first"
        spatial = spatial_output_shape(
            self, dims[len(batch) + 1:] if first else dims[len(batch):-1])
        if any(d is not None and d < 0 for d in spatial):
            raise ValueError(
                f"One of the dimensions in the output is <= 0 due to downsampling in "
                f"{self.name}. Consider increasing the input size. Received input shape "
                f"{dims} which would produce output shape with a zero or negative value in a "
                f"dimension.")
        return TensorShape(batch + [self.filters] + spatial if first
                           else batch + spatial + [self.filters])

    def get_config(self) -> dict:
        config = super().get_config()
        config["filters"] = self.filters
        config.update(conv_config(self))
        config.update({
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
        })
        return config
