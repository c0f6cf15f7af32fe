"""Reshaping and cutting SparseTensors: ``concat`` (SparseConcat), ``reshape``
(SparseReshape), ``slice`` (SparseSlice), ``split`` (SparseSplit), ``fill_empty_rows``
(SparseFillEmptyRows), ``transpose`` and ``expand_dims``."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import value_dims
from tensorflux.ops.creation_ops import int_list_arg, int_scalar_arg, one_hot, zeros_like
from tensorflux.ops.gather_ops import gather, where
from tensorflux.ops.joining_ops import concat as dense_concat
from tensorflux.ops.joining_ops import stack
from tensorflux.ops.logic_ops import logical_and
from tensorflux.ops.reduction_ops import reduce_all, reduce_max, reduce_sum
from tensorflux.ops.scatter_ops import scatter_nd
from tensorflux.ops.shape_ops import reshape as dense_reshape
from tensorflux.ops.shape_ops import shape as tf_shape
from tensorflux.ops.sparse.conversion_ops import reorder
from tensorflux.ops.sparse.sparse_common import index_text, row_major_keys, sparse_specs
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, as_sparse

__all__ = ["concat", "reshape", "slice", "split", "fill_empty_rows", "transpose", "expand_dims"]


# -- SparseConcat -------------------------------------------------------------


def _concat_kernel(*parts, concat_dim, N):
    indices, values, shapes = parts[:N], parts[N : 2 * N], parts[2 * N :]
    rank = len(shapes[0])
    dim = concat_dim % rank if -rank <= concat_dim < rank else None
    if dim is None:
        raise InvalidArgumentError(
            None,
            "SparseConcat",
            f"Concat dimension must be in range [{-rank}, {rank}), got {concat_dim}",
        )
    for i, shape in enumerate(shapes[1:], 1):
        if len(shape) != rank:
            raise InvalidArgumentError(
                None,
                "SparseConcat",
                f"Ranks of all input tensors must match: expected {rank} but got "
                f"{len(shape)} at position {i}",
            )
        for d in range(rank):
            if d != dim and shape[d] != shapes[0][d]:
                raise InvalidArgumentError(
                    None,
                    "SparseConcat",
                    f"Input shapes must match: expected {shapes[0][d]} for dimension {d} "
                    f"but got {shape[d]} at position {i}",
                )
    offsets = np.cumsum([0] + [int(s[dim]) for s in shapes])
    moved = []
    for ind, off in zip(indices, offsets):
        ind = np.array(ind, dtype=np.int64, copy=True)
        ind[:, dim] += off
        moved.append(ind)
    out_shape = np.array(shapes[0], dtype=np.int64, copy=True)
    out_shape[dim] = offsets[-1]
    all_indices = np.concatenate(moved)
    # TF orders the result by the dims before concat_dim, then by input, then the rest.
    order = np.argsort(row_major_keys(all_indices[:, :dim], out_shape[:dim]), kind="stable")
    return all_indices[order], np.concatenate(values)[order], out_shape


def _concat_infer(*specs, concat_dim, N):
    rank = specs[0].shape.as_list()[1] if specs[0].shape.rank == 2 else None
    return sparse_specs(specs[N].dtype, rank)


_CONCAT = register(
    "SparseConcat",
    kernel=_concat_kernel,
    grad=None,
    infer=_concat_infer,
    num_outputs=3,
    dynamic_shape=True,
)


def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None) -> SparseTensor:
    """Concatenates SparseTensors along ``axis``.

    With ``expand_nonconcat_dims`` the other dimensions may differ: each grows to the
    largest among the inputs.

    Raises:
        InvalidArgumentError: other dimensions that differ (without expanding).

    >>> import tensorflux as tf
    >>> a = tf.sparse.SparseTensor([[0, 0]], [1], [1, 2])
    >>> b = tf.sparse.SparseTensor([[0, 1]], [2], [1, 2])
    >>> tf.sparse.concat(1, [a, b]).indices.numpy().tolist()
    [[0, 0], [0, 3]]
    """
    sps = [as_sparse(s, "tf.sparse.concat") for s in sp_inputs]
    axis = int_scalar_arg(axis, "SparseConcat", "axis")
    shapes = [s.dense_shape for s in sps]
    if expand_nonconcat_dims:
        largest = reduce_max(stack(shapes), axis=0)
        rank = int(shapes[0].shape[0])
        keep = one_hot(axis % rank, rank, dtype=dtypes.int64)
        shapes = [s * keep + largest * (1 - keep) for s in shapes]
    flat = [s.indices for s in sps] + [s.values for s in sps] + shapes
    indices, values, shape = execute(_CONCAT, flat, {"concat_dim": axis, "N": len(sps)})
    return SparseTensor(indices, values, shape)


# -- SparseReshape ------------------------------------------------------------


def _reshape_kernel(indices, input_shape, new_shape):
    input_shape = np.asarray(input_shape, np.int64)
    target = np.asarray(new_shape, np.int64).copy()
    dense = int(np.prod(input_shape))
    unknown = np.flatnonzero(target == -1)
    if unknown.size > 1:
        raise InvalidArgumentError(
            None,
            "SparseReshape",
            f"only one output dimension may be -1, not both {unknown[0]} and {unknown[1]}",
        )
    shown_in, shown_out = index_text(input_shape), index_text(np.abs(target))
    if unknown.size:
        known = int(np.prod(np.delete(target, unknown[0])))
        if known == 0 or dense % known:
            raise InvalidArgumentError(
                None,
                "SparseReshape",
                f"Input to reshape is a SparseTensor with {dense} dense values, but the "
                f"requested shape requires a multiple of {known}. input_shape="
                f"{shown_in} output_shape={shown_out}",
            )
        target[unknown[0]] = dense // known
    elif int(np.prod(target)) != dense:
        raise InvalidArgumentError(
            None,
            "SparseReshape",
            f"Input to reshape is a tensor with {dense} dense values, but the requested "
            f"shape has {int(np.prod(target))}. input_shape={shown_in} "
            f"output_shape={shown_out}",
        )
    flat = row_major_keys(indices, input_shape)
    out = np.stack(np.unravel_index(flat, tuple(target)), axis=1) if len(target) else None
    if out is None:
        out = np.zeros((len(indices), 0), np.int64)
    return out.astype(np.int64), target


def _reshape_infer(indices: Spec, input_shape: Spec, new_shape: Spec):
    rank = new_shape.shape.as_list()[0] if new_shape.shape.rank == 1 else None
    nnz = indices.shape.as_list()[0] if indices.shape.rank == 2 else None
    return Spec(dtypes.int64, TensorShape([nnz, rank])), Spec(dtypes.int64, TensorShape([rank]))


_RESHAPE = register(
    "SparseReshape", kernel=_reshape_kernel, grad=None, infer=_reshape_infer, num_outputs=2
)


def reshape(sp_input, shape, name=None) -> SparseTensor:
    """The SparseTensor with dense shape ``shape`` (one entry may be -1) holding the same
    entries in the same row-major order.

    Raises:
        InvalidArgumentError: a shape with another number of elements.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[1, 1]], [5], [2, 2])
    >>> tf.sparse.reshape(st, [-1]).indices.numpy().tolist()
    [[3]]
    """
    sp = as_sparse(sp_input, "tf.sparse.reshape")
    new_shape = convert_to_tensor(shape, dtype=dtypes.int64)
    indices, out_shape = execute(_RESHAPE, (sp.indices, sp.dense_shape, new_shape))
    return SparseTensor(indices, sp.values, out_shape)


# -- SparseSlice --------------------------------------------------------------


def _slice_kernel(indices, values, shape, start, size):
    shape = np.asarray(shape, np.int64)
    start, size = np.asarray(start, np.int64), np.asarray(size, np.int64)
    if len(start) != len(shape) or len(size) != len(shape):
        raise InvalidArgumentError(
            None,
            "SparseSlice",
            f"Expected start and size to have {len(shape)} entries, got {len(start)} and "
            f"{len(size)}",
        )
    end = np.minimum(start + size, shape)
    keep = np.all((indices >= start) & (indices < end), axis=1)
    out_shape = np.maximum(end - start, 0)
    return (indices[keep] - start).astype(np.int64), values[keep], out_shape.astype(np.int64)


def _slice_infer(indices: Spec, values: Spec, shape: Spec, start: Spec, size: Spec):
    rank = indices.shape.as_list()[1] if indices.shape.rank == 2 else None
    return sparse_specs(values.dtype, rank)


def _slice_grad(call, d_indices, d_values, d_shape):
    """Each kept entry receives its output's gradient; the others receive 0."""
    indices, _, _, start, _ = call.inputs
    kept = _kept_positions(indices, start, call.outputs[2])
    n = tf_shape(indices, out_type=dtypes.int64)[:1]
    return None, scatter_nd(dense_reshape(kept, [-1, 1]), d_values, n), None, None, None


