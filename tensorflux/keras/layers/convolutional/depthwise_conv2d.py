"""``keras.layers.DepthwiseConv2D``: a depthwise 2-D convolution, bias and activation."""

from __future__ import annotations

from tensorflux.keras.layers.convolutional.base_depthwise_conv import (
    DepthwiseConv,
    cast_inputs,
    from_channels_last,
    to_channels_last,
)
from tensorflux.ops import depthwise_conv_ops, nn_ops

__all__ = ["DepthwiseConv2D"]


class DepthwiseConv2D(DepthwiseConv):
    """Depthwise 2-D convolution: each input channel is convolved with its own
    ``depth_multiplier`` filters, giving ``in_channels * depth_multiplier`` channels.

    Its weights are ``depthwise_kernel`` of shape ``(kh, kw, in_channels,
    depth_multiplier)`` and ``bias`` of shape ``(in_channels * depth_multiplier,)``.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same")
    >>> layer(tf.ones((1, 5, 5, 3))).shape
    TensorShape([1, 5, 5, 6])

    Args:
        kernel_size: an int or 2 ints, the window's height and width.
        strides, dilation_rate: an int or 2 ints (not both above 1).
        padding: ``"valid"`` or ``"same"``.
        depth_multiplier: output channels per input channel.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        activation, use_bias, depthwise_initializer, bias_initializer,
        depthwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, bias_constraint: as in Keras.

    Raises:
        ValueError: invalid arguments, inputs not of rank 4 or with an unknown channel
            dimension, or inputs whose channels differ from those the layer was built for.
    """

    def __init__(
        self,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            2,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            depth_multiplier=depth_multiplier,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )

    def call(self, inputs):
        x = to_channels_last(self, cast_inputs(self, inputs))
        outputs = depthwise_conv_ops.depthwise_conv2d(
            x,
            self.depthwise_kernel,
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
