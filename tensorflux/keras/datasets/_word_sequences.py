"""The word-index remapping shared by the IMDB and Reuters loaders (Keras 2's rules)."""

import numpy as np

from tensorflux.keras.datasets import _files

KERAS_DATASETS_URL = _files.KERAS_DATASETS_URL


def check_kwargs(kwargs, num_words):
    """``num_words`` with the legacy ``nb_words`` applied; TypeError for other keys."""
    if "nb_words" in kwargs:
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}.")
    return num_words


def fetch(path, origin_name, file_hash, cache_dir, dataset):
    """The cached (or downloaded and checked) file ``path`` of Keras' dataset bucket."""
    folder = _files.cache_folder(cache_dir, "datasets")
    instructions = f"save {KERAS_DATASETS_URL}{origin_name} as {folder}/{path}."
    return _files.download(
        path, "datasets", cache_dir, dataset, instructions, origin_name=origin_name,
        file_hash=file_hash,
    )  # fmt: skip


def shift(xs, start_char, index_from):
    """Each sequence's indices plus ``index_from``, after a ``start_char`` if given."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return list(xs)


def drop_long(maxlen, xs, labels):
    """The sequences shorter than ``maxlen`` (strictly, as Keras) and their labels."""
    kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def limit_vocabulary(xs, num_words, skip_top, oov_char):
    """Indices outside ``[skip_top, num_words)`` become ``oov_char`` (or are dropped
    when it is None); ``num_words`` None keeps up to the largest index."""
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def as_object_array(xs):
    """``np.array(xs, dtype=object)`` as Keras builds it (a 2-D array when all the
    sequences have one length)."""
    return np.array(xs, dtype="object")
