"""Two operands, at least one sparse: ``tf.sparse.add`` (SparseAdd, SparseTensorDenseAdd),
``maximum`` / ``minimum`` (SparseSparseMaximum/Minimum), ``softmax`` (SparseSoftmax) and
the SparseTensor operators ``*`` and ``/`` with a dense operand (SparseDenseCwise*)."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, NUMERIC, REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import unbroadcast
from tensorflux.ops.joining_ops import concat
from tensorflux.ops.scatter_ops import gather_nd, scatter_nd
from tensorflux.ops.shape_ops import broadcast_to
from tensorflux.ops.sparse.sparse_common import check_dtype, row_major_keys
from tensorflux.ops.sparse.sparse_math_ops import reduce_sum
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, as_sparse

__all__ = ["add", "maximum", "minimum", "softmax"]


def _check_same_shape(op_name: str, a_shape, b_shape) -> None:
    if len(a_shape) != len(b_shape):
        raise InvalidArgumentError(
            None,
            op_name,
            f"Operands do not have the same ranks; got shapes: {list(a_shape)} and {list(b_shape)}",
        )
    for d, (x, y) in enumerate(zip(a_shape, b_shape)):
        if x != y:
            raise InvalidArgumentError(
                None,
                op_name,
                f"Operands' shapes do not match: got {x} and {y} for dimension {d}",
            )


def _union(a_indices, b_indices, shape):
    """The sorted union of two index sets, and where each side's entries land in it."""
    a_keys, b_keys = row_major_keys(a_indices, shape), row_major_keys(b_indices, shape)
    keys, first = np.unique(np.concatenate([a_keys, b_keys]), return_index=True)
    indices = np.concatenate([a_indices, b_indices])[first]
    return indices, np.searchsorted(keys, a_keys), np.searchsorted(keys, b_keys)


# -- SparseAdd, SparseAddGrad -----------------------------------------------------


def _sparse_add_kernel(a_indices, a_values, a_shape, b_indices, b_values, b_shape, thresh):
    _check_same_shape("SparseAdd", a_shape, b_shape)
    indices, a_at, b_at = _union(a_indices, b_indices, a_shape)
    values = np.zeros(len(indices), dtype=a_values.dtype)
    np.add.at(values, a_at, a_values)
    np.add.at(values, b_at, b_values)
    # As TF: the threshold drops only cells where both operands have an entry.
    both = np.zeros(len(indices), dtype=bool)
    both[np.intersect1d(a_at, b_at)] = True
    keep = ~both | (np.abs(values) >= thresh)
    return indices[keep].astype(np.int64), values[keep], np.asarray(a_shape, np.int64)


def _sparse_add_infer(a_indices: Spec, a_values: Spec, a_shape: Spec, *rest):
    rank = a_indices.shape.as_list()[1] if a_indices.shape.rank == 2 else None
    return (
        Spec(dtypes.int64, TensorShape([None, rank])),
        Spec(a_values.dtype, TensorShape([None])),
        Spec(dtypes.int64, a_shape.shape),
    )


def _sparse_add_grad(call, d_indices, d_values, d_shape):
    """Each operand's entry receives the gradient of the sum's entry at its index."""
    a_indices, _, _, b_indices = call.inputs[:4]
    a_grad, b_grad = execute(_SPARSE_ADD_GRAD, (d_values, a_indices, b_indices, call.outputs[0]))
    return None, a_grad, None, None, b_grad, None, None


_SPARSE_ADD = register(
    "SparseAdd",
    kernel=_sparse_add_kernel,
    grad=_sparse_add_grad,
    infer=_sparse_add_infer,
    num_outputs=3,
    dynamic_shape=True,
)


def _sparse_add_grad_kernel(backprop, a_indices, b_indices, sum_indices):
    shape = np.maximum(
        np.max(np.concatenate([a_indices, b_indices, sum_indices]), axis=0, initial=0) + 1, 1
    )
    keys = row_major_keys(sum_indices, shape)

    def pick(indices):
        k = row_major_keys(indices, shape)
        at = np.clip(np.searchsorted(keys, k), 0, max(len(keys) - 1, 0))
        found = (at < len(keys)) & (keys[at] == k) if len(keys) else np.zeros(len(k), bool)
        out = np.zeros(len(k), dtype=backprop.dtype)
        out[found] = backprop[at[found]]
        return out

    return pick(a_indices), pick(b_indices)


def _sparse_add_grad_infer(backprop: Spec, a_indices: Spec, b_indices: Spec, sum_indices):
    def rows(s):
        return s.shape.as_list()[0] if s.shape.rank == 2 else None

    return (
        Spec(backprop.dtype, TensorShape([rows(a_indices)])),
        Spec(backprop.dtype, TensorShape([rows(b_indices)])),
    )


_SPARSE_ADD_GRAD = register(
    "SparseAddGrad",
    kernel=_sparse_add_grad_kernel,
    grad=None,
    infer=_sparse_add_grad_infer,
    num_outputs=2,
)


# -- SparseTensorDenseAdd -----------------------------------------------------


