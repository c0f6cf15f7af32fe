"""Image resampling ops whose output pixels are weighted sums of several source pixels:
ResizeBicubic, ResizeArea and ScaleAndTranslate (Lanczos, Gaussian, Mitchell-cubic
and other kernels), with the gradient ops TF has for them.

All are separable: along each spatial axis TF computes, per output position, a few
source positions and float32 weights. The kernels here build those weights exactly
as TF does (same float32 arithmetic, same bounding and renormalisation), gather them
into one ``(out, in)`` matrix per axis, and apply the two matrices with BLAS
contractions; gradients apply the transposes. Sums may round in another order than
TF's loops, so values agree to float32 rounding, not bit for bit.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.image_ops import (
    _F32,
    _check_attrs,
    _check_images,
    _check_size,
    _error,
    _prepare,
    _scale,
    _size_infer,
    _spatial_size,
    separable,
)

__all__ = []

_FLOATS_OUT = frozenset({dtypes.float32, dtypes.float64})


def _resample(images: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``rows @ image @ cols.T`` for every image and channel, in float32."""
    return separable(images, rows, cols)


def _resample_transposed(grads, rows, cols, dtype) -> np.ndarray:
    """The adjoint of ``_resample``: ``rows.T @ grads @ cols``, in ``dtype``."""
    work = dtype if np.dtype(dtype).itemsize >= 4 else _F32
    return separable(grads, rows.T.astype(work), cols.T.astype(work)).astype(dtype, copy=False)


def _matrix(out_size: int, in_size: int, index: np.ndarray, weight: np.ndarray):
    """Sums ``weight[o, k]`` into ``matrix[o, index[o, k]]`` (repeated indices add up)."""
    matrix = np.zeros((out_size, in_size), dtype=_F32)
    rows = np.broadcast_to(np.arange(out_size)[:, None], index.shape)
    np.add.at(matrix, (rows, index), weight.astype(_F32))
    return matrix


# -- ResizeBicubic --------------------------------------------------------------------

_TABLE_SIZE = 1024


def _coefficients(a: float) -> np.ndarray:
    """TF's table of cubic-convolution coefficients: ``[i, 0]`` for ``|t| = i / 1024``,
    ``[i, 1]`` for ``|t| = 1 + i / 1024`` (computed in double from float positions)."""
    x = (np.arange(_TABLE_SIZE + 1) / _TABLE_SIZE).astype(_F32).astype(np.float64)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    x = (x.astype(_F32) + _F32(1)).astype(np.float64)
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.stack([near, far], axis=1).astype(_F32)


_KEYS_TABLE = _coefficients(-0.5)
_LEGACY_TABLE = _coefficients(-0.75)


def _bicubic_matrix(out_size: int, in_size: int, align_corners: bool, half_pixel: bool):
    scale = _scale(in_size, out_size, align_corners)
    i = np.arange(out_size, dtype=_F32)
    src = (i + _F32(0.5)) * scale - _F32(0.5) if half_pixel else i * scale
    base = np.floor(src)
    delta = (src - base).astype(_F32)
    base = base.astype(np.int64)
    offset = np.rint(delta * _F32(_TABLE_SIZE)).astype(np.int64)
    table = _KEYS_TABLE if half_pixel else _LEGACY_TABLE
    weight = np.stack(
        [
            table[offset, 1],
            table[offset, 0],
            table[_TABLE_SIZE - offset, 0],
            table[_TABLE_SIZE - offset, 1],
        ],
        axis=1,
    )
    wanted = base[:, None] + np.arange(-1, 3)
    index = np.clip(wanted, 0, in_size - 1)
    if half_pixel:
        # Keys' variant: taps outside the image get no weight, the others are rescaled.
        weight = np.where(index == wanted, weight, _F32(0))
        total = weight[:, 0] + weight[:, 1] + weight[:, 2] + weight[:, 3]
        usable = np.abs(total) >= _F32(1000) * np.finfo(_F32).tiny
        inverse = np.where(usable, _F32(1) / np.where(usable, total, _F32(1)), _F32(1))
        weight = np.where(usable[:, None], weight * inverse[:, None], weight)
    return _matrix(out_size, in_size, index, weight)


def _bicubic_matrices(height, width, in_height, in_width, align_corners, half_pixel):
    return (
        _bicubic_matrix(height, in_height, align_corners, half_pixel),
        _bicubic_matrix(width, in_width, align_corners, half_pixel),
    )


