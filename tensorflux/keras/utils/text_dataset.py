"""``keras.utils.text_dataset_from_directory``: a labelled ``tf.data`` pipeline over a
folder of ``.txt`` files, listed, shuffled and split as Keras 2 does it (the listing
is ``dataset_utils``' and shared with ``image_dataset_from_directory``)."""

from __future__ import annotations

import numpy as np

from tensorflux.data.dataset import Dataset
from tensorflux.data.iterator import BlockPull
from tensorflux.framework import dtypes
from tensorflux.framework.errors import NotFoundError
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.keras.utils.dataset_utils import (
    check_validation_split_arg,
    encode_labels,
    get_training_or_validation_split,
    index_directory,
)

__all__ = ["text_dataset_from_directory"]

_BLOCK = 256  # files read per block


def _read(path: str, max_length) -> bytes:
    try:
        with open(path, "rb") as f:
            # tf.strings.substr(..., 0, max_length) counts bytes, not characters.
            return f.read() if max_length is None else f.read(max_length)
    except FileNotFoundError:
        raise NotFoundError(None, "ReadFile", f"{path}; No such file or directory") from None


class _FilesPull(BlockPull):
    def __init__(self, paths, labels, max_length):
        self._paths, self._labels, self._max_length = paths, labels, max_length
        self._at = 0

    def _produce(self, k: int) -> tuple:
        start = self._at
        if start >= len(self._paths):
            raise StopIteration
        stop = min(start + min(k, _BLOCK), len(self._paths))
        self._at = stop
        texts = np.empty(stop - start, dtype=object)
        texts[:] = [_read(p, self._max_length) for p in self._paths[start:stop]]
        if self._labels is None:
            return (texts,)
        return texts, self._labels[start:stop]


class _TextFilesDataset(Dataset):
    """The contents of a list of files as string scalars, in order (with labels)."""

    _tf_name = "_ParallelMapDataset"

    def __init__(self, paths, labels, max_length):
        text_spec = TensorSpec((), dtypes.string)
        if labels is None:
            super().__init__(text_spec)
        else:
            label_spec = TensorSpec(labels.shape[1:], dtypes.as_dtype(labels.dtype))
            super().__init__((text_spec, label_spec))
        self._paths, self._labels, self._max_length = list(paths), labels, max_length

    def _pull(self):
        return _FilesPull(self._paths, self._labels, self._max_length)

    def _cardinality(self) -> int:
        return len(self._paths)


def _check_labels(labels, label_mode, class_names) -> None:
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same "
                "size as the number of text files in the target directory. If you wish to "
                "infer the labels from the subdirectory names in the target directory, "
                'pass `labels="inferred"`. If you wish to get a dataset that only contains '
                f"text samples (no labels), pass `labels=None`. Received: labels={labels}"
            )
        if class_names:
            raise ValueError(
                'You can only pass `class_names` if `labels="inferred"`. '
                f"Received: labels={labels}, and class_names={class_names}"
            )
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", "binary", '
            f"or None. Received: label_mode={label_mode}"
        )


def _finish(dataset: Dataset, batch_size, shuffle, seed, class_names) -> Dataset:
    dataset = dataset.prefetch(-1)
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        dataset = dataset.batch(batch_size)
    elif shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    dataset.class_names = class_names
    return dataset


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
):
    """A ``tf.data.Dataset`` of ``(texts, labels)`` batches from the ``.txt`` files of
    ``directory``, whose sub-folders are the classes (``labels="inferred"``).

    Texts are the files' bytes (the first ``max_length`` bytes if given). The dataset
    has a ``class_names`` attribute. With ``subset="both"`` a (training, validation)
    pair is returned; only the training one is reshuffled each epoch.

    >>> import os, tempfile
    >>> root = tempfile.mkdtemp()
    >>> for label in ("neg", "pos"):
    ...     os.makedirs(os.path.join(root, label))
    ...     with open(os.path.join(root, label, "a.txt"), "w") as f:
    ...         _ = f.write(label + " review")
    >>> data = text_dataset_from_directory(root, batch_size=2, shuffle=False)
    Found 2 files belonging to 2 classes.
    >>> texts, labels = next(iter(data))
    >>> texts.numpy().tolist(), labels.numpy().tolist()
    ([b'neg review', b'pos review'], [0, 1])

    Args:
        directory: the folder.
        labels: "inferred", None, or a list of ints, one per file in sorted order.
        label_mode: "int", "categorical", "binary" or None.
        class_names: the class folders in the order their labels should have.
        batch_size: texts per batch (None: single texts).
        max_length: keep at most this many bytes of each file.
        shuffle, seed: shuffle the files (and each epoch's order) with ``seed``.
        validation_split, subset: keep the last ``validation_split`` of the shuffled files
            for "validation", the rest for "training", or "both".
        follow_links: also walk folders reached through symbolic links.

    Raises:
        ValueError: bad arguments (Keras' messages), or no text files found.
    """
    _check_labels(labels, label_mode, class_names)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, label_array, class_names = index_directory(
        str(directory),
        labels,
        (".txt",),
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 '
            f"class_names. Received: class_names={class_names}"
        )

    def build(subset_paths, subset_labels, reshuffle):
        encoded = encode_labels(subset_labels, label_mode, len(class_names))
        dataset = _TextFilesDataset(subset_paths, encoded, max_length)
        return _finish(dataset, batch_size, reshuffle, seed, class_names)

    if subset == "both":
        training = get_training_or_validation_split(
            paths, label_array, validation_split, "training"
        )
        validation = get_training_or_validation_split(
            paths, label_array, validation_split, "validation"
        )
        if not training[0]:
            raise ValueError(
                f"No training text files found in directory {directory}. Allowed format: .txt"
            )
        if not validation[0]:
            raise ValueError(
                f"No validation text files found in directory {directory}. Allowed format: .txt"
            )
        return [build(*training, shuffle), build(*validation, False)]
    subset_paths, subset_labels = get_training_or_validation_split(
        paths, label_array, validation_split, subset
    )
    if not subset_paths:
        raise ValueError(f"No text files found in directory {directory}. Allowed format: .txt")
    return build(subset_paths, subset_labels, shuffle)
