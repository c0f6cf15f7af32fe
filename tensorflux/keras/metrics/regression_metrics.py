"""Regression metrics: mean squared/absolute/percentage/log errors, RMSE, cosine, log-cosh.

Each is the running mean of the loss function of the same name (``CosineSimilarity``
reports the similarity itself, not its negative).
"""

from __future__ import annotations

from tensorflux.keras.losses.loss_utils import squeeze_or_expand_dimensions
from tensorflux.keras.losses.regression import (
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from tensorflux.keras.metrics.reduction_metrics import Mean, MeanMetricWrapper
from tensorflux.ops.math_ops import cast, divide_no_nan, multiply, squared_difference
from tensorflux.ops.nn_ops import l2_normalize
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.unary_math_ops import sqrt

__all__ = []


def cosine_similarity(y_true, y_pred, axis=-1):
    """``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``: 1 for parallel vectors."""
    y_true = l2_normalize(y_true, axis=axis)
    y_pred = l2_normalize(y_pred, axis=axis)
    return reduce_sum(multiply(y_true, y_pred), axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """Running mean of squared errors.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.MeanSquaredError()
    >>> float(m([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """Running mean of absolute errors."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Running mean absolute percentage error."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Running mean squared logarithmic error."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """Running mean of ``log(cosh(error))``."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Running mean cosine similarity between labels and predictions along ``axis``."""

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """``sqrt`` of the running (weighted) mean of squared errors over all elements.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.RootMeanSquaredError()
    >>> float(m([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.7071067690849304
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = cast(y_true, self._dtype)
        y_pred = cast(y_pred, self._dtype)
        y_pred, y_true = squeeze_or_expand_dimensions(y_pred, y_true)
        super().update_state(squared_difference(y_pred, y_true), sample_weight=sample_weight)

    def result(self):
        return sqrt(divide_no_nan(self.total, self.count))
