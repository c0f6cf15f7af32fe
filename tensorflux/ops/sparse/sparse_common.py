"""Pieces the sparse op kernels share: TF's index checks and row-major keys."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape

__all__ = [
    "ORDER_HINT",
    "index_text",
    "check_indices",
    "row_major_keys",
    "sparse_specs",
    "vector_spec",
    "check_dtype",
]

ORDER_HINT = (
    "Many sparse ops require sorted indices.\n"
    "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n"
)


def index_text(row) -> str:
    """One index as TF prints it: ``[0,3]``."""
    return "[" + ",".join(str(int(v)) for v in row) + "]"


def check_indices(op_name: str, indices: np.ndarray, shape, order: bool = True) -> None:
    """TF's validation of sparse indices: each within ``shape`` and, when ``order``, in
    strictly increasing row-major order (no repeats).

    Raises:
        InvalidArgumentError: the first index out of bounds, out of order or repeated.
    """
    shape = np.asarray(shape, dtype=np.int64)
    if indices.size == 0:
        return
    bad_bounds = np.any((indices < 0) | (indices >= shape), axis=1)
    first_bad = int(np.argmax(bad_bounds)) if bad_bounds.any() else len(indices)
    first_order = len(indices)
    if order and len(indices) > 1:
        diff = indices[1:] - indices[:-1]
        nonzero = diff != 0
        # The sign of the first differing coordinate orders two indices (0: equal).
        first = np.argmax(nonzero, axis=1)
        sign = np.where(nonzero.any(axis=1), np.sign(diff[np.arange(len(diff)), first]), 0)
        wrong = np.flatnonzero(sign <= 0)
        if wrong.size:
            first_order = int(wrong[0]) + 1
    if first_bad <= first_order and first_bad < len(indices):
        dims = index_text(shape)
        raise InvalidArgumentError(
            None,
            op_name,
            f"indices[{first_bad}] = {index_text(indices[first_bad])} is out of bounds: "
            f"need 0 <= index < {dims}",
        )
    if first_order < len(indices):
        i = first_order
        if np.array_equal(indices[i], indices[i - 1]):
            raise InvalidArgumentError(
                None, op_name, f"indices[{i}] = {index_text(indices[i])} is repeated"
            )
        raise InvalidArgumentError(
            None,
            op_name,
            f"indices[{i}] = {index_text(indices[i])} is out of order. {ORDER_HINT}",
        )


def row_major_keys(indices: np.ndarray, shape) -> np.ndarray:
    """One integer per index that sorts as the indices sort in row-major order."""
    shape = np.asarray(shape, dtype=np.int64)
    if indices.shape[1] == 0:
        return np.zeros(len(indices), np.int64)
    strides = np.ones(len(shape), dtype=np.int64)
    for d in range(len(shape) - 2, -1, -1):
        strides[d] = strides[d + 1] * max(int(shape[d + 1]), 1)
    return indices.astype(np.int64) @ strides


def vector_spec(dtype, size=None) -> Spec:
    return Spec(dtype, TensorShape([size]))


def sparse_specs(values_dtype, rank=None, nnz=None) -> tuple:
    """The (indices, values, dense_shape) specs of a SparseTensor's components."""
    return (
        Spec(dtypes.int64, TensorShape([nnz, rank])),
        vector_spec(values_dtype, nnz),
        vector_spec(dtypes.int64, rank),
    )


def check_dtype(op_name: str, dtype: dtypes.DType, allowed) -> None:
    """TF's refusal of a values dtype the op has no kernel for.

    Raises:
        InvalidArgumentError: ``dtype`` not in ``allowed``.
    """
    if dtype not in allowed:
        names = ", ".join(sorted(d.name for d in allowed))
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'T' of {dtype.name} is not in the list of allowed values: "
            f"{names}. Cast the SparseTensor's values first, e.g. "
            f"sp.with_values(tf.cast(sp.values, tf.float32)).",
        )
