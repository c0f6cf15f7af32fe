"""Summary writers and the per-thread summary state: the default writer, the default
step and the recording condition (``tf.summary.SummaryWriter``, ``record_if``...)."""

from __future__ import annotations

import contextlib
import os
import threading

from tensorflux.framework import context
from tensorflux.framework.tensor import Tensor
from tensorflux.summary.event_file import EventFileWriter

__all__ = [
    "SummaryWriter",
    "create_file_writer",
    "create_noop_writer",
    "flush",
    "get_step",
    "record_if",
    "set_step",
    "state",
]


class _SummaryState(threading.local):
    """What summary ops consult: ``writer`` (the default writer or None), ``step`` (the
    default step: None, an int, a tensor or a variable) and ``is_recording`` (None for
    "always", a bool, a bool tensor or a callable giving one)."""

    def __init__(self):
        self.writer = None
        self.step = None
        self.is_recording = None


state = _SummaryState()


class _WriterContext:
    """``SummaryWriter.as_default()``: a class, so that ``set_as_default`` is simply its
    ``__enter__`` without a generator whose cleanup would run when it is collected."""

    def __init__(self, writer, step=None):
        self._writer = writer
        self._step = step
        self._old_writer = None
        self._old_step = None

    def __enter__(self):
        self._old_writer = state.writer
        state.writer = self._writer
        if self._step is not None:
            self._old_step = state.step
            state.step = self._step
        return self._writer

    def __exit__(self, *exc_info):
        state.writer.flush()
        state.writer = self._old_writer
        if self._step is not None:
            state.step = self._old_step
        return False


class SummaryWriter:
    """A summary writer: summaries written while it is the default go to its event
    file (``tf.summary.SummaryWriter``).

    >>> import tempfile
    >>> writer = create_file_writer(tempfile.mkdtemp())
    >>> with writer.as_default(step=3):
    ...     pass
    """

    def set_as_default(self, step=None):
        """Makes this writer the default of the current thread (and ``step``, when not
        None, the default step) until another is set."""
        self.as_default(step).__enter__()

    def as_default(self, step=None):
        """A context manager making this writer the default (and ``step``, when not
        None, the default step); on exit the writer is flushed and the previous
        writer and step come back."""
        return _WriterContext(self, step)

    def init(self):
        """Initialises the writer (a file writer is ready once created)."""

    def flush(self):
        """Writes the queued summaries to disk."""

    def close(self):
        """Flushes and closes the writer."""


class _FileWriter(SummaryWriter):
    def __init__(self, logdir: str, max_queue: int, flush_millis: int, suffix: str):
        self._logdir = logdir
        self._events = EventFileWriter(logdir, max_queue, flush_millis, suffix)

    def __repr__(self):
        return f"<tensorflux.summary.SummaryWriter logdir={self._logdir!r}>"

    def _check_open(self):
        if self._events.closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")

    def set_as_default(self, step=None):
        self._check_open()
        super().set_as_default(step)

    def as_default(self, step=None):
        self._check_open()
        return super().as_default(step)

    def init(self):
        self._check_open()

    def flush(self):
        self._events.flush()

    def close(self):
        self._events.close()

    def _write(self, step: int, tag: str, tensor: bytes, metadata: bytes) -> None:
        self._events.add_summary(step, tag, tensor, metadata)

    def _write_event(self, event: bytes) -> None:
        self._events.add_event(event)


class _NoopWriter(SummaryWriter):
    """A writer that does nothing: as a context manager it does not even become the
    default, so summaries inside it return False."""

    def __repr__(self):
        return "<tensorflux.summary.NoopSummaryWriter>"

    def set_as_default(self, step=None):
        pass

    @contextlib.contextmanager
    def as_default(self, step=None):
        yield


def _plain(value, arg_name: str):
    if isinstance(value, Tensor) and not context.executing_eagerly():
        raise ValueError(
            f"Invalid graph Tensor argument '{arg_name}={value}' to create_file_writer() "
            "inside an @tf.function. The create call will be lifted into the outer eager "
            "execution context, so it cannot consume graph tensors defined inside the "
            "function body."
        )
    return value.numpy() if isinstance(value, Tensor) else value


def create_file_writer(
    logdir,
    max_queue=None,
    flush_millis=None,
    filename_suffix=None,
    name=None,
    experimental_trackable=False,
    experimental_mesh=None,
):
    """Creates a writer of TensorBoard event files in ``logdir`` (made if missing).

    The file is created at once and holds a first ``file_version`` event; later events
    are queued and written when more than ``max_queue`` wait, when ``flush_millis``
    have passed since the last write, on ``flush()`` and ``close()``.

    Args:
        logdir: the directory of the event file.
        max_queue: the most events to queue before writing (default 10).
        flush_millis: the longest interval between writes in ms (default 120,000).
        filename_suffix: added to the file name (default ``".v2"``).
        name: accepted for TF compatibility; each eager call makes its own file.

    Returns:
        A :class:`SummaryWriter`.

    Raises:
        ValueError: ``logdir`` is None.
        NotFoundError / PermissionDeniedError / FailedPreconditionError: the directory
            cannot be created or is a file.

    >>> import tempfile
    >>> writer = create_file_writer(tempfile.mkdtemp(), filename_suffix=".demo")
    >>> writer._events.path.endswith(".demo")
    True
    """
    del name, experimental_trackable, experimental_mesh
    if logdir is None:
        raise ValueError("Argument `logdir` cannot be None")
    logdir = os.fspath(_plain(logdir, "logdir"))
    if isinstance(logdir, bytes):
        logdir = logdir.decode("utf-8")
    max_queue = 10 if max_queue is None else int(_plain(max_queue, "max_queue"))
    flush_millis = 120000 if flush_millis is None else int(_plain(flush_millis, "flush_millis"))
    suffix = ".v2" if filename_suffix is None else _plain(filename_suffix, "filename_suffix")
    if isinstance(suffix, bytes):
        suffix = suffix.decode("utf-8")
    return _FileWriter(logdir, max_queue, flush_millis, str(suffix))


def create_noop_writer():
    """A writer that does nothing, for code that expects a writer's context manager.

    >>> with create_noop_writer().as_default():
    ...     pass
    """
    return _NoopWriter()


def flush(writer=None, name=None):
    """Writes ``writer``'s (or the default writer's) queued summaries to disk.

    Raises:
        ValueError: ``writer`` is not a SummaryWriter.
    """
    del name
    if writer is None:
        writer = state.writer
        if writer is None:
            return None
    if isinstance(writer, SummaryWriter):
        return writer.flush()
    raise ValueError(f"Invalid argument to flush(): {writer!r}")


@contextlib.contextmanager
def record_if(condition):
    """Turns summary recording on or off inside the block.

    Args:
        condition: True, False, a bool tensor, or a callable returning one; a
            callable is called by each summary op, so inside a ``tf.function`` its
            condition (``lambda: step % 100 == 0``) is evaluated on every call.

    >>> with record_if(False):
    ...     pass
    """
    old = state.is_recording
    try:
        state.is_recording = condition
        yield
    finally:
        state.is_recording = old


def get_step():
    """The default summary step of this thread (set by ``set_step`` or
    ``as_default(step=...)``), or None.

    >>> set_step(None); get_step() is None
    True
    """
    return state.step


def set_step(step):
    """Sets the default summary step of this thread: an int, a tensor, a
    ``tf.Variable`` (read each time a summary is written) or None.

    >>> set_step(4); get_step()
    4
    >>> set_step(None)
    """
    state.step = step
