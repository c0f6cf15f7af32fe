"""``Dataset.group_by_window``, ``Dataset.bucket_by_sequence_length`` and
``Dataset.sparse_batch``: elements gathered into groups by a key or into sparse rows."""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset import INFINITE, UNKNOWN, Dataset, as_int, check_callable
from tensorflux.data.functions import TracedFunction
from tensorflux.data.interleave import VariantDataset
from tensorflux.data.iterator import ElementPull
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ops.sparse.sparse_rows import SparseRows

__all__: list = []


def _int64_scalar_function(fn, spec, what: str, argument: str) -> TracedFunction:
    check_callable(fn, argument)
    traced = TracedFunction(fn, spec, what)
    out = traced.output_spec
    if not (isinstance(out, TensorSpec) and out.dtype == dtypes.int64 and out.shape.rank == 0):
        raise ValueError(
            f"Invalid `{argument}`. `{argument}` must return a single tf.int64 scalar "
            f"tensor but its return type is {out!r}."
        )
    return traced


class _GroupPull(ElementPull):
    def __init__(self, dataset, src):
        self._ds, self._src = dataset, src
        self._groups: dict = {}
        self._output = None
        self._exhausted = False

    def _window_size(self, key: int) -> int:
        size = self._ds._window_size
        if size is None:
            size = int(self._ds._size_fn.element((np.int64(key),))[0])
            if size <= 0:
                raise InvalidArgumentError(
                    None,
                    "GroupByWindowDataset",
                    f"Window size must be greater than zero, but got {size}.",
                )
        return size

    def _reduced(self, key: int, elements: list):
        window = VariantDataset(elements, self._ds._input.element_spec)
        result = self._ds._reduce_func(Tensor(np.int64(key), dtypes.int64), window)
        if not isinstance(result, Dataset):
            raise TypeError(f"`reduce_func` must return a `Dataset` object. Got {type(result)}.")
        return result._pull()

    def next(self):
        while True:
            if self._output is not None:
                try:
                    return self._output.next()
                except StopIteration:
                    self._output.close()
                    self._output = None
            if not self._exhausted:
                try:
                    flat = self._src.next()
                except StopIteration:
                    self._exhausted = True
                    continue
                key = int(self._ds._key_fn.element(flat)[0])
                group = self._groups.setdefault(key, [])
                group.append(flat)
                if len(group) >= self._window_size(key):
                    self._output = self._reduced(key, self._groups.pop(key))
                continue
            if not self._groups:
                raise StopIteration
            # At the end, the remaining windows in key order, as TF's kernel flushes them.
            key = min(self._groups)
            self._output = self._reduced(key, self._groups.pop(key))

    def close(self):
        self._src.close()
        if self._output is not None:
            self._output.close()


class GroupByWindowDataset(Dataset):
    """``Dataset.group_by_window``: elements grouped by ``key_func``; each full window
    (and, at the end, each partial one) goes through ``reduce_func(key, window)``."""

    _tf_name = "_GroupByWindowDataset"

    def __init__(
        self,
        input_dataset,
        key_func,
        reduce_func,
        window_size=None,
        window_size_func=None,
        example_keys=(0, 1),
        example_reduce_func=None,
    ):
        if (window_size is None) == (window_size_func is None):
            raise ValueError(
                "Either the `window_size` argument or the `window_size_func` argument must be "
                "specified."
            )
        spec = input_dataset.element_spec
        self._key_fn = _int64_scalar_function(key_func, spec, "group_by_window", "key_func")
        self._window_size = None if window_size is None else as_int(window_size, "window_size")
        self._size_fn = None
        if window_size_func is not None:
            self._size_fn = _int64_scalar_function(
                window_size_func,
                TensorSpec((), dtypes.int64),
                "group_by_window",
                "window_size_func",
            )
        check_callable(reduce_func, "reduce_func")
        self._reduce_func = reduce_func
        spec_reduce = reduce_func if example_reduce_func is None else example_reduce_func
        super().__init__(self._result_spec(spec_reduce, spec, example_keys), (input_dataset,))
        self._input = input_dataset

    @staticmethod
    def _result_spec(reduce_func, spec, keys):
        """The spec of ``reduce_func``'s datasets over the example keys, the dimensions
        that differ between them unknown (TF traces the function once, for any key)."""
        result = None
        for key in keys:
            window = reduce_func(Tensor(np.int64(key), dtypes.int64), VariantDataset([], spec))
            if not isinstance(window, Dataset):
                raise TypeError(
                    f"`reduce_func` must return a `Dataset` object. Got {type(window)}."
                )
            leaves = structure.flatten(window.element_spec)
            if result is not None:
                leaves = [structure.relax(a, b) for a, b in zip(result, leaves)]
            result, template = leaves, window.element_spec
        return structure.pack(template, result)

    def _pull(self):
        return _GroupPull(self, self._input._pull())

    def _cardinality(self):
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


