"""JPEG and WebP extras of ``tf.image`` / ``tf.io``: ExtractJpegShape, DecodeAndCropJpeg,
EncodeJpegVariableQuality (``adjust_jpeg_quality`` and its random forms) and DecodeWebP.

They build on the codecs of ``image_codec_ops`` (Pillow's libjpeg-turbo and libwebp),
so the same notes hold: JPEG encoding is TF's byte for byte, while decoding uses the
accurate integer DCT where TF's default is the fast one, a few levels apart on some
pixels. ``decode_and_crop_jpeg`` decodes the whole file and crops: TF's pixels except in
a window's last column when it ends inside a chroma-subsampled image, where libjpeg's
cropped decode upsamples chroma as at an image edge (up to ~20 levels apart there).

The quality draws of ``random_jpeg_quality`` and ``stateless_random_jpeg_quality`` are
TF's: one int32 ``uniform([], min, max)`` from the stateful or stateless generator.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.image_codec_ops import (
    _check_channels,
    _contents,
    _contents_bytes,
    _decode,
    _decode_infer_spec,
    _decode_kernel,
    _encode_jpeg_kernel,
    _error,
    _open,
    _sniff,
    _still_pixels,
    _tracing,
    decode_jpeg,
)
from tensorflux.ops.image_color_ops import convert_image_dtype
from tensorflux.ops.jpeg_pixels import jpeg_frame

__all__: list = []


def _extract_jpeg_shape_kernel(contents, output_type):
    data = _contents_bytes("ExtractJpegShape", np.asarray(contents, dtype=object))
    np_type = np.int64 if output_type is dtypes.int64 else np.int32
    if _tracing() and not data:
        return np.asarray([64, 64, 3], np_type)
    frame = jpeg_frame(data)
    if frame is None:
        raise _error("ExtractJpegShape", f"Invalid JPEG data, size {len(data)}")
    return np.asarray(frame[2:], np_type)


def _extract_jpeg_shape_infer(contents: Spec, output_type) -> Spec:
    return Spec(output_type, TensorShape([3]))


_EXTRACT_JPEG_SHAPE = register(
    "ExtractJpegShape",
    kernel=_extract_jpeg_shape_kernel,
    grad=None,
    infer=_extract_jpeg_shape_infer,
    allowed=frozenset({dtypes.string}),
)


def _decode_and_crop_jpeg_kernel(
    contents,
    crop_window,
    channels,
    ratio,
    fancy_upscaling,
    try_recover_truncated,
    acceptable_fraction,
    dct_method,
):
    name = "DecodeAndCropJpeg"
    window = np.asarray(crop_window).reshape(-1)
    if window.size != 4:
        raise _error(name, f"crop_size must have four elements [{window.size}]")
    image = _decode_kernel(name, contents, channels, dtypes.uint8, "first", 3)
    if _tracing() and image.shape[:2] == (64, 64):
        return np.zeros((int(window[2]), int(window[3]), image.shape[-1]), np.uint8)
    y, x, h, w = (int(v) for v in window)
    height, width = image.shape[:2]
    if y < 0 or x < 0 or h <= 0 or w <= 0 or y + h > height or x + w > width:
        raise _error(name, "jpeg::Uncompress failed. Invalid JPEG data or crop window.")
    return np.ascontiguousarray(image[y : y + h, x : x + w])


def _decode_and_crop_jpeg_infer(contents: Spec, crop_window: Spec, channels, **attrs) -> Spec:
    return _decode_infer_spec(dtypes.uint8, channels, 3)


_DECODE_AND_CROP_JPEG = register(
    "DecodeAndCropJpeg",
    kernel=_decode_and_crop_jpeg_kernel,
    grad=None,
    infer=_decode_and_crop_jpeg_infer,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


def _encode_jpeg_variable_quality_kernel(images, quality):
    name = "EncodeJpegVariableQuality"
    if images.ndim != 3:
        raise _error(name, f"image must be 3-dimensional[{','.join(map(str, images.shape))}]")
    if images.shape[-1] not in (1, 3):
        dims = ",".join(map(str, images.shape))
        raise _error(name, f"image must have 1 or 3 channels, got [{dims}]")
    q = int(np.asarray(quality))
    if not 0 <= q <= 100:
        raise _error(name, f"quality must be in [0,100], got {q}")
    return _encode_jpeg_kernel(
        images,
        format="",
        quality=q,
        progressive=False,
        optimize_size=False,
        chroma_downsampling=True,
        density_unit="in",
        x_density=300,
        y_density=300,
        xmp_metadata="",
    )


def _encode_jpeg_variable_quality_infer(images: Spec, quality: Spec) -> Spec:
    return Spec(dtypes.string, TensorShape([]))


_ENCODE_JPEG_VARIABLE_QUALITY = register(
    "EncodeJpegVariableQuality",
    kernel=_encode_jpeg_variable_quality_kernel,
    grad=None,
    infer=_encode_jpeg_variable_quality_infer,
    allowed=frozenset({dtypes.uint8}),
)


def _decode_webp_kernel(contents, channels, dtype):
    name = "DecodeWebP"
    data = _contents_bytes(name, np.asarray(contents, dtype=object))
    if _tracing() and not data:
        return np.zeros((1, 64, 64, channels or 3), np.uint8)
    if _sniff(data) != "webp":
        # TF's kernel serves every format here, as DecodeImage with animations kept.
        _check_channels(name, channels)
        return _decode(name, data, channels, dtypes.uint8, gif="first")
    if channels not in (0, 3, 4):
        raise _error(name, "WebP only supports 3 or 4 channels")
    image = _open(name, data, "webp")
    pixels = _still_pixels(name, image, "webp")
    if pixels.shape[-1] not in (3, 4):
        pixels = image.convert("RGB") if pixels.shape[-1] == 1 else image.convert("RGBA")
        pixels = np.asarray(pixels)
    if channels and channels != pixels.shape[-1]:
        raise _error(name, "Number of channels requested does not match input")
    return np.ascontiguousarray(pixels[None])


def _decode_webp_infer(contents: Spec, channels, dtype) -> Spec:
    return Spec(dtypes.uint8, TensorShape(None))


_DECODE_WEBP = register(
    "DecodeWebP",
    kernel=_decode_webp_kernel,
    grad=None,
    infer=_decode_webp_infer,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


# -- public functions ------------------------------------------------------------------


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None) -> Tensor:
    """The ``[height, width, channels]`` of a JPEG file, read from its header only.

    >>> from tensorflux.ops.image_codec_ops import encode_jpeg
    >>> from tensorflux.ops.image_jpeg_ops import extract_jpeg_shape
    >>> extract_jpeg_shape(encode_jpeg([[[1, 2, 3]] * 5] * 2)).numpy()
    array([2, 5, 3], dtype=int32)

    Args:
        contents: a scalar string tensor holding the JPEG's bytes.
        output_type: ``tf.int32`` or ``tf.int64``.

    Returns:
        A 1-D tensor of three values.

    Raises:
        InvalidArgumentError: contents that are not a JPEG (or lack its frame header).
    """
    output_type = dtypes.as_dtype(output_type)
    if output_type not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Value passed to parameter 'output_type' has DataType {output_type.name} not "
            f"in list of allowed values: int32, int64"
        )
    return execute(_EXTRACT_JPEG_SHAPE, (_contents(contents),), {"output_type": output_type})


def decode_and_crop_jpeg(
    contents,
    crop_window,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
) -> Tensor:
    """Decodes the ``crop_window`` part of a JPEG file (uint8 ``[h, w, channels]``).

    >>> from tensorflux.ops.image_codec_ops import encode_jpeg
    >>> from tensorflux.ops.image_jpeg_ops import decode_and_crop_jpeg
    >>> data = encode_jpeg([[[9, 9, 9]] * 8] * 6)
    >>> decode_and_crop_jpeg(data, [1, 2, 3, 4]).shape
    TensorShape([3, 4, 3])

    Args:
        contents: a scalar string tensor.
        crop_window: int32 ``[y, x, height, width]`` inside the image.
        channels: 0 (as stored), 1 or 3.
        ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction, dct_method:
            as ``decode_jpeg``.

    Raises:
        InvalidArgumentError: a window without four values or outside the image; bad
            ``channels``; damaged contents.
    """
    attrs = {
        "channels": int(channels),
        "ratio": int(ratio),
        "fancy_upscaling": bool(fancy_upscaling),
        "try_recover_truncated": bool(try_recover_truncated),
        "acceptable_fraction": float(acceptable_fraction),
        "dct_method": str(dct_method),
    }
    _check_channels("DecodeAndCropJpeg", attrs["channels"])
    window = to_tensor(crop_window, dtypes.int32)
    return execute(_DECODE_AND_CROP_JPEG, (_contents(contents), window), attrs)


def decode_webp(contents, channels=0, dtype=dtypes.uint8, name=None) -> Tensor:
    """Decodes a WebP file to uint8 ``[1, height, width, channels]`` (a one-frame batch).

    Contents in another format decode as ``decode_image`` would, as TF's kernel does.

    >>> import io
    >>> from PIL import Image
    >>> from tensorflux.ops.image_jpeg_ops import decode_webp
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (3, 2), (0, 128, 255)).save(buffer, format="WEBP", lossless=True)
    >>> image = decode_webp(buffer.getvalue())
    >>> image.shape, image.numpy()[0, 0, 0].tolist()
    (TensorShape([1, 2, 3, 3]), [0, 128, 255])

    Args:
        contents: a scalar string tensor.
        channels: 0 (as stored), 3 or 4; it must match the file's.
        dtype: ``tf.uint8`` only.

    Raises:
        InvalidArgumentError: other ``channels``, a channel count unlike the file's,
            damaged contents.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype is not dtypes.uint8:
        raise TypeError(
            f"Value passed to parameter 'dtype' has DataType {dtype.name} not in list of "
            f"allowed values: uint8"
        )
    attrs = {"channels": int(channels), "dtype": dtype}
    return execute(_DECODE_WEBP, (_contents(contents),), attrs)


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None) -> Tensor:
    """Encodes ``image`` as a JPEG of quality ``jpeg_quality`` and decodes it back.

    Floats are taken as [0, 1] (clipped) and come back in their dtype.

    >>> from tensorflux.ops.image_jpeg_ops import adjust_jpeg_quality
    >>> adjust_jpeg_quality([[[0.5, 0.5, 0.5]]], 90).numpy().round(2)
    array([[[0.5, 0.5, 0.5]]], dtype=float32)

    Args:
        image: a 3-D ``[height, width, 1 or 3]`` image.
        jpeg_quality: int in [0, 100] (a Python int or an int32 tensor).
        dct_method: as ``decode_jpeg``.

    Returns:
        The image after the JPEG round trip, ``image``'s dtype and shape.

    Raises:
        InvalidArgumentError: a quality outside [0, 100]; not 1 or 3 channels.
    """
    x = image if isinstance(image, Tensor) else to_tensor(image)
    channels = x.shape[-1] if x.shape.rank else None
    pixels = convert_image_dtype(x, dtypes.uint8, saturate=True)
    quality = to_tensor(jpeg_quality, dtypes.int32)
    encoded = execute(_ENCODE_JPEG_VARIABLE_QUALITY, (pixels, quality), {})
    decoded = decode_jpeg(encoded, channels=channels or 0, dct_method=dct_method)
    return convert_image_dtype(decoded, x.dtype, saturate=True)


def _check_quality_range(low, high) -> None:
    if low < 0 or high < 0 or low > 100 or high > 100:
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if low >= high:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None) -> Tensor:
    """``adjust_jpeg_quality`` with a quality drawn from ``[min, max)`` by
    ``tf.random.uniform`` (global seed plus ``seed``).

    >>> import numpy as np
    >>> from tensorflux.ops.image_jpeg_ops import random_jpeg_quality
    >>> random_jpeg_quality(np.full((2, 2, 3), 9, np.uint8), 75, 95, seed=3).dtype
    tf.uint8

    Raises:
        ValueError: bounds outside [0, 100], or ``min_jpeg_quality >= max_jpeg_quality``.
    """
    from tensorflux.ops.random_ops import uniform

    _check_quality_range(min_jpeg_quality, max_jpeg_quality)
    quality = uniform([], min_jpeg_quality, max_jpeg_quality, dtype=dtypes.int32, seed=seed)
    return adjust_jpeg_quality(image, quality)


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed) -> Tensor:
    """``adjust_jpeg_quality`` with a quality drawn from ``[min, max)`` fixed by the
    shape-[2] ``seed`` (``tf.random.stateless_uniform``).

    >>> from tensorflux.ops.image_jpeg_ops import stateless_random_jpeg_quality
    >>> stateless_random_jpeg_quality([[[10, 20, 30]]], 75, 95, (1, 2)).shape
    TensorShape([1, 1, 3])

    Raises:
        ValueError: bounds outside [0, 100], or ``min_jpeg_quality >= max_jpeg_quality``.
    """
    from tensorflux.ops.stateless_random_ops import stateless_uniform

    _check_quality_range(min_jpeg_quality, max_jpeg_quality)
    quality = stateless_uniform([], seed, min_jpeg_quality, max_jpeg_quality, dtype=dtypes.int32)
    return adjust_jpeg_quality(image, quality)
