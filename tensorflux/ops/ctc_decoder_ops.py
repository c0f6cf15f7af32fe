"""CTC decoding (``tf.nn.ctc_greedy_decoder``, ``tf.nn.ctc_beam_search_decoder``) and the
label helpers ``tf.nn.collapse_repeated`` / ``tf.nn.ctc_unique_labels``.

The beam search follows TF's ``CTCBeamSearchDecoder`` step by step, so it keeps the same
beams: a prefix tree whose leaves (at most ``beam_width``) carry log probabilities of
ending in a blank, in their last label, and in total, from the log-softmax of each frame.
Each frame first extends the surviving leaves, then grows every label child of each leaf
that was a candidate, a child entering only when it beats the weakest leaf, which it
evicts. The blank is the last class.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import FailedPreconditionError, InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops.common import to_tensor

__all__ = [
    "collapse_repeated",
    "ctc_beam_search_decoder",
    "ctc_greedy_decoder",
    "ctc_unique_labels",
]

_DECODER_TYPES = frozenset({dtypes.float32, dtypes.float64})


def _validate(op, inputs, seq_len):
    """TF's ``CTCDecodeHelper::ValidateInputsGenerateOutputs`` checks."""
    if inputs.ndim != 3:
        raise InvalidArgumentError(None, op, f"inputs is not a 3-Tensor [Op:{op}]")
    if seq_len.ndim != 1:
        raise InvalidArgumentError(None, op, f"sequence_length is not a vector [Op:{op}]")
    max_time, batch = inputs.shape[0], inputs.shape[1]
    if seq_len.shape[0] != batch:
        raise FailedPreconditionError(
            None,
            op,
            f"len(sequence_length) != batch_size.  len(sequence_length):  {seq_len.shape[0]} "
            f"batch_size: {batch} [Op:{op}]",
        )
    for b, n in enumerate(seq_len.tolist()):
        if n > max_time:
            raise FailedPreconditionError(None, op, f"sequence_length({b}) <= {max_time} [Op:{op}]")


def _store(sequences, batch):
    """TF's ``StoreAllDecodedSequences`` for one path: int64 ``[n, 2]`` ``[batch, time]``
    indices, int64 values and the ``[batch, longest]`` shape."""
    indices = [[b, t] for b, seq in enumerate(sequences) for t in range(len(seq))]
    values = [v for seq in sequences for v in seq]
    longest = max((len(s) for s in sequences), default=0)
    return (
        np.asarray(indices, np.int64).reshape(-1, 2),
        np.asarray(values, np.int64),
        np.asarray([batch, longest], np.int64),
    )


def _decoded_infer(top_paths: int, inputs: Spec):
    batch = inputs.shape.as_list()[1] if inputs.shape.rank == 3 else None
    per_path = (
        Spec(dtypes.int64, TensorShape([None, 2])),
        Spec(dtypes.int64, TensorShape([None])),
        Spec(dtypes.int64, TensorShape([2])),
    )
    outs = [per_path[k] for k in range(3) for _ in range(top_paths)]
    return (*outs, Spec(inputs.dtype, TensorShape([batch, top_paths])))


# -- CTCGreedyDecoder --------------------------------------------------------------


def _greedy_kernel(inputs, sequence_length, merge_repeated=True, blank_index=-1):
    op = "CTCGreedyDecoder"
    _validate(op, inputs, sequence_length)
    _, batch, num_classes = inputs.shape
    blank = num_classes + blank_index if blank_index < 0 else blank_index
    if not 0 <= blank < num_classes:
        raise InvalidArgumentError(
            None,
            op,
            f"blank_index expected to be between {-num_classes} and {num_classes - 1} but was "
            f"{blank_index} [Op:{op}]",
        )
    log_prob = np.zeros((batch, 1), inputs.dtype)
    sequences = []
    for b in range(batch):
        n = int(sequence_length[b])
        best = np.argmax(inputs[:n, b], axis=1) if n else np.zeros(0, np.int64)
        log_prob[b, 0] = -np.sum(inputs[np.arange(n), b, best], dtype=inputs.dtype)
        seq, prev = [], -1
        for c in best.tolist():
            if c != blank and not (merge_repeated and c == prev):
                seq.append(c)
            prev = c
        sequences.append(seq)
    return (*_store(sequences, batch), log_prob)