def _kept_positions(indices, start, out_shape) -> Tensor:
    inside = logical_and(indices >= start, indices < start + out_shape)
    return dense_reshape(where(reduce_all(inside, axis=1)), [-1])


_SLICE = register(
    "SparseSlice",
    kernel=_slice_kernel,
    grad=_slice_grad,
    infer=_slice_infer,
    num_outputs=3,
    dynamic_shape=True,
)


def slice(sp_input, start, size, name=None) -> SparseTensor:  # noqa: A001 - TF's name
    """The entries of ``sp_input`` inside the box ``[start, start + size)`` (clipped to its
    shape), with indices relative to ``start``.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 1], [2, 0]], [1, 2], [3, 4])
    >>> tf.sparse.slice(st, [1, 0], [2, 2]).indices.numpy().tolist()
    [[1, 0]]
    """
    sp = as_sparse(sp_input, "tf.sparse.slice")
    start = convert_to_tensor(start, dtype=dtypes.int64)
    size = convert_to_tensor(size, dtype=dtypes.int64)
    indices, values, shape = execute(_SLICE, (*sp._components(), start, size))
    return SparseTensor(indices, values, shape)


def split(sp_input=None, num_split=None, axis=None, name=None) -> list:
    """Splits ``sp_input`` into ``num_split`` SparseTensors along ``axis``; the first
    ``size % num_split`` pieces are one longer.

    Raises:
        InvalidArgumentError: ``num_split`` outside ``[1, size of axis]``.
        ValueError: a SparseTensor whose shape is not known statically.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 1], [0, 3]], [1, 2], [1, 4])
    >>> [p.values.numpy().tolist() for p in tf.sparse.split(sp_input=st, num_split=2, axis=1)]
    [[1], [2]]
    """
    sp = as_sparse(sp_input, "tf.sparse.split")
    num = int_scalar_arg(num_split, "SparseSplit", "num_split")
    shape = sp.shape.as_list() if sp.shape.rank is not None else None
    if shape is None or None in shape:
        raise ValueError(
            f"tf.sparse.split needs the static shape of sp_input, got {sp.shape}: inside "
            "tf.function give the SparseTensorSpec a full shape."
        )
    axis = int_scalar_arg(axis, "SparseSplit", "axis")
    if not -len(shape) <= axis < len(shape):
        raise InvalidArgumentError(
            None,
            "SparseSplit",
            f"Input split_dim should be between {-len(shape)} and {len(shape)}, got {axis}",
        )
    axis %= len(shape)
    size = shape[axis]
    if not 1 <= num <= size:
        raise InvalidArgumentError(
            None,
            "SparseSplit",
            f"Input num_split should be between 1 and the splitting dimension size "
            f"({size}), got {num}",
        )
    pieces, begin = [], 0
    for i in range(num):
        length = size // num + (1 if i < size % num else 0)
        start = [0] * len(shape)
        start[axis] = begin
        pieces.append(slice(sp, start, shape[:axis] + [length] + shape[axis + 1 :]))
        begin += length
    return pieces


