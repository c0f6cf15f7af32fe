"""Datasets of datasets: flat_map, interleave and window.

``flat_map`` and ``interleave`` call their function eagerly on every element
(it returns a dataset, built from the element's values). ``window`` yields each
window as a small dataset per component, as TF does.
"""

from __future__ import annotations

import os

from tensorflux.data import structure
from tensorflux.data.dataset import AUTOTUNE, INFINITE, UNKNOWN, Dataset, as_int, check_callable
from tensorflux.data.functions import EagerFunction
from tensorflux.data.iterator import ElementPull
from tensorflux.framework.errors import InvalidArgumentError

__all__: list = []


class VariantDataset(Dataset):
    """A dataset over a list of flat elements (a window, or a made-up example)."""

    _tf_name = "_VariantDataset"

    def __init__(self, elements, element_spec):
        super().__init__(element_spec)
        self._elements = elements

    def _pull(self):
        from tensorflux.data.sources import _ListPull

        return _ListPull(self._elements)

    def _cardinality(self):
        return len(self._elements)


def _dataset_fn(map_func, input_dataset, what: str):
    """The eager function and the element_spec of the datasets it returns."""
    check_callable(map_func, "map_func")
    fn = EagerFunction(map_func, input_dataset.element_spec, what)
    example = fn.example_result()
    if not isinstance(example, Dataset):
        raise TypeError(
            f"The `map_func` argument of Dataset.{what} must return a `Dataset` "
            f"object. Got {type(example)}."
        )
    return fn, example.element_spec


def _check_returned(ds, what: str):
    if not isinstance(ds, Dataset):
        raise TypeError(
            f"The `map_func` argument of Dataset.{what} must return a `Dataset` "
            f"object. Got {type(ds)}."
        )
    return ds


class _FlatMapPull(ElementPull):
    def __init__(self, src, fn, what):
        self._src, self._fn, self._what = src, fn, what
        self._inner = None

    def next(self):
        while True:
            if self._inner is None:
                self._inner = _check_returned(
                    self._fn.element(self._src.next()), self._what
                )._pull()
            try:
                return self._inner.next()
            except StopIteration:
                self._inner.close()
                self._inner = None

    def close(self):
        self._src.close()
        if self._inner is not None:
            self._inner.close()


