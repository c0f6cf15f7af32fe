"""Between dense and sparse, and reordering: ``tf.sparse.to_dense`` (SparseToDense),
``from_dense``, ``reorder`` (SparseReorder), ``to_indicator``, ``eye``, ``reset_shape``,
``retain`` and ``map_values``."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes, nest
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import value_dims
from tensorflux.ops.creation_ops import int_scalar_arg, ones_like
from tensorflux.ops.creation_ops import range as tf_range
from tensorflux.ops.gather_ops import gather, where
from tensorflux.ops.joining_ops import concat
from tensorflux.ops.logic_ops import not_equal
from tensorflux.ops.math_ops import cast
from tensorflux.ops.reduction_ops import reduce_max, reduce_sum
from tensorflux.ops.scatter_ops import gather_nd
from tensorflux.ops.shape_ops import expand_dims, reshape
from tensorflux.ops.shape_ops import shape as tf_shape
from tensorflux.ops.sort_ops import argsort
from tensorflux.ops.sparse.sparse_common import check_indices, row_major_keys
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, as_sparse

__all__ = [
    "to_dense",
    "from_dense",
    "reorder",
    "to_indicator",
    "eye",
    "reset_shape",
    "retain",
    "map_values",
]


# -- SparseToDense ------------------------------------------------------------


def _sparse_to_dense_kernel(indices, output_shape, values, default_value, validate_indices=True):
    output_shape = np.asarray(output_shape, dtype=np.int64).reshape(-1)
    indices = np.asarray(indices, dtype=np.int64)
    if indices.ndim < 2:
        indices = indices.reshape(-1, 1) if output_shape.size == 1 else indices.reshape(1, -1)
    n = len(indices)
    if values.ndim == 1 and len(values) != n:
        raise InvalidArgumentError(
            None,
            "SparseToDense",
            f"sparse_values has incorrect shape [{len(values)}], should be [] or [{n}]",
        )
    if default_value.ndim != 0:
        raise InvalidArgumentError(
            None,
            "SparseToDense",
            f"default_value should be a scalar, got shape {list(default_value.shape)}",
        )
    check_indices("SparseToDense", indices, output_shape, order=validate_indices)
    out = np.full(tuple(int(d) for d in output_shape), default_value, dtype=values.dtype)
    out[tuple(indices.T)] = values
    return out


def _sparse_to_dense_infer(indices: Spec, output_shape: Spec, values: Spec, default, **_) -> Spec:
    rank = output_shape.shape.as_list()[0] if output_shape.shape.rank == 1 else None
    if rank is None:
        return Spec(values.dtype, TensorShape(None))
    return Spec(values.dtype, TensorShape(value_dims(output_shape, rank)))


def _sparse_to_dense_grad(call, dy):
    """d values = gather_nd(dy, indices); d default = sum(dy) - sum(d values)."""

    indices, _, values, _ = call.inputs
    values_grad = gather_nd(dy, indices)
    if values.shape.rank == 0:
        values_grad = reduce_sum(values_grad)
    return None, None, values_grad, reduce_sum(dy) - reduce_sum(values_grad)


_SPARSE_TO_DENSE = register(
    "SparseToDense",
    kernel=_sparse_to_dense_kernel,
    grad=_sparse_to_dense_grad,
    infer=_sparse_to_dense_infer,
    shape_inputs=(1,),
)


def to_dense(sp_input, default_value=None, validate_indices=True, name=None) -> Tensor:
    """The dense tensor a SparseTensor represents, ``default_value`` where it has no entry.

    Args:
        sp_input: a SparseTensor.
        default_value: scalar for the missing entries (0, or "" for strings).
        validate_indices: check that the indices are sorted and not repeated.
        name: unused; kept for TF's signature.

    Returns:
        A Tensor of shape ``sp_input.dense_shape`` and dtype ``sp_input.dtype``.

    Raises:
        InvalidArgumentError: indices out of bounds, or (validating) out of order or
            repeated.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [1, 2]], [1, 2], [2, 3])
    >>> tf.sparse.to_dense(st, default_value=-1).numpy().tolist()
    [[1, -1, -1], [-1, -1, 2]]
    """
    sp = as_sparse(sp_input, "tf.sparse.to_dense")
    if default_value is None:
        default_value = b"" if sp.dtype is dtypes.string else 0
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    out = execute(
        _SPARSE_TO_DENSE,
        (sp.indices, sp.dense_shape, sp.values, default),
        {"validate_indices": bool(validate_indices)},
    )
    if sp.shape.rank is not None and out.shape.rank is None:
        out._shape = sp.shape
    return out


# -- SparseReorder ------------------------------------------------------------


def _sparse_reorder_kernel(indices, values, shape):
    order = np.argsort(row_major_keys(indices, shape), kind="stable")
    return indices[order], values[order]


def _sparse_reorder_infer(indices: Spec, values: Spec, shape: Spec):
    return Spec(indices.dtype, indices.shape), Spec(values.dtype, values.shape)


def _sparse_reorder_grad(call, d_indices, d_values):
    """d values = gather(d output values, inverse of the sorting permutation)."""

    indices, _, shape = call.inputs
    positions = tf_range(tf_shape(indices, out_type=dtypes.int64)[0])
    _, permutation = execute(_SPARSE_REORDER, (indices, positions, shape))
    return None, gather(d_values, argsort(permutation)), None


_SPARSE_REORDER = register(
    "SparseReorder",
    kernel=_sparse_reorder_kernel,
    grad=_sparse_reorder_grad,
    infer=_sparse_reorder_infer,
    num_outputs=2,
)


def reorder(sp_input, name=None) -> SparseTensor:
    """The same SparseTensor with its entries in row-major (canonical) order.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [2, 2])
    >>> tf.sparse.reorder(st).indices.numpy().tolist()
    [[0, 1], [1, 0]]
    """
    sp = as_sparse(sp_input, "tf.sparse.reorder")
    indices, values = execute(_SPARSE_REORDER, sp._components())
    return SparseTensor._make(indices, values, sp.dense_shape, sp.shape)


# -- compositions -------------------------------------------------------------


def from_dense(tensor, name=None) -> SparseTensor:
    """The SparseTensor holding the entries of ``tensor`` that are not 0 ("" for strings).

    >>> import tensorflux as tf
    >>> st = tf.sparse.from_dense([[0, 3], [4, 0]])
    >>> st.indices.numpy().tolist(), st.values.numpy().tolist()
    ([[0, 1], [1, 0]], [3, 4])
    """

    tensor = convert_to_tensor(tensor)
    zero = b"" if tensor.dtype is dtypes.string else 0
    indices = where(not_equal(tensor, convert_to_tensor(zero, dtype=tensor.dtype)))
    values = gather_nd(tensor, indices)
    return SparseTensor._make(
        indices, values, tf_shape(tensor, out_type=dtypes.int64), tensor.shape
    )


def to_indicator(sp_input, vocab_size, name=None) -> Tensor:
    """A bool tensor ``[..., vocab_size]``: True at ``[i..., id]`` for each id held in row
    ``i...`` of the int SparseTensor ``sp_input`` (its last dimension is ignored).

    Raises:
        TypeError: values that are not int32 or int64.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], [2, 0, 1], [2, 2])
    >>> tf.sparse.to_indicator(st, 3).numpy().tolist()
    [[True, False, True], [False, True, False]]
    """

    sp = as_sparse(sp_input, "tf.sparse.to_indicator")
    if sp.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"sp_input.values must be int32 or int64, got {sp.dtype!r}.")
    ids = expand_dims(cast(sp.values, dtypes.int64), -1)
    indices = concat([sp.indices[:, :-1], ids], 1)
    shape = concat([sp.dense_shape[:-1], convert_to_tensor([vocab_size], dtype=dtypes.int64)], 0)
    ordered = reorder(SparseTensor(indices, ones_like(sp.values, dtype=dtypes.bool), shape))
    return to_dense(ordered, default_value=False, validate_indices=False)


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None) -> SparseTensor:
    """The ``[num_rows, num_columns]`` identity matrix as a SparseTensor.

    >>> import tensorflux as tf
    >>> tf.sparse.eye(2).values.numpy().tolist()
    [1.0, 1.0]
    """

    rows = int_scalar_arg(num_rows, "tf.sparse.eye", "num_rows")
    cols = (
        rows if num_columns is None else int_scalar_arg(num_columns, "tf.sparse.eye", "num_columns")
    )
    diag = np.arange(min(rows, cols), dtype=np.int64)
    dtype = dtypes.as_dtype(dtype)
    return SparseTensor(
        np.stack([diag, diag], axis=1),
        convert_to_tensor(np.ones(len(diag), dtype.as_numpy_dtype), dtype=dtype),
        np.array([rows, cols], np.int64),
    )


def reset_shape(sp_input, new_shape=None) -> SparseTensor:
    """``sp_input`` with dense shape ``new_shape``, or the tightest shape holding its
    indices when None.

    Raises:
        ValueError: a ``new_shape`` of another rank, or smaller than the current shape.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 1]], [1.0], [4, 4])
    >>> tf.sparse.reset_shape(st).dense_shape.numpy().tolist()
    [1, 2]
    """

    sp = as_sparse(sp_input, "tf.sparse.reset_shape")
    if new_shape is None:
        tight = reduce_max(sp.indices, axis=0) + 1
        return SparseTensor(sp.indices, sp.values, tight)
    new_shape = convert_to_tensor(new_shape, dtype=dtypes.int64)
    new_shape.shape.with_rank(1)
    if sp.shape.rank is not None and new_shape.shape[0] not in (None, sp.shape.rank):
        raise ValueError(
            f"Shapes ({sp.shape.rank},) and ({new_shape.shape[0]},) are not compatible: "
            f"new_shape must have the rank of sp_input."
        )
    if type(new_shape) is Tensor and type(sp.dense_shape) is Tensor:
        if np.any(new_shape._value < sp.dense_shape._value):
            # TF's message names the two shapes the other way round; kept for searches.
            raise ValueError(
                "Requested new_shape should have dimension sizes >= sp_input.shape.  "
                f"Found new_shape ({sp.dense_shape._value}), sp_input.shape "
                f"({new_shape._value})."
            )
    return SparseTensor(sp.indices, sp.values, new_shape)


def retain(sp_input, to_retain) -> SparseTensor:
    """The entries of ``sp_input`` where the bool vector ``to_retain`` is True.

    Raises:
        ValueError: ``to_retain`` not a vector of length ``N`` (the number of entries).

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 0], [1, 1]], [1, 2], [2, 2])
    >>> tf.sparse.retain(st, [False, True]).values.numpy().tolist()
    [2]
    """

    sp = as_sparse(sp_input, "tf.sparse.retain")
    to_retain = convert_to_tensor(to_retain)
    to_retain.shape.with_rank(1)
    n, m = sp.values.shape[0], to_retain.shape[0]
    if n is not None and m is not None and n != m:
        raise ValueError(f"Dimensions {n} and {m} are not compatible")
    kept = reshape(where(to_retain), [-1])
    return SparseTensor._make(
        gather(sp.indices, kept), gather(sp.values, kept), sp.dense_shape, sp.shape
    )


def map_values(op, *args, **kwargs) -> SparseTensor:
    """``op`` applied to the values of the SparseTensors among its arguments (which must
    share their indices); the result has their indices and dense shape.

    Raises:
        ValueError: no SparseTensor among the arguments.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor([[0, 1]], [3.0], [2, 2])
    >>> tf.sparse.map_values(tf.math.square, st).values.numpy().tolist()
    [9.0]
    """

    found = []

    def replace(x):
        if isinstance(x, SparseTensor):
            found.append(x)
            return x.values
        return x

    inner_args = nest.map_structure(replace, list(args))
    inner_kwargs = nest.map_structure(replace, dict(kwargs))
    if not found:
        raise ValueError("No SparseTensor in argument list of map_values")
    first = found[0]
    for other in found[1:]:
        _check_same_indices(first, other)
    return SparseTensor._make(
        first.indices,
        convert_to_tensor(op(*inner_args, **inner_kwargs)),
        first.dense_shape,
        first.shape,
    )


def _check_same_indices(a: SparseTensor, b: SparseTensor) -> None:
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(
            f"Sparse tensors passed to map_values must have the same dense shape: "
            f"{a.shape} and {b.shape}."
        )
    if type(a.indices) is Tensor and type(b.indices) is Tensor:
        if a.indices._value.shape != b.indices._value.shape or not np.array_equal(
            a.indices._value, b.indices._value
        ):
            raise InvalidArgumentError(
                None,
                "map_values",
                "Inputs must have identical indices: SparseTensors passed to "
                "tf.sparse.map_values must share their indices.",
            )
