"""Element-wise and ordering transformations: map, filter, repeat, take, skip, concatenate."""

from __future__ import annotations

import numpy as np

from tensorflux.data import functions, structure
from tensorflux.data.dataset import INFINITE, UNKNOWN, Dataset, as_int, check_callable
from tensorflux.data.functions import (
    CompositeOutputs,
    EagerFunction,
    TracedFunction,
    lists_to_tuples,
)
from tensorflux.data.iterator import BlockPull, ElementPull, Pull
from tensorflux.framework import nest
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor_spec import TensorSpec

__all__: list = []


# -- map ------------------------------------------------------------------------


class _MapBlockPull(BlockPull):
    def __init__(self, src, fn):
        self._src, self._fn = src, fn

    def _produce(self, k):
        return self._fn.block(self._src.next_block(k))

    def close(self):
        self._src.close()


class _MapElementPull(ElementPull):
    def __init__(self, src, fn):
        self._src, self._fn = src, fn

    def next(self):
        return self._fn.element(self._src.next())

    def close(self):
        self._src.close()


class _EagerMap:
    """Adapts an EagerFunction to the ``element(flat) -> flat`` form."""

    def __init__(self, fn):
        self._fn = fn

    def element(self, flat):
        out = structure.normalize(lists_to_tuples(self._fn.element(flat)))
        return structure.flat_values(structure.flatten(out))


def _has_datasets(spec) -> bool:
    leaves = structure.flatten(spec)
    return not all(isinstance(structure.function_view(s), TensorSpec) for s in leaves)


class MapDataset(Dataset):
    """``Dataset.map``: the traced function applied to every element (blocks when it can)."""

    _tf_name = "_MapDataset"

    def __init__(self, input_dataset, map_func, num_parallel_calls=None, deterministic=None):
        check_callable(map_func, "func")
        if (
            num_parallel_calls is not None
            and as_int(num_parallel_calls, "num_parallel_calls") not in (-1,)
            and (num_parallel_calls <= 0)
        ):
            raise InvalidArgumentError(
                None,
                "ParallelMapDatasetV2",
                f"num_parallel_calls must be greater than zero "
                f"(or tf.data.AUTOTUNE), got {num_parallel_calls} [Op:ParallelMapDatasetV2].",
            )
        spec = input_dataset.element_spec
        if _has_datasets(spec):
            eager = EagerFunction(map_func, spec, "map")
            self._fn = _EagerMap(eager)
            self._elementwise = False
            out_spec = eager.example_spec()
        else:
            try:
                traced = TracedFunction(map_func, spec, "map")
            except CompositeOutputs as composite:
                # SparseTensor/RaggedTensor results (tf.io.parse_example's, say): the
                # trace gives their spec, and each element is mapped eagerly.
                self._fn = _EagerMap(EagerFunction(map_func, spec, "map"))
                self._elementwise = False
                out_spec = composite.output_spec
            else:
                self._fn = traced
                self._elementwise = traced.elementwise
                out_spec = traced.output_spec
                if functions.debug_mode:
                    self._fn = _EagerMap(EagerFunction(map_func, spec, "map"))
                    self._elementwise = False
        super().__init__(out_spec, (input_dataset,))
        self._input = input_dataset
        if num_parallel_calls is not None:
            self._tf_name = "_ParallelMapDataset"

    def _pull(self):
        src = self._input._pull()
        if self._elementwise and self._input._block_ok and self._block_ok:
            return _MapBlockPull(src, self._fn)
        return _MapElementPull(src, self._fn)

    def _cardinality(self):
        return self._input._cardinality()


# -- filter -----------------------------------------------------------------------


class _FilterBlockPull(BlockPull):
    def __init__(self, src, fn):
        self._src, self._fn = src, fn

    def _produce(self, k):
        while True:
            block = self._src.next_block(k)
            mask = np.asarray(self._fn.block(block)[0])
            if mask.all():
                return block
            keep = np.flatnonzero(mask)
            if len(keep):
                return tuple(a[keep] for a in block)

    def close(self):
        self._src.close()


class _FilterElementPull(ElementPull):
    def __init__(self, src, fn):
        self._src, self._fn = src, fn

    def next(self):
        while True:
            flat = self._src.next()
            if self._fn.element(flat)[0]:
                return flat

    def close(self):
        self._src.close()


class FilterDataset(Dataset):
    """``Dataset.filter``: keeps elements whose traced predicate is True."""

    _tf_name = "_FilterDataset"

    def __init__(self, input_dataset, predicate):
        check_callable(predicate, "predicate")
        fn = TracedFunction(predicate, input_dataset.element_spec, "filter")
        out = fn.output_spec
        if not (isinstance(out, TensorSpec) and out.dtype.is_bool and out.shape.rank == 0):
            raise ValueError(
                f"Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                f"tensor, but its return type is {out!r}."
            )
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._fn = fn

    def _pull(self):
        src = self._input._pull()
        if self._fn.elementwise and self._block_ok:
            return _FilterBlockPull(src, self._fn)
        return _FilterElementPull(src, self._fn)

    def _cardinality(self):
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


# -- passing elements through: repeat, take, skip, concatenate, options ----------


