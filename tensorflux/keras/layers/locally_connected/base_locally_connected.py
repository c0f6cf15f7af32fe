"""The shared machinery of LocallyConnected1D and LocallyConnected2D: a convolution
whose weights differ at each output position, in Keras 2's three layouts
(``implementation`` 1, 2 and 3) with their weight shapes."""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations, constraints, initializers, regularizers
from tensorflux.keras.layers.input_spec import InputSpec
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.utils import conv_utils
from tensorflux.ops import array_ops, math_ops, segment_ops
from tensorflux.ops.linalg_ops import einsum

__all__ = ["LocallyConnected"]


def connected_ranges(input_shape, kernel_size, position, strides, padding) -> list:
    """Per spatial axis, the input positions that output ``position`` reads (Keras'
    rule: a window of ``kernel_size`` around ``position * stride``, cut at the
    borders with "same" padding)."""
    ranges = []
    for size, k, o, s in zip(input_shape, kernel_size, position, strides):
        left = k // 2
        centre = o * s + (left if padding == "valid" else 0)
        ranges.append(range(max(0, centre - left), min(size, centre + k - left)))
    return ranges


class LocallyConnected(Layer):
    """Base of the locally connected layers over ``rank`` spatial axes.

    Raises:
        ValueError: padding other than "valid" with ``implementation=1``; when built,
            an unknown spatial size, an output size below 1, or an unknown
            ``implementation``.
    """

    rank = None

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        implementation=1,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = filters
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, self.rank, "strides", allow_zero=True)
        self.padding = conv_utils.normalize_padding(padding)
        if self.padding != "valid" and implementation == 1:
            raise ValueError(
                f"Invalid border mode for {type(self).__name__} "
                '(only "valid" is supported if implementation is 1): ' + padding
            )
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.implementation = implementation
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _split_shape(self, input_shape):
        """``(spatial sizes, channels)`` of an input shape."""
        dims = TensorShape(input_shape).as_list()
        if self.data_format == "channels_first":
            return dims[2:], dims[1]
        return dims[1:-1], dims[-1]

    def _output_spatial(self, spatial) -> list:
        return [
            conv_utils.conv_output_length(n, k, self.padding, s)
            for n, k, s in zip(spatial, self.kernel_size, self.strides)
        ]

    def build(self, input_shape) -> None:
        input_shape = tuple(TensorShape(input_shape).as_list())
        spatial, channels = self._split_shape(input_shape)
        # Each subclass checks the sizes it needs, with its own message.
        self._check_input(spatial, channels, input_shape)
        out = self._output_spatial(spatial)
        if any(n <= 0 for n in out):
            raise ValueError(
                "One of the dimensions in the output is <= 0 due to downsampling in "
                f"{self.name}. Consider increasing the input size. Received input "
                f"shape {input_shape} which would produce output shape with a zero or "
                "negative value in a dimension."
            )
        if self.implementation not in (1, 2, 3):
            raise ValueError("Unrecognized implementation mode: %d." % self.implementation)
        self._spatial, self._channels, self._out = spatial, channels, out
        positions = list(itertools.product(*[range(n) for n in out]))
        windows = [
            list(
                itertools.product(
                    *connected_ranges(spatial, self.kernel_size, p, self.strides, self.padding)
                )
            )
            for p in positions
        ]
        first = self.data_format == "channels_first"
        if self.implementation == 1:
            # Each output's window, as flat input positions in row-major window order.
            self._window_index = np.array(
                [[np.ravel_multi_index(q, spatial) for q in w] for w in windows], np.int32
            )
            shape = (len(positions), int(np.prod(self.kernel_size)) * channels, self.filters)
        elif self.implementation == 2:
            mask = np.zeros(tuple(spatial) + tuple(out), np.float32)
            for p, w in zip(positions, windows):
                for q in w:
                    mask[q + p] = 1.0
            mask = np.expand_dims(mask, self.rank)
            if first:
                mask = np.expand_dims(mask, 0)
                shape = (channels, *spatial, self.filters, *out)
            else:
                mask = np.expand_dims(mask, -1)
                shape = (*spatial, channels, *out, self.filters)
            self.kernel_mask = mask
        else:
            self.kernel_idxs = sorted(self._kernel_idxs(positions, windows, spatial, out))
            idxs = np.array(self.kernel_idxs, np.int64).reshape(-1, 2)
            self._rows, self._cols = idxs[:, 0].astype(np.int32), idxs[:, 1].astype(np.int32)
            shape = (len(self.kernel_idxs),)
            self.kernel_shape_3 = (
                int(np.prod(out)) * self.filters,
                int(np.prod(spatial)) * channels,
            )
        self.kernel = self.add_weight(
            shape=shape,
            initializer=self.kernel_initializer,
            name="kernel",
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(*out, self.filters),
                initializer=self.bias_initializer,
                name="bias",
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        axis = 1 if first else -1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: channels})
        self.built = True

    def _kernel_idxs(self, positions, windows, spatial, out):
        """Keras' ``(output index, input index)`` pairs of the implementation-3 sparse
        kernel, flat over (position, channel) in the data format's order."""
        first = self.data_format == "channels_first"

        def flat(position, channel, sizes, depth):
            if first:
                return int(np.ravel_multi_index((channel, *position), (depth, *sizes)))
            return int(np.ravel_multi_index((*position, channel), (*sizes, depth)))

        for p, w in zip(positions, windows):
            for q in w:
                for c in range(self._channels):
                    for f in range(self.filters):
                        yield flat(p, f, out, self.filters), flat(q, c, spatial, self._channels)

    def call(self, inputs):
        first = self.data_format == "channels_first"
        batch = array_ops.shape(inputs)[0]
        out_shape = [self.filters, *self._out] if first else [*self._out, self.filters]
        if self.implementation == 1:
            outputs = self._call_windows(inputs, batch, first)
        else:
            flat = array_ops.reshape(inputs, array_ops.stack([batch, -1]))
            if self.implementation == 2:
                kernel = self.kernel * self.kernel_mask
                kernel = array_ops.reshape(kernel, [-1, int(np.prod(out_shape))])
                outputs = math_ops.matmul(flat, kernel)
            else:
                # Sum of kernel[e] * x[:, col_e] into row_e of the sparse matrix.
                terms = array_ops.gather(flat, self._cols, axis=1) * self.kernel
                outputs = array_ops.transpose(
                    segment_ops.unsorted_segment_sum(
                        array_ops.transpose(terms), self._rows, self.kernel_shape_3[0]
                    )
                )
            outputs = array_ops.reshape(outputs, array_ops.stack([batch] + out_shape))
        if self.bias is not None:
            bias_shape = [1, self.filters, *self._out] if first else [1, *self._out, self.filters]
            # Keras reshapes (not transposes) the bias for channels_first.
            outputs = outputs + array_ops.reshape(self.bias, bias_shape)
        return self.activation(outputs)

    def _call_windows(self, inputs, batch, first):
        """Implementation 1: each output position's window times its own kernel."""
        positions = len(self._window_index)
        if first:
            x = array_ops.reshape(inputs, array_ops.stack([batch, self._channels, -1]))
            patches = array_ops.gather(x, self._window_index, axis=2)  # (b, C, O, K)
            patches = array_ops.transpose(patches, [0, 2, 1, 3])
        else:
            x = array_ops.reshape(inputs, array_ops.stack([batch, -1, self._channels]))
            patches = array_ops.gather(x, self._window_index, axis=1)  # (b, O, K, C)
        patches = array_ops.reshape(patches, array_ops.stack([batch, positions, -1]))
        outputs = einsum("bop,opf->bof", patches, self.kernel)
        if first:
            outputs = array_ops.transpose(outputs, [0, 2, 1])
            return array_ops.reshape(outputs, array_ops.stack([batch, self.filters, *self._out]))
        return array_ops.reshape(outputs, array_ops.stack([batch, *self._out, self.filters]))

    def compute_output_shape(self, input_shape) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        spatial, _ = self._split_shape(dims)
        out = self._output_spatial(spatial)
        if self.data_format == "channels_first":
            return TensorShape([dims[0], self.filters, *out])
        return TensorShape([dims[0], *out, self.filters])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "implementation": self.implementation,
            }
        )
        return config
