"""``tf.keras.datasets.boston_housing``: 506 houses, 13 features, median prices."""

import numpy as np

from tensorflux.keras.datasets import _files

_FILE_SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113, cache_dir=None):
    """Loads the Boston housing regression data, shuffled with ``RandomState(seed)``
    and split as Keras splits it (the last ``test_split`` for testing).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float64 features ``(n, 13)`` and
        targets ``(n,)`` (404 / 102 rows with the defaults).

    Raises:
        ValueError: ``test_split`` outside [0, 1).
        OSError: offline without the file (the message says where to put it).

    >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((404, 13), (102, 13))
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split must be in [0, 1), got {test_split}")
    folder = _files.cache_folder(cache_dir, "datasets")
    instructions = f"save {_files.KERAS_DATASETS_URL}boston_housing.npz as {folder}/{path}."
    fpath = _files.download(
        path,
        "datasets",
        cache_dir,
        "Boston housing",
        instructions,
        origin_name="boston_housing.npz",
        file_hash=_FILE_SHA256,
    )
    with np.load(fpath, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
