"""``tf.keras.datasets.mnist``: 70,000 28x28 grayscale images of handwritten digits."""

import numpy as np

from tensorflux.keras.datasets import _files

_FILE_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz", cache_dir=None):
    """Loads the MNIST dataset of handwritten digits.

    ``mnist.npz`` is read from Keras' cache (``~/.keras/datasets/``, or under
    ``$KERAS_HOME`` or ``cache_dir``) if it is there with the right sha256, else
    downloaded there from Keras' dataset bucket with a progress bar.

    Args:
        path: the file's name in the cache.
        cache_dir: the cache's root folder instead of ``~/.keras``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)``, ``(10000,)``.

    Raises:
        OSError: when the file is missing and cannot be downloaded; the message
            says where to put it.
        ValueError: if the downloaded file does not match its sha256 hash.

    >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.dtype  # doctest: +SKIP
    ((60000, 28, 28), dtype('uint8'))
    """
    folder = _files.cache_folder(cache_dir, "datasets")
    instructions = f"save {_files.KERAS_DATASETS_URL}mnist.npz as {folder}/{path}."
    fpath = _files.download(
        path,
        "datasets",
        cache_dir,
        "MNIST",
        instructions,
        origin_name="mnist.npz",
        file_hash=_FILE_SHA256,
    )
    with np.load(fpath, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
