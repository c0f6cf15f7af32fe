"""``tf.nn.ctc_loss``: the connectionist temporal classification loss, as TF computes it.

TF has two paths and so does this module:

* sparse labels go to TF's ``CTCLoss`` op, whose kernel runs the forward-backward
  recursions of Graves' thesis on ``l' = [blank, l1, blank, l2, ..., blank]`` with the
  blank as the last class (the wrapper moves ``blank_index`` there);
* dense labels go to TF's ``ctc_loss_dense``, a forward-backward over ``2 (L + 1)``
  states (start and labels, then blanks) with the blank as class 0, normalising each
  step and standing in ``log(1e-307)`` for ``log 0`` in its initial and final states: a
  label sequence that cannot fit its frames gets a large finite loss, not ``inf``. TF
  composes it from some fifty ops; here one kernel (``CtcLossDense``) reproduces its
  arithmetic.

Both return the loss and its gradient with respect to the logits; the op's gradient is
``grad_loss * that gradient``, and as in TF it cannot be differentiated again.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["ctc_loss"]

_CTC_TYPES = frozenset({dtypes.float32, dtypes.float64})
_SECOND_ORDER = (
    "Currently there is no way to take the second  derivative of ctc_loss due to the fused "
    "implementation's interaction  with tf.gradients()"
)


def _logsumexp(x: np.ndarray, axis: int = -1) -> np.ndarray:
    top = np.max(x, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.squeeze(top, axis) + np.log(np.sum(np.exp(x - top), axis=axis))


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


# -- PreventGradient ---------------------------------------------------------------


def _prevent_gradient_grad(call, dy):
    """No gradient: raises LookupError with the op's message."""
    raise LookupError(f"Gradient explicitly disabled. Reason: {call.attrs['message']}")


_PREVENT_GRADIENT = register(
    "PreventGradient",
    kernel=lambda x, message="": x,
    grad=_prevent_gradient_grad,
    infer=lambda x, message="": Spec(x.dtype, x.shape),
)


# -- CTCLoss -------------------------------------------------------------------------


def _op_error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, "CTCLoss", f"{message} [Op:CTCLoss]")


def _check_ctc_inputs(inputs, indices, values, seq_len):
    if inputs.ndim != 3:
        raise _op_error("inputs is not a 3-Tensor")
    if seq_len.ndim != 1:
        raise _op_error("sequence_length is not a vector")
    if indices.ndim != 2:
        raise _op_error("labels_indices is not a matrix")
    if indices.shape[1] < 2:
        raise _op_error(
            f"labels_indices second dimension must be >= 2. Received {indices.shape[1]}"
        )
    if values.ndim != 1:
        raise _op_error("labels_values is not a vector")
    batch = inputs.shape[1]
    if seq_len.shape[0] != batch:
        raise _op_error(
            f"len(sequence_length) != batch_size.  len(sequence_length):  {seq_len.shape[0]} "
            f"batch_size: {batch}"
        )
    if indices.shape[0] != values.shape[0]:
        raise _op_error(
            "labels_indices and labels_values must contain the same number of rows, but saw "
            f"shapes: {list(indices.shape)} vs. {list(values.shape)}"
        )
    if batch == 0:
        raise _op_error("batch_size must not be 0")
    for b, n in enumerate(seq_len.tolist()):
        if n < 0:
            raise _op_error(f"seq_len({b}) < 0")
        if n > inputs.shape[0]:
            raise _op_error(f"seq_len({b}) > num_time_steps")


def _label_sequences(indices, values, batch):
    """The labels of each batch row, in index order (TF groups the sparse labels by row)."""
    rows = [[] for _ in range(batch)]
    order = np.lexsort(tuple(indices[:, ::-1].T)) if indices.size else []
    for i in order:
        b = int(indices[i, 0])
        if not 0 <= b < batch:
            raise _op_error(f"labels_indices[{i}, 0] = {b} is not in [0, {batch})")
        rows[b].append(int(values[i]))
    return rows


