"""``DepthwiseConv``: the base of DepthwiseConv1D and DepthwiseConv2D, and the argument
handling the separable layers share.

Inputs are computed channels-last: channels-first inputs are transposed in and the
outputs back, as Keras 2 does on CPUs (TF's depthwise kernels there take NHWC only).
"""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations, constraints, initializers, regularizers
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import array_ops, math_ops

__all__ = ["DepthwiseConv"]


def init_conv_args(layer, rank, kernel_size, strides, padding, data_format, dilation_rate,
                   activation, use_bias, bias_initializer, bias_regularizer, bias_constraint,
                   groups, causal_ok):
    """Normalises and checks the arguments every Keras convolution takes, with Keras 2's
    messages, and sets them on ``layer``.

    Raises:
        ValueError: a zero kernel size or stride, causal padding where it is not
            supported, or strides and dilation rates both above 1.
    """
    layer.rank = rank
    layer.groups = groups or 1
    layer.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
    layer.strides = conv_utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
    layer.padding = conv_utils.normalize_padding(padding)
    layer.data_format = conv_utils.normalize_data_format(data_format)
    layer.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
    layer.activation = activations.get(activation)
    layer.use_bias = use_bias
    layer.bias_initializer = initializers.get(bias_initializer)
    layer.bias_regularizer = regularizers.get(bias_regularizer)
    layer.bias_constraint = constraints.get(bias_constraint)
    layer.input_spec = InputSpec(min_ndim=rank + 2)
    if not all(layer.kernel_size):
        raise ValueError(f"The argument `kernel_size` cannot contain 0(s). Received: "
                         f"{layer.kernel_size}")
    if not all(layer.strides):
        raise ValueError(f"The argument `strides` cannot contains 0(s). Received: "
                         f"{layer.strides}")
    if layer.padding == "causal" and not causal_ok:
        raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                         f"Received: strides={layer.strides} and "
                         f"dilation_rate={layer.dilation_rate}")


def channel_axis(layer) -> int:
    return 1 if layer.data_format == "channels_first" else -1


def spatial_output_shape(layer, spatial) -> list:
    """Keras' output lengths of the spatial axes (None stays None)."""
    return [conv_utils.conv_output_length(n, k, layer.padding, s, d)
            for n, k, s, d in zip(spatial, layer.kernel_size, layer.strides,
                                  layer.dilation_rate)]


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


def conv_config(layer) -> dict:
    """The config keys every Keras 2 convolution writes, in Keras' order."""
    return {
        "kernel_size": layer.kernel_size,
        "strides": layer.strides,
        "padding": layer.padding,
        "data_format": layer.data_format,
        "dilation_rate": layer.dilation_rate,
        "groups": layer.groups,
        "activation": activations.serialize(layer.activation),
        "use_bias": layer.use_bias,
    }


class DepthwiseConv(Layer):
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

    def __init__(self, rank, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, groups=1, **kwargs):
        super().__init__(activity_regularizer=regularizers.get(activity_regularizer), **kwargs)
        init_conv_args(self, rank, kernel_size, strides, padding, data_format, dilation_rate,
                       activation, use_bias, bias_initializer, bias_regularizer,
                       bias_constraint, groups, causal_ok=False)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        if input_shape.rank != self.rank + 2:
            raise ValueError(f"Inputs to `DepthwiseConv` should have rank {self.rank + 2}. "
                             f"Received input_shape={tuple(input_shape.as_list())}.")
        axis = channel_axis(self)
        input_dim = input_shape[axis]
        if input_dim is None:
            raise ValueError(
                f"The channel dimension of the inputs to `DepthwiseConv` should be defined. "
                f"The input_shape received is {tuple(input_shape.as_list())}, where axis "
                f"{axis} (0-based) is the channel dimension, which found to be `None`.")
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", shape=self.kernel_size + (input_dim, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias", shape=(input_dim * self.depth_multiplier,),
                initializer=self.bias_initializer, regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: input_dim})
        self.built = True

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        first = self.data_format == "channels_first"
        spatial = dims[2:] if first else dims[1:-1]
        channels = dims[1] if first else dims[-1]
        out = spatial_output_shape(self, spatial)
        for d in out:
            if d is not None and d < 0:
                raise ValueError(f"Dimension {d} must be >= 0")
        depth = None if channels is None else channels * self.depth_multiplier
        return TensorShape([dims[0], depth, *out] if first else [dims[0], *out, depth])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(conv_config(self))
        config.update({
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
        })
        return config
