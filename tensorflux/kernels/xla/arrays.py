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
from jax import lax

from tensorflux.kernels.xla import xla_kernel
from tensorflux.ops import matrix_diag_ops, split_ops, strided_slice_ops


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


# -- diagonals, reversal, bit casts, densifying -------------------------------


def _take_or(values, index, fill):
    """``values`` gathered along its last axis at ``index`` (a NumPy array), ``fill``
    where ``index`` is negative."""
    if not values.shape[-1]:
        return jnp.broadcast_to(fill, values.shape[:-1] + index.shape).astype(values.dtype)
    taken = jnp.take(values, np.maximum(index, 0).reshape(-1), axis=-1)
    taken = taken.reshape(values.shape[:-1] + index.shape)
    return jnp.where(index >= 0, taken, fill.astype(values.dtype))


@xla_kernel("MatrixDiagPartV3", static=(1,))
def _matrix_diag_part(x, k, padding_value, align="RIGHT_LEFT"):
    # The NumPy kernel run on the matrix of flat positions gives the position each output
    # entry reads (-1 for padding), and raises for the k and shapes it refuses.
    m, n = x.shape[-2:]
    source = np.arange(m * n, dtype=np.int64).reshape(m, n)
    index = matrix_diag_ops._diag_part_kernel(source, k, np.int64(-1), align)
    return _take_or(x.reshape(x.shape[:-2] + (m * n,)), index, padding_value)


def _diagonal_positions(diagonal, band: bool) -> np.ndarray:
    """Flat positions of the entries of one matrix's diagonals (``band``: its last two
    axes, else its last)."""
    tail = diagonal.shape[-2:] if band else diagonal.shape[-1:]
    return np.arange(int(np.prod(tail)), dtype=np.int64).reshape(tail)


@xla_kernel("MatrixDiagV3", static=(1, 2, 3))
def _matrix_diag(diagonal, k, num_rows, num_cols, padding_value, align="RIGHT_LEFT"):
    band = matrix_diag_ops._k_pair(k, "MatrixDiagV3")[2]
    positions = _diagonal_positions(diagonal, band)
    index = matrix_diag_ops._diag_kernel(positions, k, num_rows, num_cols, np.int64(-1), align)
    lead = diagonal.shape[: diagonal.ndim - positions.ndim]
    return _take_or(diagonal.reshape(lead + (positions.size,)), index, padding_value)


@xla_kernel("MatrixSetDiagV3", static=(2,))
def _matrix_set_diag(x, diagonal, k, align="RIGHT_LEFT"):
    band = matrix_diag_ops._k_pair(k, "MatrixSetDiagV3")[2]
    positions = _diagonal_positions(diagonal, band)
    lead = diagonal.shape[: diagonal.ndim - positions.ndim]
    if x.ndim < 2 or lead != x.shape[:-2]:
        raise ValueError(
            f"diagonal of shape {list(diagonal.shape)} does not fit input {list(x.shape)}"
        )
    background = np.full(x.shape[-2:], -1, np.int64)
    index = matrix_diag_ops._set_diag_kernel(background, positions, k, align)
    values = _take_or(diagonal.reshape(lead + (positions.size,)), index, jnp.zeros((), x.dtype))
    return jnp.where(index >= 0, values, x)


@xla_kernel("ReverseSequence")
def _reverse_sequence(x, seq_lengths, seq_dim, batch_dim):
    if batch_dim == seq_dim or not (0 <= seq_dim < x.ndim and 0 <= batch_dim < x.ndim):
        raise ValueError(f"seq_dim {seq_dim}, batch_dim {batch_dim} of a rank-{x.ndim} input")
    if seq_lengths.shape != (x.shape[batch_dim],):
        raise ValueError(f"seq_lengths of shape {seq_lengths.shape} for input {x.shape}")
    # Lengths outside [0, seq] are the executor's errors; XLA cannot raise, so they clip.
    moved = jnp.moveaxis(x, (batch_dim, seq_dim), (0, 1))
    steps = jnp.arange(moved.shape[1])
    lengths = seq_lengths.astype(jnp.int64)[:, None]
    source = jnp.where(steps < lengths, lengths - 1 - steps, steps)
    source = jnp.clip(source, 0, moved.shape[1] - 1).reshape(source.shape + (1,) * (x.ndim - 2))
    out = jnp.take_along_axis(moved, source, axis=1)
    return jnp.moveaxis(out, (0, 1), (batch_dim, seq_dim))


