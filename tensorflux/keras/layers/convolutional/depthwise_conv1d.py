"""``keras.layers.DepthwiseConv1D``: a depthwise 1-D convolution, bias and activation."""

from __future__ import annotations

from tensorflux.keras.layers.convolutional.base_depthwise_conv import (
    DepthwiseConv,
    cast_inputs,
    from_channels_last,
    to_channels_last,
)
from tensorflux.ops import array_ops, depthwise_conv_ops, nn_ops

__all__ = ["DepthwiseConv1D"]


class DepthwiseConv1D(DepthwiseConv):
    """Depthwise 1-D convolution: each input channel is convolved with its own
    ``depth_multiplier`` filters, giving ``in_channels * depth_multiplier`` channels.

    Its weights are ``depthwise_kernel`` of shape ``(k, in_channels, depth_multiplier)``
    and ``bias`` of shape ``(in_channels * depth_multiplier,)``. It runs as a 2-D
    depthwise convolution over a height of 1, as Keras does.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.DepthwiseConv1D(3, depth_multiplier=2)
    >>> layer(tf.ones((1, 7, 3))).shape
    TensorShape([1, 5, 6])

    Args:
        kernel_size, strides, dilation_rate: an int or a tuple of 1 int (strides and
            dilation_rate not both above 1).
        padding: ``"valid"`` or ``"same"``.
        depth_multiplier, data_format, activation, use_bias, depthwise_initializer,
        bias_initializer, depthwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, bias_constraint: as for ``DepthwiseConv2D``.

    Raises:
        ValueError: invalid arguments, inputs not of rank 3 or with an unknown channel
            dimension, or inputs whose channels differ from those the layer was built for.
    """

    def __init__(
        self,
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
        **kwargs,
    ):
        super().__init__(
            1,
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
        x = array_ops.expand_dims(to_channels_last(self, cast_inputs(self, inputs)), 1)
        kernel = array_ops.expand_dims(self.depthwise_kernel, 0)
        # TF's CPU kernel takes equal strides only: the height of 1 is strided too.
        stride = self.strides[0]
        outputs = depthwise_conv_ops.depthwise_conv2d(
            x,
            kernel,
            strides=(1, stride, stride, 1),
            padding=self.padding.upper(),
            dilations=(1, self.dilation_rate[0]),
        )
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        outputs = from_channels_last(self, array_ops.squeeze(outputs, [1]))
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs
