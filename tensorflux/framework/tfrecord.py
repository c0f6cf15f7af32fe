"""TFRecord files: the framing shared by ``tf.io.TFRecordWriter``, ``tf.data.
TFRecordDataset`` and TensorBoard event files, optionally inside a GZIP or ZLIB stream.

A record is ``uint64 length``, the masked CRC-32C of those 8 bytes, the data, and the
masked CRC-32C of the data (all little-endian). Compressed files are one zlib stream
written as TF's ``ZlibOutputBuffer`` writes it (input gathered in a buffer of
``input_buffer_size`` bytes, deflated with ``flush_mode`` when it fills, a partial flush
on ``flush()``), so the bytes equal TF's for the same zlib.
"""

from __future__ import annotations

import re
import struct
import weakref
import zlib

from tensorflux.framework import crc32c
from tensorflux.framework.errors import (
    DataLossError,
    FailedPreconditionError,
    NotFoundError,
    PermissionDeniedError,
    UnknownError,
)

__all__ = [
    "TFRecordCompressionType",
    "TFRecordOptions",
    "TFRecordWriter",
    "frame_record",
    "open_stream",
    "read_records",
]

_HEADER = 12  # length (8) and its masked CRC (4)
_FOOTER = 4
_CHUNK = 1 << 16


def _masked_crc(data) -> bytes:
    return struct.pack("<I", crc32c.mask(crc32c.value(data)))


def frame_record(data: bytes) -> bytes:
    """``data`` as one TFRecord: length, its masked CRC, the data, the data's masked CRC.

    >>> frame_record(b"")[:8]
    b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'
    """
    header = struct.pack("<Q", len(data))
    return b"".join((header, _masked_crc(header), data, _masked_crc(data)))


class TFRecordCompressionType:
    """The compression of a TFRecord file (``tf.compat.v1.io.TFRecordCompressionType``)."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


class TFRecordOptions:
    """How a TFRecord file is compressed (``tf.io.TFRecordOptions``).

    Every argument defaults to None: TF's default then applies (no compression; zlib's
    level 6, ``mem_level`` 9, default strategy, 32 KiB window, ``Z_NO_FLUSH``, 256 KiB
    buffers).

    Args:
        compression_type: "ZLIB", "GZIP", "" or None, or a ``TFRecordCompressionType``.
        flush_mode: the zlib flush applied each time the input buffer is deflated.
        input_buffer_size, output_buffer_size: zlib buffer sizes in bytes.
        window_bits: zlib's ``wbits`` (8..15 writes a zlib stream, 24..31 a gzip one).
        compression_level: 0..9, or -1 for zlib's default.
        compression_method: zlib's method (8, deflate).
        mem_level: 1..9.
        compression_strategy: zlib's strategy (0 default, 1 filtered, 2 Huffman only...).

    Raises:
        ValueError: an unknown ``compression_type``.

    >>> TFRecordOptions("GZIP").compression_type
    'GZIP'
    """

    compression_type_map = {
        TFRecordCompressionType.ZLIB: "ZLIB",
        TFRecordCompressionType.GZIP: "GZIP",
        TFRecordCompressionType.NONE: "",
    }

    def __init__(
        self,
        compression_type=None,
        flush_mode=None,
        input_buffer_size=None,
        output_buffer_size=None,
        window_bits=None,
        compression_level=None,
        compression_method=None,
        mem_level=None,
        compression_strategy=None,
    ):
        if compression_type is not None:
            self.get_compression_type_string(compression_type)
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options) -> str:
        """The compression as "ZLIB", "GZIP" or "" from options, a type or a string.

        Raises:
            ValueError: not a known compression type (strings are case-sensitive).
        """
        if not options:
            return ""
        if isinstance(options, TFRecordOptions):
            return cls.get_compression_type_string(options.compression_type)
        if isinstance(options, int) and options in cls.compression_type_map:
            return cls.compression_type_map[options]
        if options in cls.compression_type_map.values():
            return options
        raise ValueError(f'Not a valid compression_type: "{options}"')


def _os_error(error: OSError, path: str):
    """TF's error class for a file that cannot be opened."""
    message = f"{path}; {error.strerror}"
    if isinstance(error, FileNotFoundError):
        return NotFoundError(None, None, message)
    if isinstance(error, PermissionError):
        return PermissionDeniedError(None, None, message)
    if isinstance(error, (IsADirectoryError, NotADirectoryError)):
        return FailedPreconditionError(None, None, message)
    return UnknownError(None, None, message)


