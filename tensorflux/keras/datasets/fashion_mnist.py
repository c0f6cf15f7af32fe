"""``tf.keras.datasets.fashion_mnist``: 70,000 28x28 grayscale images of clothing."""

import os

from tensorflux.keras.datasets import _files
from tensorflux.keras.utils.io_utils import print_msg

_SUBDIR = os.path.join("datasets", "fashion-mnist")
_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)
# sha256 of each file's decompressed content, as published by Zalando Research.
_CONTENT_SHA256 = {
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",  # noqa: E501
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",  # noqa: E501
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
}


def _instructions(cache_dir):
    folder = _files.cache_folder(cache_dir, _SUBDIR)
    return (
        f"put the files {', '.join(_FILES)} (from {_files.KERAS_DATASETS_URL}) in "
        f"{folder}, or install Debian's dataset-fashion-mnist package, which puts them in "
        f"{os.path.join(_files.SYSTEM_DATASETS_DIR, 'fashion-mnist')}."
    )


def _load_file(fname, cache_dir):
    """The verified decompressed bytes of one file: cache, system folder, download."""
    expected = _CONTENT_SHA256[fname]
    cached = os.path.join(_files.cache_folder(cache_dir, _SUBDIR), fname)
    system = os.path.join(_files.SYSTEM_DATASETS_DIR, "fashion-mnist", fname)
    for path in (cached, system):
        if os.path.exists(path):
            data = _files.read_gzip_checked(path, expected)
            if data is not None:
                return data
    stale_cache = os.path.exists(cached)
    if stale_cache:
        print_msg(
            f"A local file was found at {cached}, but its content does not match the "
            "published sha256 hash, so we will re-download the data."
        )
    path = _files.download(
        fname,
        _SUBDIR,
        cache_dir,
        "Fashion-MNIST",
        _instructions(cache_dir),
        force_download=stale_cache,
    )
    data = _files.read_gzip_checked(path, expected)
    if data is None:
        os.remove(path)
        raise ValueError(
            f"Incomplete or corrupted file detected: the content of {fname} "
            f"downloaded from {_files.KERAS_DATASETS_URL} does not match the "
            f"sha256 hash {expected}. Try again later."
        )
    return data


def load_data(cache_dir=None):
    """Loads the Fashion-MNIST dataset (Zalando's article images, 10 classes).

    Each file is taken from the first place that has it with the right content:
    Keras' cache (``~/.keras/datasets/fashion-mnist/``, or under ``$KERAS_HOME`` or
    ``cache_dir``), then ``/usr/share/datasets/fashion-mnist/`` (Debian's
    ``dataset-fashion-mnist`` package), else it is downloaded from Keras' dataset
    bucket into the cache, with a progress bar.

    Args:
        cache_dir: the cache's root folder instead of ``~/.keras``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)``, ``(10000,)``; labels
        0-9 are T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt,
        Sneaker, Bag, Ankle boot.

    Raises:
        OSError: when a file is missing and cannot be downloaded; the message says
            where to put the files.
        ValueError: if a downloaded file's content does not match its hash.

    >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
    >>> x_train.shape  # doctest: +SKIP
    (60000, 28, 28)
    """
    y_train, x_train, y_test, x_test = (
        _files.parse_idx(_load_file(fname, cache_dir), fname) for fname in _FILES
    )
    return (x_train, y_train), (x_test, y_test)
