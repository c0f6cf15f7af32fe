"""``keras.utils.split_dataset``: a small in-memory dataset cut into a left and a right
``tf.data.Dataset`` (train / test), with tf_keras' rules for the sizes."""

from __future__ import annotations

import random

import numpy as np

from tensorflux.data.batching import BatchDataset
from tensorflux.data.dataset import AUTOTUNE, Dataset
from tensorflux.framework import nest

__all__ = ["split_dataset"]


def _samples(dataset) -> list:
    """The dataset as a list of samples: rows of an array, tuples of rows of a list or
    tuple of arrays, or the (unbatched) elements of a Dataset as NumPy values."""
    if isinstance(dataset, (list, tuple)):
        kind = "list" if isinstance(dataset, list) else "tuple"
        # tf_keras' two messages differ in their spacing.
        if not dataset:
            space = " " if kind == "list" else ""
            raise ValueError(
                f"Received an empty list dataset.{space}Please provide a non-empty {kind} "
                "of arrays."
            )
        if not isinstance(dataset[0], np.ndarray):
            space = "" if kind == "list" else " "
            raise ValueError(
                f"Expected a {kind} of `numpy.ndarray` objects,{space}Received: {type(dataset[0])}"
            )
        expected = dataset[0].shape
        for i, element in enumerate(dataset):
            shape = np.shape(element)
            if shape[0] != expected[0]:
                raise ValueError(
                    f"Received a {kind} of NumPy arrays with different lengths. Mismatch "
                    f"found at index {i}, Expected shape={expected} Received shape={shape}."
                    f"Please provide a {kind} of NumPy arrays with the same length."
                )
        samples = list(zip(*dataset))
    elif isinstance(dataset, Dataset):
        if isinstance(dataset, BatchDataset):
            dataset = dataset.unbatch()
        samples = [nest.map_structure(np.asarray, element) for element in dataset]
    else:
        samples = list(dataset)
    if not samples:
        raise ValueError(
            "Received an empty Dataset. `dataset` must be a non-empty list/tuple of "
            "`numpy.ndarray` objects or `tf.data.Dataset` objects."
        )
    first = samples[0]
    if isinstance(first, np.ndarray):
        for i, sample in enumerate(samples[1:]):
            if np.shape(sample) != first.shape:
                raise ValueError(
                    f"All `dataset` samples must have same shape, Expected shape: "
                    f"{first.shape} Received shape: {np.shape(sample)} at index {i}."
                )
    return samples


def _check_size(size, side: str, total: int) -> None:
    if size is None:
        return
    if (type(size) is int and not 0 < size < total) or (type(size) is float and not 0 < size < 1):
        also = "and " if side == "right" else ""
        comma = "" if side == "right" else ","
        raise ValueError(
            f"`{side}_size` should be either a positive integer {also}smaller than "
            f"{total}{comma} or a float within the range `[0, 1]`. Received: "
            f"{side}_size={size}"
        )


