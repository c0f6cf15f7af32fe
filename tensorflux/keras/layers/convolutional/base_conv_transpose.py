"""The base of Keras' transposed convolution layers (Conv1D/2D/3DTranspose)."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.convolutional.base_conv import Conv, _shape_text
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import array_ops, convolution, nn_ops
from tensorflux.ops.common import dim_list

__all__ = ["ConvTranspose"]

_TRANSPOSES = {
    1: convolution.conv1d_transpose,
    2: convolution.conv2d_transpose,
    3: convolution.conv3d_transpose,
}


class ConvTranspose(Conv):
    """An N-D transposed convolution layer (the gradient of a convolution, often called
    deconvolution); use Conv1DTranspose, Conv2DTranspose or Conv3DTranspose.

    The kernel has shape ``kernel_size + (filters, in_channels)``. Without
    ``output_padding`` the output is the smallest size whose convolution gives the input's
    size; ``output_padding`` (each below its stride) adds to it.

    Raises:
        ValueError: an ``output_padding`` not below the strides, inputs of the wrong rank or
            with an unknown channel dimension, in Keras' wording.
    """

    # Keras' Conv3DTranspose ignores dilation_rate (and leaves it out of its config).
    _uses_dilation = True

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
        **kwargs,
    ):
        super().__init__(
            rank=rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            **kwargs,
        )
        self.output_padding = output_padding
        if output_padding is not None:
            self.output_padding = conv_utils.normalize_tuple(
                output_padding, rank, "output_padding", allow_zero=True
            )
            for stride, pad in zip(self.strides, self.output_padding):
                if pad >= stride:
                    raise ValueError(
                        "Strides must be greater than output padding. Received "
                        f"strides={self.strides}, "
                        f"output_padding={self.output_padding}."
                    )

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        if input_shape.rank != self.rank + 2:
            raise ValueError(
                f"Inputs should have rank {self.rank + 2}. Received "
                f"input_shape={_shape_text(input_shape)}."
            )
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"The channel dimension of the inputs to `{type(self).__name__}` "
                "should be defined. The input_shape received is "
                f"{_shape_text(input_shape)}, where axis {self._channel_axis} "
                "(0-based) is the channel dimension, which found to be `None`."
            )
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})
        self.kernel = self.add_weight(
            "kernel",
            shape=self.kernel_size + (self.filters, int(channels)),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
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

    def _dilations(self) -> tuple:
        return self.dilation_rate if self._uses_dilation else (1,) * self.rank

    def _output_lengths(self, lengths) -> list:
        pads = self.output_padding or (None,) * self.rank
        return [
            conv_utils.deconv_output_length(
                n,
                self.kernel_size[i],
                padding=self.padding,
                output_padding=pads[i],
                stride=self.strides[i],
                dilation=self._dilations()[i],
            )
            for i, n in enumerate(lengths)
        ]

    def call(self, inputs):
        # TF's CPU kernels run channels-last only: Keras' 2-D layer transposes around them.
        move = self.rank == 2 and self.data_format == "channels_first"
        if self.rank == 2 and self.dilation_rate[0] != self.dilation_rate[1]:
            raise ValueError(
                "Expected the 2 dimensions of the `dilation_rate` argument to be "
                f"equal to each other. Received: dilation_rate={self.dilation_rate}"
            )
        if move:
            inputs = array_ops.transpose(inputs, [0, 2, 3, 1])
        channels_last = move or self.data_format == "channels_last"
        dims = dim_list(inputs)
        spatial = dims[1:-1] if channels_last else dims[2:]
        lengths = self._output_lengths(spatial)
        output_shape = (
            [dims[0], *lengths, self.filters]
            if channels_last
            else [dims[0], self.filters, *lengths]
        )
        fmt = "NHWC" if move else self._tf_data_format
        outputs = _TRANSPOSES[self.rank](
            inputs,
            self.kernel,
            output_shape,
            list(self.strides),
            self.padding.upper(),
            fmt,
            list(self._dilations()),
        )
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias, data_format=fmt)
        if move:
            outputs = array_ops.transpose(outputs, [0, 3, 1, 2])
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        if self.data_format == "channels_last":
            return TensorShape([dims[0], *self._output_lengths(dims[1:-1]), self.filters])
        return TensorShape([dims[0], self.filters, *self._output_lengths(dims[2:])])

    def get_config(self) -> dict:
        config = super().get_config()
        config["output_padding"] = self.output_padding
        if not self._uses_dilation:
            del config["dilation_rate"]
        return config