def _or_default(value, default):
    return default if value is None else value


class _Deflater:
    """A zlib stream fed as TF's ZlibOutputBuffer feeds it."""

    def __init__(self, options: TFRecordOptions, gzip: bool):
        wbits = _or_default(options.window_bits, 31 if gzip else 15)
        self._z = zlib.compressobj(
            _or_default(options.compression_level, -1),
            _or_default(options.compression_method, zlib.DEFLATED),
            wbits,
            _or_default(options.mem_level, 9),
            _or_default(options.compression_strategy, 0),
        )
        self._flush_mode = _or_default(options.flush_mode, zlib.Z_NO_FLUSH)
        self._capacity = _or_default(options.input_buffer_size, 256 << 10)
        self._pending = bytearray()

    def _deflate(self, data, flush_mode) -> bytes:
        out = self._z.compress(bytes(data))
        return out + self._z.flush(flush_mode) if flush_mode != zlib.Z_NO_FLUSH else out

    def append(self, data: bytes) -> bytes:
        out = b""
        if len(data) > self._capacity - len(self._pending):
            out = self._deflate(self._pending, self._flush_mode)
            self._pending.clear()
        if len(data) <= self._capacity - len(self._pending):
            self._pending += data
            return out
        return out + self._deflate(data, self._flush_mode)

    def flush(self) -> bytes:
        out = self._deflate(self._pending, zlib.Z_PARTIAL_FLUSH)
        self._pending.clear()
        return out

    def finish(self) -> bytes:
        out = self._z.compress(bytes(self._pending)) + self._z.flush(zlib.Z_FINISH)
        self._pending.clear()
        return out


class TFRecordWriter:
    """Writes records to a TFRecord file (``tf.io.TFRecordWriter``); a context manager.

    Args:
        path: the file to create (replaced if it exists).
        options: a :class:`TFRecordOptions`, or a compression type string ("GZIP",
            "ZLIB", "").

    Raises:
        NotFoundError / PermissionDeniedError: the file cannot be created.
        ValueError: an unknown compression type.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "data.tfrecord")
    >>> with TFRecordWriter(path) as writer:
    ...     writer.write(b"record")
    >>> os.path.getsize(path)
    22
    """

    def __init__(self, path, options=None):
        if not isinstance(options, TFRecordOptions):
            options = TFRecordOptions(compression_type=options)
        compression = TFRecordOptions.get_compression_type_string(options)
        self._deflater = _Deflater(options, compression == "GZIP") if compression else None
        try:
            self._file = open(path, "wb")  # noqa: SIM115 -- held open until close()
        except OSError as e:
            raise _os_error(e, str(path)) from None
        # A writer dropped without close() still finishes its file, as TF's does.
        self._finalizer = weakref.finalize(self, _finish, self._file, self._deflater)

    def _check_open(self) -> None:
        if self._file.closed:
            raise FailedPreconditionError(None, None, "Writer is closed.")

    def write(self, record) -> None:
        """Appends one record (bytes, or str written as UTF-8).

        Raises:
            FailedPreconditionError: the writer is closed.
            TypeError: ``record`` is not bytes or str.
        """
        self._check_open()
        if isinstance(record, str):
            record = record.encode("utf-8")
        elif isinstance(record, (bytearray, memoryview)):
            record = bytes(record)
        elif not isinstance(record, bytes):
            raise TypeError(
                f"TFRecordWriter.write() takes bytes or str, got {type(record).__name__}; "
                "serialize a message with SerializeToString() or a tensor with .numpy()."
            )
        header = struct.pack("<Q", len(record))
        pieces = (header + _masked_crc(header), record, _masked_crc(record))
        if self._deflater is None:
            self._file.write(b"".join(pieces))
            return
        for piece in pieces:
            self._file.write(self._deflater.append(piece))

    def flush(self) -> None:
        """Writes buffered records to the file.

        Raises:
            FailedPreconditionError: the writer is closed.
        """
        self._check_open()
        if self._deflater is not None:
            self._file.write(self._deflater.flush())
        self._file.flush()

    def close(self) -> None:
        """Finishes the file; closing twice does nothing."""
        self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def _finish(file, deflater) -> None:
    if not file.closed:
        if deflater is not None:
            file.write(deflater.finish())
        file.close()


