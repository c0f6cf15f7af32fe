"""``tf.keras.datasets.reuters``: 11,228 Reuters newswires as word-index sequences,
labelled with one of 46 topics."""

import json

import numpy as np

from tensorflux.keras.datasets import _word_sequences as ws

_FILE_SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
_WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"

_LABEL_NAMES = (
    "cocoa grain veg-oil earn acq wheat copper housing money-supply coffee sugar trade "
    "reserves ship cotton carcass crude nat-gas cpi money-fx interest gnp meal-feed alum "
    "oilseed gold tin strategic-metal livestock retail ipi iron-steel rubber heat jobs "
    "lei bop zinc orange pet-chem dlr gas silver wpi hog lead"
).split()


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    cache_dir=None,
    **kwargs,
):
    """Loads the Reuters newswires: ``reuters.npz`` from Keras' cache (or downloaded).

    The wires are shuffled by ``RandomState(seed)``, remapped as in
    ``imdb.load_data`` (``start_char``, ``index_from``, ``maxlen``, ``skip_top``,
    ``num_words``, ``oov_char``), and the last ``test_split`` of them is the test set.

    Args:
        path: the file's name in the cache.
        test_split: the fraction kept for testing.
        num_words, skip_top, maxlen, seed, start_char, oov_char, index_from: as in
            ``imdb.load_data``.
        cache_dir: the cache's root folder instead of ``~/.keras``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints, and
        int labels in ``[0, 46)``.

    Raises:
        OSError: the file is missing and cannot be downloaded.
        TypeError: unknown keyword arguments.

    >>> (x_train, y_train), _ = load_data(num_words=10000)  # doctest: +SKIP
    """
    num_words = ws.check_kwargs(kwargs, num_words)
    fpath = ws.fetch(path, "reuters.npz", _FILE_SHA256, cache_dir, "Reuters")
    with np.load(fpath, allow_pickle=True) as f:
        xs, labels = f["x"], f["y"]
    order = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(order)
    xs, labels = xs[order], labels[order]
    xs = ws.shift(xs, start_char, index_from)
    if maxlen:
        xs, labels = ws.drop_long(maxlen, xs, labels)
    xs = ws.limit_vocabulary(xs, num_words, skip_top, oov_char)
    n = int(len(xs) * (1 - test_split))
    return (ws.as_object_array(xs[:n]), np.array(labels[:n])), (
        ws.as_object_array(xs[n:]),
        np.array(labels[n:]),
    )


def get_word_index(path="reuters_word_index.json"):
    """The Reuters vocabulary: word -> index (``load_data`` adds ``index_from``).

    Raises:
        OSError: the file is missing and cannot be downloaded.

    >>> get_word_index()["the"]  # doctest: +SKIP
    1
    """
    fpath = ws.fetch(path, "reuters_word_index.json", _WORD_INDEX_MD5, None, "Reuters word index")
    with open(fpath) as f:
        return json.load(f)


def get_label_names():
    """The 46 topic names, in label order.

    >>> get_label_names()[:3]
    ('cocoa', 'grain', 'veg-oil')
    """
    return tuple(_LABEL_NAMES)
