"""Batching with ragged tensors: ``Dataset.ragged_batch`` (components that differ in
shape become ragged), and ``batch``/``unbatch`` of elements that hold ragged tensors."""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.data.batching import (
    _batch_size,
    _batched_cardinality,
    _ElementBatchPull,
    _tensor_specs,
)
from tensorflux.data.dataset import INFINITE, UNKNOWN, Dataset
from tensorflux.data.iterator import ElementPull
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ragged.ragged_math_ops import stack as ragged_stack
from tensorflux.ragged.ragged_tensor import RaggedTensor
from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec

__all__ = [
    "RaggedBatchDataset",
    "RaggedElementBatchDataset",
    "RaggedUnbatchDataset",
    "dense_to_ragged_batch",
    "holds_ragged",
]


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
        specs = self._leaf_specs
        return _ElementBatchPull(
            self._input._pull(),
            self._size,
            self._drop,
            lambda rows: tuple(
                _batch_component([r[i] for r in rows], s) for i, s in enumerate(specs)
            ),
        )

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)


def holds_ragged(dataset) -> bool:
    """Whether the elements of ``dataset`` hold ragged tensors."""
    return any(isinstance(s, RaggedTensorSpec) for s in dataset._leaf_specs)


def _check_ragged_or_dense(dataset, what: str) -> None:
    for spec in dataset._leaf_specs:
        if not isinstance(spec, (TensorSpec, RaggedTensorSpec)):
            raise TypeError(f"Dataset.{what} does not support elements of type {spec!r}.")


def _stack_components(rows: list, specs) -> tuple:
    """One batch of elements: ragged components stacked into one more (ragged)
    dimension, dense ones stacked."""
    out = []
    for i, spec in enumerate(specs):
        parts = [r[i] for r in rows]
        if isinstance(spec, RaggedTensorSpec) and spec.ragged_rank == 0:
            # Dense rows of varying length: their batch is ragged in its rows.
            out.append(_batch_component(parts, _stacked_spec(spec, len(parts))))
        elif isinstance(spec, RaggedTensorSpec):
            out.append(ragged_stack(parts, axis=0))
        else:
            out.append(np.stack([np.asarray(p) for p in parts]))
    return tuple(out)


def _stacked_spec(spec, size):
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(
            [size] + spec.shape.as_list(), spec.dtype, spec.ragged_rank + 1, spec.row_splits_dtype
        )
    return structure.with_batch_dim(spec, size)


class RaggedElementBatchDataset(Dataset):
    """``Dataset.batch`` of elements holding ragged tensors: each ragged component gains
    a ragged dimension (its batch), the dense ones a batch dimension."""

    _tf_name = "_BatchDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        self._size = _batch_size(batch_size)
        self._drop = bool(drop_remainder)
        _check_ragged_or_dense(input_dataset, "batch")
        dim = self._size if self._drop else None
        spec = structure.map_specs(lambda s: _stacked_spec(s, dim), input_dataset.element_spec)
        super().__init__(spec, (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        specs = self._input._leaf_specs
        return _ElementBatchPull(
            self._input._pull(),
            self._size,
            self._drop,
            lambda rows: _stack_components(rows, specs),
        )

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)


class _RowsPull(ElementPull):
    """The rows of every element, one at a time (ragged rows as tensors or ragged)."""

    def __init__(self, src):
        self._src = src
        self._rows: list = []

    def next(self):
        while not self._rows:
            element = self._src.next()
            counts = {len(c) if isinstance(c, RaggedTensor) else np.shape(c)[0] for c in element}
            if len(counts) > 1:
                from tensorflux.framework.errors import InvalidArgumentError

                raise InvalidArgumentError(
                    None,
                    "UnbatchDataset",
                    f"Input element must have the same batch size in each component: got "
                    f"{sorted(counts)}.",
                )
            n = counts.pop() if counts else 0
            self._rows = [tuple(_row(c, i) for c in element) for i in range(n)][::-1]
        return self._rows.pop()

    def close(self):
        self._src.close()


def _row(component, i: int):
    if isinstance(component, RaggedTensor):
        row = component[i]
        return row._value if isinstance(row, Tensor) else row
    return structure.string_row(component, i) if component.dtype == object else component[i]


def _row_spec(spec):
    if isinstance(spec, RaggedTensorSpec):
        dims = spec.shape.as_list()[1:]
        return RaggedTensorSpec(dims, spec.dtype, spec.ragged_rank - 1, spec.row_splits_dtype)
    return TensorSpec(None if spec.shape.rank is None else spec.shape[1:], spec.dtype)


class RaggedUnbatchDataset(Dataset):
    """``Dataset.unbatch`` of elements holding ragged tensors: one element per row."""

    _tf_name = "_UnbatchDataset"

    def __init__(self, input_dataset):
        _check_ragged_or_dense(input_dataset, "unbatch")
        for s in input_dataset._leaf_specs:
            if s.shape.rank == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
        super().__init__(
            structure.map_specs(_row_spec, input_dataset.element_spec), (input_dataset,)
        )
        self._input = input_dataset

    def _pull(self):
        return _RowsPull(self._input._pull())

    def _cardinality(self):
        n = self._input._cardinality()
        return n if n in (INFINITE, 0) else UNKNOWN


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
