"""``tf.extract_volume_patches``: TF's ExtractVolumePatches, every ``ksizes`` window of a
batch of volumes ``[batch, planes, rows, cols, depth]``, laid out along the depth axis
as ``[planes, rows, cols, depth]``.

A primitive forward (a zero pad and one strided slice per window offset); the op is
linear, so its gradient sums the output gradient back onto the voxels each entry was
read from: one ``unsorted_segment_sum`` over a fixed index map, differentiable again.
"""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux.engine.registry import REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.window_ops_utils import window_dims

__all__ = ["extract_volume_patches"]

_NAME = "ExtractVolumePatches"


def _error(message: str, cls=InvalidArgumentError):
    return cls(None, _NAME, f"{message} [Op:{_NAME}]")


def _geometry(spatial, ksizes, strides, padding):
    return window_dims(list(spatial), ksizes[1:4], strides[1:4], [1, 1, 1], padding, op_name=_NAME)


def _extract_kernel(input, ksizes, strides, padding):  # noqa: A002
    if input.ndim != 5:
        raise _error(f"input must be 5-dimensional[{','.join(str(d) for d in input.shape)}]")
    batch, depth = input.shape[0], input.shape[4]
    dims = _geometry(input.shape[1:4], ksizes, strides, padding)
    pads = [(0, 0)] + [(d.pad_before, d.pad_after) for d in dims] + [(0, 0)]
    padded = np.pad(input, pads)
    outs = [d.out for d in dims]
    k = ksizes[1:4]
    out = np.empty((batch, *outs, *k, depth), input.dtype)
    for offset in itertools.product(*(range(n) for n in k)):
        window = tuple(
            slice(o, o + (n - 1) * s + 1, s) for o, n, s in zip(offset, outs, strides[1:4])
        )
        out[(slice(None),) * 4 + offset] = padded[(slice(None),) + window]
    return out.reshape(batch, *outs, int(np.prod(k)) * depth)


def _extract_infer(input: Spec, ksizes, strides, padding) -> Spec:  # noqa: A002
    if input.shape.rank is None:
        return Spec(input.dtype, TensorShape(None))
    batch, p, r, c, depth = input.shape.as_list()
    dims = _geometry([p, r, c], ksizes, strides, padding)
    channels = None if depth is None else int(np.prod(ksizes[1:4])) * depth
    return Spec(input.dtype, TensorShape([batch] + [d.out for d in dims] + [channels]))


def _source_index(spatial, ksizes, strides, padding) -> np.ndarray:
    """Flat voxel read by each ``(plane, row, col, kp, kr, kc)`` output entry;
    ``prod(spatial)`` for reads of the zero padding."""
    dims = _geometry(spatial, ksizes, strides, padding)
    coords = [
        np.arange(d.out)[:, None] * s + np.arange(k)[None, :] - d.pad_before
        for d, s, k in zip(dims, strides[1:4], ksizes[1:4])
    ]
    p = coords[0][:, None, None, :, None, None]
    r = coords[1][None, :, None, None, :, None]
    c = coords[2][None, None, :, None, None, :]
    inside = (p >= 0) & (p < spatial[0]) & (r >= 0) & (r < spatial[1]) & (c >= 0)
    inside &= c < spatial[2]
    flat = (p * spatial[1] + r) * spatial[2] + c
    return np.where(inside, flat, int(np.prod(spatial))).astype(np.int32).ravel()


def _extract_grad(call, dy):
    """dx[v] = sum of dy over the output entries that read voxel v (zero padding dropped)."""
    from tensorflux.ops.segment_ops import unsorted_segment_sum
    from tensorflux.ops.shape_ops import reshape, transpose

    x = call.inputs[0]
    spatial = x.shape.as_list()[1:4]
    depth = x.shape[4] if x.shape[4] is not None else -1
    index = _source_index(spatial, *(call.attrs[k] for k in ("ksizes", "strides", "padding")))
    n = int(np.prod(spatial))
    per_read = transpose(reshape(dy, [-1, index.size, depth]), [1, 0, 2])
    summed = unsorted_segment_sum(per_read, index, n + 1)[:n]
    return (transpose(reshape(summed, spatial + [-1, depth]), [3, 0, 1, 2, 4]),)


_OP = register(
    _NAME,
    kernel=_extract_kernel,
    grad=_extract_grad,
    infer=_extract_infer,
    allowed=REAL - {dtypes.uint64},  # TF's list: no complex numbers, no uint64
)


def extract_volume_patches(input, ksizes, strides, padding, name=None) -> Tensor:  # noqa: A002
    """Every ``ksizes`` window of ``input`` ``[batch, planes, rows, cols, depth]``, moved
    by ``strides``, flattened into the last axis (``[kp, kr, kc, depth]`` order).

    Args:
        input: a 5-D real tensor.
        ksizes, strides: 5 ints each, 1 for the batch and depth.
        padding: "SAME" or "VALID".

    Returns:
        ``[batch, out_planes, out_rows, out_cols, kp * kr * kc * depth]``.

    Raises:
        InvalidArgumentError: wrong ranks or attrs.
        UnimplementedError: windows or strides across the batch or depth.

    >>> import tensorflux as tf
    >>> tf.extract_volume_patches(tf.ones([1, 4, 4, 4, 1]), [1, 2, 2, 2, 1],
    ...                           [1, 2, 2, 2, 1], "VALID").shape
    TensorShape([1, 2, 2, 2, 8])
    """
    x = to_tensor(input)
    k, s = [int(v) for v in ksizes], [int(v) for v in strides]
    for what, v in (("ksizes", k), ("strides", s)):
        if len(v) < 5:
            raise _error(f"Length for attr '{what}' of {len(v)} must be at least minimum 5")
    if k[0] != 1 or k[4] != 1:
        raise _error("Only support ksizes across space.", UnimplementedError)
    if s[0] != 1 or s[4] != 1:
        raise _error("Only support strides across space.", UnimplementedError)
    if padding not in ("SAME", "VALID"):
        raise _error(
            f"Value for attr 'padding' of \"{padding}\" is not in the list of allowed values: "
            f'"SAME", "VALID"'
        )
    return execute(_OP, (x,), {"ksizes": k, "strides": s, "padding": padding})
