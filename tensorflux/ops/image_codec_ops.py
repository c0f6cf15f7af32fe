"""Image codecs: DecodeJpeg, DecodePng, DecodeBmp, DecodeGif, DecodeImage, EncodeJpeg
and EncodePng (``tf.io.decode_*`` / ``encode_*``, also under ``tf.image``).

Pillow does the entropy coding; it is imported on the first decode or encode, so
``import tensorflux`` stays free of it. As in TF 2, every decoder reads the format from
the file's first bytes (``decode_png`` decodes a JPEG too); only the checks on
``channels`` and on animated GIFs differ between the ops.

How the values relate to TF's: PNG, GIF and BMP pixels are TF's exactly, and so are
PNG's RGB-to-grey conversion (libpng's fixed-point 0.299/0.587 weights) and JPEG
encoding. JPEG decoding is libjpeg's accurate integer DCT, i.e. TF's
``dct_method="INTEGER_ACCURATE"``; TF's default fast DCT differs from it by a few levels
on some pixels. 16-bit colour PNGs are not supported (Pillow reads them at 8 bits).

While ``tf.function`` or ``Dataset.map`` traces, the kernels see example contents
(``b""``), not files: they then return a 64x64 black image instead of failing, and the
traced graph decodes (and raises) on the real bytes.
"""

from __future__ import annotations

import io

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.jpeg_pixels import pil_image as _pil
from tensorflux.ops.jpeg_pixels import plain_jpeg_pixels

__all__: list = []

_FORMATS = "One of JPEG, PNG, GIF, BMP, WebP required."
_INT_CODEC_TYPES = frozenset({dtypes.uint8, dtypes.uint16})
# libpng's fixed-point RGB-to-grey weights for png_set_rgb_to_gray(1, 0.299, 0.587).
_GREY_WEIGHTS = (9797, 19234, 32768 - 9797 - 19234)


