"""``Dataset.random``, ``Dataset.counter``, ``Dataset.choose_from_datasets`` and
``Dataset.sample_from_datasets``.

``random`` reads TF's Philox stream for the op's seeds one 32-bit word per element,
so its numbers, and the draws ``sample_from_datasets`` makes from them, equal TF's.
"""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset import INFINITE, UNKNOWN, Dataset
from tensorflux.data.iterator import BlockPull, ElementPull
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ops import philox, random_seed

__all__: list = []


class _WordsPull(BlockPull):
    def __init__(self, key: int, counter: int):
        self._key, self._counter, self._position = key, counter, 0

    def _produce(self, k: int) -> tuple:
        first_call, offset = divmod(self._position, 4)
        counter = philox.skip(self._counter, first_call)
        words = philox.words(self._key, counter, offset + k)[offset:]
        self._position += k
        return (words.astype(np.int64),)


class RandomDataset(Dataset):
    """``Dataset.random``: uniformly distributed int64 values in ``[0, 2**32)``."""

    _tf_name = "_RandomDataset"

    def __init__(self, seed=None, rerandomize_each_iteration=None):
        if rerandomize_each_iteration:
            raise NotImplementedError(
                "Dataset.random(rerandomize_each_iteration=True) is not supported by "
                "tensorflux; each iteration repeats the seeded stream."
            )
        self._seeds = random_seed.get_seed(seed)
        super().__init__(TensorSpec((), dtypes.int64))

    def _pull(self):
        seed, seed2 = self._seeds
        if seed == 0 and seed2 == 0:
            # Unseeded, as in TF: a fresh stream from OS entropy for each iterator.
            seed, seed2 = (int(v) for v in np.random.SeedSequence().generate_state(2, np.uint64))
        return _WordsPull(*philox.key_counter(seed, seed2))

    def _cardinality(self):
        return INFINITE


class _CounterPull(BlockPull):
    def __init__(self, start: int, step: int, np_dtype):
        self._next, self._step, self._dtype = start, step, np_dtype

    def _produce(self, k: int) -> tuple:
        start = self._next
        self._next = start + k * self._step
        values = start + self._step * np.arange(k, dtype=np.int64)
        return (values.astype(self._dtype),)


class CounterDataset(Dataset):
    """``Dataset.counter``: ``start, start + step, ...`` forever."""

    _tf_name = "_ScanDataset"

    def __init__(self, start=0, step=1, dtype=dtypes.int64):
        self._dtype = dtypes.as_dtype(dtype)
        self._start = int(np.asarray(convert_to_tensor(start, self._dtype)._value))
        self._step = int(np.asarray(convert_to_tensor(step, self._dtype)._value))
        super().__init__(TensorSpec((), self._dtype))

    def _pull(self):
        return _CounterPull(self._start, self._step, self._dtype.as_numpy_dtype)

    def _cardinality(self):
        return INFINITE


class _DirectedPull(ElementPull):
    def __init__(self, selector, sources, stop_on_empty: bool):
        self._selector, self._sources, self._stop = selector, sources, stop_on_empty
        self._active = len(sources)

    def next(self):
        while True:
            index = int(self._selector.next()[0])
            if not 0 <= index < len(self._sources):
                raise InvalidArgumentError(
                    None,
                    "DirectedInterleaveDataset",
                    f"Selector index out of range: {index} >= {len(self._sources)}",
                )
            source = self._sources[index]
            if source is None:
                continue
            try:
                return source.next()
            except StopIteration:
                if self._stop:
                    raise
                source.close()
                self._sources[index] = None
                self._active -= 1
                if self._active == 0:
                    raise

    def close(self):
        self._selector.close()
        for source in self._sources:
            if source is not None:
                source.close()


def _common_spec(datasets, argument: str):
    specs = [ds.element_spec for ds in datasets]
    first = structure.flatten(specs[0])
    for spec in specs[1:]:
        leaves = structure.flatten(spec)
        if len(leaves) != len(first) or any(a.dtype != b.dtype for a, b in zip(first, leaves)):
            raise TypeError(
                f"Invalid `{argument}`. `{argument}` must have compatible element specs. "
                f"({specs[0]} and {spec} differ.)"
            )
        first = [structure.relax(a, b) for a, b in zip(first, leaves)]
    return structure.pack(specs[0], first)


