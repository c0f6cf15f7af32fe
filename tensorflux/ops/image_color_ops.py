"""``tf.image`` colour functions: dtype conversion, colour spaces and adjustments.

All compose public ops (casts, products with 3x3 matrices, ``where``), so they run in
traced functions and have gradients wherever TF's do, with no kernels of their own.
Integer images are converted to float32 in [0, 1] first and back (saturating) at the
end, as TF does.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.array_ops import expand_dims, shape, stack, tile, where
from tensorflux.ops.clip_ops import clip_by_value
from tensorflux.ops.common import to_tensor
from tensorflux.ops.division_ops import floormod
from tensorflux.ops.linalg_ops import tensordot
from tensorflux.ops.logic_ops import equal, greater
from tensorflux.ops.math_ops import abs as tf_abs
from tensorflux.ops.math_ops import cast, maximum, multiply, pow
from tensorflux.ops.reduction_ops import reduce_max, reduce_mean, reduce_min, reduce_prod
from tensorflux.ops.slicing_ops import unstack
from tensorflux.ops.unary_math_ops import sqrt

__all__: list = []

_YUV = np.array(
    [
        [0.299, -0.14714119, 0.61497538],
        [0.587, -0.28886916, -0.51496512],
        [0.114, 0.43601035, -0.10001026],
    ]
)
_YUV_INVERSE = np.array(
    [[1.0, 1.0, 1.0], [0.0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0.0]]
)
_YIQ = np.array(
    [
        [0.299, 0.59590059, 0.2115],
        [0.587, -0.27455667, -0.52273617],
        [0.114, -0.32134392, 0.31119955],
    ]
)
_YIQ_INVERSE = np.array(
    [[1.0, 1.0, 1.0], [0.95598634, -0.27201283, -1.10674021], [0.6208248, -0.64720424, 1.70423049]]
)
_GREY = np.array([0.2989, 0.587, 0.114])


def _image(image) -> Tensor:
    return image if isinstance(image, Tensor) else to_tensor(image)


def _check_kind(fn: str, x: Tensor, floats_only: bool = False) -> None:
    ok = x.dtype.is_floating or (not floats_only and x.dtype.is_integer)
    if not ok:
        kinds = "floating" if floats_only else "floating or integer"
        raise TypeError(
            f"{fn} expects a {kinds} image tensor, got {x.dtype.name}. Cast it "
            f"with tf.image.convert_image_dtype first."
        )


def _check_channels(fn: str, x: Tensor, channels: int = 3) -> None:
    last = x.shape[-1] if x.shape.rank else None
    if x.shape.rank is not None and (x.shape.rank < 1 or (last is not None and last != channels)):
        raise ValueError(
            f"{fn}: the last dimension of the image must be {channels} (got "
            f"shape {tuple(x.shape.as_list())}); channels come last (NHWC)."
        )


def convert_image_dtype(image, dtype, saturate=False, name=None) -> Tensor:
    """Converts ``image`` to ``dtype``, rescaling values: floats live in [0, 1], integers
    in [0, MAX] of their type.

    Integer-to-integer conversions shift by the difference in bits; float-to-integer
    multiplies by ``MAX + 0.5`` and truncates (``saturate`` clips first).

    >>> from tensorflux.ops.image_color_ops import convert_image_dtype
    >>> from tensorflux.framework.tensor import constant
    >>> convert_image_dtype(constant([255, 0], "uint8"), "float32").numpy()
    array([1., 0.], dtype=float32)

    Raises:
        AttributeError: a ``dtype`` that is not an image type (TF's wording).
    """
    x = _image(image)
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise AttributeError("dtype must be either floating point or integer")
    if not (x.dtype.is_floating or x.dtype.is_integer):
        raise TypeError(
            f"convert_image_dtype expects an integer or floating image, got {x.dtype.name}"
        )
    if x.dtype is dtype:
        return x
    if x.dtype.is_integer and dtype.is_integer:
        in_max, out_max = int(x.dtype.max), int(dtype.max)
        if in_max > out_max:
            scale = (in_max + 1) // (out_max + 1)
            from tensorflux.ops.division_ops import floordiv

            return cast(floordiv(x, cast(scale, x.dtype)), dtype)
        scale = (out_max + 1) // (in_max + 1)
        return multiply(cast(x, dtype), cast(scale, dtype))
    if x.dtype.is_floating and dtype.is_floating:
        return cast(x, dtype)
    if x.dtype.is_integer:
        return multiply(cast(x, dtype), cast(1.0 / float(x.dtype.max), dtype))
    scaled = multiply(x, cast(float(dtype.max) + 0.5, x.dtype))
    if saturate:
        scaled = clip_by_value(scaled, float(dtype.min), float(dtype.max))
    return cast(scaled, dtype)


def _to_float(image) -> tuple:
    x = _image(image)
    return convert_image_dtype(x, dtypes.float32) if not x.dtype.is_floating else x, x.dtype


def _back(x: Tensor, dtype) -> Tensor:
    return convert_image_dtype(x, dtype, saturate=True)


def _mix(images: Tensor, matrix: np.ndarray) -> Tensor:
    kernel = cast(matrix, images.dtype)
    return tensordot(images, kernel, [[images.shape.rank - 1], [0]])


def rgb_to_grayscale(images, name=None) -> Tensor:
    """Luma of RGB ``images`` (``[..., 3]`` -> ``[..., 1]``), in the input's dtype.

    >>> from tensorflux.ops.image_color_ops import rgb_to_grayscale
    >>> rgb_to_grayscale([[1.0, 1.0, 1.0]]).numpy().round(4)
    array([[0.9999]], dtype=float32)
    """
    x, dtype = _to_float(images)
    _check_channels("rgb_to_grayscale", x)
    grey = expand_dims(_mix(x, _GREY[:, None])[..., 0], -1)
    return _back(grey, dtype)


def grayscale_to_rgb(images, name=None) -> Tensor:
    """Repeats a single channel three times (``[..., 1]`` -> ``[..., 3]``).

    >>> from tensorflux.ops.image_color_ops import grayscale_to_rgb
    >>> grayscale_to_rgb([[2]]).numpy()
    array([[2, 2, 2]], dtype=int32)
    """
    x = _image(images)
    _check_channels("grayscale_to_rgb", x, 1)
    return tile(x, [1] * (x.shape.rank - 1) + [3])


def _color_matrix(fn: str, images, matrix) -> Tensor:
    x = _image(images)
    _check_kind(fn, x, floats_only=True)
    _check_channels(fn, x)
    return _mix(x, matrix)


def rgb_to_yuv(images) -> Tensor:
    """RGB floats to YUV (Y in [0, 1], U in [-0.436, 0.436], V in [-0.615, 0.615]).

    >>> from tensorflux.ops.image_color_ops import rgb_to_yuv
    >>> rgb_to_yuv([[1.0, 1.0, 1.0]]).numpy().round(3)
    array([[1., 0., 0.]], dtype=float32)
    """
    return _color_matrix("rgb_to_yuv", images, _YUV)


def yuv_to_rgb(images) -> Tensor:
    """The inverse of ``rgb_to_yuv``.

    >>> from tensorflux.ops.image_color_ops import yuv_to_rgb
    >>> yuv_to_rgb([[1.0, 0.0, 0.0]]).numpy()
    array([[1., 1., 1.]], dtype=float32)
    """
    return _color_matrix("yuv_to_rgb", images, _YUV_INVERSE)


def rgb_to_yiq(images) -> Tensor:
    """RGB floats to YIQ.

    >>> from tensorflux.ops.image_color_ops import rgb_to_yiq
    >>> rgb_to_yiq([[0.0, 0.0, 0.0]]).numpy()
    array([[0., 0., 0.]], dtype=float32)
    """
    return _color_matrix("rgb_to_yiq", images, _YIQ)


def yiq_to_rgb(images) -> Tensor:
    """The inverse of ``rgb_to_yiq``.

    >>> from tensorflux.ops.image_color_ops import yiq_to_rgb
    >>> yiq_to_rgb([[1.0, 0.0, 0.0]]).numpy()
    array([[1., 1., 1.]], dtype=float32)
    """
    return _color_matrix("yiq_to_rgb", images, _YIQ_INVERSE)


def _hue(r, g, b, value, chroma, safe_chroma) -> Tensor:
    """Hue in [0, 1) from the channels, their max and max - min (TF's RGBToHSV rule)."""
    h = where(
        equal(value, r),
        (g - b) / safe_chroma,
        where(equal(value, g), (b - r) / safe_chroma + 2.0, (r - g) / safe_chroma + 4.0),
    )
    h = h / 6.0
    h = where(greater(0.0, h), h + 1.0, h)
    return where(greater(chroma, 0.0), h, 0.0 * h)


def rgb_to_hsv(images, name=None) -> Tensor:
    """RGB floats in [0, 1] to hue, saturation and value, each in [0, 1].

    >>> from tensorflux.ops.image_color_ops import rgb_to_hsv
    >>> rgb_to_hsv([[0.0, 1.0, 0.0]]).numpy().round(4)
    array([[0.3333, 1.    , 1.    ]], dtype=float32)

    Raises:
        TypeError: integer images (convert them first). ValueError: not 3 channels.
    """
    x = _image(images)
    _check_kind("rgb_to_hsv", x, floats_only=True)
    _check_channels("rgb_to_hsv", x)
    r, g, b = unstack(x, axis=-1)
    value = reduce_max(x, axis=-1)
    chroma = value - reduce_min(x, axis=-1)
    positive = greater(chroma, 0.0)
    safe_chroma = where(positive, chroma, 1.0 + 0.0 * chroma)
    safe_value = where(greater(value, 0.0), value, 1.0 + 0.0 * value)
    saturation = where(greater(value, 0.0), chroma / safe_value, 0.0 * value)
    return stack([_hue(r, g, b, value, chroma, safe_chroma), saturation, value], axis=-1)


def hsv_to_rgb(images, name=None) -> Tensor:
    """Hue, saturation and value in [0, 1] back to RGB floats (TF's HSVToRGB formula).

    >>> from tensorflux.ops.image_color_ops import hsv_to_rgb
    >>> hsv_to_rgb([[0.0, 1.0, 1.0]]).numpy()
    array([[1., 0., 0.]], dtype=float32)
    """
    x = _image(images)
    _check_kind("hsv_to_rgb", x, floats_only=True)
    _check_channels("hsv_to_rgb", x)
    h, s, v = unstack(x, axis=-1)
    dh = h * 6.0
    dr = clip_by_value(tf_abs(dh - 3.0) - 1.0, 0.0, 1.0)
    dg = clip_by_value(2.0 - tf_abs(dh - 2.0), 0.0, 1.0)
    db = clip_by_value(2.0 - tf_abs(dh - 4.0), 0.0, 1.0)
    one_minus_s = 1.0 - s
    return stack([(one_minus_s + s * d) * v for d in (dr, dg, db)], axis=-1)


def adjust_brightness(image, delta) -> Tensor:
    """Adds ``delta`` to every pixel (in [0, 1] units for integer images, which saturate).

    >>> from tensorflux.ops.image_color_ops import adjust_brightness
    >>> adjust_brightness([[[0.5]]], 0.25).numpy().ravel()
    array([0.75], dtype=float32)
    """
    x, dtype = _to_float(image)
    return _back(x + cast(delta, x.dtype), dtype)


def adjust_contrast(images, contrast_factor) -> Tensor:
    """Moves each channel away from (factor > 1) or towards its mean over the image:
    ``(x - mean) * contrast_factor + mean`` over the last three dimensions' spatial axes.

    >>> from tensorflux.ops.image_color_ops import adjust_contrast
    >>> adjust_contrast([[[0.0]], [[1.0]]], 2.0).numpy().ravel()
    array([-0.5,  1.5], dtype=float32)
    """
    x, dtype = _to_float(images)
    if x.shape.rank is not None and x.shape.rank < 3:
        raise ValueError(
            f"adjust_contrast: images must be at least 3-D [height, width, "
            f"channels], got shape {tuple(x.shape.as_list())}"
        )
    mean = reduce_mean(x, axis=[-3, -2], keepdims=True)
    return _back((x - mean) * cast(contrast_factor, x.dtype) + mean, dtype)


def adjust_gamma(image, gamma=1, gain=1) -> Tensor:
    """``gain * image ** gamma`` (integer images via [0, 1] floats).

    >>> from tensorflux.ops.image_color_ops import adjust_gamma
    >>> adjust_gamma([[[0.25]]], 0.5).numpy().ravel()
    array([0.5], dtype=float32)

    Raises:
        ValueError: a negative ``gamma``.
    """
    x = _image(image)
    dtype = x.dtype
    x = x if dtype in (dtypes.float16, dtypes.float32) else convert_image_dtype(x, dtypes.float32)
    if not isinstance(gamma, Tensor) and float(np.min(gamma)) < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    adjusted = multiply(cast(gain, x.dtype), pow(x, cast(gamma, x.dtype)))
    return _back(adjusted, dtype)


def adjust_saturation(image, saturation_factor, name=None) -> Tensor:
    """Scales the saturation (HSV) of RGB images by ``saturation_factor``, clipped to
    [0, 1].

    >>> from tensorflux.ops.image_color_ops import adjust_saturation
    >>> adjust_saturation([[1.0, 0.5, 0.5]], 0.0).numpy()
    array([[1., 1., 1.]], dtype=float32)
    """
    x, dtype = _to_float(image)
    _check_channels("adjust_saturation", x)
    h, s, v = unstack(rgb_to_hsv(x), axis=-1)
    s = clip_by_value(s * cast(saturation_factor, x.dtype), 0.0, 1.0)
    return _back(hsv_to_rgb(stack([h, s, v], axis=-1)), dtype)


def adjust_hue(image, delta, name=None) -> Tensor:
    """Rotates the hue of RGB images by ``delta`` (a fraction of a turn, in [-1, 1]).

    >>> from tensorflux.ops.image_color_ops import adjust_hue
    >>> adjust_hue([[1.0, 0.0, 0.0]], 1 / 3).numpy().round(4)
    array([[0., 1., 0.]], dtype=float32)
    """
    x, dtype = _to_float(image)
    _check_channels("adjust_hue", x)
    if not isinstance(delta, Tensor) and not -1 <= float(delta) <= 1:
        raise InvalidArgumentError(
            None, "AdjustHue", f"delta must be in the interval [-1, 1], got {delta} [Op:AdjustHue]"
        )
    h, s, v = unstack(rgb_to_hsv(x), axis=-1)
    h = floormod(h + cast(delta, x.dtype), 1.0)
    return _back(hsv_to_rgb(stack([h, s, v], axis=-1)), dtype)


def per_image_standardization(image) -> Tensor:
    """Scales each image to zero mean and unit variance over its last three dimensions;
    the deviation is at least ``1 / sqrt(pixels)`` so flat images do not divide by zero.

    >>> from tensorflux.ops.image_color_ops import per_image_standardization
    >>> per_image_standardization([[[0.0]], [[2.0]]]).numpy().ravel()
    array([-1.,  1.], dtype=float32)
    """
    x = _image(image)
    x = x if x.dtype.is_floating else cast(x, dtypes.float32)
    if x.shape.rank is not None and x.shape.rank < 3:
        raise ValueError(
            f"per_image_standardization: image must be at least 3-D, got shape "
            f"{tuple(x.shape.as_list())}"
        )
    count = cast(reduce_prod(shape(x)[-3:]), x.dtype)
    mean = reduce_mean(x, axis=[-1, -2, -3], keepdims=True)
    deviation = sqrt(reduce_mean((x - mean) * (x - mean), axis=[-1, -2, -3], keepdims=True))
    floor = 1.0 / sqrt(count)
    return (x - mean) / maximum(deviation, floor)
