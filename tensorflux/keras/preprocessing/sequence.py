"""``tf.keras.preprocessing.sequence``: padding, word2vec skip-gram pairs and their
subsampling table (Keras 2's Python-side sequence utilities).

``skipgrams`` draws from Python's ``random`` module in the order Keras draws, so
after the same ``random.seed`` (and with the same ``seed``) it returns the same pairs.
"""

from __future__ import annotations

import random

import numpy as np

from tensorflux.keras.preprocessing.timeseries_generator import TimeseriesGenerator  # noqa: F401
from tensorflux.keras.utils.sequence_utils import pad_sequences

__all__ = ["make_sampling_table", "pad_sequences", "skipgrams"]

_EULER_GAMMA = 0.577  # Keras' rounded constant, kept for identical tables


def make_sampling_table(size, sampling_factor=1e-5):
    """Word2vec's keep-probabilities per frequency rank, for ``skipgrams``.

    A word of rank ``r`` (Zipf's law: frequency ~ ``1 / (r (log r + gamma))``) is kept
    with probability ``min(1, sqrt(sampling_factor / frequency))``; rank 0 counts as 1.

    Args:
        size: the number of ranks (the vocabulary size).
        sampling_factor: word2vec's sampling factor.

    Returns:
        A float64 array of shape ``(size,)``.

    >>> make_sampling_table(4).round(4).tolist()
    [0.0032, 0.0032, 0.0055, 0.0074]
    """
    rank = np.arange(size)
    rank[0] = 1
    inverse_frequency = rank * (np.log(rank) + _EULER_GAMMA) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inverse_frequency
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(
    sequence,
    vocabulary_size,
    window_size=4,
    negative_samples=1.0,
    shuffle=True,
    categorical=False,
    sampling_table=None,
    seed=None,
):
    """Skip-gram pairs of a sequence of word indices, with random negative pairs.

    Every non-zero word ``w_i`` (kept with probability ``sampling_table[w_i]`` when a
    table is given) pairs with each non-zero word within ``window_size`` of it (label
    1). Then ``int(positives * negative_samples)`` pairs of a (shuffled) positive
    pair's first word and a random index in ``[1, vocabulary_size - 1]`` (label 0)
    are added. Index 0 is never a word.

    Args:
        sequence: a list of word indices.
        vocabulary_size: the largest index + 1.
        window_size: the half-width of the window.
        negative_samples: negatives per positive (0 for none).
        shuffle: shuffle pairs and labels together (with ``seed``).
        categorical: labels as ``[0, 1]`` / ``[1, 0]`` instead of 1 / 0.
        sampling_table: per-index keep probabilities (``make_sampling_table``).
        seed: the seed of the final shuffle.

    Returns:
        ``(couples, labels)``: lists of ``[target, context]`` pairs and labels.

    >>> couples, labels = skipgrams([1, 2, 3], 4, window_size=1, negative_samples=0,
    ...                             shuffle=False)
    >>> couples, labels
    ([[1, 2], [2, 1], [2, 3], [3, 2]], [1, 1, 1, 1])
    """
    positive = [0, 1] if categorical else 1
    negative = [1, 0] if categorical else 0
    couples, labels = [], []
    for i, target in enumerate(sequence):
        if not target:
            continue
        if sampling_table is not None and sampling_table[target] < random.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([target, sequence[j]])
                labels.append(positive)
    if negative_samples > 0:
        count = int(len(labels) * negative_samples)
        targets = [pair[0] for pair in couples]
        random.shuffle(targets)
        for i in range(count):
            couples.append([targets[i % len(targets)], random.randint(1, int(vocabulary_size - 1))])
        labels += [negative] * count
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(10e6))
        # The same seed before each shuffle permutes both lists alike.
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels
