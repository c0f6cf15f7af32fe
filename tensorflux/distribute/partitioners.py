"""``tf.distribute.experimental.partitioners``: how many shards a variable of a given
shape and dtype is split into along one axis.

A partitioner is called as ``partitioner(shape, dtype, axis=0)`` with a
``tf.TensorShape`` and returns one shard count per dimension: the count chosen for
``axis`` and 1 for every other dimension. String variables count ``bytes_per_string``
bytes per element. The counts, and the errors for bad arguments, are TF's.
"""

from __future__ import annotations

import math

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape

__all__ = ["FixedShardsPartitioner", "MaxSizePartitioner", "MinSizePartitioner", "Partitioner"]


def _element_bytes(dtype, bytes_per_string):
    """The bytes one element of ``dtype`` takes (``bytes_per_string`` for strings).

    Raises:
        TypeError: ``dtype`` names no dtype (with TF's message).
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype.base_dtype == dtypes.string:
        return bytes_per_string
    return dtype.size


class Partitioner:
    """The base class of the partitioners (``tf.distribute.experimental.partitioners.
    Partitioner``): a subclass defines ``__call__(shape, dtype, axis=0)``, returning the
    number of shards of each dimension of ``shape``."""

    def __call__(self, shape, dtype, axis=0):
        """The shard count of each dimension of ``shape`` (a ``tf.TensorShape``) for a
        variable of ``dtype``, split along ``axis``.

        Raises:
            NotImplementedError: always; subclasses decide.
        """
        raise NotImplementedError


class FixedShardsPartitioner(Partitioner):
    """Splits ``axis`` into ``num_shards`` shards, or one per row when it has fewer rows
    (``tf.distribute.experimental.partitioners.FixedShardsPartitioner``).

    As in TF, ``num_shards`` is not checked: a count below 1 is returned as it is.

    Args:
        num_shards: the number of shards.

    >>> import tensorflux as tf
    >>> partitioner = tf.distribute.experimental.partitioners.FixedShardsPartitioner(2)
    >>> partitioner(tf.TensorShape([10, 3]), tf.float32)
    [2, 1]
    """

    def __init__(self, num_shards):
        self._num_shards = num_shards

    def __call__(self, shape, dtype, axis=0):
        """``[1, ..., min(num_shards, shape[axis]), ..., 1]``; ``dtype`` is not used.

        Raises:
            ValueError: ``shape`` has an unknown rank.
            AttributeError: ``shape`` is not a ``tf.TensorShape``.
            TypeError: ``shape[axis]`` is unknown.
            IndexError: ``axis`` is not a dimension of ``shape``.
        """
        counts = [1] * len(shape)
        counts[axis] = min(self._num_shards, shape.dims[axis])
        return counts


class MinSizePartitioner(Partitioner):
    """As many shards as ``axis`` allows with at least ``min_shard_bytes`` in each, but
    no more than ``max_shards`` (``tf.distribute.experimental.partitioners.
    MinSizePartitioner``).

    Args:
        min_shard_bytes: the fewest bytes of a shard (256 KiB).
        max_shards: the most shards (1).
        bytes_per_string: the bytes counted for each element of a string variable.

    Raises:
        ValueError: an argument below 1.

    >>> import tensorflux as tf
    >>> partitioner = tf.distribute.experimental.partitioners.MinSizePartitioner(
    ...     min_shard_bytes=4, max_shards=2)
    >>> partitioner(tf.TensorShape([6, 1]), tf.float32)
    [2, 1]
    """

    def __init__(self, min_shard_bytes=256 << 10, max_shards=1, bytes_per_string=16):
        if min_shard_bytes < 1:
            raise ValueError(
                f"Argument `min_shard_bytes` must be positive. Received: {min_shard_bytes}"
            )
        if max_shards < 1:
            raise ValueError(f"Argument `max_shards` must be positive. Received: {max_shards}")
        if bytes_per_string < 1:
            raise ValueError(
                f"Argument `bytes_per_string` must be positive. Received: {bytes_per_string}"
            )
        self._min_shard_bytes = min_shard_bytes
        self._max_shards = max_shards
        self._bytes_per_string = bytes_per_string

    def __call__(self, shape, dtype, axis=0):
        """The shard counts: ``ceil(total bytes / min_shard_bytes)`` along ``axis``,
        at least 1 and at most ``max_shards`` and ``shape[axis]``.

        Raises:
            ValueError: ``axis`` is not below the rank of ``shape``, or the rank is
                unknown.
            TypeError: ``dtype`` is not a dtype, or ``shape`` is not fully known.
            AttributeError: ``shape`` is not a ``tf.TensorShape``.
        """
        rank = len(shape)
        if axis >= rank:
            raise ValueError(
                f"Cannot partition variable along axis {axis} when shape is only {shape}"
            )
        element_bytes = _element_bytes(dtype, self._bytes_per_string)
        wanted = math.ceil(shape.num_elements() * element_bytes / self._min_shard_bytes)
        counts = [1] * rank
        counts[axis] = max(1, min(shape.dims[axis], self._max_shards, int(wanted)))
        return counts


class MaxSizePartitioner(Partitioner):
    """The fewest shards along ``axis`` that keep each below ``max_shard_bytes``
    (``tf.distribute.experimental.partitioners.MaxSizePartitioner``).

    A shard holds at least one slice of ``axis``, so one larger than
    ``max_shard_bytes`` makes one shard per slice; ``max_shards`` (None: no limit)
    caps the count, making shards larger than ``max_shard_bytes`` if need be.

    Args:
        max_shard_bytes: the most bytes of a shard.
        max_shards: the most shards (None or 0: no limit).
        bytes_per_string: the bytes counted for each element of a string variable.

    Raises:
        ValueError: an argument below 1.

    >>> import tensorflux as tf
    >>> partitioner = tf.distribute.experimental.partitioners.MaxSizePartitioner(4)
    >>> partitioner(tf.TensorShape([6, 1]), tf.float32)
    [6, 1]
    """

    def __init__(self, max_shard_bytes, max_shards=None, bytes_per_string=16):
        if max_shard_bytes < 1:
            raise ValueError(
                f"Argument `max_shard_bytes` must be positive. Received {max_shard_bytes}"
            )
        if max_shards and max_shards < 1:
            raise ValueError(f"Argument `max_shards` must be positive. Received {max_shards}")
        if bytes_per_string < 1:
            raise ValueError(
                f"Argument `bytes_per_string` must be positive. Received: {bytes_per_string}"
            )
        self._max_shard_bytes = max_shard_bytes
        self._max_shards = max_shards
        self._bytes_per_string = bytes_per_string

    def __call__(self, shape, dtype, axis=0):
        """The shard counts: along ``axis``, as many as needed for shards of whole
        slices of at most ``max_shard_bytes`` (one slice at least), then at most
        ``max_shards``.

        Raises:
            ValueError: ``shape`` is not a fully known ``tf.TensorShape``.
            TypeError: ``dtype`` is not a dtype.
            ZeroDivisionError: ``shape`` has no elements (as in TF).
        """
        if not isinstance(shape, TensorShape):
            raise ValueError(f"shape is not a TensorShape: {shape}")
        if not shape.is_fully_defined():
            raise ValueError(f"shape is not fully defined: {shape}")
        element_bytes = _element_bytes(dtype, self._bytes_per_string)
        rows = shape.dims[axis]
        # Float arithmetic, as TF's, so that counts agree for every size.
        slice_bytes = float(shape.num_elements() / rows) * element_bytes
        rows_per_shard = max(1, math.floor(self._max_shard_bytes / slice_bytes))
        shards = int(math.ceil(float(rows) / rows_per_shard))
        if self._max_shards:
            shards = min(self._max_shards, shards)
        counts = [1] * len(shape)
        counts[axis] = shards
        return counts


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.distribute.experimental.partitioners", __name__, name)
