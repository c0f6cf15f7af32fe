"""batch, padded_batch, unbatch and rebatch.

A batch is gathered from the input's blocks when it has them (usually one slice or
one gather per batch), and stacked from single elements otherwise.
"""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset import UNKNOWN, Dataset, as_int
from tensorflux.data.iterator import BlockPull, ElementPull, stack_rows
from tensorflux.framework import dtypes
from tensorflux.framework.errors import DataLossError, InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ops.sparse.sparse_tensor import SparseTensorSpec

__all__: list = []


def _batch_size(value, op: str = "BatchDatasetV2") -> int:
    size = as_int(value, "batch_size")
    if size <= 0:
        raise InvalidArgumentError(None, op, "Batch size must be greater than zero.")
    return size


def _batched_cardinality(n: int, size: int, drop_remainder: bool) -> int:
    if n < 0:
        return n
    return n // size if drop_remainder else -(-n // size)


def _tensor_specs(dataset, what: str, sparse_ok: bool = False):
    for spec in dataset._leaf_specs:
        if not isinstance(spec, TensorSpec) and not (
            sparse_ok and isinstance(spec, SparseTensorSpec)
        ):
            if what == "padded_batch":
                raise TypeError(
                    "`padded_batch` is only supported for datasets that produce tensor "
                    "elements but type spec of elements in the input dataset is not a "
                    f"subclass of TensorSpec: `{spec!r}`."
                )
            raise TypeError(f"Dataset.{what} does not support elements of type {spec!r}.")
    return dataset._leaf_specs


class _BlockBatchPull(ElementPull):
    """Batches of ``size`` rows, cut from the input's blocks; ``size`` may be a list of
    sizes taken in turn (``rebatch``)."""

    def __init__(self, src, size, drop_remainder):
        self._src, self._drop = src, drop_remainder
        self._sizes = size if isinstance(size, list) else [size]
        self._turn = 0

    def next(self):
        size = self._sizes[self._turn % len(self._sizes)]
        self._turn += 1
        parts = []
        got = 0
        try:
            while got < size:
                block = self._src.next_block(size - got)
                parts.append(block)
                got += len(block[0])
        except StopIteration:
            if got == 0 or self._drop:
                raise
        if len(parts) == 1:
            return parts[0]
        return tuple(np.concatenate(cs) for cs in zip(*parts))

    def close(self):
        self._src.close()


class _ElementBatchPull(ElementPull):
    """Batches stacked from single elements (shapes must agree within a batch)."""

    def __init__(self, src, size, drop_remainder, finish=stack_rows):
        self._src, self._size, self._drop, self._finish = src, size, drop_remainder, finish

    def next(self):
        rows = []
        try:
            while len(rows) < self._size:
                rows.append(self._src.next())
        except StopIteration:
            if not rows or self._drop:
                raise
        return self._finish(rows)

    def close(self):
        self._src.close()


class BatchDataset(Dataset):
    """``Dataset.batch``: consecutive elements stacked along a new first dimension."""

    _tf_name = "_BatchDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder=False, num_parallel_calls=None):
        self._size = _batch_size(batch_size)
        self._drop = bool(drop_remainder)
        _tensor_specs(input_dataset, "batch", sparse_ok=True)
        dim = self._size if self._drop else None
        spec = structure.map_specs(
            lambda s: structure.with_batch_dim(s, dim), input_dataset.element_spec
        )
        super().__init__(spec, (input_dataset,))
        self._input = input_dataset
        if num_parallel_calls is not None:
            self._tf_name = "_ParallelBatchDataset"

    def _pull(self):
        src = self._input._pull()
        if self._input._block_ok:
            return _BlockBatchPull(src, self._size, self._drop)
        return _ElementBatchPull(src, self._size, self._drop)

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)


# -- padded_batch -------------------------------------------------------------------


