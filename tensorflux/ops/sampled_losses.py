"""Losses over a sample of the classes: ``tf.nn.sampled_softmax_loss`` and
``tf.nn.nce_loss``, built from public ops (so their gradients come for free).

Both score each example's true classes and a shared sample of other classes
(log-uniform by default, drawn as TF draws it): ``logit = inputs . w_c + b_c``, minus
``log(expected count of c)`` so the sample's bias cancels. Accidental hits (a sampled
class that is one of the row's true classes) get the lowest float32 added when asked.
"""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.ops.candidate_sampling_ops import (
    compute_accidental_hits,
    log_uniform_candidate_sampler,
)
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import ones_like, zeros_like
from tensorflux.ops.cross_entropy_ops import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
)
from tensorflux.ops.embedding_ops import embedding_lookup
from tensorflux.ops.joining_ops import concat, stack
from tensorflux.ops.math_ops import add, cast, matmul, multiply, subtract
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.scatter_ops import tensor_scatter_nd_update
from tensorflux.ops.shape_ops import expand_dims, reshape, stop_gradient
from tensorflux.ops.unary_math_ops import log

__all__: list = []


def _lookup(params, ids, dtype):
    rows = embedding_lookup(params, ids)
    return rows if rows.dtype == dtype else cast(rows, dtype)


def _sampled_logits(
    weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
    subtract_log_q, remove_accidental_hits, seed,
):  # fmt: skip
    """``(logits, labels)`` of shapes ``[batch, num_true + num_sampled]``: true classes
    first (label ``1 / num_true``), then the sampled ones (label 0)."""
    inputs = to_tensor(inputs)
    labels = to_tensor(labels)
    if labels.dtype != dtypes.int64:
        labels = cast(labels, dtypes.int64)
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(
            labels, num_true, num_sampled, True, num_classes, seed=seed
        )
    sampled, true_count, sampled_count = (stop_gradient(to_tensor(v)) for v in sampled_values)
    if sampled.dtype != dtypes.int64:
        sampled = cast(sampled, dtypes.int64)
    weights = weights if isinstance(weights, (list, tuple)) else [weights]
    biases = to_tensor(biases)
    flat_labels = reshape(labels, [-1])
    true_w = _lookup(weights, flat_labels, inputs.dtype)
    sampled_w = _lookup(weights, sampled, inputs.dtype)
    true_b = reshape(_lookup(biases, flat_labels, inputs.dtype), [-1, num_true])
    sampled_b = _lookup(biases, sampled, inputs.dtype)
    dim = true_w.shape.as_list()[1]
    per_true = reshape(true_w, [-1, num_true, -1 if dim is None else dim])
    true_logits = add(reduce_sum(multiply(expand_dims(inputs, 1), per_true), axis=2), true_b)
    sampled_logits = add(matmul(inputs, sampled_w, transpose_b=True), sampled_b)
    if remove_accidental_hits:
        rows, ids, hit_weights = compute_accidental_hits(labels, sampled, num_true=num_true)
        where = stack([cast(rows, dtypes.int64), ids], axis=1)
        hit_weights = cast(hit_weights, sampled_logits.dtype)
        # Assigned, not added, so a class listed twice in a row is masked once.
        mask = tensor_scatter_nd_update(zeros_like(sampled_logits), where, hit_weights)
        sampled_logits = add(sampled_logits, mask)
    if subtract_log_q:
        true_logits = subtract(true_logits, log(cast(true_count, true_logits.dtype)))
        sampled_logits = subtract(sampled_logits, log(cast(sampled_count, true_logits.dtype)))
    logits = concat([true_logits, sampled_logits], 1)
    targets = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
    return logits, targets


def sampled_softmax_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true=1,
    sampled_values=None,
    remove_accidental_hits=True,
    seed=None,
    name="sampled_softmax_loss",
):
    """Softmax cross-entropy over the true classes and ``num_sampled`` sampled classes:
    a cheap training-time estimate of the full softmax loss
    (``tf.nn.sampled_softmax_loss``).

    Args:
        weights: ``[num_classes, dim]`` class embeddings (or a list of row shards).
        biases: ``[num_classes]`` class biases.
        labels: int ``[batch, num_true]`` target classes.
        inputs: ``[batch, dim]`` activations.
        num_sampled: classes sampled per batch.
        num_classes: the number of classes.
        num_true: targets per example (each gets label ``1 / num_true``).
        sampled_values: a ``(sampled, true_expected_count, sampled_expected_count)``
            triple; None: ``log_uniform_candidate_sampler(unique=True, seed=seed)``.
        remove_accidental_hits: mask sampled classes that are true classes.
        seed: the sampler's op seed.

    Returns:
        ``[batch]`` losses.

    >>> import tensorflux as tf
    >>> loss = tf.nn.sampled_softmax_loss(tf.ones([10, 3]), tf.zeros([10]), [[1], [2]],
    ...                                   tf.ones([2, 3]), 4, 10, seed=1)
    >>> loss.shape
    TensorShape([2])
    """
    logits, targets = _sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        True, remove_accidental_hits, seed,
    )  # fmt: skip
    return softmax_cross_entropy_with_logits(labels=stop_gradient(targets), logits=logits)


def nce_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true=1,
    sampled_values=None,
    remove_accidental_hits=False,
    name="nce_loss",
):
    """Noise-contrastive estimation loss (``tf.nn.nce_loss``): per example, the sum of
    the sigmoid cross-entropies of the true classes (label ``1 / num_true``) and of the
    sampled classes (label 0). Arguments as in ``sampled_softmax_loss``; the sampler
    is unseeded unless ``sampled_values`` is given.

    Returns:
        ``[batch]`` losses.

    >>> import tensorflux as tf
    >>> loss = tf.nn.nce_loss(tf.ones([10, 3]), tf.zeros([10]), [[1], [2]],
    ...                       tf.ones([2, 3]), 4, 10)
    >>> loss.shape
    TensorShape([2])
    """
    logits, targets = _sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        True, remove_accidental_hits, None,
    )  # fmt: skip
    return reduce_sum(sigmoid_cross_entropy_with_logits(labels=targets, logits=logits), axis=1)
