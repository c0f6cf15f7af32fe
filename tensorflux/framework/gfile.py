"""``tf.io.gfile``: TensorFlow's file API over the local file system.

Errors are TF's: a missing path is ``tf.errors.NotFoundError``, an existing target
that may not be overwritten is ``AlreadyExistsError``, writing a file opened for
reading is ``PermissionDeniedError``.
"""

from __future__ import annotations

import glob as _glob
import os
import shutil

from tensorflux.framework.errors import (
    AlreadyExistsError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
)

__all__ = [
    "GFile",
    "Open",
    "copy",
    "exists",
    "glob",
    "isdir",
    "join",
    "listdir",
    "makedirs",
    "mkdir",
    "remove",
    "rename",
    "rmtree",
    "stat",
    "walk",
]


def _missing(path) -> NotFoundError:
    return NotFoundError(None, None, f"{path}; No such file or directory")


class GFile:
    """A file object as ``tf.io.gfile.GFile``: ``read``/``readline``/``readlines``,
    iteration over lines, ``write``, ``seek``/``tell``, ``size``, and ``with``.

    In text modes (``"r"``, ``"w"``, ``"a"``) reads return str; ``"rb"``/``"wb"`` use
    bytes. ``write`` accepts str or bytes in any mode.

    Args:
        name: the file's path.
        mode: ``"r"``, ``"rb"``, ``"w"``, ``"wb"``, ``"a"``, ``"ab"`` (default ``"r"``).

    Raises:
        tf.errors.NotFoundError: reading a file that does not exist (on first read).
        tf.errors.InvalidArgumentError: a mode other than r, w, a, r+, w+, a+ (each
            with an optional b).

    >>> import tensorflux as tf, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> with tf.io.gfile.GFile(path, "w") as f:
    ...     _ = f.write("one\\ntwo\\n")
    >>> with tf.io.gfile.GFile(path) as f:
    ...     [line.strip() for line in f]
    ['one', 'two']
    """

    def __init__(self, name, mode="r"):
        if mode.replace("b", "") not in ("r", "w", "a", "r+", "w+", "a+"):
            raise InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'"
            )
        self.name = os.fspath(name)
        self.mode = mode
        self._binary = "b" in mode
        self._file = None

    def _handle(self):
        if self._file is None:
            raw_mode = self.mode.replace("b", "") + "b"
            try:
                self._file = open(self.name, raw_mode)
            except FileNotFoundError:
                raise _missing(self.name) from None
        return self._file

    def _text(self, data: bytes):
        return data if self._binary else data.decode("utf-8")

    def _check_readable(self):
        if self.mode[0] in "wa" and "+" not in self.mode:
            raise PermissionDeniedError(None, None, "File isn't open for reading")

    def read(self, n=-1):
        """``n`` bytes (all by default), as str in text mode."""
        self._check_readable()
        return self._text(self._handle().read(-1 if n is None else n))

    def readline(self):
        """The next line with its newline ("" at the end)."""
        self._check_readable()
        return self._text(self._handle().readline())

    def readlines(self) -> list:
        """The remaining lines."""
        self._check_readable()
        return [self._text(line) for line in self._handle().readlines()]

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def write(self, file_content) -> None:
        """Writes str (UTF-8 encoded) or bytes.

        Raises:
            tf.errors.PermissionDeniedError: the file is open for reading.
        """
        if self.mode[0] == "r" and "+" not in self.mode:
            raise PermissionDeniedError(None, None, "File isn't open for writing")
        if isinstance(file_content, str):
            file_content = file_content.encode("utf-8")
        self._handle().write(file_content)

    def seek(self, offset=None, whence=0, position=None):
        """Moves to ``offset`` (``position`` is TF's older name for it)."""
        self._handle().seek(position if offset is None else offset, whence)

    def tell(self) -> int:
        return self._handle().tell()

    def size(self) -> int:
        """The file's size in bytes."""
        return stat(self.name).length

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


Open = GFile


