"""Whole-file ops: ReadFile and WriteFile (``tf.io.read_file`` / ``tf.io.write_file``),
and MatchingFiles (``tf.io.matching_files``, ``match_filenames_once``).

All are stateful, so a traced function reads or writes on every call instead of
folding a file's bytes into the graph. While ``Dataset.map`` traces its function the
file name is an example value (``b""``); ReadFile then returns ``b""``.
"""

from __future__ import annotations

import errno
import os
import re
from fnmatch import fnmatchcase

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    UnknownError,
)
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.variables import Variable
from tensorflux.ops.common import to_tensor

__all__: list = ["matching_files", "match_filenames_once"]

_STRING = frozenset({dtypes.string})
_WILDCARD = re.compile(r"[*?\[\\]")


def _scalar_name(op_name: str, filename: np.ndarray) -> str:
    if filename.ndim != 0:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Input filename tensor must be scalar, but "
            f"had shape: {list(filename.shape)} "
            f"[Op:{op_name}]",
        )
    value = filename.item()
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _os_error(op_name: str, path: str, exc: OSError):
    """TF's error class for a failed open: NotFound, PermissionDenied, FailedPrecondition
    for a directory, else Unknown."""
    reason = exc.strerror or str(exc)
    cls = {
        errno.ENOENT: NotFoundError,
        errno.EACCES: PermissionDeniedError,
        errno.EISDIR: FailedPreconditionError,
    }.get(exc.errno, UnknownError)
    return cls(None, op_name, f"{path}; {reason} [Op:{op_name}]")


def read_bytes(path: str) -> bytes:
    """A whole file's bytes, read as ReadFile reads them; OSError as ``open`` raises it.

    An open, a stat and one read of the file's size (more only if it grew meanwhile):
    ``open(path, "rb").read()`` made twice the system calls, and 2,000 small images
    decoded on two threads spent 50 us a file reading it, against 24 here."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) <= size:
            return data
        parts = [data]
        while more := os.read(fd, 1 << 20):
            parts.append(more)
        return b"".join(parts)
    finally:
        os.close(fd)


def read_file_bytes(op_name: str, path: str) -> bytes:
    """``read_bytes``, a failure raised as ``op_name``'s TF error."""
    try:
        return read_bytes(path)
    except OSError as exc:
        raise _os_error(op_name, path, exc) from exc


def _read_file_kernel(filename):
    path = _scalar_name("ReadFile", np.asarray(filename, dtype=object))
    if not path and context.state.graph is not None:
        return np.asarray(b"", dtype=object)
    return np.asarray(read_file_bytes("ReadFile", path), dtype=object)


def _scalar_string_infer(filename: Spec) -> Spec:
    return Spec(dtypes.string, TensorShape([]))


_READ_FILE = register(
    "ReadFile",
    kernel=_read_file_kernel,
    grad=None,
    infer=_scalar_string_infer,
    allowed=_STRING,
    stateful=True,
)


def _write_file_kernel(filename, contents):
    path = _scalar_name("WriteFile", np.asarray(filename, dtype=object))
    data = np.asarray(contents, dtype=object)
    if data.ndim != 0:
        raise InvalidArgumentError(
            None,
            "WriteFile",
            f"Contents tensor must be scalar, but had shape: {list(data.shape)} [Op:WriteFile]",
        )
    if not path and context.state.graph is not None:
        return None
    value = data.item()
    try:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(value.encode() if isinstance(value, str) else bytes(value))
    except OSError as exc:
        raise _os_error("WriteFile", path, exc) from exc
    return None


def _write_file_infer(filename: Spec, contents: Spec) -> tuple:
    return ()


_WRITE_FILE = register(
    "WriteFile",
    kernel=_write_file_kernel,
    grad=None,
    infer=_write_file_infer,
    num_outputs=0,
    allowed=_STRING,
    stateful=True,
)


def read_file(filename, name=None) -> Tensor:
    """The bytes of the file ``filename`` as a scalar string tensor.

    >>> import os, tempfile
    >>> from tensorflux.ops.file_io_ops import read_file, write_file
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> write_file(path, b"hello")
    >>> read_file(path).numpy()
    b'hello'

    Raises:
        NotFoundError: no such file. InvalidArgumentError: a filename that is not a scalar.
    """
    return execute(_READ_FILE, (to_tensor(filename, dtypes.string),), {})


