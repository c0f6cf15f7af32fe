"""Focal cross-entropies (Lin et al., 2017): cross-entropy scaled down on easy examples.

Each entry's cross-entropy is multiplied by ``(1 - p_t) ** gamma``, where ``p_t`` is the
probability given to the true class, so well-classified entries contribute little and
training concentrates on the hard ones; ``gamma = 0`` gives the plain cross-entropy.
"""

from __future__ import annotations

import warnings

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.losses.loss import LossFunctionWrapper
from tensorflux.keras.losses.loss_utils import Reduction, epsilon, prepare
from tensorflux.keras.losses.probabilistic import binary_crossentropy_elements, logits_of
from tensorflux.ops.clip_ops import clip_by_value
from tensorflux.ops.math_ops import cast, multiply, pow
from tensorflux.ops.nn_ops import sigmoid, softmax
from tensorflux.ops.reduction_ops import reduce_mean, reduce_sum
from tensorflux.ops.shape_ops import shape
from tensorflux.ops.unary_math_ops import log

__all__ = []


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary cross-entropy times ``(1 - p_t) ** gamma``, averaged over ``axis``.

    ``p_t`` is ``y_pred`` for positive labels and ``1 - y_pred`` for negative ones.

    >>> import tensorflux as tf
    >>> loss = tf.keras.losses.binary_focal_crossentropy([[0, 1]], [[0.6, 0.4]], gamma=2)
    >>> [round(float(v), 3) for v in loss]
    [0.33]

    Args:
        y_true: 0/1 labels (cast to ``y_pred``'s dtype).
        y_pred: probabilities, or logits when ``from_logits``.
        apply_class_balancing: also weigh positive entries by ``alpha`` and negative
            ones by ``1 - alpha``.
        alpha: the positive class weight of ``apply_class_balancing``.
        gamma: the focusing exponent.
        from_logits: ``y_pred`` holds logits.
        label_smoothing: moves labels towards 0.5: ``y * (1 - s) + 0.5 * s``.
        axis: the axis the mean is taken over.

    Returns:
        The loss per sample (``y_pred``'s shape without ``axis``).
    """
    y_true, y_pred = prepare(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    prob = sigmoid(y_pred) if from_logits else y_pred
    p_t = multiply(y_true, prob) + multiply(1.0 - y_true, 1.0 - prob)
    focal = multiply(
        pow(1.0 - p_t, cast(gamma, y_pred.dtype)),
        binary_crossentropy_elements(y_true, y_pred, from_logits),
    )
    if apply_class_balancing:
        focal = multiply(y_true * alpha + (1.0 - y_true) * (1.0 - alpha), focal)
    return reduce_mean(focal, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical cross-entropy with each class term scaled by ``alpha * (1 - p) ** gamma``.

    Probabilities are renormalised to sum to 1 along ``axis`` and clipped to
    ``[epsilon, 1 - epsilon]`` first.

    >>> import tensorflux as tf
    >>> loss = tf.keras.losses.categorical_focal_crossentropy([[0, 1, 0]], [[0.05, 0.9, 0.05]])
    >>> round(float(loss[0]), 6)
    0.000263

    Args:
        y_true: one-hot (or soft) labels of ``y_pred``'s shape.
        y_pred: probabilities, or logits when ``from_logits``.
        alpha: a weight for every class (a float), or one per class (a list).
        gamma: the focusing exponent.
        from_logits: ``y_pred`` holds logits.
        label_smoothing: labels become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Returns:
        The loss per sample.

    Raises:
        ValueError: ``axis`` a bool, or labels and predictions of incompatible shapes.
    """
    if isinstance(axis, bool):
        raise ValueError(
            f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}"
        )
    y_true, y_pred = prepare(y_true, y_pred)
    if y_pred.shape.rank and y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_focal_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' if you "
            "only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = y_true.shape[-1]
        if num_classes is None:
            num_classes = cast(shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    y_true.shape.assert_is_compatible_with(y_pred.shape)
    y_pred, from_logits = logits_of(
        y_pred, from_logits, "Softmax", "categorical_focal_crossentropy"
    )
    if from_logits:
        y_pred = softmax(y_pred, axis=axis)
    eps = epsilon()
    p = y_pred / reduce_sum(y_pred, axis=axis, keepdims=True)
    p = clip_by_value(p, eps, 1.0 - eps)
    factor = multiply(pow(1.0 - p, cast(gamma, p.dtype)), convert_to_tensor(alpha, dtype=p.dtype))
    return reduce_sum(multiply(factor, -multiply(y_true, log(p))), axis=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Focal cross-entropy for 0/1 labels (``"binary_focal_crossentropy"``).

    >>> import tensorflux as tf
    >>> loss = tf.keras.losses.BinaryFocalCrossentropy(gamma=2.0)
    >>> round(float(loss([[0.0, 1.0]], [[0.4, 0.6]])), 4)
    0.0817

    Args: see :func:`binary_focal_crossentropy`; ``reduction`` and ``name`` as for
    every :class:`Loss`.
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=Reduction.AUTO,
        name="binary_focal_crossentropy",
    ):
        super().__init__(
            binary_focal_crossentropy,
            reduction=reduction,
            name=name,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Focal cross-entropy for one-hot labels (``"categorical_focal_crossentropy"``).

    >>> import tensorflux as tf
    >>> loss = tf.keras.losses.CategoricalFocalCrossentropy()
    >>> round(float(loss([[0.0, 1.0, 0.0]], [[0.1, 0.8, 0.1]])), 4)
    0.0022

    Args: see :func:`categorical_focal_crossentropy`; ``reduction`` and ``name`` as
    for every :class:`Loss`.
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=Reduction.AUTO,
        name="categorical_focal_crossentropy",
    ):
        super().__init__(
            categorical_focal_crossentropy,
            reduction=reduction,
            name=name,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.alpha = alpha
        self.gamma = gamma
