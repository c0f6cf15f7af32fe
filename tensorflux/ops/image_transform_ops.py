"""ImageProjectiveTransformV3: resamples images through one projective transform per
image (the op under Keras' RandomRotation, RandomZoom and RandomTranslation).

A primitive: every output pixel maps to its own source coordinate, so the work is one
vectorised coordinate map and four gathers, which no composition of other ops does
as cheaply. Like TF's kernel it maps coordinates and samples in float32 with TF's
fill-mode rules (reflect about the edge pixel, wrap, nearest, constant) and reads the
fill value for neighbours outside the image. Its gradient for the images is TF's: the
output gradient warped back through the inverse transform (exact where the transform
moves whole pixels; TF's approximation otherwise). The transforms get none, as in TF.
"""

from __future__ import annotations

import functools

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.kernels.threads import parallel_pieces
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import ones_like
from tensorflux.ops.joining_ops import concat
from tensorflux.ops.linalg_ops import inv
from tensorflux.ops.shape_ops import reshape

__all__: list = []

_F32 = np.float32
_FILL_MODES = ("REFLECT", "WRAP", "CONSTANT", "NEAREST")
_INTERPOLATIONS = ("NEAREST", "BILINEAR")


def _error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        None, "ImageProjectiveTransformV3", f"{message} [Op:ImageProjectiveTransformV3]"
    )


def _reflect(coord: np.ndarray, size: int) -> None:
    """TF's reflect of the coordinates outside ``[0, size - 1]``, then its clamp, in
    place. The clamp changes no coordinate inside, so only the reflected ones pass it."""
    flat = coord.reshape(-1)
    if size <= 1:
        flat[...] = 0
        return
    period = _F32(2 * size)
    # One branch per coordinate, as in TF: both sets come from the unmapped values. The
    # few coordinates outside are found once, by position: reading and writing through
    # boolean masks passed over every coordinate four times (a 28x28 rotation batch's
    # 65K coordinates: 190 -> 116 us).
    low, high = np.flatnonzero(flat < 0), np.flatnonzero(flat > size - 1)
    if low.size:
        c = flat[low]
        c = np.where(c < -period, period * np.trunc(-c / period) + c, c)
        flat[low] = _clamped(np.where(c < -size, c + period, -c - 1), size)
    if high.size:
        c = flat[high]
        c = c - period * np.trunc(c / period)
        flat[high] = _clamped(np.where(c >= size, period - c - 1, c), size)


def _clamped(coord: np.ndarray, size: int) -> np.ndarray:
    # maximum/minimum: np.clip's value checks cost more than the clipping itself.
    return np.minimum(np.maximum(coord, _F32(0)), _F32(size - 1))


def _wrap(coord: np.ndarray, size: int) -> np.ndarray:
    if size <= 1:
        return np.zeros_like(coord)
    span = _F32(size - 1)
    out = coord.copy()
    low, high = out < 0, out > size - 1
    out[low] += size * (np.trunc(-out[low] / span) + 1)
    out[high] -= size * np.trunc(out[high] / span)
    return out


def _map(coord: np.ndarray, size: int, mode: str) -> np.ndarray:
    """``coord`` (float32, the caller's to overwrite) mapped into the image by TF's
    rule for ``mode``; REFLECT maps in place."""
    if mode == "CONSTANT":
        return coord
    if mode == "REFLECT":
        _reflect(coord, size)
        return coord
    if mode == "WRAP":
        coord = _wrap(coord, size)
    return _clamped(coord, size).astype(_F32, copy=False)


def _round(v: np.ndarray) -> np.ndarray:
    """std::round: halves away from zero, without the error of ``floor(v + 0.5)``."""
    magnitude = np.abs(v)
    whole = np.floor(magnitude)
    return np.sign(v) * (whole + (magnitude - whole >= 0.5))


def _axis(coord: np.ndarray, size: int, stride: int) -> tuple:
    """Integer positions along one axis: their offsets (clipped, times ``stride``) and
    whether they lie inside (None when all do)."""
    position = coord.astype(np.int32)
    inside = (position >= 0) & (position < size)
    if inside.all():
        position *= np.int32(stride)
        return position, None
    clipped = np.minimum(np.maximum(position, np.int32(0)), np.int32(size - 1))
    clipped *= np.int32(stride)
    return clipped, inside