# -- SparseFillEmptyRows ------------------------------------------------------


def _fill_kernel(indices, values, dense_shape, default_value):
    if len(dense_shape) < 1 or indices.shape[1] < 1:
        raise InvalidArgumentError(
            None, "SparseFillEmptyRows", "Input dense_shape must have at least one dimension."
        )
    rows = int(dense_shape[0])
    if default_value.ndim != 0:
        raise InvalidArgumentError(
            None,
            "SparseFillEmptyRows",
            f"default_value must be a scalar, got shape {list(default_value.shape)}",
        )
    bad = np.flatnonzero((indices[:, 0] < 0) | (indices[:, 0] >= rows))
    if bad.size:
        i = int(bad[0])
        raise InvalidArgumentError(
            None,
            "SparseFillEmptyRows",
            f"indices({i}, 0) is invalid: {indices[i, 0]} >= {rows}",
        )
    counts = np.bincount(indices[:, 0], minlength=rows) if len(indices) else np.zeros(rows, int)
    empty = counts == 0
    filled = np.zeros((int(empty.sum()), indices.shape[1]), np.int64)
    filled[:, 0] = np.flatnonzero(empty)
    all_indices = np.concatenate([indices.astype(np.int64), filled])
    all_values = np.concatenate([values, np.full(len(filled), default_value, values.dtype)])
    order = np.argsort(all_indices[:, 0], kind="stable")
    reverse = np.empty(len(indices), np.int64)
    reverse[order[order < len(indices)]] = np.flatnonzero(order < len(indices))
    return all_indices[order], all_values[order], empty, reverse