def _error(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


def _sniff(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"GIF8":
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


_FAILURES = {
    "jpeg": "jpeg::Uncompress failed. Invalid JPEG data or crop window.",
    "png": "Invalid PNG. Failed to initialize decoder.",
    "gif": "Failed to decode gif data",
    "bmp": "Invalid BMP data",
    "webp": "Failed to decode WebP data",
}


def _open(op_name: str, data: bytes, fmt: str):
    """The fully loaded Pillow image; a damaged or truncated file raises TF's error."""
    image_mod = _pil()
    try:
        image = image_mod.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise _error(op_name, f"{_FAILURES[fmt]} ({exc})") from exc
    return image


def _grey_from_rgb(rgb: np.ndarray) -> np.ndarray:
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    grey = (_GREY_WEIGHTS[0] * r + _GREY_WEIGHTS[1] * g + _GREY_WEIGHTS[2] * b) >> 15
    return np.where((r == g) & (g == b), r, grey).astype(rgb.dtype)


def _with_channels(pixels: np.ndarray, channels: int) -> np.ndarray:
    """``[h, w, c]`` pixels with ``channels`` channels (0 keeps them), TF's conversions."""
    have = pixels.shape[-1]
    if channels == 0 or channels == have:
        return pixels
    colour = pixels[..., :3] if have >= 3 else np.repeat(pixels[..., :1], 3, axis=-1)
    if channels == 1:
        return _grey_from_rgb(colour)[..., None] if have >= 3 else pixels[..., :1]
    if channels == 3:
        return colour
    opaque = np.iinfo(pixels.dtype).max
    alpha = pixels[..., -1:] if have in (2, 4) else np.full_like(pixels[..., :1], opaque)
    return np.concatenate([colour, alpha], axis=-1)


def _still_pixels(op_name: str, image, fmt: str) -> np.ndarray:
    """A single-frame image's pixels as ``[h, w, c]`` uint8/uint16, channels as stored."""
    mode = image.mode
    if mode == "P":
        has_alpha = "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    elif mode == "1":
        image = image.convert("L")
    elif mode in ("I;16", "I;16B", "I;16L", "I"):
        pixels = np.asarray(image).astype(np.uint16)
        return pixels[..., None]
    elif mode == "CMYK":
        image = image.convert("RGB")
    elif mode not in ("L", "LA", "RGB", "RGBA"):
        if fmt == "png" and image.info.get("bitdepth", 8) == 16:
            raise UnimplementedError(
                None,
                op_name,
                f"16-bit colour PNGs ({mode}) are not "
                f"supported; save the image with 8 bits per channel "
                f"[Op:{op_name}]",
            )
        image = image.convert("RGBA" if "A" in mode else "RGB")
    pixels = np.asarray(image)
    return pixels[..., None] if pixels.ndim == 2 else pixels


def _gif_frames(op_name: str, image) -> np.ndarray:
    """Every frame of a GIF composited as TF does, ``[frames, h, w, 3]`` uint8."""
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(np.asarray(image.convert("RGB")))
    return np.stack(frames)


def _decode(op_name: str, data: bytes, channels: int, dtype, *, gif: str) -> np.ndarray:
    """Decodes one file. ``gif``: "frames" (4-D), "first" (3-D) or "error"."""
    if not data:
        raise _error(op_name, "Input is empty.")
    fmt = _sniff(data)
    if fmt is None:
        raise _error(op_name, f"Unknown image file format. {_FORMATS}")
    if fmt == "gif" and channels not in (0, 3):
        raise _error(op_name, f"channels must be 0 or 3 for GIF, got {channels}")
    if fmt == "bmp" and channels not in (0, 3, 4):
        raise _error(op_name, f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
    if fmt == "jpeg" and channels == 4:
        raise _error(op_name, "JPEG does not support 4 channels")
    pixels = plain_jpeg_pixels(data) if fmt == "jpeg" else None
    if fmt == "gif":
        frames = _gif_frames(op_name, _open(op_name, data, fmt))
        pixels = frames if gif == "frames" else frames[0]
    else:
        if pixels is None:
            pixels = _still_pixels(op_name, _open(op_name, data, fmt), fmt)
        if fmt == "jpeg" and channels == 1 and pixels.shape[-1] == 3:
            # TF decodes RGB, then takes libjpeg's fixed-point BT.601 luma.
            r, g, b = (pixels[..., i].astype(np.int64) for i in range(3))
            luma = (19595 * r + 38470 * g + 7471 * b + 32768) >> 16
            pixels = luma.astype(np.uint8)[..., None]
        pixels = _with_channels(pixels, channels)
        if gif == "frames":
            pixels = pixels[None]
    if dtype is dtypes.uint16 and pixels.dtype == np.uint8:
        # libpng widens 8-bit samples exactly (x 257); TF shifts the other formats' bytes.
        pixels = pixels.astype(np.uint16) * np.uint16(257 if fmt == "png" else 256)
    elif dtype is dtypes.uint8 and pixels.dtype == np.uint16:
        pixels = (pixels >> 8).astype(np.uint8)
    return np.ascontiguousarray(pixels)


def _contents_bytes(op_name: str, contents: np.ndarray) -> bytes:
    if contents.ndim != 0:
        raise _error(op_name, f"`contents` must be scalar but got shape{list(contents.shape)}")
    value = contents.item()
    return value.encode() if isinstance(value, str) else bytes(value)


def _check_channels(op_name: str, channels: int) -> None:
    if channels not in (0, 1, 3, 4):
        raise _error(op_name, f"`channels` must be 0, 1, 3 or 4 but got {channels}")


def _tracing() -> bool:
    return context.state.graph is not None


def _decode_kernel(op_name: str, contents, channels: int, dtype, gif: str, rank: int):
    _check_channels(op_name, channels)
    data = _contents_bytes(op_name, np.asarray(contents, dtype=object))
    np_type = np.uint16 if dtype is dtypes.uint16 else np.uint8
    if _tracing() and not data:
        # Large enough that crops by aspect ratio traced after it stay non-empty.
        shape = (1,) * (rank - 3) + (64, 64, channels or 3)
        return np.zeros(shape, dtype=np_type)
    return _decode(op_name, data, channels, dtype, gif=gif)


def _decode_infer_spec(dtype, channels: int, rank: int | None) -> Spec:
    if rank is None:
        return Spec(dtype, TensorShape(None))
    return Spec(dtype, TensorShape([None] * (rank - 1) + [channels or None]))


# -- the decoders ---------------------------------------------------------------------


def _decode_jpeg_kernel(
    contents,
    channels,
    ratio,
    fancy_upscaling,
    try_recover_truncated,
    acceptable_fraction,
    dct_method,
):
    return _decode_kernel("DecodeJpeg", contents, channels, dtypes.uint8, "first", 3)


def _decode_jpeg_infer(contents: Spec, channels, **attrs) -> Spec:
    return _decode_infer_spec(dtypes.uint8, channels, 3)


_DECODE_JPEG = register(
    "DecodeJpeg",
    kernel=_decode_jpeg_kernel,
    grad=None,
    infer=_decode_jpeg_infer,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


def _decode_png_kernel(contents, channels, dtype):
    return _decode_kernel("DecodePng", contents, channels, dtype, "first", 3)


def _decode_png_infer(contents: Spec, channels, dtype) -> Spec:
    return _decode_infer_spec(dtype, channels, 3)


_DECODE_PNG = register(
    "DecodePng",
    kernel=_decode_png_kernel,
    grad=None,
    infer=_decode_png_infer,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


def _decode_bmp_kernel(contents, channels):
    data = _contents_bytes("DecodeBmp", np.asarray(contents, dtype=object))
    if data and _sniff(data) not in (None, "bmp"):
        name = _sniff(data).upper()
        raise _error(
            "DecodeBmp",
            f"Trying to decode {name} format using DecodeBmp op. Use "
            f"`decode_{name.lower()}` or `decode_image` instead.",
        )
    if channels not in (0, 3, 4):
        raise _error("DecodeBmp", f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
    return _decode_kernel("DecodeBmp", contents, channels, dtypes.uint8, "first", 3)


def _decode_bmp_infer(contents: Spec, channels) -> Spec:
    return _decode_infer_spec(dtypes.uint8, channels, 3)


_DECODE_BMP = register(
    "DecodeBmp",
    kernel=_decode_bmp_kernel,
    grad=None,
    infer=_decode_bmp_infer,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


def _decode_gif_kernel(contents):
    return _decode_kernel("DecodeGif", contents, 0, dtypes.uint8, "frames", 4)


def _decode_gif_infer(contents: Spec) -> Spec:
    return Spec(dtypes.uint8, TensorShape([None, None, None, 3]))


_DECODE_GIF = register(
    "DecodeGif",
    kernel=_decode_gif_kernel,
    grad=None,
    infer=_decode_gif_infer,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


def _decode_image_kernel(contents, channels, dtype, expand_animations):
    gif = "frames" if expand_animations else "first"
    data = _contents_bytes("DecodeImage", np.asarray(contents, dtype=object))
    if expand_animations and _sniff(data) != "gif":
        gif = "first"
    return _decode_kernel("DecodeImage", contents, channels, dtype, gif, 3)


def _decode_image_infer(contents: Spec, channels, dtype, expand_animations) -> Spec:
    return _decode_infer_spec(dtype, channels, None if expand_animations else 3)


_DECODE_IMAGE = register(
    "DecodeImage",
    kernel=_decode_image_kernel,
    grad=None,
    infer=_decode_image_infer,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


# -- the encoders ---------------------------------------------------------------------


def _image_for_encoding(op_name: str, image: np.ndarray) -> np.ndarray:
    if image.ndim != 3:
        dims = ",".join(str(d) for d in image.shape)
        raise _error(op_name, f"image must be 3-dimensional[{dims}]")
    return image


def _encode(image: np.ndarray, fmt: str, **options) -> np.ndarray:
    pixels = image[..., 0] if image.shape[-1] == 1 else image
    if pixels.dtype == np.uint16 and pixels.ndim == 2:
        picture = _pil().fromarray(pixels)
    elif pixels.dtype == np.uint16:
        raise UnimplementedError(
            None,
            "EncodePng",
            "16-bit colour PNGs are not supported; convert the image to uint8 [Op:EncodePng]",
        )
    else:
        picture = _pil().fromarray(pixels)
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **options)
    return np.asarray(buffer.getvalue(), dtype=object)


_JPEG_FORMATS = {"": None, "grayscale": 1, "rgb": 3}


def _encode_jpeg_kernel(
    image,
    format,
    quality,  # noqa: A002 - TF's attr name
    progressive,
    optimize_size,
    chroma_downsampling,
    density_unit,
    x_density,
    y_density,
    xmp_metadata,
):
    name = "EncodeJpeg"
    if image.ndim != 3:
        raise _error(name, f"image must be 3-dimensional[{','.join(map(str, image.shape))}]")
    channels = image.shape[-1]
    if format not in _JPEG_FORMATS:
        raise _error(name, f"Invalid format {format!r}: use '', 'grayscale' or 'rgb'")
    expected = _JPEG_FORMATS[format]
    if expected is not None and channels != expected:
        raise _error(
            name,
            f"format {format} expects {expected} channels, got [{','.join(map(str, image.shape))}]",
        )
    if channels not in (1, 3):
        raise _error(
            name, f"image must have 1 or 3 channels, got [{','.join(map(str, image.shape))}]"
        )
    if not 0 <= quality <= 100:
        raise _error(name, f"quality must be in [0,100], got {quality}")
    options = {
        "quality": int(quality),
        "progressive": bool(progressive),
        "optimize": bool(optimize_size),
        # libjpeg writes a lone grey component as 1x1 whatever TF's flag says.
        "subsampling": 2 if chroma_downsampling and channels == 3 else 0,
        "dpi": (x_density, y_density) if density_unit == "in" else None,
    }
    if density_unit != "in":
        options.pop("dpi")
    return _encode(image, "JPEG", **options)


def _encode_infer(image: Spec, **attrs) -> Spec:
    return Spec(dtypes.string, TensorShape([]))


_ENCODE_JPEG = register(
    "EncodeJpeg",
    kernel=_encode_jpeg_kernel,
    grad=None,
    infer=_encode_infer,
    allowed=frozenset({dtypes.uint8}),
)


def _encode_png_kernel(image, compression):
    name = "EncodePng"
    if image.ndim < 3:
        raise _error(name, f"images must be at least rank 3[{','.join(map(str, image.shape))}]")
    if image.ndim != 3:
        raise _error(name, f"image must be 3-dimensional[{','.join(map(str, image.shape))}]")
    if image.shape[-1] not in (1, 2, 3, 4):
        raise _error(name, f"image must have 1, 2, 3 or 4 channels, got {image.shape[-1]}")
    if not -1 <= compression <= 9:
        raise _error(name, f"compression should be in [-1,9], got {compression}")
    level = 6 if compression == -1 else int(compression)
    return _encode(image, "PNG", compress_level=level)


_ENCODE_PNG = register(
    "EncodePng", kernel=_encode_png_kernel, grad=None, infer=_encode_infer, allowed=_INT_CODEC_TYPES
)


# -- public functions ------------------------------------------------------------------


def _pixels(image) -> Tensor:
    """``image`` as a tensor; Python lists become uint8 (NumPy arrays keep their dtype)."""
    if isinstance(image, (Tensor, np.ndarray)):
        return to_tensor(image)
    return to_tensor(image, dtypes.uint8)


def _contents(contents) -> Tensor:
    return contents if isinstance(contents, Tensor) else to_tensor(contents, dtypes.string)


def decode_jpeg(
    contents,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
) -> Tensor:
    """Decodes an image file (JPEG, or any format ``decode_image`` reads) to a uint8
    ``[height, width, channels]`` tensor.

    >>> from tensorflux.ops.image_codec_ops import decode_jpeg, encode_jpeg
    >>> decode_jpeg(encode_jpeg([[[200, 10, 10]]])).shape
    TensorShape([1, 1, 3])

    Args:
        contents: a scalar string tensor holding the file's bytes.
        channels: 0 (as stored), 1 (grey, converted by libjpeg) or 3 (RGB).
        ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction, dct_method:
            accepted for TF's signature; decoding is always full size with the accurate
            integer DCT (see the module docstring).

    Raises:
        InvalidArgumentError: bad ``channels``, empty, unknown or damaged contents.
    """
    attrs = {
        "channels": int(channels),
        "ratio": int(ratio),
        "fancy_upscaling": bool(fancy_upscaling),
        "try_recover_truncated": bool(try_recover_truncated),
        "acceptable_fraction": float(acceptable_fraction),
        "dct_method": str(dct_method),
    }
    _check_channels("DecodeJpeg", attrs["channels"])
    return execute(_DECODE_JPEG, (_contents(contents),), attrs)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None) -> Tensor:
    """Decodes a PNG (or JPEG/GIF/BMP) file to ``[height, width, channels]`` uint8 or uint16.

    >>> from tensorflux.ops.image_codec_ops import decode_png, encode_png
    >>> decode_png(encode_png([[[7]]]), channels=3).numpy().ravel()
    array([7, 7, 7], dtype=uint8)

    Args:
        contents: a scalar string tensor.
        channels: 0 (as stored), 1 (grey), 3 (RGB) or 4 (RGBA).
        dtype: ``tf.uint8`` or ``tf.uint16`` (8-bit files scale by 257).

    Raises:
        InvalidArgumentError: bad ``channels`` or ``dtype``; unknown or damaged contents.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _INT_CODEC_TYPES:
        raise _error(
            "DecodePng",
            f"Value for attr 'dtype' of {dtype.name} is not in the list "
            f"of allowed values: uint8, uint16",
        )
    _check_channels("DecodePng", int(channels))
    return execute(_DECODE_PNG, (_contents(contents),), {"channels": int(channels), "dtype": dtype})


def decode_bmp(contents, channels=0, name=None) -> Tensor:
    """Decodes a BMP file to a uint8 ``[height, width, channels]`` tensor.

    >>> import io
    >>> from PIL import Image
    >>> from tensorflux.ops.image_codec_ops import decode_bmp
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (3, 2), (255, 0, 0)).save(buffer, format="BMP")
    >>> image = decode_bmp(buffer.getvalue())
    >>> image.shape, image.numpy()[0, 0].tolist()
    (TensorShape([2, 3, 3]), [255, 0, 0])

    Args:
        contents: a scalar string tensor.
        channels: 0 (as stored), 3 or 4.

    Raises:
        InvalidArgumentError: other ``channels``; contents that are not a valid BMP.
    """
    return execute(_DECODE_BMP, (_contents(contents),), {"channels": int(channels)})


def decode_gif(contents, name=None) -> Tensor:
    """Decodes every frame of a GIF to a uint8 ``[frames, height, width, 3]`` tensor.

    >>> import io
    >>> from PIL import Image
    >>> from tensorflux.ops.image_codec_ops import decode_gif
    >>> buffer = io.BytesIO()
    >>> frames = [Image.new("RGB", (4, 2), c) for c in ((0, 0, 0), (255, 255, 255))]
    >>> frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    >>> decode_gif(buffer.getvalue()).shape
    TensorShape([2, 2, 4, 3])

    Raises:
        InvalidArgumentError: unknown or damaged contents.
    """
    return execute(_DECODE_GIF, (_contents(contents),), {})


def decode_image(
    contents, channels=None, dtype=dtypes.uint8, name=None, expand_animations=True
) -> Tensor:
    """Decodes a BMP, GIF, JPEG, PNG or WebP file, detecting the format from its bytes.

    Returns ``[height, width, channels]``, or ``[frames, height, width, 3]`` for a GIF
    when ``expand_animations`` is True (its first frame otherwise). A ``dtype`` other than
    uint8 is reached with ``convert_image_dtype`` (floats scale to [0, 1]).

    >>> from tensorflux.ops.image_codec_ops import decode_image, encode_png
    >>> decode_image(encode_png([[[255]]]), dtype="float32").numpy().ravel()
    array([1.], dtype=float32)

    Args:
        contents: a scalar string tensor.
        channels: None or 0 (as stored), 1, 3 or 4.
        dtype: the result's dtype.
        expand_animations: GIFs keep all frames (4-D) when True.

    Raises:
        InvalidArgumentError: bad ``channels``; empty, unknown or damaged contents.
    """
    channels = int(channels or 0)
    _check_channels("DecodeImage", channels)
    dtype = dtypes.as_dtype(dtype)
    codec_dtype = dtypes.uint16 if dtype is dtypes.uint16 else dtypes.uint8
    image = execute(
        _DECODE_IMAGE,
        (_contents(contents),),
        {"channels": channels, "dtype": codec_dtype, "expand_animations": bool(expand_animations)},
    )
    if dtype is codec_dtype:
        return image
    from tensorflux.ops.image_color_ops import convert_image_dtype

    return convert_image_dtype(image, dtype)


def encode_jpeg(
    image,
    format="",
    quality=95,  # noqa: A002 - TF's argument name
    progressive=False,
    optimize_size=False,
    chroma_downsampling=True,
    density_unit="in",
    x_density=300,
    y_density=300,
    xmp_metadata="",
    name=None,
) -> Tensor:
    """Encodes a uint8 ``[height, width, 1 or 3]`` image as JPEG bytes (a string scalar).

    >>> from tensorflux.ops.image_codec_ops import encode_jpeg
    >>> encode_jpeg([[[0, 0, 0]]]).numpy()[:3]
    b'\\xff\\xd8\\xff'

    Args:
        image: uint8 pixels.
        format: "" (from the channels), "grayscale" or "rgb".
        quality: 0 to 100.
        progressive, optimize_size, chroma_downsampling, density_unit, x_density,
            y_density: as TF (``xmp_metadata`` is accepted and not written).

    Raises:
        InvalidArgumentError: not 3-D, channels other than 1 or 3, bad quality or format.
    """
    x = _pixels(image)
    attrs = {
        "format": format,
        "quality": int(quality),
        "progressive": bool(progressive),
        "optimize_size": bool(optimize_size),
        "chroma_downsampling": bool(chroma_downsampling),
        "density_unit": density_unit,
        "x_density": int(x_density),
        "y_density": int(y_density),
        "xmp_metadata": xmp_metadata,
    }
    return execute(_ENCODE_JPEG, (x,), attrs)


def encode_png(image, compression=-1, name=None) -> Tensor:
    """Encodes a uint8 (or single-channel uint16) ``[height, width, channels]`` image as
    PNG bytes.

    >>> from tensorflux.ops.image_codec_ops import encode_png
    >>> encode_png([[[0]]]).numpy()[:4]
    b'\\x89PNG'

    Args:
        image: pixels with 1 to 4 channels.
        compression: -1 (default level) to 9.

    Raises:
        InvalidArgumentError: not 3-D, a bad channel count or compression level.
    """
    x = _pixels(image)
    return execute(_ENCODE_PNG, (x,), {"compression": int(compression)})


def is_jpeg(contents, name=None) -> Tensor:
    """Whether the string scalar ``contents`` starts like a JPEG file (a bool tensor).

    >>> from tensorflux.ops.image_codec_ops import is_jpeg
    >>> bool(is_jpeg(b"\\xff\\xd8\\xff\\xe0"))
    True
    """
    from tensorflux.ops.logic_ops import equal
    from tensorflux.ops.string_ops import substr

    return equal(substr(_contents(contents), 0, 3), b"\xff\xd8\xff")
