"""``SeparableConv``: the base of SeparableConv1D and SeparableConv2D (a ``Conv``, which
handles the arguments, output shape and config keys every convolution has)."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.convolutional.base_conv import Conv
from tensorflux.keras.layers.convolutional.base_depthwise_conv import add_depthwise_kernel
from tensorflux.keras.layers.input_spec import InputSpec

__all__ = ["SeparableConv"]


class SeparableConv(Conv):
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

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        groups=1,
        kernel_initializer="glorot_uniform",
        kernel_regularizer=None,
        kernel_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    @property
    def _allows_causal(self) -> bool:
        return self.rank == 1

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        input_dim = self._input_channel(input_shape)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: input_dim})
        self.depthwise_kernel = add_depthwise_kernel(self, input_dim)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel",
            shape=(1,) * self.rank + (self.depth_multiplier * input_dim, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
                "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
            }
        )
        return config
