"""ExtractImagePatches (``tf.image.extract_patches``): every ``ksizes`` window of an
image batch, laid out along the depth axis as ``[rows, cols, depth]``.

A primitive forward (a zero pad and one strided slice per window offset). The op is
linear, so its gradient sums the output gradient back onto the pixels each entry was
read from: one ``unsorted_segment_sum`` over a fixed index map, differentiable again.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.segment_ops import unsorted_segment_sum
from tensorflux.ops.shape_ops import reshape, transpose
from tensorflux.ops.window_ops_utils import window_dims

__all__ = ["extract_patches"]

_NAME = "ExtractImagePatches"
_REAL = frozenset(
    {
        dtypes.float16,
        dtypes.float32,
        dtypes.float64,
        dtypes.int8,
        dtypes.int16,
        dtypes.int32,
        dtypes.int64,
        dtypes.uint8,
        dtypes.uint16,
        dtypes.uint32,
        dtypes.uint64,
        dtypes.complex64,
        dtypes.complex128,
        dtypes.bool,
    }
)


def _error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, _NAME, f"{message} [Op:{_NAME}]")


def _geometry(height, width, ksizes, strides, rates, padding):
    return window_dims(
        [height, width], ksizes[1:3], strides[1:3], rates[1:3], padding, op_name=_NAME
    )


def _extract_kernel(images, ksizes, strides, rates, padding):
    if images.ndim != 4:
        raise _error(f"input must be 4-dimensional[{','.join(str(d) for d in images.shape)}]")
    batch, height, width, depth = images.shape
    rows, cols = _geometry(height, width, ksizes, strides, rates, padding)
    padded = np.pad(
        images,
        ((0, 0), (rows.pad_before, rows.pad_after), (cols.pad_before, cols.pad_after), (0, 0)),
    )
    out = np.empty((batch, rows.out, cols.out, ksizes[1], ksizes[2], depth), images.dtype)
    for i in range(ksizes[1]):
        for j in range(ksizes[2]):
            top, left = i * rates[1], j * rates[2]
            out[:, :, :, i, j] = padded[
                :,
                top : top + (rows.out - 1) * strides[1] + 1 : strides[1],
                left : left + (cols.out - 1) * strides[2] + 1 : strides[2],
            ]
    return out.reshape(batch, rows.out, cols.out, ksizes[1] * ksizes[2] * depth)


def _extract_infer(images: Spec, ksizes, strides, rates, padding) -> Spec:
    if images.shape.rank is None:
        return Spec(images.dtype, TensorShape(None))
    batch, height, width, depth = images.shape.as_list()
    rows, cols = _geometry(height, width, ksizes, strides, rates, padding)
    channels = None if depth is None else ksizes[1] * ksizes[2] * depth
    return Spec(images.dtype, TensorShape([batch, rows.out, cols.out, channels]))


def _source_index(height, width, ksizes, strides, rates, padding) -> np.ndarray:
    """Flat pixel read by each ``(row, col, i, j)`` output entry; ``height * width``
    for reads of the zero padding."""
    rows, cols = _geometry(height, width, ksizes, strides, rates, padding)
    r = (
        np.arange(rows.out)[:, None] * strides[1]
        + np.arange(ksizes[1])[None, :] * rates[1]
        - rows.pad_before
    )
    c = (
        np.arange(cols.out)[:, None] * strides[2]
        + np.arange(ksizes[2])[None, :] * rates[2]
        - cols.pad_before
    )
    r4, c4 = r[:, None, :, None], c[None, :, None, :]
    inside = (r4 >= 0) & (r4 < height) & (c4 >= 0) & (c4 < width)
    return np.where(inside, r4 * width + c4, height * width).astype(np.int32).ravel()


def _extract_grad(call, dy):
    """dx[p] = sum of dy over the output entries that read pixel p (zero padding dropped)."""
    images = call.inputs[0]
    _, height, width, _ = images.shape.as_list()
    ksizes, strides, rates, padding = (
        call.attrs[k] for k in ("ksizes", "strides", "rates", "padding")
    )
    index = _source_index(height, width, ksizes, strides, rates, padding)
    # [b, rows, cols, kr * kc * d] -> [rows * cols * kr * kc, b, d]: one segment per read.
    depth = images.shape[3] if images.shape[3] is not None else -1
    per_read = transpose(reshape(dy, [-1, index.size, depth]), [1, 0, 2])
    summed = unsorted_segment_sum(per_read, index, height * width + 1)[: height * width]
    return (transpose(reshape(summed, [height, width, -1, depth]), [2, 0, 1, 3]),)


_OP = register(
    _NAME,
    kernel=_extract_kernel,
    grad=_extract_grad,
    infer=_extract_infer,
    allowed=_REAL,
)


def _quad(name: str, value) -> list:
    values = [int(v) for v in value]
    if len(values) < 4:
        raise _error(f"Length for attr '{name}' of {len(values)} must be at least minimum 4")
    return values


def extract_patches(images, sizes, strides, rates, padding, name=None) -> Tensor:
    """Extracts ``sizes`` windows from a batch of images, as a convolution would read
    them: output ``[batch, out_rows, out_cols, size_rows * size_cols * depth]``.

    Args:
        images: ``[batch, rows, cols, depth]``.
        sizes: ``[1, size_rows, size_cols, 1]``, the window.
        strides: ``[1, stride_rows, stride_cols, 1]``, between window centres.
        rates: ``[1, rate_rows, rate_cols, 1]``, the dilation inside a window.
        padding: ``"VALID"`` or ``"SAME"`` (zero padding).

    Returns:
        The patches, same dtype as ``images``.

    Raises:
        InvalidArgumentError: a rank other than 4, bad attrs, a window larger than a
            VALID input.
        UnimplementedError: windows, strides or rates over batch or depth.

    >>> import numpy as np
    >>> from tensorflux.ops.image_patches_ops import extract_patches
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> extract_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID").numpy()[0, 0]
    array([[0., 1., 4., 5.],
           [2., 3., 6., 7.]])
    """
    sizes, strides, rates = _quad("ksizes", sizes), _quad("strides", strides), _quad("rates", rates)
    if padding not in ("SAME", "VALID"):
        raise _error(
            f"Value for attr 'padding' of \"{padding}\" is not in the list of allowed values: "
            '"SAME", "VALID"'
        )
    if sizes[0] != 1 or sizes[3] != 1:
        raise UnimplementedError(None, _NAME, f"Only support ksizes across space. [Op:{_NAME}]")
    if strides[0] != 1 or strides[3] != 1:
        raise UnimplementedError(None, _NAME, f"Only support strides across space. [Op:{_NAME}]")
    if rates[0] != 1 or rates[3] != 1:
        raise UnimplementedError(None, _NAME, f"Only support rates across space. [Op:{_NAME}]")
    x = images if isinstance(images, Tensor) else to_tensor(images)
    attrs = {"ksizes": sizes, "strides": strides, "rates": rates, "padding": padding}
    return execute(_OP, (x,), attrs)
