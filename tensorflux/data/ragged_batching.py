"""``Dataset.ragged_batch``: batches whose elements may differ in shape become ragged."""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.data.batching import _batch_size, _batched_cardinality, _tensor_specs
from tensorflux.data.dataset import Dataset
from tensorflux.data.iterator import ElementPull
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ragged.ragged_tensor import RaggedTensor
from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec

__all__ = ["RaggedBatchDataset", "dense_to_ragged_batch"]


def _batched_spec(spec: TensorSpec, size, splits_dtype):
    """A component with a fully known shape batches densely; others become ragged in
    their first dimension (as in TF)."""
    if spec.shape.is_fully_defined() or spec.shape.rank == 0:
        return structure.with_batch_dim(spec, size)
    if spec.shape.rank is None:
        raise ValueError(
            f"Dataset.ragged_batch needs components of known rank, got {spec!r}: set the "
            "shape with tf.ensure_shape in a map first."
        )
    return RaggedTensorSpec([size] + spec.shape.as_list(), spec.dtype, 1, splits_dtype)


class _RaggedBatchPull(ElementPull):
    def __init__(self, src, size, drop_remainder, specs):
        self._src, self._size, self._drop, self._specs = src, size, drop_remainder, specs

    def next(self):
        rows = []
        try:
            while len(rows) < self._size:
                rows.append(self._src.next())
        except StopIteration:
            if not rows or self._drop:
                raise
        return tuple(_batch_component([r[i] for r in rows], s) for i, s in enumerate(self._specs))

    def close(self):
        self._src.close()


def _batch_component(rows: list, spec):
    if not isinstance(spec, RaggedTensorSpec):
        return np.stack([np.asarray(r) for r in rows])
    arrays = [np.asarray(r) for r in rows]
    splits_np = spec.row_splits_dtype.as_numpy_dtype
    lengths = np.array([len(a) for a in arrays], dtype=splits_np)
    inner = tuple(d or 0 for d in spec.shape.as_list()[2:])
    dtype = spec.dtype.as_numpy_dtype if spec.dtype is not dtypes.string else object
    values = np.concatenate(arrays) if arrays else np.zeros((0,) + inner, dtype)
    splits = np.concatenate([np.zeros(1, splits_np), np.cumsum(lengths, dtype=splits_np)])
    return RaggedTensor.from_row_splits(
        Tensor(values.astype(dtype, copy=False), spec.dtype),
        Tensor(splits, spec.row_splits_dtype),
        validate=False,
    )


class RaggedBatchDataset(Dataset):
    """Consecutive elements batched; components of varying shape become RaggedTensors."""

    _tf_name = "_DenseToRaggedDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder=False, row_splits_dtype=None):
        self._size = _batch_size(batch_size)
        self._drop = bool(drop_remainder)
        _tensor_specs(input_dataset, "ragged_batch")
        splits_dtype = dtypes.as_dtype(row_splits_dtype or dtypes.int64)
        dim = self._size if self._drop else None
        spec = structure.map_specs(
            lambda s: _batched_spec(s, dim, splits_dtype), input_dataset.element_spec
        )
        super().__init__(spec, (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        return _RaggedBatchPull(self._input._pull(), self._size, self._drop, self._leaf_specs)

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)


def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64):
    """``tf.data.experimental.dense_to_ragged_batch``: a function for ``Dataset.apply``
    that does ``ragged_batch``.

    >>> import tensorflux as tf
    >>> ds = tf.data.Dataset.range(3).map(lambda n: tf.range(n))
    >>> next(iter(ds.apply(tf.data.experimental.dense_to_ragged_batch(3))))
    <tf.RaggedTensor [[], [0], [0, 1]]>
    """

    def apply(dataset):
        return RaggedBatchDataset(dataset, batch_size, drop_remainder, row_splits_dtype)

    return apply
