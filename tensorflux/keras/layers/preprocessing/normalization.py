"""``keras.layers.Normalization``: ``(x - mean) / sqrt(variance)`` per feature, with the
statistics given or learned by ``adapt``."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.keras import backend
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.preprocessing_utils import dataset_batches
from tensorflux.ops.array_ops import reshape
from tensorflux.ops.math_ops import cast, maximum
from tensorflux.ops.unary_math_ops import sqrt

__all__ = ["Normalization"]

# Keras 2 adapts arrays in batches of 32 (its data handler's default batch size),
# combining each batch's moments into the running ones.
_ARRAY_BATCH = 32


class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance along ``axis``.

    >>> import numpy as np, tensorflux as tf
    >>> layer = tf.keras.layers.Normalization(axis=None)
    >>> layer.adapt(np.array([1.0, 2.0, 3.0]))
    >>> layer(np.array([1.0, 3.0])).numpy().round(4)
    array([-1.2247,  1.2247], dtype=float32)

    Args:
        axis: the axes kept (one mean and variance per index along them): an int, a
            tuple, or None (one scalar mean and variance).
        mean, variance: the statistics, broadcast to the kept axes; both or neither.
        invert: undo the normalization instead (``mean + x * sqrt(variance)``).

    Raises:
        ValueError: only one of ``mean``/``variance``, an axis out of range, or a kept
            axis of unknown size.
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Got mean: {mean} and variance: {variance}"
            )
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert

    def build(self, input_shape):
        input_shape = TensorShape(input_shape).as_list()
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                "All `axis` values must be in the range [-ndim, ndim). "
                f"Found ndim: `{ndim}`, axis: {self.axis}"
            )
        self._keep_axis = sorted(a if a >= 0 else a + ndim for a in self.axis)
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    "All `axis` values to be kept must have known shape. Got axis: "
                    f"{self.axis}, input shape: {input_shape}, with unknown axis at index: {d}"
                )
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)]
        stats_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean", shape=stats_shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                name="variance", shape=stats_shape, initializer="ones", trainable=False
            )
            self.count = self.add_weight(
                name="count", shape=(), dtype="int64", initializer="zeros", trainable=False
            )
        else:
            ones = np.ones(stats_shape)
            self._mean = np.reshape(self.input_mean * ones, self._broadcast_shape)
            self._variance = np.reshape(self.input_variance * ones, self._broadcast_shape)
        super().build(input_shape)

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Computes the mean and variance of ``data`` (array, Tensor or Dataset).

        Raises:
            ValueError: empty data, or statistics given at construction.
        """
        from tensorflux.data.dataset import Dataset

        if self.input_mean is not None:
            raise ValueError(
                "Cannot `adapt` a Normalization layer that is initialized with static "
                f"`mean` and `variance`, you passed mean {self.input_mean} and variance "
                f"{self.input_variance}."
            )
        if isinstance(data, Dataset):
            batches = dataset_batches(data)
        else:
            value = np.asarray(data.numpy() if isinstance(data, Tensor) else data)
            size = batch_size or _ARRAY_BATCH
            batches = [value[i : i + size] for i in range(0, len(value), size)]
        if not batches or all(b.size == 0 for b in batches):
            raise ValueError("Expected input data to be non-empty.")
        dtype = np.dtype(self.compute_dtype)
        if not self.built:
            self._maybe_build(convert_to_tensor(batches[0]))
        mean = np.zeros(self.adapt_mean.shape, dtype)
        variance = np.ones(self.adapt_variance.shape, dtype)
        count = 0
        for batch in batches:
            batch = batch.astype(dtype)
            batch_mean = batch.mean(axis=self._reduce_axis)
            batch_var = ((batch - batch.mean(axis=self._reduce_axis, keepdims=True)) ** 2).mean(
                axis=self._reduce_axis
            )
            batch_count = int(np.prod([batch.shape[d] for d in self._reduce_axis]))
            total = count + batch_count
            weight = dtype.type(batch_count) / dtype.type(total)
            existing = dtype.type(1.0) - weight
            total_mean = mean * existing + batch_mean * weight
            variance = (variance + (mean - total_mean) ** 2) * existing + (
                batch_var + (batch_mean - total_mean) ** 2
            ) * weight
            mean, count = total_mean, total
        self.adapt_mean.assign(mean.astype(dtype))
        self.adapt_variance.assign(variance.astype(dtype))
        self.count.assign(count)

    def _stats(self):
        if self.input_mean is not None:
            return (
                cast(convert_to_tensor(self._mean), self.compute_dtype),
                cast(convert_to_tensor(self._variance), self.compute_dtype),
            )
        shape = self._broadcast_shape
        return reshape(self.adapt_mean, shape), reshape(self.adapt_variance, shape)

    def call(self, inputs):
        x = cast(
            inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs), self.compute_dtype
        )
        mean, variance = self._stats()
        scale = maximum(sqrt(variance), backend.epsilon())
        if self.invert:
            return mean + x * scale
        return (x - mean) / scale

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "invert": self.invert,
                "mean": _listify(self.input_mean),
                "variance": _listify(self.input_variance),
            }
        )
        return config


def _listify(value):
    if isinstance(value, Tensor):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return value
