"""oneDNN kernels for TF's depthwise convolution ops: DepthwiseConv2dNative and its two
gradients, on NHWC activations and TF's ``[kh, kw, channels, multiplier]`` filters.

A depthwise convolution is oneDNN's grouped convolution with one group per input
channel: group ``c`` maps its one input channel to ``multiplier`` outputs, which land at
output channels ``c * multiplier + q``, TF's order. TF's filter layout is oneDNN's
``hwigo`` weights with one input channel per group, so nothing is transposed here.
"""

from __future__ import annotations

import numpy as np

from tensorflux.kernels.onednn import _library as L
from tensorflux.kernels.onednn.conv import (
    logical_activation,
    run_backward_data,
    run_backward_weights,
    run_forward,
)
from tensorflux.kernels.onednn.support import conv_geometry

__all__ = ["depthwise", "depthwise_backprop_input", "depthwise_backprop_filter"]


def _descs(b, x_shape, w_shape, y_shape):
    kh, kw, channels, multiplier = w_shape
    grouped = (channels, multiplier, 1, kh, kw)
    return (
        b.md(logical_activation(x_shape), L.TAG_NHWC),
        b.md(grouped, L.TAG_HWIGO),
        b.md(grouped, L.TAG_ANY),
        b.md(logical_activation(y_shape), L.TAG_NHWC),
    )


def _taps(w_shape) -> int:
    """Multiply-adds per output element: the window (one input channel each)."""
    return int(w_shape[0] * w_shape[1])


def _geometry(x_shape, w_shape, strides, padding, explicit_paddings):
    return conv_geometry(x_shape, w_shape, strides, padding, explicit_paddings, None)


def depthwise(
    input,
    filter,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=None,
):
    """DepthwiseConv2dNative through oneDNN (see ``depthwise_supports``)."""
    geo = _geometry(input.shape, filter.shape, strides, padding, explicit_paddings)
    y_shape = (input.shape[0], *geo[0], filter.shape[2] * filter.shape[3])
    key = ("depthwise", input.shape, filter.shape, geo)
    descs = lambda b: _descs(b, input.shape, filter.shape, y_shape)
    return run_forward(key, descs, geo, input, filter, y_shape, _taps(filter.shape))


def depthwise_backprop_input(
    input_sizes,
    filter,
    out_backprop,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=None,
):
    """DepthwiseConv2dNativeBackpropInput through oneDNN: dx from the filter and dy."""
    x_shape = tuple(int(v) for v in np.asarray(input_sizes))
    geo = _geometry(x_shape, filter.shape, strides, padding, explicit_paddings)
    key = ("depthwise_bwd_data", x_shape, filter.shape, geo)
    descs = lambda b: _descs(b, x_shape, filter.shape, out_backprop.shape)
    return run_backward_data(key, descs, geo, x_shape, filter, out_backprop, _taps(filter.shape))


def depthwise_backprop_filter(
    input,
    filter_sizes,
    out_backprop,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=None,
):
    """DepthwiseConv2dNativeBackpropFilter through oneDNN: df from the input and dy."""
    w_shape = tuple(int(v) for v in np.asarray(filter_sizes))
    geo = _geometry(input.shape, w_shape, strides, padding, explicit_paddings)
    key = ("depthwise_bwd_weights", input.shape, w_shape, geo)
    descs = lambda b: _descs(b, input.shape, w_shape, out_backprop.shape)
    return run_backward_weights(key, descs, geo, input, w_shape, out_backprop, _taps(w_shape))