class _ChainPull(Pull):
    """Reads from iterators made on demand, one after the other.

    ``make_next(produced_any)`` returns the next iterator, or None at the end;
    ``produced_any`` tells whether the previous one yielded anything.
    """

    def __init__(self, make_next):
        self._make_next = make_next
        self._any = False
        self._src = make_next(True)

    def _advance(self):
        self._src.close()
        self._src = self._make_next(self._any)
        self._any = False

    def next(self):
        while self._src is not None:
            try:
                value = self._src.next()
            except StopIteration:
                self._advance()
                continue
            self._any = True
            return value
        raise StopIteration

    def next_block(self, n):
        while self._src is not None:
            try:
                block = self._src.next_block(n)
            except StopIteration:
                self._advance()
                continue
            self._any = True
            return block
        raise StopIteration

    def close(self):
        if self._src is not None:
            self._src.close()


class _Empty(Pull):
    def next(self):
        raise StopIteration

    def next_block(self, n):
        raise StopIteration


class RepeatDataset(Dataset):
    """``Dataset.repeat``: the input again and again (``count`` times, or forever)."""

    _tf_name = "_RepeatDataset"

    def __init__(self, input_dataset, count=None):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._count = -1 if count is None else as_int(count, "count")

    def _pull(self):
        done = [0]
        count, ds = self._count, self._input

        def make_next(produced_any):
            # An iteration that produced nothing ends the repetition (no endless spin).
            if 0 <= count <= done[0] or not produced_any:
                return None
            done[0] += 1
            return ds._pull()

        return _ChainPull(make_next)

    def _cardinality(self):
        n, count = self._input._cardinality(), self._count
        if count == 0 or n == 0:
            return 0
        if count < 0 or n == INFINITE:
            return INFINITE
        return UNKNOWN if n == UNKNOWN else n * count


class _TakePull(Pull):
    def __init__(self, src, count):
        self._src, self._left = src, count

    def next(self):
        if self._left == 0:
            raise StopIteration
        value = self._src.next()
        self._left -= 1
        return value

    def next_block(self, n):
        if self._left == 0:
            raise StopIteration
        block = self._src.next_block(min(n, self._left))
        self._left -= len(block[0])
        return block

    def close(self):
        self._src.close()


class TakeDataset(Dataset):
    """``Dataset.take``: at most ``count`` elements (all for -1)."""

    _tf_name = "_TakeDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._count = as_int(count, "count")

    def _pull(self):
        if self._count < 0:
            return self._input._pull()
        return _TakePull(self._input._pull(), self._count)

    def _cardinality(self):
        n, c = self._input._cardinality(), self._count
        if c < 0 or n == 0:
            return n
        if n == INFINITE:
            return c
        if n == UNKNOWN:
            return UNKNOWN if c > 0 else 0
        return min(n, c)


class _SkipPull(Pull):
    def __init__(self, src, count, blocks: bool):
        self._src, self._skip, self._blocks = src, count, blocks

    def _skip_now(self):
        while self._skip:
            if self._blocks:
                self._skip -= len(self._src.next_block(self._skip)[0])
            else:
                self._src.next()
                self._skip -= 1

    def next(self):
        self._skip_now()
        return self._src.next()

    def next_block(self, n):
        self._skip_now()
        return self._src.next_block(n)

    def close(self):
        self._src.close()


class SkipDataset(Dataset):
    """``Dataset.skip``: all but the first ``count`` elements (none for -1)."""

    _tf_name = "_SkipDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._count = as_int(count, "count")

    def _pull(self):
        if self._count < 0:
            return _Empty()
        return _SkipPull(self._input._pull(), self._count, self._input._block_ok)

    def _cardinality(self):
        n, c = self._input._cardinality(), self._count
        if c < 0:
            return 0
        return n if n < 0 else max(n - c, 0)


def _compatible(a, b):
    """The spec covering elements of both concatenated datasets, or TypeError."""
    if type(a) is not type(b) and not (isinstance(a, TensorSpec) and isinstance(b, TensorSpec)):
        raise TypeError(f"Incompatible dataset elements:\n  {a!r} vs.   {b!r}")
    if isinstance(a, TensorSpec):
        if a.dtype != b.dtype:
            raise TypeError(f"Incompatible dataset elements:\n  {a!r} vs.   {b!r}")
        return structure.relax(a, b)
    return a


class _ConcatPull(_ChainPull):
    def __init__(self, datasets):
        pending = list(datasets)
        super().__init__(lambda produced_any: pending.pop(0)._pull() if pending else None)


class ConcatenateDataset(Dataset):
    """``Dataset.concatenate``: one dataset's elements, then another's."""

    _tf_name = "_ConcatenateDataset"

    def __init__(self, input_dataset, dataset_to_concatenate):
        a, b = input_dataset.element_spec, dataset_to_concatenate.element_spec
        try:
            nest.assert_same_structure(a, b)
        except (TypeError, ValueError):
            raise TypeError(f"Incompatible dataset elements:\n  {a!r} vs.   {b!r}") from None
        spec = (
            nest.map_structure(_compatible, a, b)
            if structure.is_structure(a)
            else _compatible(a, b)
        )
        super().__init__(spec, (input_dataset, dataset_to_concatenate))
        self._parts = (input_dataset, dataset_to_concatenate)

    def _pull(self):
        return _ConcatPull(self._parts)

    def _cardinality(self):
        a, b = (ds._cardinality() for ds in self._parts)
        if INFINITE in (a, b):
            return INFINITE
        return UNKNOWN if UNKNOWN in (a, b) else a + b