def _resize_bicubic_kernel(images, size, align_corners, half_pixel_centers):
    name = "ResizeBicubic"
    _check_attrs(name, align_corners, half_pixel_centers)
    _check_images(name, images.shape)
    height, width = _check_size(name, np.asarray(size))
    if images.shape[1] == 0 or images.shape[2] == 0:
        raise _error(name, "input image must be of non-zero size")
    rows, cols = _bicubic_matrices(
        height, width, images.shape[1], images.shape[2], align_corners, half_pixel_centers
    )
    return _resample(images, rows, cols)


def _resize_float32_infer(images: Spec, size: Spec, **attrs) -> Spec:
    return _size_infer(images, size, dtypes.float32)


def _resize_bicubic_grad(call, dy):
    """ResizeBicubicGrad(dy, images): dy spread back by the transposed cubic weights."""
    attrs = {k: call.attrs[k] for k in ("align_corners", "half_pixel_centers")}
    return execute(_RESIZE_BICUBIC_GRAD, (dy, call.inputs[0]), attrs), None


_RESIZE_BICUBIC = register(
    "ResizeBicubic",
    kernel=_resize_bicubic_kernel,
    grad=_resize_bicubic_grad,
    infer=_resize_float32_infer,
    allowed=REAL,
    shape_inputs=(1,),
)


def _resize_bicubic_grad_kernel(grads, original_image, align_corners, half_pixel_centers):
    name = "ResizeBicubicGrad"
    _check_attrs(name, align_corners, half_pixel_centers)
    _check_images(name, grads.shape, "input_grad")
    _check_images(name, original_image.shape, "original_image")
    rows, cols = _bicubic_matrices(
        grads.shape[1],
        grads.shape[2],
        original_image.shape[1],
        original_image.shape[2],
        align_corners,
        half_pixel_centers,
    )
    return _resample_transposed(grads, rows, cols, original_image.dtype)


def _like_original_infer(grads: Spec, original_image: Spec, *rest, **attrs) -> Spec:
    return Spec(original_image.dtype, original_image.shape)


def _resize_bicubic_grad_grad(call, ddx):
    """The adjoint of the spreading: ddx resized (bicubic) to the grads' size."""
    return execute(_RESIZE_BICUBIC, (ddx, _spatial_size(call.inputs[0])), call.attrs), None


_RESIZE_BICUBIC_GRAD = register(
    "ResizeBicubicGrad",
    kernel=_resize_bicubic_grad_kernel,
    grad=_resize_bicubic_grad_grad,
    infer=_like_original_infer,
    allowed=frozenset({dtypes.float32}),
)


# -- ResizeArea -----------------------------------------------------------------------


def _area_matrix(out_size: int, in_size: int, align_corners: bool) -> np.ndarray:
    """Each output cell covers ``[y * scale, (y + 1) * scale)`` of the input: the weight of
    a source cell is the length of its overlap (TF's float32 arithmetic)."""
    scale = _scale(in_size, out_size, align_corners)
    y = np.arange(out_size, dtype=_F32)
    lo, hi = y * scale, (y + _F32(1)) * scale
    start, end = np.floor(lo).astype(np.int64), np.ceil(hi).astype(np.int64)
    span = int(np.max(end - start)) if out_size else 0
    cell = start[:, None] + np.arange(span)
    inside = cell < end[:, None]
    cell_f = cell.astype(_F32)
    lo, hi = lo[:, None], hi[:, None]
    after = np.where(cell_f + _F32(1) > hi, hi - cell_f, _F32(1))
    before = np.where(cell_f + _F32(1) > hi, scale, cell_f + _F32(1) - lo)
    weight = np.where(cell_f < lo, before, after)
    return _matrix(
        out_size, in_size, np.clip(cell, 0, in_size - 1), np.where(inside, weight, _F32(0))
    )


def _resize_area_kernel(images, size, align_corners):
    name = "ResizeArea"
    _check_images(name, images.shape)
    height, width = _check_size(name, np.asarray(size))
    if images.shape[1] == 0 or images.shape[2] == 0:
        raise _error(name, "input image must be of non-zero size")
    in_height, in_width = images.shape[1:3]
    rows = _area_matrix(height, in_height, align_corners)
    cols = _area_matrix(width, in_width, align_corners)
    norm = _F32(
        1.0 / (_scale(in_height, height, align_corners) * _scale(in_width, width, align_corners))
    )
    return _resample(images, rows, cols) * norm