def _target(label, b, num_classes, seq_len, collapse, ignore_longer):
    """TF's ``PopulateLPrimes`` for one row: the labels kept (a blank-or-higher label ends
    the sequence), checked."""
    if not label:
        raise _op_error(f"Labels length is zero in batch {b}")
    kept, finished = [], False
    for i, v in enumerate(label):
        if i and collapse and v == label[i - 1]:
            continue
        if v >= num_classes - 1:
            finished = True
        elif finished:
            raise _op_error(
                "Saw a non-null label (index >= num_classes - 1) following a null label, "
                f"batch: {b} num_classes: {num_classes} labels: {','.join(map(str, label))} "
                f"labels seen so far: {','.join(map(str, kept))}"
            )
        else:
            kept.append(v)
    if any(v < 0 for v in kept):
        raise _op_error(
            f"All labels must be nonnegative integers, batch: {b} labels: "
            f"{','.join(map(str, kept))}"
        )
    if not ignore_longer and len(label) > seq_len:
        raise _op_error(
            f"Not enough time for target transition sequence (required: {len(label)}, "
            f"available: {seq_len}){b}You can turn this error into a warning by using the flag "
            "ignore_longer_outputs_than_inputs"
        )
    return kept


def _alpha_beta(log_y, l_prime, blank, merge):
    """Graves' log forward (with the frame's output) and backward (without it) variables,
    ``[T, U]`` each."""
    steps, width = log_y.shape[0], len(l_prime)
    lp = np.asarray(l_prime)
    obs = log_y[:, lp]
    stay = np.ones(width, bool) if merge else lp == blank
    skip = np.zeros(width, bool)
    skip[2:] = (lp[2:] != blank) & ~(merge & (lp[2:] == lp[:-2]))
    alpha = np.full((steps, width), -np.inf)
    alpha[0, : min(2, width)] = obs[0, : min(2, width)]
    for t in range(1, steps):
        prev = alpha[t - 1]
        s = np.where(stay, prev, -np.inf)
        s[1:] = np.logaddexp(s[1:], prev[:-1])
        s[2:] = np.where(skip[2:], np.logaddexp(s[2:], prev[:-2]), s[2:])
        alpha[t] = obs[t] + s
    beta = np.full((steps, width), -np.inf)
    beta[steps - 1, max(0, width - 2) :] = 0.0
    for t in range(steps - 2, -1, -1):
        nxt = beta[t + 1] + obs[t + 1]
        s = np.where(stay, nxt, -np.inf)
        s[:-1] = np.logaddexp(s[:-1], nxt[1:])
        s[:-2] = np.where(skip[2:], np.logaddexp(s[:-2], nxt[2:]), s[:-2])
        beta[t] = s
    return alpha, beta


def _ctc_loss_kernel(inputs, labels_indices, labels_values, sequence_length,
                     preprocess_collapse_repeated=False, ctc_merge_repeated=True,
                     ignore_longer_outputs_than_inputs=False):  # fmt: skip
    _check_ctc_inputs(inputs, labels_indices, labels_values, sequence_length)
    steps, batch, num_classes = inputs.shape
    blank = num_classes - 1
    labels = _label_sequences(labels_indices, labels_values, batch)
    seq_len = sequence_length.tolist()
    targets = [
        _target(
            labels[b],
            b,
            num_classes,
            seq_len[b],
            preprocess_collapse_repeated,
            ignore_longer_outputs_than_inputs,
        )  # fmt: skip
        for b in range(batch)
    ]
    loss = np.zeros(batch, np.float64)
    grad = np.zeros(inputs.shape, np.float64)
    for b in range(batch):
        n = seq_len[b]
        if n == 0 or (ignore_longer_outputs_than_inputs and len(labels[b]) > n):
            continue
        log_y = _log_softmax(inputs[:n, b].astype(np.float64))
        l_prime = [blank]
        for v in targets[b]:
            l_prime += [v, blank]
        alpha, beta = _alpha_beta(log_y, l_prime, blank, ctc_merge_repeated)
        log_p = _logsumexp(alpha[0] + beta[0])
        loss[b] = -log_p
        y = np.exp(log_y)
        if log_p == -np.inf:  # no path fits: TF's gradient is then the softmax itself
            grad[:n, b] = y
            continue
        posterior = np.zeros((n, num_classes))
        with np.errstate(divide="ignore"):
            both = np.exp(alpha + beta - log_p)
        np.add.at(posterior.T, np.asarray(l_prime), both.T)
        grad[:n, b] = y - posterior
    return loss.astype(inputs.dtype), grad.astype(inputs.dtype)