def _read(pixels, base, rows, cols, fill):
    """Pixels of the ``[b * h * w]`` (one channel) or ``[b * h * w, c]`` batch at
    ``base + row + col`` offsets (from ``_axis``), ``fill`` where the row or column lies
    outside."""
    (row, row_inside), (col, col_inside) = rows, cols
    offsets = base + row
    offsets += col
    values = np.take(pixels, offsets, axis=0)  # faster than fancy indexing
    if row_inside is None and col_inside is None:
        return values
    if row_inside is None or col_inside is None:
        inside = col_inside if row_inside is None else row_inside
    else:
        inside = row_inside & col_inside
    return np.where(inside if pixels.ndim == 1 else inside[..., None], values, _F32(fill))


# Output rows computed per piece: ~64K pixels, a piece's dozen float32 temporaries in
# the L3 cache. A piece costs some 60 NumPy calls: 16K-pixel pieces spent most of a
# 32x224x224x3 batch in them (130-143 ms, against 75-82 with 64K; a whole batch at once
# ran ~1.5x slower, memory-bound).
_PIECE_PIXELS = 1 << 16
# Batches of at least this many output pixels are split across the intra-op threads
# (NumPy releases the GIL in its ufuncs and takes).
_PARALLEL_MIN_PIXELS = 1 << 17


# Offsets within a padded image are computed in float32, exact below 2^24.
_EXACT_FLOAT32_OFFSETS = 1 << 24


def _padded_corners(padded, image, y0, x0, height, width):
    """The four bilinear neighbours of each point, read from ``padded`` (the batch with
    a row and a column of fill values after each image, flat), or None when a point
    lies outside the image (a NaN coordinate) or the images are too large for float32
    offsets: with coordinates mapped into the image, only the right and bottom
    neighbours can fall outside, and they read the padding."""
    stride = width + 1
    if (height + 1) * stride > _EXACT_FLOAT32_OFFSETS:
        return None
    # The offset within the image, in float32 before one conversion: a NaN coordinate
    # makes the bounds NaN, which fail the test.
    within = y0 * _F32(stride)
    within += x0
    if not (within.min() >= 0 and within.max() <= (height - 1) * stride + width - 1):
        return None
    offsets = within.astype(np.intp)
    offsets += (image.astype(np.intp) * ((height + 1) * stride))[:, None]
    reads = []
    for step in (0, 1, stride, stride + 1):
        reads.append(np.take(padded, offsets + step if step else offsets, axis=0))
    return reads


@functools.lru_cache(maxsize=64)
def _output_grid(out_h: int, out_w: int) -> tuple:
    """The row and column of every pixel of an output image, ``[1, out_h * out_w]``
    float32 each, row-major."""
    ys, xs = np.divmod(np.arange(out_h * out_w), out_w)
    grid = (ys.astype(_F32)[None, :], xs.astype(_F32)[None, :])
    for array in grid:
        array.setflags(write=False)
    return grid


