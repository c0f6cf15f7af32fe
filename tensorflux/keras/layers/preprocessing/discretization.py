"""``keras.layers.Discretization``: numbers to bucket indices by boundaries, given or
learned by ``adapt`` with Keras 2's approximate quantile summaries (deterministic, so
boundaries match Keras for the same data and batching)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.index_lookup import as_input, encode_categorical
from tensorflux.keras.layers.preprocessing.preprocessing_utils import dataset_batches
from tensorflux.ops.preprocessing_func_ops import preprocessing_func

__all__ = ["Discretization"]

_MODES = ("int", "one_hot", "multi_hot", "count")
# Keras 2 adapts arrays in batches of 32 and merges the batches' summaries.
_ARRAY_BATCH = 32


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """Every ``step``-th sorted value, each weighing ``step`` (a 2 x k float32 array)."""
    values = np.sort(values.reshape(-1).astype(np.float32))
    increment = int(np.float32(values.size) / np.float32(1.0 / epsilon))
    step = max(increment, 1)
    boundaries = values[increment::step]
    return np.stack([boundaries, np.full(boundaries.shape, step, np.float32)])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """The summary interpolated at cumulative-weight fractions ``epsilon, 2 epsilon, ...``."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    fractions = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, fractions, summary[0])
    cum = np.interp(percents, fractions, cum_weights)
    new_weights = cum - np.concatenate((np.array([0]), cum[:-1]))
    return np.stack((new_bins, new_weights)).astype(np.float32)


def _merge(new: np.ndarray, prev: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((new, prev), axis=1)
    merged = merged[:, np.argsort(merged[0], kind="stable")]
    return _compress(merged, epsilon)


class Discretization(Layer):
    """Buckets numbers: index i for ``boundaries[i-1] <= x < boundaries[i]``.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.Discretization(bin_boundaries=[0.0, 1.0])
    >>> layer([[-0.5, 0.0, 0.5, 2.0]]).numpy()
    array([[0, 1, 1, 2]])

    Args:
        bin_boundaries: sorted boundaries, or None to learn ``num_bins`` bins by ``adapt``.
        num_bins: the number of bins ``adapt`` learns.
        epsilon: the quantile summaries' relative error (Keras' default 0.01).
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: False (dense outputs only).

    Raises:
        ValueError: both or a negative ``num_bins``, a bad mode.
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        **kwargs,
    ):
        if not kwargs.get("dtype"):
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        # The layer's dtype is its output's: float inputs must not be cast to it.
        self._autocast = False
        if output_mode not in _MODES:
            raise ValueError(
                f"Unknown value for `output_mode`. Allowed values are: {_MODES}. "
                f"Received: {output_mode}"
            )
        if sparse:
            raise ValueError("`sparse=True` is not supported here: outputs are dense tensors.")
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. You passed `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. You passed "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if isinstance(bin_boundaries, Tensor):
            bin_boundaries = bin_boundaries.numpy()
        if isinstance(bin_boundaries, np.ndarray):
            bin_boundaries = bin_boundaries.tolist()
        self.input_bin_boundaries = bin_boundaries
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else []
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns ``num_bins`` bins' boundaries from approximate quantiles of ``data``.

        Raises:
            ValueError: empty data, or boundaries given at construction.
        """
        from tensorflux.data.dataset import Dataset

        if self.input_bin_boundaries is not None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with "
                "`bin_boundaries`, use `num_bins` instead. You passed "
                f"`bin_boundaries={self.input_bin_boundaries}`."
            )
        if isinstance(data, Dataset):
            batches = dataset_batches(data)
        else:
            value = np.asarray(data.numpy() if isinstance(data, Tensor) else data)
            size = batch_size or _ARRAY_BATCH
            batches = [value[i : i + size] for i in range(0, len(value), size)]
        if not batches or all(b.size == 0 for b in batches):
            raise ValueError("Expected input data to be non-empty.")
        summary = np.zeros((2, 0), np.float32)
        for batch in batches:
            summary = _merge(_summarize(batch, self.epsilon), summary, self.epsilon)
        bins = _compress(summary, 1.0 / self.num_bins)[0, :-1]
        self.bin_boundaries = [float(b) for b in np.asarray(bins, np.float32)]

    def _compute(self, values: np.ndarray) -> np.ndarray:
        edges = np.asarray(self.bin_boundaries, np.float32).astype(np.float64)
        indices = np.searchsorted(edges, np.asarray(values, np.float64), side="right")
        if self.output_mode == "int":
            return indices.astype(np.dtype(self.compute_dtype))
        depth = len(self.bin_boundaries) + 1
        return encode_categorical(indices, self.output_mode, depth, self.compute_dtype)

    def _out(self, shape):
        if shape is None or self.output_mode == "int":
            return shape
        depth = len(self.bin_boundaries) + 1
        if not shape:
            return (depth,)
        if self.output_mode == "one_hot" and shape[-1] != 1:
            return shape + (depth,)
        return shape[:-1] + (depth,)

    def __call__(self, inputs, *args, **kwargs):
        return super().__call__(as_input(inputs), *args, **kwargs)

    def call(self, inputs):
        x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
        shape = tuple(x.shape.as_list()) if x.shape.rank is not None else None
        out_dtype = dtypes.as_dtype(self.compute_dtype)
        return preprocessing_func(self._compute, x, out_dtype, self._out(shape))

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(self._out(tuple(TensorShape(input_shape).as_list())))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "bin_boundaries": self.input_bin_boundaries,
                "num_bins": self.num_bins,
                "epsilon": self.epsilon,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config
