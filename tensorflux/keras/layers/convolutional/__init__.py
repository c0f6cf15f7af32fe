"""Convolution layers."""

from tensorflux.keras.layers.convolutional.depthwise_conv1d import DepthwiseConv1D  # noqa: F401
from tensorflux.keras.layers.convolutional.depthwise_conv2d import DepthwiseConv2D  # noqa: F401
from tensorflux.keras.layers.convolutional.separable_conv1d import (  # noqa: F401
    SeparableConv1D,
    SeparableConvolution1D,
)
from tensorflux.keras.layers.convolutional.separable_conv2d import (  # noqa: F401
    SeparableConv2D,
    SeparableConvolution2D,
)
