"""Whole-file ops: ReadFile and WriteFile (``tf.io.read_file`` / ``tf.io.write_file``).

Both are stateful, so a traced function reads or writes on every call instead of
folding a file's bytes into the graph. While ``Dataset.map`` traces its function the
file name is an example value (``b""``); ReadFile then returns ``b""``.
"""

from __future__ import annotations

import errno
import os

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    UnknownError,
)
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__: list = []

_STRING = frozenset({dtypes.string})


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
    """TF's error class for a failed open: NotFound, PermissionDenied, else Unknown."""
    reason = exc.strerror or str(exc)
    cls = {
        errno.ENOENT: NotFoundError,
        errno.EACCES: PermissionDeniedError,
        errno.EISDIR: InvalidArgumentError,
    }.get(exc.errno, UnknownError)
    return cls(None, op_name, f"{path}; {reason} [Op:{op_name}]")


def _read_file_kernel(filename):
    path = _scalar_name("ReadFile", np.asarray(filename, dtype=object))
    if not path and context.state.graph is not None:
        return np.asarray(b"", dtype=object)
    try:
        with open(path, "rb") as handle:
            return np.asarray(handle.read(), dtype=object)
    except OSError as exc:
        raise _os_error("ReadFile", path, exc) from exc


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
