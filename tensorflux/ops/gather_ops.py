"""Gathering and selecting: gather, where (coordinates and SelectV2) (``tf.*``;
``array_ops`` re-exports them).
"""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux.engine import registry
from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import (
    broadcast_shape,
    dim_list,
    known_shape,
    static_dims,
    to_matching_tensors,
    to_tensor,
    unbroadcast,
)
from tensorflux.ops.creation_ops import (
    int_scalar_arg,
    range,  # noqa: A004 - tf.range here; Python's is builtins.range
    zeros_like,
)
from tensorflux.ops.shape_ops import _INDEX_DTYPES, _dims_agree, identity, reshape, transpose

__all__ = ["gather", "where"]

# -- GatherV2 ---------------------------------------------------------------


def _check_indices(op_name: str, indices: np.ndarray, n: int) -> None:
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InvalidArgumentError(
            None,
            op_name,
            f"indices[{','.join(map(str, pos))}] = {indices[pos]} is not in "
            f"[0, {n}). Indices must be in range for dimension of size {n}",
        )


def _gather_kernel(params, indices, axis, batch_dims):
    _check_indices("GatherV2", indices, params.shape[axis])
    if batch_dims == 0:
        return np.take(params, indices, axis=axis)
    b = batch_dims
    out_shape = params.shape[:axis] + indices.shape[b:] + params.shape[axis + 1 :]
    out = np.empty(out_shape, dtype=params.dtype)
    flat_out = out.reshape((-1,) + out_shape[b:])
    flat_params = params.reshape((-1,) + params.shape[b:])
    flat_indices = indices.reshape((-1,) + indices.shape[b:])
    for k in builtins.range(flat_out.shape[0]):
        flat_out[k] = np.take(flat_params[k], flat_indices[k], axis=axis - b)
    return out


def _gather_infer(params: Spec, indices: Spec, axis, batch_dims) -> Spec:
    if params.shape.rank is None or indices.shape.rank is None:
        return Spec(params.dtype, TensorShape(None))
    p, i = params.shape.as_list(), indices.shape.as_list()
    return Spec(params.dtype, TensorShape(p[:axis] + i[batch_dims:] + p[axis + 1 :]))


def _gather_grad(call, dy):
    """Rows of dy go back to the rows they came from: an IndexedSlices for axis 0 and no
    batch dims, else a dense unsorted_segment_sum over (batch, index) pairs."""
    from tensorflux.ops.math_ops import add
    from tensorflux.ops.segment_ops import unsorted_segment_sum

    params, indices = call.inputs
    axis, b = call.attrs["axis"], call.attrs["batch_dims"]
    p_shape = known_shape(params)
    if p_shape is None:
        return _traced_gather_grad(params, indices, dy, axis, b), None
    if axis == 0 and b == 0:
        dense_shape = Tensor(np.array(p_shape, dtype=np.int32), dtypes.int32)
        return IndexedSlices(
            reshape(dy, (-1,) + p_shape[1:]), reshape(indices, [-1]), dense_shape
        ), None
    # dy is B + O + J + R (batch, outer, index, inner dims); segment-sum over B + J rows.
    n_b, n_o, n_j = b, axis - b, indices._value.ndim - b
    batch, outer, inner = p_shape[:b], p_shape[b:axis], p_shape[axis + 1 :]
    n = p_shape[axis]
    perm = [
        *builtins.range(n_b),
        *builtins.range(axis, axis + n_j),
        *builtins.range(b, axis),
        *builtins.range(axis + n_j, dy._value.ndim),
    ]
    rows = reshape(transpose(dy, perm), (-1,) + outer + inner)
    n_batch = int(np.prod(batch, dtype=np.int64))
    offsets = reshape(range(0, n_batch * n, n, dtype=indices._dtype), batch + (1,) * n_j)
    ids = reshape(add(indices, offsets) if b else indices, [-1])
    summed = reshape(unsorted_segment_sum(rows, ids, n_batch * n), batch + (n,) + outer + inner)
    back = [
        *builtins.range(n_b),
        *builtins.range(b + 1, b + 1 + n_o),
        b,
        *builtins.range(b + 1 + n_o, len(p_shape)),
    ]
    return transpose(summed, back), None


