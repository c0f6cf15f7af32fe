"""``tf.keras.preprocessing.sequence.TimeseriesGenerator``: windows of a time series,
batch by batch, as a ``Sequence`` (Keras 2's Python-side windowing helper).

Every sample ends just before its target's timestep: the sample for timestep ``t`` is
``data[t - length : t : sampling_rate]`` and its target ``targets[t]``. With
``shuffle=True`` each batch draws its timesteps from NumPy's global random state, as
Keras does, so after the same ``np.random.seed`` the batches are the same.
"""

from __future__ import annotations

import json

import numpy as np

from tensorflux.keras.utils.sequence import Sequence

__all__ = ["TimeseriesGenerator"]


class TimeseriesGenerator(Sequence):
    """Batches of ``(samples, targets)`` windows cut from one time series.

    Args:
        data: an indexable series (a list or NumPy array), time along axis 0.
        targets: one target per timestep of ``data`` (the same length).
        length: the window length, in timesteps, before each target's timestep.
        sampling_rate: take every ``sampling_rate``-th timestep inside a window.
        stride: the step between the timesteps of successive samples.
        start_index: timesteps before it are never used (the first target is at
            ``start_index + length``).
        end_index: timesteps after it are never used (default: the last one).
        shuffle: draw each batch's timesteps at random (``np.random.randint``, with
            replacement) instead of in order.
        reverse: give each window latest timestep first.
        batch_size: samples per batch (the last batch may be smaller).

    Raises:
        ValueError: ``data`` and ``targets`` of different lengths, or
            ``start_index + length > end_index`` (no timestep left for a target).

    >>> import numpy as np
    >>> series = np.arange(10)
    >>> gen = TimeseriesGenerator(series, series, length=3, batch_size=2)
    >>> len(gen)
    4
    >>> x, y = gen[0]
    >>> x.tolist(), y.tolist()
    ([[0, 1, 2], [1, 2, 3]], [3, 4])
    """

    def __init__(
        self,
        data,
        targets,
        length,
        sampling_rate=1,
        stride=1,
        start_index=0,
        end_index=None,
        shuffle=False,
        reverse=False,
        batch_size=128,
    ):
        if len(data) != len(targets):
            raise ValueError(
                f"Data and targets have to be of same length. Data length is {len(data)} "
                f"while target length is {len(targets)}"
            )
        self.data = data
        self.targets = targets
        self.length = length
        self.sampling_rate = sampling_rate
        self.stride = stride
        # Keras keeps the first target's timestep here (and in get_config).
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = batch_size
        if self.start_index > self.end_index:
            raise ValueError(
                f"`start_index+length={self.start_index} > end_index={self.end_index}` "
                "is disallowed, as no part of the sequence would be left to be used as "
                "current step."
            )

    def __len__(self):
        """Batches per epoch: the target timesteps, ``stride`` apart, in batches."""
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index):
        """Batch ``index``: ``(samples, targets)`` NumPy arrays."""
        if self.shuffle:
            steps = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            first = self.start_index + index * self.batch_size * self.stride
            stop = min(first + self.batch_size * self.stride, self.end_index + 1)
            steps = np.arange(first, stop, self.stride)
        samples = np.array([self.data[t - self.length : t : self.sampling_rate] for t in steps])
        targets = np.array([self.targets[t] for t in steps])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def get_config(self) -> dict:
        """The generator's arguments, ``data`` and ``targets`` as JSON text.

        Raises:
            TypeError: data or targets that JSON cannot hold.
        """
        return {
            "data": _json_text(self.data, "Data"),
            "targets": _json_text(self.targets, "Targets"),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs) -> str:
        """``{"class_name": ..., "config": get_config()}`` as JSON; ``kwargs`` go to
        ``json.dumps``."""
        return json.dumps(
            {"class_name": type(self).__name__, "config": self.get_config()}, **kwargs
        )


def _json_text(values, what: str) -> str:
    # Only NumPy arrays are turned into lists first; anything else must already be JSON.
    if type(values).__module__ == np.__name__:
        values = values.tolist()
    try:
        return json.dumps(values)
    except TypeError as e:
        raise TypeError(f"{what} not JSON Serializable:", values) from e
