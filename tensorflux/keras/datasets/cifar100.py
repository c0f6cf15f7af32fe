"""``tf.keras.datasets.cifar100``: 60,000 32x32 colour images in 100 classes."""

import os

from tensorflux.keras.datasets import cifar

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
_FILE_SHA256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode="fine", cache_dir=None):
    """Loads CIFAR-100: 50,000 training and 10,000 test images, labelled with 100 fine
    classes or 20 coarse superclasses; cached as Keras caches it
    (``~/.keras/datasets/cifar-100-python``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(n, 32, 32, 3)`` and
        labels ``(n, 1)`` (int64 as pickled, as in Keras).

    Raises:
        ValueError: ``label_mode`` other than "fine" or "coarse".
        OSError: offline without the files (the message says where to put them).

    >>> (x_train, y_train), _ = load_data("coarse")  # doctest: +SKIP
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.'
        )
    if cache_dir:
        cache_dir = os.path.expanduser(cache_dir)
        os.makedirs(cache_dir, exist_ok=True)
    path = cifar.fetch("cifar-100-python", ORIGIN, _FILE_SHA256, cache_dir, "CIFAR-100")
    key = label_mode + "_labels"
    x_train, y_train = cifar.load_batch(os.path.join(path, "train"), label_key=key)
    x_test, y_test = cifar.load_batch(os.path.join(path, "test"), label_key=key)
    return (
        (cifar.channels_last(x_train), y_train.reshape(-1, 1)),
        (cifar.channels_last(x_test), y_test.reshape(-1, 1)),
    )