# No gradient, as in TF (which registers none for ResizeArea).
_RESIZE_AREA = register(
    "ResizeArea",
    kernel=_resize_area_kernel,
    grad=None,
    infer=_resize_float32_infer,
    allowed=REAL,
    shape_inputs=(1,),
)


# -- ScaleAndTranslate ----------------------------------------------------------------

_PI = _F32(3.14159265359)


def _lanczos(radius: float):
    def kernel(x):
        tiny = x <= _F32(1e-3)
        x = np.where(tiny, _F32(1), x)  # sin(x) / x is 1 in the limit; avoids 0 / 0
        px = _PI * x
        value = _F32(radius) * np.sin(px) * np.sin(px / _F32(radius)) / (_PI * _PI * x * x)
        return np.where(x > radius, _F32(0), np.where(tiny, _F32(1), value))

    return kernel, radius


def _gaussian(x):
    sigma = 1.5 / 3.0
    value = np.exp((-x.astype(np.float64) * x) / (2.0 * sigma * sigma)).astype(_F32)
    return np.where(x >= _F32(1.5), _F32(0), value)


def _cubic(near, far):
    def kernel(x):
        return np.where(x >= 2, _F32(0), np.where(x >= 1, far(x), near(x))).astype(_F32)

    return kernel, 2.0


_SAMPLING_KERNELS = {
    "lanczos1": _lanczos(1.0),
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
    "gaussian": (_gaussian, 1.5),
    "box": (lambda x: np.where(x < 0.5, _F32(1), np.where(x == 0.5, _F32(0.5), _F32(0))), 1.0),
    "triangle": (lambda x: np.where(x < 1, _F32(1) - x, _F32(0)), 1.0),
    "keyscubic": _cubic(
        lambda x: ((_F32(1.5) * x - _F32(2.5)) * x) * x + _F32(1),
        lambda x: ((_F32(-0.5) * x + _F32(2.5)) * x - _F32(4)) * x + _F32(2),
    ),
    "mitchellcubic": _cubic(
        lambda x: ((_F32(7 / 6) * x - _F32(2)) * x) * x + _F32(8 / 9),
        lambda x: ((_F32(-7 / 18) * x + _F32(2)) * x - _F32(10 / 3)) * x + _F32(16 / 9),
    ),
}


def _span_matrix(
    out_size: int, in_size: int, scale, translate, kernel_type: str, antialias: bool
) -> np.ndarray:
    """TF's sampling spans along one axis, as an (out, in) matrix of normalised weights."""
    kernel, radius = _SAMPLING_KERNELS[kernel_type]
    inv_scale = _F32(1.0 / float(scale))
    inv_translate = -inv_scale * _F32(translate)
    kernel_scale = max(inv_scale, _F32(1)) if antialias else _F32(1)
    reach = _F32(radius) * kernel_scale
    sample = (np.arange(out_size, dtype=_F32) + _F32(0.5)) * inv_scale + inv_translate
    start = np.clip(np.ceil(sample - reach - _F32(0.5)).astype(np.int64), 0, in_size - 1)
    end = np.clip(np.floor(sample + reach - _F32(0.5)).astype(np.int64), 0, in_size - 1) + 1
    span = min(2 * int(np.ceil(reach)) + 1, in_size)
    source = start[:, None] + np.arange(span)
    inside = (source < end[:, None]) & ((sample >= 0) & (sample <= in_size))[:, None]
    position = source.astype(_F32) + _F32(0.5) - sample[:, None]
    weight = np.where(inside, kernel(np.abs(position * (_F32(1) / kernel_scale))), _F32(0))
    total = np.zeros(out_size, dtype=_F32)
    for k in range(span):  # TF sums the taps in order, in float32
        total += weight[:, k]
    usable = np.abs(total) >= _F32(1000) * np.finfo(_F32).tiny
    inverse = _F32(1) / np.where(usable, total, _F32(1))
    weight = np.where(usable[:, None], weight * inverse[:, None], _F32(0))
    return _matrix(out_size, in_size, np.minimum(source, in_size - 1), weight)


