"""Hinge losses for -1/1 labels (0/1 labels are converted): hinge, squared, categorical."""

from __future__ import annotations

from tensorflux.keras.losses.loss import LossFunctionWrapper
from tensorflux.keras.losses.loss_utils import Reduction, prepare
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import equal, logical_or
from tensorflux.ops.math_ops import maximum, multiply, square
from tensorflux.ops.reduction_ops import reduce_all, reduce_max, reduce_mean, reduce_sum

__all__ = []


def _to_signed_labels(y_true):
    # Keras maps labels to -1/1 only when every label is 0 or 1; a where (not a
    # Python if) keeps this traceable.
    is_binary = reduce_all(logical_or(equal(y_true, 0.0), equal(y_true, 1.0)))
    return where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)`` with labels in {-1, 1}."""
    y_true, y_pred = prepare(y_true, y_pred)
    y_true = _to_signed_labels(y_true)
    return reduce_mean(maximum(1.0 - multiply(y_true, y_pred), 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`` with labels in {-1, 1}."""
    y_true, y_pred = prepare(y_true, y_pred)
    y_true = _to_signed_labels(y_true)
    return reduce_mean(square(maximum(1.0 - multiply(y_true, y_pred), 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """``maximum(neg - pos + 1, 0)`` where ``pos = sum(y_true * y_pred)`` and
    ``neg = max((1 - y_true) * y_pred)`` over the last axis (one-hot labels)."""
    y_true, y_pred = prepare(y_true, y_pred)
    pos = reduce_sum(multiply(y_true, y_pred), axis=-1)
    neg = reduce_max(multiply(1.0 - y_true, y_pred), axis=-1)
    return maximum(neg - pos + 1.0, 0.0)


class Hinge(LossFunctionWrapper):
    """Hinge loss (``"hinge"``); 0/1 labels are mapped to -1/1."""

    def __init__(self, reduction=Reduction.AUTO, name="hinge"):
        super().__init__(hinge, reduction=reduction, name=name)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss (``"squared_hinge"``); 0/1 labels are mapped to -1/1."""

    def __init__(self, reduction=Reduction.AUTO, name="squared_hinge"):
        super().__init__(squared_hinge, reduction=reduction, name=name)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss for one-hot labels (``"categorical_hinge"``)."""

    def __init__(self, reduction=Reduction.AUTO, name="categorical_hinge"):
        super().__init__(categorical_hinge, reduction=reduction, name=name)
