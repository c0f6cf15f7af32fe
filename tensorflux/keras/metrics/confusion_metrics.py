"""Metrics from thresholded confusion counts: TP/FP/TN/FN, Precision, Recall, AUC."""

from __future__ import annotations

from tensorflux.keras.metrics.confusion_utils import (
    NEG_INF,
    parse_thresholds,
    update_confusion_matrix_variables,
)
from tensorflux.keras.metrics.metric import Metric
from tensorflux.ops.math_ops import divide_no_nan
from tensorflux.ops.shape_ops import identity

__all__ = []


class _ConfusionCount(Metric):
    """One confusion count (``_KEY``) per threshold; a scalar with a single threshold."""

    _KEY = ""

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5, type(self).__name__)
        self.accumulator = self.add_weight("accumulator", shape=(len(self.thresholds),))

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {self._KEY: self.accumulator},
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            owner=type(self).__name__,
        )

    def result(self):
        return self.accumulator[0] if len(self.thresholds) == 1 else identity(self.accumulator)

    def get_config(self) -> dict:
        return dict(super().get_config(), thresholds=self.init_thresholds)


class TruePositives(_ConfusionCount):
    """Weighted count of positive labels predicted positive (``y_pred > threshold``)."""

    _KEY = "tp"


class FalsePositives(_ConfusionCount):
    """Weighted count of negative labels predicted positive."""

    _KEY = "fp"


class TrueNegatives(_ConfusionCount):
    """Weighted count of negative labels predicted negative."""

    _KEY = "tn"


class FalseNegatives(_ConfusionCount):
    """Weighted count of positive labels predicted negative."""

    _KEY = "fn"


class _PrecisionRecall(Metric):
    """``tp / (tp + other)`` per threshold, with ``top_k`` and ``class_id`` filtering."""

    _OTHER = ("", "")  # (confusion key, attribute name) of the denominator's other count

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        # With top_k, entries outside the top k sit at NEG_INF, below the default.
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_thresholds(thresholds, default, type(self).__name__)
        n = len(self.thresholds)
        self.true_positives = self.add_weight("true_positives", shape=(n,))
        key, attr = self._OTHER
        self._other = self.add_weight(attr, shape=(n,))
        setattr(self, attr, self._other)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the counts of a batch of 0/1 labels and [0, 1] predictions."""
        update_confusion_matrix_variables(
            {"tp": self.true_positives, self._OTHER[0]: self._other},
            y_true,
            y_pred,
            self.thresholds,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
            owner=type(self).__name__,
        )

    def result(self):
        value = divide_no_nan(self.true_positives, self.true_positives + self._other)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self) -> dict:
        return dict(
            super().get_config(),
            thresholds=self.init_thresholds,
            top_k=self.top_k,
            class_id=self.class_id,
        )


class Precision(_PrecisionRecall):
    """``tp / (tp + fp)``: how many predicted positives are positive.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.Precision()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    0.6666666865348816

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); a list gives
            one precision per threshold.
        top_k: count only the ``k`` highest predictions of each row as positive.
        class_id: evaluate one class of a multi-class output.
    """

    _OTHER = ("fp", "false_positives")


class Recall(_PrecisionRecall):
    """``tp / (tp + fn)``: how many positives are predicted positive.

    Takes the same arguments as :class:`Precision`.
    """

    _OTHER = ("fn", "false_negatives")
