"""Image resizing ops: ResizeBilinear, ResizeNearestNeighbor and their gradients.

TF's kernels map each output pixel to a source coordinate in float32, so the ones here
do the same arithmetic in float32 (scale ``in / out``, or ``(in - 1) / (out - 1)``
with ``align_corners``; half-pixel centres add 0.5 before scaling). The resize is
separable: one index map (nearest) or one pair of index maps with weights (bilinear)
per axis, applied with vectorised gathers; the gradients apply the transposed maps as
two matrix products over the whole batch (``separable``; segment sums for integers).

``size`` is an op input, as in TF, so one graph serves sizes known only when it runs;
the inference rules read what tracing knows of it (``Spec.value``, None where
unknown). ``tf.image`` itself comes later; these serve the Keras layers.
"""

from __future__ import annotations

import functools

import numpy as np

from tensorflux.engine.registry import FLOATING, REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.kernels.threads import parallel_pieces
from tensorflux.ops.common import known_shape, shape_tensor, to_tensor

__all__ = []

_F32 = np.float32
# TF's ResizeBilinear takes every real type but bool; ResizeNearestNeighbor no unsigned
# beyond 16 bits (NumPy names).
_NEAREST_TYPES = frozenset(
    {
        dtypes.int8,
        dtypes.uint8,
        dtypes.int16,
        dtypes.uint16,
        dtypes.int32,
        dtypes.int64,
        dtypes.float16,
        dtypes.bfloat16,
        dtypes.float32,
        dtypes.float64,
    }
)


