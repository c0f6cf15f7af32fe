"""Atomic file replacement: a save writes a temporary file beside its target and renames
it over the target only once it is complete, so a process killed mid-save leaves the
previous file intact and never a half-written one in its place."""

from __future__ import annotations

import contextlib
import os
import tempfile

__all__ = ["atomic_output", "atomic_outputs"]


def _temporary_beside(path: str) -> str:
    folder, name = os.path.split(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    # mkstemp makes the file private (0600); a saved file gets the permissions a plain
    # open() would have given it.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return tmp


@contextlib.contextmanager
def atomic_outputs(*paths):
    """Yields a temporary path beside each of ``paths`` to write to; on normal exit all
    are flushed to disk first, then renamed over their targets one right after the
    other, so files that belong together (a checkpoint's index and data) are replaced
    together but for the instant between two renames. On an exception the temporaries
    are removed and the targets untouched.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> targets = [os.path.join(folder, n) for n in ("a.index", "a.data")]
    >>> with atomic_outputs(*targets) as (index_tmp, data_tmp):
    ...     for tmp in (index_tmp, data_tmp):
    ...         with open(tmp, "wb") as f:
    ...             _ = f.write(b"x")
    >>> sorted(os.listdir(folder))
    ['a.data', 'a.index']
    """
    paths = [os.fspath(p) for p in paths]
    temporaries = []
    try:
        for path in paths:
            temporaries.append(_temporary_beside(path))
        yield temporaries
        for tmp in temporaries:
            with open(tmp, "rb+") as written:
                os.fsync(written.fileno())
        for tmp, path in zip(temporaries, paths):
            os.replace(tmp, path)
    finally:
        for tmp in temporaries:
            if os.path.exists(tmp):
                os.remove(tmp)


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
    with atomic_outputs(path) as (tmp,):
        yield tmp
