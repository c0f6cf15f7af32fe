"""``keras.utils.timeseries_dataset_from_array``: sliding windows over an array as a
batched ``tf.data`` pipeline, with Keras 2's start positions, shuffle and checks."""

from __future__ import annotations

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset import Dataset
from tensorflux.data.iterator import BlockPull
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = ["timeseries_dataset_from_array"]

_BLOCK = 1024  # windows gathered per block


class _WindowsPull(BlockPull):
    def __init__(self, data, targets, starts, offsets):
        self._data, self._targets, self._starts, self._offsets = data, targets, starts, offsets
        self._at = 0

    def _produce(self, k: int) -> tuple:
        start = self._at
        if start >= len(self._starts):
            raise StopIteration
        stop = min(start + min(k, _BLOCK), len(self._starts))
        self._at = stop
        starts = self._starts[start:stop]
        windows = self._data[starts[:, None] + self._offsets]
        if self._targets is None:
            return (windows,)
        return windows, self._targets[starts]


class _WindowsDataset(Dataset):
    """``data[p : p + length * rate : rate]`` for each start ``p`` (with ``targets[p]``)."""

    _tf_name = "_ParallelMapDataset"

    def __init__(self, data, targets, starts, sequence_length, sampling_rate):
        # TF gathers a tf.range of traced length: the window length is unknown statically.
        spec = TensorSpec((None, *data.shape[1:]), structure.spec_of(data).dtype)
        if targets is not None:
            spec = (spec, TensorSpec(targets.shape[1:], structure.spec_of(targets).dtype))
        super().__init__(spec)
        self._data, self._targets, self._starts = data, targets, starts
        self._offsets = np.arange(sequence_length, dtype=starts.dtype) * sampling_rate

    def _pull(self):
        return _WindowsPull(self._data, self._targets, self._starts, self._offsets)

    def _cardinality(self) -> int:
        return len(self._starts)


def _check(data, start_index, end_index, sampling_rate, sequence_stride) -> None:
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(
                f"`start_index` must be 0 or greater. Received: start_index={start_index}"
            )
        if start_index >= n:
            raise ValueError(
                "`start_index` must be lower than the length of the data. "
                f"Received: start_index={start_index}, for data of length {n}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= n:
            raise ValueError(
                "`end_index` must be lower than the length of the data. "
                f"Received: end_index={end_index}, for data of length {n}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= n:
            raise ValueError(
                f"`{name}` must be lower than the length of the data. "
                f"Received: {name}={value}, for data of length {n}"
            )


def _as_array(values):
    """The values as TF would hold them (Python floats float32, ints int32)."""
    return structure.to_tensor(values).numpy() if not isinstance(values, np.ndarray) else values


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
):
    """Batches of windows ``data[p : p + sequence_length * sampling_rate : sampling_rate]``.

    Window starts ``p`` run over ``range(0, n, sequence_stride)`` where ``n`` counts the
    windows that fit in ``data[start_index:end_index]`` (and no more than
    ``len(targets)``); window ``p`` is paired with ``targets[start_index + p]``. With
    ``shuffle`` the starts are permuted by NumPy's ``RandomState(seed)`` as in Keras,
    then each epoch's order is shuffled again in a buffer.

    Args:
        data: an array (or tensor) whose first axis is time.
        targets: one target per time step, or None.
        sequence_length: steps per window.
        sequence_stride: steps between successive window starts.
        sampling_rate: steps between the samples of a window.
        batch_size: windows per batch (None: single windows).
        shuffle, seed: shuffle the windows.
        start_index, end_index: the part of ``data`` used (end excluded).

    Returns:
        A ``tf.data.Dataset`` of windows, or of ``(windows, targets)``.

    Raises:
        ValueError: indices, stride or rate out of range (Keras' messages).

    >>> data = timeseries_dataset_from_array(np.arange(6), None, 3, batch_size=2)
    >>> [b.numpy().tolist() for b in data]
    [[[0, 1, 2], [1, 2, 3]], [[2, 3, 4], [3, 4, 5]]]
    """
    data = _as_array(data)
    _check(data, start_index, end_index, sampling_rate, sequence_stride)
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    count = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = _as_array(targets)
        count = min(count, len(targets))
    index_dtype = "int32" if count < 2147483647 else "int64"
    starts = np.arange(0, count, sequence_stride, dtype=index_dtype)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(starts)
    dataset = _WindowsDataset(
        data[start_index:end_index],
        None if targets is None else targets[start_index:end_index],
        starts,
        sequence_length,
        sampling_rate,
    )
    dataset = dataset.prefetch(-1)
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        return dataset.batch(batch_size)
    if shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    return dataset
