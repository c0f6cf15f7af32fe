"""TensorBoard event files, written by hand: TFRecord framing (``framework.tfrecord``)
around ``Event`` messages.

The data of each record is a serialized ``Event``
(tensorflow/core/util/event.proto): ``wall_time`` (1, double), ``step`` (2, int64),
``file_version`` (3, string), ``graph_def`` (4, bytes) or ``summary`` (5, Summary), and
``source_metadata`` (10) on the first event. A ``Summary`` holds ``Value``s: ``tag``
(1), ``tensor`` (8, a TensorProto) and ``metadata`` (9, SummaryMetadata whose
``plugin_data`` (1) names the TensorBoard plugin that shows it and carries its content).
"""

from __future__ import annotations

import errno
import itertools
import os
import socket
import threading
import time
import weakref

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import (
    FailedPreconditionError,
    NotFoundError,
    PermissionDeniedError,
    UnknownError,
)
from tensorflux.framework.proto_wire import MessageWriter
from tensorflux.framework.tfrecord import frame_record

__all__ = [
    "EventFileWriter",
    "encode_event",
    "encode_metadata",
    "encode_tensor",
    "encode_value",
    "event_file_name",
    "frame_record",
]

FILE_VERSION = "brain.Event:2"
# Event.source_metadata.writer names the library that wrote the file.
_SOURCE_WRITER = "tensorflux.summary"

# The process-wide number of event files opened so far, the last part of TF's file names.
_FILE_IDS = itertools.count()


def encode_shape(shape) -> MessageWriter:
    """A TensorShapeProto of known dims (a 0 dim is an empty ``Dim``, as protobuf omits
    default values)."""
    w = MessageWriter()
    for d in shape:
        w.raw(2, MessageWriter().varint(1, d) if d else MessageWriter())
    return w


def encode_tensor(array: np.ndarray, dtype: dtypes.DType) -> bytes:
    """A TensorProto as TF's summary ops write it: numbers as raw little-endian
    ``tensor_content``, strings as repeated ``string_val``.

    >>> encode_tensor(np.float32(0.25), dtypes.float32)
    b'\\x08\\x01\\x12\\x00"\\x04\\x00\\x00\\x80>'
    """
    w = MessageWriter().varint(1, dtype.as_datatype_enum).raw(2, encode_shape(np.shape(array)))
    if dtype is dtypes.string:
        for item in np.asarray(array, dtype=object).reshape(-1):
            w.raw(8, item if isinstance(item, bytes) else str(item).encode("utf-8"))
        return w.bytes()
    flat = np.ascontiguousarray(array, dtype=np.dtype(dtype.as_numpy_dtype).newbyteorder("<"))
    if flat.size:
        w.raw(4, flat.tobytes())
    return w.bytes()


def encode_metadata(plugin_name: str, content: bytes = b"", description: str = "") -> bytes:
    """A SummaryMetadata: ``plugin_data {plugin_name, content}`` and the description."""
    plugin = MessageWriter().raw(1, plugin_name)
    if content:
        plugin.raw(2, content)
    w = MessageWriter().raw(1, plugin)
    if description:
        w.raw(3, description)
    return w.bytes()


def encode_value(tag: str, tensor: bytes, metadata: bytes) -> bytes:
    """A ``Summary`` holding one ``Value`` (tag, tensor, metadata)."""
    value = MessageWriter().raw(1, tag).raw(8, tensor)
    if metadata:
        value.raw(9, metadata)
    return MessageWriter().raw(1, value).bytes()


def encode_event(wall_time: float, step: int = 0, *, summary: bytes | None = None, **fields):
    """An ``Event``. ``fields`` may be ``file_version`` (str) or ``graph_def`` (bytes)."""
    w = MessageWriter().float64(1, wall_time)
    if step:
        w.varint(2, step)
    if "file_version" in fields:
        w.raw(3, fields["file_version"])
    if "graph_def" in fields:
        w.raw(4, fields["graph_def"])
    if summary is not None:
        w.raw(5, summary)
    if "file_version" in fields:
        w.raw(10, MessageWriter().raw(1, _SOURCE_WRITER))
    return w.bytes()


