"""The base of Keras' convolution layers: ``activation(conv(inputs, kernel) + bias)``."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations, constraints, initializers, regularizers
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import array_ops, convolution, nn_ops
from tensorflux.ops.common import dim_list

__all__ = ["Conv"]

_TF_FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


class Conv(Layer):
    """An N-D convolution layer (N = ``rank``); use Conv1D, Conv2D or Conv3D.

    The kernel has shape ``kernel_size + (in_channels // groups, filters)``. Inputs of
    rank above ``rank + 2`` are convolved over their last ``rank + 1`` axes, the leading
    ones all being batch axes.

    Args:
        rank: the number of spatial dimensions.
        filters: the number of output channels (a positive int).
        kernel_size: an int or ``rank`` ints.
        strides: an int or ``rank`` ints; above 1 cannot be combined with dilations.
        padding: "valid", "same" or (Conv1D only) "causal".
        data_format: "channels_last" (default) or "channels_first" (which TF's CPU
            kernels do not run).
        dilation_rate: an int or ``rank`` ints.
        groups: split the input channels into this many groups, each convolved with
            ``filters // groups`` filters.
        activation, use_bias, *_initializer, *_regularizer, *_constraint: as in Dense.

    Raises:
        ValueError: bad arguments or inputs, in Keras' wording.
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
        trainable=True,
        name=None,
        **kwargs,
    ):
        super().__init__(
            trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs
        )
        self.rank = rank
        if filters is not None and not isinstance(filters, int):
            filters = int(filters)
        if filters is not None and filters <= 0:
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly "
                f"positive value. Received filters={filters}."
            )
        self.filters = filters
        self.groups = groups or 1
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._validate_init()

    def _validate_init(self) -> None:
        if self.filters is not None and self.filters % self.groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of "
                f"groups. Received: groups={self.groups}, filters={self.filters}"
            )
        if not all(self.kernel_size):
            raise ValueError(
                f"The argument `kernel_size` cannot contain 0(s). Received: {self.kernel_size}"
            )
        if not all(self.strides):
            raise ValueError(
                f"The argument `strides` cannot contains 0(s). Received: {self.strides}"
            )
        if self.padding == "causal" and not self._allows_causal:
            raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > "
                f"1`. Received: strides={self.strides} and "
                f"dilation_rate={self.dilation_rate}"
            )

    _allows_causal = False

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    @property
    def _tf_data_format(self) -> str:
        return _TF_FORMATS[self.rank][self.data_format == "channels_first"]

    def _input_channel(self, input_shape: TensorShape) -> int:
        channel = input_shape[self._channel_axis] if input_shape.rank else None
        if channel is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. The "
                f"input_shape received is {_shape_text(input_shape)}, where axis "
                f"{self._channel_axis} (0-based) is the channel dimension, which "
                "found to be `None`."
            )
        return int(channel)

    def build(self, input_shape) -> None:
        input_shape = TensorShape(input_shape)
        channels = self._input_channel(input_shape)
        if channels % self.groups != 0:
            raise ValueError(
                "The number of input channels must be evenly divisible by the "
                f"number of groups. Received groups={self.groups}, but the input "
                f"has {channels} channels (full input shape is "
                f"{_shape_text(input_shape)})."
            )
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            "kernel",
            shape=self.kernel_size + (channels // self.groups, self.filters),
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
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self._channel_axis: channels})
        self.built = True

    def _causal_pad(self, inputs):
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        pads = [[0, 0]] * inputs.shape.rank
        pads[-2 if self.data_format == "channels_last" else -1] = [left, 0]
        return array_ops.pad(inputs, pads)

    def convolution_op(self, inputs, kernel):
        """``tf.nn.convolution`` of ``inputs`` (``rank + 2`` axes) with the layer's settings."""
        padding = "VALID" if self.padding == "causal" else self.padding.upper()
        return convolution.convolution(
            inputs,
            kernel,
            strides=list(self.strides),
            padding=padding,
            dilations=list(self.dilation_rate),
            data_format=self._tf_data_format,
        )

    def call(self, inputs):
        if self.padding == "causal":
            inputs = self._causal_pad(inputs)
        batch_axes = inputs.shape.rank - (self.rank + 1)
        if batch_axes > 1:
            return self._call_batched(inputs, batch_axes)
        outputs = self.convolution_op(inputs, self.kernel)
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias, data_format=self._tf_data_format)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def _call_batched(self, inputs, batch_axes):
        # Several leading batch axes: folded into one for the convolution, then restored.
        dims = dim_list(inputs)
        outputs = self.call(array_ops.reshape(inputs, [-1] + dims[batch_axes:]))
        return array_ops.reshape(outputs, dims[:batch_axes] + dim_list(outputs)[1:])

    def _spatial_output_shape(self, spatial_input_shape) -> list:
        return [
            conv_utils.conv_output_length(
                length,
                self.kernel_size[i],
                padding=self.padding,
                stride=self.strides[i],
                dilation=self.dilation_rate[i],
            )
            for i, length in enumerate(spatial_input_shape)
        ]

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        batch_rank = len(dims) - self.rank - 1
        if self.data_format == "channels_last":
            spatial = self._spatial_output_shape(dims[batch_rank:-1])
            out = dims[:batch_rank] + spatial + [self.filters]
        else:
            spatial = self._spatial_output_shape(dims[batch_rank + 1 :])
            out = dims[:batch_rank] + [self.filters] + spatial
        if any(d is not None and d < 0 for d in spatial):
            raise ValueError(
                "One of the dimensions in the output is <= 0 due to downsampling "
                f"in {self.name}. Consider increasing the input size. Received "
                f"input shape {_shape_text(input_shape, list)} which would "
                "produce output shape with a zero or negative value in a "
                "dimension."
            )
        return TensorShape(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "groups": self.groups,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config


def _shape_text(shape, kind=tuple) -> str:
    """A shape as Keras prints it in messages: ``(None, 5, 5, 2)`` (or a list)."""
    dims = TensorShape(shape).as_list()
    return str(kind(dims))