def _check_pair(name: str, value: np.ndarray, what: str) -> np.ndarray:
    if value.ndim != 1:
        raise _error(name, f"{what} must be 1-dimensional{list(value.shape)}")
    if value.size != 2:
        raise _error(name, f"{what} must have two elements{list(value.shape)}")
    return value


def _span_matrices(
    name, height, width, in_height, in_width, scale, translation, kernel_type, antialias
):
    scale = _check_pair(name, np.asarray(scale, dtype=_F32), "t")
    translation = _check_pair(name, np.asarray(translation, dtype=_F32), "t")
    if not (scale[0] > 0 and scale[1] > 0):
        raise _error(name, "Scale must be greater than zero.")
    return (
        _span_matrix(height, in_height, scale[0], translation[0], kernel_type, antialias),
        _span_matrix(width, in_width, scale[1], translation[1], kernel_type, antialias),
    )


def _scale_and_translate_kernel(images, size, scale, translation, kernel_type, antialias):
    name = "ScaleAndTranslate"
    _check_images(name, images.shape)
    height, width = _check_size(name, np.asarray(size))
    if images.shape[3] == 0:
        raise _error(name, "image must have at least one channel")
    if images.shape[1] == 0 or images.shape[2] == 0:
        raise _error(name, "input image must be of non-zero size")
    rows, cols = _span_matrices(
        name,
        height,
        width,
        images.shape[1],
        images.shape[2],
        scale,
        translation,
        kernel_type,
        antialias,
    )
    return _resample(images, rows, cols)


def _scale_and_translate_infer(
    images: Spec, size: Spec, scale: Spec, translation: Spec, kernel_type, antialias
) -> Spec:
    return _size_infer(images, size, dtypes.float32)


def _scale_and_translate_grad(call, dy):
    """ScaleAndTranslateGrad(dy, images, scale, translation): the transposed spans."""
    images, _, scale, translation = call.inputs
    attrs = {"kernel_type": call.attrs["kernel_type"], "antialias": call.attrs["antialias"]}
    return (
        execute(_SCALE_AND_TRANSLATE_GRAD, (dy, images, scale, translation), attrs),
        None,
        None,
        None,
    )


_SCALE_AND_TRANSLATE = register(
    "ScaleAndTranslate",
    kernel=_scale_and_translate_kernel,
    grad=_scale_and_translate_grad,
    infer=_scale_and_translate_infer,
    allowed=REAL,
    shape_inputs=(1,),
)


def _scale_and_translate_grad_kernel(
    grads, original_image, scale, translation, kernel_type, antialias
):
    name = "ScaleAndTranslateGrad"
    _check_images(name, grads.shape, "input_grad")
    _check_images(name, original_image.shape, "original_image")
    rows, cols = _span_matrices(
        name,
        grads.shape[1],
        grads.shape[2],
        original_image.shape[1],
        original_image.shape[2],
        scale,
        translation,
        kernel_type,
        antialias,
    )
    return _resample_transposed(grads, rows, cols, original_image.dtype)


def _scale_and_translate_grad_grad(call, ddx):
    """The adjoint of the spreading: ddx resampled forward to the grads' size."""
    grads, _, scale, translation = call.inputs
    return (
        execute(_SCALE_AND_TRANSLATE, (ddx, _spatial_size(grads), scale, translation), call.attrs),
        None,
        None,
        None,
    )


_SCALE_AND_TRANSLATE_GRAD = register(
    "ScaleAndTranslateGrad",
    kernel=_scale_and_translate_grad_kernel,
    grad=_scale_and_translate_grad_grad,
    infer=_like_original_infer,
    allowed=frozenset({dtypes.float32}),
)


# -- wrappers -------------------------------------------------------------------------


def resize_bicubic(
    images, size, align_corners=False, half_pixel_centers=False, name=None
) -> Tensor:
    """Resizes a batch of images ``[batch, height, width, channels]`` to ``size`` by
    cubic convolution (TF's ``ResizeBicubic``: Keys' kernel with ``a = -0.5`` and
    renormalised borders for half-pixel centres, ``a = -0.75`` otherwise). Float32 out.

    A primitive: two weight matrices applied with BLAS; its gradient is their transpose.

    >>> from tensorflux.ops.image_resample_ops import resize_bicubic
    >>> resize_bicubic([[[[0.0], [1.0]]]], [1, 4], half_pixel_centers=True).numpy().ravel()
    array([-0.0882353 ,  0.20714286,  0.79285717,  1.0882354 ], dtype=float32)

    Raises:
        InvalidArgumentError: as ``image_ops.resize_bilinear``.
    """
    x, size_t, attrs = _prepare("ResizeBicubic", images, size, align_corners, half_pixel_centers)
    return execute(_RESIZE_BICUBIC, (x, size_t), attrs)


