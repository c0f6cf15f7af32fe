"""Transformations that select or carry state across elements: ``take_while``,
``unique``, ``shard``, ``ignore_errors`` and ``scan``."""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset import INFINITE, UNKNOWN, Dataset, as_int, check_callable
from tensorflux.data.functions import TracedFunction
from tensorflux.data.iterator import ElementPull
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, OpError
from tensorflux.framework.tensor_spec import TensorSpec

__all__: list = []


class _Pull(ElementPull):
    """An element iterator over one source, advancing with ``step(source)``."""

    def __init__(self, src, step):
        self._src, self._step = src, step

    def next(self):
        return self._step(self._src)

    def close(self):
        self._src.close()


def _scalar_bool_function(fn, spec, what: str, argument: str) -> TracedFunction:
    check_callable(fn, argument)
    traced = TracedFunction(fn, spec, what)
    out = traced.output_spec
    if not (isinstance(out, TensorSpec) and out.dtype.is_bool and out.shape.rank == 0):
        raise ValueError(
            f"Invalid `{argument}`. `{argument}` must return a `tf.bool` scalar tensor, but "
            f"its return type is {out!r}."
        )
    return traced


class TakeWhileDataset(Dataset):
    """``Dataset.take_while``: elements up to the first for which ``predicate`` is False."""

    _tf_name = "_TakeWhileDataset"

    def __init__(self, input_dataset, predicate):
        self._fn = _scalar_bool_function(
            predicate, input_dataset.element_spec, "take_while", "predicate"
        )
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        done = [False]

        def step(src):
            if done[0]:
                raise StopIteration
            flat = src.next()
            if not self._fn.element(flat)[0]:
                done[0] = True
                raise StopIteration
            return flat

        return _Pull(self._input._pull(), step)

    def _cardinality(self):
        return UNKNOWN


_UNIQUE_DTYPES = (dtypes.int32, dtypes.int64, dtypes.string)


class UniqueDataset(Dataset):
    """``Dataset.unique``: each distinct element once, in order of first appearance."""

    _tf_name = "_UniqueDataset"

    def __init__(self, input_dataset):
        leaves = structure.flatten(input_dataset.element_spec)
        for leaf in leaves:
            if leaf.dtype not in _UNIQUE_DTYPES:
                raise TypeError(
                    f"`tf.data.Dataset.unique` does not support type {leaf.dtype} -- only "
                    "`tf.int32`, `tf.int64`, and `tf.string` are supported."
                )
        if len(leaves) != 1:
            raise InvalidArgumentError(
                None,
                "UniqueDataset",
                "UniqueDataset only supports inputs with a single component. [Op:UniqueDataset]",
            )
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        seen = set()

        def step(src):
            while True:
                flat = src.next()
                value = np.asarray(flat[0])
                key = (value.shape, tuple(value.ravel().tolist()))
                if key not in seen:
                    seen.add(key)
                    return flat

        return _Pull(self._input._pull(), step)

    def _cardinality(self):
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


class ShardDataset(Dataset):
    """``Dataset.shard``: every ``num_shards``-th element, starting at ``index``."""

    _tf_name = "_ShardDataset"

    def __init__(self, input_dataset, num_shards, index):
        num_shards, index = as_int(num_shards, "num_shards"), as_int(index, "index")
        if num_shards <= 0:
            raise InvalidArgumentError(
                None,
                "ShardDataset",
                "Number of shards must be greater than zero (currently num_shards = "
                f"{num_shards}). [Op:ShardDataset]",
            )
        if not 0 <= index < num_shards:
            raise InvalidArgumentError(
                None,
                "ShardDataset",
                f"Index must be between 0 and {num_shards - 1} (currently index = {index}). "
                "[Op:ShardDataset]",
            )
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input, self._shards, self._index = input_dataset, num_shards, index

    def _pull(self):
        position = [0]

        def step(src):
            while True:
                flat = src.next()
                i = position[0]
                position[0] += 1
                if i % self._shards == self._index:
                    return flat

        return _Pull(self._input._pull(), step)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._shards + (1 if n % self._shards > self._index else 0)


class IgnoreErrorsDataset(Dataset):
    """``Dataset.ignore_errors``: drops the elements whose computation raised an error."""

    _tf_name = "_IgnoreErrorsDataset"

    def __init__(self, input_dataset, log_warning=False):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input, self._log_warning = input_dataset, log_warning

    def _pull(self):
        def step(src):
            while True:
                try:
                    return src.next()
                except OpError as error:
                    if self._log_warning:
                        import warnings

                        warnings.warn(
                            f"Dataset.ignore_errors skipped an element: {error}", stacklevel=2
                        )

        return _Pull(self._input._pull(), step)

    def _cardinality(self):
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


class ScanDataset(Dataset):
    """``Dataset.scan``: ``(state, element) -> (new_state, output)`` over the elements,
    starting from ``initial_state``; the outputs are the elements.

    As TF does, a state whose shape changes across the first trace is traced again
    with the dimensions that changed left unknown.
    """

    _tf_name = "_ScanDataset"

    def __init__(self, input_dataset, initial_state, scan_func):
        check_callable(scan_func, "scan_func")
        state = structure.normalize(initial_state)
        state_leaves = [structure.to_tensor(leaf) for leaf in structure.flatten(state)]
        self._initial = tuple(leaf._value for leaf in state_leaves)
        state_spec = structure.pack(state, [structure.spec_of(t) for t in state_leaves])
        element_spec = input_dataset.element_spec
        for _ in range(2):
            traced = TracedFunction(scan_func, (state_spec, element_spec), "scan")
            out = traced.output_spec
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError(
                    "Invalid `scan_func`. `scan_func` should return a pair consisting of new "
                    f"state and the output value but its return type is {out!r}."
                )
            new_spec = out[0]
            old_leaves, new_leaves = structure.flatten(state_spec), structure.flatten(new_spec)
            if len(old_leaves) != len(new_leaves):
                raise TypeError(
                    "Invalid `scan_func`. The new state must have the structure of "
                    f"`initial_state` {state_spec}, but is {new_spec}."
                )
            for old, new in zip(old_leaves, new_leaves):
                if old.dtype != new.dtype:
                    raise TypeError(
                        "Invalid `scan_func`. The element types for the new state must match "
                        f"the initial state. Expected {old.dtype!r}; got {new.dtype!r}."
                    )
            relaxed = [structure.relax(o, n) for o, n in zip(old_leaves, new_leaves)]
            if all(r.shape == o.shape for r, o in zip(relaxed, old_leaves)):
                break
            state_spec = structure.pack(state_spec, relaxed)
        self._fn = traced
        self._state_count = len(old_leaves)
        super().__init__(out[1], (input_dataset,))
        self._input = input_dataset

    def _pull(self):
        state = [self._initial]

        def step(src):
            flat = src.next()
            outputs = self._fn.element(tuple(state[0]) + tuple(flat))
            state[0] = outputs[: self._state_count]
            return tuple(outputs[self._state_count :])

        return _Pull(self._input._pull(), step)

    def _cardinality(self):
        return self._input._cardinality()
