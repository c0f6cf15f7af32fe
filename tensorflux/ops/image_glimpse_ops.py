"""ExtractGlimpseV2 (``tf.image.extract_glimpse``): one window of a fixed size cut from
each image at its own offset, the part outside the image filled with noise.

The offset arithmetic is TF's, in float32: normalized offsets scale by the image size;
centered ones (when normalized) are halved, moved to the image centre and shifted by
half the window; the result truncates toward zero to the window's top-left pixel.
Unnormalized centered offsets only move to the centre. Pixels outside the image are
noise: "zero", "uniform" (between the image's minimum and maximum) or "gaussian" (the
image's mean and standard deviation). TF draws that noise from an unseeded generator,
so its values are not reproducible there either; here they come from NumPy's. Not
differentiable, as in TF.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["extract_glimpse"]

_F32 = np.float32
_NOISES = ("uniform", "gaussian", "zero")


def _error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, "ExtractGlimpseV2", f"{message} [Op:ExtractGlimpseV2]")


def _dims(array: np.ndarray) -> str:
    return "[" + ",".join(str(d) for d in array.shape) + "]"


def _corner(offset: float, size: int, window: int, centered: bool, normalized: bool) -> int:
    """The window's first pixel along one axis, from a (y or x) offset."""
    at = _F32(offset)
    if normalized:
        at = at * _F32(size)
        if centered:
            at = at / _F32(2) + _F32(size) / _F32(2) - _F32(window) / _F32(2)
    elif centered:
        at = at + _F32(size) / _F32(2)
    return int(at)  # truncation toward zero, as the kernel's integer cast


def _span(corner: int, window: int, size: int) -> tuple:
    """``(source start, window start, length)`` of the part inside the image."""
    if corner < 0:
        length = max(0, window + corner)
        return 0, window - length, length
    if corner + window >= size:
        return corner, 0, max(0, size - corner)
    return corner, 0, window


def _extract_glimpse_kernel(input, size, offsets, centered, normalized, uniform_noise, noise):  # noqa: A002
    if input.ndim != 4:
        raise _error(
            f"input must be 4-dimensional (batch_size, height, width, depth){_dims(input)}"
        )
    window = np.asarray(size)
    if window.ndim != 1 or window.shape[0] != 2:
        raise _error(f"input must be a vector of size 2 (height, width){_dims(window)}")
    batch, height, width, depth = input.shape
    if offsets.ndim != 2:
        raise _error(f"input must be a matrix{_dims(offsets)}")
    if offsets.shape[0] != batch:
        raise _error(f"first dimension should be batch{_dims(offsets)}")
    if offsets.shape[1] != 2:
        raise _error(f"second dimension should be of size 2 (y,x){_dims(offsets)}")
    mode = "uniform" if uniform_noise else (noise or "uniform")
    if mode not in _NOISES:
        raise _error(f"The noise could only be uniform, gaussian, or zero, got{noise}")
    rows, cols = int(window[0]), int(window[1])
    out = np.zeros((batch, rows, cols, depth), np.float32)
    rng = np.random.default_rng()
    for b in range(batch):
        top = _corner(offsets[b, 0], height, rows, centered, normalized)
        left = _corner(offsets[b, 1], width, cols, centered, normalized)
        src_y, dst_y, h = _span(top, rows, height)
        src_x, dst_x, w = _span(left, cols, width)
        image = input[b].astype(np.float32, copy=False)
        if (h < rows or w < cols) and mode != "zero" and image.size:
            if mode == "uniform":
                low, high = image.min(), image.max()
                fill = rng.uniform(low, high, out[b].shape)
            else:
                fill = rng.normal(image.mean(), image.std(), out[b].shape)
            out[b] = fill.astype(np.float32)
        if h and w:
            out[b, dst_y : dst_y + h, dst_x : dst_x + w] = image[
                src_y : src_y + h, src_x : src_x + w
            ]
    return out


def _extract_glimpse_infer(input: Spec, size: Spec, offsets: Spec, **attrs) -> Spec:  # noqa: A002
    batch, depth = (None, None) if input.shape.rank is None else (input.shape[0], input.shape[3])
    rows = cols = None
    if size.value is not None and np.shape(size.value) == (2,):
        rows, cols = (int(v) for v in np.asarray(size.value))
    return Spec(dtypes.float32, TensorShape([batch, rows, cols, depth]))


_EXTRACT_GLIMPSE = register(
    "ExtractGlimpseV2",
    kernel=_extract_glimpse_kernel,
    grad=None,
    infer=_extract_glimpse_infer,
    allowed=frozenset({dtypes.float32}),
    dynamic_shape=True,
)


def extract_glimpse(
    input,  # noqa: A002 - TF's argument name
    size,
    offsets,
    centered=True,
    normalized=True,
    noise="uniform",
    name=None,
) -> Tensor:
    """Cuts a ``size`` window from each image at its offset (``ExtractGlimpseV2``).

    >>> import numpy as np
    >>> from tensorflux.ops.image_glimpse_ops import extract_glimpse
    >>> x = np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1)
    >>> extract_glimpse(x, [2, 2], [[1, 1]], centered=False, normalized=False).numpy()[0, ..., 0]
    array([[4., 5.],
           [7., 8.]], dtype=float32)

    Args:
        input: float32 ``[batch, height, width, channels]``.
        size: ``[glimpse_height, glimpse_width]``.
        offsets: float32 ``[batch, 2]``, the ``(y, x)`` of each window: in [-1, 1] about
            the centre when ``centered`` and ``normalized``, in [0, 1] when only
            ``normalized``, pixels otherwise (from the centre when ``centered``).
        centered, normalized: how ``offsets`` read (see above).
        noise: "uniform", "gaussian" or "zero" for the pixels outside the image.

    Returns:
        float32 ``[batch, glimpse_height, glimpse_width, channels]``.

    Raises:
        InvalidArgumentError: input not 4-D, ``size`` not two values, offsets not
            ``[batch, 2]``, an unknown ``noise``.
    """
    x = input if isinstance(input, Tensor) else to_tensor(np.asarray(input, np.float32))
    window = size if isinstance(size, Tensor) else to_tensor(np.asarray(size, np.int32))
    where = offsets if isinstance(offsets, Tensor) else to_tensor(np.asarray(offsets, np.float32))
    attrs = {
        "centered": bool(centered),
        "normalized": bool(normalized),
        "uniform_noise": False,
        "noise": str(noise),
    }
    return execute(_EXTRACT_GLIMPSE, (x, window, where), attrs)
