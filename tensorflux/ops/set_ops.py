"""Set operations over the last dimension: ``tf.sets.intersection``, ``difference``,
``union`` and ``size`` (TF's DenseToDenseSetOperation, DenseToSparseSetOperation,
SparseToSparseSetOperation and SetSize).

Each position of the leading dimensions holds one set: the values along the last
dimension of a dense tensor, or the values of a sparse tensor's entries that share
those leading indices. Results are sparse, each set's values in ascending order.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops.sparse.sparse_tensor import SparseTensor

__all__ = ["set_difference", "set_intersection", "set_size", "set_union"]

_SET_DTYPES = (
    dtypes.int8,
    dtypes.int16,
    dtypes.int32,
    dtypes.int64,
    dtypes.uint8,
    dtypes.uint16,
    dtypes.string,
)
_COMBINE = {
    "intersection": lambda a, b: a & b,
    "union": lambda a, b: a | b,
    "a-b": lambda a, b: a - b,
    "b-a": lambda a, b: b - a,
}


def _reorder_message(position: int, index) -> str:
    where = ",".join(str(int(i)) for i in index)
    return (
        f"indices[{position}] = [{where}] is out of order. Many sparse ops require sorted "
        "indices.\n    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n"
    )


def _dense_sets(values: np.ndarray, op_name: str):
    """The group shape and, per group in row-major order, the group's set."""
    if values.ndim < 2:
        raise InvalidArgumentError(
            None, op_name, f"Shape {list(values.shape)} has rank {values.ndim} < 2"
        )
    groups = values.reshape(-1, values.shape[-1]) if values.size else None
    count = int(np.prod(values.shape[:-1]))
    sets = [set(groups[g].tolist()) if groups is not None else set() for g in range(count)]
    return list(values.shape[:-1]), sets


def _sparse_sets(indices, values, dense_shape, validate: bool, op_name: str):
    shape = [int(d) for d in dense_shape]
    if len(shape) < 2:
        raise InvalidArgumentError(None, op_name, f"Shape {shape} has rank {len(shape)} < 2")
    if validate:
        for i in range(1, len(indices)):
            if tuple(indices[i]) <= tuple(indices[i - 1]):
                raise InvalidArgumentError(None, op_name, _reorder_message(i, indices[i]))
    group_shape = shape[:-1]
    count = int(np.prod(group_shape))
    sets = [set() for _ in range(count)]
    if len(indices):
        flat = np.ravel_multi_index(tuple(indices[:, :-1].T), group_shape)
        for g, v in zip(flat.tolist(), values.tolist()):
            sets[g].add(v)
    return group_shape, sets


def _result(first, second, set_operation: str, dtype, op_name: str):
    """The sparse components of the set operation on two ``(group shape, sets)`` pairs."""
    (group_shape, sets_a), (shape_b, sets_b) = first, second
    if list(group_shape) != list(shape_b):
        raise InvalidArgumentError(
            None, op_name, f"Mismatched shapes {list(group_shape)} vs {list(shape_b)}"
        )
    combine = _COMBINE[set_operation]
    rows = [sorted(combine(a, b)) for a, b in zip(sets_a, sets_b)]
    width = max((len(r) for r in rows), default=0)
    positions = [
        (*np.unravel_index(g, group_shape), j)
        for g, row in enumerate(rows)
        for j in range(len(row))
    ]
    indices = np.asarray(positions, np.int64).reshape(-1, len(group_shape) + 1)
    values = np.asarray([v for row in rows for v in row], dtype=dtype)
    return indices, values, np.asarray([*group_shape, width], np.int64)


def _dense_dense_kernel(a, b, set_operation, validate_indices):
    name = "DenseToDenseSetOperation"
    return _result(_dense_sets(a, name), _dense_sets(b, name), set_operation, a.dtype, name)


