"""Convolution layers: Conv1D/2D/3D, their transposes, depthwise and separable
convolutions (with Keras' aliases)."""

from tensorflux.keras.layers.convolutional.conv1d import Conv1D  # noqa: F401
from tensorflux.keras.layers.convolutional.conv1d_transpose import Conv1DTranspose  # noqa: F401
from tensorflux.keras.layers.convolutional.conv2d import Conv2D  # noqa: F401
from tensorflux.keras.layers.convolutional.conv2d_transpose import Conv2DTranspose  # noqa: F401
from tensorflux.keras.layers.convolutional.conv3d import Conv3D  # noqa: F401
from tensorflux.keras.layers.convolutional.conv3d_transpose import Conv3DTranspose  # noqa: F401
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

Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