class FileStatistics:
    """``stat``'s answer: ``length`` (bytes), ``mtime_nsec``, ``is_directory``."""

    def __init__(self, length: int, mtime_nsec: int, is_directory: bool):
        self.length = length
        self.mtime_nsec = mtime_nsec
        self.is_directory = is_directory

    def __repr__(self):
        return (
            f"FileStatistics(length={self.length}, mtime_nsec={self.mtime_nsec}, "
            f"is_directory={self.is_directory})"
        )


def exists(path) -> bool:
    """Whether ``path`` exists."""
    return os.path.exists(os.fspath(path))


def isdir(path) -> bool:
    """Whether ``path`` is a directory."""
    return os.path.isdir(os.fspath(path))


def join(path, *paths) -> str:
    """Joins path components (``os.path.join``)."""
    return os.path.join(os.fspath(path), *[os.fspath(p) for p in paths])


def listdir(path) -> list:
    """The entries of directory ``path`` (names only).

    Raises:
        tf.errors.NotFoundError: no such directory.
    """
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise NotFoundError(None, None, f"Could not find directory {path}")
    return os.listdir(path)


def glob(pattern) -> list:
    """The paths matching ``pattern`` (``*``, ``?``, ``[...]``)."""
    if isinstance(pattern, (list, tuple)):
        return [match for p in pattern for match in glob(p)]
    return _glob.glob(os.fspath(pattern))


def makedirs(path) -> None:
    """Creates ``path`` and any missing parents (an existing directory is fine)."""
    os.makedirs(os.fspath(path), exist_ok=True)


def mkdir(path) -> None:
    """Creates directory ``path`` (an existing directory is fine).

    Raises:
        tf.errors.NotFoundError: its parent does not exist.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        return
    try:
        os.mkdir(path)
    except FileNotFoundError:
        raise _missing(path) from None


def remove(path) -> None:
    """Deletes the file ``path``.

    Raises:
        tf.errors.NotFoundError: no such file.
    """
    try:
        os.remove(os.fspath(path))
    except FileNotFoundError:
        raise _missing(path) from None


def rename(src, dst, overwrite=False) -> None:
    """Renames ``src`` to ``dst``.

    Raises:
        tf.errors.AlreadyExistsError: ``dst`` exists and ``overwrite`` is False.
        tf.errors.NotFoundError: no ``src``.
    """
    src, dst = os.fspath(src), os.fspath(dst)
    if not overwrite and os.path.exists(dst):
        raise AlreadyExistsError(None, None, "file already exists")
    try:
        os.replace(src, dst)
    except FileNotFoundError:
        raise _missing(src) from None


def copy(src, dst, overwrite=False) -> None:
    """Copies the file ``src`` to ``dst``.

    Raises:
        tf.errors.AlreadyExistsError: ``dst`` exists and ``overwrite`` is False.
        tf.errors.NotFoundError: no ``src``.
    """
    src, dst = os.fspath(src), os.fspath(dst)
    if not overwrite and os.path.exists(dst):
        raise AlreadyExistsError(None, None, "file already exists")
    try:
        shutil.copyfile(src, dst)
    except FileNotFoundError:
        raise _missing(src) from None


def rmtree(path) -> None:
    """Deletes directory ``path`` and everything in it.

    Raises:
        tf.errors.NotFoundError: no such directory.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise NotFoundError(None, None, f"{path} not found")
    shutil.rmtree(path)


def stat(path) -> FileStatistics:
    """Size, modification time and kind of ``path``.

    Raises:
        tf.errors.NotFoundError: no such path.
    """
    try:
        result = os.stat(os.fspath(path))
    except FileNotFoundError:
        raise _missing(path) from None
    return FileStatistics(result.st_size, result.st_mtime_ns, os.path.isdir(path))


def walk(top, topdown=True, onerror=None):
    """Yields ``(directory, subdirectory names, file names)`` for ``top`` and every
    directory below it (nothing when ``top`` does not exist)."""
    yield from os.walk(os.fspath(top), topdown=topdown, onerror=onerror)