def _ctc_loss_infer(inputs: Spec, labels_indices: Spec, labels_values: Spec,
                    sequence_length: Spec, **attrs):  # fmt: skip
    batch = inputs.shape.as_list()[1] if inputs.shape.rank == 3 else None
    shape = inputs.shape if inputs.shape.rank is not None else TensorShape([None] * 3)
    return Spec(inputs.dtype, TensorShape([batch])), Spec(inputs.dtype, shape)


def _ctc_loss_grad(call, grad_loss, grad_grad=None):
    """d loss / d inputs = grad_loss[None, :, None] * gradient (not differentiable again)."""
    from tensorflux.ops.shape_ops import reshape

    gradient = execute(_PREVENT_GRADIENT, (call.outputs[1],), {"message": _SECOND_ORDER})
    return reshape(grad_loss, [1, -1, 1]) * gradient, None, None, None


_CTC_LOSS = register(
    "CTCLoss",
    kernel=_ctc_loss_kernel,
    grad=_ctc_loss_grad,
    infer=_ctc_loss_infer,
    num_outputs=2,
    allowed=_CTC_TYPES,
)


# -- CtcLossDense -------------------------------------------------------------------


def _dense_transitions(labels: np.ndarray, num_states: int) -> np.ndarray:
    """log of TF's ``_ctc_state_trans``: ``[batch, to, from]`` over start-and-label states
    ``0..L`` and blank states ``L+1..2L+1``."""
    batch, length = labels.shape
    blank0 = length + 1
    trans = np.eye(num_states)
    trans[1, 0] = 1.0
    for k in range(length):
        trans[k + 1, blank0 + k] = 1.0
    for k in range(length + 1):
        trans[blank0 + k, k] = 1.0
    trans = np.repeat(trans[None], batch, axis=0)
    for k in range(1, length):
        trans[:, k + 1, k] = (labels[:, k] != labels[:, k - 1]).astype(np.float64)
    with np.errstate(divide="ignore"):
        return np.log(trans)