def _flat_up_to(template, value) -> list:
    """``value`` 's parts at ``template`` 's leaves, in nest order (its leaves may be lists)."""
    if isinstance(template, dict):
        return [x for k in sorted(template) for x in _flat_up_to(template[k], value[k])]
    if isinstance(template, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(template):
            raise ValueError(
                f"The structure {value!r} does not match the element structure {template!r}."
            )
        return [x for t, v in zip(template, value) for x in _flat_up_to(t, v)]
    return [value]


def _padded_shape(spec, shape, index: int) -> TensorShape:
    if shape is None:
        if spec.shape.rank is None:
            raise ValueError(
                f"You must provide `padded_shapes` argument because component {index} has "
                f"unknown rank."
            )
        return spec.shape
    shape = TensorShape(
        [
            None if d == -1 else d
            for d in (
                shape.as_list()
                if isinstance(shape, TensorShape)
                else list(np.asarray(shape).reshape(-1))
            )
        ]
    )
    if spec.shape.rank is None:
        return shape
    # Known dims may grow by padding, never shrink.
    if spec.shape.rank != shape.rank or any(
        a is not None and b is not None and a > b
        for a, b in zip(spec.shape.as_list(), shape.as_list())
    ):
        raise ValueError(
            f"The padded shape {tuple(shape.as_list())} is not compatible with "
            f"the shape {tuple(spec.shape.as_list())} of the corresponding input "
            f"component."
        )
    return shape


def _padding_value(spec, value):
    if value is None:
        return b"" if spec.dtype is dtypes.string else np.zeros((), spec.dtype.as_numpy_dtype)
    t = structure.to_tensor(value)
    if t.dtype != spec.dtype:
        raise TypeError(
            f"Invalid `padding_values`. `padding_values` values type {t.dtype} "
            f"does not match type {spec.dtype} of the corresponding input "
            f"component."
        )
    if t.shape.rank != 0:
        raise ValueError(
            f"Invalid `padding_values`. `padding_values` must be scalars, got shape {t.shape}."
        )
    return t._value


class PaddedBatchDataset(Dataset):
    """``Dataset.padded_batch``: batches of elements padded to a common shape."""

    _tf_name = "_PaddedBatchDataset"

    def __init__(
        self,
        input_dataset,
        batch_size,
        padded_shapes=None,
        padding_values=None,
        drop_remainder=False,
    ):
        self._size = _batch_size(batch_size, "PaddedBatchDatasetV2")
        self._drop = bool(drop_remainder)
        template = input_dataset.element_spec
        specs = _tensor_specs(input_dataset, "padded_batch")
        shapes = (
            _flat_up_to(template, padded_shapes)
            if padded_shapes is not None
            else [None] * len(specs)
        )
        if padding_values is None or not structure.is_structure(padding_values):
            values = [padding_values] * len(specs)
        else:
            values = _flat_up_to(template, padding_values)
        self._shapes = [_padded_shape(s, p, i) for i, (s, p) in enumerate(zip(specs, shapes))]
        self._values = [_padding_value(s, v) for s, v in zip(specs, values)]
        dim = self._size if self._drop else None
        out = [
            TensorSpec([dim] + shape.as_list(), s.dtype) for s, shape in zip(specs, self._shapes)
        ]
        super().__init__(structure.pack(template, out), (input_dataset,))
        self._input = input_dataset

    def _pad(self, rows):
        out = []
        for c, (shape, value) in enumerate(zip(self._shapes, self._values)):
            items = [np.asarray(row[c]) for row in rows]
            dims = [
                max(it.shape[d] for it in items) if known is None else known
                for d, known in enumerate(shape.as_list())
            ]
            batch = np.empty([len(items)] + dims, dtype=items[0].dtype)
            batch[...] = value
            for i, it in enumerate(items):
                if any(a > b for a, b in zip(it.shape, dims)):
                    raise DataLossError(
                        None,
                        "PaddedBatchDatasetV2",
                        f"Attempted to pad to a smaller size than the input "
                        f"element: shape {list(it.shape)} into {dims}.",
                    )
                # A 0-d object array (a string scalar) would be stored as one object
                # itself: store its element.
                batch[(i,) + tuple(slice(0, d) for d in it.shape)] = it if it.ndim else it[()]
            out.append(batch)
        return tuple(out)

    def _pull(self):
        return _ElementBatchPull(self._input._pull(), self._size, self._drop, self._pad)

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)


# -- unbatch / rebatch ---------------------------------------------------------------


