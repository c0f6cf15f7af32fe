"""Turns what ``fit``/``evaluate``/``predict`` accept into batches of tensors.

Arrays and tensors are sliced per batch with NumPy (one fancy-index per batch,
no per-example work); ``tf.data`` datasets and Python generators are iterated as
they come. Every batch is ``(x, y, sample_weight)`` with None for missing parts.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.framework import dtypes, nest
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.variables import Variable

__all__ = ["unpack_x_y_sample_weight", "pack_x_y_sample_weight", "DataHandler",
           "train_validation_split"]


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from a batch that is ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)`` (``keras.utils.unpack_x_y_sample_weight``)."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data!r}")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The inverse of ``unpack_x_y_sample_weight``."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def _is_dataset(x) -> bool:
    return hasattr(x, "element_spec") and hasattr(x, "__iter__")


def _to_array(x):
    if x is None:
        return None
    if isinstance(x, Variable):
        x = x.value()
    if isinstance(x, Tensor):
        return x._value
    if hasattr(x, "to_numpy"):  # pandas DataFrame / Series
        x = x.to_numpy()
    arr = np.asarray(x)
    if arr.dtype == np.float64:
        # Keras feeds NumPy float64 to models as float32, its floatx.
        return arr.astype(np.float32)
    return arr


def _num_samples(arrays) -> int:
    sizes = {a.shape[0] for a in nest.flatten(arrays) if a is not None}
    if len(sizes) > 1:
        raise ValueError(f"Data cardinality is ambiguous: the arrays passed have different "
                         f"numbers of samples {sorted(sizes)}. Make sure all arrays contain "
                         f"the same number of samples.")
    if not sizes:
        raise ValueError("No data given: pass `x` (and `y`) as arrays, tensors, a "
                         "tf.data.Dataset or a generator.")
    return sizes.pop()


def train_validation_split(arrays, validation_split: float):
    """Splits array structures into training and validation parts: the last
    ``validation_split`` fraction is held out, before any shuffling (as Keras does).

    Raises:
        ValueError: a split outside (0, 1) or one that leaves a part empty.
    """
    if not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, got "
                         f"{validation_split}.")
    n = _num_samples(arrays)
    split = int(math.floor(n * (1.0 - validation_split)))
    if split == 0 or split == n:
        raise ValueError(f"Training data contains {n} samples, which is not sufficient to "
                         f"split it into a validation and training set as specified by "
                         f"`validation_split={validation_split}`. Either provide more data, "
                         f"or a different value for the `validation_split` argument.")
    head = nest.map_structure(lambda a: None if a is None else a[:split], arrays)
    tail = nest.map_structure(lambda a: None if a is None else a[split:], arrays)
    return head, tail


def _wrap(batch):
    return nest.map_structure(
        lambda a: None if a is None else Tensor(a, dtypes.from_numpy(a.dtype)), batch)


class DataHandler:
    """Yields ``steps_per_epoch`` batches of ``(x, y, sample_weight)`` per epoch.

    Args:
        x, y, sample_weight: arrays/tensors (nested structures allowed), or a dataset /
            generator as ``x`` yielding ``x``, ``(x, y)`` or ``(x, y, sample_weight)``.
        batch_size: for arrays (default 32).
        steps_per_epoch: batches per epoch; for datasets/generators, the iterator then
            carries on across epochs instead of restarting.
        shuffle: reshuffle arrays each epoch ("batch" shuffles whole batches).
        class_weight: ``{class: weight}`` turned into per-sample weights from ``y``.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                 shuffle=False, class_weight=None, epochs=1, initial_epoch=0):
        self._steps_arg = steps_per_epoch
        self._class_weight = class_weight
        self._shuffle = shuffle
        self._iterator = None
        if _is_dataset(x) or (hasattr(x, "__next__") and not isinstance(x, np.ndarray)):
            if y is not None:
                raise ValueError("`y` argument is not supported when using a dataset or a "
                                 "generator as input: put the targets in the dataset.")
            if sample_weight is not None:
                raise ValueError("`sample_weight` argument is not supported when using a "
                                 "dataset or a generator as input.")
            self._source = x
            self._arrays = None
            self._known_steps = steps_per_epoch
            if self._known_steps is None and _is_dataset(x):
                cardinality = int(x.cardinality())
                if cardinality == -1:
                    raise ValueError("When passing an infinitely repeating dataset, please "
                                     "specify a `steps_per_epoch` value so that epoch level "
                                     "callbacks continue to work.")
                self._known_steps = cardinality if cardinality >= 0 else None
            return
        self._source = None
        arrays = nest.map_structure(_to_array, (x, y, sample_weight))
        self._arrays = arrays
        # Plain arrays (the common case) are sliced without walking structures.
        self._flat = all(a is None or isinstance(a, np.ndarray) for a in arrays)
        self._rng = np.random.default_rng(_shuffle_seed()) if shuffle else None
        self._n = _num_samples(arrays)
        self._batch_size = 32 if batch_size is None else int(batch_size)
        if self._batch_size <= 0:
            raise ValueError(f"`batch_size` must be a positive integer, got {batch_size}.")
        full = int(math.ceil(self._n / self._batch_size))
        self._known_steps = full if steps_per_epoch is None else min(int(steps_per_epoch), full)

    @property
    def steps_per_epoch(self):
        """Batches per epoch, or None when a generator/dataset's length is unknown."""
        return self._known_steps

    def _class_weights(self, y):
        table = self._class_weight
        labels = y.reshape(-1) if y.ndim == 1 or y.shape[-1] == 1 else np.argmax(y, axis=-1)
        return np.array([table.get(int(c), 1.0) for c in labels], dtype=np.float32)

    def _array_batches(self):
        order = None
        if self._shuffle == "batch":
            starts = self._rng.permutation(self._known_steps)
        else:
            starts = range(self._known_steps)
            if self._shuffle:
                order = self._rng.permutation(self._n)
        bs = self._batch_size
        whole = self._known_steps == 1 and self._n <= bs
        for step in starts:
            lo, hi = step * bs, min((step + 1) * bs, self._n)
            if whole and order is None:
                index = slice(None)
            else:
                index = slice(lo, hi) if order is None else order[lo:hi]
            if self._flat:
                x, y, sw = (None if a is None else a[index] for a in self._arrays)
            else:
                x, y, sw = nest.map_structure(lambda a: None if a is None else a[index],
                                              self._arrays)
            if self._class_weight is not None and y is not None:
                cw = self._class_weights(y)
                sw = cw if sw is None else sw * cw
            if self._flat:
                yield tuple(None if a is None else Tensor(a, dtypes.from_numpy(a.dtype))
                            for a in (x, y, sw))
            else:
                yield _wrap((x, y, sw))

    def _source_batches(self):
        if self._steps_arg is not None:
            if self._iterator is None:
                self._iterator = iter(self._source)
            iterator = self._iterator
        else:
            iterator = iter(self._source)
        steps = 0
        while self._steps_arg is None or steps < self._steps_arg:
            try:
                data = next(iterator)
            except StopIteration:
                self._iterator = None
                return
            x, y, sw = unpack_x_y_sample_weight(data)
            if self._class_weight is not None and y is not None:
                cw = self._class_weights(np.asarray(convert_to_tensor(y)._value))
                sw = cw if sw is None else np.asarray(convert_to_tensor(sw)._value) * cw
            yield nest.map_structure(
                lambda a: None if a is None else (a if isinstance(a, Tensor) else
                                                  convert_to_tensor(_to_array(a))),
                (x, y, sw))
            steps += 1

    def batches(self):
        """The batches of one epoch."""
        if self._arrays is not None:
            return self._array_batches()
        return self._source_batches()


def _shuffle_seed():
    """A seed for per-epoch shuffling that follows tf.random.set_seed's determinism."""
    from tensorflux.ops.random_ops import uniform

    return int(uniform([], maxval=2**31 - 1, dtype=dtypes.int64).numpy())
