"""``tf.data.experimental``: the names of it that TF programs commonly use."""

from __future__ import annotations

from tensorflux.data.dataset import AUTOTUNE
from tensorflux.data.dataset import INFINITE as INFINITE_CARDINALITY
from tensorflux.data.dataset import UNKNOWN as UNKNOWN_CARDINALITY
from tensorflux.data.experimental_extras import *  # noqa: F401,F403
from tensorflux.data.experimental_extras import __all__ as _extras
from tensorflux.data.experimental_transforms import *  # noqa: F401,F403
from tensorflux.data.experimental_transforms import __all__ as _transforms
from tensorflux.data.options import (
    AutoShardPolicy,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ThreadingOptions,
)
from tensorflux.data.ragged_batching import dense_to_ragged_batch

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "AutoShardPolicy",
    "AutotuneOptions",
    "DistributeOptions",
    "ExternalStatePolicy",
    "OptimizationOptions",
    "ThreadingOptions",
    "cardinality",
    "get_single_element",
    "save",
    "load",
    "dense_to_ragged_batch",
    *_extras,
    *_transforms,
]


def cardinality(dataset):
    """``dataset.cardinality()``: an int64 scalar, -1 for infinite, -2 for unknown."""
    return dataset.cardinality()


def get_single_element(dataset):
    """The only element of ``dataset`` (``dataset.get_single_element()``)."""
    return dataset.get_single_element()


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    """``dataset.save(path)``."""
    dataset.save(path)


def load(path, element_spec=None, compression=None, reader_func=None):
    """``tf.data.Dataset.load(path)``."""
    from tensorflux.data.dataset import Dataset

    return Dataset.load(path, element_spec)


def __getattr__(name):
    if name == "Optional":
        from tensorflux.ops.optional_ops import Optional

        return Optional
    # The CSV readers load the csv, gzip and zlib modules: only when first used.
    if name in ("CsvDataset", "make_csv_dataset"):
        from tensorflux.data import csv_dataset

        return getattr(csv_dataset, name)
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.data.experimental", __name__, name)
