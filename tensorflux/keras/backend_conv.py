"""``tf.keras.backend`` convolution, pooling, padding and resizing of image-like
tensors.

They take Keras' ``data_format`` ("channels_last" or "channels_first", default
``image_data_format()``) and lower-case ``padding`` ("valid"/"same"). As tf_keras
does on a CPU, channels-first inputs are transposed to channels last, computed, and
transposed back.
"""

import itertools

import numpy as np

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.backend import (
    _on_keras_tensors,
    concatenate,
    image_data_format,
    int_shape,
    ndim,
    reshape,
)
from tensorflux.keras.backend_math import batch_dot, permute_dimensions, repeat_elements
from tensorflux.ops import (
    convolution,
    depthwise_conv_ops,
    image_resizing,
    joining_ops,
    nn_ops,
    nn_pooling,
    shape_ops,
)

__all__ = [
    "bias_add",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "depthwise_conv2d",
    "local_conv1d",
    "local_conv2d",
    "pool2d",
    "pool3d",
    "resize_images",
    "resize_volumes",
    "separable_conv2d",
    "spatial_2d_padding",
    "spatial_3d_padding",
    "temporal_padding",
]

_INTERPOLATIONS = (
    "area",
    "bicubic",
    "bilinear",
    "gaussian",
    "lanczos3",
    "lanczos5",
    "mitchellcubic",
    "nearest",
)


def _data_format(data_format):
    data_format = image_data_format() if data_format is None else data_format
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError(f"Unknown data_format: {data_format}")
    return data_format


def _tf_padding(padding):
    if padding == "same":
        return "SAME"
    if padding == "valid":
        return "VALID"
    raise ValueError(f"Invalid padding: {padding}")


def _to_last(x, data_format):
    """``x`` with its channels moved from axis 1 to the end when channels first."""
    x = convert_to_tensor(x)
    if data_format == "channels_first":
        rank = x.shape.rank
        return shape_ops.transpose(x, [0] + list(range(2, rank)) + [1])
    return x


def _to_first(x, data_format):
    """The inverse of :func:`_to_last`."""
    if data_format == "channels_first":
        rank = x.shape.rank
        return shape_ops.transpose(x, [0, rank - 1] + list(range(1, rank - 1)))
    return x


def _tuple(value, n):
    return (value,) * n if isinstance(value, int) else tuple(value)


# --- convolutions -----------------------------------------------------------------------


def _conv(x, kernel, strides, padding, data_format, dilation_rate):
    data_format = _data_format(data_format)
    padding = _tf_padding(padding)
    x = _to_last(x, data_format)
    y = convolution.convolution(
        x, kernel, strides=strides, padding=padding, dilations=dilation_rate
    )
    return _to_first(y, data_format)


