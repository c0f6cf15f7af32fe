"""``Dataset.rejection_resample``: elements kept or dropped at random so that their
classes follow a target distribution, as TF composes it from dataset operations (and
so drawing TF's numbers for the same seed)."""

from __future__ import annotations

import numpy as np

from tensorflux.data.dataset import Dataset
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor

__all__ = ["rejection_resample"]

_ESTIMATION_BATCH = 32
_SMOOTHING = 10


def _acceptance_and_original(initial, target):
    """Per class, the probability of keeping an element of the filtered stream, and the
    share of elements taken unfiltered."""
    from tensorflux.ops import math_ops, reduction_ops

    ratio = target / (initial + np.finfo(np.float32).tiny)
    largest, smallest = reduction_ops.reduce_max(ratio), reduction_ops.reduce_min(ratio)
    return math_ops.truediv(ratio - smallest, largest - smallest), smallest


def _estimated_initial(target, class_values: Dataset) -> Dataset:
    """The class distribution seen so far (smoothed), one estimate per element."""
    from tensorflux.ops import array_ops, math_ops, reduction_ops

    num_classes = int(target.shape[0])
    start = np.full([num_classes], _SMOOTHING, np.int64)

    def update(seen, classes):
        counts = array_ops.one_hot(classes, num_classes, dtype=dtypes.int64)
        seen = math_ops.add(seen, reduction_ops.reduce_sum(counts, 0))
        dist = math_ops.cast(math_ops.truediv(seen, reduction_ops.reduce_sum(seen)), dtypes.float32)
        return seen, array_ops.tile(array_ops.expand_dims(dist, 0), [_ESTIMATION_BATCH, 1])

    return class_values.batch(_ESTIMATION_BATCH).scan(start, update).unbatch()


def rejection_resample(dataset, class_func, target_dist, initial_dist=None, seed=None):
    """See ``Dataset.rejection_resample``."""
    from tensorflux.ops import gather_ops, math_ops, random_ops

    target = math_ops.cast(convert_to_tensor(target_dist), dtypes.float32)
    if initial_dist is not None:
        initial = math_ops.cast(convert_to_tensor(initial_dist), dtypes.float32)
        acceptance, original = _acceptance_and_original(initial, target)
        acceptance_ds = Dataset.from_tensors(acceptance).repeat()
        original_ds = Dataset.from_tensors(original).repeat()
    else:
        initial_ds = _estimated_initial(target, dataset.map(class_func))
        pairs = initial_ds.map(lambda initial: _acceptance_and_original(initial, target))
        acceptance_ds = pairs.map(lambda accept, _: accept)
        original_ds = pairs.map(lambda _, original: original)

    def with_class_and_probability(acceptance_prob, data):
        class_value = class_func(*data) if isinstance(data, tuple) else class_func(data)
        return class_value, gather_ops.gather(acceptance_prob, class_value), data

    def keep(unused_class, probability, unused_data):
        return random_ops.uniform([], seed=seed, dtype=probability.dtype) < probability

    filtered = (
        Dataset.zip((acceptance_ds, dataset))
        .map(with_class_and_probability)
        .filter(keep)
        .map(lambda class_value, _, data: (class_value, data))
        .prefetch(3)
    )

    def with_class(*element):
        if len(element) == 1:
            return class_func(*element), element[0]
        return class_func(*element), element

    share = None
    if initial_dist is not None:
        share = float(np.min(np.asarray(target._value) / np.asarray(initial._value)))
    if share == 1:
        return dataset.map(with_class)
    if share == 0:
        return filtered
    return Dataset.sample_from_datasets(
        [dataset.map(with_class), filtered],
        weights=original_ds.map(lambda p: [(p, 1.0 - p)]),
        seed=seed,
        stop_on_empty_dataset=True,
    )
