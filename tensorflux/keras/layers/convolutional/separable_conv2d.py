"""``keras.layers.SeparableConv2D``: depthwise, then pointwise 2-D convolution."""

from __future__ import annotations

from tensorflux.keras.layers.convolutional.base_depthwise_conv import (
    cast_inputs,
    from_channels_last,
    to_channels_last,
)
from tensorflux.keras.layers.convolutional.base_separable_conv import SeparableConv
from tensorflux.ops import depthwise_conv_ops, nn_ops

__all__ = ["SeparableConv2D", "SeparableConvolution2D"]


class SeparableConv2D(SeparableConv):
    """Separable 2-D convolution: a depthwise convolution of each input channel, then a
    1x1 convolution mixing the ``in_channels * depth_multiplier`` results into
    ``filters`` channels (``tf.nn.separable_conv2d``), a bias and the activation.

    Its weights are ``depthwise_kernel`` ``(kh, kw, in_channels, depth_multiplier)``,
    ``pointwise_kernel`` ``(1, 1, in_channels * depth_multiplier, filters)`` and
    ``bias`` ``(filters,)``.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.SeparableConv2D(4, 3, padding="same")
    >>> layer(tf.ones((1, 5, 5, 3))).shape
    TensorShape([1, 5, 5, 4])

    Args:
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or 2 ints (strides and dilation_rate
            not both above 1).
        padding: ``"valid"`` or ``"same"``.
        data_format, depth_multiplier, activation, use_bias, and the depthwise_,
        pointwise_ and bias_ initializers, regularizers and constraints,
        activity_regularizer: as in Keras.

    Raises:
        ValueError: invalid arguments, inputs not of rank 4 or with an unknown channel
            dimension, or channels that differ from those the layer was built for.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
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
            2,
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
        outputs = depthwise_conv_ops.separable_conv2d(
            x,
            self.depthwise_kernel,
            self.pointwise_kernel,
            strides=(1, *self.strides, 1),
            padding=self.padding.upper(),
            dilations=self.dilation_rate,
        )
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        outputs = from_channels_last(self, outputs)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


SeparableConvolution2D = SeparableConv2D