_GREEDY = register(
    "CTCGreedyDecoder",
    kernel=_greedy_kernel,
    grad=None,
    infer=lambda inputs, sequence_length, **attrs: _decoded_infer(1, inputs),
    num_outputs=4,
    allowed=_DECODER_TYPES,
    dynamic_shape=True,
)


def _sparse_outputs(outs, top_paths):
    from tensorflux.ops.sparse.sparse_tensor import SparseTensor

    return [
        SparseTensor(outs[p], outs[top_paths + p], outs[2 * top_paths + p])
        for p in range(top_paths)
    ]


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best-path decoding: the most likely class of each frame, blanks dropped and (with
    ``merge_repeated``) repeats not separated by a blank merged
    (``tf.nn.ctc_greedy_decoder``).

    Args:
        inputs: float ``[max_time, batch, num_classes]`` logits.
        sequence_length: int32 ``[batch]`` frames per sequence.
        merge_repeated: merge repeated classes.
        blank_index: the blank class; None is the last one, negative counts from the end.

    Returns:
        ``([decoded], neg_sum_logits)``: an int64 SparseTensor ``[batch, longest]`` and, per
        sequence, minus the sum of the largest logit of each frame ``[batch, 1]``.

    Raises:
        InvalidArgumentError: inputs not 3-D, or ``blank_index`` out of range.
        FailedPreconditionError: a sequence length above ``max_time``, or not one per
            batch row.

    >>> import tensorflux as tf
    >>> logits = tf.constant([[[0.1, 0.9, 0.0]], [[0.8, 0.1, 0.1]]])
    >>> (decoded,), _ = tf.nn.ctc_greedy_decoder(logits, [2])
    >>> decoded.values.numpy().tolist()
    [1, 0]
    """
    attrs = {
        "merge_repeated": bool(merge_repeated),
        "blank_index": -1 if blank_index is None else int(blank_index),
    }
    inputs = to_tensor(inputs)
    seq = to_tensor(sequence_length, dtypes.int32)
    outs = execute(_GREEDY, (inputs, seq), attrs)
    return _sparse_outputs(outs, 1), outs[3]


# -- CTCBeamSearchDecoder ------------------------------------------------------------


def _log_sum_exp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    hi, lo = (a, b) if a > b else (b, a)
    return hi + math.log1p(math.exp(lo - hi))


class _Entry:
    """A node of the prefix tree: its label, parent, children and the log probabilities
    ``[total, blank, label]`` of the previous (``old``) and current (``new``) frame."""

    __slots__ = ("parent", "label", "children", "new", "old")

    def __init__(self, parent, label):
        self.parent, self.label, self.children = parent, label, {}
        self.new = [-math.inf] * 3
        self.old = [-math.inf] * 3

    def active(self) -> bool:
        return self.new[0] != -math.inf

    def child(self, label: int) -> "_Entry":
        c = self.children.get(label)
        if c is None:
            c = self.children[label] = _Entry(self, label)
        return c

    def labels(self, merge_repeated: bool) -> list:
        out, prev, e = [], -1, self
        while e.parent is not None:
            if not merge_repeated or e.label != prev:
                out.append(e.label)
            prev, e = e.label, e.parent
        return out[::-1]


def _beam_step(leaves: list, raw: list, width: int, blank: int) -> list:
    """One frame of TF's ``CTCBeamSearchDecoder::Step`` on log-softmax inputs; returns the
    new leaves."""
    branches = sorted(leaves, key=lambda e: e.new[0], reverse=True)
    for b in branches:
        b.old = list(b.new)
    leaves = []
    for b in branches:
        if b.parent is not None:
            if b.parent.active():
                p = b.parent
                previous = p.old[1] if b.label == p.label else p.old[0]
                b.new[2] = _log_sum_exp(b.new[2], previous)
            b.new[2] += raw[b.label]
        b.new[1] = b.old[0] + raw[blank]
        b.new[0] = _log_sum_exp(b.new[1], b.new[2])
        leaves.append(b)

    def weakest():
        return min(leaves, key=lambda e: e.new[0])

    def candidate(total):
        return total > -math.inf and (len(leaves) < width or total > weakest().new[0])

    for b in branches:
        if not candidate(b.old[0]):
            continue
        for label in range(len(raw) - 1):
            c = b.child(label)
            if c.active():
                continue
            previous = b.old[1] if label == b.label else b.old[0]
            c.new = [raw[label] + previous, -math.inf, raw[label] + previous]
            if candidate(c.new[0]):
                if len(leaves) == width:
                    bottom = weakest()
                    bottom.new = [-math.inf] * 3
                    leaves.remove(bottom)
                leaves.append(c)
            else:
                c.old = [-math.inf] * 3
                c.new = [-math.inf] * 3
    return leaves


def _beam_kernel(inputs, sequence_length, beam_width=1, top_paths=1, merge_repeated=True):
    op = "CTCBeamSearchDecoder"
    _validate(op, inputs, sequence_length)
    _, batch, num_classes = inputs.shape
    log_prob = np.zeros((batch, top_paths), inputs.dtype)
    paths = [[] for _ in range(top_paths)]
    for b in range(batch):
        root = _Entry(None, -1)
        root.new = [0.0, 0.0, -math.inf]
        leaves = [root]
        frames = inputs[: int(sequence_length[b]), b].astype(np.float64)
        shifted = frames - np.max(frames, axis=1, keepdims=True)
        log_softmax = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        for row in log_softmax.tolist():
            leaves = _beam_step(leaves, row, beam_width, num_classes - 1)
        if top_paths > beam_width:
            raise InvalidArgumentError(
                None, op, f"requested more paths than the beam width. [Op:{op}]"
            )
        if top_paths > len(leaves):
            raise InvalidArgumentError(
                None, op, f"Less leaves in the beam search than requested. [Op:{op}]"
            )
        best = sorted(leaves, key=lambda e: e.new[0], reverse=True)[:top_paths]
        for p, e in enumerate(best):
            paths[p].append(e.labels(merge_repeated))
            log_prob[b, p] = np.float32(e.new[0])
    stored = [_store(paths[p], batch) for p in range(top_paths)]
    outs = [stored[p][k] for k in range(3) for p in range(top_paths)]
    return (*outs, log_prob)


def _beam_infer(inputs: Spec, sequence_length: Spec, beam_width=1, top_paths=1,
                merge_repeated=True):  # fmt: skip
    return _decoded_infer(top_paths, inputs)


_BEAM = register(
    "CTCBeamSearchDecoder",
    kernel=_beam_kernel,
    grad=None,
    infer=_beam_infer,
    num_outputs=-1,
    allowed=_DECODER_TYPES,
    dynamic_shape=True,
)


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    """Beam search decoding of CTC logits, TF's beams and scores
    (``tf.nn.ctc_beam_search_decoder``; repeated labels are not merged in the output).

    Args:
        inputs: float ``[max_time, batch, num_classes]`` logits, the blank last.
        sequence_length: int32 ``[batch]`` frames per sequence.
        beam_width: how many prefixes are kept.
        top_paths: how many decodings to return (at most ``beam_width``).

    Returns:
        ``(decoded, log_probabilities)``: ``top_paths`` int64 SparseTensors and float
        ``[batch, top_paths]`` log probabilities of the decoded beams.

    Raises:
        InvalidArgumentError: ``top_paths > beam_width``, fewer beams than ``top_paths``,
            or inputs not 3-D.
        FailedPreconditionError: a sequence length above ``max_time``.

    >>> import tensorflux as tf
    >>> logits = tf.math.log([[[0.1, 0.8, 0.1]], [[0.7, 0.2, 0.1]]])
    >>> decoded, scores = tf.nn.ctc_beam_search_decoder(logits, [2], beam_width=3)
    >>> decoded[0].values.numpy().tolist()
    [1, 0]
    """
    return beam_search_decode(inputs, sequence_length, beam_width, top_paths, False)


def beam_search_decode(inputs, sequence_length, beam_width, top_paths, merge_repeated: bool):
    """``ctc_beam_search_decoder`` with TF 1's ``merge_repeated`` choice (Keras'
    ``ctc_decode`` merges repeats)."""
    if int(beam_width) < 1 or int(top_paths) < 1:
        raise InvalidArgumentError(
            None,
            "CTCBeamSearchDecoder",
            f"Value for attr 'beam_width' of {beam_width} must be at least minimum 1"
            if int(beam_width) < 1
            else f"Value for attr 'top_paths' of {top_paths} must be at least minimum 1",
        )
    attrs = {
        "beam_width": int(beam_width),
        "top_paths": int(top_paths),
        "merge_repeated": bool(merge_repeated),
    }
    inputs = to_tensor(inputs)
    seq = to_tensor(sequence_length, dtypes.int32)
    outs = execute(_BEAM, (inputs, seq), attrs)
    return _sparse_outputs(outs, int(top_paths)), outs[-1]


# -- label helpers --------------------------------------------------------------------


def collapse_repeated(labels, seq_length, name=None):
    """Merges runs of a repeated label into one, padding the rows with 0
    (``tf.nn.collapse_repeated``).

    Args:
        labels: int ``[batch, max_length]``.
        seq_length: int ``[batch]``: the valid length of each row.

    Returns:
        ``(collapsed, new_seq_length)``: ``[batch, longest new length]`` labels and the new
        lengths (``seq_length``'s dtype).

    >>> import tensorflux as tf
    >>> out, n = tf.nn.collapse_repeated([[1, 1, 2, 2, 1]], [5])
    >>> out.numpy().tolist(), n.numpy().tolist()
    ([[1, 2, 1]], [3])
    """
    from tensorflux.ops.creation_ops import ones_like, sequence_mask
    from tensorflux.ops.creation_ops import range as range_
    from tensorflux.ops.joining_ops import concat
    from tensorflux.ops.logic_ops import logical_and
    from tensorflux.ops.math_ops import cast
    from tensorflux.ops.reduction_ops import reduce_max, reduce_sum
    from tensorflux.ops.scatter_ops import scatter_nd
    from tensorflux.ops.selection_ops import boolean_mask
    from tensorflux.ops.shape_ops import expand_dims, reshape, shape

    labels = to_tensor(labels)
    seq_length = to_tensor(seq_length)
    first = ones_like(labels[:, :1], dtypes.bool)
    keep = concat([first, labels[:, 1:] != labels[:, :-1]], axis=1)
    keep = logical_and(keep, sequence_mask(seq_length, maxlen=shape(labels)[1]))
    new_len = reduce_sum(cast(keep, dtypes.int32), axis=1)
    new_max = reduce_max(new_len)
    slots = reshape(sequence_mask(new_len, maxlen=new_max), [-1])
    position = boolean_mask(range_(shape(slots)[0]), slots)
    flat = scatter_nd(
        expand_dims(position, 1),
        boolean_mask(reshape(labels, [-1]), reshape(keep, [-1])),
        shape(slots),
    )
    return reshape(flat, [shape(labels)[0], new_max]), cast(new_len, seq_length.dtype)


def ctc_unique_labels(labels, name=None):
    """Per row, the distinct labels in order of appearance (int64, padded with 0) and the
    index of each label among them (int32) (``tf.nn.ctc_unique_labels``).

    >>> import tensorflux as tf
    >>> y, idx = tf.nn.ctc_unique_labels([[3, 4, 4, 3]])
    >>> y.numpy().tolist(), idx.numpy().tolist()
    ([[3, 4, 0, 0]], [[0, 1, 1, 0]])
    """
    from tensorflux.ops.creation_ops import one_hot
    from tensorflux.ops.creation_ops import range as range_
    from tensorflux.ops.math_ops import cast
    from tensorflux.ops.reduction_ops import argmax, cumsum, reduce_sum
    from tensorflux.ops.shape_ops import expand_dims, shape

    labels = to_tensor(labels)
    width = shape(labels)[1]
    same = cast(expand_dims(labels, 2) == expand_dims(labels, 1), dtypes.int32)
    first = cast(argmax(same, axis=2), dtypes.int32)  # where each label first appears
    is_first = cast(first == range_(width), dtypes.int32)
    rank = cumsum(is_first, axis=1) - 1  # each first appearance's place among them
    idx = reduce_sum(one_hot(first, width, dtype=dtypes.int32) * expand_dims(rank, 1), axis=2)
    slot = one_hot(rank, width, dtype=dtypes.int64) * cast(expand_dims(is_first, 2), dtypes.int64)
    y = reduce_sum(slot * cast(expand_dims(labels, 2), dtypes.int64), axis=1)
    return y, idx