def _dense_sparse_kernel(a, b_indices, b_values, b_shape, set_operation, validate_indices):
    name = "DenseToSparseSetOperation"
    sets_b = _sparse_sets(b_indices, b_values, b_shape, validate_indices, name)
    return _result(_dense_sets(a, name), sets_b, set_operation, a.dtype, name)


def _sparse_sparse_kernel(
    a_indices, a_values, a_shape, b_indices, b_values, b_shape, set_operation, validate_indices
):
    name = "SparseToSparseSetOperation"
    sets_a = _sparse_sets(a_indices, a_values, a_shape, validate_indices, name)
    sets_b = _sparse_sets(b_indices, b_values, b_shape, validate_indices, name)
    return _result(sets_a, sets_b, set_operation, a_values.dtype, name)


def _set_size_kernel(indices, values, dense_shape, validate_indices):
    group_shape, sets = _sparse_sets(indices, values, dense_shape, validate_indices, "SetSize")
    return np.asarray([len(s) for s in sets], np.int32).reshape(group_shape)


def _set_operation_infer(*specs: Spec, **attrs):
    value_dtype = specs[0].dtype if len(specs) != 6 else specs[1].dtype
    dense_rank = specs[0].shape.rank if len(specs) in (2, 4) else None
    if dense_rank is None and len(specs) == 6:
        dense_rank = specs[2].shape.num_elements()
    return (
        Spec(dtypes.int64, TensorShape([None, dense_rank])),
        Spec(value_dtype, TensorShape([None])),
        Spec(dtypes.int64, TensorShape([dense_rank])),
    )


def _set_size_infer(indices: Spec, values: Spec, dense_shape: Spec, **attrs):
    rank = dense_shape.shape.num_elements()
    return Spec(dtypes.int32, TensorShape(None if rank is None else [None] * (rank - 1)))


_VALUE_FIRST = frozenset(_SET_DTYPES)
_INDICES_FIRST = frozenset({dtypes.int64})
_REGISTERED = {
    name: register(
        name,
        kernel=kernel,
        grad=None,
        infer=_set_operation_infer,
        num_outputs=3,
        allowed=allowed,
        dynamic_shape=True,
    )
    for name, kernel, allowed in (
        ("DenseToDenseSetOperation", _dense_dense_kernel, _VALUE_FIRST),
        ("DenseToSparseSetOperation", _dense_sparse_kernel, _VALUE_FIRST),
        ("SparseToSparseSetOperation", _sparse_sparse_kernel, _INDICES_FIRST),
    )
}
_SET_SIZE = register(
    "SetSize",
    kernel=_set_size_kernel,
    grad=None,
    infer=_set_size_infer,
    allowed=_INDICES_FIRST,
    dynamic_shape=True,
)


def _checked(x, role: str):
    x = x if isinstance(x, SparseTensor) else convert_to_tensor(x)
    if x.dtype not in _SET_DTYPES:
        allowed = ", ".join(f"tf.{d.name}" for d in _SET_DTYPES)
        raise TypeError(
            f"'{role}' has invalid dtype `{x.dtype!r}` not in supported dtypes: `{{{allowed}}}`. "
            "Cast the sets to an integer type or to strings."
        )
    return x


def _set_operation(a, b, set_operation: str, validate_indices: bool) -> SparseTensor:
    a, b = _checked(a, "a"), _checked(b, "b")
    if a.dtype != b.dtype:
        raise TypeError(f"Types don't match, {a.dtype!r} vs {b.dtype!r}.")
    attrs = {"set_operation": set_operation, "validate_indices": bool(validate_indices)}
    if isinstance(a, SparseTensor) and isinstance(b, SparseTensor):
        inputs = (a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape)
        out = execute(_REGISTERED["SparseToSparseSetOperation"], inputs, attrs)
    elif isinstance(b, SparseTensor):
        out = execute(
            _REGISTERED["DenseToSparseSetOperation"], (a, b.indices, b.values, b.dense_shape), attrs
        )
    else:
        out = execute(_REGISTERED["DenseToDenseSetOperation"], (a, b), attrs)
    return SparseTensor(*out)


