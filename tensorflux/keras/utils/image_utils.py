"""Keras' image file helpers: ``load_img``, ``img_to_array``, ``array_to_img``,
``save_img`` (on Pillow, imported when first needed) and ``smart_resize``.
"""

from __future__ import annotations

import io
import pathlib
import warnings

import numpy as np

from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.keras import backend
from tensorflux.ops.array_ops import gather, shape
from tensorflux.ops.array_ops import range as tf_range
from tensorflux.ops.image_resizing import resize
from tensorflux.ops.math_ops import cast, minimum

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]

# Keras' names for Pillow's resampling filters.
_PIL_FILTERS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
_TF_METHODS = (
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
)


def _pil():
    from PIL import Image

    return Image


def get_interpolation(interpolation: str) -> str:
    """The ``tf.image.resize`` method for Keras' ``interpolation`` argument.

    Raises:
        NotImplementedError: an unknown name (Keras' exception type).
    """
    method = str(interpolation).lower()
    if method not in _TF_METHODS:
        raise NotImplementedError(
            f"Value not recognized for `interpolation`: {interpolation}. "
            f"Supported values are: {list(_TF_METHODS)}"
        )
    return method


def smart_resize(x, size, interpolation="bilinear"):
    """Resizes images to ``size`` without distorting them: first the largest centred
    window with the target's aspect ratio is cut out, then it is resized.

    >>> import numpy as np
    >>> from tensorflux.keras.utils.image_utils import smart_resize
    >>> smart_resize(np.ones((4, 8, 3)), (2, 2)).shape
    (2, 2, 3)

    Args:
        x: one image ``(h, w, c)`` or a batch ``(n, h, w, c)``; NumPy in, NumPy out.
        size: ``(height, width)``.
        interpolation: a ``tf.image.resize`` method name.

    Raises:
        ValueError: ``size`` not two ints, or an image of another rank.
    """
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    img = x if isinstance(x, Tensor) else convert_to_tensor(x)
    rank = img.shape.rank
    if rank is not None and not 3 <= rank <= 4:
        raise ValueError(
            f"Expected an image array with shape `(height, width, channels)`, "
            f"or `(batch_size, height, width, channels)`, but got input with "
            f"incorrect rank, of shape {tuple(img.shape.as_list())}."
        )
    target_h, target_w = int(size[0]), int(size[1])
    dims = shape(img)
    height, width = dims[-3], dims[-2]
    crop_h = minimum(height, cast(cast(width * target_h, "float32") / target_w, "int32"))
    crop_w = minimum(width, cast(cast(height * target_w, "float32") / target_h, "int32"))
    start_h = cast(cast(height - crop_h, "float32") / 2, "int32")
    start_w = cast(cast(width - crop_w, "float32") / 2, "int32")
    # Gathers with computed rows and columns: the window's size is known only at run
    # time when the image's is.
    img = gather(img, tf_range(crop_h) + start_h, axis=rank - 3)
    img = gather(img, tf_range(crop_w) + start_w, axis=rank - 2)
    out = resize(img, [target_h, target_w], method=get_interpolation(interpolation))
    return out.numpy() if isinstance(x, np.ndarray) else out


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A Pillow image from a 3-D array (rescaled to [0, 255] when ``scale``).

    >>> import numpy as np
    >>> from tensorflux.keras.utils.image_utils import array_to_img
    >>> array_to_img(np.zeros((2, 3, 3))).size
    (3, 2)

    Raises:
        ValueError: not 3-D, a bad ``data_format`` or channel count.
    """
    data_format = data_format or backend.image_data_format()
    x = np.asarray(x.numpy() if isinstance(x, Tensor) else x, dtype=dtype or backend.floatx())
    if x.ndim != 3:
        raise ValueError(
            f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}"
        )
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Invalid data_format: {data_format}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x = x / peak
        x = x * 255
    channels = x.shape[2]
    image = _pil()
    if channels in (3, 4):
        return image.fromarray(x.astype("uint8"), "RGBA" if channels == 4 else "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def img_to_array(img, data_format=None, dtype=None):
    """A Pillow image (or array) as a 3-D NumPy array of ``dtype`` (floatx by default).

    >>> import numpy as np
    >>> from tensorflux.keras.utils.image_utils import array_to_img, img_to_array
    >>> img_to_array(array_to_img(np.ones((2, 3, 1)), scale=False)).shape
    (2, 3, 1)

    Raises:
        ValueError: a bad ``data_format`` or an image that is not 2-D or 3-D.
    """
    data_format = data_format or backend.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Unknown data_format: {data_format}")
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        return x[None] if data_format == "channels_first" else x[:, :, None]
    raise ValueError(f"Unsupported image shape: {x.shape}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to ``path`` (format from the file name or ``file_format``).

    >>> import os, tempfile
    >>> import numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "square.png")
    >>> save_img(path, np.zeros((4, 4, 3)))
    >>> load_img(path).size
    (4, 4)
    """
    img = array_to_img(x, data_format=data_format or backend.image_data_format(), scale=scale)
    if img.mode == "RGBA" and file_format in ("jpg", "jpeg"):
        warnings.warn(
            "The JPG format does not support RGBA images, converting to RGB.", stacklevel=2
        )
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def _crop_box(width: int, height: int, target_w: int, target_h: int) -> list:
    crop_h = min(height, (width * target_h) // target_w)
    crop_w = min(width, (height * target_w) // target_h)
    top, left = (height - crop_h) // 2, (width - crop_w) // 2
    return [left, top, left + crop_w, top + crop_h]


def load_img(
    path,
    grayscale=False,
    color_mode="rgb",
    target_size=None,
    interpolation="nearest",
    keep_aspect_ratio=False,
):
    """Loads an image file as a Pillow image, converted to ``color_mode`` and optionally
    resized to ``target_size = (height, width)`` with Pillow's filter ``interpolation``.

    >>> import os, tempfile
    >>> import numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "wide.png")
    >>> save_img(path, np.zeros((2, 6, 3)))
    >>> load_img(path, color_mode="grayscale", target_size=(3, 3)).size
    (3, 3)

    Raises:
        TypeError: a ``path`` that is neither path-like nor a ``BytesIO``.
        ValueError: an unknown ``color_mode`` or ``interpolation``.
        FileNotFoundError: no such file.
    """
    if grayscale:
        warnings.warn('grayscale is deprecated. Please use color_mode = "grayscale"', stacklevel=2)
        color_mode = "grayscale"
    image = _pil()
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as handle:
            img = image.open(io.BytesIO(handle.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    modes = {"grayscale": ("L", "I;16", "I"), "rgba": ("RGBA",), "rgb": ("RGB",)}
    if color_mode not in modes:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    if img.mode not in modes[color_mode]:
        img = img.convert(modes[color_mode][0])
    if target_size is None:
        return img
    size = (int(target_size[1]), int(target_size[0]))
    if img.size == size:
        return img
    if interpolation not in _PIL_FILTERS:
        raise ValueError(
            f"Invalid interpolation method {interpolation} specified. Supported "
            f"methods are {', '.join(_PIL_FILTERS)}"
        )
    resample = getattr(image.Resampling, interpolation.upper())
    if keep_aspect_ratio:
        return img.resize(size, resample, box=_crop_box(*img.size, *size))
    return img.resize(size, resample)
