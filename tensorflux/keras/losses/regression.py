"""Regression losses: squared/absolute/percentage/log errors, Huber, log-cosh, cosine.

Each loss is a function ``fn(y_true, y_pred)`` returning one value per sample (the
mean over the last axis) and a :class:`LossFunctionWrapper` class around it.
``y_true`` is cast to ``y_pred``'s dtype, as Keras does.
"""

from __future__ import annotations

import math

from tensorflux.keras.losses.loss import LossFunctionWrapper
from tensorflux.keras.losses.loss_utils import Reduction, epsilon, prepare
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import less_equal
from tensorflux.ops.math_ops import abs as tf_abs
from tensorflux.ops.math_ops import cast, maximum, multiply, square, subtract
from tensorflux.ops.nn_ops import l2_normalize, softplus
from tensorflux.ops.reduction_ops import reduce_mean, reduce_sum
from tensorflux.ops.unary_math_ops import log

__all__ = []


def mean_squared_error(y_true, y_pred):
    """``mean(square(y_true - y_pred), axis=-1)``.

    >>> import tensorflux as tf
    >>> tf.keras.losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy()
    array([0.5], dtype=float32)
    """
    y_true, y_pred = prepare(y_true, y_pred)
    return reduce_mean(square(subtract(y_pred, y_true)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """``mean(abs(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = prepare(y_true, y_pred)
    return reduce_mean(tf_abs(subtract(y_pred, y_true)), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)``."""
    y_true, y_pred = prepare(y_true, y_pred)
    diff = tf_abs(subtract(y_true, y_pred) / maximum(tf_abs(y_true), epsilon()))
    return 100.0 * reduce_mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)``."""
    y_true, y_pred = prepare(y_true, y_pred)
    eps = epsilon()
    first = log(maximum(y_pred, eps) + 1.0)
    second = log(maximum(y_true, eps) + 1.0)
    return reduce_mean(square(subtract(first, second)), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """Quadratic ``0.5 * e**2`` for ``|e| <= delta``, linear ``delta * (|e| - delta/2)``
    beyond; averaged over the last axis."""
    y_true, y_pred = prepare(y_true, y_pred)
    delta = cast(delta, y_pred.dtype)
    error = subtract(y_pred, y_true)
    abs_error = tf_abs(error)
    quadratic = 0.5 * square(error)
    linear = multiply(delta, abs_error) - 0.5 * square(delta)
    return reduce_mean(where(less_equal(abs_error, delta), quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed as
    ``x + softplus(-2x) - log(2)`` so large errors do not overflow."""
    y_true, y_pred = prepare(y_true, y_pred)
    x = subtract(y_pred, y_true)
    return reduce_mean(x + softplus(-2.0 * x) - math.log(2.0), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along ``axis``: -1 for parallel vectors, 0 orthogonal."""
    y_true, y_pred = prepare(y_true, y_pred)
    y_true = l2_normalize(y_true, axis=axis)
    y_pred = l2_normalize(y_pred, axis=axis)
    return -reduce_sum(multiply(y_true, y_pred), axis=axis)


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors (``"mse"``).

    >>> import tensorflux as tf
    >>> mse = tf.keras.losses.MeanSquaredError()
    >>> float(mse([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    def __init__(self, reduction=Reduction.AUTO, name="mean_squared_error"):
        super().__init__(mean_squared_error, reduction=reduction, name=name)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors (``"mae"``)."""

    def __init__(self, reduction=Reduction.AUTO, name="mean_absolute_error"):
        super().__init__(mean_absolute_error, reduction=reduction, name=name)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error (``"mape"``)."""

    def __init__(self, reduction=Reduction.AUTO, name="mean_absolute_percentage_error"):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared error of ``log(x + 1)`` (``"msle"``)."""

    def __init__(self, reduction=Reduction.AUTO, name="mean_squared_logarithmic_error"):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name)


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for small errors, linear beyond ``delta``."""

    def __init__(self, delta=1.0, reduction=Reduction.AUTO, name="huber_loss"):
        super().__init__(huber, reduction=reduction, name=name, delta=delta)


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error."""

    def __init__(self, reduction=Reduction.AUTO, name="log_cosh"):
        super().__init__(log_cosh, reduction=reduction, name=name)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between labels and predictions along ``axis``."""

    def __init__(self, axis=-1, reduction=Reduction.AUTO, name="cosine_similarity"):
        super().__init__(cosine_similarity, reduction=reduction, name=name, axis=axis)


# Keras' short names for the functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh
