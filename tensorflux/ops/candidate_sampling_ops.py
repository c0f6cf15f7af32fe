"""Candidate samplers (``tf.random.*_candidate_sampler``) and
``tf.nn.compute_accidental_hits``, drawing the same candidates as TF's CPU kernels.

TF's samplers read a Philox stream one word at a time (``SimplePhilox``): each call
reserves ``2048 * num_sampled`` words of the op's stream (so the next call of the same
op starts that far on) and draws from its start, in order:

* log-uniform: a double ``u`` from two words (20 + 32 mantissa bits), the candidate
  ``int(exp(u * log(range_max + 1))) - 1``, probability
  ``log((c + 2) / (c + 1)) / log(range_max + 1)``;
* uniform: ``Uniform64(range_max)``, a 64-bit word pair (low word first) reduced by
  rejection (``bits & (n - 1)`` for a power of two), probability ``1 / range_max``.

With ``unique`` a candidate already drawn is rejected and drawing goes on; the expected
counts are then ``1 - (1 - p) ** tries`` (float32, as TF computes them), else
``p * num_sampled``.
"""

from __future__ import annotations

import collections
import math

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import philox
from tensorflux.ops.common import to_tensor
from tensorflux.ops.random_seed import Stream, get_seed, stream_for

__all__: list = []

SampledCandidates = collections.namedtuple(
    "SampledCandidates", ["sampled_candidates", "true_expected_count", "sampled_expected_count"]
)
_WORDS_PER_SAMPLE = 2048  # TF's conservative estimate of the words one sample needs
_MASK64 = (1 << 64) - 1