def _traced_gather_grad(params, indices, dy, axis: int, b: int) -> Tensor:
    """``_gather_grad`` for params whose shape is known only when the graph runs: the
    same rows, scattered into a dense gradient of a shape the graph computes (TF gives
    IndexedSlices for axis 0, which densify only with a static row count)."""
    from tensorflux.ops.scatter_ops import scatter_nd

    dims = dim_list(params)
    n_j = indices._value.ndim - b
    batch, outer, inner, n = dims[:b], dims[b:axis], dims[axis + 1 :], dims[axis]
    perm = [
        *builtins.range(b),
        *builtins.range(axis, axis + n_j),
        *builtins.range(b, axis),
        *builtins.range(axis + n_j, dy._value.ndim),
    ]
    rows = reshape(transpose(dy, perm), [-1, *outer, *inner])
    n_rows = n
    for d in batch:
        n_rows = d * n_rows
    ids = indices
    if b:
        offsets = range(0, n_rows, n, dtype=indices._dtype)
        ids = indices + reshape(offsets, [*batch] + [1] * n_j)
    summed = scatter_nd(reshape(ids, [-1, 1]), rows, [n_rows, *outer, *inner])
    summed = reshape(summed, [*batch, n, *outer, *inner])
    back = [
        *builtins.range(b),
        *builtins.range(b + 1, axis + 1),
        b,
        *builtins.range(axis + 1, len(dims)),
    ]
    return transpose(summed, back)


_GATHER = register("GatherV2", kernel=_gather_kernel, grad=_gather_grad, infer=_gather_infer)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None) -> Tensor:
    """Picks slices of ``params`` along ``axis`` at ``indices`` (``tf.gather``).

    The output shape is ``params.shape[:axis] + indices.shape[batch_dims:] +
    params.shape[axis + 1:]``. Its gradient w.r.t. ``params`` is a ``tf.IndexedSlices``
    when ``axis`` and ``batch_dims`` are 0.

    >>> import tensorflux as tf
    >>> tf.gather([10, 20, 30], [2, 0]).numpy()
    array([30, 10], dtype=int32)

    Raises:
        InvalidArgumentError: non-integer indices, indices outside ``[0, dim)``, or an axis
            or ``batch_dims`` out of range.
    """
    p, i = to_tensor(params), to_tensor(indices)
    if i._dtype not in _INDEX_DTYPES:
        raise InvalidArgumentError(
            None,
            "GatherV2",
            f"Value for attr 'Tindices' of {i._dtype.name} is not in the list "
            f"of allowed values: int16, int32, int64 [Op:GatherV2]. Cast the indices, e.g. "
            f"tf.cast(indices, tf.int32).",
        )
    p_rank, i_rank = p._value.ndim, i._value.ndim
    b = int_scalar_arg(batch_dims, "GatherV2", "batch_dims")
    b = b + i_rank if b < 0 else b
    axis = b if axis is None else int_scalar_arg(axis, "GatherV2", "axis")
    if p_rank == 0:
        raise InvalidArgumentError(
            None, "GatherV2", "params must be at least 1 dimensional [Op:GatherV2]"
        )
    if not -p_rank <= axis < p_rank:
        raise InvalidArgumentError(
            None,
            "GatherV2",
            f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} "
            f"but is rank {p_rank} [Op:GatherV2]: axis {axis} is out of range for params of "
            f"shape {p.shape}.",
        )
    axis %= p_rank
    if 0 < b <= min(axis, i_rank):
        for d, (pd, id_) in enumerate(zip(static_dims(p)[:b], static_dims(i)[:b])):
            if None not in (pd, id_) and pd != id_:
                raise InvalidArgumentError(
                    None,
                    "GatherV2",
                    f"params.shape[{d}]: {pd} should be equal to indices.shape[{d}]: {id_} "
                    f"[Op:GatherV2]",
                )
    if not 0 <= b <= min(axis, i_rank) or (
        b and not _dims_agree(static_dims(p)[:b], static_dims(i)[:b])
    ):
        raise InvalidArgumentError(
            None,
            "GatherV2",
            f"batch_dims={batch_dims} must be in [0, min(axis={axis}, "
            f"indices rank={i_rank})] and params {p.shape} and indices {i.shape} must agree on "
            f"the batch dimensions [Op:GatherV2].",
        )
    return execute(_GATHER, (p, i), {"axis": axis, "batch_dims": b})


def dense_grad_gather(x: Tensor, indices, axis: int) -> Tensor:
    """A gather for ops that TF does not define as gathers (mirror pads, repeat): their
    input gradient is dense, so axis-0 gathers read ``x`` through an identity."""
    return gather(identity(x) if axis == 0 else x, indices, axis=axis)


