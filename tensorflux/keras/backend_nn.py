"""``tf.keras.backend`` neural-network functions: activations, dropout, the
cross-entropy losses on raw tensors, and batch normalization.

The losses are Keras 2's backend formulas, not the ``keras.losses`` functions: no
mean over the last axis, no label smoothing, and probabilities clipped to
``[epsilon, 1 - epsilon]`` before the log (``binary_crossentropy`` also adds
``epsilon`` inside its logs). A softmax or sigmoid output that remembers its logits
(``K.softmax``, Keras activations) is scored from the logits, as in Keras.
"""

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.backend import _on_keras_tensors, _seed, epsilon, ndim, sigmoid
from tensorflux.keras.losses.probabilistic import (
    logits_of,
    sparse_categorical_crossentropy_with_mask,
)
from tensorflux.ops import (
    clip_ops,
    creation_ops,
    cross_entropy_ops,
    gather_ops,
    joining_ops,
    logic_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    shape_ops,
    unary_math_ops,
)
from tensorflux.ops.fused_batch_norm_ops import fused_batch_norm_v3

__all__ = [
    "batch_normalization",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "dropout",
    "elu",
    "hard_sigmoid",
    "in_top_k",
    "normalize_batch_in_training",
    "softplus",
    "softsign",
    "sparse_categorical_crossentropy",
]

# --- activations ------------------------------------------------------------------------


@_on_keras_tensors()
def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    >>> elu(np.array([-1.0, 2.0]), alpha=0.5).numpy()
    array([-0.31606028,  2.        ])
    """
    x = convert_to_tensor(x)
    res = nn_ops.elu(x)
    if alpha == 1:
        return res
    return gather_ops.where(logic_ops.greater(x, _const(0, x.dtype)), res, alpha * res)


@_on_keras_tensors("math.softplus")
def softplus(x):
    """Elementwise ``log(exp(x) + 1)``."""
    return nn_ops.softplus(x)


@_on_keras_tensors("math.softsign")
def softsign(x):
    """Elementwise ``x / (abs(x) + 1)``."""
    return nn_ops.softsign(x)


@_on_keras_tensors()
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: ``clip(0.2 * x + 0.5, 0, 1)``.

    >>> hard_sigmoid(np.array([-3.0, 0.0, 1.0], np.float32)).numpy()
    array([0. , 0.5, 0.7], dtype=float32)
    """
    x = convert_to_tensor(x)
    y = math_ops.add(math_ops.multiply(x, _const(0.2, x.dtype)), _const(0.5, x.dtype))
    return clip_ops.clip_by_value(y, 0.0, 1.0)


@_on_keras_tensors()
def dropout(x, level, noise_shape=None, seed=None):
    """``x`` with each entry zeroed with probability ``level`` and the others scaled by
    ``1 / (1 - level)`` (``tf.nn.dropout``); a missing ``seed`` is drawn from NumPy's
    global generator, as Keras does."""
    return nn_ops.dropout(x, rate=level, noise_shape=noise_shape, seed=_seed(seed))


@_on_keras_tensors()
def in_top_k(predictions, targets, k):
    """Whether each ``targets[i]`` is among the ``k`` largest ``predictions[i]`` (bool).

    >>> in_top_k(np.array([[0.1, 0.9], [0.8, 0.2]], np.float32), [1, 1], 1).numpy()
    array([ True, False])
    """
    return nn_ops.in_top_k(targets, predictions, k)


def _const(value, dtype):
    return convert_to_tensor(np.asarray(value, dtype=dtypes.as_dtype(dtype).as_numpy_dtype))


# --- losses -----------------------------------------------------------------------------


def _clipped(output):
    eps = _const(epsilon(), output.dtype)
    return clip_ops.clip_by_value(output, eps, 1.0 - eps)


def _check_same_shape(target, output):
    if not target.shape.is_compatible_with(output.shape):
        raise ValueError(f"Shapes {target.shape} and {output.shape} are incompatible")


