"""``keras.metrics.AUC``: area under the ROC or precision-recall curve."""

from __future__ import annotations

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.metrics.confusion_utils import update_confusion_matrix_variables
from tensorflux.keras.metrics.metric import Metric
from tensorflux.ops.creation_ops import ones_like
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import greater, logical_and
from tensorflux.ops.math_ops import divide_no_nan, maximum, minimum, multiply
from tensorflux.ops.nn_ops import sigmoid
from tensorflux.ops.reduction_ops import reduce_mean, reduce_sum
from tensorflux.ops.unary_math_ops import log

__all__ = []

_CURVES = {"roc": "ROC", "pr": "PR"}
_SUMMATIONS = ("interpolation", "minoring", "majoring")


class AUC(Metric):
    """Area under the ROC (or PR) curve, from confusion counts at fixed thresholds.

    The curve is sampled at ``num_thresholds`` thresholds spread evenly over [0, 1]
    (plus -eps and 1+eps so every prediction falls inside) and integrated with a
    Riemann sum: ``"interpolation"`` uses trapezoids (for PR, Davis & Goadrich's
    interpolation of precision), ``"minoring"``/``"majoring"`` the lower/upper step.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.AUC(num_thresholds=3)
    >>> float(m([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]))
    0.75

    Args:
        num_thresholds: number of thresholds (> 1).
        curve: ``"ROC"`` or ``"PR"``.
        summation_method: ``"interpolation"``, ``"minoring"`` or ``"majoring"``.
        thresholds: explicit thresholds in [0, 1] instead of evenly spaced ones.
        multi_label: treat each column as its own label and average the AUCs.
        num_labels: number of labels for ``multi_label`` (else taken from the first batch).
        label_weights: per-label weights (average of per-label AUCs with
            ``multi_label``, weights of the entries otherwise).
        from_logits: apply a sigmoid to the predictions first.

    Raises:
        ValueError: bad ``num_thresholds``, ``curve`` or ``summation_method``.
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        super().__init__(name=name, dtype=dtype)
        if str(curve).lower() not in _CURVES:
            raise ValueError(f'AUC: invalid curve "{curve}"; expected "ROC" or "PR".')
        if str(summation_method).lower() not in _SUMMATIONS:
            raise ValueError(
                f'AUC: invalid summation method "{summation_method}"; expected '
                f"one of {list(_SUMMATIONS)}."
            )
        self.curve = _CURVES[str(curve).lower()]
        self.summation_method = str(summation_method).lower()
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(inner) + 2
        else:
            if num_thresholds <= 1:
                raise ValueError(f"AUC: `num_thresholds` must be > 1, received {num_thresholds}.")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        eps = 1e-7
        self.thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (
            None if label_weights is None else convert_to_tensor(label_weights, dtype=self._dtype)
        )
        self._from_logits = from_logits
        self._built = False
        if not multi_label or num_labels is not None:
            self._build(num_labels if multi_label else None)

    def _build(self, num_labels):
        # Multi-label state is [thresholds, labels]; without num_labels it is created on the
        # first update (the first trace under tf.function).
        shape = (self.num_thresholds,) if num_labels is None else (self.num_thresholds, num_labels)
        self.true_positives = self.add_weight("true_positives", shape=shape)
        self.true_negatives = self.add_weight("true_negatives", shape=shape)
        self.false_positives = self.add_weight("false_positives", shape=shape)
        self.false_negatives = self.add_weight("false_negatives", shape=shape)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the confusion counts of a batch of 0/1 labels and predictions."""
        y_pred = convert_to_tensor(y_pred)
        if not self._built:
            self._build(y_pred.shape[-1])
        if self._from_logits:
            y_pred = sigmoid(y_pred)
        update_confusion_matrix_variables(
            {
                "tp": self.true_positives,
                "fp": self.false_positives,
                "tn": self.true_negatives,
                "fn": self.false_negatives,
            },
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            owner="AUC",
        )

    def _interpolate_pr_auc(self):
        tp, fp, fn = (
            convert_to_tensor(v)
            for v in (self.true_positives, self.false_positives, self.false_negatives)
        )
        n = self.num_thresholds
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        slope = divide_no_nan(dtp, maximum(dp, 0.0))
        intercept = tp[1:] - multiply(slope, p[1:])
        both_positive = logical_and(greater(p[: n - 1], 0.0), greater(p[1:], 0.0))
        safe_ratio = where(
            both_positive, divide_no_nan(p[: n - 1], maximum(p[1:], 0.0)), ones_like(p[1:])
        )
        return divide_no_nan(
            multiply(slope, dtp + multiply(intercept, log(safe_ratio))),
            maximum(tp[1:] + fn[1:], 0.0),
        )

    def _riemann_terms(self):
        tp, fp, tn, fn = (
            convert_to_tensor(v)
            for v in (
                self.true_positives,
                self.false_positives,
                self.true_negatives,
                self.false_negatives,
            )
        )
        n = self.num_thresholds
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = minimum(y[: n - 1], y[1:])
        else:
            heights = maximum(y[: n - 1], y[1:])
        return multiply(x[: n - 1] - x[1:], heights)

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            terms = self._interpolate_pr_auc()
        else:
            terms = self._riemann_terms()
        if not self.multi_label:
            return reduce_sum(terms)
        by_label = reduce_sum(terms, axis=0)
        if self.label_weights is None:
            return reduce_mean(by_label)
        return divide_no_nan(
            reduce_sum(multiply(by_label, self.label_weights)), reduce_sum(self.label_weights)
        )

    def get_config(self) -> dict:
        config = dict(
            super().get_config(),
            num_thresholds=self.num_thresholds,
            curve=self.curve,
            summation_method=self.summation_method,
            multi_label=self.multi_label,
            num_labels=self.num_labels,
            label_weights=(
                None if self.label_weights is None else self.label_weights.numpy().tolist()
            ),
            from_logits=self._from_logits,
        )
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
