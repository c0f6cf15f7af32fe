"""``DepthwiseConv``: the base of DepthwiseConv1D and DepthwiseConv2D (a ``Conv``, which
handles the arguments every convolution takes), and the channels-last helpers the
separable layers share.

Inputs are computed channels-last: channels-first inputs are transposed in and the
outputs back, as Keras 2 does on CPUs (TF's depthwise kernels there take NHWC only).
"""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import constraints, initializers, regularizers
from tensorflux.keras.layers.convolutional.base_conv import Conv
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.ops import array_ops, math_ops

__all__ = ["DepthwiseConv"]


def to_channels_last(layer, inputs):
    if layer.data_format == "channels_last":
        return inputs
    return array_ops.transpose(inputs, [0, *range(2, layer.rank + 2), 1])


def from_channels_last(layer, outputs):
    if layer.data_format == "channels_last":
        return outputs
    return array_ops.transpose(outputs, [0, layer.rank + 1, *range(1, layer.rank + 1)])


def cast_inputs(layer, inputs):
    return inputs if inputs.dtype == layer._dtype else math_ops.cast(inputs, layer._dtype)


def add_depthwise_kernel(layer, input_dim: int):
    """The ``depthwise_kernel`` weight of a depthwise or separable layer."""
    return layer.add_weight(
        "depthwise_kernel",
        shape=layer.kernel_size + (input_dim, layer.depth_multiplier),
        initializer=layer.depthwise_initializer,
        regularizer=layer.depthwise_regularizer,
        constraint=layer.depthwise_constraint,
    )


class DepthwiseConv(Conv):
    """The base of the depthwise convolutions: each input channel is convolved with its
    own ``depth_multiplier`` filters (``depthwise_kernel`` of shape ``kernel_size +
    (in_channels, depth_multiplier)``), then a bias is added and the activation applied.

    Subclasses define ``call`` (the convolution) and ``compute_output_shape``.

    Args:
        rank: the number of spatial dimensions.
        kernel_size, strides, dilation_rate: an int or ``rank`` ints.
        padding: ``"valid"`` or ``"same"``.
        depth_multiplier: output channels per input channel.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        activation, use_bias: as for ``Dense``.
        depthwise_initializer / bias_initializer, depthwise_regularizer /
        bias_regularizer / activity_regularizer, depthwise_constraint / bias_constraint:
            of the weights.

    Raises:
        ValueError: invalid sizes (Keras' messages), inputs of the wrong rank or with an
            unknown channel dimension.
    """

    def __init__(
        self,
        rank,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        groups=1,
        **kwargs,
    ):
        super().__init__(
            rank,
            None,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        if input_shape.rank != self.rank + 2:
            raise ValueError(
                f"Inputs to `DepthwiseConv` should have rank {self.rank + 2}. "
                f"Received input_shape={tuple(input_shape.as_list())}."
            )
        axis = self._channel_axis
        input_dim = input_shape[axis]
        if input_dim is None:
            raise ValueError(
                f"The channel dimension of the inputs to `DepthwiseConv` should be defined. "
                f"The input_shape received is {tuple(input_shape.as_list())}, where axis "
                f"{axis} (0-based) is the channel dimension, which found to be `None`."
            )
        self.depthwise_kernel = add_depthwise_kernel(self, input_dim)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=(input_dim * self.depth_multiplier,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: input_dim})
        self.built = True

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        first = self.data_format == "channels_first"
        spatial = dims[2:] if first else dims[1:-1]
        channels = dims[1] if first else dims[-1]
        out = self._spatial_output_shape(spatial)
        for d in out:
            if d is not None and d < 0:
                raise ValueError(f"Dimension {d} must be >= 0")
        depth = None if channels is None else channels * self.depth_multiplier
        return TensorShape([dims[0], depth, *out] if first else [dims[0], *out, depth])

    def get_config(self) -> dict:
        config = super().get_config()
        # Conv's keys in Conv's order, less the ones of the kernel a depthwise layer has not.
        for key in ("filters", "kernel_initializer", "kernel_regularizer", "kernel_constraint"):
            del config[key]
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            }
        )
        return config