@_on_keras_tensors()
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) ``target`` and ``output`` along ``axis``.

    ``output`` holds probabilities (renormalised to sum to 1, then clipped) unless
    ``from_logits``.

    >>> categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.5, 0.5]])).numpy()
    array([0.69314718])

    Raises:
        ValueError: ``target`` and ``output`` of incompatible shapes.
    """
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    _check_same_shape(target, output)
    output, from_logits = logits_of(output, from_logits, "Softmax", "categorical_crossentropy")
    if from_logits:
        return cross_entropy_ops.softmax_cross_entropy_with_logits(
            labels=target, logits=output, axis=axis
        )
    output = output / reduction_ops.reduce_sum(output, axis, True)
    return -reduction_ops.reduce_sum(target * unary_math_ops.log(_clipped(output)), axis)


@_on_keras_tensors()
def categorical_focal_crossentropy(
    target, output, alpha=0.25, gamma=2.0, from_logits=False, axis=-1
):
    """Focal cross-entropy: each class term of the categorical cross-entropy weighted
    by ``alpha * (1 - p) ** gamma``, which shrinks the loss of well-classified samples.

    Raises:
        ValueError: ``target`` and ``output`` of incompatible shapes.
    """
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    _check_same_shape(target, output)
    output, from_logits = logits_of(
        output, from_logits, "Softmax", "categorical_focal_crossentropy"
    )
    if from_logits:
        output = nn_ops.softmax(output, axis=axis)
    output = _clipped(output / reduction_ops.reduce_sum(output, axis=axis, keepdims=True))
    cce = -target * unary_math_ops.log(output)
    weight = math_ops.multiply(math_ops.pow(1.0 - output, gamma), alpha)
    return reduction_ops.reduce_sum(math_ops.multiply(weight, cce), axis=axis)


@_on_keras_tensors()
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1, ignore_class=None):
    """Cross-entropy between integer class ``target`` and ``output`` (classes on ``axis``).

    With ``ignore_class``, entries of that label get a loss of 0 and the result carries
    the mask of the others as ``_keras_mask``.

    >>> sparse_categorical_crossentropy([1], np.array([[0.5, 0.5]], np.float32)).numpy()
    array([0.6931472], dtype=float32)

    Raises:
        InvalidArgumentError: a label outside ``[0, num_classes)``.
    """
    res, valid = sparse_categorical_crossentropy_with_mask(
        target, output, from_logits, axis, ignore_class
    )
    if valid is not None:
        res._keras_mask = valid
    return res


@_on_keras_tensors()
def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy (no mean over any axis).

    >>> binary_crossentropy(np.array([1.0]), np.array([0.5])).numpy()
    array([0.69314698])
    """
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    output, from_logits = logits_of(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return cross_entropy_ops.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = _clipped(output)
    # Keras 2 also adds epsilon inside the logs; kept for equal values.
    bce = target * unary_math_ops.log(output + epsilon())
    bce += (1 - target) * unary_math_ops.log(1 - output + epsilon())
    return -bce


@_on_keras_tensors()
def binary_focal_crossentropy(
    target, output, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False
):
    """Binary cross-entropy weighted by ``(1 - p_t) ** gamma``, ``p_t`` being the
    probability given to the true class; with ``apply_class_balancing`` also by
    ``alpha`` for positives and ``1 - alpha`` for negatives."""
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    probs = sigmoid(output) if from_logits else output
    p_t = target * probs + (1 - target) * (1 - probs)
    focal = math_ops.pow(1.0 - p_t, gamma)
    loss = focal * binary_crossentropy(target, output, from_logits=from_logits)
    if apply_class_balancing:
        loss = (target * alpha + (1 - target) * (1 - alpha)) * loss
    return loss


# --- batch normalization ----------------------------------------------------------------


@_on_keras_tensors()
def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta``; ``beta``/``gamma`` may be None.

    For 4-D ``x`` normalised along axis 3 or 1 (channels last or first) Keras runs
    TF's fused kernel (``FusedBatchNormV3``), which takes per-channel parameters
    (flattened here for channels last; channels first takes them as given, so they must
    be present and 1-D); other ranks broadcast the parameters as given.

    >>> x = np.array([[1.0, 3.0]], np.float32)
    >>> batch_normalization(x, np.float32(2.0), np.float32(1.0), None, None).numpy()
    array([[-0.9995004,  0.9995005]], dtype=float32)
    """
    x = convert_to_tensor(x)
    if ndim(x) == 4 and axis in (3, -1, 1, -3):
        if axis in (3, -1):
            mean, var = shape_ops.reshape(mean, [-1]), shape_ops.reshape(var, [-1])
            beta = creation_ops.zeros_like(mean) if beta is None else shape_ops.reshape(beta, [-1])
            gamma = (
                creation_ops.ones_like(mean) if gamma is None else shape_ops.reshape(gamma, [-1])
            )
        else:
            # Without NCHW kernels (CPU) Keras hands the parameters to the fused op as
            # given: they must be present.
            for name, t in (("scale", gamma), ("offset", beta)):
                if t is None:
                    raise ValueError(
                        f"Attempt to convert a value (None) with an unsupported type "
                        f"(<class 'NoneType'>) to a Tensor. K.batch_normalization needs "
                        f"`{name}` (gamma/beta) for 4-D channels-first inputs."
                    )
        data_format = "NHWC" if axis in (3, -1) else "NCHW"
        return fused_batch_norm_v3(
            x, gamma, beta, mean, var, epsilon, data_format=data_format, is_training=False
        )[0]
    return nn_ops.batch_normalization(x, mean, var, beta, gamma, epsilon)


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):
    """Normalises ``x`` with the mean and variance of the batch over ``reduction_axes``.

    Returns:
        ``(normalized, mean, variance)``, the statistics without the reduced axes. For
        4-D ``x`` reduced over ``[0, 1, 2]`` (channels last) Keras uses TF's fused
        training kernel (``FusedBatchNormV3``): it reports the unbiased (``n - 1``)
        variance.
    """
    x = convert_to_tensor(x)
    rank = ndim(x)
    axes = list(reduction_axes)
    if rank == 4 and axes == [0, 1, 2]:
        channels = x.shape[3]
        if gamma is None:
            gamma = creation_ops.ones([channels], x.dtype)
        if beta is None:
            beta = creation_ops.zeros([channels], x.dtype)
        empty = creation_ops.zeros([0], dtypes.float32)
        return tuple(fused_batch_norm_v3(x, gamma, beta, empty, empty, epsilon)[:3])
    mean, var = nn_ops.moments(x, axes)
    if sorted(axes) == list(range(rank))[:-1]:
        return nn_ops.batch_normalization(x, mean, var, beta, gamma, epsilon), mean, var
    dims = shape_ops.shape(x)
    target = joining_ops.stack([1 if d in axes else dims[d] for d in range(rank)])
    b_mean, b_var = shape_ops.reshape(mean, target), shape_ops.reshape(var, target)
    b_gamma = None if gamma is None else shape_ops.reshape(gamma, target)
    b_beta = None if beta is None else shape_ops.reshape(beta, target)
    return nn_ops.batch_normalization(x, b_mean, b_var, b_beta, b_gamma, epsilon), mean, var