def _dense_first(a, b, aminusb: bool | None = None):
    """TF's ops take a dense operand only first: a (sparse, dense) pair is swapped, and a
    difference then subtracts the other way."""
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        return b, a, None if aminusb is None else not aminusb
    return a, b, aminusb


def set_intersection(a, b, validate_indices=True) -> SparseTensor:
    """The intersection of the sets in the last dimension of ``a`` and ``b``.

    Args:
        a: a Tensor or SparseTensor of rank >= 2 (integers or strings).
        b: same type as ``a``; its leading dimensions must equal ``a``'s.
        validate_indices: check that sparse indices are in row-major order.

    Returns:
        A SparseTensor of ``a``'s rank: the sorted intersection of each set.

    Raises:
        TypeError: unsupported or mismatched dtypes.
        InvalidArgumentError: rank below 2, mismatched leading dimensions, or unordered
            sparse indices.

    >>> import tensorflux as tf
    >>> tf.sets.intersection([[1, 2, 3]], [[3, 1, 7]]).values.numpy().tolist()
    [1, 3]
    """
    a, b, _ = _dense_first(a, b)
    return _set_operation(a, b, "intersection", validate_indices)


def set_difference(a, b, aminusb=True, validate_indices=True) -> SparseTensor:
    """The difference of the sets in the last dimension of ``a`` and ``b``: ``a - b``
    (or ``b - a`` when ``aminusb`` is False).

    Args:
        a: a Tensor or SparseTensor of rank >= 2 (integers or strings).
        b: same type as ``a``; its leading dimensions must equal ``a``'s.
        aminusb: whether to subtract ``b`` from ``a``.
        validate_indices: check that sparse indices are in row-major order.

    Returns:
        A SparseTensor of ``a``'s rank: each difference, sorted.

    Raises:
        TypeError, InvalidArgumentError: as ``set_intersection``.

    >>> import tensorflux as tf
    >>> tf.sets.difference([[1, 2, 3]], [[3, 7]]).values.numpy().tolist()
    [1, 2]
    """
    a, b, aminusb = _dense_first(a, b, aminusb)
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


def set_union(a, b, validate_indices=True) -> SparseTensor:
    """The union of the sets in the last dimension of ``a`` and ``b``.

    Args:
        a: a Tensor or SparseTensor of rank >= 2 (integers or strings).
        b: same type as ``a``; its leading dimensions must equal ``a``'s.
        validate_indices: check that sparse indices are in row-major order.

    Returns:
        A SparseTensor of ``a``'s rank: each union, sorted.

    Raises:
        TypeError, InvalidArgumentError: as ``set_intersection``.

    >>> import tensorflux as tf
    >>> tf.sets.union([[1, 2]], [[2, 5]]).values.numpy().tolist()
    [1, 2, 5]
    """
    a, b, _ = _dense_first(a, b)
    return _set_operation(a, b, "union", validate_indices)


def set_size(a, validate_indices=True):
    """The number of distinct values in each set of the SparseTensor ``a``.

    Args:
        a: a SparseTensor of rank >= 2 whose last dimension holds the sets.
        validate_indices: check that the indices are in row-major order.

    Returns:
        An int32 Tensor of shape ``a.dense_shape[:-1]``.

    Raises:
        TypeError: ``a`` is not a SparseTensor, or has an unsupported dtype.

    >>> import tensorflux as tf
    >>> sp = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], [4, 4, 2], [2, 3])
    >>> tf.sets.size(sp).numpy().tolist()
    [1, 1]
    """
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a!r}.")
    a = _checked(a, "a")
    attrs = {"validate_indices": bool(validate_indices)}
    return execute(_SET_SIZE, (a.indices, a.values, a.dense_shape), attrs)
