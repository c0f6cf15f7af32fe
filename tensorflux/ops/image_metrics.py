"""``tf.image`` measures and derivatives: total_variation, image_gradients, sobel_edges,
psnr and ssim, composed from public ops (so each has gradients, as in TF).
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.array_ops import concat, pad, reshape, shape, stack, zeros_like
from tensorflux.ops.common import to_tensor
from tensorflux.ops.depthwise_conv_ops import depthwise_conv2d
from tensorflux.ops.image_color_ops import convert_image_dtype
from tensorflux.ops.image_geometry_ops import image_rank
from tensorflux.ops.math_ops import abs as tf_abs
from tensorflux.ops.math_ops import cast, square
from tensorflux.ops.reduction_ops import reduce_mean, reduce_sum
from tensorflux.ops.unary_math_ops import log

__all__: list = []


def total_variation(images, name=None) -> Tensor:
    """The sum of absolute differences between neighbouring pixels, per image (a scalar
    for one 3-D image, a vector for a batch).

    >>> from tensorflux.ops.image_metrics import total_variation
    >>> total_variation([[[0.0], [1.0]], [[1.0], [3.0]]]).numpy()
    np.float32(6.0)
    """
    x = image_rank("total_variation", images)
    x = x if x.dtype.is_floating or x.dtype.is_integer else cast(x, dtypes.float32)
    axes = [0, 1, 2] if x.shape.rank == 3 else [1, 2, 3]
    down = x[..., 1:, :, :] - x[..., :-1, :, :]
    right = x[..., :, 1:, :] - x[..., :, :-1, :]
    return reduce_sum(tf_abs(down), axes) + reduce_sum(tf_abs(right), axes)


def image_gradients(image) -> tuple:
    """``(dy, dx)``: forward differences down and right, zero in the last row / column.

    >>> from tensorflux.ops.image_metrics import image_gradients
    >>> dy, dx = image_gradients([[[[0.0], [1.0]], [[2.0], [4.0]]]])
    >>> dx.numpy()[0, :, :, 0]
    array([[1., 0.],
           [2., 0.]], dtype=float32)

    Raises:
        ValueError: an image that is not 4-D.
    """
    x = image if isinstance(image, Tensor) else to_tensor(image)
    if x.shape.rank != 4:
        raise ValueError(
            f"image_gradients expects a 4D tensor [batch_size, h, w, d], not "
            f"{tuple(x.shape.as_list())}."
        )
    dy = x[:, 1:] - x[:, :-1]
    dx = x[:, :, 1:] - x[:, :, :-1]
    dy = concat([dy, zeros_like(x[:, :1])], 1)
    dx = concat([dx, zeros_like(x[:, :, :1])], 2)
    return dy, dx


def sobel_edges(image) -> Tensor:
    """Sobel responses ``[batch, h, w, channels, 2]`` (vertical then horizontal), with the
    image reflected at its borders.

    >>> from tensorflux.ops.image_metrics import sobel_edges
    >>> sobel_edges([[[[0.0], [0.0], [1.0]]] * 3]).shape
    TensorShape([1, 3, 3, 1, 2])
    """
    x = image if isinstance(image, Tensor) else to_tensor(image)
    x = x if x.dtype.is_floating else cast(x, dtypes.float32)
    padded = pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    h, w = x.shape.as_list()[1:3]

    def window(i, j):
        return padded[:, i : i + h, j : j + w, :]

    dy = (
        window(2, 0)
        + 2.0 * window(2, 1)
        + window(2, 2)
        - window(0, 0)
        - 2.0 * window(0, 1)
        - window(0, 2)
    )
    dx = (
        window(0, 2)
        + 2.0 * window(1, 2)
        + window(2, 2)
        - window(0, 0)
        - 2.0 * window(1, 0)
        - window(2, 0)
    )
    return stack([dy, dx], axis=-1)


def _float_pair(a, b, max_val) -> tuple:
    x = a if isinstance(a, Tensor) else to_tensor(a)
    y = b if isinstance(b, Tensor) else to_tensor(b)
    if x.dtype is not y.dtype:
        raise TypeError(
            f"the two images must have the same dtype, got {x.dtype.name} and {y.dtype.name}"
        )
    peak = convert_image_dtype(cast(max_val, x.dtype), dtypes.float32)
    return (convert_image_dtype(x, dtypes.float32), convert_image_dtype(y, dtypes.float32), peak)


def psnr(a, b, max_val, name=None) -> Tensor:
    """Peak signal-to-noise ratio in dB between two batches of images, per image.

    >>> from tensorflux.ops.image_metrics import psnr
    >>> psnr([[[0.0]], [[1.0]]], [[[0.0]], [[0.9]]], 1.0).numpy().round(3)
    np.float32(23.01)
    """
    x, y, peak = _float_pair(a, b, max_val)
    mse = reduce_mean(square(x - y), [-3, -2, -1])
    return 20.0 * log(peak) / np.float32(np.log(10.0)) - np.float32(10 / np.log(10)) * log(mse)


def _gaussian_window(size: int, sigma: float) -> np.ndarray:
    """The normalised 2-D Gaussian TF's ssim filters with, float32 ``[size, size]``."""
    coords = np.arange(size, dtype=np.float32) - np.float32(size - 1) / np.float32(2)
    g = np.square(coords) * (np.float32(-0.5) / np.square(np.float32(sigma)))
    logits = (g[None, :] + g[:, None]).reshape(-1)
    weights = np.exp(logits - logits.max())
    return (weights / weights.sum()).astype(np.float32).reshape(size, size)


