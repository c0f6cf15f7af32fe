"""CropAndResize and its two gradient ops, CropAndResizeGradImage and
CropAndResizeGradBoxes (``tf.image.crop_and_resize``).

Primitives: each crop row and column maps to one source coordinate, so the work is a
coordinate map per box and four gathers (or four scatter-adds for the image gradient).
As in TF's kernel the coordinates and the blend are float32 whatever the image dtype,
a row or column whose coordinate falls outside the image reads ``extrapolation_value``,
and the gradient for the boxes uses the bilinear formula for both methods.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, OutOfRangeError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["crop_and_resize"]

_F32 = np.float32
_METHODS = ("bilinear", "nearest")
_IMAGE_TYPES = frozenset(
    {
        dtypes.uint8,
        dtypes.uint16,
        dtypes.int8,
        dtypes.int16,
        dtypes.int32,
        dtypes.int64,
        dtypes.float16,
        dtypes.float32,
        dtypes.float64,
    }
)
_GRAD_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _error(op_name: str, message: str, kind=InvalidArgumentError):
    return kind(None, op_name, f"{message} [Op:{op_name}]")


def _check_boxes(op_name: str, boxes: np.ndarray, box_ind: np.ndarray) -> None:
    if boxes.ndim != 2:
        raise _error(op_name, f"boxes must be 2-D, got: {list(boxes.shape)}")
    if boxes.shape[1] != 4:
        raise _error(op_name, "boxes must have 4 columns")
    if box_ind.ndim != 1 or box_ind.shape[0] != boxes.shape[0]:
        raise _error(op_name, "box_index has incompatible shape")


def _check_box_ind(op_name: str, box_ind: np.ndarray, batch: int) -> None:
    if box_ind.size and (box_ind.min() < 0 or box_ind.max() >= batch):
        raise _error(op_name, "box_index has values outside [0, batch_size)", OutOfRangeError)


def _coords(lo: np.ndarray, hi: np.ndarray, crop: int, size: int) -> tuple:
    """Source coordinates ``[boxes, crop]`` of one axis, whether each lies inside the
    image, and d(coordinate)/d(lo), d(coordinate)/d(hi)."""
    span = _F32(size - 1)
    lo, hi = lo.astype(_F32)[:, None], hi.astype(_F32)[:, None]
    if crop > 1:
        steps = np.arange(crop, dtype=_F32)
        coord = lo * span + steps * ((hi - lo) * span / _F32(crop - 1))
        d_hi = span * steps / _F32(crop - 1)
        d_lo = span - d_hi
    else:
        coord = _F32(0.5) * (lo + hi) * span
        d_lo = d_hi = np.full(1, _F32(0.5) * span)
    coord = coord.astype(_F32)
    return coord, (coord >= 0) & (coord <= span), d_lo, d_hi


def _round(v: np.ndarray) -> np.ndarray:
    """roundf: halves away from zero."""
    return np.sign(v) * np.floor(np.abs(v) + _F32(0.5))


def _geometry(boxes, crop_h, crop_w, height, width):
    ys = _coords(boxes[:, 0], boxes[:, 2], crop_h, height)
    xs = _coords(boxes[:, 1], boxes[:, 3], crop_w, width)
    return ys, xs


def _corners(coord: np.ndarray, size: int) -> tuple:
    low = np.floor(coord)
    high = np.ceil(coord)
    lerp = (coord - low).astype(_F32)
    clip = lambda v: np.clip(v, 0, size - 1).astype(np.intp)
    return clip(low), clip(high), lerp


def _crop_and_resize_kernel(image, boxes, box_ind, crop_size, method, extrapolation_value):
    name = "CropAndResize"
    if image.ndim != 4:
        raise _error(name, f"input image must be 4-D[{','.join(str(d) for d in image.shape)}]")
    _check_boxes(name, boxes, box_ind)
    crop_size = np.asarray(crop_size).reshape(-1)
    if crop_size.size != 2:
        raise _error(name, f"crop_size must have two elements[{crop_size.size}]")
    batch, height, width, depth = image.shape
    if height <= 0 or width <= 0:
        raise _error(name, "image dimensions must be positive")
    crop_h, crop_w = int(crop_size[0]), int(crop_size[1])
    if crop_h <= 0 or crop_w <= 0:
        raise _error(name, "crop dimensions must be positive")
    _check_box_ind(name, box_ind, batch)
    (y, y_in, _, _), (x, x_in, _, _) = _geometry(boxes, crop_h, crop_w, height, width)
    pixels = image.astype(_F32, copy=False)
    b = box_ind.astype(np.intp)[:, None, None]
    if method == "nearest":
        rows = np.clip(_round(y), 0, height - 1).astype(np.intp)
        cols = np.clip(_round(x), 0, width - 1).astype(np.intp)
        out = pixels[b, rows[:, :, None], cols[:, None, :]]
    else:
        top, bottom, y_lerp = _corners(y, height)
        left, right, x_lerp = _corners(x, width)
        t, btm = top[:, :, None], bottom[:, :, None]
        lft, rgt = left[:, None, :], right[:, None, :]
        xl = x_lerp[:, None, :, None]
        upper = pixels[b, t, lft] + (pixels[b, t, rgt] - pixels[b, t, lft]) * xl
        lower = pixels[b, btm, lft] + (pixels[b, btm, rgt] - pixels[b, btm, lft]) * xl
        out = upper + (lower - upper) * y_lerp[:, :, None, None]
    inside = y_in[:, :, None] & x_in[:, None, :]
    out = np.where(inside[..., None], out, _F32(extrapolation_value))
    return out.astype(_F32, copy=False).reshape(boxes.shape[0], crop_h, crop_w, depth)


def _crop_and_resize_infer(image: Spec, boxes: Spec, box_ind: Spec, crop_size: Spec, **attrs):
    depth = None if image.shape.rank is None else image.shape[3]
    count = None if boxes.shape.rank is None else boxes.shape[0]
    size = crop_size.value if isinstance(crop_size.value, list) else [None, None]
    if len(size) != 2:
        size = [None, None]
    return Spec(dtypes.float32, TensorShape([count, size[0], size[1], depth]))


def _crop_and_resize_grad(call, dy):
    """d image = CropAndResizeGradImage(dy) (float images only); d boxes =
    CropAndResizeGradBoxes(dy): the bilinear slope times d(coordinate)/d(box)."""
    image, boxes, box_ind, _ = call.inputs
    d_image = None
    if image.dtype in _GRAD_TYPES:
        d_image = execute(
            _GRAD_IMAGE,
            (dy, boxes, box_ind, to_tensor(np.asarray(image.shape.as_list(), np.int32))),
            {"T": image.dtype, "method": call.attrs["method"]},
        )
    d_boxes = execute(_GRAD_BOXES, (dy, image, boxes, box_ind), {"method": "bilinear"})
    return d_image, d_boxes, None, None


_CROP_AND_RESIZE = register(
    "CropAndResize",
    kernel=_crop_and_resize_kernel,
    grad=_crop_and_resize_grad,
    infer=_crop_and_resize_infer,
    allowed=_IMAGE_TYPES,
    shape_inputs=(3,),
)


def _grad_image_kernel(grads, boxes, box_ind, image_size, T, method):
    name = "CropAndResizeGradImage"
    if grads.ndim != 4:
        raise _error(name, f"grads image must be 4-D[{','.join(str(d) for d in grads.shape)}]")
    _check_boxes(name, boxes, box_ind)
    size = np.asarray(image_size).reshape(-1)
    if size.size != 4:
        raise _error(name, f"image_size must have 4 elements[{size.size}]")
    batch, height, width, depth = (int(d) for d in size)
    if height <= 0 or width <= 0:
        raise _error(name, "image dimensions must be positive")
    if grads.shape[3] != depth:
        raise _error(name, "image_size and grads are incompatible")
    _check_box_ind(name, box_ind, batch)
    count, crop_h, crop_w = grads.shape[:3]
    (y, y_in, _, _), (x, x_in, _, _) = _geometry(boxes, crop_h, crop_w, height, width)
    out = np.zeros((batch, height, width, depth), T.as_numpy_dtype)
    inside = (y_in[:, :, None] & x_in[:, None, :]).ravel()
    b = np.broadcast_to(box_ind.astype(np.intp)[:, None, None], (count, crop_h, crop_w))
    b = b.ravel()[inside]
    g = grads.astype(_F32, copy=False).reshape(-1, depth)[inside]

    def spread(rows, cols, weight):
        rows = np.broadcast_to(rows[:, :, None], (count, crop_h, crop_w)).ravel()[inside]
        cols = np.broadcast_to(cols[:, None, :], (count, crop_h, crop_w)).ravel()[inside]
        np.add.at(out, (b, rows, cols), (g * weight.ravel()[inside][:, None]).astype(out.dtype))

    if method == "nearest":
        rows = np.clip(_round(y), 0, height - 1).astype(np.intp)
        cols = np.clip(_round(x), 0, width - 1).astype(np.intp)
        spread(rows, cols, np.ones((count, crop_h, crop_w), _F32))
    else:
        top, bottom, y_lerp = _corners(y, height)
        left, right, x_lerp = _corners(x, width)
        wy = (_F32(1) - y_lerp)[:, :, None], y_lerp[:, :, None]
        wx = (_F32(1) - x_lerp)[:, None, :], x_lerp[:, None, :]
        for rows, w_row in zip((top, bottom), wy):
            for cols, w_col in zip((left, right), wx):
                spread(rows, cols, w_row * w_col)
    return out


def _grad_image_infer(grads: Spec, boxes: Spec, box_ind: Spec, image_size: Spec, T, method):
    size = image_size.value if isinstance(image_size.value, list) else [None] * 4
    return Spec(T, TensorShape(size if len(size) == 4 else [None] * 4))


_GRAD_IMAGE = register(
    "CropAndResizeGradImage",
    kernel=_grad_image_kernel,
    grad=None,
    infer=_grad_image_infer,
    allowed=frozenset({dtypes.float32}),
    shape_inputs=(3,),
)


def _grad_boxes_kernel(grads, image, boxes, box_ind, method):
    name = "CropAndResizeGradBoxes"
    if grads.ndim != 4:
        raise _error(name, f"grads image must be 4-D[{','.join(str(d) for d in grads.shape)}]")
    if image.ndim != 4:
        raise _error(name, f"input image must be 4-D[{','.join(str(d) for d in image.shape)}]")
    _check_boxes(name, boxes, box_ind)
    batch, height, width, depth = image.shape
    if height <= 0 or width <= 0:
        raise _error(name, "image dimensions must be positive")
    if grads.shape[3] != depth:
        raise _error(name, "image, grads depth differ")
    _check_box_ind(name, box_ind, batch)
    count, crop_h, crop_w = grads.shape[:3]
    (y, y_in, dy_lo, dy_hi), (x, x_in, dx_lo, dx_hi) = _geometry(
        boxes, crop_h, crop_w, height, width
    )
    pixels = image.astype(_F32, copy=False)
    b = box_ind.astype(np.intp)[:, None, None]
    top, bottom, y_lerp = _corners(y, height)
    left, right, x_lerp = _corners(x, width)
    t, btm = top[:, :, None], bottom[:, :, None]
    lft, rgt = left[:, None, :], right[:, None, :]
    tl, tr = pixels[b, t, lft], pixels[b, t, rgt]
    bl, br = pixels[b, btm, lft], pixels[b, btm, rgt]
    xl, yl = x_lerp[:, None, :, None], y_lerp[:, :, None, None]
    # Slopes of the blend along y and x; zero where a coordinate sits on a pixel row.
    slope_y = (bl - tl) * (_F32(1) - xl) + (br - tr) * xl
    slope_x = (tr - tl) * (_F32(1) - yl) + (br - bl) * yl
    g = grads.astype(_F32, copy=False)
    inside = (y_in[:, :, None] & x_in[:, None, :])[..., None]
    along_y = np.where(inside, g * slope_y, _F32(0)).sum(axis=(2, 3))
    along_x = np.where(inside, g * slope_x, _F32(0)).sum(axis=(1, 3))
    out = np.stack(
        [
            (along_y * dy_lo).sum(axis=1),
            (along_x * dx_lo).sum(axis=1),
            (along_y * dy_hi).sum(axis=1),
            (along_x * dx_hi).sum(axis=1),
        ],
        axis=1,
    )
    return out.astype(_F32)


def _grad_boxes_infer(grads: Spec, image: Spec, boxes: Spec, box_ind: Spec, method):
    return Spec(dtypes.float32, boxes.shape)


_GRAD_BOXES = register(
    "CropAndResizeGradBoxes",
    kernel=_grad_boxes_kernel,
    grad=None,
    infer=_grad_boxes_infer,
    allowed=frozenset({dtypes.float32}),
)


def _typed(value, dtype, index: int) -> Tensor:
    if not isinstance(value, Tensor):
        return to_tensor(np.asarray(value, dtype.as_numpy_dtype))
    if value.dtype != dtype:
        kind = {dtypes.float32: "float", dtypes.float64: "double"}
        raise _error(
            "CropAndResize",
            f"cannot compute CropAndResize as input #{index}(zero-based) was expected to be "
            f"a {kind.get(dtype, dtype.name)} tensor but is a "
            f"{kind.get(value.dtype, value.dtype.name)} tensor",
        )
    return value


def crop_and_resize(
    image,
    boxes,
    box_indices,
    crop_size,
    method="bilinear",
    extrapolation_value=0.0,
    name=None,
) -> Tensor:
    """Crops boxes out of a batch of images and resizes each crop to ``crop_size``.

    Args:
        image: ``[batch, height, width, depth]`` real tensor.
        boxes: ``[num_boxes, 4]`` float32 ``(y1, x1, y2, x2)`` in normalised
            coordinates (``0`` and ``1`` are the first and last pixel rows/columns;
            ``y1 > y2`` flips the crop; values outside ``[0, 1]`` extrapolate).
        box_indices: ``[num_boxes]`` int32: the image each box is cut from.
        crop_size: ``[crop_height, crop_width]`` int32, both positive.
        method: ``"bilinear"`` or ``"nearest"``.
        extrapolation_value: the value of samples outside the image.

    Returns:
        float32 ``[num_boxes, crop_height, crop_width, depth]``.

    Raises:
        InvalidArgumentError: bad ranks or shapes, non-positive sizes, unknown method.
        OutOfRangeError: a box index outside ``[0, batch)``.

    >>> import numpy as np
    >>> from tensorflux.ops.image_crop_resize_ops import crop_and_resize
    >>> image = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> crop_and_resize(image, [[0.0, 0.0, 0.5, 0.5]], [0], [3, 3]).numpy()[0, :, :, 0]
    array([[0. , 0.5, 1. ],
           [1.5, 2. , 2.5],
           [3. , 3.5, 4. ]], dtype=float32)
    """
    if method not in _METHODS:
        raise InvalidArgumentError(
            None,
            "CropAndResize",
            f"Value for attr 'method' of \"{method}\" is not in the list of allowed values: "
            '"bilinear", "nearest"',
        )
    x = image if isinstance(image, Tensor) else to_tensor(image)
    b = _typed(boxes, dtypes.float32, 1)
    i = _typed(box_indices, dtypes.int32, 2)
    s = _typed(crop_size, dtypes.int32, 3)
    return execute(
        _CROP_AND_RESIZE,
        (x, b, i, s),
        {"method": method, "extrapolation_value": float(extrapolation_value)},
    )