def write_file(filename, contents, name=None) -> None:
    """Writes the scalar string ``contents`` to ``filename``, making missing folders.

    >>> import os, tempfile
    >>> from tensorflux.ops.file_io_ops import write_file
    >>> path = os.path.join(tempfile.mkdtemp(), "new", "b.txt")
    >>> write_file(path, b"data")
    >>> open(path, "rb").read()
    b'data'

    Raises:
        InvalidArgumentError: non-scalar arguments. NotFoundError / PermissionDeniedError:
            the file cannot be created.
    """
    execute(
        _WRITE_FILE, (to_tensor(filename, dtypes.string), to_tensor(contents, dtypes.string)), {}
    )


def _component_pattern(part: str) -> str:
    """A path component in fnmatch's syntax: TF's ``\\c`` escapes and ``[^...]``
    negations become ``[c]`` and ``[!...]``."""
    part = re.sub(r"\\(.)", lambda m: "[" + m.group(1) + "]", part)
    return part.replace("[^", "[!")


def _match_component(folder: str, pattern: str) -> list:
    pattern = _component_pattern(pattern)
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return []
    return [os.path.join(folder, n) if folder else n for n in names if fnmatchcase(n, pattern)]


def _glob(pattern: str) -> list:
    """The paths matching ``pattern``: ``*``, ``?`` and ``[...]`` match within one path
    component (dotfiles included, as in TF's matcher); no brace or ``**`` expansion."""
    if not _WILDCARD.search(pattern):
        return [pattern] if os.path.lexists(pattern) else []
    absolute = pattern.startswith(os.sep)
    parts = [p for p in pattern.split(os.sep) if p]
    paths = [os.sep if absolute else ""]
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        found = []
        for folder in paths:
            if _WILDCARD.search(part):
                found.extend(_match_component(folder, part))
            else:
                path = os.path.join(folder, part) if folder else part
                if os.path.lexists(path):
                    found.append(path)
        paths = found if last else [p for p in found if os.path.isdir(p)]
    return paths


def _matching_files_kernel(pattern):
    patterns = np.asarray(pattern, dtype=object)
    if patterns.ndim > 1:
        raise InvalidArgumentError(
            None,
            "MatchingFiles",
            f"Input patterns tensor must be scalar or vector, but had shape: "
            f"[{','.join(str(d) for d in patterns.shape)}]",
        )
    found = []
    for p in patterns.reshape(-1):
        found.extend(_glob(p.decode("utf-8") if isinstance(p, bytes) else str(p)))
    out = np.empty(len(found), dtype=object)
    out[:] = sorted(f.encode("utf-8") for f in found)
    return out


def _matching_files_infer(pattern: Spec) -> Spec:
    return Spec(dtypes.string, TensorShape([None]))


_MATCHING_FILES = register(
    "MatchingFiles",
    kernel=_matching_files_kernel,
    grad=None,
    infer=_matching_files_infer,
    allowed=_STRING,
    stateful=True,
    dynamic_shape=True,
)


def matching_files(pattern, name=None) -> Tensor:
    """The sorted paths that match a glob ``pattern`` (a string or a vector of them).

    ``*``, ``?`` and ``[...]`` match within a path component; a path that does not exist
    matches nothing (no error).

    >>> import os, tempfile
    >>> from tensorflux.ops.file_io_ops import matching_files, write_file
    >>> folder = tempfile.mkdtemp()
    >>> for n in ("b.txt", "a.txt", "c.csv"):
    ...     write_file(os.path.join(folder, n), b"")
    >>> [os.path.basename(p) for p in matching_files(folder + "/*.txt").numpy()]
    [b'a.txt', b'b.txt']

    Raises:
        InvalidArgumentError: patterns of rank 2 or more.
    """
    return execute(_MATCHING_FILES, (to_tensor(pattern, dtypes.string),), {})


def match_filenames_once(pattern, name=None) -> Variable:
    """A non-trainable variable holding the paths matching ``pattern`` when it is made
    (TF's local variable of ``matching_files``); its shape is left unknown, so it can
    be assigned another list later.

    >>> import os, tempfile
    >>> from tensorflux.ops.file_io_ops import match_filenames_once, write_file
    >>> folder = tempfile.mkdtemp()
    >>> write_file(os.path.join(folder, "a.txt"), b"")
    >>> v = match_filenames_once(folder + "/*.txt")
    >>> v.trainable, [os.path.basename(p) for p in v.numpy()]
    (False, [b'a.txt'])
    """
    return Variable(matching_files(pattern), trainable=False, validate_shape=False, name=name)
