"""Convolution layers: Conv1D/2D/3D and their transposes (with Keras' aliases)."""

from tensorflux.keras.layers.convolutional.conv1d import Conv1D  # noqa: F401
from tensorflux.keras.layers.convolutional.conv1d_transpose import Conv1DTranspose  # noqa: F401
from tensorflux.keras.layers.convolutional.conv2d import Conv2D  # noqa: F401
from tensorflux.keras.layers.convolutional.conv2d_transpose import Conv2DTranspose  # noqa: F401
from tensorflux.keras.layers.convolutional.conv3d import Conv3D  # noqa: F401
from tensorflux.keras.layers.convolutional.conv3d_transpose import Conv3DTranspose  # noqa: F401

Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
