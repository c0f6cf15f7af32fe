"""Metrics from thresholded confusion counts: TP/FP/TN/FN, Precision, Recall and the
best rate at a given other rate (``SensitivityAtSpecificity`` and friends)."""

from __future__ import annotations

from tensorflux.keras.metrics.confusion_utils import (
    NEG_INF,
    parse_thresholds,
    update_confusion_matrix_variables,
)
from tensorflux.keras.metrics.metric import Metric
from tensorflux.ops.creation_ops import zeros_like
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import greater_equal
from tensorflux.ops.math_ops import divide_no_nan
from tensorflux.ops.reduction_ops import reduce_max
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


class _AtConstraint(Metric):
    """The best ``dependent`` rate among the thresholds whose ``constrained`` rate reaches
    ``value``, over ``num_thresholds`` thresholds evenly spread over [0, 1] (0 when none
    reaches it). Subclasses name the rates in ``_RATES`` and the argument in ``_ARG``."""

    _ARG = ""
    _RATES = ("", "")  # (constrained, dependent) among "sensitivity", "specificity", ...

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        if value < 0 or value > 1:
            raise ValueError(
                f"Argument `{self._ARG}` must be in the range [0, 1]. Received: {self._ARG}={value}"
            )
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        super().__init__(name=name, dtype=dtype)
        setattr(self, self._ARG, value)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        n = num_thresholds
        self.true_positives = self.add_weight("true_positives", shape=(n,))
        self.true_negatives = self.add_weight("true_negatives", shape=(n,))
        self.false_positives = self.add_weight("false_positives", shape=(n,))
        self.false_negatives = self.add_weight("false_negatives", shape=(n,))
        if n == 1:
            self.thresholds = [0.5]
        else:
            self.thresholds = [0.0] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0]

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the confusion counts of a batch of 0/1 labels and [0, 1] predictions."""
        update_confusion_matrix_variables(
            {
                "tp": self.true_positives,
                "tn": self.true_negatives,
                "fp": self.false_positives,
                "fn": self.false_negatives,
            },
            y_true,
            y_pred,
            self.thresholds,
            class_id=self.class_id,
            sample_weight=sample_weight,
            owner=type(self).__name__,
            thresholds_distributed_evenly=self.num_thresholds > 1,
        )

    def _rate(self, kind):
        tp, tn = self.true_positives, self.true_negatives
        fp, fn = self.false_positives, self.false_negatives
        if kind == "sensitivity":  # also the recall
            return divide_no_nan(tp, tp + fn)
        if kind == "specificity":
            return divide_no_nan(tn, tn + fp)
        return divide_no_nan(tp, tp + fp)

    def result(self):
        constrained, dependent = (self._rate(k) for k in self._RATES)
        feasible = greater_equal(constrained, self.value)
        # Rates are >= 0, so zeros for the infeasible thresholds leave the maximum over
        # the feasible ones unchanged, and give 0 when none is feasible.
        return reduce_max(where(feasible, dependent, zeros_like(dependent)))

    def get_config(self) -> dict:
        return dict(
            super().get_config(),
            class_id=self.class_id,
            num_thresholds=self.num_thresholds,
            **{self._ARG: self.value},
        )


class SensitivityAtSpecificity(_AtConstraint):
    """The best sensitivity (recall) among the thresholds reaching ``specificity``.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.SensitivityAtSpecificity(0.5)
    >>> float(m([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]))
    0.5

    Args:
        specificity: the specificity to reach, in [0, 1].
        num_thresholds: how many thresholds evenly spread over [0, 1] to try.
        class_id: evaluate one class of a multi-class output.

    Raises:
        ValueError: ``specificity`` outside [0, 1] or ``num_thresholds`` below 1.
    """

    _ARG = "specificity"
    _RATES = ("specificity", "sensitivity")

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)


class SpecificityAtSensitivity(_AtConstraint):
    """The best specificity among the thresholds reaching ``sensitivity``.

    Arguments as :class:`SensitivityAtSpecificity`, with ``sensitivity`` to reach.
    """

    _ARG = "sensitivity"
    _RATES = ("sensitivity", "specificity")

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)


class PrecisionAtRecall(_AtConstraint):
    """The best precision among the thresholds reaching ``recall``.

    Arguments as :class:`SensitivityAtSpecificity`, with ``recall`` to reach.
    """

    _ARG = "recall"
    _RATES = ("sensitivity", "precision")

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)


class RecallAtPrecision(_AtConstraint):
    """The best recall among the thresholds reaching ``precision``.

    Arguments as :class:`SensitivityAtSpecificity`, with ``precision`` to reach.
    """

    _ARG = "precision"
    _RATES = ("precision", "sensitivity")

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