def _dense_add_kernel(a_indices, a_values, a_shape, b):
    _check_same_shape("SparseTensorDenseAdd", a_shape, b.shape)
    out = np.array(b, copy=True)
    np.add.at(out, tuple(a_indices.T), a_values)
    return out


def _dense_add_infer(a_indices: Spec, a_values: Spec, a_shape: Spec, b: Spec) -> Spec:
    return Spec(b.dtype, b.shape)


def _dense_add_grad(call, dy):
    """d a_values = gather_nd(dy, a_indices); d b = dy."""
    return None, gather_nd(dy, call.inputs[0]), None, dy


_DENSE_ADD = register(
    "SparseTensorDenseAdd",
    kernel=_dense_add_kernel,
    grad=_dense_add_grad,
    infer=_dense_add_infer,
)


def add(a, b, threshold=0) -> SparseTensor | Tensor:
    """``a + b`` where at least one is a SparseTensor.

    Sparse + sparse gives a SparseTensor; ``threshold`` drops the cells present in both
    whose sum has a magnitude below it. Sparse + dense gives a dense Tensor.

    Raises:
        InvalidArgumentError: shapes that differ.
        TypeError: two dense operands.

    >>> import tensorflux as tf
    >>> a = tf.sparse.SparseTensor([[0, 0]], [1.0], [1, 2])
    >>> b = tf.sparse.SparseTensor([[0, 1]], [2.0], [1, 2])
    >>> tf.sparse.to_dense(tf.sparse.add(a, b)).numpy().tolist()
    [[1.0, 2.0]]
    """
    a_sparse, b_sparse = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if not a_sparse and not b_sparse:
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add?")
    check_dtype("SparseAdd", (a if a_sparse else b).dtype, NUMERIC)
    if a_sparse and b_sparse:
        if a.dtype is not b.dtype:
            raise InvalidArgumentError(
                None,
                "SparseAdd",
                f"cannot compute SparseAdd as input #4(zero-based) was expected to be a "
                f"{a.dtype.name} tensor but is a {b.dtype.name} tensor",
            )
        thresh = convert_to_tensor(threshold, dtype=a.values.dtype.real_dtype)
        indices, values, shape = execute(_SPARSE_ADD, (*a._components(), *b._components(), thresh))
        return SparseTensor._make(indices, values, shape, a.shape.merge_with(b.shape))
    sp, dense = (a, b) if a_sparse else (b, a)
    dense = convert_to_tensor(dense, dtype=sp.dtype)
    return execute(_DENSE_ADD, (*sp._components(), dense))


# -- SparseSparseMaximum, SparseSparseMinimum --------------------------------------


def _extremum_op(name: str, pick):
    def kernel(a_indices, a_values, a_shape, b_indices, b_values, b_shape):
        _check_same_shape(name, a_shape, b_shape)
        indices, a_at, b_at = _union(a_indices, b_indices, a_shape)
        # A cell missing from one operand counts as 0 there.
        a_full = np.zeros(len(indices), dtype=a_values.dtype)
        b_full = np.zeros(len(indices), dtype=a_values.dtype)
        a_full[a_at], b_full[b_at] = a_values, b_values
        return indices.astype(np.int64), pick(a_full, b_full)

    def infer(a_indices: Spec, a_values: Spec, *rest):
        rank = a_indices.shape.as_list()[1] if a_indices.shape.rank == 2 else None
        return (
            Spec(dtypes.int64, TensorShape([None, rank])),
            Spec(a_values.dtype, TensorShape([None])),
        )

    return register(name, kernel=kernel, grad=None, infer=infer, num_outputs=2, dynamic_shape=True)


_MAXIMUM = _extremum_op("SparseSparseMaximum", np.maximum)
_MINIMUM = _extremum_op("SparseSparseMinimum", np.minimum)


def _extremum(op, sp_a, sp_b) -> SparseTensor:
    a, b = as_sparse(sp_a, op.name), as_sparse(sp_b, op.name)
    check_dtype(op.name, a.dtype, REAL)
    indices, values = execute(op, (*a._components(), *b._components()))
    return SparseTensor._make(indices, values, a.dense_shape, a.shape.merge_with(b.shape))


def maximum(sp_a, sp_b, name=None) -> SparseTensor:
    """Elementwise maximum of two SparseTensors of one shape (missing entries are 0).

    >>> import tensorflux as tf
    >>> a = tf.sparse.SparseTensor([[0], [1]], [-1.0, 3.0], [3])
    >>> b = tf.sparse.SparseTensor([[1], [2]], [4.0, -2.0], [3])
    >>> tf.sparse.maximum(a, b).values.numpy().tolist()
    [0.0, 4.0, 0.0]
    """
    return _extremum(_MAXIMUM, sp_a, sp_b)


def minimum(sp_a, sp_b, name=None) -> SparseTensor:
    """Elementwise minimum of two SparseTensors of one shape (missing entries are 0).

    >>> import tensorflux as tf
    >>> a = tf.sparse.SparseTensor([[0], [1]], [-1.0, 3.0], [3])
    >>> b = tf.sparse.SparseTensor([[1], [2]], [4.0, -2.0], [3])
    >>> tf.sparse.minimum(a, b).values.numpy().tolist()
    [-1.0, 3.0, -2.0]
    """
    return _extremum(_MINIMUM, sp_a, sp_b)