def _as_bytes(x):
    """``x``'s bytes in memory order, along a new last axis (uint8)."""
    if jnp.iscomplexobj(x):
        parts = jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
        return _as_bytes(parts).reshape(x.shape + (x.dtype.itemsize,))
    if x.dtype.itemsize == 1:
        return lax.bitcast_convert_type(x, jnp.uint8)[..., None]
    return lax.bitcast_convert_type(x, jnp.uint8)


def _from_bytes(raw, dtype):
    """Bytes along the last axis (``dtype.itemsize`` of them) as one ``dtype`` value."""
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        part = np.dtype(f"f{dtype.itemsize // 2}")
        halves = _from_bytes(raw.reshape(raw.shape[:-1] + (2, part.itemsize)), part)
        return lax.complex(halves[..., 0], halves[..., 1]).astype(dtype)
    if dtype.itemsize == 1:
        return lax.bitcast_convert_type(raw[..., 0], dtype)
    return lax.bitcast_convert_type(raw, dtype)


@xla_kernel("Bitcast")
def _bitcast(x, type):  # noqa: A002 - TF's attr name
    out = np.dtype(type.as_numpy_dtype)
    a, b = x.dtype.itemsize, out.itemsize
    if a < b and (x.ndim == 0 or x.shape[-1] != b // a):
        raise ValueError(f"cannot bitcast {x.shape} {x.dtype} to {out}")
    if a == b and x.dtype.kind != "c" and out.kind != "c":
        return lax.bitcast_convert_type(x, out)
    raw = _as_bytes(x)
    if a < b:
        raw = raw.reshape(x.shape[:-1] + (b,))
    else:
        raw = raw.reshape(x.shape + (a // b, b))
        if a == b:
            raw = raw[..., 0, :]
    return _from_bytes(raw, out)


@xla_kernel("SparseToDense", static=(1,))
def _sparse_to_dense(indices, output_shape, values, default_value, validate_indices=True):
    shape = tuple(int(d) for d in np.asarray(output_shape).reshape(-1))
    if indices.ndim < 2:
        indices = indices.reshape((-1, 1) if len(shape) == 1 else (1, -1))
    if values.ndim > 1 or values.ndim == 1 and values.shape[0] != indices.shape[0]:
        raise ValueError(f"values of shape {values.shape} for {indices.shape[0]} indices")
    if default_value.ndim != 0 or indices.shape[1] != len(shape):
        raise ValueError(f"indices {indices.shape} or default value for shape {shape}")
    # Out-of-range, unsorted or repeated indices are the executor's errors; XLA cannot
    # raise, so out-of-range ones are dropped.
    out = jnp.full(shape, default_value, values.dtype)
    key = tuple(indices[:, i] for i in range(len(shape)))
    return out.at[key].set(values, mode="drop")


@xla_kernel("DenseBincount", static=(1,))
def _dense_bincount(arr, size, weights, binary_output=False):
    size = int(size)
    if size < 0 or arr.ndim not in (1, 2):
        raise ValueError(f"size {size} or input rank {arr.ndim}")
    rows = arr.reshape(1, -1) if arr.ndim == 1 else arr
    if binary_output or weights.size == 0:
        w = jnp.ones(rows.shape, weights.dtype)
    else:
        w = jnp.broadcast_to(weights, arr.shape).reshape(rows.shape)
    # Negative values are the executor's error; here they and those >= size are dropped.
    keep = (rows >= 0) & (rows < size)
    column = jnp.where(keep, rows, size)
    line = jnp.arange(rows.shape[0])[:, None]
    out = jnp.zeros((rows.shape[0], size + 1), weights.dtype)
    out = out.at[line, column].set(w) if binary_output else out.at[line, column].add(w)
    out = out[:, :size]
    return out[0] if arr.ndim == 1 else out
