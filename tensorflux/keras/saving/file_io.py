"""Opening saved files: h5py imported only when a file needs it, and the errors of a
missing, truncated or foreign file turned into the exceptions tf-keras raises, with a
message that says what is wrong instead of a raw h5py or zipfile traceback."""

from __future__ import annotations

import contextlib
import os

__all__ = []

# The newest Keras major version whose files we understand; a file from a newer one is
# refused instead of misread.
NEWEST_KERAS_MAJOR = 3


def h5py():
    """The h5py module (a required dependency, imported on first use).

    Raises:
        ImportError: h5py is not installed.
    """
    try:
        import h5py as module
    except ImportError as error:
        raise ImportError(
            "Saving and loading Keras `.h5` and `.keras` files requires h5py: `pip install h5py`."
        ) from error
    return module


def check_exists(filepath) -> None:
    """Raises ``OSError("No file or directory found at ...")`` as tf-keras does."""
    if not os.path.exists(filepath):
        raise OSError(f"No file or directory found at {filepath}")


@contextlib.contextmanager
def open_h5(source, mode="r", what="HDF5 file"):
    """``h5py.File(source, mode)`` as a context; ``source`` is a path or a file object.

    Raises:
        OSError: the file is missing, truncated, corrupted or not HDF5.
    """
    module = h5py()
    name = source if isinstance(source, (str, os.PathLike)) else what
    try:
        handle = module.File(source, mode)
    except (OSError, ValueError) as error:
        raise OSError(
            f"Unable to open {name} as an {what}: it is truncated, corrupted or "
            f"not an HDF5 file ({error})."
        ) from None
    try:
        yield handle
    finally:
        handle.close()


def read_error(name, error) -> OSError:
    """The error for an HDF5 object that fails to read (a truncated or damaged file)."""
    return OSError(f"Unable to read {name}: the file is truncated or corrupted ({error}).")


def attr_text(value):
    """An HDF5 string attribute as ``str`` (h5py returns bytes or str by how it was
    written)."""
    if hasattr(value, "decode"):
        return value.decode("utf8")
    return value


def check_keras_version(version, filepath) -> None:
    """Refuses a file written by a Keras newer than any we know.

    Raises:
        ValueError: the file's major version is above :data:`NEWEST_KERAS_MAJOR`.
    """
    if version is None:
        return
    text = str(attr_text(version))
    try:
        major = int(text.split(".")[0])
    except ValueError:
        return
    if major > NEWEST_KERAS_MAJOR:
        raise ValueError(
            f"The file {filepath} was saved by Keras {text}, a newer format "
            f"version than this tensorflux reads (Keras 2.x and "
            f"{NEWEST_KERAS_MAJOR}.x files). Save it again in the `.h5` or "
            f"`.keras` format of an older Keras."
        )


def ask_to_proceed_with_overwrite(filepath) -> bool:
    """Asks on the terminal whether to overwrite ``filepath`` (tf-keras's prompt)."""
    overwrite = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while overwrite not in ("y", "n"):
        overwrite = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if overwrite == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True