# -- SparseSoftmax ------------------------------------------------------------


def _softmax_kernel(indices, values, shape):
    if indices.shape[1] < 2:
        raise InvalidArgumentError(
            None,
            "SparseSoftmax",
            f"Input should have rank >= 2, but received shape: {list(shape)}",
        )
    rows = row_major_keys(indices[:, :-1], shape[:-1])
    _, group = np.unique(rows, return_inverse=True)
    group = group.reshape(-1)
    n = int(group.max()) + 1 if group.size else 0
    top = np.full(n, -np.inf, dtype=values.dtype)
    np.maximum.at(top, group, values)
    e = np.exp(values - top[group])
    total = np.zeros(n, dtype=values.dtype)
    np.add.at(total, group, e)
    return (e / total[group]).astype(values.dtype)


def _softmax_infer(indices: Spec, values: Spec, shape: Spec) -> Spec:
    return Spec(values.dtype, values.shape)


def _softmax_grad(call, dy):
    """d values = (dy - sum_row(dy * y)) * y, the rows being all dims but the last."""
    indices, _, shape = call.inputs
    y = call.outputs[0]
    row_sums = reduce_sum(SparseTensor._make(indices, y * dy, shape, TensorShape(None)), -1, True)
    row_cells = concat([indices[:, :-1], indices[:, -1:] * 0], 1)
    return None, (dy - gather_nd(row_sums, row_cells)) * y, None


_SOFTMAX = register(
    "SparseSoftmax",
    kernel=_softmax_kernel,
    grad=_softmax_grad,
    infer=_softmax_infer,
)


def softmax(sp_input, name=None) -> SparseTensor:
    """Softmax over the last dimension, of the stored entries of each row only.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [0, 2]], [1.0, 1.0], [1, 3])
    >>> tf.sparse.softmax(st).values.numpy().tolist()
    [0.5, 0.5]
    """
    sp = as_sparse(sp_input, "tf.sparse.softmax")
    check_dtype("SparseSoftmax", sp.dtype, FLOATING)
    return sp.with_values(execute(_SOFTMAX, sp._components()))


# -- SparseDenseCwiseMul, SparseDenseCwiseDiv, SparseDenseCwiseAdd -------------------


def _cwise_kernel(name, combine):
    def kernel(sp_indices, sp_values, sp_shape, dense):
        shape = tuple(int(d) for d in sp_shape)
        if dense.ndim > len(shape) or any(
            d not in (1, s) for d, s in zip(dense.shape[::-1], shape[::-1])
        ):
            raise InvalidArgumentError(
                None,
                name,
                f"Dense tensor of shape {list(dense.shape)} cannot be broadcast to the "
                f"sparse shape {list(shape)}; SparseTensor op {name} broadcasts the dense "
                "side only.",
            )
        full = np.broadcast_to(dense, shape)
        return combine(sp_values, full[tuple(sp_indices.T)]).astype(sp_values.dtype)

    return kernel


def _cwise_infer(sp_indices: Spec, sp_values: Spec, sp_shape: Spec, dense: Spec) -> Spec:
    return Spec(sp_values.dtype, sp_values.shape)


def _gathered(call) -> Tensor:
    """The dense operand at each sparse entry (broadcast to the sparse shape first)."""
    indices, _, shape, dense = call.inputs
    return gather_nd(broadcast_to(dense, shape), indices)


def _dense_side(call, entry_grads) -> Tensor:
    """Per-entry gradients summed into the dense operand's cells (broadcasting undone)."""
    indices, _, shape, dense = call.inputs
    return unbroadcast(scatter_nd(indices, entry_grads, shape), dense.shape)


def _cwise_mul_grad(call, dy):
    """d values = dy * y[indices]; d y = sum over the entries of dy * values."""
    y = _gathered(call)
    return None, dy * y, None, _dense_side(call, dy * call.inputs[1])


def _cwise_div_grad(call, dy):
    """d values = dy / y[indices]; d y = sum over the entries of -dy * values / y^2."""
    y = _gathered(call)
    return None, dy / y, None, _dense_side(call, -dy * call.inputs[1] / (y * y))


_CWISE = {
    "SparseDenseCwiseMul": register(
        "SparseDenseCwiseMul",
        kernel=_cwise_kernel("SparseDenseCwiseMul", np.multiply),
        grad=_cwise_mul_grad,
        infer=_cwise_infer,
    ),
    "SparseDenseCwiseDiv": register(
        "SparseDenseCwiseDiv",
        kernel=_cwise_kernel("SparseDenseCwiseDiv", np.true_divide),
        grad=_cwise_div_grad,
        infer=_cwise_infer,
    ),
}


def sparse_dense_cwise(op_name: str, sp: SparseTensor, other) -> SparseTensor:
    """``sp * other`` or ``sp / other`` with ``other`` dense, broadcast to ``sp``'s shape."""
    dense = convert_to_tensor(other, dtype=sp.dtype)
    return sp.with_values(execute(_CWISE[op_name], (*sp._components(), dense)))
