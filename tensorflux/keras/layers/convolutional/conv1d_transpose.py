"""``keras.layers.Conv1DTranspose``: 1-D transposed convolution."""

from __future__ import annotations

from tensorflux.keras.layers.convolutional.base_conv_transpose import ConvTranspose

__all__ = ["Conv1DTranspose"]


class Conv1DTranspose(ConvTranspose):
    """1-D transposed convolution (deconvolution): the gradient of a 1-D convolution.

    Inputs are ``(batch, steps, channels)`` (channels first with
    ``data_format="channels_first"``); the kernel is ``kernel_size + (filters, channels)``.

    >>> import tensorflux as tf
    >>> tf.keras.layers.Conv1DTranspose(4, 2, strides=2)(tf.ones((2, 5, 3))).shape
    TensorShape([2, 10, 4])

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of one int.
        strides: an int or a tuple of one int (default 1).
        padding: "valid" or "same".
        output_padding: None, or an int or a tuple of one int, each below its stride: added to the
            output's size.
        data_format: "channels_last" (default) or "channels_first".
        dilation_rate: an int or a tuple of one int (default 1); above 1 needs strides of 1.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as in
            ``Dense``.

    Raises:
        ValueError: bad arguments, or inputs not of rank 3 or with an unknown
            channel dimension.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
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
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