def resize_area(images, size, align_corners=False, name=None) -> Tensor:
    """Resizes a batch of images to ``size`` by averaging the source area each output
    pixel covers (TF's ``ResizeArea``; float32 out). Not differentiable, as in TF.

    >>> from tensorflux.ops.image_resample_ops import resize_area
    >>> resize_area([[[[1.0], [3.0]]]], [1, 1]).numpy().ravel()
    array([2.], dtype=float32)

    Raises:
        InvalidArgumentError: as ``image_ops.resize_bilinear``.
    """
    x, size_t, attrs = _prepare("ResizeArea", images, size, align_corners, False)
    del attrs["half_pixel_centers"]
    return execute(_RESIZE_AREA, (x, size_t), attrs)


def scale_and_translate(
    images, size, scale, translation, kernel_type="lanczos3", antialias=True, name=None
) -> Tensor:
    """Resamples images with a sampling kernel, mapping output pixel centre ``p`` to
    input position ``(p - translation) / scale`` (TF's ``ScaleAndTranslate``; float32
    out). ``tf.image.resize`` uses it for "lanczos3", "lanczos5", "gaussian" and
    "mitchellcubic" with a zero translation.

    >>> from tensorflux.ops.image_resample_ops import scale_and_translate
    >>> scale_and_translate([[[[2.0], [2.0]]]], [1, 4], [1.0, 2.0], [0.0, 0.0],
    ...                     "lanczos3", False).numpy().ravel()
    array([2., 2., 2., 2.], dtype=float32)

    Args:
        scale, translation: two float32s each (rows, columns).
        kernel_type: "lanczos1", "lanczos3", "lanczos5", "gaussian", "box", "triangle",
            "keyscubic" or "mitchellcubic".
        antialias: widen the kernel when downsampling, so it low-pass filters.

    Raises:
        InvalidArgumentError: an unknown kernel type, a scale that is not positive, or
            inputs as ``image_ops.resize_bilinear`` rejects them.
    """
    if kernel_type not in _SAMPLING_KERNELS:
        raise _error("ScaleAndTranslate", f"Unrecognized kernel type: {kernel_type}")
    x, size_t, attrs = _prepare("ScaleAndTranslate", images, size, False, False)
    attrs = {"kernel_type": kernel_type, "antialias": bool(antialias)}
    scale_t = convert_to_tensor(scale, dtypes.float32) if not isinstance(scale, Tensor) else scale
    translation_t = (
        convert_to_tensor(translation, dtypes.float32)
        if not isinstance(translation, Tensor)
        else translation
    )
    return execute(_SCALE_AND_TRANSLATE, (x, size_t, scale_t, translation_t), attrs)


def resize_bicubic_grad(
    grads, original_image, align_corners=False, half_pixel_centers=False, name=None
) -> Tensor:
    """The gradient of ``resize_bicubic`` for ``original_image`` (``ResizeBicubicGrad``)."""
    _check_attrs("ResizeBicubicGrad", bool(align_corners), bool(half_pixel_centers))
    return execute(
        _RESIZE_BICUBIC_GRAD,
        (to_tensor(grads), to_tensor(original_image)),
        {"align_corners": bool(align_corners), "half_pixel_centers": bool(half_pixel_centers)},
    )


def scale_and_translate_grad(
    grads, original_image, scale, translation, kernel_type="lanczos3", antialias=True, name=None
) -> Tensor:
    """The gradient of ``scale_and_translate`` for ``original_image``
    (``ScaleAndTranslateGrad``)."""
    return execute(
        _SCALE_AND_TRANSLATE_GRAD,
        (
            to_tensor(grads),
            to_tensor(original_image),
            to_tensor(scale, dtypes.float32),
            to_tensor(translation, dtypes.float32),
        ),
        {"kernel_type": kernel_type, "antialias": bool(antialias)},
    )
