"""A SparseTensor's rows held as NumPy arrays, for slicing batches out of it on the host
(Keras ``fit`` on a SparseTensor) and carrying it through ``tf.data`` pipelines."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.sparse.sparse_tensor import SparseTensor

__all__ = ["SparseRows"]


class SparseRows:
    """The entries of a SparseTensor grouped by their first index (the batch axis).

    ``rows[index]`` (an int array or a slice of rows) is the SparseTensor's rows in that
    order, renumbered from 0, as another ``SparseRows``; ``rows[i]`` (an int) is row ``i``
    without the first dimension, as NumPy indexes.
    """

    __slots__ = ("indices", "values", "dense_shape", "dtype", "_starts")

    def __init__(self, indices: np.ndarray, values: np.ndarray, dense_shape: np.ndarray, dtype):
        order = np.lexsort(indices.T[::-1]) if len(indices) else np.arange(0)
        self.indices, self.values = indices[order], values[order]
        self.dense_shape = np.asarray(dense_shape, np.int64)
        self.dtype = dtype
        # Row r's entries are [starts[r], starts[r + 1]).
        self._starts = np.searchsorted(self.indices[:, 0], np.arange(self.dense_shape[0] + 1))

    @classmethod
    def from_sparse(cls, sp: SparseTensor) -> SparseRows:
        return cls(sp.indices.numpy(), sp.values.numpy(), sp.dense_shape.numpy(), sp.dtype)

    @property
    def shape(self) -> tuple:
        return tuple(int(d) for d in self.dense_shape)

    @property
    def ndim(self) -> int:
        return len(self.dense_shape)

    def __len__(self) -> int:
        return int(self.dense_shape[0])

    def __getitem__(self, index) -> SparseRows:
        if isinstance(index, (int, np.integer)):
            one = self[[int(index)]]
            return SparseRows(one.indices[:, 1:], one.values, one.dense_shape[1:], self.dtype)
        rows = np.arange(len(self))[index]
        rows = np.atleast_1d(rows)
        counts = self._starts[rows + 1] - self._starts[rows]
        take = np.concatenate(
            [np.arange(self._starts[r], self._starts[r + 1]) for r in rows] or [np.arange(0)]
        ).astype(np.int64)
        indices = self.indices[take].copy()
        indices[:, 0] = np.repeat(np.arange(len(rows)), counts)
        shape = self.dense_shape.copy()
        shape[0] = len(rows)
        return SparseRows(indices, self.values[take], shape, self.dtype)

    @classmethod
    def stack(cls, elements: list) -> SparseRows:
        """Elements (each a SparseRows of one rank) as the rows of one SparseRows, whose
        dense shape is the largest of theirs in each dimension (as ``tf.data`` batches)."""
        shape = np.max([e.dense_shape for e in elements], axis=0)
        indices = [
            np.concatenate([np.full((len(e.indices), 1), i, np.int64), e.indices], axis=1)
            for i, e in enumerate(elements)
        ]
        return cls(
            np.concatenate(indices).astype(np.int64),
            np.concatenate([e.values for e in elements]),
            np.concatenate([[len(elements)], shape]).astype(np.int64),
            elements[0].dtype,
        )

    def to_dense_array(self) -> np.ndarray:
        """The dense NumPy array (zeros where there is no entry)."""
        out = np.zeros(self.shape, dtype=self.values.dtype)
        out[tuple(self.indices.T)] = self.values
        return out

    def to_sparse(self) -> SparseTensor:
        return SparseTensor(
            Tensor(self.indices.astype(np.int64), dtypes.int64),
            Tensor(self.values, self.dtype),
            Tensor(self.dense_shape, dtypes.int64),
        )
