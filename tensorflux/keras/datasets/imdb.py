"""``tf.keras.datasets.imdb``: 50,000 movie reviews as word-index sequences, labelled
positive (1) or negative (0)."""

import json

import numpy as np

from tensorflux.keras.datasets import _word_sequences as ws

_FILE_SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
_WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f"


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    cache_dir=None,
    **kwargs,
):
    """Loads the IMDB reviews: ``imdb.npz`` from Keras' cache (``~/.keras/datasets``, or
    under ``$KERAS_HOME`` or ``cache_dir``) if it is there with the right sha256, else
    downloaded there.

    Each split is shuffled by ``RandomState(seed)``; word ``i`` (1 = most frequent)
    becomes ``i + index_from``, each review starts with ``start_char``; reviews of
    ``maxlen`` words or more are dropped; indices outside ``[skip_top, num_words)``
    become ``oov_char`` (dropped if it is None).

    Args:
        path: the file's name in the cache.
        num_words, skip_top, maxlen, seed, start_char, oov_char, index_from: as above.
        cache_dir: the cache's root folder instead of ``~/.keras``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints, and
        int labels.

    Raises:
        OSError: the file is missing and cannot be downloaded (the message says where
            to put it).
        ValueError: ``maxlen`` left no review, or the file's hash is wrong.
        TypeError: unknown keyword arguments.

    >>> (x_train, y_train), _ = load_data(num_words=10000)  # doctest: +SKIP
    """
    num_words = ws.check_kwargs(kwargs, num_words)
    fpath = ws.fetch(path, "imdb.npz", _FILE_SHA256, cache_dir, "IMDB")
    with np.load(fpath, allow_pickle=True) as f:
        x_train, labels_train = f["x_train"], f["y_train"]
        x_test, labels_test = f["x_test"], f["y_test"]
    # One generator shuffles both splits, the training split first.
    rng = np.random.RandomState(seed)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, labels_train = x_train[order], labels_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, labels_test = x_test[order], labels_test[order]
    x_train = ws.shift(x_train, start_char, index_from)
    x_test = ws.shift(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = ws.drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = ws.drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence "
                "was kept. Increase maxlen."
            )
    xs = ws.limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    n = len(x_train)
    return (ws.as_object_array(xs[:n]), labels[:n]), (ws.as_object_array(xs[n:]), labels[n:])


def get_word_index(path="imdb_word_index.json"):
    """The IMDB vocabulary: word -> index (1 = most frequent; ``load_data`` adds
    ``index_from`` to these).

    Raises:
        OSError: the file is missing and cannot be downloaded.

    >>> get_word_index()["the"]  # doctest: +SKIP
    1
    """
    fpath = ws.fetch(path, "imdb_word_index.json", _WORD_INDEX_MD5, None, "IMDB word index")
    with open(fpath) as f:
        return json.load(f)
