"""Writing a SavedModel directory atomically, and opening one with TF's errors."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from tensorflux.framework import graph_protos as protos
from tensorflux.framework.proto_wire import ProtoDecodeError
from tensorflux.saved_model import constants

__all__ = [
    "atomic_directory",
    "contains_saved_model",
    "read_saved_model",
    "saved_model_path",
    "variables_prefix",
]


@contextlib.contextmanager
def atomic_directory(path):
    """Yields a fresh temporary directory beside ``path`` to write a SavedModel into; on
    normal exit it takes ``path``'s place, on an exception it is removed and ``path`` is
    untouched.

    A directory cannot be renamed over another, so an old ``path`` is first renamed
    aside and deleted only once the new one is in place: a process killed at any
    point leaves either the old directory at ``path`` (or, between the two renames,
    beside it as ``.<name>.old-*``) or the complete new one, never a half-written one.
    A ``path`` that holds other files besides a SavedModel's keeps them: only its
    SavedModel entries are replaced, one by one.

    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "model")
    >>> with atomic_directory(target) as tmp:
    ...     open(os.path.join(tmp, "file"), "w").close()
    >>> os.listdir(target)
    ['file']
    """
    path = os.path.abspath(os.fspath(path))
    parent, name = os.path.split(path)
    os.makedirs(parent, exist_ok=True)
    if os.path.exists(path) and not os.path.isdir(path):
        raise FileExistsError(
            f"Cannot save a SavedModel to {path}: a file (not a directory) exists there."
        )
    tmp = tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    try:
        yield tmp
        if os.path.isdir(path) and set(os.listdir(path)) - _SAVED_MODEL_ENTRIES:
            _replace_entries(tmp, path)
            return
        old = None
        if os.path.exists(path):
            old = tempfile.mkdtemp(prefix=f".{name}.old-", dir=parent)
            os.rmdir(old)
            os.rename(path, old)
        os.rename(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)


# What a SavedModel directory holds; a directory holding anything else is not replaced
# whole (that would delete the user's other files): its SavedModel entries are.
_SAVED_MODEL_ENTRIES = {
    constants.SAVED_MODEL_FILENAME_PB,
    constants.SAVED_MODEL_FILENAME_PBTXT,
    constants.VARIABLES_DIRECTORY,
    constants.ASSETS_DIRECTORY,
    constants.EXTRA_ASSETS_DIRECTORY,
    constants.FINGERPRINT_FILENAME,
    "keras_metadata.pb",
}


def _replace_entries(new: str, path: str) -> None:
    """Moves each entry of ``new`` into ``path`` in place of its namesake; the files of
    the model (saved_model.pb last) switch one by one."""
    names = sorted(os.listdir(new), key=lambda n: n == constants.SAVED_MODEL_FILENAME_PB)
    for entry in names:
        target = os.path.join(path, entry)
        old = None
        if os.path.isdir(target) and not os.path.islink(target):
            old = tempfile.mkdtemp(prefix=f".{entry}.old-", dir=path)
            os.rmdir(old)
            os.rename(target, old)
        os.replace(os.path.join(new, entry), target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def contains_saved_model(export_dir) -> bool:
    """Whether ``export_dir`` holds a SavedModel (its ``saved_model.pb`` or ``.pbtxt``).

    >>> import tempfile
    >>> contains_saved_model(tempfile.mkdtemp())
    False
    """
    export_dir = os.fspath(export_dir)
    return any(
        os.path.isfile(os.path.join(export_dir, name))
        for name in (constants.SAVED_MODEL_FILENAME_PB, constants.SAVED_MODEL_FILENAME_PBTXT)
    )


def saved_model_path(export_dir) -> str:
    """``export_dir/saved_model.pb``.

    Raises:
        OSError: it does not exist (TF's message: "SavedModel file does not exist at:").
    """
    export_dir = os.fspath(export_dir)
    path = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PB)
    if not os.path.isfile(path):
        raise OSError(
            f"SavedModel file does not exist at: {export_dir}{os.sep}"
            f"{{{constants.SAVED_MODEL_FILENAME_PBTXT}|"
            f"{constants.SAVED_MODEL_FILENAME_PB}}}"
        )
    return path


def read_saved_model(export_dir) -> dict:
    """Decodes ``export_dir/saved_model.pb`` (see ``protos.decode_saved_model``).

    Raises:
        OSError: no saved_model.pb there, or it cannot be parsed (truncated, corrupted),
            with TF's wording ("Cannot parse file ...").
    """
    path = saved_model_path(export_dir)
    with open(path, "rb") as f:
        data = f.read()
    try:
        saved = protos.decode_saved_model(data)
        if not saved["meta_graphs"]:
            raise ProtoDecodeError("no MetaGraphDef")
        # The object graph is decoded lazily by the loader; touch it now so that a
        # corrupted one is reported here.
        saved["meta_graphs"][0]["object_graph"].messages(1)
    except (ProtoDecodeError, ValueError, UnicodeDecodeError) as e:
        raise OSError(
            f"Cannot parse file {path.encode()!r}: Error parsing message with type "
            f"'tensorflow.SavedModel': Wire format was corrupt ({e}). The file is "
            f"truncated or not a SavedModel: save the model again."
        ) from None
    return saved


def variables_prefix(export_dir) -> str:
    """``export_dir/variables/variables``, the checkpoint prefix of the SavedModel.

    Raises:
        FileNotFoundError: its index file is missing (TF's wording).
    """
    prefix = os.path.join(
        os.fspath(export_dir), constants.VARIABLES_DIRECTORY, constants.VARIABLES_FILENAME
    )
    if not os.path.isfile(prefix + ".index"):
        raise FileNotFoundError(
            f"Unsuccessful TensorSliceReader constructor: Failed to find any matching files "
            f"for {prefix}. The SavedModel's variables/ directory is missing or incomplete."
        )
    return prefix