class _Words:
    """TF's ``SimplePhilox`` over a stream position: 32-bit words in order, generated
    in growing chunks (rejection may read past the reservation, as TF's does)."""

    def __init__(self, key: int, counter: int, first: int):
        self._key, self._counter, self._chunk = key, counter, max(64, first)

    def words(self):
        """Successive words as Python ints."""
        while True:
            calls = -(-self._chunk // 4)
            w = philox.words(self._key, self._counter, calls * 4)
            self._counter = philox.skip(self._counter, calls)
            self._chunk *= 2
            yield from w.tolist()

    def pairs(self):
        """Successive ``(w0, w1)`` word pairs."""
        words = self.words()
        return zip(words, words)


def _log_uniform_values(pairs, range_max: int):
    log_range = math.log1p(range_max)
    for x0, x1 in pairs:
        u = float(philox.uint64_to_double(np.uint32(x0), np.uint32(x1)))
        yield (int(math.exp(u * log_range)) - 1) % range_max


def _uniform_values(pairs, range_max: int):
    n = range_max
    if n & (n - 1) == 0:
        for lo, hi in pairs:
            yield (lo | hi << 32) & (n - 1)
        return
    reject_below = (_MASK64 % n) + 1
    for lo, hi in pairs:
        bits = lo | hi << 32
        if bits >= reject_below:
            yield bits % n


def _log_uniform_probability(values: np.ndarray, range_max: int) -> np.ndarray:
    v = values.astype(np.float64)
    return (np.log((v + 2.0) / (v + 1.0)) / math.log1p(range_max)).astype(np.float32)


def _uniform_probability(values: np.ndarray, range_max: int) -> np.ndarray:
    return np.full(values.shape, np.float32(1.0 / range_max), np.float32)


_SAMPLERS = {
    "LogUniformCandidateSampler": (_log_uniform_values, _log_uniform_probability),
    "UniformCandidateSampler": (_uniform_values, _uniform_probability),
}


def _expected_count(p: np.ndarray, num_sampled: int, tries: int) -> np.ndarray:
    if tries == num_sampled:
        return p * np.float32(num_sampled)
    return -np.expm1(np.float32(tries) * np.log1p(-p))


def _check_true_classes(name, true_classes, num_true, range_max):
    if true_classes.ndim != 2:
        raise InvalidArgumentError(None, name, f"true_classes must be a matrix [Op:{name}]")
    if true_classes.shape[1] != num_true:
        raise InvalidArgumentError(
            None,
            name,
            f"true_classes must have num_true columns, expected: {true_classes.shape[1]} "
            f"was: {num_true} [Op:{name}]",
        )
    bad = true_classes[(true_classes < 0) | (true_classes >= range_max)]
    if bad.size:
        raise InvalidArgumentError(
            None,
            name,
            f"`true_candidate` out of range [0, {range_max}), received {int(bad[0])} [Op:{name}]",
        )


def _sampler_kernel(name):
    values_of, probability = _SAMPLERS[name]

    def kernel(true_classes, num_true, num_sampled, unique, range_max, seed, seed2, stream=None):
        stream = stream or Stream(seed, seed2)
        _check_true_classes(name, true_classes, num_true, range_max)
        if unique and num_sampled > range_max:
            raise InvalidArgumentError(None, name, f"Sampler's range is too small. [Op:{name}]")
        words = _Words(
            stream.key, stream.reserve(_WORDS_PER_SAMPLE * num_sampled // 4), 2 * num_sampled
        )
        values = values_of(words.pairs(), range_max)
        return _batch(
            values, true_classes, num_sampled, unique, lambda v: probability(v, range_max)
        )

    return kernel


def _batch(values, true_classes, num_sampled, unique, probability):
    """TF's ``SampleBatchGetExpectedCount``: ``num_sampled`` draws from ``values``
    (distinct ones with ``unique``, counting the tries) and the expected counts."""
    sampled, tries = [], 0
    if unique:
        seen = set()
        while len(sampled) < num_sampled:
            value = next(values)
            tries += 1
            if value not in seen:
                seen.add(value)
                sampled.append(value)
    else:
        sampled = [next(values) for _ in range(num_sampled)]
        tries = num_sampled
    sampled = np.asarray(sampled, np.int64).reshape(num_sampled)
    true_count = _expected_count(probability(true_classes), num_sampled, tries)
    sampled_count = _expected_count(probability(sampled), num_sampled, tries)
    return sampled, true_count.astype(np.float32), sampled_count.astype(np.float32)


def _sampler_infer(true_classes: Spec, num_true, num_sampled, unique, range_max, seed, seed2,
                   stream=None):  # fmt: skip
    batch = true_classes.shape.as_list()[0] if true_classes.shape.rank is not None else None
    return (
        Spec(dtypes.int64, TensorShape([num_sampled])),
        Spec(dtypes.float32, TensorShape([batch, num_true])),
        Spec(dtypes.float32, TensorShape([num_sampled])),
    )


_OPS = {
    name: register(
        name,
        stateful=True,
        kernel=_sampler_kernel(name),
        grad=None,
        infer=_sampler_infer,
        num_outputs=3,
    )
    for name in _SAMPLERS
}


def _int64_input(name, value):
    if isinstance(value, Tensor) and value.dtype != dtypes.int64:
        kind = value.dtype.name
        raise InvalidArgumentError(
            None,
            name,
            f"cannot compute {name} as input #0(zero-based) was expected to be a int64 "
            f"tensor but is a {kind} tensor [Op:{name}]",
        )
    return to_tensor(value, dtypes.int64)


def _sample(name, true_classes, num_true, num_sampled, unique, range_max, seed):
    if range_max <= 0:
        raise InvalidArgumentError(None, name, f"range_max must be positive [Op:{name}]")
    true_classes = _int64_input(name, true_classes)
    s1, s2 = get_seed(seed)
    attrs = {"num_true": int(num_true), "num_sampled": int(num_sampled), "unique": bool(unique)}
    attrs["range_max"] = int(range_max)
    # TF caches one kernel (one stream) per attribute set.
    stream = stream_for(name, tuple(attrs.values()), s1, s2)
    before = stream.counter
    out = execute(_OPS[name], (true_classes,), {**attrs, "seed": s1, "seed2": s2, "stream": stream})
    if context.state.graph is not None:
        stream.rewind(before)
    return SampledCandidates(*out)


def log_uniform_candidate_sampler(
    true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None
):
    """Samples ``num_sampled`` classes of ``[0, range_max)`` from the log-uniform (Zipf)
    distribution ``P(c) = log((c + 2) / (c + 1)) / log(range_max + 1)``: for classes
    sorted by decreasing frequency (``tf.random.log_uniform_candidate_sampler``).

    Args:
        true_classes: int64 ``[batch, num_true]``: the target classes.
        num_true: the number of targets per example.
        num_sampled: how many classes to sample.
        unique: sample without replacement.
        range_max: the number of classes.
        seed: the op seed.

    Returns:
        ``(sampled_candidates, true_expected_count, sampled_expected_count)``: int64
        ``[num_sampled]``, float32 ``[batch, num_true]`` and ``[num_sampled]``.

    Raises:
        InvalidArgumentError: a true class outside ``[0, range_max)``, a second dimension
            other than ``num_true``, or ``unique`` with ``num_sampled > range_max``.

    >>> import tensorflux as tf
    >>> out = tf.random.log_uniform_candidate_sampler([[1]], 1, 4, True, 10, seed=3)
    >>> out.sampled_candidates.shape, out.true_expected_count.dtype
    (TensorShape([4]), tf.float32)
    """
    return _sample(
        "LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique, range_max, seed
    )


def uniform_candidate_sampler(
    true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None
):
    """Samples ``num_sampled`` classes uniformly from ``[0, range_max)``
    (``tf.random.uniform_candidate_sampler``); arguments and results as in
    ``log_uniform_candidate_sampler``.

    >>> import tensorflux as tf
    >>> out = tf.random.uniform_candidate_sampler([[0], [2]], 1, 3, True, 5, seed=1)
    >>> out.sampled_expected_count.shape
    TensorShape([3])
    """
    return _sample(
        "UniformCandidateSampler", true_classes, num_true, num_sampled, unique, range_max, seed
    )


# -- FixedUnigramCandidateSampler ------------------------------------------------


def _unigram_weights(range_max, vocab_file, distortion, num_reserved_ids, num_shards, shard,
                     unigrams):  # fmt: skip
    """TF's ``FixedUnigramSampler`` weights (float32, ``w ** distortion``, reserved ids 0,
    this shard's ids only) and their float64 total."""
    name = "FixedUnigramCandidateSampler"
    if not vocab_file and not unigrams:
        raise InvalidArgumentError(
            None, name, f"Must provide either vocab_file or unigrams. [Op:{name}]"
        )
    if vocab_file and unigrams:
        raise InvalidArgumentError(
            None, name, f"Must only provide one of vocab_file and unigrams. [Op:{name}]"
        )
    weights = [np.float32(0.0) for i in range(num_reserved_ids) if i % num_shards == shard]
    if vocab_file:
        with open(vocab_file, encoding="utf-8") as f:
            lines = [line.rstrip("\n") for line in f]
        try:
            unigrams = [float(line.split(",")[-1]) for line in lines]
        except ValueError:
            raise InvalidArgumentError(
                None, name, f"Wrong vocabulary format in {vocab_file} [Op:{name}]"
            ) from None
    total = 0.0
    for word_id, w in enumerate(unigrams, start=len(weights)):
        if word_id % num_shards == shard:
            w = np.float32(np.float32(w) ** np.float32(distortion))
            total += float(w)
            weights.append(w)
    if len(weights) != range_max:
        raise InvalidArgumentError(
            None,
            name,
            f"range is {range_max} must be equal to weights size  {len(weights)} [Op:{name}]",
        )
    return np.array(weights, np.float32), total


def _alias_table(weights: np.ndarray) -> tuple:
    """Walker's alias table as TF's ``DistributionSampler`` builds it (the same stacks and
    roundings): float32 keep-probabilities and int alternatives."""
    n = len(weights)
    total = float(np.sum(weights.astype(np.float64)))
    # weights[i] * n is a float32 product in TF's C++, divided in double.
    scaled = [float(np.float32(w) * np.float32(n)) / total for w in weights]
    alt = [-1] * n
    low = [i for i, p in enumerate(scaled) if p < 1.0]
    high = [i for i, p in enumerate(scaled) if p >= 1.0]
    while high and low:
        small, big = low.pop(), high.pop()
        alt[small] = big
        scaled[big] -= 1.0 - scaled[small]
        (low if scaled[big] < 1.0 else high).append(big)
    prob = np.array(scaled, np.float32)
    for i in high + low:  # rounding leftovers: always themselves
        prob[i], alt[i] = 1.0, i
    return prob.tolist(), alt


def _uniform32(words, n: int):
    """``SimplePhilox::Uniform(n)``: one 32-bit draw, with rejection unless ``n`` is a
    power of two."""
    if n & (n - 1) == 0:
        return next(words) & (n - 1)
    reject_below = (0xFFFFFFFF % n) + 1
    while True:
        bits = next(words)
        if bits >= reject_below:
            return bits % n


def _unigram_values(words, prob, alt):
    n = len(prob)
    while True:
        r = float(philox.uint32_to_float(np.uint32(next(words))))
        i = _uniform32(words, n)
        yield i if r < prob[i] else alt[i]


def _fixed_unigram_kernel(true_classes, num_true, num_sampled, unique, range_max, vocab_file,
                          distortion, num_reserved_ids, num_shards, shard, unigrams, seed,
                          seed2, stream=None):  # fmt: skip
    name = "FixedUnigramCandidateSampler"
    stream = stream or Stream(seed, seed2)
    weights, total = _unigram_weights(
        range_max, vocab_file, distortion, num_reserved_ids, num_shards, shard, unigrams
    )
    _check_true_classes(name, true_classes, num_true, range_max)
    if unique and num_sampled > range_max:
        raise InvalidArgumentError(None, name, f"Sampler's range is too small. [Op:{name}]")
    prob, alt = _alias_table(weights)
    words = _Words(
        stream.key, stream.reserve(_WORDS_PER_SAMPLE * num_sampled // 4), 4 * num_sampled
    )

    def probability(values):
        inside = (values >= 0) & (values < len(weights))
        p = np.where(inside, weights[np.clip(values, 0, len(weights) - 1)] / total, 0.0)
        return p.astype(np.float32)

    return _batch(_unigram_values(words.words(), prob, alt), true_classes, num_sampled,
                  unique, probability)  # fmt: skip


def _fixed_unigram_infer(true_classes: Spec, num_true, num_sampled, unique, range_max, *args,
                         **kwargs):  # fmt: skip
    return _sampler_infer(true_classes, num_true, num_sampled, unique, range_max, 0, 0)


_FIXED_UNIGRAM = register(
    "FixedUnigramCandidateSampler",
    stateful=True,
    kernel=_fixed_unigram_kernel,
    grad=None,
    infer=_fixed_unigram_infer,
    num_outputs=3,
)


def fixed_unigram_candidate_sampler(
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    vocab_file="",
    distortion=1.0,
    num_reserved_ids=0,
    num_shards=1,
    shard=0,
    unigrams=(),
    seed=None,
    name=None,
):
    """Samples classes with probabilities proportional to ``unigrams ** distortion`` (or
    the last comma-separated field of each line of ``vocab_file``), drawing TF's
    candidates (``tf.random.fixed_unigram_candidate_sampler``).

    Args:
        true_classes, num_true, num_sampled, unique, range_max, seed: as in
            ``log_uniform_candidate_sampler``.
        vocab_file: a file of ``word,...,count`` lines, or "".
        distortion: the power applied to each weight.
        num_reserved_ids: ids before the vocabulary, given weight 0.
        num_shards, shard: keep only the ids ``i`` with ``i % num_shards == shard``.
        unigrams: the weights, when no ``vocab_file`` is given.

    Returns:
        ``(sampled_candidates, true_expected_count, sampled_expected_count)``.

    Raises:
        InvalidArgumentError: neither or both of ``vocab_file`` and ``unigrams``, or
            ``range_max`` not the number of weights kept.

    >>> import tensorflux as tf
    >>> out = tf.random.fixed_unigram_candidate_sampler(
    ...     [[0]], 1, 2, True, 3, unigrams=[5.0, 1.0, 2.0], seed=1)
    >>> out.sampled_candidates.shape
    TensorShape([2])
    """
    op = "FixedUnigramCandidateSampler"
    if range_max <= 0:
        raise InvalidArgumentError(None, op, f"range_max must be positive [Op:{op}]")
    true_classes = _int64_input(op, true_classes)
    s1, s2 = get_seed(seed)
    attrs = {
        "num_true": int(num_true),
        "num_sampled": int(num_sampled),
        "unique": bool(unique),
        "range_max": int(range_max),
        "vocab_file": str(vocab_file),
        "distortion": float(distortion),
        "num_reserved_ids": int(num_reserved_ids),
        "num_shards": int(num_shards),
        "shard": int(shard),
        "unigrams": tuple(float(u) for u in unigrams),
    }
    stream = stream_for(op, tuple(attrs.values()), s1, s2)
    before = stream.counter
    out = execute(
        _FIXED_UNIGRAM, (true_classes,), {**attrs, "seed": s1, "seed2": s2, "stream": stream}
    )
    if context.state.graph is not None:
        stream.rewind(before)
    return SampledCandidates(*out)


# -- ComputeAccidentalHits ------------------------------------------------------


def _accidental_hits_kernel(true_classes, sampled_candidates, num_true):
    if true_classes.ndim != 2 or true_classes.shape[1] != num_true:
        raise InvalidArgumentError(
            None,
            "ComputeAccidentalHits",
            "true_candidates must be a batch_size * num_true matrix [Op:ComputeAccidentalHits]",
        )
    if sampled_candidates.ndim != 1:
        raise InvalidArgumentError(
            None,
            "ComputeAccidentalHits",
            "sampled_candidates must be a vector, which is typically an output from "
            "CandidateSampler [Op:ComputeAccidentalHits]",
        )
    # A candidate drawn twice is reported at its last position, as TF's map keeps it.
    position = {int(c): i for i, c in enumerate(sampled_candidates.tolist())}
    rows, ids = [], []
    for (i, _), c in np.ndenumerate(true_classes):
        j = position.get(int(c))
        if j is not None:
            rows.append(i)
            ids.append(j)
    weights = np.full(len(rows), np.finfo(np.float32).min, np.float32)
    return np.asarray(rows, np.int32), np.asarray(ids, np.int64), weights


def _accidental_hits_infer(true_classes: Spec, sampled_candidates: Spec, num_true):
    return (
        Spec(dtypes.int32, TensorShape([None])),
        Spec(dtypes.int64, TensorShape([None])),
        Spec(dtypes.float32, TensorShape([None])),
    )


_ACCIDENTAL_HITS = register(
    "ComputeAccidentalHits",
    kernel=_accidental_hits_kernel,
    grad=None,
    infer=_accidental_hits_infer,
    num_outputs=3,
    dynamic_shape=True,
)


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """The positions where a sampled candidate is one of its row's true classes
    (``tf.nn.compute_accidental_hits``).

    Returns:
        ``(indices, ids, weights)``: int32 rows, int64 positions in
        ``sampled_candidates``, and float32 weights of the lowest float32 (added to
        those logits to cancel them).

    >>> import tensorflux as tf
    >>> rows, ids, _ = tf.nn.compute_accidental_hits([[1], [3]], [3, 0, 1], num_true=1)
    >>> rows.numpy().tolist(), ids.numpy().tolist()
    ([0, 1], [2, 0])
    """
    true_classes = to_tensor(true_classes, dtypes.int64)
    sampled = to_tensor(sampled_candidates, dtypes.int64)
    return tuple(execute(_ACCIDENTAL_HITS, (true_classes, sampled), {"num_true": int(num_true)}))
