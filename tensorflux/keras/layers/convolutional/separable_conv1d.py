"""``keras.layers.SeparableConv1D``: depthwise, then pointwise 1-D convolution."""

from __future__ import annotations

from tensorflux.keras.layers.convolutional.base_depthwise_conv import (
    cast_inputs,
    from_channels_last,
    to_channels_last,
)
from tensorflux.keras.layers.convolutional.base_separable_conv import SeparableConv
from tensorflux.ops import array_ops, depthwise_conv_ops, nn_ops

__all__ = ["SeparableConv1D", "SeparableConvolution1D"]


class SeparableConv1D(SeparableConv):
    """Separable 1-D convolution: a depthwise convolution of each input channel, then a
    pointwise one mixing the ``in_channels * depth_multiplier`` results into ``filters``
    channels, a bias and the activation. ``padding="causal"`` pads the start of the
    sequence only, so an output step never sees later inputs.

    Its weights are ``depthwise_kernel`` ``(k, in_channels, depth_multiplier)``,
    ``pointwise_kernel`` ``(1, in_channels * depth_multiplier, filters)`` and ``bias``
    ``(filters,)``. It runs as a 2-D separable convolution over a height of 1, as
    Keras does.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.SeparableConv1D(4, 3, padding="causal")
    >>> layer(tf.ones((1, 6, 2))).shape
    TensorShape([1, 6, 4])

    Args:
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or a tuple of 1 int (strides and
            dilation_rate not both above 1).
        padding: ``"valid"``, ``"same"`` or ``"causal"``.
        data_format, depth_multiplier, activation, use_bias, and the depthwise_,
        pointwise_ and bias_ initializers, regularizers and constraints,
        activity_regularizer: as for ``SeparableConv2D``.

    Raises:
        ValueError: invalid arguments, inputs not of rank 3 or with an unknown channel
            dimension, or channels that differ from those the layer was built for.
    """

    def __init__(
        self,
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
        **kwargs,
    ):
        super().__init__(
            1,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            depth_multiplier=depth_multiplier,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )

    def call(self, inputs):
        x = to_channels_last(self, cast_inputs(self, inputs))
        padding = self.padding
        if padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            x = array_ops.pad(x, [[0, 0], [left, 0], [0, 0]])
            padding = "valid"
        # TF's CPU kernel takes equal strides only: the height of 1 is strided too.
        stride = self.strides[0]
        outputs = depthwise_conv_ops.separable_conv2d(
            array_ops.expand_dims(x, 1),
            array_ops.expand_dims(self.depthwise_kernel, 0),
            array_ops.expand_dims(self.pointwise_kernel, 0),
            strides=(1, stride, stride, 1),
            padding=padding.upper(),
            dilations=(1, self.dilation_rate[0]),
        )
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        outputs = from_channels_last(self, array_ops.squeeze(outputs, [1]))
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


SeparableConvolution1D = SeparableConv1D