@_on_keras_tensors()
def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1-D convolution of ``x`` (batch, steps, channels) by ``kernel`` (width, in, out).

    ``padding="causal"`` pads only on the left, so that output ``t`` sees inputs up to
    ``t``.

    >>> conv1d(np.ones((1, 4, 1), np.float32), np.ones((2, 1, 1), np.float32)).shape
    TensorShape([1, 3, 1])

    Raises:
        ValueError: an unknown ``data_format`` or ``padding``.
    """
    data_format = _data_format(data_format)
    if padding == "causal":
        left = dilation_rate * (int_shape(kernel)[0] - 1)
        x = _to_first(temporal_padding(_to_last(x, data_format), (left, 0)), data_format)
        padding = "valid"
    return _conv(x, kernel, strides, padding, data_format, dilation_rate)


@_on_keras_tensors()
def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    """2-D convolution by ``kernel`` (kh, kw, in, out).

    Raises:
        ValueError: an unknown ``data_format`` or ``padding``.
    """
    return _conv(x, kernel, strides, padding, data_format, dilation_rate)


@_on_keras_tensors()
def conv3d(
    x, kernel, strides=(1, 1, 1), padding="valid", data_format=None, dilation_rate=(1, 1, 1)
):
    """3-D convolution by ``kernel`` (kd, kh, kw, in, out).

    Raises:
        ValueError: an unknown ``data_format`` or ``padding``.
    """
    return _conv(x, kernel, strides, padding, data_format, dilation_rate)


@_on_keras_tensors()
def conv2d_transpose(
    x,
    kernel,
    output_shape,
    strides=(1, 1),
    padding="valid",
    data_format=None,
    dilation_rate=(1, 1),
):
    """Transposed 2-D convolution by ``kernel`` (kh, kw, out, in) to ``output_shape``
    (given in ``data_format``'s layout; a None batch takes ``x``'s).

    Raises:
        ValueError: an unknown ``data_format`` or ``padding``, or different dilation
            rates for the two axes.
    """
    data_format = _data_format(data_format)
    x = _to_last(x, data_format)
    output_shape = tuple(output_shape)
    if data_format == "channels_first":
        output_shape = (output_shape[0],) + tuple(output_shape[2:]) + (output_shape[1],)
    if output_shape[0] is None:
        output_shape = (shape_ops.shape(x)[0],) + output_shape[1:]
    output_shape = joining_ops.stack(list(output_shape))
    padding = _tf_padding(padding)
    if tuple(dilation_rate) == (1, 1):
        y = convolution.conv2d_transpose(
            x, kernel, output_shape, (1,) + tuple(strides) + (1,), padding=padding
        )
    else:
        if dilation_rate[0] != dilation_rate[1]:
            raise ValueError(
                "Expected the 2 dimensions of the `dilation_rate` argument to be equal to "
                f"each other. Received: dilation_rate={dilation_rate}"
            )
        y = convolution.atrous_conv2d_transpose(
            x, kernel, output_shape, rate=dilation_rate[0], padding=padding
        )
    return _to_first(y, data_format)


@_on_keras_tensors()
def separable_conv2d(
    x,
    depthwise_kernel,
    pointwise_kernel,
    strides=(1, 1),
    padding="valid",
    data_format=None,
    dilation_rate=(1, 1),
):
    """A depthwise 2-D convolution followed by a 1x1 convolution mixing the channels.

    Raises:
        ValueError: an unknown ``data_format`` or ``padding``, or ``strides`` not of
            length 2.
    """
    data_format = _data_format(data_format)
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    padding = _tf_padding(padding)
    y = depthwise_conv_ops.separable_conv2d(
        _to_last(x, data_format),
        depthwise_kernel,
        pointwise_kernel,
        strides=(1,) + tuple(strides) + (1,),
        padding=padding,
        dilations=dilation_rate,
    )
    return _to_first(y, data_format)


@_on_keras_tensors()
def depthwise_conv2d(
    x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)
):
    """Depthwise 2-D convolution by ``depthwise_kernel`` (kh, kw, in, multiplier).

    Raises:
        ValueError: an unknown ``data_format`` or ``padding``.
    """
    data_format = _data_format(data_format)
    padding = _tf_padding(padding)
    y = depthwise_conv_ops.depthwise_conv2d(
        _to_last(x, data_format),
        depthwise_kernel,
        strides=(1,) + tuple(strides) + (1,),
        padding=padding,
        dilations=dilation_rate,
    )
    return _to_first(y, data_format)


def _local_conv(inputs, kernel, kernel_size, strides, output_shape, data_format):
    """Unshared-weights convolution: one ``(patch size, out)`` kernel per output position."""
    data_format = _data_format(data_format)
    inputs = convert_to_tensor(inputs)
    kernel_shape = int_shape(kernel)
    feature_dim, channels_out = kernel_shape[1], kernel_shape[-1]
    n = len(output_shape)
    patches = []
    for position in itertools.product(*(range(size) for size in output_shape)):
        window = [
            slice(position[d] * strides[d], position[d] * strides[d] + kernel_size[d])
            for d in range(n)
        ]
        if data_format == "channels_first":
            index = (slice(None), slice(None), *window)
        else:
            index = (slice(None), *window, slice(None))
        patches.append(reshape(inputs[index], (1, -1, feature_dim)))
    output = batch_dot(concatenate(patches, axis=0), kernel)
    output = reshape(output, tuple(output_shape) + (-1, channels_out))
    if data_format == "channels_first":
        perm = [n, n + 1] + list(range(n))
    else:
        perm = [n] + list(range(n)) + [n + 1]
    return permute_dimensions(output, perm)


@_on_keras_tensors()
def local_conv1d(inputs, kernel, kernel_size, strides, data_format=None):
    """1-D convolution with a separate kernel per output step (``LocallyConnected1D``).

    Args:
        inputs: (batch, steps, channels) or channels first.
        kernel: (output_length, kernel_size * channels, filters).
        kernel_size, strides: 1-tuples.

    Returns:
        (batch, output_length, filters), or channels first.
    """
    return _local_conv(inputs, kernel, kernel_size, strides, (kernel.shape[0],), data_format)


@_on_keras_tensors()
def local_conv2d(inputs, kernel, kernel_size, strides, output_shape, data_format=None):
    """2-D convolution with a separate kernel per output pixel (``LocallyConnected2D``).

    Args:
        kernel: (rows * cols, kh * kw * channels, filters).
        output_shape: (rows, cols) of the output.
    """
    return _local_conv(inputs, kernel, kernel_size, strides, output_shape, data_format)


@_on_keras_tensors()
def bias_add(x, bias, data_format=None):
    """``x`` plus ``bias``: a 1-D bias along the channel axis, or a bias holding one
    value per position and channel (rank ``ndim(x) - 1``).

    Raises:
        ValueError: an unknown ``data_format``, or a bias of another rank.
    """
    data_format = _data_format(data_format)
    bias_shape = int_shape(bias)
    x_ndim = ndim(x)
    if len(bias_shape) != 1 and len(bias_shape) != x_ndim - 1:
        raise ValueError(
            f"Unexpected bias dimensions {len(bias_shape)}, expect to be 1 or {x_ndim - 1} "
            "dimensions"
        )
    if len(bias_shape) == 1:
        fmt = "NCHW" if data_format == "channels_first" else "NHWC"
        return nn_ops.bias_add(x, bias, data_format=fmt)
    if x_ndim in (3, 4, 5):
        if data_format == "channels_first":
            return x + reshape(bias, (1, bias_shape[-1]) + tuple(bias_shape[:-1]))
        return x + reshape(bias, (1,) + tuple(bias_shape))
    return nn_ops.bias_add(x, bias)


# --- pooling ----------------------------------------------------------------------------


def _pool(x, pool_size, strides, padding, data_format, pool_mode, poolers):
    data_format = _data_format(data_format)
    padding = _tf_padding(padding)
    ksize = (1,) + tuple(pool_size) + (1,)
    strides = (1,) + tuple(strides) + (1,)
    if pool_mode not in poolers:
        raise ValueError(f"Invalid pooling mode: {pool_mode}")
    y = poolers[pool_mode](_to_last(x, data_format), ksize, strides, padding)
    return _to_first(y, data_format)


@_on_keras_tensors()
def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """2-D max (``pool_mode="max"``) or average (``"avg"``) pooling.

    >>> pool2d(np.arange(16.0).reshape(1, 4, 4, 1), (2, 2), (2, 2)).numpy()[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])

    Raises:
        ValueError: an unknown ``data_format``, ``padding`` or ``pool_mode``, or a
            ``pool_size``/``strides`` not of length 2.
    """
    if len(pool_size) != 2:
        raise ValueError("`pool_size` must be a tuple of 2 integers.")
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    poolers = {"max": nn_pooling.max_pool2d, "avg": nn_pooling.avg_pool2d}
    return _pool(x, pool_size, strides, padding, data_format, pool_mode, poolers)


@_on_keras_tensors()
def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"):
    """3-D max (``pool_mode="max"``) or average (``"avg"``) pooling.

    Raises:
        ValueError: an unknown ``data_format``, ``padding`` or ``pool_mode``.
    """
    poolers = {"max": nn_pooling.max_pool3d, "avg": nn_pooling.avg_pool3d}
    return _pool(x, pool_size, strides, padding, data_format, pool_mode, poolers)


# --- padding and resizing ---------------------------------------------------------------


def _check_padding(padding, pairs, fn):
    """Keras asserts the padding's structure: the same exception type, with a message.

    ``pairs`` is the number of ``(before, after)`` pairs, or None for one flat pair."""
    if pairs is None:
        valid = len(padding) == 2
    else:
        valid = len(padding) == pairs and all(len(p) == 2 for p in padding)
    if not valid:
        what = "a (before, after) pair" if pairs is None else f"{pairs} (before, after) pairs"
        raise AssertionError(f"K.{fn} expects `padding` as {what}, received {padding}.")


@_on_keras_tensors()
def temporal_padding(x, padding=(1, 1)):
    """Zero-pads the middle axis of a 3-D tensor by ``padding = (left, right)``.

    >>> temporal_padding(np.ones((1, 2, 1)), (1, 0)).numpy()[0, :, 0]
    array([0., 1., 1.])
    """
    _check_padding(padding, None, "temporal_padding")
    return joining_ops.pad(x, [[0, 0], [padding[0], padding[1]], [0, 0]])


@_on_keras_tensors()
def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Zero-pads the 2 spatial axes of a 4-D tensor by ``((top, bottom), (left, right))``.

    Raises:
        ValueError: an unknown ``data_format``.
    """
    _check_padding(padding, 2, "spatial_2d_padding")
    return _pad_spatial(x, padding, data_format)


@_on_keras_tensors()
def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    """Zero-pads the 3 spatial axes of a 5-D tensor by one ``(before, after)`` pair each.

    Raises:
        ValueError: an unknown ``data_format``.
    """
    _check_padding(padding, 3, "spatial_3d_padding")
    return _pad_spatial(x, padding, data_format)


def _pad_spatial(x, padding, data_format):
    data_format = _data_format(data_format)
    pairs = [[int(a), int(b)] for a, b in padding]
    if data_format == "channels_first":
        pattern = [[0, 0], [0, 0]] + pairs
    else:
        pattern = [[0, 0]] + pairs + [[0, 0]]
    return joining_ops.pad(x, pattern)


@_on_keras_tensors()
def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """Scales the height and width of 4-D images by integer factors (``UpSampling2D``).

    Args:
        interpolation: a ``tf.image.resize`` method ("nearest", "bilinear", ...).

    Raises:
        ValueError: an unknown ``data_format`` or ``interpolation``.
    """
    if data_format == "channels_first":
        rows, cols = 2, 3
    elif data_format == "channels_last":
        rows, cols = 1, 2
    else:
        raise ValueError(f"Invalid `data_format` argument: {data_format}")
    x = convert_to_tensor(x)
    static = x.shape[rows : cols + 1]
    if static.is_fully_defined():
        size = np.array(static.as_list(), np.int32)
    else:
        size = shape_ops.shape(x)[rows : cols + 1]
    size = size * np.array([height_factor, width_factor], np.int32)
    if interpolation not in _INTERPOLATIONS:
        names = '"' + '", "'.join(_INTERPOLATIONS) + '"'
        raise ValueError(
            f'`interpolation` argument should be one of: {names}. Received: "{interpolation}".'
        )
    if data_format == "channels_first":
        x = permute_dimensions(x, [0, 2, 3, 1])
    x = image_resizing.resize(x, size, method=interpolation)
    if data_format == "channels_first":
        x = permute_dimensions(x, [0, 3, 1, 2])
    return x


@_on_keras_tensors()
def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Repeats the 3 spatial axes of a 5-D tensor by integer factors (``UpSampling3D``).

    Raises:
        ValueError: an unknown ``data_format``.
    """
    if data_format == "channels_first":
        first = 2
    elif data_format == "channels_last":
        first = 1
    else:
        raise ValueError(f"Invalid data_format: {data_format}")
    for offset, factor in enumerate((depth_factor, height_factor, width_factor)):
        x = repeat_elements(x, factor, axis=first + offset)
    return x
