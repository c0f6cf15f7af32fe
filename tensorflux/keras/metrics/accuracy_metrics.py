"""Accuracy metrics: exact, binary (thresholded), categorical, sparse, top-k.

The ``*_matches`` helpers return one 0/1 value per sample and feed the metric
classes; the public ``*_accuracy`` functions are what ``compile(metrics=["accuracy"])``
wraps (``binary_accuracy`` additionally averages over the last axis).
"""

from __future__ import annotations

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.metrics.reduction_metrics import MeanMetricWrapper
from tensorflux.ops.logic_ops import equal, greater
from tensorflux.ops.math_ops import cast
from tensorflux.ops.nn_ops import in_top_k
from tensorflux.ops.reduction_ops import argmax, reduce_mean
from tensorflux.ops.shape_ops import expand_dims, reshape, shape, squeeze

__all__ = []


def _floatx():
    from tensorflux.keras import backend

    return backend.floatx()


def accuracy(y_true, y_pred):
    """1.0 where ``y_true == y_pred`` exactly, else 0.0.

    Raises:
        ValueError: shapes that are not compatible.
    """
    y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
    if not y_true.shape.is_compatible_with(y_pred.shape):
        raise ValueError(
            f"accuracy expects y_true and y_pred of the same shape, but received "
            f"{tuple(y_true.shape.as_list())} and {tuple(y_pred.shape.as_list())}."
        )
    if y_true.dtype != y_pred.dtype:
        y_pred = cast(y_pred, y_true.dtype)
    return cast(equal(y_true, y_pred), _floatx())


def binary_matches(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` agrees with the 0/1 label, per element."""
    y_pred = convert_to_tensor(y_pred)
    y_pred = cast(greater(y_pred, cast(threshold, y_pred.dtype)), y_pred.dtype)
    return cast(equal(cast(y_true, y_pred.dtype), y_pred), _floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Mean over the last axis of :func:`binary_matches`.

    >>> import tensorflux as tf
    >>> tf.keras.metrics.binary_accuracy([[1.0], [0.0]], [[0.7], [0.6]]).numpy()
    array([1., 0.], dtype=float32)
    """
    return reduce_mean(binary_matches(y_true, y_pred, threshold), axis=-1)


def sparse_categorical_matches(y_true, y_pred):
    """1.0 where ``argmax(y_pred, -1)`` equals the integer label; labels ``(batch, 1)``
    give matches ``(batch, 1)``."""
    y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
    reshape_matches = len(y_true.shape) == len(y_pred.shape)
    if reshape_matches:
        y_true = squeeze(y_true, [-1])
    y_pred = argmax(y_pred, axis=-1)
    if y_pred.dtype != y_true.dtype:
        y_pred = cast(y_pred, y_true.dtype)
    matches = cast(equal(y_true, y_pred), _floatx())
    return expand_dims(matches, -1) if reshape_matches else matches


def _squeeze_last(matches):
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        return squeeze(matches, [-1])
    return matches


def sparse_categorical_accuracy(y_true, y_pred):
    """Accuracy of integer labels against class scores (argmax of ``y_pred``)."""
    return _squeeze_last(sparse_categorical_matches(y_true, y_pred))


def categorical_accuracy(y_true, y_pred):
    """Accuracy of one-hot labels against class scores (argmax of both)."""
    return sparse_categorical_matches(argmax(y_true, axis=-1), y_pred)


def sparse_top_k_categorical_matches(y_true, y_pred, k=5):
    """1.0 where the integer label is among the ``k`` highest scores (ties count in)."""
    y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
    org_shape = y_true.shape.as_list()
    if None in org_shape:
        org_shape = shape(y_true)  # sizes known only when a traced graph runs
    if len(y_pred.shape) > 2:
        y_pred = reshape(y_pred, [-1, y_pred.shape[-1]])
    reshape_matches = len(y_true.shape) > 1
    if reshape_matches:
        y_true = reshape(y_true, [-1])
    matches = cast(in_top_k(targets=cast(y_true, "int32"), predictions=y_pred, k=k), _floatx())
    return reshape(matches, org_shape) if reshape_matches else matches


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Top-k accuracy of integer labels (labels ``(batch, 1)`` give ``(batch, 1)``)."""
    return sparse_top_k_categorical_matches(y_true, y_pred, k)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Top-k accuracy of one-hot labels."""
    return sparse_top_k_categorical_matches(argmax(y_true, axis=-1), y_pred, k)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.Accuracy()
    >>> float(m([1, 2, 3, 4], [0, 2, 3, 4]))
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches 0/1 labels.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.BinaryAccuracy()
    >>> float(m([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]))
    0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if isinstance(threshold, (str, bytes)) or not hasattr(threshold, "__float__"):
            raise TypeError(
                f"BinaryAccuracy: `threshold` must be a number in [0, 1], received {threshold!r}."
            )
        if not 0 <= threshold <= 1:
            raise ValueError(
                f"BinaryAccuracy: `threshold` must be in [0, 1], received {threshold}."
            )
        super().__init__(binary_matches, name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the predictions matches the argmax of one-hot labels."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the predictions equals the integer label.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.SparseCategoricalAccuracy()
    >>> float(m([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_matches, name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the ``k`` highest predictions."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the ``k`` highest predictions."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_matches, name, dtype=dtype, k=k)
