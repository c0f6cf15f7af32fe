"""``tf.image.resize`` and ``resize_with_pad``: TF 2's resize family on the resize ops.

Each method maps to the op TF 2 uses: bilinear, nearest and bicubic sample at pixel
centres (``half_pixel_centers``); with ``antialias`` bilinear and bicubic become
ScaleAndTranslate with the triangle and Keys cubic kernels; area is ResizeArea;
lanczos3/5, gaussian and mitchellcubic are ScaleAndTranslate. Results are float32
except for nearest, which keeps the dtype.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops.array_ops import expand_dims, squeeze
from tensorflux.ops.image_geometry_ops import image_rank, pad_to_bounding_box, spatial_dims
from tensorflux.ops.image_ops import resize_bilinear, resize_nearest_neighbor
from tensorflux.ops.image_resample_ops import resize_area, resize_bicubic, scale_and_translate

__all__: list = []


class ResizeMethod:
    """The names ``tf.image.resize`` accepts for ``method``."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


_METHODS = (
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
)
_ANTIALIAS_KERNELS = {"bilinear": "triangle", "bicubic": "keyscubic"}


def _size_pair(size) -> tuple:
    """``size`` as two ints, or the traced tensor itself with its static entries."""
    if isinstance(size, SymbolicTensor):
        return size
    values = np.asarray(size.numpy() if isinstance(size, Tensor) else size)
    if values.ndim != 1 or values.shape[0] != 2:
        raise ValueError(
            f"'size' must be a 1-D Tensor of 2 elements: new_height, new_width "
            f"(got {values.tolist()})"
        )
    if values.dtype.kind not in "iu":
        raise ValueError(
            f"'size' must be a 1-D int32 Tensor (got {values.dtype} values {values.tolist()})"
        )
    return int(values[0]), int(values[1])


def _resize_batch(x: Tensor, size, method: str, antialias: bool) -> Tensor:
    if method == "nearest":
        return resize_nearest_neighbor(x, size, half_pixel_centers=True)
    if method == "bilinear" and not antialias:
        return resize_bilinear(x, size, half_pixel_centers=True)
    if method == "bicubic" and not antialias:
        return resize_bicubic(x, size, half_pixel_centers=True)
    if method == "area":
        return resize_area(x, size)
    kernel = _ANTIALIAS_KERNELS.get(method, method)
    height, width = spatial_dims("resize", x)
    scale = np.asarray(
        [size[0] / np.float32(height), size[1] / np.float32(width)], dtype=np.float32
    )
    return scale_and_translate(
        x, size, scale, np.zeros(2, np.float32), kernel_type=kernel, antialias=antialias
    )


def resize(
    images,
    size,
    method=ResizeMethod.BILINEAR,
    preserve_aspect_ratio=False,
    antialias=False,
    name=None,
) -> Tensor:
    """Resizes images ``[h, w, c]`` or ``[batch, h, w, c]`` to ``size = [new_h, new_w]``.

    >>> from tensorflux.ops.image_resizing import resize
    >>> resize([[[0.0], [1.0]]], [1, 4]).numpy().ravel()
    array([0.  , 0.25, 0.75, 1.  ], dtype=float32)

    Args:
        images: a 3-D or 4-D real tensor.
        size: two positive ints (or an int32 tensor).
        method: one of ``tf.image.ResizeMethod``'s names.
        preserve_aspect_ratio: fit within ``size`` keeping the aspect ratio.
        antialias: low-pass filter when downsampling (bilinear, bicubic and the
            ScaleAndTranslate kernels).

    Returns:
        float32 images (the input's dtype for "nearest").

    Raises:
        ValueError: images not 3-D/4-D, a ``size`` that is not two ints, an unknown method.
        InvalidArgumentError: sizes that are not positive.
    """
    x = image_rank("resize", images)
    method = str(method).lower()
    if method not in _METHODS:
        raise ValueError(
            f"Resize method is not implemented: [{method}]. Use one of {list(_METHODS)}."
        )
    size = _size_pair(size)
    batched = x.shape.rank == 4
    if not batched:
        x = expand_dims(x, 0)
    if preserve_aspect_ratio and not isinstance(size, SymbolicTensor):
        height, width = (np.float32(d) for d in spatial_dims("resize", x))
        scale = min(np.float32(size[0]) / height, np.float32(size[1]) / width)
        size = (int(np.round(scale * height)), int(np.round(scale * width)))
    out = _resize_batch(x, size, method, bool(antialias))
    if method != "nearest" and out.dtype is not dtypes.float32:
        from tensorflux.ops.math_ops import cast

        out = cast(out, dtypes.float32)
    return out if batched else squeeze(out, [0])


def resize_with_pad(
    image, target_height, target_width, method=ResizeMethod.BILINEAR, antialias=False
) -> Tensor:
    """Resizes images to fit ``target_height x target_width`` keeping the aspect ratio,
    then zero-pads the rest evenly (the letterbox).

    >>> from tensorflux.ops.image_resizing import resize_with_pad
    >>> resize_with_pad([[[1.0], [1.0]]], 2, 2).numpy()[..., 0]
    array([[1., 1.],
           [0., 0.]], dtype=float32)

    Raises:
        ValueError: targets that are not positive, images not 3-D/4-D.
    """
    fn = "resize_with_pad"
    x = image_rank(fn, image)
    th, tw = int(target_height), int(target_width)
    if tw <= 0:
        raise ValueError(f"{fn}: target_width must be > 0, got {tw}")
    if th <= 0:
        raise ValueError(f"{fn}: target_height must be > 0, got {th}")
    height, width = (np.float32(d) for d in spatial_dims(fn, x))
    ratio = max(width / np.float32(tw), height / np.float32(th))
    new_h, new_w = height / ratio, width / ratio
    pad_h = max(0, int(np.floor((np.float32(th) - new_h) / np.float32(2))))
    pad_w = max(0, int(np.floor((np.float32(tw) - new_w) / np.float32(2))))
    resized = resize(x, [int(np.floor(new_h)), int(np.floor(new_w))], method, antialias=antialias)
    return pad_to_bounding_box(resized, pad_h, pad_w, th, tw)
