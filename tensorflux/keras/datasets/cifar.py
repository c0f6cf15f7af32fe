"""Reading the CIFAR "python version" batch files (pickled dicts of uint8 rows)."""

import pickle

import numpy as np

from tensorflux.keras.datasets import _files
from tensorflux.keras.utils.data_utils import get_file


def load_batch(fpath, label_key="labels"):
    """``(data, labels)`` of one CIFAR batch file: data ``(n, 3, 32, 32)`` uint8.

    The files are Python pickles (as Keras reads them): load only the files from the
    dataset's archive, checked by its sha256 before extraction.

    Raises:
        ValueError: a file without the expected entries.
    """
    with open(fpath, "rb") as f:
        entries = pickle.load(f, encoding="bytes")
    entries = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in entries.items()}
    if "data" not in entries or label_key not in entries:
        raise ValueError(
            f"{fpath} is not a CIFAR batch file (it has no 'data' or "
            f"'{label_key}' entry). Delete the extracted folder so that it is "
            f"extracted again."
        )
    data = np.asarray(entries["data"], dtype=np.uint8)
    return data.reshape(data.shape[0], 3, 32, 32), np.asarray(entries[label_key])


def fetch(dirname, origin, sha256, cache_dir, dataset):
    """The extracted folder ``<cache>/datasets/<dirname>``, downloading and checking
    ``<dirname>.tar.gz`` first when needed (Keras' cache layout).

    Raises:
        OSError: offline without the files; the message says where to put them.
    """
    folder = _files.cache_folder(cache_dir, "datasets")
    try:
        return get_file(dirname, origin=origin, untar=True, file_hash=sha256, cache_dir=cache_dir)
    except OSError as e:
        raise OSError(
            f"Could not download the {dataset} dataset ({e}). To use it offline, "
            f"save {origin} as {folder}/{dirname}.tar.gz."
        ) from e


def channels_last(x):
    from tensorflux.keras import backend

    return x.transpose(0, 2, 3, 1) if backend.image_data_format() == "channels_last" else x
