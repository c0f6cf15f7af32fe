"""``tf.keras.datasets.cifar10``: 60,000 32x32 colour images in 10 classes."""

import os

import numpy as np

from tensorflux.keras.datasets import cifar

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
_FILE_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data(cache_dir=None):
    """Loads CIFAR-10: 50,000 training and 10,000 test images (airplane, automobile,
    bird, cat, deer, dog, frog, horse, ship, truck).

    ``cifar-10-batches-py`` is read from Keras' cache (``~/.keras/datasets/``, under
    ``$KERAS_HOME`` or ``cache_dir``), extracted from ``cifar-10-python.tar.gz`` there,
    which is downloaded (and its sha256 checked) when missing.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        ``(50000, 32, 32, 3)``, ``(50000, 1)``, ``(10000, 32, 32, 3)``, ``(10000, 1)``.

    Raises:
        OSError: offline without the files (the message says where to put them).
        ValueError: a downloaded archive that does not match its sha256.

    >>> (x_train, y_train), _ = load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.shape  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1))
    """
    if cache_dir:
        cache_dir = os.path.expanduser(cache_dir)
        os.makedirs(cache_dir, exist_ok=True)
    path = cifar.fetch("cifar-10-batches-py", ORIGIN, _FILE_SHA256, cache_dir, "CIFAR-10")
    parts = [cifar.load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([x for x, _ in parts]).astype(np.uint8)
    y_train = np.concatenate([y for _, y in parts]).astype(np.uint8)
    x_test, y_test = cifar.load_batch(os.path.join(path, "test_batch"))
    return (
        (cifar.channels_last(x_train), y_train.reshape(-1, 1)),
        (cifar.channels_last(x_test), np.asarray(y_test, np.uint8).reshape(-1, 1)),
    )