class DirectedInterleaveDataset(Dataset):
    """Elements of ``datasets`` in the order that ``selector`` (int64 indices) names."""

    _tf_name = "_DirectedInterleaveDataset"

    def __init__(self, selector, datasets, stop_on_empty_dataset: bool):
        datasets = list(datasets)
        super().__init__(_common_spec(datasets, "datasets"), (selector, *datasets))
        self._selector, self._datasets = selector, datasets
        self._stop = bool(stop_on_empty_dataset)

    def _pull(self):
        sources = [ds._pull() for ds in self._datasets]
        return _DirectedPull(self._selector._pull(), sources, self._stop)

    def _cardinality(self):
        return (
            INFINITE
            if self._selector._cardinality() == INFINITE
            and self._stop is False
            and all(ds._cardinality() == INFINITE for ds in self._datasets)
            else UNKNOWN
        )


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    """See ``Dataset.choose_from_datasets``."""
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    spec = choice_dataset.element_spec if isinstance(choice_dataset, Dataset) else None
    if not (isinstance(spec, TensorSpec) and spec.dtype == dtypes.int64 and spec.shape.rank == 0):
        raise TypeError(
            "Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar `tf.int64` "
            f"tensors but are {spec}."
        )
    return DirectedInterleaveDataset(choice_dataset, datasets, stop_on_empty_dataset)


def _logits(weights, count: int):
    from tensorflux.ops import unary_math_ops

    weights = convert_to_tensor(weights)
    if weights.dtype not in (dtypes.float32, dtypes.float64):
        raise TypeError(
            "Invalid `weights`. `weights` type must be either `tf.float32` or `tf.float64` but "
            f"is {weights.dtype!r}."
        )
    return unary_math_ops.log(weights)


def sample_from_datasets(
    datasets, weights=None, seed=None, stop_on_empty_dataset=False, rerandomize_each_iteration=None
):
    """See ``Dataset.sample_from_datasets``."""
    from tensorflux.ops import array_ops, stateless_random_ops

    datasets = list(datasets)
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    # Pairs of the endless stream; drop_remainder gives them the static shape [2].
    seeds = RandomDataset(seed, rerandomize_each_iteration).batch(2, drop_remainder=True)
    if isinstance(weights, Dataset):
        logits = weights.map(lambda *p: _logits(p, len(datasets)))

        def select_varying(row_logits, pair):
            draw = stateless_random_ops.stateless_categorical(row_logits, 1, pair)
            return array_ops.squeeze(draw, [0, 1])

        selector = Dataset.zip((logits.map(lambda x: array_ops.reshape(x, [1, -1])), seeds)).map(
            select_varying
        )
        return DirectedInterleaveDataset(selector, datasets, stop_on_empty_dataset)
    if weights is None:
        row = np.ones((1, len(datasets)), np.float32)
        logits = convert_to_tensor(np.log(row))
    else:
        if isinstance(weights, Tensor):
            if not weights.shape.is_compatible_with([len(datasets)]):
                raise ValueError(
                    "Invalid `weights`. The shape of `weights` should be compatible with "
                    f"`[len(datasets)]` but is {weights.shape}."
                )
        else:
            if len(weights) != len(datasets):
                raise ValueError(
                    "Invalid `weights`. `weights` should have the same length as `datasets` "
                    f"but got `len(weights)={len(weights)}` vs. "
                    f"`len(datasets)={len(datasets)}`."
                )
            kept = [(d, w) for d, w in zip(datasets, weights) if w > 0]
            datasets, weights = (
                ([datasets[0].take(0)], [1.0]) if not kept else map(list, zip(*kept))
            )
        logits = array_ops.expand_dims(_logits(weights, len(datasets)), 0)
    if len(datasets) == 1:
        return datasets[0]

    def select(pair):
        return array_ops.squeeze(
            stateless_random_ops.stateless_categorical(logits, 1, pair), [0, 1]
        )

    return DirectedInterleaveDataset(seeds.map(select), datasets, stop_on_empty_dataset)
