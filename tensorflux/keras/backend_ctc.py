"""``keras.backend``'s CTC helpers: ``ctc_label_dense_to_sparse``, ``ctc_batch_cost`` and
``ctc_decode``, on softmax outputs (batch-major) as Keras 2 defines them."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.backend import epsilon
from tensorflux.ops import math_ops, shape_ops, unary_math_ops
from tensorflux.ops.sparse.sparse_tensor import SparseTensor

__all__ = ["ctc_batch_cost", "ctc_decode", "ctc_label_dense_to_sparse"]


def ctc_label_dense_to_sparse(labels, label_lengths):
    """The first ``label_lengths[i]`` labels of each row of ``labels`` as a SparseTensor
    (the rest of each row is padding).

    >>> import tensorflux as tf
    >>> sparse = tf.keras.backend.ctc_label_dense_to_sparse([[1, 2, 0], [3, 0, 0]], [2, 1])
    >>> sparse.values.numpy().tolist(), sparse.indices.numpy().tolist()
    ([1, 2, 3], [[0, 0], [0, 1], [1, 0]])
    """
    from tensorflux.ops.scatter_ops import gather_nd

    labels = convert_to_tensor(labels)
    lengths = np.asarray(convert_to_tensor(label_lengths)._value).reshape(-1)
    rows, width = (int(d) for d in labels.shape)
    keep = np.arange(width)[None, :] < lengths[:, None]
    indices = np.argwhere(keep).astype(np.int64)
    values = gather_nd(labels, indices)
    return SparseTensor(indices, values, np.asarray([rows, width], np.int64))


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """The CTC loss of each batch element, ``[batch, 1]``.

    Args:
        y_true: ``[batch, max_label_length]`` labels (padding past each length).
        y_pred: ``[batch, time, classes]`` softmax outputs; the last class is the blank.
        input_length: ``[batch, 1]`` time steps used per element.
        label_length: ``[batch, 1]`` labels per element.
    """
    from tensorflux.ops.ctc_ops import ctc_loss

    label_length = math_ops.cast(shape_ops.squeeze(label_length, axis=-1), dtypes.int32)
    input_length = math_ops.cast(shape_ops.squeeze(input_length, axis=-1), dtypes.int32)
    sparse = ctc_label_dense_to_sparse(y_true, label_length)
    sparse = SparseTensor(
        sparse.indices, math_ops.cast(sparse.values, dtypes.int32), sparse.dense_shape
    )
    logits = unary_math_ops.log(shape_ops.transpose(y_pred, perm=[1, 0, 2]) + epsilon())
    loss = ctc_loss(sparse, logits, None, input_length, logits_time_major=True, blank_index=-1)
    return shape_ops.expand_dims(loss, 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """The most likely label sequences of softmax outputs ``[batch, time, classes]``:
    ``([dense [batch, time] paths padded with -1, ...], log probabilities)``, by greedy
    or beam search decoding."""
    from tensorflux.ops.ctc_decoder_ops import beam_search_decode, ctc_greedy_decoder
    from tensorflux.ops.sparse.conversion_ops import to_dense

    y_pred = convert_to_tensor(y_pred)
    samples, steps = (int(d) for d in y_pred.shape[:2])
    logits = unary_math_ops.log(shape_ops.transpose(y_pred, perm=[1, 0, 2]) + epsilon())
    lengths = math_ops.cast(input_length, dtypes.int32)
    if greedy:
        decoded, log_prob = ctc_greedy_decoder(logits, lengths)
    else:
        decoded, log_prob = beam_search_decode(logits, lengths, beam_width, top_paths, True)
    dense = [
        to_dense(SparseTensor(st.indices, st.values, [samples, steps]), default_value=-1)
        for st in decoded
    ]
    return dense, log_prob
