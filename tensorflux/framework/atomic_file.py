"""Atomic file replacement: a save writes a temporary file beside its target and renames
it over the target only once it is complete, so a process killed mid-save leaves the
previous file intact and never a half-written one in its place."""

from __future__ import annotations

import contextlib
import os
import tempfile

__all__ = ["atomic_output"]


@contextlib.contextmanager
def atomic_output(path):
    """Yields a temporary path in ``path``'s folder to write to; on normal exit it is
    flushed to disk and renamed to ``path`` (replacing any old file), on an exception it
    is removed and ``path`` is untouched.

    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "weights.bin")
    >>> with atomic_output(target) as tmp:
    ...     with open(tmp, "wb") as f:
    ...         _ = f.write(b"data")
    >>> open(target, "rb").read()
    b'data'
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    # mkstemp makes the file private (0600); a saved file gets the permissions a plain
    # open() would have given it.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