def _dense_forward_backward(log_y, labels, label_length, logit_length):
    """TF's ``ctc_loss_and_grad``: the state posteriors per frame ``[T, B, S]`` and the
    log-likelihood per row, with its per-step normalisation and ``log(1e-307)`` floor."""
    steps, batch, num_labels = log_y.shape
    length = labels.shape[1]
    num_states = 2 * (length + 1)
    log_0 = float(np.float32(np.log(1e-307)))
    one_hot = np.zeros((batch, length, num_labels), bool)
    inside = (labels >= 0) & (labels < num_labels)
    b_idx, k_idx = np.nonzero(inside)
    one_hot[b_idx, k_idx, labels[b_idx, k_idx]] = True
    label_obs = np.einsum("tbc,bkc->tbk", log_y, one_hot.astype(log_y.dtype))
    obs = np.concatenate(
        [np.full((steps, batch, 1), -np.inf), label_obs,
         np.repeat(log_y[:, :, :1], length + 1, axis=2)], axis=2)  # fmt: skip
    trans = _dense_transitions(labels, num_states)
    initial = np.full((batch, num_states), log_0)
    initial[:, 0] = 0.0
    final = np.full((batch, num_states), log_0)
    rows = np.arange(batch)
    ends = label_length.astype(np.int64)
    valid = (ends >= 0) & (ends <= length)
    final[rows[valid], ends[valid]] = 0.0
    final[rows[valid], length + 1 + ends[valid]] = 0.0

    fwd = [initial]
    for t in range(steps):
        s = _logsumexp(fwd[-1][:, None, :] + trans, axis=-1) + obs[t]
        fwd.append(s - _logsumexp(s, axis=-1)[:, None])
    mask = (np.arange(steps)[:, None] < logit_length[None, :]).astype(np.float64)
    bwd = [None] * (steps + 1)
    bwd[steps] = final
    cum = np.zeros(batch)
    back = np.transpose(trans, (0, 2, 1))
    for t in range(steps - 1, -1, -1):
        s = bwd[t + 1] + obs[t]
        s = _logsumexp(s[:, None, :] + back, axis=-1)
        total = _logsumexp(s, axis=-1)
        s = s - total[:, None]
        cum = cum + total * mask[t]
        with np.errstate(invalid="ignore"):
            bwd[t] = s * mask[t][:, None] + final * (1.0 - mask[t][:, None])
    fwd_bwd = np.stack(fwd[1:]) + np.stack(bwd[1:])
    fwd_bwd = fwd_bwd - _logsumexp(fwd_bwd, axis=2)[:, :, None]
    with np.errstate(divide="ignore"):
        fwd_bwd = fwd_bwd + np.log(mask)[:, :, None]
    return fwd_bwd, bwd[0][:, 0] + cum


def _ctc_loss_dense_kernel(logits, labels, label_length, logit_length):
    steps, batch, num_labels = logits.shape
    length = labels.shape[1]
    log_y = _log_softmax(logits.astype(np.float64))
    labels = labels.astype(np.int64)
    states, log_likelihood = _dense_forward_backward(
        log_y, labels, label_length, logit_length.astype(np.int64)
    )
    posterior = np.zeros((steps, batch, num_labels))
    posterior[:, :, 0] = np.exp(_logsumexp(states[:, :, length + 1 :], axis=2))
    label_states = np.exp(states[:, :, 1 : length + 1])
    for k in range(length):
        cls = labels[:, k]
        ok = (cls >= 1) & (cls < num_labels)
        posterior[:, ok, cls[ok]] += label_states[:, ok, k]
    mask = np.arange(steps)[:, None, None] < logit_length[None, :, None]
    grad = (np.exp(log_y) - posterior) * mask
    return (-log_likelihood).astype(logits.dtype), grad.astype(logits.dtype)


def _ctc_loss_dense_infer(logits: Spec, labels: Spec, label_length: Spec, logit_length: Spec):
    batch = logits.shape.as_list()[1] if logits.shape.rank == 3 else None
    shape = logits.shape if logits.shape.rank is not None else TensorShape([None] * 3)
    return Spec(logits.dtype, TensorShape([batch])), Spec(logits.dtype, shape)


_CTC_LOSS_DENSE = register(
    "CtcLossDense",
    kernel=_ctc_loss_dense_kernel,
    grad=_ctc_loss_grad,
    infer=_ctc_loss_dense_infer,
    num_outputs=2,
    allowed=_CTC_TYPES,
)


# -- tf.nn.ctc_loss -------------------------------------------------------------------


def _move_class(logits: Tensor, index: int, to_front: bool) -> Tensor:
    """``logits`` with class ``index`` moved first (``to_front``) or last."""
    from tensorflux.ops.joining_ops import concat

    before, blank, after = (
        logits[:, :, :index],
        logits[:, :, index : index + 1],
        logits[:, :, index + 1 :],
    )
    return concat([blank, before, after] if to_front else [before, after, blank], axis=2)