def _transform_rows(out, pixels, images_shape, t, lo, hi, fill, interpolation, fill_mode, padded):
    """Fills ``out`` (``[b * out_h, out_w, c]``) rows ``lo:hi``: each row is one output
    row of one image, with that image's transform; the arithmetic is the whole-batch
    arithmetic, element for element. ``padded``: the batch with fill padding (see
    ``_padded_corners``), for bilinear sampling with coordinates mapped into the image."""
    _, height, width, _ = images_shape
    out_h, out_w = out.shape[0] // t.shape[0], out.shape[1]
    # The points, as segments of one transform each: whole images when the rows are
    # whole images, else rows. Broadcasting a segment's coefficients runs NumPy's inner
    # loops once per segment, which for 28-pixel rows cost more than the arithmetic.
    if lo % out_h == 0 and hi % out_h == 0:
        image = np.arange(lo // out_h, hi // out_h)
        ys, xs = _output_grid(out_h, out_w)
    else:
        rows = np.arange(lo, hi)
        image = rows // out_h
        ys = (rows % out_h).astype(_F32)[:, None]
        xs = np.arange(out_w, dtype=_F32)[None, :]
    t = t[image][:, :, None]
    in_x = t[:, 0] * xs + t[:, 1] * ys + t[:, 2]
    in_y = t[:, 3] * xs + t[:, 4] * ys + t[:, 5]
    singular = None
    if t[:, 6:].any():
        projection = t[:, 6] * xs + t[:, 7] * ys + _F32(1)
        singular = projection == 0
        safe = np.where(singular, _F32(1), projection)
        in_x /= safe
        in_y /= safe
    # Without a projective part the divisor is exactly 1, and the division a no-op.
    x = _map(in_x, width, fill_mode)
    y = _map(in_y, height, fill_mode)
    base = (image.astype(np.int32) * np.int32(height * width))[:, None]
    # One channel reads a flat vector: no trailing axis to broadcast the weights over.
    flat = pixels.shape[1] == 1
    source = pixels[:, 0] if flat else pixels
    if padded is not None and flat:
        padded = padded[:, 0]
    # The rows' values, flat: the bilinear sum is written straight into them.
    target = out[lo:hi].reshape(-1)

    if interpolation == "NEAREST":
        rows, cols = _axis(_round(y), height, width), _axis(_round(x), width, 1)
        target[...] = _read(source, base, rows, cols, fill).reshape(-1)
    else:
        y0, x0 = np.floor(y), np.floor(x)
        corners = None if padded is None else _padded_corners(padded, image, y0, x0, height, width)
        if corners is None:
            y1, x1 = y0 + 1, x0 + 1
            top_rows, bottom_rows = _axis(y0, height, width), _axis(y1, height, width)
            left_cols, right_cols = _axis(x0, width, 1), _axis(x1, width, 1)
            corners = [
                _read(source, base, r, c, fill)
                for r, c in (
                    (top_rows, left_cols),
                    (top_rows, right_cols),
                    (bottom_rows, left_cols),
                    (bottom_rows, right_cols),
                )
            ]
        channels = pixels.shape[1]

        def spread(weights):
            # One weight per value, flat: a trailing axis of a few channels to broadcast
            # over makes NumPy's inner loops too short to be fast.
            flat_weights = weights.reshape(-1)
            return flat_weights if flat else np.repeat(flat_weights, channels)

        top_left, top_right, bottom_left, bottom_right = (c.reshape(-1) for c in corners)
        wx1, wy1 = x - x0, y - y0
        if fill_mode == "CONSTANT":
            wx0, wy0 = x1 - x, y1 - y
        else:
            # Coordinates mapped into the image are >= 0, where x - x0 is exact: 1 - wx1
            # and TF's x1 - x are one rounding of the same number, bit for bit.
            wx0, wy0 = _F32(1) - wx1, _F32(1) - wy1
        wx0, wx1 = spread(wx0), spread(wx1)
        # TF's (wx0 * tl + wx1 * tr) and (wy0 * top + wy1 * bottom), in the corners'
        # own buffers (fresh gathers).
        top, bottom = top_left, bottom_left
        top *= wx0
        top_right *= wx1
        top += top_right
        bottom *= wx0
        bottom_right *= wx1
        bottom += bottom_right
        top *= spread(wy0)
        bottom *= spread(wy1)
        # unsafe: into integer images as the assignment of a float array casts.
        np.add(top, bottom, out=target, casting="unsafe")
    if singular is not None and singular.any():
        out[lo:hi] = np.where(singular.reshape(hi - lo, out_w, 1), _F32(fill), out[lo:hi])


def _transform_kernel(
    images, transforms, output_shape, fill_value, interpolation, fill_mode, static
):
    if images.ndim != 4:
        raise _error(f"Input images must have rank 4, got shape {list(images.shape)}")
    count = images.shape[0]
    transforms = np.asarray(transforms, dtype=_F32)
    if transforms.ndim != 2 or transforms.shape[1] != 8 or transforms.shape[0] not in (1, count):
        raise _error(
            f"Input transform should be num_images x 8 or 1 x 8, got shape {list(transforms.shape)}"
        )
    out_h, out_w = (int(d) for d in np.asarray(output_shape).reshape(-1))
    if out_h <= 0 or out_w <= 0:
        raise _error("output dimensions must be positive")
    channels = images.shape[3]
    t = np.broadcast_to(transforms, (count, 8))
    pixels = images.reshape(-1, channels).astype(_F32, copy=False)
    out = np.empty((count * out_h, out_w, channels), images.dtype)
    # Pieces of whole images where an image fits in one (see ``_transform_rows``).
    per_image = out_h * out_w
    step = max(1, _PIECE_PIXELS // out_w)
    if per_image <= _PIECE_PIXELS:
        pieces = -(-count // (_PIECE_PIXELS // per_image))
        step = -(-count // pieces) * out_h  # equal pieces: 256 28x28 images in 4 of 64
    total = count * out_h
    fill = float(fill_value)
    padded = None
    if interpolation == "BILINEAR" and fill_mode != "CONSTANT":
        _, height, width, _ = images.shape
        padded = np.full((count, height + 1, width + 1, channels), fill, _F32)
        padded[:, :height, :width] = images
        padded = padded.reshape(-1, channels)

    def rows(start: int, stop: int) -> None:
        _transform_rows(
            out, pixels, images.shape, t, start, stop, fill, interpolation, fill_mode, padded
        )

    parallel_pieces(total, step, rows, max(1, _PARALLEL_MIN_PIXELS // out_w))
    return out.reshape(count, out_h, out_w, channels)


def _transform_infer(
    images: Spec,
    transforms: Spec,
    output_shape: Spec,
    fill_value: Spec,
    interpolation,
    fill_mode,
    static,
) -> Spec:
    batch, channels = (
        (None, None) if images.shape.rank is None else (images.shape[0], images.shape[3])
    )
    return Spec(images.dtype, TensorShape([batch, static[0], static[1], channels]))


def _inverse_transforms(transforms: Tensor) -> Tensor:
    """The flat 8-vectors of the inverse projective matrices, scaled so that the last
    entry is 1."""
    matrices = reshape(concat([transforms, ones_like(transforms[:, :1])], 1), [-1, 3, 3])
    flat = reshape(inv(matrices), [-1, 9])
    return flat[:, :8] / flat[:, 8:9]


def _transform_grad(call, dy):
    """d images = ImageProjectiveTransformV3(dy, inverse(transforms), fill_value=0)."""
    images, transforms = call.inputs[0], call.inputs[1]
    size = images.shape.as_list()[1:3]
    if None in size:
        raise _error(
            "the gradient needs the images' height and width: give the images a static "
            f"shape, got {images.shape}"
        )
    attrs = {
        "interpolation": call.attrs["interpolation"],
        "fill_mode": call.attrs["fill_mode"],
        "static": tuple(size),
    }
    d_images = execute(
        _TRANSFORM,
        (
            dy,
            _inverse_transforms(transforms),
            to_tensor(np.asarray(size, np.int32)),
            to_tensor(0.0, dtypes.float32),
        ),
        attrs,
    )
    return d_images, None, None, None


_TRANSFORM = register(
    "ImageProjectiveTransformV3",
    kernel=_transform_kernel,
    grad=_transform_grad,
    infer=_transform_infer,
    dynamic_shape=True,
    allowed=frozenset(
        {dtypes.uint8, dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64}
    ),
)


def image_projective_transform_v3(
    images,
    transforms,
    output_shape,
    fill_value=0.0,
    interpolation="BILINEAR",
    fill_mode="CONSTANT",
    name=None,
) -> Tensor:
    """Samples each image ``[b, h, w, c]`` at the source points its transform
    ``[a0, a1, a2, b0, b1, b2, c0, c1]`` assigns to output pixel ``(x, y)``:
    ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``, ``k = c0 x + c1 y + 1``.

    >>> import numpy as np
    >>> from tensorflux.ops.image_transform_ops import image_projective_transform_v3
    >>> shift = np.array([[1, 0, 1, 0, 1, 0, 0, 0]], np.float32)  # read one to the right
    >>> image_projective_transform_v3(np.arange(3.0).reshape(1, 1, 3, 1), shift, [1, 3]
    ...                               ).numpy().ravel()
    array([1., 2., 0.])

    Raises:
        InvalidArgumentError: images not 4-D, transforms not ``[b or 1, 8]``, bad modes.
    """
    interpolation, fill_mode = str(interpolation).upper(), str(fill_mode).upper()
    if interpolation not in _INTERPOLATIONS:
        raise _error(f"Invalid interpolation {interpolation}: use NEAREST or BILINEAR")
    if fill_mode not in _FILL_MODES:
        raise _error(f"Invalid fill_mode {fill_mode}: use one of {list(_FILL_MODES)}")
    x = images if isinstance(images, Tensor) else to_tensor(images)
    size = tuple(
        int(d)
        for d in np.asarray(
            output_shape.numpy() if isinstance(output_shape, Tensor) else output_shape
        )
    )
    t = transforms if isinstance(transforms, Tensor) else to_tensor(transforms, dtypes.float32)
    return execute(
        _TRANSFORM,
        (x, t, to_tensor(np.asarray(size, np.int32)), to_tensor(fill_value, dtypes.float32)),
        {"interpolation": interpolation, "fill_mode": fill_mode, "static": size},
    )