def bucket_by_sequence_length(
    dataset,
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
):
    """See ``Dataset.bucket_by_sequence_length``."""
    from tensorflux.ops import array_ops, math_ops

    boundaries = [int(b) for b in bucket_boundaries]
    batch_sizes = [int(b) for b in bucket_batch_sizes]
    if len(batch_sizes) != len(boundaries) + 1:
        raise ValueError(
            "`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but "
            f"`len(bucket_batch_sizes)={len(batch_sizes)}` and "
            f"`len(bucket_boundaries)={len(boundaries)}`."
        )
    if sorted(boundaries) != boundaries:
        raise ValueError(
            f"`bucket_boundaries` must be sorted in increasing order, got {boundaries}."
        )

    def bucket_of(*element):
        length = math_ops.cast(element_length_func(*element), dtypes.int64)
        above = [math_ops.cast(length >= b, dtypes.int64) for b in boundaries]
        return math_ops.add_n(above) if above else array_ops.zeros([], dtypes.int64)

    def window_size(bucket):
        return array_ops.gather(np.asarray(batch_sizes, np.int64), bucket)

    def batch_bucket(bucket, window, to_boundary=pad_to_bucket_boundary, drop=drop_remainder):
        if no_padding:
            return window.batch(batch_sizes[int(bucket)], drop_remainder=drop)
        shapes = padded_shapes
        if to_boundary:
            index = int(bucket)
            if index == len(boundaries):
                raise InvalidArgumentError(
                    None,
                    "GroupByWindowDataset",
                    "When pad_to_bucket_boundary=True, elements must have length < "
                    "max(bucket_boundaries).",
                )
            limit = boundaries[index] - 1
            shapes = structure.map_specs(
                lambda s: [limit if d is None else d for d in s.shape.as_list()],
                window.element_spec,
            )
        return window.padded_batch(
            batch_sizes[int(bucket)], shapes, padding_values, drop_remainder=drop
        )

    return GroupByWindowDataset(
        dataset,
        bucket_of,
        batch_bucket,
        window_size_func=window_size,
        example_keys=range(len(batch_sizes)),
        # The spec as TF traces it: the padded length and the batch size depend on the
        # bucket, so both are unknown (even when dropping remainders); the spec comes
        # from batches padded to their longest element.
        example_reduce_func=lambda bucket, window: batch_bucket(bucket, window, False, False),
    )


class _SparseBatchPull(ElementPull):
    def __init__(self, src, batch_size: int, row_shape: list, dtype):
        self._src, self._size, self._row_shape, self._dtype = src, batch_size, row_shape, dtype

    def next(self):
        rows = []
        for _ in range(self._size):
            try:
                rows.append(np.asarray(self._src.next()[0]))
            except StopIteration:
                break
        if not rows:
            raise StopIteration
        shape = [len(rows)] + [
            max(r.shape[i] for r in rows) if d is None or d < 0 else d
            for i, d in enumerate(self._row_shape)
        ]
        indices, values = [], []
        for i, row in enumerate(rows):
            if row.ndim != len(self._row_shape) or any(
                n > limit for n, limit in zip(row.shape, shape[1:])
            ):
                raise InvalidArgumentError(
                    None,
                    "DenseToSparseBatchDataset",
                    f"Input element had shape ({row.shape}) that is incompatible with the row "
                    f"shape ({self._row_shape}).",
                )
            positions = np.argwhere(np.ones(row.shape, bool))
            indices.append(np.concatenate([np.full((len(positions), 1), i), positions], axis=1))
            values.append(row.reshape(-1))
        return (
            SparseRows(
                np.concatenate(indices).astype(np.int64),
                np.concatenate(values),
                np.asarray(shape, np.int64),
                self._dtype,
            ),
        )

    def close(self):
        self._src.close()


class SparseBatchDataset(Dataset):
    """``Dataset.sparse_batch``: batches of elements as SparseTensors of ``row_shape``
    rows (every entry of each element is stored)."""

    _tf_name = "_DenseToSparseBatchDataset"

    def __init__(self, input_dataset, batch_size, row_shape):
        from tensorflux.ops.sparse.sparse_tensor import SparseTensorSpec

        spec = input_dataset.element_spec
        if not isinstance(spec, TensorSpec):
            raise TypeError(
                "DenseToSparseDataset requires an input whose elements have a single component, "
                f"but the given dataset has elements of {spec}."
            )
        self._size = as_int(batch_size, "batch_size")
        self._row_shape = [None if d is None else int(d) for d in np.asarray(row_shape).tolist()]
        super().__init__(SparseTensorSpec([None, *self._row_shape], spec.dtype), (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        spec = self._input.element_spec
        return _SparseBatchPull(self._input._pull(), self._size, self._row_shape, spec.dtype)

    def _cardinality(self):
        n = self._input._cardinality()
        return n if n < 0 else -(-n // self._size)
