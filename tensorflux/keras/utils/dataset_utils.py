"""Listing, labelling and splitting the files of a class-per-folder directory: the
part of Keras' ``*_dataset_from_directory`` functions that does not read the files.

Files are listed as Keras lists them: class folders in sorted order (or the order of
``class_names``), the files of each walked folder sorted. With ``shuffle`` the list is
permuted by NumPy's ``RandomState(seed)`` exactly as Keras does, so the same seed puts
the same files in the training and validation subsets as in TensorFlow.
"""

from __future__ import annotations

import os

import numpy as np

from tensorflux.keras.utils.io_utils import print_msg

__all__ = [
    "check_validation_split_arg",
    "encode_labels",
    "get_training_or_validation_split",
    "index_directory",
]


def check_validation_split_arg(validation_split, subset, shuffle, seed) -> None:
    """Raises Keras' ValueError for an inconsistent ``validation_split`` / ``subset``."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be either "training", "validation" or "both", received: {subset}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must "
            "provide a `seed` argument, to make sure that there is no overlap "
            "between the training and validation subset."
        )


def _class_folders(directory: str) -> list:
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"Could not find directory {directory}")
    return [
        name.rstrip("/")
        for name in sorted(os.listdir(directory))
        if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")
    ]


def _files_under(folder: str, formats: tuple, follow_links: bool) -> list:
    """Relative paths of the files of ``formats`` under ``folder``, in Keras' order."""
    found = []
    for root, _, files in sorted(
        os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0]
    ):
        for name in sorted(files):
            if name.lower().endswith(formats):
                found.append(os.path.relpath(os.path.join(root, name), folder))
    return found


def index_directory(
    directory, labels, formats, class_names=None, shuffle=True, seed=None, follow_links=False
) -> tuple:
    """``(file_paths, labels, class_names)`` for the files under ``directory`` whose
    names end in one of ``formats`` (lower-cased),
    printing Keras' "Found N files belonging to K classes." line.

    Raises:
        ValueError: ``class_names`` that are not the sub-folders, or explicit ``labels``
            of another length than the files found.
    """
    if labels != "inferred":
        subdirs, class_names = [""], [""]
    else:
        subdirs = _class_folders(directory)
        if not class_names:
            class_names = subdirs
        elif set(class_names) != set(subdirs):
            raise ValueError(
                "The `class_names` passed did not match the names of the "
                f"subdirectories of the target directory. Expected: {subdirs}, "
                f"but received: {class_names}"
            )
    index = {name: i for i, name in enumerate(class_names)}
    filenames, found_labels = [], []
    for subdir in subdirs:
        for relative in _files_under(os.path.join(directory, subdir), formats, follow_links):
            filenames.append(os.path.join(subdir, relative) if subdir else relative)
            found_labels.append(index[subdir])
    if labels not in ("inferred", None):
        if len(labels) != len(filenames):
            raise ValueError(
                f"Expected the lengths of `labels` to match the number of files "
                f"in the target directory. len(labels) is {len(labels)} while "
                f"we found {len(filenames)} files in directory {directory}."
            )
        class_names = sorted(set(labels))
        label_array = np.asarray(labels)
    else:
        label_array = np.asarray(found_labels, dtype="int32")
    # Keras 2 prints this line without labels too (one class, named "").
    print_msg(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        np.random.RandomState(seed).shuffle(label_array)
    return paths, label_array, class_names


def get_training_or_validation_split(paths, labels, validation_split, subset) -> tuple:
    """The last ``validation_split`` of the (shuffled) files for "validation", the
    rest for "training", printing Keras' "Using N files for ..." line."""
    if not validation_split:
        return paths, labels
    count = int(validation_split * len(paths))
    if subset == "training":
        print_msg(f"Using {len(paths) - count} files for training.")
        return paths[:-count], labels[:-count]
    print_msg(f"Using {count} files for validation.")
    return paths[-count:], labels[-count:]


def encode_labels(labels, label_mode, num_classes):
    """The labels as ``label_mode`` wants them: int, one-hot float32 rows, or float32
    column; None without a label mode."""
    if not label_mode:
        return None
    labels = np.asarray(labels)
    if label_mode == "binary":
        return labels.astype(np.float32)[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype=np.float32)[labels]
    return labels
