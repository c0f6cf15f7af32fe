"""``FBetaScore`` and ``F1Score``: the weighted harmonic mean of precision and recall.

``F_beta = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)``, from
true/false positive and false negative counts kept per class (or summed, ``"micro"``).
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.metrics.metric import Metric
from tensorflux.ops.logic_ops import greater, greater_equal, logical_and
from tensorflux.ops.math_ops import abs as tf_abs
from tensorflux.ops.math_ops import cast, divide_no_nan, multiply
from tensorflux.ops.reduction_ops import reduce_max, reduce_mean, reduce_sum
from tensorflux.ops.shape_ops import expand_dims

__all__ = []

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F-beta score of multi-label (or one-hot multi-class) predictions.

    A prediction counts as positive above ``threshold``; without a threshold, the
    highest (non-zero) score of each row is the positive one.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.FBetaScore(beta=2.0, threshold=0.5, average="micro")
    >>> round(float(m([[1, 0, 1], [0, 1, 0]], [[0.8, 0.6, 0.2], [0.1, 0.7, 0.4]])), 4)
    0.6667

    Args:
        average: ``None`` (one score per class), ``"micro"`` (counts summed over
            classes), ``"macro"`` (mean of the class scores) or ``"weighted"`` (class
            scores weighted by their number of true labels).
        beta: the weight of recall against precision (a float > 0).
        threshold: a float in (0, 1], or None for "the top score of each row".
        name: the metric name.
        dtype: the state dtype.

    Raises:
        ValueError: an unknown ``average``, a ``beta`` or ``threshold`` that is not a
            float in range; inputs that are not 2D ``(batch_size, output_dim)``.
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in _AVERAGES:
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', "
                f"'macro', 'weighted'}}. Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid `beta` argument value. It should be a Python float. "
                f"Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    "Invalid `threshold` argument value. It should verify "
                    f"0 < threshold <= 1. Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self.built = False

    def build(self, y_true_shape, y_pred_shape):
        """Creates the count variables for ``output_dim`` classes (first update)."""
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, "
                f"output_dim). Received input shapes: y_pred.shape={y_pred_shape} and "
                f"y_true.shape={y_true_shape}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, "
                "output_dim), with output_dim fully defined (not None). Received input "
                f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_weight("true_positives", shape=shape)
        self.false_positives = self.add_weight("false_positives", shape=shape)
        self.false_negatives = self.add_weight("false_negatives", shape=shape)
        self.intermediate_weights = self.add_weight("intermediate_weights", shape=shape)
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds a batch of 0/1 labels and scores, ``(batch_size, output_dim)`` each."""
        y_true = convert_to_tensor(y_true, dtype=self._dtype)
        y_pred = convert_to_tensor(y_pred, dtype=self._dtype)
        if not self.built:
            self.build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            top = reduce_max(y_pred, axis=-1, keepdims=True)
            positive = logical_and(greater_equal(y_pred, top), greater(tf_abs(y_pred), 1e-9))
        else:
            positive = greater(y_pred, self.threshold)
        y_pred = cast(positive, self._dtype)
        if sample_weight is not None:
            sample_weight = expand_dims(cast(sample_weight, self._dtype), 1)

        def weighted_sum(values):
            if sample_weight is not None:
                values = multiply(values, sample_weight)
            return reduce_sum(values, axis=self.axis)

        self.true_positives.assign_add(weighted_sum(y_pred * y_true))
        self.false_positives.assign_add(weighted_sum(y_pred * (1.0 - y_true)))
        self.false_negatives.assign_add(weighted_sum((1.0 - y_pred) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self):
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        precision = divide_no_nan(tp, tp + fp)
        recall = divide_no_nan(tp, tp + fn)
        # beta squared in float32, as Keras squares the float32 constant.
        beta2 = np.float32(self.beta) * np.float32(self.beta)
        score = divide_no_nan(precision * recall, beta2 * precision + recall) * (
            np.float32(1.0) + beta2
        )
        if self.average == "weighted":
            weights = divide_no_nan(
                self.intermediate_weights, reduce_sum(self.intermediate_weights)
            )
            return reduce_sum(score * weights)
        if self.average is not None:
            return reduce_mean(score)
        return score

    def get_config(self) -> dict:
        return dict(
            super().get_config(), average=self.average, beta=self.beta, threshold=self.threshold
        )


class F1Score(FBetaScore):
    """:class:`FBetaScore` with ``beta=1``: the harmonic mean of precision and recall.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.F1Score(threshold=0.5)
    >>> m([[1, 0], [0, 1]], [[0.8, 0.6], [0.1, 0.7]]).numpy()
    array([1.       , 0.6666667], dtype=float32)
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config
