"""Regression metrics: mean squared/absolute/percentage/log/relative errors, RMSE, cosine,
log-cosh, R2.

Each is the running mean of the loss function of the same name (``CosineSimilarity``
reports the similarity itself, not its negative).
"""

from __future__ import annotations

import warnings

from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.keras.losses.loss_utils import squeeze_or_expand_dimensions
from tensorflux.keras.losses.regression import (
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from tensorflux.keras.metrics.metric import Metric
from tensorflux.keras.metrics.reduction_metrics import Mean, MeanMetricWrapper
from tensorflux.ops.creation_ops import zeros_like
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import greater, is_inf
from tensorflux.ops.math_ops import abs as tf_abs
from tensorflux.ops.math_ops import cast, divide_no_nan, multiply, square, squared_difference
from tensorflux.ops.nn_ops import l2_normalize
from tensorflux.ops.reduction_ops import reduce_mean, reduce_sum
from tensorflux.ops.shape_ops import broadcast_to, expand_dims, shape, size, squeeze
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


class MeanRelativeError(Mean):
    """Running mean of ``|y_true - y_pred| / normalizer`` (0 where the normalizer is 0).

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.MeanRelativeError(normalizer=[1, 3, 2, 3])
    >>> float(m([1, 3, 2, 3], [2, 4, 6, 8]))
    1.25

    Args:
        normalizer: values broadcastable to the predictions, dividing the errors.
    """

    def __init__(self, normalizer, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.normalizer = cast(normalizer, self._dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = cast(y_true, self._dtype)
        y_pred = cast(y_pred, self._dtype)
        y_pred, y_true = squeeze_or_expand_dimensions(y_pred, y_true)
        # Keras drops a trailing size-1 axis from whichever of the predictions and the
        # normalizer has one rank more (and keeps the squeezed normalizer).
        diff = len(self.normalizer.shape) - len(y_pred.shape)
        if diff == 1 and self.normalizer.shape[-1] == 1:
            self.normalizer = squeeze(self.normalizer, [-1])
        elif diff == -1 and y_pred.shape[-1] == 1:
            y_pred = squeeze(y_pred, [-1])
        y_pred.shape.assert_is_compatible_with(y_true.shape)
        errors = divide_no_nan(tf_abs(y_true - y_pred), self.normalizer)
        super().update_state(errors, sample_weight=sample_weight)

    def get_config(self) -> dict:
        return dict(super().get_config(), normalizer=self.normalizer.numpy())


class R2Score(Metric):
    """The coefficient of determination ``1 - SS_res / SS_tot`` per output column.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.R2Score()
    >>> float(m([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]]))
    0.5714285373687744

    Args:
        class_aggregation: ``"uniform_average"`` (mean over columns),
            ``"variance_weighted_average"`` (weighted by each column's variance) or
            ``None`` (one score per column).
        num_regressors: the number of independent variables, for the adjusted R2
            ``1 - (1 - R2) * (n - 1) / (n - p - 1)`` (0: plain R2).

    Raises:
        ValueError: an unknown ``class_aggregation``, negative ``num_regressors``, or
            inputs that are not 2D ``(batch_size, output_dim)``.
    """

    _AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in self._AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected one of "
                f"{self._AGGREGATIONS}. Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_weight("num_samples", dtype="int32")
        self.built = False

    def build(self, y_true_shape, y_pred_shape):
        """Creates the per-column sums for ``output_dim`` columns (first update)."""
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), with "
                "output_dim fully defined (not None). Received input shapes: "
                f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        shape = (y_pred_shape[-1],)
        self.squared_sum = self.add_weight("squared_sum", shape=shape)
        self.sum = self.add_weight("sum", shape=shape)
        self.total_mse = self.add_weight("residual", shape=shape)
        self.count = self.add_weight("count", shape=shape)
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds a batch of targets and predictions, ``(batch_size, output_dim)`` each."""
        y_true = convert_to_tensor(y_true, dtype=self._dtype)
        y_pred = convert_to_tensor(y_pred, dtype=self._dtype)
        if not self.built:
            self.build(y_true.shape, y_pred.shape)
        weight = convert_to_tensor(1 if sample_weight is None else sample_weight, self._dtype)
        if len(weight.shape) == 1:
            weight = expand_dims(weight, 1)
        weight = broadcast_to(
            weight, y_true.shape if y_true.shape.is_fully_defined() else shape(y_true)
        )
        weighted = y_true * weight
        self.sum.assign_add(reduce_sum(weighted, axis=0))
        self.squared_sum.assign_add(reduce_sum(y_true * weighted, axis=0))
        self.total_mse.assign_add(reduce_sum(square(y_true - y_pred) * weight, axis=0))
        self.count.assign_add(reduce_sum(weight, axis=0))
        self.num_samples.assign_add(size(y_true))

    def result(self):
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw = 1.0 - self.total_mse / total
        raw = where(is_inf(raw), zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = reduce_mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = reduce_sum(total * raw) / reduce_sum(total)
        else:
            score = raw
        if self.num_regressors == 0:
            return score
        n = self.num_samples.value()
        p = self.num_regressors
        if type(n) is Tensor:
            # Eager: Keras' warnings when the adjustment is undefined.
            if p > int(n) - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. "
                    "Falling back to standard R2 score.",
                    stacklevel=2,
                )
                return score
            if p == int(n) - 1:
                warnings.warn(
                    "Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                    stacklevel=2,
                )
                return score
        n_f = cast(n, "float32")
        adjusted = 1.0 - (1.0 - score) * (n_f - 1.0) / (n_f - float(p) - 1.0)
        return where(greater(n - 1, p), adjusted, score)

    def get_config(self) -> dict:
        return dict(
            super().get_config(),
            class_aggregation=self.class_aggregation,
            num_regressors=self.num_regressors,
        )