def _ssim_maps(x, y, peak, filter_size, filter_sigma, k1, k2) -> tuple:
    """TF's luminance and contrast-structure maps of two float32 image batches, per
    channel (``[..., h - size + 1, w - size + 1, c]`` each)."""
    height, width, channels = x.shape.as_list()[-3:]
    if (height is not None and height < filter_size) or (width is not None and width < filter_size):
        raise ValueError(
            f"ssim: the images ({height}x{width}) must be at least filter_size "
            f"({filter_size}) in height and width."
        )
    window = _gaussian_window(filter_size, filter_sigma).astype(x.dtype.as_numpy_dtype)
    kernel = np.tile(window[:, :, None, None], (1, 1, channels, 1))
    lead = shape(x)[:-3]

    def blur(t):
        flat = reshape(t, [-1, height, width, channels])
        out = depthwise_conv2d(flat, kernel, [1, 1, 1, 1], "VALID")
        return reshape(out, concat([lead, shape(out)[1:]], 0))

    c1 = square(k1 * peak)
    c2 = square(k2 * peak)
    mean_x, mean_y = blur(x), blur(y)
    num0 = mean_x * mean_y * 2.0
    den0 = square(mean_x) + square(mean_y)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = blur(x * y) * 2.0
    den1 = blur(square(x) + square(y))
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    return luminance, cs


def ssim(
    img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False
) -> Tensor:
    """Structural similarity between two batches of images, averaged over channels.

    >>> import numpy as np
    >>> from tensorflux.ops.image_metrics import ssim
    >>> x = np.linspace(0, 1, 48, dtype=np.float32).reshape(1, 4, 4, 3)
    >>> ssim(x, x, 1.0, filter_size=3).numpy()
    array([1.], dtype=float32)

    Raises:
        ValueError: images smaller than ``filter_size``.
    """
    x, y, peak = _float_pair(img1, img2, max_val)
    luminance, cs = _ssim_maps(x, y, peak, filter_size, filter_sigma, k1, k2)
    index_map = luminance * cs
    if return_index_map:
        return reduce_mean(index_map, [-1])
    return reduce_mean(reduce_mean(index_map, [-3, -2]), [-1])