def _num_classes(logits: Tensor) -> int:
    classes = logits.shape.as_list()[2] if logits.shape.rank == 3 else None
    if classes is None:
        raise ValueError(
            f"ctc_loss needs the number of classes (the last dimension of logits) to be "
            f"known; got logits of shape {logits.shape}."
        )
    return classes


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None,
             blank_index=None, name=None):  # fmt: skip
    """The CTC loss of each sequence: ``-log p(labels | logits)`` summed over all
    alignments, softmax applied to ``logits`` for you (``tf.nn.ctc_loss``).

    Args:
        labels: a SparseTensor of int labels (then ``blank_index`` is required), or an int
            ``[batch, max_label_length]`` tensor padded beyond ``label_length``.
        logits: float ``[frames, batch, num_labels]`` (``[batch, frames, num_labels]`` if
            not ``logits_time_major``).
        label_length: int ``[batch]`` label lengths for dense labels; None for sparse.
        logit_length: int ``[batch]``: the frames of each sequence.
        logits_time_major: whether ``logits`` is time-major.
        unique: ``ctc_unique_labels(labels)`` for dense labels (TF's faster TPU path; the
            result is the same).
        blank_index: the blank class (negative counts from the end); dense labels default
            to 0.

    Returns:
        float ``[batch]`` losses, differentiable with respect to ``logits`` once.

    Raises:
        ValueError: sparse labels without ``blank_index``.
        InvalidArgumentError: (sparse labels) a label sequence longer than its frames.

    >>> import tensorflux as tf
    >>> loss = tf.nn.ctc_loss([[1, 2]], tf.zeros([4, 1, 3]), [2], [4])
    >>> round(float(loss[0]), 4)
    1.6864
    """
    from tensorflux.ops.math_ops import cast
    from tensorflux.ops.selection_ops import where
    from tensorflux.ops.shape_ops import transpose
    from tensorflux.ops.sparse.sparse_tensor import SparseTensor

    logits = to_tensor(logits)
    if logits.dtype not in FLOATING:
        raise InvalidArgumentError(
            None, "ctc_loss", f"logits must be a float tensor, got {logits.dtype.name}."
        )
    original = logits.dtype
    if original in (dtypes.float16, dtypes.bfloat16):
        logits = cast(logits, dtypes.float32)
    if not logits_time_major:
        logits = transpose(logits, [1, 0, 2])
    logit_length = cast(to_tensor(logit_length), dtypes.int32)
    if isinstance(labels, SparseTensor):
        if blank_index is None:
            raise ValueError(
                "Argument `blank_index` must be provided when `labels` is a `SparseTensor`."
            )
        if blank_index < 0:
            blank_index += _num_classes(logits)
        values = cast(labels.values, dtypes.int32)
        values = where(values < blank_index, values, values - 1)
        logits = _move_class(logits, blank_index, to_front=False)
        indices = cast(labels.indices, dtypes.int64)
        loss, _ = execute(_CTC_LOSS, (logits, indices, values, logit_length), {
            "preprocess_collapse_repeated": False, "ctc_merge_repeated": True,
            "ignore_longer_outputs_than_inputs": False})  # fmt: skip
    else:
        if label_length is None:
            raise ValueError(
                "Attempt to convert a value (None) with an unsupported type "
                "(<class 'NoneType'>) to a Tensor."
            )
        labels = to_tensor(labels)
        blank_index = 0 if blank_index is None else blank_index
        if blank_index != 0:
            if blank_index < 0:
                blank_index += _num_classes(logits)
            logits = _move_class(logits, blank_index, to_front=True)
            labels = where(labels < blank_index, labels + 1, labels)
        label_length = cast(to_tensor(label_length), dtypes.int32)
        loss, _ = execute(
            _CTC_LOSS_DENSE, (logits, cast(labels, dtypes.int32), label_length, logit_length)
        )
    if original in (dtypes.float16, dtypes.bfloat16):
        loss = cast(loss, original)
    return loss
