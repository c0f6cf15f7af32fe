"""Products and reductions of SparseTensors: ``sparse_dense_matmul``
(SparseTensorDenseMatMul) and ``reduce_sum`` / ``reduce_max`` (SparseReduceSum,
SparseReduceMax and their ``*Sparse`` twins with a sparse output)."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import NUMERIC, REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import value_dims
from tensorflux.ops.creation_ops import range as tf_range
from tensorflux.ops.division_ops import floormod
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.logic_ops import equal
from tensorflux.ops.math_ops import cast
from tensorflux.ops.reduction_ops import reduce_any
from tensorflux.ops.reduction_ops import reduce_sum as dense_reduce_sum
from tensorflux.ops.scatter_ops import gather_nd
from tensorflux.ops.shape_ops import reshape
from tensorflux.ops.shape_ops import shape as tf_shape
from tensorflux.ops.shape_ops import transpose as dense_transpose
from tensorflux.ops.sparse.sparse_common import check_dtype, row_major_keys, sparse_specs
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, as_sparse

__all__ = ["sparse_dense_matmul", "reduce_sum", "reduce_max"]


# -- SparseTensorDenseMatMul --------------------------------------------------


def _matmul_kernel(a_indices, a_values, a_shape, b, adjoint_a=False, adjoint_b=False):
    if a_indices.ndim != 2 or len(a_shape) != 2:
        raise InvalidArgumentError(
            None,
            "SparseTensorDenseMatMul",
            f"Tensor 'a_shape' is not a vector of 2 entries: got shape {list(a_shape)}; "
            "sparse_dense_matmul multiplies rank-2 SparseTensors only.",
        )
    if b.ndim != 2:
        raise InvalidArgumentError(
            None,
            "SparseTensorDenseMatMul",
            f"Tensor 'b' is not a matrix: got shape {list(b.shape)}",
        )
    rows, cols = (1, 0) if adjoint_a else (0, 1)
    bb = b.T if adjoint_b else b
    outer, inner = int(a_shape[rows]), int(a_shape[cols])
    if inner != bb.shape[0]:
        raise InvalidArgumentError(
            None,
            "SparseTensorDenseMatMul",
            f"Cannot multiply A and B because inner dimension does not match: {inner} vs. "
            f"{bb.shape[0]}.  Did you forget a transpose?  Dimensions of A: "
            f"[{a_shape[0]}, {a_shape[1]}).  Dimensions of B: [{b.shape[0]},{b.shape[1]}]",
        )
    i, k = a_indices[:, rows], a_indices[:, cols]
    for letter, column, size in (("m", rows, outer), ("k", cols, inner)):
        idx = a_indices[:, column]
        bad = np.flatnonzero((idx < 0) | (idx >= size))
        if bad.size:
            j = int(bad[0])
            raise InvalidArgumentError(
                None,
                "SparseTensorDenseMatMul",
                f"{letter} ({idx[j]}) from index[{j},{column}] out of bounds (>={size})",
            )
    out = np.zeros((outer, bb.shape[1]), dtype=np.result_type(a_values, b))
    np.add.at(out, i, a_values[:, None] * bb[k])
    return out.astype(b.dtype, copy=False)


def _matmul_infer(a_indices: Spec, a_values: Spec, a_shape: Spec, b: Spec, **attrs) -> Spec:
    dims = value_dims(a_shape, 2)
    rows = dims[1] if attrs.get("adjoint_a") else dims[0]
    b_dims = b.shape.as_list() if b.shape.rank == 2 else [None, None]
    cols = b_dims[0] if attrs.get("adjoint_b") else b_dims[1]
    return Spec(b.dtype, TensorShape([rows, cols]))


def _matmul_grad(call, dy):
    """d a_values[n] = sum_j dy[i_n, j] * b[k_n, j]; d b = A^T dy (adjoints swap roles)."""
    a_indices, a_values, a_shape, b = call.inputs
    adj_a, adj_b = call.attrs.get("adjoint_a", False), call.attrs.get("adjoint_b", False)
    b_grad = execute(_MATMUL, (a_indices, a_values, a_shape, dy), {"adjoint_a": not adj_a})
    if adj_b:
        b_grad = dense_transpose(b_grad)
    rows, cols = a_indices[:, 0], a_indices[:, 1]
    parts_dy = gather(dy, cols if adj_a else rows)
    parts_b = gather(dense_transpose(b) if adj_b else b, rows if adj_a else cols)
    return None, dense_reduce_sum(parts_dy * parts_b, axis=1), None, b_grad


_MATMUL = register(
    "SparseTensorDenseMatMul",
    kernel=_matmul_kernel,
    grad=_matmul_grad,
    infer=_matmul_infer,
    shape_inputs=(2,),
)


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None) -> Tensor:
    """The matrix product of a rank-2 SparseTensor and a dense matrix (either order).

    Args:
        sp_a: a SparseTensor (or a dense matrix when ``b`` is the SparseTensor).
        b: a dense matrix of the values' dtype (or a SparseTensor).
        adjoint_a, adjoint_b: transpose that operand first.
        name: unused; kept for TF's signature.

    Returns:
        The dense product.

    Raises:
        InvalidArgumentError: inner dimensions that differ, or dtypes that differ.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 1], [1, 0]], [2.0, 3.0], [2, 2])
    >>> tf.sparse.sparse_dense_matmul(st, tf.ones([2, 1])).numpy().tolist()
    [[2.0], [3.0]]
    """
    if isinstance(b, SparseTensor):
        # a @ B = (B^T a^T)^T: the sparse operand goes first.
        product = sparse_dense_matmul(
            b, convert_to_tensor(sp_a), adjoint_a=not adjoint_b, adjoint_b=not adjoint_a
        )
        return dense_transpose(product)
    sp = as_sparse(sp_a, "tf.sparse.sparse_dense_matmul")
    check_dtype("SparseTensorDenseMatMul", sp.dtype, NUMERIC)
    b = convert_to_tensor(b)
    if b.dtype is not sp.dtype:
        raise InvalidArgumentError(
            None,
            "SparseTensorDenseMatMul",
            f"cannot compute SparseTensorDenseMatMul as input #3(zero-based) was expected "
            f"to be a {_tf_type(sp.dtype)} tensor but is a {_tf_type(b.dtype)} tensor",
        )
    attrs = {"adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b)}
    return execute(_MATMUL, (sp.indices, sp.values, sp.dense_shape, b), attrs)


def _tf_type(dtype) -> str:
    return {dtypes.float32: "float", dtypes.float64: "double", dtypes.float16: "half"}.get(
        dtype, dtype.name
    )


# -- SparseReduceSum, SparseReduceMax (dense and sparse outputs) -----------------


def _reduce_axes(op_name: str, axes, rank: int) -> list:
    axes = np.asarray(axes, dtype=np.int64).reshape(-1)
    out = []
    for a in axes.tolist():
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None,
                op_name,
                f"Invalid reduction dimension {a}, for input with {rank} dimensions.",
            )
        out.append(a % rank)
    return sorted(set(out))


def _groups(op_name, indices, shape, axes):
    """The kept dims, the output shape, and each entry's output cell (as row-major keys)
    with the distinct cells in order."""
    shape = np.asarray(shape, dtype=np.int64)
    axes = _reduce_axes(op_name, axes, len(shape))
    kept = [d for d in range(len(shape)) if d not in axes]
    out_indices = indices[:, kept]
    keys = row_major_keys(out_indices, shape[kept])
    cells, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return kept, shape, out_indices[first], inverse.reshape(-1), len(cells)


def _reduce_dense(op_name, indices, values, shape, axes, keep_dims, combine):
    kept, shape, cell_indices, inverse, n = _groups(op_name, indices, shape, axes)
    reduced = combine(values, inverse, n)
    out = np.zeros(tuple(shape[kept]), dtype=values.dtype)
    if kept:
        out[tuple(cell_indices.T)] = reduced
    elif n:
        out[()] = reduced[0]
    if keep_dims:
        out = out.reshape([1 if d not in kept else shape[d] for d in range(len(shape))])
    return out


def _reduce_sparse(op_name, indices, values, shape, axes, keep_dims, combine):
    kept, shape, cell_indices, inverse, n = _groups(op_name, indices, shape, axes)
    reduced = combine(values, inverse, n)
    if keep_dims:
        full = np.zeros((n, len(shape)), dtype=np.int64)
        full[:, kept] = cell_indices
        out_shape = np.where(np.isin(np.arange(len(shape)), kept), shape, 1)
        return full, reduced, out_shape.astype(np.int64)
    return cell_indices.astype(np.int64), reduced, shape[kept].astype(np.int64)


def _sum_cells(values, inverse, n):
    out = np.zeros(n, dtype=values.dtype)
    np.add.at(out, inverse, values)
    return out


def _max_cells(values, inverse, n):
    out = np.empty(n, dtype=values.dtype)
    order = np.argsort(inverse, kind="stable")
    starts = np.searchsorted(inverse[order], np.arange(n))
    if n:
        out[:] = np.maximum.reduceat(values[order], starts)
    return out


def _reduced_infer(input_shape: Spec, axes: Spec, keep_dims: bool) -> TensorShape:
    rank = input_shape.shape.as_list()[0] if input_shape.shape.rank == 1 else None
    if rank is None or axes.value is None:
        return TensorShape(None)
    dims = value_dims(input_shape, rank)
    chosen = {a % rank for a in ([axes.value] if isinstance(axes.value, int) else axes.value)}
    if keep_dims:
        return TensorShape([1 if d in chosen else dims[d] for d in range(rank)])
    return TensorShape([dims[d] for d in range(rank) if d not in chosen])


def _dense_reduce_op(name, combine, grad):
    def kernel(indices, values, shape, axes, keep_dims=False):
        return _reduce_dense(name, indices, values, shape, axes, keep_dims, combine)

    def infer(indices: Spec, values: Spec, shape: Spec, axes: Spec, keep_dims=False) -> Spec:
        return Spec(values.dtype, _reduced_infer(shape, axes, keep_dims))

    return register(name, kernel=kernel, grad=grad, infer=infer, shape_inputs=(2, 3))


def _sparse_reduce_op(name, combine):
    def kernel(indices, values, shape, axes, keep_dims=False):
        return _reduce_sparse(name, indices, values, shape, axes, keep_dims, combine)

    def infer(indices: Spec, values: Spec, shape: Spec, axes: Spec, keep_dims=False):
        out = _reduced_infer(shape, axes, keep_dims)
        return sparse_specs(values.dtype, out.rank)

    return register(name, kernel=kernel, grad=None, infer=infer, num_outputs=3, dynamic_shape=True)


def _reduce_sum_grad(call, dy):
    """d values[n] = dy at the output cell of entry n (gather_nd on the kept dims)."""
    indices, _, shape, axes = call.inputs
    rank = tf_shape(shape, out_type=dtypes.int64)[0]
    dims = tf_range(rank, dtype=dtypes.int64)
    axes = floormod(cast(reshape(axes, [-1, 1]), dtypes.int64), rank)
    # 1 on the reduced dims, 0 on the kept ones.
    reduced = cast(reduce_any(equal(reshape(dims, [1, -1]), axes), axis=0), dtypes.int64)
    kept_shape = shape * (1 - reduced) + reduced
    return None, gather_nd(reshape(dy, kept_shape), indices * (1 - reduced)), None, None


_REDUCE_SUM = _dense_reduce_op("SparseReduceSum", _sum_cells, _reduce_sum_grad)
_REDUCE_MAX = _dense_reduce_op("SparseReduceMax", _max_cells, None)
_REDUCE_SUM_SPARSE = _sparse_reduce_op("SparseReduceSumSparse", _sum_cells)
_REDUCE_MAX_SPARSE = _sparse_reduce_op("SparseReduceMaxSparse", _max_cells)


def _reduce(dense_op, sparse_op, sp_input, axis, keepdims, output_is_sparse):
    sp = as_sparse(sp_input, f"tf.sparse.{dense_op.name}")
    check_dtype(dense_op.name, sp.dtype, NUMERIC if dense_op is _REDUCE_SUM else REAL)
    if axis is None:
        rank = sp.shape.rank if sp.shape.rank is not None else int(sp.indices.shape[1])
        axis = list(range(rank))
    axes = convert_to_tensor(axis, dtype=dtypes.int32)
    attrs = {"keep_dims": bool(keepdims)}
    if output_is_sparse:
        indices, values, shape = execute(sparse_op, (*sp._components(), axes), attrs)
        return SparseTensor(indices, values, shape)
    return execute(dense_op, (*sp._components(), axes), attrs)


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Sums a SparseTensor's entries over ``axis`` (all axes when None).

    Returns:
        A dense Tensor, or a SparseTensor of the nonempty cells when
        ``output_is_sparse``.

    Raises:
        InvalidArgumentError: an axis outside ``[-rank, rank)``.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 2.0, 3.0], [2, 3])
    >>> tf.sparse.reduce_sum(st, axis=1).numpy().tolist()
    [3.0, 3.0]
    """
    return _reduce(_REDUCE_SUM, _REDUCE_SUM_SPARSE, sp_input, axis, keepdims, output_is_sparse)


def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """The maximum of a SparseTensor's stored entries over ``axis`` (all when None).

    Only stored entries count (the implicit zeros do not); a cell with no entry is 0 in
    the dense result and absent from the sparse one.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [0, 2]], [-1.0, -2.0], [2, 3])
    >>> tf.sparse.reduce_max(st, axis=1).numpy().tolist()
    [-1.0, 0.0]
    """
    return _reduce(_REDUCE_MAX, _REDUCE_MAX_SPARSE, sp_input, axis, keepdims, output_is_sparse)
