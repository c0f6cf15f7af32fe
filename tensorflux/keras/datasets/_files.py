"""Finding dataset files: Keras' cache, system folders, then a verified download."""

import gzip
import hashlib
import os

import numpy as np

from tensorflux.keras.utils.data_utils import get_file, keras_home

# Where Debian's dataset-* packages install data (dataset-fashion-mnist puts the
# four idx .gz files in /usr/share/datasets/fashion-mnist).
SYSTEM_DATASETS_DIR = "/usr/share/datasets"

KERAS_DATASETS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def cache_folder(cache_dir, subdir):
    """``<cache_dir or $KERAS_HOME or ~/.keras>/<subdir>``, the folder get_file uses."""
    base = keras_home() if cache_dir is None else os.path.expanduser(cache_dir)
    return os.path.join(base, subdir)


def download(fname, subdir, cache_dir, dataset, instructions, origin_name=None, **get_file_kwargs):
    """``get_file`` of ``origin_name`` (default ``fname``) from Keras' dataset bucket,
    cached as ``fname``, with what to do when offline.

    Raises:
        OSError: if the download fails; the message says where to put the files.
    """
    origin = KERAS_DATASETS_URL + (origin_name or fname)
    try:
        return get_file(
            fname, origin=origin, cache_subdir=subdir, cache_dir=cache_dir, **get_file_kwargs
        )
    except OSError as e:
        raise OSError(
            f"Could not download the {dataset} dataset ({e}). To use it offline, {instructions}"
        ) from e


def read_gzip_checked(path, sha256):
    """The decompressed bytes of ``path`` if their sha256 is ``sha256``, else None.

    Hashing the decompressed content (not the .gz file) accepts the same data
    recompressed, as Debian's package ships it. A truncated or non-gzip file
    counts as a mismatch.
    """
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def parse_idx(data, name):
    """An idx-format (MNIST) byte string as a uint8 array of the shape its header gives.

    Raises:
        ValueError: if the header is not an idx uint8 header or the sizes disagree.
    """
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(
            f"{name} is not an idx file of unsigned bytes (header "
            f"{data[:4].hex()}). Delete it so that it is downloaded again."
        )
    rank = data[3]
    header = 4 + 4 * rank
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank))
    if len(data) - header != int(np.prod(shape)):
        raise ValueError(
            f"{name} holds {len(data) - header} values but its header announces "
            f"shape {shape}. Delete it so that it is downloaded again."
        )
    return np.frombuffer(data, np.uint8, offset=header).reshape(shape)