def _error(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


def _check_attrs(op_name: str, align_corners: bool, half_pixel_centers: bool) -> None:
    if align_corners and half_pixel_centers:
        raise _error(op_name, "If half_pixel_centers is True, align_corners must be False.")


def _check_images(op_name: str, shape: tuple, what: str = "input") -> None:
    if len(shape) != 4:
        dims = ",".join(str(d) for d in shape)
        raise _error(op_name, f"{what} must be 4-dimensional[{dims}]")


def _check_size(op_name: str, size: np.ndarray) -> tuple:
    if size.shape != (2,):
        raise _error(op_name, f"shape_t must have two elements{list(size.shape)}")
    height, width = int(size[0]), int(size[1])
    if height <= 0 or width <= 0:
        raise _error(op_name, "output dimensions must be positive")
    return height, width


def _scale(in_size: int, out_size: int, align_corners: bool):
    """TF's CalculateResizeScale, in float32."""
    if align_corners and out_size > 1:
        return _F32(in_size - 1) / _F32(out_size - 1)
    return _F32(in_size) / _F32(out_size)


def _nearest_index(out_size: int, in_size: int, align_corners: bool, half_pixel: bool):
    """For each output position, the source position nearest to its mapped coordinate."""
    scale = _scale(in_size, out_size, align_corners)
    i = np.arange(out_size, dtype=_F32)
    src = (i + _F32(0.5)) * scale if half_pixel else i * scale
    floor = np.floor(src)
    # roundf rounds halves away from zero; coordinates here are never negative.
    index = floor + (src - floor >= 0.5) if align_corners else floor
    return np.clip(index.astype(np.int64), 0, in_size - 1)


@functools.lru_cache(maxsize=256)
def _bilinear_weights(out_size: int, in_size: int, align_corners: bool, half_pixel: bool):
    """TF's interpolation weights: lower and upper source positions and the lerp.

    Cached (read-only arrays): an image pipeline resizes many images between the same
    few sizes."""
    scale = _scale(in_size, out_size, align_corners)
    i = np.arange(out_size, dtype=_F32)
    src = (i + _F32(0.5)) * scale - _F32(0.5) if half_pixel else i * scale
    floor = np.floor(src)
    lower = np.maximum(floor.astype(np.int64), 0)
    upper = np.minimum(np.ceil(src).astype(np.int64), in_size - 1)
    weights = (lower, upper, (src - floor).astype(_F32))
    for array in weights:
        array.setflags(write=False)
    return weights


def _interpolation_matrix(
    out_size: int, in_size: int, align_corners: bool, half_pixel: bool
) -> np.ndarray:
    """The (out, in) matrix of bilinear weights along one axis."""
    lower, upper, lerp = _bilinear_weights(out_size, in_size, align_corners, half_pixel)
    matrix = np.zeros((out_size, in_size), dtype=_F32)
    rows = np.arange(out_size)
    np.add.at(matrix, (rows, lower), _F32(1) - lerp)
    np.add.at(matrix, (rows, upper), lerp)
    return matrix


def _segment_sum(values: np.ndarray, index: np.ndarray, size: int, axis: int) -> np.ndarray:
    """Sums ``values`` along ``axis`` into ``size`` slots by a non-decreasing ``index``."""
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    sums = np.add.reduceat(values, starts, axis=axis, dtype=values.dtype)
    shape = list(values.shape)
    shape[axis] = size
    out = np.zeros(shape, dtype=values.dtype)
    key = [slice(None)] * values.ndim
    key[axis] = index[starts]
    out[tuple(key)] = sums
    return out


def _one_hot(index: np.ndarray, size: int, dtype) -> np.ndarray:
    """The (len(index), size) matrix with a 1 at ``[i, index[i]]``."""
    matrix = np.zeros((len(index), size), dtype=dtype)
    matrix[np.arange(len(index)), index] = 1
    return matrix


def separable(images: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``rows @ image @ cols.T`` for every image and channel of a ``[b, h, w, c]`` batch
    (``rows``: (out_h, h), ``cols``: (out_w, w)), in the matrices' dtype.

    Each axis is one large GEMM over the whole batch: batched small matrix products are
    far slower with a multi-threaded BLAS.
    """
    b, h, w, c = images.shape
    out_h, out_w = rows.shape[0], cols.shape[0]
    x = np.asarray(images, dtype=rows.dtype).transpose(1, 0, 2, 3).reshape(h, b * w * c)
    t = (rows @ x).reshape(out_h, b, w, c).transpose(2, 1, 0, 3).reshape(w, b * out_h * c)
    out = (cols @ t).reshape(out_w, b, out_h, c).transpose(1, 2, 0, 3)
    return np.ascontiguousarray(out)


def _size_infer(images: Spec, size: Spec, dtype) -> Spec:
    batch, channels = (
        (None, None) if images.shape.rank is None else (images.shape[0], images.shape[3])
    )
    height, width = size.value if isinstance(size.value, list) else (None, None)
    return Spec(dtype, TensorShape([batch, height, width, channels]))


# -- ResizeNearestNeighbor ------------------------------------------------------------


def _resize_nearest_kernel(images, size, align_corners, half_pixel_centers):
    name = "ResizeNearestNeighbor"
    _check_attrs(name, align_corners, half_pixel_centers)
    _check_images(name, images.shape)
    height, width = _check_size(name, np.asarray(size))
    if images.shape[1] == 0 or images.shape[2] == 0:
        raise _error(name, "input image must be of non-zero size")
    rows = _nearest_index(height, images.shape[1], align_corners, half_pixel_centers)
    cols = _nearest_index(width, images.shape[2], align_corners, half_pixel_centers)
    return np.take(np.take(images, rows, axis=1), cols, axis=2)


def _resize_nearest_infer(images: Spec, size: Spec, align_corners, half_pixel_centers) -> Spec:
    return _size_infer(images, size, images.dtype)


def _resize_nearest_grad(call, dy):
    """Each input pixel gets the sum of dy over the output pixels that copied it."""
    images = call.inputs[0]
    return execute(_RESIZE_NEAREST_GRAD, (dy, _spatial_size(images)), call.attrs), None


_RESIZE_NEAREST = register(
    "ResizeNearestNeighbor",
    kernel=_resize_nearest_kernel,
    grad=_resize_nearest_grad,
    infer=_resize_nearest_infer,
    allowed=_NEAREST_TYPES,
    shape_inputs=(1,),
)


def _resize_nearest_grad_kernel(grads, size, align_corners, half_pixel_centers):
    name = "ResizeNearestNeighborGrad"
    _check_attrs(name, align_corners, half_pixel_centers)
    _check_images(name, grads.shape)
    height, width = _check_size(name, np.asarray(size))
    rows = _nearest_index(grads.shape[1], height, align_corners, half_pixel_centers)
    cols = _nearest_index(grads.shape[2], width, align_corners, half_pixel_centers)
    if grads.dtype.kind == "f" and grads.dtype.itemsize >= 4:
        return separable(
            grads, _one_hot(rows, height, grads.dtype).T, _one_hot(cols, width, grads.dtype).T
        )
    return _segment_sum(_segment_sum(grads, rows, height, 1), cols, width, 2)


def _resize_nearest_grad_grad(call, ddx):
    """The adjoint of the segment sum: ddx resized (nearest) to the grads' size."""
    grads = call.inputs[0]
    return execute(_RESIZE_NEAREST, (ddx, _spatial_size(grads)), call.attrs), None


_RESIZE_NEAREST_GRAD = register(
    "ResizeNearestNeighborGrad",
    kernel=_resize_nearest_grad_kernel,
    grad=_resize_nearest_grad_grad,
    infer=_resize_nearest_infer,
    allowed=frozenset(
        {
            dtypes.uint8,
            dtypes.int8,
            dtypes.int32,
            dtypes.float16,
            dtypes.bfloat16,
            dtypes.float32,
            dtypes.float64,
        }
    ),
    shape_inputs=(1,),
)


# -- ResizeBilinear -------------------------------------------------------------------

# Input elements resized at a time, and the fewest a thread of the budget takes on. 64
# 96x128x3 images to 64x64 on two threads took 7.7-8.3 ms in pieces of 2^17 elements,
# 5.4-6.1 in pieces of 2^19: fewer NumPy calls paid more than a piece's lerps fitting
# in the cache.
_RESIZE_PIECE_ELEMENTS = 1 << 19
_RESIZE_PARALLEL_ELEMENTS = 1 << 18


# Types whose gathered values the lerp's ufuncs convert to float32 as they read them, as
# TF converts each value it reads; other inputs are converted a piece at a time first.
_LERPED_AS_READ = frozenset(np.dtype(t) for t in (np.uint8, np.int8, np.uint16, np.int16, _F32))


@functools.lru_cache(maxsize=256)
def _flat_columns(out_width: int, in_width: int, channels: int, align_corners, half_pixel):
    """The x lerps of a row of ``in_width * channels`` values, as positions in that row:
    for each output value, where its left and right inputs are, and its weight. Gathers
    of single values from a flat row are copies of one item, where gathering whole pixels
    of 3 channels called memmove once a pixel."""
    left, right, lerp = _bilinear_weights(out_width, in_width, align_corners, half_pixel)
    offsets = np.arange(channels)
    columns = (
        (left[:, None] * channels + offsets).ravel(),
        (right[:, None] * channels + offsets).ravel(),
        np.repeat(lerp, channels),
    )
    for array in columns:
        array.setflags(write=False)
    return columns


def _resize_bilinear_kernel(images, size, align_corners, half_pixel_centers):
    name = "ResizeBilinear"
    _check_attrs(name, align_corners, half_pixel_centers)
    _check_images(name, images.shape)
    height, width = _check_size(name, np.asarray(size))
    batch, in_height, in_width, channels = images.shape
    if in_height == 0 or in_width == 0:
        raise _error(name, "input image must be of non-zero size")
    top, bottom, ylerp = _bilinear_weights(height, in_height, align_corners, half_pixel_centers)
    left, right, xlerp = _flat_columns(width, in_width, channels, align_corners, half_pixel_centers)
    ylerp = ylerp[:, None]
    out = np.empty((batch, height, width * channels), _F32)
    # Images are independent: a piece of whole images at a time on the threads of the
    # budget.
    per_image = max(1, in_height * in_width * channels)

    def resize_piece(start: int, stop: int) -> None:
        # TF's arithmetic, lerp along x then along y; the x lerps are done once per input
        # row (every output row reads two of them) instead of once per output row.
        x = images[start:stop]
        if x.dtype not in _LERPED_AS_READ:
            x = np.asarray(x, dtype=_F32)
        rows = x.reshape((stop - start) * in_height, in_width * channels)
        left_values = np.take(rows, left, axis=1)
        lerped = np.subtract(np.take(rows, right, axis=1), left_values, dtype=_F32)
        lerped *= xlerp
        np.add(lerped, left_values, out=lerped)
        lerped = lerped.reshape(stop - start, in_height, width * channels)
        up = np.take(lerped, top, axis=1)
        piece = out[start:stop]
        np.take(lerped, bottom, axis=1, out=piece)
        piece -= up
        piece *= ylerp
        piece += up

    parallel_pieces(
        batch,
        max(1, _RESIZE_PIECE_ELEMENTS // per_image),
        resize_piece,
        max(1, _RESIZE_PARALLEL_ELEMENTS // per_image),
        balanced=True,
    )
    return out.reshape(batch, height, width, channels)


def _resize_bilinear_infer(images: Spec, size: Spec, align_corners, half_pixel_centers) -> Spec:
    return _size_infer(images, size, dtypes.float32)


def _resize_bilinear_grad(call, dy):
    """ResizeBilinearGrad(dy, images): each output's dy spread back by its four weights."""
    images = call.inputs[0]
    attrs = {k: call.attrs[k] for k in ("align_corners", "half_pixel_centers")}
    return execute(_RESIZE_BILINEAR_GRAD, (dy, images), attrs), None


_RESIZE_BILINEAR = register(
    "ResizeBilinear",
    kernel=_resize_bilinear_kernel,
    grad=_resize_bilinear_grad,
    infer=_resize_bilinear_infer,
    allowed=REAL,
    shape_inputs=(1,),
)


def _resize_bilinear_grad_kernel(grads, original_image, align_corners, half_pixel_centers):
    name = "ResizeBilinearGrad"
    _check_attrs(name, align_corners, half_pixel_centers)
    _check_images(name, grads.shape, "input_grad")
    _check_images(name, original_image.shape, "original_image")
    height, width = original_image.shape[1:3]
    rows = _interpolation_matrix(grads.shape[1], height, align_corners, half_pixel_centers)
    cols = _interpolation_matrix(grads.shape[2], width, align_corners, half_pixel_centers)
    dtype = original_image.dtype if original_image.dtype.itemsize >= 4 else _F32
    out = separable(grads, rows.T.astype(dtype), cols.T.astype(dtype))
    return out.astype(original_image.dtype, copy=False)


def _resize_bilinear_grad_infer(
    grads: Spec, original_image: Spec, align_corners, half_pixel_centers
) -> Spec:
    return Spec(original_image.dtype, original_image.shape)


def _resize_bilinear_grad_grad(call, ddx):
    """The adjoint of the spreading: ddx resized (bilinear) to the grads' size."""
    grads = call.inputs[0]
    return execute(_RESIZE_BILINEAR, (ddx, _spatial_size(grads)), call.attrs), None


_RESIZE_BILINEAR_GRAD = register(
    "ResizeBilinearGrad",
    kernel=_resize_bilinear_grad_kernel,
    grad=_resize_bilinear_grad_grad,
    infer=_resize_bilinear_grad_infer,
    allowed=frozenset({dtypes.float32}),
)


# -- wrappers -------------------------------------------------------------------------


def _spatial_size(x: Tensor) -> Tensor:
    """``x``'s (height, width) as an int32 tensor, noted with what tracing knows of them
    (``Spec.value``)."""
    shape = known_shape(x)
    if shape is not None:
        return shape_tensor([int(d) for d in shape[1:3]])
    from tensorflux.ops.shape_ops import shape as tf_shape
    from tensorflux.ops.strided_slice_ops import getitem

    size = getitem(tf_shape(x), slice(1, 3))
    if type(size) is SymbolicTensor:
        size._graph.shape_values[size._slot] = x.shape.as_list()[1:3]
    return size


def _size_arg(op_name: str, size) -> Tensor:
    """``size`` as an int32 tensor of two entries (noted with what tracing knows of
    them)."""
    if type(size) is SymbolicTensor or (
        isinstance(size, (list, tuple)) and any(type(d) is SymbolicTensor for d in size)
    ):
        from tensorflux.ops.creation_ops import traced_shape_arg

        size_t, known = traced_shape_arg(size)
    else:
        size_t = convert_to_tensor(size, dtypes.int32) if not isinstance(size, Tensor) else size
        known = np.asarray(size_t.numpy()).reshape(-1)
        if size_t.dtype is dtypes.int32 and np.ndim(size_t.numpy()) == 1:
            _check_size(op_name, np.asarray(size_t.numpy()))
    if size_t.dtype is not dtypes.int32:
        raise _error(
            op_name,
            f"cannot compute {op_name} as input #1(zero-based) was expected "
            f"to be a int32 tensor but is a {size_t.dtype.name} tensor. Cast the "
            f"size with tf.cast(size, tf.int32)",
        )
    if len(known) != 2:
        raise _error(op_name, f"shape_t must have two elements[{len(known)}]")
    return size_t


def _prepare(op_name: str, images, size, align_corners, half_pixel_centers) -> tuple:
    x = to_tensor(images)
    dims = known_shape(x)
    rank = len(dims) if dims is not None else x.shape.rank
    if rank != 4:
        shape = dims if dims is not None else tuple(x.shape.as_list())
        _check_images(op_name, shape)
    _check_attrs(op_name, bool(align_corners), bool(half_pixel_centers))
    size_t = _size_arg(op_name, size)
    attrs = {"align_corners": bool(align_corners), "half_pixel_centers": bool(half_pixel_centers)}
    return x, size_t, attrs


def resize_bilinear(
    images, size, align_corners=False, half_pixel_centers=False, name=None
) -> Tensor:
    """Resizes a batch of images ``[batch, height, width, channels]`` to ``size`` by
    bilinear interpolation (TF's ``ResizeBilinear``; ``tf.image.resize`` uses
    ``half_pixel_centers=True``). The result is float32 whatever the input's type.

    A primitive: a fused gather-and-lerp kernel whose gradient is one contraction.

    >>> from tensorflux.ops.image_ops import resize_bilinear
    >>> resize_bilinear([[[[0.0], [1.0]]]], [1, 4], half_pixel_centers=True).numpy().ravel()
    array([0.  , 0.25, 0.75, 1.  ], dtype=float32)

    Args:
        images: a 4-D real tensor.
        size: two positive int32s ``[new_height, new_width]`` (a tensor is fine).
        align_corners: map the corner pixels of input and output onto each other.
        half_pixel_centers: sample at pixel centres (TF 2's ``tf.image.resize``).

    Raises:
        InvalidArgumentError: images that are not 4-D or empty, a size that is not two
            positive entries, or both ``align_corners`` and ``half_pixel_centers``.
    """
    x, size_t, attrs = _prepare("ResizeBilinear", images, size, align_corners, half_pixel_centers)
    return execute(_RESIZE_BILINEAR, (x, size_t), attrs)


def resize_nearest_neighbor(
    images, size, align_corners=False, half_pixel_centers=False, name=None
) -> Tensor:
    """Resizes a batch of images ``[batch, height, width, channels]`` to ``size`` by
    copying the nearest source pixel (TF's ``ResizeNearestNeighbor``); keeps the dtype.

    A primitive: two gathers, and a gradient that is two segment sums.

    >>> from tensorflux.ops.image_ops import resize_nearest_neighbor
    >>> resize_nearest_neighbor([[[[1], [2]]]], [1, 4], half_pixel_centers=True).numpy().ravel()
    array([1, 1, 2, 2], dtype=int32)

    Args:
        images: a 4-D tensor of a real type.
        size: two positive int32s ``[new_height, new_width]`` (a tensor is fine).
        align_corners: map the corner pixels of input and output onto each other
            (and round the source coordinate instead of flooring it).
        half_pixel_centers: sample at pixel centres (TF 2's ``tf.image.resize``).

    Raises:
        InvalidArgumentError: as ``resize_bilinear``.
    """
    x, size_t, attrs = _prepare(
        "ResizeNearestNeighbor", images, size, align_corners, half_pixel_centers
    )
    return execute(_RESIZE_NEAREST, (x, size_t), attrs)


def resize_bilinear_grad(
    grads, original_image, align_corners=False, half_pixel_centers=False, name=None
) -> Tensor:
    """The gradient of ``resize_bilinear`` for ``original_image`` (``ResizeBilinearGrad``):
    float32 ``grads`` spread back onto an image shaped and typed like the original.

    Raises:
        InvalidArgumentError: non-float32 grads, inputs that are not 4-D, or both flags.
    """
    g, original = to_tensor(grads), to_tensor(original_image)
    if original.dtype not in FLOATING:
        raise _error(
            "ResizeBilinearGrad",
            f"original_image must be a floating tensor, got {original.dtype.name}",
        )
    _check_attrs("ResizeBilinearGrad", bool(align_corners), bool(half_pixel_centers))
    return execute(
        _RESIZE_BILINEAR_GRAD,
        (g, original),
        {"align_corners": bool(align_corners), "half_pixel_centers": bool(half_pixel_centers)},
    )


def resize_nearest_neighbor_grad(
    grads, size, align_corners=False, half_pixel_centers=False, name=None
) -> Tensor:
    """The gradient of ``resize_nearest_neighbor`` for its images, whose (height, width)
    is ``size`` (``ResizeNearestNeighborGrad``).

    Raises:
        InvalidArgumentError: as ``resize_nearest_neighbor``.
    """
    g, size_t, attrs = _prepare(
        "ResizeNearestNeighborGrad", grads, size, align_corners, half_pixel_centers
    )
    return execute(_RESIZE_NEAREST_GRAD, (g, size_t), attrs)