class _InflatingStream:
    """A readable view of a zlib or gzip stream (concatenated gzip members too); bytes
    after a truncated stream's end are simply missing, as TF reads them."""

    def __init__(self, file, gzip: bool):
        self._file = file
        self._wbits = 31 if gzip else 15
        self._z = zlib.decompressobj(self._wbits)
        self._buffer = bytearray()
        self._eof = False

    def _fill(self) -> None:
        chunk = self._file.read(_CHUNK)
        try:
            if not chunk:
                self._buffer += self._z.flush()
                self._eof = True
                return
            self._buffer += self._z.decompress(chunk)
            while self._z.eof and self._z.unused_data:
                rest = self._z.unused_data
                self._z = zlib.decompressobj(self._wbits)
                self._buffer += self._z.decompress(rest)
        except zlib.error as e:
            match = re.match(r"Error (-?\d+) while \w+ data: (.*)", str(e))
            code, text = match.groups() if match else ("-3", str(e))
            raise DataLossError(
                None, "IteratorGetNext", f"inflate() failed with error {code}: {text}"
            ) from None

    def read(self, n: int) -> bytes:
        while len(self._buffer) < n and not self._eof:
            self._fill()
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def close(self) -> None:
        self._file.close()


class _PlainStream:
    def __init__(self, file):
        self._file = file

    def read(self, n: int) -> bytes:
        return self._file.read(n)

    def close(self) -> None:
        self._file.close()


def open_stream(path: str, compression_type: str, op: str = "IteratorGetNext"):
    """The file's (decompressed) bytes as a stream with ``read(n)`` and ``close()``;
    compression "GZIP" or "ZLIB" (anything else reads the bytes as they are, as TF's
    readers do).

    Raises:
        NotFoundError / PermissionDeniedError: the file cannot be opened.
    """
    try:
        file = open(path, "rb")  # noqa: SIM115 -- the stream owns and closes it
    except OSError as e:
        error = _os_error(e, path)
        raise type(error)(None, op, error.message) from None
    if compression_type in ("GZIP", "ZLIB"):
        return _InflatingStream(file, compression_type == "GZIP")
    return _PlainStream(file)


def _corrupted(offset: int) -> DataLossError:
    hint = " (Is this even a TFRecord file?)" if offset == 0 else ""
    return DataLossError(None, "IteratorGetNext", f"corrupted record at {offset}{hint}")


def read_records(stream):
    """The records of a TFRecord stream, checked as TF's RecordReader checks them.

    A partial header at the end is the end of the file.

    Raises:
        DataLossError: a checksum does not match ("corrupted record at <offset>") or the
            data stops inside a record ("truncated record at <offset>...").
    """
    offset = 0
    while True:
        header = stream.read(_HEADER)
        if len(header) < _HEADER:
            return
        if header[8:] != _masked_crc(header[:8]):
            raise _corrupted(offset)
        (length,) = struct.unpack("<Q", header[:8])
        body = stream.read(length + _FOOTER)
        if len(body) < length + _FOOTER:
            raise DataLossError(
                None,
                "IteratorGetNext",
                f"truncated record at {offset}' failed with Read less bytes than requested",
            )
        data = body[:length]
        if body[length:] != _masked_crc(data):
            raise _corrupted(offset + _HEADER)
        yield data
        offset += _HEADER + length + _FOOTER