def _fill_infer(indices: Spec, values: Spec, dense_shape: Spec, default: Spec):
    rank = indices.shape.as_list()[1] if indices.shape.rank == 2 else None
    rows = value_dims(dense_shape, rank)[0] if rank else None
    nnz = indices.shape.as_list()[0] if indices.shape.rank == 2 else None
    return (
        Spec(dtypes.int64, TensorShape([None, rank])),
        Spec(values.dtype, TensorShape([None])),
        Spec(dtypes.bool, TensorShape([rows])),
        Spec(dtypes.int64, TensorShape([nnz])),
    )


def _fill_grad(call, d_indices, d_values, d_empty, d_reverse):
    """d values = gather(d output values, reverse_index_map); d default = the rest."""
    values_grad = gather(d_values, call.outputs[3])
    return None, values_grad, None, reduce_sum(d_values) - reduce_sum(values_grad)


_FILL = register(
    "SparseFillEmptyRows",
    kernel=_fill_kernel,
    grad=_fill_grad,
    infer=_fill_infer,
    num_outputs=4,
    dynamic_shape=True,
)


def fill_empty_rows(sp_input, default_value, name=None):
    """Adds an entry ``[row, 0, ..., 0] = default_value`` for each row with no entry.

    Returns:
        ``(sp_ordered_output, empty_row_indicator)``: the filled SparseTensor (rows in
        order) and a bool vector marking the rows that were empty.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[1, 1]], [5], [3, 2])
    >>> out, empty = tf.sparse.fill_empty_rows(st, -1)
    >>> out.values.numpy().tolist(), empty.numpy().tolist()
    ([-1, 5, -1], [True, False, True])
    """
    sp = as_sparse(sp_input, "tf.sparse.fill_empty_rows")
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    indices, values, empty, _ = execute(_FILL, (*sp._components(), default))
    return SparseTensor._make(indices, values, sp.dense_shape, sp.shape), empty


# -- compositions -------------------------------------------------------------


def transpose(sp_input, perm=None, name=None) -> SparseTensor:
    """Permutes the dimensions of a SparseTensor (reverses them when ``perm`` is None);
    the result is in canonical order.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 2]], [1], [1, 3])
    >>> tf.sparse.transpose(st).indices.numpy().tolist()
    [[2, 0]]
    """
    sp = as_sparse(sp_input, "tf.sparse.transpose")
    rank = sp.shape.rank if sp.shape.rank is not None else int(sp.indices.shape[1])
    perm = list(range(rank))[::-1] if perm is None else int_list_arg(perm, "transpose", "perm")
    if sorted(perm) != list(range(rank)):
        raise InvalidArgumentError(
            None, "Transpose", f"perm {perm} is not a permutation of [0, ..., {rank - 1}]"
        )
    indices = gather(sp.indices, perm, axis=1)
    shape = gather(sp.dense_shape, perm)
    dims = [sp.shape.as_list()[p] for p in perm] if sp.shape.rank is not None else None
    return reorder(SparseTensor._make(indices, sp.values, shape, TensorShape(dims)))


def expand_dims(sp_input, axis=None, name=None) -> SparseTensor:
    """Inserts a dimension of size 1 at ``axis`` (negative counts from the end).

    Raises:
        ValueError: an axis outside ``[-rank - 1, rank]``.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[1]], [5], [2])
    >>> tf.sparse.expand_dims(st, 0).shape
    TensorShape([1, 2])
    """
    sp = as_sparse(sp_input, "tf.sparse.expand_dims")
    rank = sp.shape.rank if sp.shape.rank is not None else int(sp.indices.shape[1])
    axis = -1 if axis is None else int_scalar_arg(axis, "ExpandDims", "axis")
    if not -rank - 1 <= axis <= rank:
        raise ValueError(
            f"axis {axis} is out of range for a SparseTensor of rank {rank}: it must be in "
            f"[{-rank - 1}, {rank}]."
        )
    axis = axis % (rank + 1)
    zeros = zeros_like(sp.indices[:, :1])
    indices = dense_concat([sp.indices[:, :axis], zeros, sp.indices[:, axis:]], 1)
    one = convert_to_tensor([1], dtype=dtypes.int64)
    shape = dense_concat([sp.dense_shape[:axis], one, sp.dense_shape[axis:]], 0)
    dims = None
    if sp.shape.rank is not None:
        dims = sp.shape.as_list()[:axis] + [1] + sp.shape.as_list()[axis:]
    return SparseTensor._make(indices, sp.values, shape, TensorShape(dims))
