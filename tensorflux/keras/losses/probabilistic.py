"""Probabilistic losses: binary/categorical/sparse cross-entropy, KL divergence, Poisson.

Probabilities are clipped to ``[epsilon, 1 - epsilon]`` (``keras.backend.epsilon()``,
1e-7) before taking logs, as Keras does, so a confident wrong prediction gives a
large finite loss; ``from_logits=True`` uses the exact fused ops instead.
"""

from __future__ import annotations

import warnings

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.losses.loss import LossFunctionWrapper
from tensorflux.keras.losses.loss_utils import Reduction, epsilon, prepare
from tensorflux.ops.clip_ops import clip_by_value
from tensorflux.ops.cross_entropy_ops import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)
from tensorflux.ops.gather_ops import where
from tensorflux.ops.logic_ops import not_equal
from tensorflux.ops.math_ops import cast, multiply, subtract
from tensorflux.ops.reduction_ops import reduce_mean, reduce_sum
from tensorflux.ops.shape_ops import reshape, shape, transpose
from tensorflux.ops.unary_math_ops import log

__all__ = []


def logits_of(y_pred, from_logits: bool, activation: str, loss_name: str):
    """``(y_pred, from_logits)``, switched to the logits when ``y_pred`` is the output of a
    softmax or sigmoid that remembers them (Keras' activations, or a traced op), as
    tf_keras does: the loss is then exact, and saturated probabilities still train."""
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None:
        return y_pred, from_logits
    if from_logits:
        warnings.warn(
            f'"`{loss_name}` received `from_logits=True`, but the `output` argument '
            f"was produced by a {activation} activation and thus does not represent "
            f"logits. Was this intended?",
            stacklevel=3,
        )
    return logits, True


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy averaged over ``axis``.

    Args:
        y_true: labels in [0, 1] (cast to ``y_pred``'s dtype).
        y_pred: probabilities, or logits when ``from_logits``.
        label_smoothing: moves labels towards 0.5: ``y * (1 - s) + 0.5 * s``.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return reduce_mean(binary_crossentropy_elements(y_true, y_pred, from_logits), axis=axis)


def binary_crossentropy_elements(y_true, y_pred, from_logits=False):
    """Element-wise binary cross-entropy of labels already cast to ``y_pred``'s dtype
    (``keras.backend.binary_crossentropy``)."""
    y_pred, from_logits = logits_of(y_pred, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    eps = epsilon()
    p = clip_by_value(y_pred, eps, 1.0 - eps)
    # The extra +eps inside the logs is Keras 2's formula; kept for equal values.
    return -(multiply(y_true, log(p + eps)) + multiply(1.0 - y_true, log(1.0 - p + eps)))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Cross-entropy between one-hot (or soft) labels and predictions along ``axis``.

    Probabilities are renormalised to sum to 1 along ``axis`` before clipping.

    Raises:
        ValueError: ``y_true`` and ``y_pred`` of different shapes (e.g. integer class
            labels, which need ``sparse_categorical_crossentropy``).
    """
    y_pred, from_logits = logits_of(y_pred, from_logits, "Softmax", "categorical_crossentropy")
    y_true, y_pred = prepare(y_true, y_pred)
    if not y_true.shape.is_compatible_with(y_pred.shape):
        raise ValueError(
            f"categorical_crossentropy expects one-hot labels with the shape of the "
            f"predictions, but received y_true shape {tuple(y_true.shape.as_list())} and "
            f"y_pred shape {tuple(y_pred.shape.as_list())} (Shapes {y_true.shape} and "
            f"{y_pred.shape} are incompatible). For integer class labels use "
            f"SparseCategoricalCrossentropy (loss='sparse_categorical_crossentropy'), or "
            f"one-hot encode the labels with tf.one_hot / keras.utils.to_categorical."
        )
    if label_smoothing:
        num_classes = float(y_true.shape[-1])
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        return softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred, axis=axis)
    eps = epsilon()
    p = y_pred / reduce_sum(y_pred, axis=axis, keepdims=True)
    p = clip_by_value(p, eps, 1.0 - eps)
    return -reduce_sum(multiply(y_true, log(p)), axis=axis)


def sparse_categorical_crossentropy_with_mask(y_true, y_pred, from_logits, axis, ignore_class):
    """:func:`sparse_categorical_crossentropy` and the boolean mask of entries whose label
    is not ``ignore_class`` (None without ``ignore_class``)."""
    y_pred, from_logits = logits_of(
        y_pred, from_logits, "Softmax", "sparse_categorical_crossentropy"
    )
    y_pred = convert_to_tensor(y_pred)
    labels = cast(y_true, dtypes.int64)
    rank = len(y_pred.shape)
    if axis % rank != rank - 1:
        perm = [d for d in range(rank) if d != axis % rank] + [axis % rank]
        y_pred = transpose(y_pred, perm)
    out_shape = y_pred.shape.as_list()
    rows = y_pred.shape[:-1].num_elements()
    given = labels.shape.num_elements()
    if rows is not None and given is not None and given != rows:
        raise ValueError(
            f"sparse_categorical_crossentropy expects integer class labels, one per "
            f"prediction row (shape {tuple(out_shape[:-1])} or {tuple(out_shape[:-1] + [1])}), "
            f"but received y_true shape {tuple(labels.shape.as_list())} and y_pred shape "
            f"{tuple(out_shape)}. For one-hot labels use CategoricalCrossentropy "
            f"(loss='categorical_crossentropy')."
        )
    labels = reshape(labels, [-1])
    logits = reshape(y_pred, [-1, out_shape[-1]])
    if not from_logits:
        eps = epsilon()
        logits = log(clip_by_value(logits, eps, 1.0 - eps))
    valid = None
    if ignore_class is not None:
        valid = not_equal(labels, ignore_class)
        labels = multiply(labels, cast(valid, labels.dtype))
    loss = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    # Inside a trace with unknown sizes, the shape to restore comes from the running graph.
    rows_shape = out_shape[:-1] if None not in out_shape[:-1] else shape(y_pred)[:-1]
    if valid is not None:
        loss = where(valid, loss, 0.0)
        valid = reshape(valid, rows_shape)
    return reshape(loss, rows_shape), valid


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1, ignore_class=None):
    """Cross-entropy between integer class labels and predictions.

    Args:
        y_true: class indices, shape ``y_pred.shape[:-1]`` (a trailing 1 is accepted).
        y_pred: probabilities (or logits when ``from_logits``) with classes on ``axis``.
        ignore_class: a label value whose entries get zero loss.

    Raises:
        ValueError: labels that are not one per prediction row (e.g. one-hot labels).
        InvalidArgumentError: a label outside ``[0, num_classes)``.
    """
    losses, _ = sparse_categorical_crossentropy_with_mask(
        y_true, y_pred, from_logits, axis, ignore_class
    )
    return losses


def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)`` with both clipped to ``[eps, 1]``."""
    y_true, y_pred = prepare(y_true, y_pred)
    eps = epsilon()
    y_true = clip_by_value(y_true, eps, 1.0)
    y_pred = clip_by_value(y_pred, eps, 1.0)
    return reduce_sum(multiply(y_true, log(y_true / y_pred)), axis=-1)


def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + eps), axis=-1)``."""
    y_true, y_pred = prepare(y_true, y_pred)
    return reduce_mean(subtract(y_pred, multiply(y_true, log(y_pred + epsilon()))), axis=-1)


class BinaryCrossentropy(LossFunctionWrapper):
    """Cross-entropy for 0/1 labels (``"binary_crossentropy"``).

    >>> import tensorflux as tf
    >>> bce = tf.keras.losses.BinaryCrossentropy()
    >>> round(float(bce([[0.0, 1.0]], [[0.4, 0.6]])), 4)
    0.5108
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=Reduction.AUTO,
        name="binary_crossentropy",
    ):
        super().__init__(
            binary_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for one-hot labels (``"categorical_crossentropy"``).

    >>> import tensorflux as tf
    >>> cce = tf.keras.losses.CategoricalCrossentropy()
    >>> round(float(cce([[0.0, 1.0, 0.0]], [[0.1, 0.8, 0.1]])), 4)
    0.2231
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=Reduction.AUTO,
        name="categorical_crossentropy",
    ):
        super().__init__(
            categorical_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for integer class labels (``"sparse_categorical_crossentropy"``).

    With ``ignore_class``, entries labelled with it get no loss and the default
    reduction averages over the remaining entries only.

    >>> import tensorflux as tf
    >>> scce = tf.keras.losses.SparseCategoricalCrossentropy()
    >>> round(float(scce([1], [[0.1, 0.8, 0.1]])), 4)
    0.2231
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction=Reduction.AUTO,
        name="sparse_categorical_crossentropy",
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            ignore_class=ignore_class,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def _losses_and_mask(self, y_true, y_pred):
        return sparse_categorical_crossentropy_with_mask(
            y_true, y_pred, self.from_logits, -1, self.ignore_class
        )


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred))``."""

    def __init__(self, reduction=Reduction.AUTO, name="kl_divergence"):
        super().__init__(kl_divergence, reduction=reduction, name=name)


class Poisson(LossFunctionWrapper):
    """Poisson loss ``mean(y_pred - y_true * log(y_pred))``."""

    def __init__(self, reduction=Reduction.AUTO, name="poisson"):
        super().__init__(poisson, reduction=reduction, name=name)


# Keras' other names for the KL divergence.
kld = KLD = kullback_leibler_divergence = kl_divergence
