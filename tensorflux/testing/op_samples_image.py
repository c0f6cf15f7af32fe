"""Inference-table rows for the image file and codec ops and ImageProjectiveTransformV3.

The codec rows are built lazily (``sample_builder``): they encode small images with
Pillow, which ``import tensorflux`` never loads.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.ops import (  # noqa: F401  (registers the ops)
    file_io_ops,
    image_codec_ops,
    image_jpeg_ops,
    image_transform_ops,
)
from tensorflux.testing.op_samples import Sample, add_sample, f32, sample_builder

_PIXELS = (np.arange(4 * 5 * 3) * 11 % 256).astype(np.uint8).reshape(4, 5, 3)
_JPEG = {
    "format": "",
    "quality": 90,
    "progressive": False,
    "optimize_size": False,
    "chroma_downsampling": True,
    "density_unit": "in",
    "x_density": 300,
    "y_density": 300,
    "xmp_metadata": "",
}


def _encoded(kind: str) -> np.ndarray:
    if kind == "png":
        data = image_codec_ops._encode_png_kernel(_PIXELS, compression=-1)
    else:
        data = image_codec_ops._encode_jpeg_kernel(_PIXELS, **_JPEG)
    return np.asarray(data.item(), dtype=object)


@sample_builder("DecodePng")
def _decode_png_rows():
    return [
        Sample((_encoded("png"),), {"channels": 0, "dtype": dtypes.uint8}),
        Sample((_encoded("png"),), {"channels": 4, "dtype": dtypes.uint16}),
    ]


@sample_builder("DecodeJpeg")
def _decode_jpeg_rows():
    attrs = {
        "ratio": 1,
        "fancy_upscaling": True,
        "try_recover_truncated": False,
        "acceptable_fraction": 1.0,
        "dct_method": "",
    }
    return [Sample((_encoded("jpeg"),), {"channels": 1, **attrs})]


@sample_builder("DecodeBmp")
def _decode_bmp_rows():
    return [Sample((_bmp(),), {"channels": 3})]


def _bmp() -> np.ndarray:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(_PIXELS).save(buffer, format="BMP")
    return np.asarray(buffer.getvalue(), dtype=object)


@sample_builder("DecodeGif")
def _decode_gif_rows():
    return [Sample((_encoded("png"),), {})]


@sample_builder("DecodeImage")
def _decode_image_rows():
    return [
        Sample(
            (_encoded("png"),), {"channels": 3, "dtype": dtypes.uint8, "expand_animations": False}
        ),
        Sample(
            (_encoded("jpeg"),), {"channels": 0, "dtype": dtypes.uint16, "expand_animations": True}
        ),
    ]


add_sample("EncodeJpeg", _PIXELS, **_JPEG)
add_sample("EncodeJpegVariableQuality", _PIXELS, np.asarray(60, np.int32))


@sample_builder("ExtractJpegShape")
def _extract_jpeg_shape_rows():
    return [
        Sample((_encoded("jpeg"),), {"output_type": dtypes.int32}),
        Sample((_encoded("jpeg"),), {"output_type": dtypes.int64}),
    ]


@sample_builder("DecodeAndCropJpeg")
def _decode_and_crop_jpeg_rows():
    attrs = {
        "ratio": 1,
        "fancy_upscaling": True,
        "try_recover_truncated": False,
        "acceptable_fraction": 1.0,
        "dct_method": "",
    }
    window = np.asarray([1, 1, 2, 3], np.int32)
    return [Sample((_encoded("jpeg"), window), {"channels": 3, **attrs})]


@sample_builder("DecodeWebP")
def _decode_webp_rows():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(_PIXELS).save(buffer, format="WEBP", lossless=True)
    data = np.asarray(buffer.getvalue(), dtype=object)
    return [Sample((data,), {"channels": 0, "dtype": dtypes.uint8})]


add_sample("EncodePng", _PIXELS, compression=-1)


@sample_builder("ReadFile")
def _read_file_rows():
    path = os.path.join(tempfile.mkdtemp(), "sample.bin")
    with open(path, "wb") as handle:
        handle.write(b"abc")
    return [Sample((np.asarray(path.encode(), dtype=object),), {})]


@sample_builder("WriteFile")
def _write_file_rows():
    path = os.path.join(tempfile.mkdtemp(), "out.bin")
    return [Sample((np.asarray(path.encode(), dtype=object), np.asarray(b"xyz", dtype=object)), {})]


_rotate = np.asarray(
    [[0.8, -0.6, 1.0, 0.6, 0.8, -0.5, 0.0, 0.0], [1.2, 0.0, -0.4, 0.0, 0.9, 0.3, 0.0, 0.0]],
    np.float32,
)
add_sample(
    "ImageProjectiveTransformV3",
    f32(2, 4, 5, 3),
    _rotate,
    np.asarray([4, 5], np.int32),
    np.asarray(0.5, np.float32),
    interpolation="BILINEAR",
    fill_mode="REFLECT",
    static=(4, 5),
)
add_sample(
    "ImageProjectiveTransformV3",
    f32(2, 4, 5, 3),
    _rotate[:1],
    np.asarray([3, 6], np.int32),
    np.asarray(0.0, np.float32),
    interpolation="NEAREST",
    fill_mode="CONSTANT",
    static=(3, 6),
)