def _split_sizes(left_size, right_size, total: int) -> tuple:
    """The two sizes as sample counts, with tf_keras' checks and messages."""
    left_ok = left_size is None or type(left_size) in (int, float)
    right_ok = right_size is None or type(right_size) in (int, float)
    if not left_ok and not right_ok:
        raise TypeError(
            "Invalid `left_size` and `right_size` Types. Expected: integer or float or "
            f"None, Received: type(left_size)={type(left_size)} and "
            f"type(right_size)={type(right_size)}"
        )
    if not left_ok:
        raise TypeError(
            "Invalid `left_size` Type. Expected: int or float or None, Received: "
            f"type(left_size)={type(left_size)}.  "
        )
    if not right_ok:
        raise TypeError(
            "Invalid `right_size` Type. Expected: int or float or None,Received: "
            f"type(right_size)={type(right_size)}."
        )
    if left_size == 0 and right_size == 0:
        raise ValueError(
            "Both `left_size` and `right_size` are zero. At least one of the split sizes "
            "must be non-zero."
        )
    _check_size(left_size, "left", total)
    _check_size(right_size, "right", total)
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError(
            "The sum of `left_size` and `right_size` is greater than 1. It must be less "
            "than or equal to 1."
        )
    # As tf_keras: fractions become rounded counts, counts become floats (its messages
    # print them so).
    left, right = (
        round(size * total) if type(size) is float else None if size is None else float(size)
        for size in (left_size, right_size)
    )
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        # tf_keras' message, unfilled placeholder and all.
        raise ValueError(
            "The sum of `left_size` and `right_size` should be smaller than the "
            f"{{total_length}}. Received: left_size + right_size = {left + right}"
            f"and total_length = {total}"
        )
    for size, side in ((left, "left"), (right, "right")):
        if size == 0:
            raise ValueError(
                f"With `dataset` of length={total}, `left_size`={left} and "
                f"`right_size`={right}.Resulting {side} side dataset split will be "
                "empty. Adjust any of the aforementioned parameters"
            )
    return int(left), int(right)


def _restore(samples: list, dataset):
    """The slices ``from_tensor_slices`` takes back: one array per tuple position (a
    Dataset element that is not a tuple is unstacked along its first axis too, as
    tf_keras does), a dict of lists for dict elements, the rows of an array."""
    if isinstance(dataset, Dataset) and isinstance(dataset.element_spec, dict):
        # tf_keras lists the elements' tensors, which keep their dtype when packed.
        return {key: np.array([s[key] for s in samples]) for key in samples[0]}
    if isinstance(dataset, (list, tuple, Dataset)):
        if any(isinstance(s, np.ndarray) and s.ndim == 0 for s in samples):
            raise TypeError("Cannot iterate over a scalar tensor.")
        return tuple(np.array(column) for column in zip(*samples))
    return samples


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a small in-memory dataset into a left and a right ``tf.data.Dataset``.

    The left split takes the first ``left_size`` samples, the right one the last
    ``right_size`` (samples in neither are dropped). A Dataset made by ``batch`` is
    unbatched first and both splits batched again.

    Args:
        dataset: a NumPy array, a list/tuple of arrays of the same length, or a
            ``tf.data.Dataset``.
        left_size: a fraction in (0, 1) or a number of samples; None: what
            ``right_size`` leaves.
        right_size: likewise, for the right split.
        shuffle: shuffle the samples before splitting.
        seed: the shuffle's seed (Python's ``random`` generator, as tf_keras).

    Returns:
        ``(left, right)`` Datasets.

    Raises:
        TypeError: a dataset of another kind, or sizes that are not int/float.
        ValueError: no size given, sizes out of range or too large together, or an
            empty or ragged dataset.

    >>> import numpy as np
    >>> import tensorflux as tf
    >>> left, right = tf.keras.utils.split_dataset(np.zeros((10, 3)), left_size=0.8)
    >>> int(left.cardinality()), int(right.cardinality())
    (8, 2)
    """
    if not isinstance(dataset, (Dataset, list, tuple, np.ndarray)):
        raise TypeError(
            "The `dataset` argument must be either a `tf.data.Dataset` object or a "
            f"list/tuple of arrays. Received: dataset={dataset} of type {type(dataset)}"
        )
    if left_size is None and right_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. "
            "Received: left_size=None and right_size=None"
        )
    samples = _samples(dataset)
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        # The order tf_keras gets from random.seed(seed) + random.shuffle, without
        # touching the global generator.
        random.Random(seed).shuffle(samples)
    left_n, right_n = _split_sizes(left_size, right_size, len(samples))
    splits = []
    for part in (samples[:left_n], samples[-right_n:]):
        split = Dataset.from_tensor_slices(_restore(part, dataset))
        if isinstance(dataset, BatchDataset):
            split = split.batch(dataset._size)
        splits.append(split.prefetch(AUTOTUNE))
    return tuple(splits)
