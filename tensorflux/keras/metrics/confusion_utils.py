"""Thresholded confusion-matrix counts shared by Precision, Recall, AUC and friends."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.losses.loss_utils import squeeze_or_expand_dimensions
from tensorflux.ops.check_ops import assert_greater_equal, assert_less_equal
from tensorflux.ops.creation_ops import one_hot
from tensorflux.ops.logic_ops import greater, logical_and, logical_not
from tensorflux.ops.math_ops import cast, multiply
from tensorflux.ops.nn_ops import top_k as tf_top_k
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import broadcast_to, expand_dims, reshape

__all__ = []

NEG_INF = -1e10


def parse_thresholds(thresholds, default, owner: str) -> list:
    """``thresholds`` (a float, a list or None) as a list of floats in [0, 1].

    Raises:
        ValueError: a threshold outside [0, 1].
    """
    if thresholds is None:
        return [default]
    values = [float(t) for t in np.ravel(thresholds)]
    bad = [t for t in values if not 0.0 <= t <= 1.0]
    if bad:
        raise ValueError(f"{owner}: thresholds must be in [0, 1], received {bad}.")
    return values


def _filter_top_k(x, k):
    # Everything outside the k highest scores of a row drops below every threshold.
    _, idx = tf_top_k(x, k, sorted=False)
    mask = reduce_sum(one_hot(idx, x.shape[-1], dtype=x.dtype), axis=-2)
    return multiply(x, mask) + NEG_INF * (1.0 - mask)


def update_confusion_matrix_variables(
    variables: dict,
    y_true,
    y_pred,
    thresholds,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    owner: str = "metric",
    thresholds_distributed_evenly=False,
) -> None:
    """Adds this batch's (weighted) counts to the ``"tp"``/``"fp"``/``"tn"``/``"fn"``
    variables given, one count per threshold (and per label when ``multi_label``).

    A prediction is positive at threshold ``t`` when ``y_pred > t``; labels are
    positive when non-zero. With ``thresholds_distributed_evenly`` (thresholds
    ``i / (n - 1)``), the test is ``y_pred * (n - 1) > i``, Keras' bucketing of such
    thresholds, which settles predictions that sit on a threshold as Keras does.

    Raises:
        InvalidArgumentError: predictions outside [0, 1].
        ValueError: labels and predictions of incompatible shapes.
    """
    y_true = cast(y_true, "float32")
    y_pred = cast(y_pred, "float32")
    assert_greater_equal(y_pred, 0.0, message=f"{owner}: predictions must be >= 0")
    assert_less_equal(y_pred, 1.0, message=f"{owner}: predictions must be <= 1")
    if sample_weight is None:
        y_pred, y_true = squeeze_or_expand_dimensions(y_pred, y_true)
    else:
        y_pred, y_true, sample_weight = squeeze_or_expand_dimensions(
            y_pred, y_true, cast(sample_weight, "float32")
        )
    if not y_pred.shape.is_compatible_with(y_true.shape):
        raise ValueError(
            f"{owner} expects labels and predictions of the same shape, received "
            f"y_true {tuple(y_true.shape.as_list())} and y_pred "
            f"{tuple(y_pred.shape.as_list())}."
        )
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        # Keep the class axis so per-sample weights still line up with the rows.
        y_true = y_true[..., class_id : class_id + 1]
        y_pred = y_pred[..., class_id : class_id + 1]
    shape = y_pred.shape.as_list()
    weights = None
    if sample_weight is not None:
        weights = broadcast_to(sample_weight, shape)
    if label_weights is not None:
        lw = broadcast_to(cast(convert_to_tensor(label_weights), "float32"), shape)
        weights = lw if weights is None else multiply(weights, lw)
    thresholds = np.asarray(thresholds, np.float32)
    if thresholds_distributed_evenly:
        y_pred = y_pred * float(len(thresholds) - 1)
        thresholds = np.arange(len(thresholds), dtype=np.float32)
    if multi_label:
        # [T, N, L] comparisons reduced over the batch axis -> [T, L].
        thresh = convert_to_tensor(thresholds.reshape(-1, 1, 1))
        preds, labels = expand_dims(y_pred, 0), expand_dims(y_true, 0)
        weights = None if weights is None else expand_dims(weights, 0)
    else:
        thresh = convert_to_tensor(thresholds.reshape(-1, 1))
        preds, labels = reshape(y_pred, [1, -1]), reshape(y_true, [1, -1])
        weights = None if weights is None else reshape(weights, [1, -1])
    pred_pos = greater(preds, thresh)
    label_pos = cast(labels, "bool")
    conditions = {
        "tp": (label_pos, pred_pos),
        "fp": (logical_not(label_pos), pred_pos),
        "tn": (logical_not(label_pos), logical_not(pred_pos)),
        "fn": (label_pos, logical_not(pred_pos)),
    }
    for key, var in variables.items():
        label_cond, pred_cond = conditions[key]
        hits = cast(logical_and(label_cond, pred_cond), var.dtype)
        if weights is not None:
            hits = multiply(hits, cast(weights, var.dtype))
        var.assign_add(reduce_sum(hits, axis=1))
