"""``keras.layers.Conv3D``: 3-D convolution."""

from __future__ import annotations

from tensorflux.keras.layers.convolutional.base_conv import Conv

__all__ = ["Conv3D"]


class Conv3D(Conv):
    """3-D convolution layer: ``activation(conv(inputs, kernel) + bias)``.

    Inputs are ``(batch, d1, d2, d3, channels)`` (channels first with
    ``data_format="channels_first"``); the kernel is ``kernel_size + (channels // groups,
    filters)``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Conv3D(4, 3)(tf.ones((2, 5, 5, 5, 3))).shape
    TensorShape([2, 3, 3, 3, 4])

    Args:
        filters: the number of output channels.
        kernel_size: an int or 3 ints.
        strides: an int or 3 ints (default 1).
        padding: "valid" or "same".
        data_format: "channels_last" (default) or "channels_first".
        dilation_rate: an int or 3 ints (default 1).
        groups: the number of channel groups (default 1).
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as in
            ``Dense``.

    Raises:
        ValueError: bad arguments, or inputs of rank below 5, an unknown channel
            dimension, or an output that would have a negative size.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1, 1),
        groups=1,
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
        super().__init__(
            rank=3,
            filters=filters,
            kernel_size=kernel_size,
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