def event_file_name(suffix: str = "") -> str:
    """TF's name for a new event file: ``events.out.tfevents.<seconds>.<host>.<pid>.<n>``
    then ``suffix``, ``n`` counting the files this process opened."""
    return "events.out.tfevents.%010d.%s.%d.%d%s" % (
        int(time.time()),
        socket.gethostname(),
        os.getpid(),
        next(_FILE_IDS),
        suffix,
    )


def _os_error(error: OSError, path: str):
    """TF's error class for a log directory or file that cannot be made."""
    message = f"{path}; {error.strerror}"
    if error.errno == errno.ENOTDIR:
        return FailedPreconditionError(None, None, f"{path} is not a directory")
    if error.errno == errno.ENOENT:
        return NotFoundError(None, None, message)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PermissionDeniedError(None, None, message)
    return UnknownError(None, None, message)


def _make_dirs(logdir: str) -> None:
    try:
        os.makedirs(logdir, exist_ok=True)
    except FileExistsError:
        raise FailedPreconditionError(None, None, f"{logdir} is not a directory") from None
    except OSError as e:
        raise _os_error(e, logdir) from None


class EventFileWriter:
    """Appends events to a new file in ``logdir``; written events are queued and reach
    the file when more than ``max_queue`` are waiting, when ``flush_millis`` have passed
    since the last flush (checked on each write), or on :meth:`flush`/:meth:`close`.

    Raises:
        NotFoundError / PermissionDeniedError / FailedPreconditionError: ``logdir``
            cannot be created (as TF's ``CreateSummaryFileWriter``).
    """

    def __init__(self, logdir: str, max_queue: int = 10, flush_millis: int = 120000, suffix=""):
        _make_dirs(logdir)
        self.path = os.path.join(logdir, event_file_name(suffix))
        try:
            self._file = open(self.path, "wb")  # noqa: SIM115 -- held open until close()
        except OSError as e:
            raise _os_error(e, self.path) from None
        self._max_queue = int(max_queue)
        self._flush_seconds = flush_millis / 1000.0
        self._queue: list[bytes] = []
        self._lock = threading.Lock()
        self._last_flush = time.time()
        self._file.write(frame_record(encode_event(time.time(), file_version=FILE_VERSION)))
        self._file.flush()
        # A writer dropped without close() still leaves its queued events on disk.
        self._finalizer = weakref.finalize(self, _close_file, self._file, self._queue, self._lock)

    @property
    def closed(self) -> bool:
        return self._file.closed

    def add_event(self, event: bytes) -> None:
        """Queues one serialized ``Event``; writes the queue out when it is due."""
        record = frame_record(event)
        with self._lock:
            if self._file.closed:
                return
            self._queue.append(record)
            due = len(self._queue) > self._max_queue
            now = time.time()
            if due or now - self._last_flush >= self._flush_seconds:
                self._write_queue(now)

    def add_summary(self, step: int, tag: str, tensor: bytes, metadata: bytes) -> None:
        """Queues an event holding one summary value."""
        summary = encode_value(tag, tensor, metadata)
        self.add_event(encode_event(time.time(), int(step), summary=summary))

    def _write_queue(self, now: float) -> None:
        self._file.write(b"".join(self._queue))
        self._queue.clear()
        self._file.flush()
        self._last_flush = now

    def flush(self) -> None:
        """Writes every queued event to the file."""
        with self._lock:
            if not self._file.closed:
                self._write_queue(time.time())

    def close(self) -> None:
        """Flushes and closes the file; later events are dropped."""
        self._finalizer()


def _close_file(file, queue: list, lock) -> None:
    with lock:
        if not file.closed:
            file.write(b"".join(queue))
            queue.clear()
            file.close()