# -- Where (coordinates) and SelectV2 ---------------------------------------


_WHERE = register(
    "Where",
    dynamic_shape=True,
    kernel=lambda c: np.argwhere(c).astype(np.int64),
    grad=None,
    infer=lambda c: Spec(dtypes.int64, TensorShape([None, c.shape.rank])),
)


def _select_infer(cond: Spec, x: Spec, y: Spec) -> Spec:
    return Spec(x.dtype, broadcast_shape(cond.shape, broadcast_shape(x.shape, y.shape)))


def _select_grad(call, dy):
    """The gradient flows to x where cond holds and to y elsewhere."""
    cond, x, y = call.inputs
    zero = zeros_like(dy)
    return (
        None,
        unbroadcast(where(cond, dy, zero), x, y),
        unbroadcast(where(cond, zero, dy), y, x),
    )


# SelectV2 on equal shapes as ``((x ^ y) & -cond) ^ y`` over integers of the item's
# width: x's or y's bits copied exactly (NaN payloads and signed zeros too), with no
# branch per element. np.where's branch mispredicts on masks of random signs: 1.4M float32
# took 5.8 ms with np.where and 1.0 ms so; with a sorted mask, 0.9 and 1.0 ms.
_SELECT_BITS = {1: np.int8, 2: np.int16, 4: np.int32, 8: np.int64}
_SELECT_BLEND_MIN = 1 << 12
_SELECT_CHUNK = 1 << 18  # elements per pass: bounds the mask's temporary


def _select_kernel(cond, x, y):
    bits = _SELECT_BITS.get(x.dtype.itemsize)
    if (
        bits is None
        or x.dtype.kind not in "biufc"
        or x.dtype != y.dtype
        or cond.dtype != np.bool_
        or not cond.shape == x.shape == y.shape
        or x.size < _SELECT_BLEND_MIN
    ):
        return np.where(cond, x, y)
    flat_cond, flat_x, flat_y = (np.ascontiguousarray(a).reshape(-1) for a in (cond, x, y))
    flat_x, flat_y = flat_x.view(bits), flat_y.view(bits)
    out = np.empty(x.size, bits)
    mask = np.empty(min(_SELECT_CHUNK, x.size), bits)
    for start in range(0, x.size, _SELECT_CHUNK):
        stop = min(start + _SELECT_CHUNK, x.size)
        m, o, ys = mask[: stop - start], out[start:stop], flat_y[start:stop]
        np.copyto(m, flat_cond[start:stop], casting="unsafe")
        np.negative(m, out=m)
        np.bitwise_xor(flat_x[start:stop], ys, out=o)
        np.bitwise_and(o, m, out=o)
        np.bitwise_xor(o, ys, out=o)
    return out.view(x.dtype).reshape(x.shape)


_SELECT = register("SelectV2", kernel=_select_kernel, grad=_select_grad, infer=_select_infer)


def where(condition, x=None, y=None, name=None) -> Tensor:
    """``x`` where ``condition`` holds, else ``y`` (broadcasting); with one argument, the
    coordinates of the true (non-zero) entries as an int64 ``[n, rank]`` tensor.

    >>> import tensorflux as tf
    >>> tf.where([True, False], [1, 2], [10, 20]).numpy()
    array([ 1, 20], dtype=int32)

    Raises:
        ValueError: only one of ``x`` and ``y`` given, or a non-bool tensor condition.
        InvalidArgumentError: ``x`` and ``y`` of different dtypes, or shapes that do not
            broadcast.
    """
    if x is None and y is None:
        c = to_tensor(condition)
        if c._dtype is dtypes.string:
            raise InvalidArgumentError(
                None,
                "Where",
                "Value for attr 'T' of string is not in "
                "the list of allowed values: numeric types and bool "
                "[Op:Where]. tf.where(condition) needs a bool or "
                "numeric condition.",
            )
        if c._value.ndim == 0:
            raise InvalidArgumentError(
                None, "Where", "WhereOp : Unhandled input dimensions: 0 [Op:Where]"
            )
        return execute(_WHERE, (c,))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    cond = convert_to_tensor(condition, dtypes.bool)
    x, y = (to_tensor(v) for v in to_matching_tensors([x, y]))
    if x._dtype is not y._dtype:
        raise registry._dtype_mismatch(_SELECT, 2, x._dtype, y._dtype)
    broadcast_shape(cond.shape, broadcast_shape(x.shape, y.shape, "SelectV2"), "SelectV2")
    return execute(_SELECT, (cond, x, y))