class _UnbatchPull(BlockPull):
    """Rows of the input's elements; blocks are slices of one input element."""

    def __init__(self, src):
        self._src = src
        self._current = None
        self._at = 0
        self._rows = 0

    def _produce(self, k):
        while self._current is None or self._at >= self._rows:
            flat = self._src.next()
            rows = {np.shape(v)[0] for v in flat}
            if len(rows) != 1:
                raise InvalidArgumentError(
                    None,
                    "UnbatchDataset",
                    f"Input element must have the same batch size in "
                    f"each component. Component 0 had size {np.shape(flat[0])[0]} but another "
                    f"component had a different size: {[np.shape(v)[0] for v in flat]}.",
                )
            self._current = tuple(np.asarray(v) for v in flat)
            self._rows, self._at = rows.pop(), 0
        start = self._at
        self._at = min(start + k, self._rows)
        return tuple(a[start : self._at] for a in self._current)

    def close(self):
        self._src.close()


class UnbatchDataset(Dataset):
    """``Dataset.unbatch``: every element split into its rows."""

    _tf_name = "_UnbatchDataset"

    def __init__(self, input_dataset):
        specs = _tensor_specs(input_dataset, "unbatch")
        for s in specs:
            if s.shape.rank == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
        known = sorted({s.shape[0] for s in specs if s.shape.rank and s.shape[0] is not None})
        if len(known) > 1:
            raise ValueError(
                f"`unbatch()` is only supported for datasets of elements whose components "
                f"have a matching leading dimension. Encountered both {known[0]} and "
                f"{known[1]}."
            )
        # Every element has this many rows when a component's leading dim is static.
        self._rows = known[0] if known else None
        spec = structure.map_specs(
            lambda s: TensorSpec(None if s.shape.rank is None else s.shape[1:], s.dtype),
            input_dataset.element_spec,
        )
        super().__init__(spec, (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        return _UnbatchPull(self._input._pull())

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n * self._rows if self._rows else UNKNOWN


def _rebatch_sizes(batch_size):
    """``rebatch``'s batch sizes: an int, or a vector of sizes used in turn."""
    if isinstance(batch_size, (list, tuple)) or np.ndim(batch_size) > 0:
        sizes = np.asarray(batch_size)
        if sizes.ndim > 1:
            raise ValueError(
                f"Invalid `batch_sizes`. Expected `batch_sizes` to be a scalar or a vector. "
                f"Received `batch_sizes` of rank {sizes.ndim}."
            )
        return [_batch_size(v, "RebatchDatasetV2") for v in sizes.tolist()]
    return _batch_size(batch_size, "RebatchDatasetV2")


class RebatchDataset(BatchDataset):
    """``Dataset.rebatch``: already batched elements regrouped into ``batch_size`` rows
    (or into the sizes of a ``batch_size`` vector, in turn)."""

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        if any(s.shape.rank == 0 for s in input_dataset._leaf_specs):
            raise ValueError(
                "Invalid `batch_sizes`. Expected dataset with rank of >= 1 but found a "
                "dataset with scalar elements. Fix the issue by adding the `batch` "
                "transformation to the dataset."
            )
        sizes = _rebatch_sizes(batch_size)
        self._sizes = sizes if isinstance(sizes, list) else None
        if self._sizes is None:
            super().__init__(UnbatchDataset(input_dataset), sizes, drop_remainder)
            self._tf_name = "_RebatchDataset"
            return
        # A size vector: batches of the vector's sizes in turn; the batch dim is static
        # only when every batch has the same size.
        super().__init__(UnbatchDataset(input_dataset), sizes[0], drop_remainder)
        self._tf_name = "_RebatchDataset"
        if len(set(sizes)) > 1:
            self._element_spec = structure.map_specs(
                lambda s: TensorSpec([None] + s.shape.as_list()[1:], s.dtype), self._element_spec
            )
            self._leaf_specs = structure.flatten(self._element_spec)

    def _pull(self):
        if self._sizes is None:
            return super()._pull()
        return _BlockBatchPull(self._input._pull(), self._sizes, self._drop)

    def _cardinality(self):
        # TF does not count rebatched elements, even of an endless input.
        return UNKNOWN