class FlatMapDataset(Dataset):
    """``Dataset.flat_map``: the elements of ``map_func(element)``, one dataset after another."""

    _tf_name = "_FlatMapDataset"

    def __init__(self, input_dataset, map_func):
        self._fn, spec = _dataset_fn(map_func, input_dataset, "flat_map")
        super().__init__(spec, (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        return _FlatMapPull(self._input._pull(), self._fn, "flat_map")

    def _cardinality(self):
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


class _InterleavePull(ElementPull):
    """TF's order: ``block_length`` elements from each of ``cycle_length`` open datasets in
    turn; an exhausted one is replaced from the input on a later visit of its slot."""

    def __init__(self, src, fn, cycle_length, block_length):
        self._src, self._fn = src, fn
        self._cycle = [None] * cycle_length
        self._block_length = block_length
        self._index = 0
        self._in_block = 0
        self._open = 0
        self._input_done = False

    def _advance(self):
        self._in_block = 0
        self._index = (self._index + 1) % len(self._cycle)

    def next(self):
        while not self._input_done or self._open:
            current = self._cycle[self._index]
            if current is not None:
                try:
                    value = current.next()
                except StopIteration:
                    current.close()
                    self._cycle[self._index] = None
                    self._open -= 1
                    self._advance()
                    continue
                self._in_block += 1
                if self._in_block == self._block_length:
                    self._advance()
                return value
            if not self._input_done:
                try:
                    element = self._src.next()
                except StopIteration:
                    self._input_done = True
                    continue
                self._cycle[self._index] = _check_returned(
                    self._fn.element(element), "interleave"
                )._pull()
                self._open += 1
            else:
                self._advance()
        raise StopIteration

    def close(self):
        self._src.close()
        for p in self._cycle:
            if p is not None:
                p.close()


class InterleaveDataset(Dataset):
    """``Dataset.interleave``: elements of several ``map_func`` datasets, interleaved."""

    _tf_name = "_InterleaveDataset"

    def __init__(
        self, input_dataset, map_func, cycle_length=None, block_length=None, num_parallel_calls=None
    ):
        self._fn, spec = _dataset_fn(map_func, input_dataset, "interleave")
        super().__init__(spec, (input_dataset,))
        self._input = input_dataset
        cycle = AUTOTUNE if cycle_length is None else as_int(cycle_length, "cycle_length")
        self._cycle_length = (os.cpu_count() or 1) if cycle == AUTOTUNE else cycle
        self._block_length = 1 if block_length is None else as_int(block_length, "block_length")
        if self._cycle_length <= 0:
            raise InvalidArgumentError(
                None, "InterleaveDataset", "cycle_length must be greater than zero."
            )
        if self._block_length <= 0:
            raise InvalidArgumentError(
                None, "InterleaveDataset", "block_length must be greater than zero."
            )
        if num_parallel_calls is not None:
            self._tf_name = "_ParallelInterleaveDataset"

    def _pull(self):
        return _InterleavePull(
            self._input._pull(), self._fn, self._cycle_length, self._block_length
        )

    def _cardinality(self):
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


class _WindowPull(ElementPull):
    def __init__(self, src, size, shift, stride, drop_remainder, leaf_specs):
        self._src = src
        self._size, self._shift, self._stride = size, shift, stride
        self._drop = drop_remainder
        self._specs = leaf_specs
        self._buffer: list = []  # elements from input index ``_first`` on
        self._first = 0
        self._start = 0  # input index of the next window's first element
        self._ended = False

    def _fill_to(self, index: int) -> None:
        while not self._ended and self._first + len(self._buffer) <= index:
            try:
                self._buffer.append(self._src.next())
            except StopIteration:
                self._ended = True

    def next(self):
        span = (self._size - 1) * self._stride
        self._fill_to(self._start + span)
        available = self._first + len(self._buffer) - self._start
        if available <= 0 or (self._drop and available <= span):
            raise StopIteration
        picks = [
            self._buffer[i - self._first]
            for i in range(self._start, self._start + span + 1, self._stride)
            if i - self._first < len(self._buffer)
        ]
        self._start += self._shift
        drop = min(self._start, self._first + len(self._buffer)) - self._first
        del self._buffer[:drop]
        self._first += drop
        return tuple(
            VariantDataset([(e[c],) for e in picks], spec) for c, spec in enumerate(self._specs)
        )

    def close(self):
        self._src.close()


class WindowDataset(Dataset):
    """``Dataset.window``: windows of ``size`` elements, ``shift`` apart, as datasets."""

    _tf_name = "_WindowDataset"

    def __init__(self, input_dataset, size, shift=None, stride=1, drop_remainder=False):
        self._size = as_int(size, "size")
        self._shift = self._size if shift is None else as_int(shift, "shift")
        self._stride = as_int(stride, "stride")
        for name, value in (
            ("Window size", self._size),
            ("Window shift", self._shift),
            ("Window stride", self._stride),
        ):
            if value <= 0:
                raise InvalidArgumentError(
                    None, "WindowDataset", f"{name} must be greater than zero."
                )
        self._drop = bool(drop_remainder)
        spec = structure.map_specs(lambda s: structure.DatasetSpec(s), input_dataset.element_spec)
        super().__init__(spec, (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        return _WindowPull(
            self._input._pull(),
            self._size,
            self._shift,
            self._stride,
            self._drop,
            self._input._leaf_specs,
        )

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        span = (self._size - 1) * self._stride + 1
        if self._drop:
            return 0 if n < span else (n - span) // self._shift + 1
        return -(-n // self._shift)
