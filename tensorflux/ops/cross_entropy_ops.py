"""Cross-entropy ops of ``tf.nn``: sigmoid, softmax and sparse softmax with logits.

The softmax ones are primitives: one numerically stable pass whose gradient is
computed alongside (the sparse op returns it as a second output, as TF does).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor
from tensorflux.ops.common import broadcast_shape, known_shape, to_tensor, unbroadcast
from tensorflux.ops.math_ops import abs as _abs
from tensorflux.ops.math_ops import add, multiply, negative, subtract
from tensorflux.ops.nn_ops import (
    _LOG_SOFTMAX,
    _SOFTMAX,
    _keep_axis,
    _log_softmax_kernel,
    relu,
    softplus,
)
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import expand_dims

__all__: list = []


# -- cross entropies --------------------------------------------------------


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None) -> Tensor:
    """Per-element logistic loss (``tf.nn.sigmoid_cross_entropy_with_logits``).

    Computed as ``max(x, 0) - x * z + log(1 + exp(-|x|))`` so that it never overflows.

    Raises:
        ValueError: ``labels`` and ``logits`` of different shapes.
    """
    x = to_tensor(logits)
    # As TF, labels are converted on their own: [1.0] with float64 logits is a dtype error.
    z = to_tensor(labels)
    if not z.shape.is_compatible_with(x.shape):
        raise ValueError(
            f"`logits` and `labels` must have the same shape, received "
            f"({tuple(x.shape)} vs {tuple(z.shape)})."
        )
    xz = multiply(x, z)
    return add(subtract(relu(x), xz), softplus(negative(_abs(x))))


def _xent_kernel(labels, logits, axis):
    log_p = _log_softmax_kernel(logits, axis)
    return np.asarray(-np.sum(labels * log_p, axis=axis))


def _xent_infer(labels: Spec, logits: Spec, axis) -> Spec:
    shape = broadcast_shape(labels.shape, logits.shape, "SoftmaxCrossEntropyWithLogits")
    if shape.rank is None:
        return Spec(logits.dtype, shape)
    dims = shape.as_list()
    del dims[axis]
    return Spec(logits.dtype, TensorShape(dims))


def _xent_grad(call, dy):
    """d labels = -dy * log_softmax(logits); d logits = dy * (softmax(logits) - labels)."""
    labels, logits = call.inputs
    axis = call.attrs["axis"]
    label_shape, logit_shape = known_shape(labels), known_shape(logits)
    if label_shape is not None and logit_shape is not None:
        dy = _keep_axis(dy, np.broadcast_shapes(label_shape, logit_shape), axis)
    else:
        # A new axis where the loss reduced, without naming the unknown sizes.
        dy = dy[(slice(None),) * axis + (None, Ellipsis)]
    attrs = {"axis": axis}
    d_logits = multiply(dy, subtract(execute(_SOFTMAX, (logits,), attrs), labels))
    d_labels = negative(multiply(dy, execute(_LOG_SOFTMAX, (logits,), attrs)))
    return (unbroadcast(d_labels, labels), unbroadcast(d_logits, logits))


_XENT = register(
    "SoftmaxCrossEntropyWithLogits",
    kernel=_xent_kernel,
    grad=_xent_grad,
    infer=_xent_infer,
    same_dtype=True,
    allowed=FLOATING,
)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None) -> Tensor:
    """``-sum(labels * log_softmax(logits), axis)`` (``tf.nn.softmax_cross_entropy_with_logits``).

    A primitive: one stable pass; gradients flow to both ``logits`` and ``labels``.

    >>> import tensorflux as tf
    >>> float(tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], [[0.0, 0.0]])[0])
    0.6931471824645996

    Raises:
        InvalidArgumentError: shapes that do not broadcast, or different dtypes.
    """
    x = to_tensor(logits)
    z = labels if isinstance(labels, Tensor) else to_tensor(labels, x._dtype)
    if z._dtype is not x._dtype and (z._dtype.is_integer or z._dtype.is_bool):
        # As TF: integer (one-hot) labels are cast to the logits' dtype.
        from tensorflux.ops.math_ops import cast

        z = cast(z, x._dtype)
    label_shape, logit_shape = known_shape(z), known_shape(x)
    if label_shape is None or logit_shape is None:
        # Traced with unknown sizes: what is known must broadcast; the kernel checks the rest.
        label_shape, logit_shape = tuple(z.shape.as_list()), tuple(x.shape.as_list())
        rank = broadcast_shape(z.shape, x.shape, "SoftmaxCrossEntropyWithLogits").rank
    else:
        try:
            rank = len(np.broadcast_shapes(label_shape, logit_shape))
        except ValueError:
            raise InvalidArgumentError(
                None,
                "SoftmaxCrossEntropyWithLogits",
                f"logits and labels must be broadcastable: logits_size="
                f"[{','.join(map(str, logit_shape))}] labels_size="
                f"[{','.join(map(str, label_shape))}] [Op:SoftmaxCrossEntropyWithLogits]",
            ) from None
    axis = int(axis)
    if not -rank <= axis < rank:
        raise InvalidArgumentError(
            None,
            "SoftmaxCrossEntropyWithLogits",
            f"axis {axis} is out of range for logits of rank {rank}.",
        )
    return execute(_XENT, (z, x), {"axis": axis % rank})


_UNSIGNED = {np.dtype(np.int32): np.uint32, np.dtype(np.int64): np.uint64}


def _sparse_xent_kernel(logits, labels, check_shapes=False):
    if check_shapes and labels.shape != logits.shape[:-1]:
        raise InvalidArgumentError(
            None,
            "SparseSoftmaxCrossEntropyWithLogits",
            f"logits and labels must have the same first dimension, got logits shape "
            f"{list(logits.shape)} and labels shape {list(labels.shape)} "
            f"[Op:SparseSoftmaxCrossEntropyWithLogits]",
        )
    n = logits.shape[-1]
    flat = labels.reshape(-1)
    # Viewed as unsigned, negative labels become huge: one comparison checks both ends.
    if flat.size and flat.view(_UNSIGNED[flat.dtype]).max() >= n:
        bad = flat[(flat < 0) | (flat >= n)][0]
        error = InvalidArgumentError(
            None,
            "SparseSoftmaxCrossEntropyWithLogits",
            f"Received a label value of {bad} which is outside the valid range of [0, {n}).  "
            f"Label values: {' '.join(str(v) for v in flat)} "
            f"[Op:SparseSoftmaxCrossEntropyWithLogits]. Labels must be class indices "
            f"below the number of classes ({n}).",
        )
        error._depends_on_values = True
        raise error
    shifted = logits - np.maximum.reduce(logits, axis=-1, keepdims=True)
    # C order: the one-hot is subtracted through a flat view below, and a layer's output
    # may arrive in another layout (Dense on 3-D inputs), where reshape(-1) would copy.
    e = np.exp(shifted, order="C")
    total = np.add.reduce(e, axis=-1)
    # Each row's label entry, by its flat position: one gather, cheaper than a one-hot.
    picked = flat + _row_offsets(flat.size, n)
    loss = np.log(total) - shifted.reshape(-1)[picked].reshape(labels.shape)
    # The gradient w.r.t. logits, softmax - one_hot(labels), is a second output (as in TF)
    # so the backward pass is one multiply.
    e /= total[..., None]
    e.reshape(-1)[picked] -= 1
    return np.asarray(loss), e


_OFFSETS: dict = {}


def _row_offsets(rows: int, n: int) -> np.ndarray:
    """``[0, n, 2n, ...]`` for ``rows`` rows of ``n`` classes (cached: batch shapes repeat)."""
    offsets = _OFFSETS.get((rows, n))
    if offsets is None:
        if len(_OFFSETS) > 64:
            _OFFSETS.clear()
        offsets = _OFFSETS[(rows, n)] = np.arange(0, rows * n, n)
    return offsets


def _sparse_xent_infer(logits: Spec, labels: Spec, check_shapes=False) -> tuple:
    return Spec(logits.dtype, labels.shape), Spec(logits.dtype, logits.shape)


def _known_zero(t) -> bool:
    """True for the zeros a tape passes for an output nothing depended on: a constant,
    or a ZerosLike node when the shape is known only when the graph runs."""
    if type(t) is SymbolicTensor:
        return t._op_name == "ZerosLike" or t._op_name.startswith("ZerosLike_")
    return type(t) is Tensor and not t._value.any()


def _sparse_xent_grad(call, dy, d_backprop):
    """d logits = dy * backprop (softmax - one_hot); plus, when the backprop output itself
    was differentiated (second order), s * (g - sum(g * s)) with s = softmax(logits)."""
    logits, _ = call.inputs
    backprop = call.outputs[1]
    # dy[..., None] names no size, unlike expand_dims, for logits traced with unknown sizes.
    dy = expand_dims(dy, -1) if known_shape(dy) is not None else dy[..., None]
    d_logits = multiply(dy, backprop)
    if not _known_zero(d_backprop):
        s = execute(_SOFTMAX, (logits,), {"axis": logits._value.ndim - 1})
        dot = reduce_sum(multiply(d_backprop, s), axis=-1, keepdims=True)
        d_logits = add(d_logits, multiply(s, subtract(d_backprop, dot)))
    return d_logits, None


# check_shapes: set when tracing could not compare the labels' and logits' shapes (sizes
# known only when the graph runs); the kernel compares them on every run.
_SPARSE_XENT = register(
    "SparseSoftmaxCrossEntropyWithLogits",
    kernel=_sparse_xent_kernel,
    grad=_sparse_xent_grad,
    infer=_sparse_xent_infer,
    allowed=FLOATING,
    num_outputs=2,
)


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None) -> Tensor:
    """``-log_softmax(logits)[labels]`` per example
    (``tf.nn.sparse_softmax_cross_entropy_with_logits``).

    Args:
        labels: int32/int64 class indices, shaped like ``logits`` without its last axis.
        logits: float scores, ``[..., num_classes]``.

    Raises:
        ValueError: ``labels.shape != logits.shape[:-1]``.
        InvalidArgumentError: non-integer labels, or a label outside ``[0, num_classes)``.
    """
    x, z = to_tensor(logits), to_tensor(labels)
    if z._dtype not in (dtypes.int32, dtypes.int64):
        raise InvalidArgumentError(
            None,
            "SparseSoftmaxCrossEntropyWithLogits",
            f"Value for attr 'Tlabels' of {z._dtype.name} is not in the list of allowed values: "
            f"int32, int64 [Op:SparseSoftmaxCrossEntropyWithLogits]. Labels are class indices; "
            f"use tf.cast(labels, tf.int32), or softmax_cross_entropy_with_logits for one-hot.",
        )
    label_shape, logit_shape = known_shape(z), known_shape(x)
    attrs = {}
    if label_shape is not None and logit_shape is not None:
        mismatch = not logit_shape or label_shape != logit_shape[:-1]
    else:
        # Traced with unknown sizes: check what is known; the kernel checks the rest.
        label_shape, logit_shape = tuple(z.shape.as_list()), tuple(x.shape.as_list())
        mismatch = not logit_shape or not z.shape.is_compatible_with(x.shape[:-1])
        attrs["check_shapes"] = True
    if not logit_shape:
        given = x._value if type(x) is Tensor else x
        raise ValueError(f"`logits` cannot be a scalar. Received logits={given}`")
    if len(label_shape) != len(logit_shape) - 1:
        raise ValueError(
            f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
            f"labels.shape={label_shape} of rank {len(label_shape)} and "
            f"logits.shape={logit_shape} of rank {len(logit_shape)}"
        )
    if mismatch:
        raise ValueError(
            f"`labels.shape` must equal `logits.shape` except for the last "
            f"dimension. Received: labels.shape={label_shape} and "
            f"logits.shape={logit_shape}"
        )
    return execute(_SPARSE_XENT, (x, z), attrs)[0]
