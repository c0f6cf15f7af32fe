"""``tf.random.learned_unigram_candidate_sampler`` and ``tf.random.all_candidate_sampler``
(also in ``tf.nn``), drawing TF's candidates.

TF's learned sampler keeps, in its kernel, an integer weight per class (all 1 at first)
and draws a class by an unbiased uniform 32-bit draw below the total weight, walked down
the cumulative weights (TF's ``WeightedPicker``). After each call's draws it adds 1 to the
weight of every true class of the batch, so the next call of the same kernel samples from
what it has seen. Here that state lives beside the op's Philox stream: one per eager
attribute set, one per traced op, restarted with the stream by ``tf.random.set_seed``.

The "all" sampler returns every class ``0..num_sampled-1`` with expected counts 1.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import execute, register
from tensorflux.framework import context
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.ops.candidate_sampling_ops import (
    _WORDS_PER_SAMPLE,
    SampledCandidates,
    _batch,
    _check_true_classes,
    _int64_input,
    _sampler_infer,
    _uniform32,
    _Words,
)
from tensorflux.ops.random_seed import Stream, get_seed, stream_for

__all__ = ["all_candidate_sampler", "learned_unigram_candidate_sampler"]

_INT32_MAX = 2**31 - 1
_MAX_PICKERS = 4096


class _Picker:
    """The learned class weights of one sampler kernel (reset when its stream restarts)."""

    __slots__ = ("weights", "epoch")

    def __init__(self, range_max: int, epoch: int):
        self.weights = np.ones(range_max, np.int64)
        self.epoch = epoch


_PICKERS: dict = {}


def _picker_for(stream: Stream, range_max: int) -> _Picker:
    picker = _PICKERS.get(stream)
    if picker is None:
        if len(_PICKERS) >= _MAX_PICKERS:
            del _PICKERS[next(iter(_PICKERS))]
        picker = _PICKERS[stream] = _Picker(range_max, stream.epoch)
    return picker


def _learned_values(words, weights: np.ndarray):
    cumulative = np.cumsum(weights)
    total = int(cumulative[-1])
    while True:
        yield int(np.searchsorted(cumulative, _uniform32(words, total), side="right"))


def _learned_kernel(true_classes, num_true, num_sampled, unique, range_max, seed, seed2,
                    stream=None, picker=None):  # fmt: skip
    name = "LearnedUnigramCandidateSampler"
    stream = stream or Stream(seed, seed2)
    picker = picker or _Picker(range_max, stream.epoch)
    _check_true_classes(name, true_classes, num_true, range_max)
    if unique and num_sampled > range_max:
        raise InvalidArgumentError(None, name, f"Sampler's range is too small. [Op:{name}]")
    counter = stream.reserve(_WORDS_PER_SAMPLE * num_sampled // 4)
    if picker.epoch != stream.epoch:  # tf.random.set_seed restarted the kernel
        picker.weights[:] = 1
        picker.epoch = stream.epoch
    weights = picker.weights
    total = np.float32(weights.sum())
    words = _Words(stream.key, counter, 2 * num_sampled)

    def probability(values):
        inside = (values >= 0) & (values < range_max)
        w = np.where(inside, weights[np.clip(values, 0, range_max - 1)], 0)
        return (w.astype(np.float32) / total).astype(np.float32)

    out = _batch(_learned_values(words.words(), weights), true_classes, num_sampled, unique,
                 probability)  # fmt: skip
    seen = true_classes.reshape(-1)[: max(0, _INT32_MAX - int(weights.sum()))]
    np.add.at(weights, seen, 1)
    return out


def _learned_infer(true_classes, num_true, num_sampled, unique, range_max, seed, seed2,
                   stream=None, picker=None):  # fmt: skip
    return _sampler_infer(true_classes, num_true, num_sampled, unique, range_max, seed, seed2)


_LEARNED = register(
    "LearnedUnigramCandidateSampler",
    stateful=True,
    kernel=_learned_kernel,
    grad=None,
    infer=_learned_infer,
    num_outputs=3,
)


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                      seed=None, name=None):  # fmt: skip
    """Samples classes from the distribution of the true classes seen so far by this
    sampler (every class starts with count 1), drawing TF's candidates
    (``tf.random.learned_unigram_candidate_sampler``).

    Args:
        true_classes: int64 ``[batch, num_true]``: the target classes (learned after the
            draws of this call).
        num_true: the number of targets per example.
        num_sampled: how many classes to sample.
        unique: sample without replacement.
        range_max: the number of classes.
        seed: the op seed.

    Returns:
        ``(sampled_candidates, true_expected_count, sampled_expected_count)``.

    Raises:
        InvalidArgumentError: a true class outside ``[0, range_max)`` or ``unique`` with
            ``num_sampled > range_max``.

    >>> import tensorflux as tf
    >>> out = tf.random.learned_unigram_candidate_sampler([[1]], 1, 3, True, 5, seed=2)
    >>> out.sampled_candidates.shape
    TensorShape([3])
    """
    op = "LearnedUnigramCandidateSampler"
    if range_max <= 0:
        raise InvalidArgumentError(None, op, f"range_max must be positive [Op:{op}]")
    if range_max >= _INT32_MAX:
        raise InvalidArgumentError(
            None, op, f"Expected range <= kint32max. Got range: {range_max} [Op:{op}]"
        )
    true_classes = _int64_input(op, true_classes)
    s1, s2 = get_seed(seed)
    attrs = {"num_true": int(num_true), "num_sampled": int(num_sampled), "unique": bool(unique)}
    attrs["range_max"] = int(range_max)
    stream = stream_for(op, tuple(attrs.values()), s1, s2)
    picker = _picker_for(stream, int(range_max))
    before, learned = stream.counter, picker.weights.copy()
    attrs.update(seed=s1, seed2=s2, stream=stream, picker=picker)
    out = execute(_LEARNED, (true_classes,), attrs)
    if context.state.graph is not None:  # the trace's example run learns nothing
        stream.rewind(before)
        picker.weights[:] = learned
    return SampledCandidates(*out)


# -- AllCandidateSampler ----------------------------------------------------------------


def _all_kernel(true_classes, num_true, num_sampled, unique, seed, seed2):
    _check_true_classes("AllCandidateSampler", true_classes, num_true, num_sampled)
    ones = np.ones(true_classes.shape, np.float32)
    return np.arange(num_sampled, dtype=np.int64), ones, np.ones(num_sampled, np.float32)


def _all_infer(true_classes, num_true, num_sampled, unique, seed, seed2):
    return _sampler_infer(true_classes, num_true, num_sampled, unique, num_sampled, seed, seed2)


_ALL = register(
    "AllCandidateSampler",
    stateful=True,
    kernel=_all_kernel,
    grad=None,
    infer=_all_infer,
    num_outputs=3,
)


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """Every class ``0..num_sampled-1`` as the sample, with expected counts 1: the exact
    (unsampled) case, for tests (``tf.random.all_candidate_sampler``).

    Args:
        true_classes: int64 ``[batch, num_true]`` in ``[0, num_sampled)``.
        num_true: the number of targets per example.
        num_sampled: the number of classes.
        unique: ignored (every class is returned once).
        seed: the op seed (unused: nothing is drawn).

    Returns:
        ``(sampled_candidates, true_expected_count, sampled_expected_count)``.

    >>> import tensorflux as tf
    >>> tf.random.all_candidate_sampler([[1]], 1, 3, True).sampled_candidates.numpy()
    array([0, 1, 2])
    """
    op = "AllCandidateSampler"
    true_classes = _int64_input(op, true_classes)
    s1, s2 = get_seed(seed)
    attrs = {"num_true": int(num_true), "num_sampled": int(num_sampled), "unique": bool(unique),
             "seed": s1, "seed2": s2}  # fmt: skip
    return SampledCandidates(*execute(_ALL, (true_classes,), attrs))
