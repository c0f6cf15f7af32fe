"""XLA kernels of the shape, slicing, joining and creation ops.

Their shape-setting inputs (``static`` below) arrive as NumPy arrays; the index keys
of the slicing ops are computed by the NumPy kernels' own helpers, so both tables
slice alike. Shape, Size and Rank return NumPy values: under ``jax.jit`` every shape
is known while compiling, and what is computed from them stays a compile-time value.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tensorflux.kernels.xla import xla_kernel
from tensorflux.ops import split_ops, strided_slice_ops


@xla_kernel("Reshape", static=(1,))
def _reshape(x, shape):
    return jnp.reshape(x, shape.tolist())


@xla_kernel("ExpandDims")
def _expand_dims(x, axis):
    return jnp.expand_dims(x, axis)


@xla_kernel("Squeeze")
def _squeeze(x, axis):
    return jnp.squeeze(x, tuple(axis))


@xla_kernel("Transpose")
def _transpose(x, perm):
    return jnp.transpose(x, perm)


@xla_kernel("Shape")
def _shape(x, out_type):
    return np.array(x.shape, dtype=out_type.as_numpy_dtype)


@xla_kernel("Size")
def _size(x, out_type):
    return np.array(np.prod(x.shape, dtype=np.int64), dtype=out_type.as_numpy_dtype)


@xla_kernel("Rank")
def _rank(x):
    return np.array(len(x.shape), dtype=np.int32)


@xla_kernel("ZerosLike")
def _zeros_like(x, dtype):
    return jnp.zeros(x.shape, dtype=dtype.as_numpy_dtype)


@xla_kernel("OnesLike")
def _ones_like(x, dtype):
    return jnp.ones(x.shape, dtype=dtype.as_numpy_dtype)


@xla_kernel("Fill", static=(0,))
def _fill(dims, value):
    return jnp.full(tuple(dims.tolist()), value, dtype=value.dtype)


@xla_kernel("BroadcastTo", static=(1,))
def _broadcast_to(x, shape):
    return jnp.broadcast_to(x, shape.tolist())


@xla_kernel("FitLike")
def _fit_like(t, like):
    """``t`` summed over its extra leading axes and where ``like`` has size 1, then
    broadcast to ``like``'s shape (which XLA knows while compiling)."""
    target = tuple(like.shape)
    if tuple(t.shape) == target:
        return t
    lead = t.ndim - len(target)
    if lead > 0:
        t = jnp.sum(t, axis=tuple(range(lead)), dtype=t.dtype)
    elif lead < 0:
        t = jnp.reshape(t, (1,) * -lead + tuple(t.shape))
    axes = tuple(i for i, (d, n) in enumerate(zip(t.shape, target)) if n == 1 and d != 1)
    if axes:
        t = jnp.sum(t, axis=axes, keepdims=True, dtype=t.dtype)
    return jnp.broadcast_to(t, target)


@xla_kernel("Tile", static=(1,))
def _tile(x, multiples):
    return jnp.tile(x, multiples.tolist())


@xla_kernel("ConcatV2")
def _concat(*xs, axis):
    return jnp.concatenate(xs, axis=axis)


@xla_kernel("Pack")
def _pack(*xs, axis):
    return jnp.stack(xs, axis=axis)


@xla_kernel("Unpack")
def _unpack(x, num, axis):
    moved = jnp.moveaxis(x, axis, 0)
    return tuple(moved[i] for i in range(num))


@xla_kernel("Split")
def _split(x, num_split, axis):
    return tuple(jnp.split(x, num_split, axis=axis))


@xla_kernel("SplitV", static=(1, 2))
def _split_v(x, size_splits, axis, num_split):
    axis = int(axis) % x.ndim
    sizes = split_ops._split_sizes(np.asarray(size_splits).reshape(-1), x.shape[axis], axis)
    return tuple(jnp.split(x, np.cumsum(sizes)[:-1].tolist(), axis=axis))


@xla_kernel("Slice", static=(1, 2))
def _slice(x, begin, size):
    end = strided_slice_ops._slice_ends(begin.tolist(), size.tolist(), x.shape)
    return x[tuple(slice(b, e) for b, e in zip(begin.tolist(), end))]


@xla_kernel("StridedSlice", static=(1, 2, 3))
def _strided_slice(x, begin, end, strides, **masks):
    key = strided_slice_ops._kernel_key(begin, end, strides, masks)
    strided_slice_ops._check_key(key, x.shape)
    return x[key]


@xla_kernel("StridedSliceGrad", static=(0, 1, 2, 3))
def _strided_slice_grad(shape, begin, end, strides, dy, **masks):
    out = jnp.zeros(shape.tolist(), dtype=dy.dtype)
    key = strided_slice_ops._kernel_key(begin, end, strides, masks)
    target = tuple(k for k in key if k is not None)
    return out.at[target].set(jnp.reshape(dy, out[target].shape))


@xla_kernel("GatherV2")
def _gather(params, indices, axis, batch_dims):
    if batch_dims == 0:
        return jnp.take(params, indices, axis=axis, mode="clip")
    take = jnp.take
    for _ in range(batch_dims):
        take = jax.vmap(take, in_axes=(0, 0, None))
    return take(params, indices, axis - batch_dims)


@xla_kernel("GatherNd")
def _gather_nd(params, indices):
    depth = indices.shape[-1]
    key = tuple(indices[..., i] for i in range(depth))
    return params[key] if depth else jnp.broadcast_to(params, indices.shape[:-1] + params.shape)


@xla_kernel("OneHot", static=(1,))
def _one_hot(indices, depth, on_value, off_value, axis):
    hot = jnp.expand_dims(indices, -1) == jnp.arange(int(depth))
    out = jnp.where(hot, on_value, off_value).astype(on_value.dtype)
    return out if axis == -1 else jnp.moveaxis(out, -1, axis)


@xla_kernel("PadV2")
def _pad(x, constant_values, paddings):
    return jnp.pad(x, paddings, constant_values=constant_values)


@xla_kernel("ReverseV2")
def _reverse(x, axis):
    return jnp.flip(x, axis)


@xla_kernel("Range", static=(0, 1, 2))
def _range(start, limit, delta):
    return jnp.arange(start, limit, delta, dtype=np.result_type(start, limit, delta))
