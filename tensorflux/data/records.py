"""Record files as datasets: ``tf.data.TFRecordDataset`` and
``tf.data.FixedLengthRecordDataset``.

Both read their files one after another, or ``num_parallel_reads`` at a time taking one
record from each in turn (TF's deterministic parallel interleave); the framing and
checks of TFRecords live in ``framework.tfrecord``.
"""

from __future__ import annotations

import os

import numpy as np

from tensorflux.data import structure
from tensorflux.data.dataset import UNKNOWN, Dataset
from tensorflux.data.iterator import ElementPull
from tensorflux.data.text import _names
from tensorflux.framework import dtypes
from tensorflux.framework.errors import DataLossError, InvalidArgumentError
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.framework.tfrecord import open_stream, read_records

__all__ = ["FixedLengthRecordDataset", "TFRecordDataset"]


def _filenames(filenames) -> list:
    """The file names as a list of str; TF's TypeError for non-string input."""
    if isinstance(filenames, Dataset):
        dtype = getattr(filenames.element_spec, "dtype", None)
    elif isinstance(filenames, (str, bytes, os.PathLike)):
        dtype = dtypes.string
    else:
        values = list(filenames) if isinstance(filenames, (list, tuple)) else None
        if values == []:
            return []
        dtype = structure.to_tensor(filenames).dtype
    if dtype is not dtypes.string:
        name = getattr(dtype, "name", type(dtype).__name__)
        raise TypeError(
            f"The `filenames` argument must contain `tf.string` elements. Got `tf.{name}` elements."
        )
    return [name.decode() if isinstance(name, bytes) else name for name in _names(filenames)]


def _cycle_length(num_parallel_reads):
    if num_parallel_reads is None:
        return None
    if num_parallel_reads == -1:  # tf.data.AUTOTUNE: one file per core, as TF picks
        return os.cpu_count() or 1
    if num_parallel_reads <= 0:
        raise InvalidArgumentError(
            None, "LegacyParallelInterleaveDatasetV2", "`cycle_length` must be > 0"
        )
    return int(num_parallel_reads)


class _FilesPull(ElementPull):
    """The records of each file in turn; ``read(name)`` yields one file's records."""

    def __init__(self, names, read):
        self._names = iter(names)
        self._read = read
        self._records = None

    def next(self):
        while True:
            if self._records is None:
                self._records = self._read(next(self._names))
            record = next(self._records, None)
            if record is not None:
                return (np.array(record, dtype=object),)
            self._records = None

    def close(self):
        if self._records is not None:
            self._records.close()
            self._records = None


class _RecordFileDataset(Dataset):
    """A dataset of the records of files, read by ``_read_file(name)``."""

    def __init__(self, filenames, num_parallel_reads):
        super().__init__(TensorSpec((), dtypes.string))
        self._names = _filenames(filenames)
        self._parallel_reads = _cycle_length(num_parallel_reads)

    def _read_file(self, name):
        raise NotImplementedError

    def _single_file(self, name) -> Dataset:
        raise NotImplementedError

    def _pull(self):
        self._check_arguments()
        cycle = self._parallel_reads
        if cycle is None or cycle == 1:
            return _FilesPull(self._names, self._read_file)
        from tensorflux.data.sources import TensorSliceDataset

        names = TensorSliceDataset(np.array(self._names, dtype=object))
        return names.interleave(
            lambda name: self._single_file(name), cycle_length=cycle, block_length=1
        )._pull()

    def _check_arguments(self) -> None:
        """Argument errors TF reports when iteration starts."""

    def _cardinality(self):
        return UNKNOWN


def _tf_records(name: str, compression: str):
    stream = open_stream(name, compression)
    try:
        yield from read_records(stream)
    finally:
        stream.close()


def _file_name(name) -> str:
    if isinstance(name, (str, bytes)):
        return name.decode() if isinstance(name, bytes) else name
    return np.asarray(name._value).item().decode()


class TFRecordDataset(_RecordFileDataset):
    """The records of TFRecord files (``tf.data.TFRecordDataset``).

    Args:
        filenames: a file name, a list or string tensor of them, or a dataset of them.
        compression_type: "" / None, "ZLIB" or "GZIP" (any other string reads the files
            uncompressed, as TF does).
        buffer_size: the read buffer in bytes; it changes nothing but speed.
        num_parallel_reads: None reads the files in turn; ``k`` reads ``k`` files at a
            time, one record from each in turn; ``tf.data.AUTOTUNE`` one per core.
        name: unused, as for TF's eager datasets.

    Raises:
        TypeError: ``filenames`` are not strings.
        tf.errors.DataLossError (while iterating): a corrupted or truncated record.
        tf.errors.NotFoundError (while iterating): a missing file.

    >>> import os, tempfile
    >>> from tensorflux.framework.tfrecord import TFRecordWriter
    >>> path = os.path.join(tempfile.mkdtemp(), "data.tfrecord")
    >>> with TFRecordWriter(path) as writer:
    ...     writer.write(b"one")
    ...     writer.write(b"two")
    >>> list(TFRecordDataset(path).as_numpy_iterator())
    [b'one', b'two']
    """

    _tf_name = "TFRecordDatasetV2"

    def __init__(
        self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None
    ):
        super().__init__(filenames, num_parallel_reads)
        self._compression = compression_type or ""
        self._buffer_size = buffer_size

    def _read_file(self, name):
        return _tf_records(name, self._compression)

    def _single_file(self, name) -> Dataset:
        return TFRecordDataset(_file_name(name), self._compression)


def _fixed_records(name, compression, record_bytes, header_bytes, footer_bytes):
    stream = open_stream(name, compression)
    try:
        if compression not in ("GZIP", "ZLIB"):
            size = os.path.getsize(name)
            body = (size - header_bytes - footer_bytes) % (1 << 64)
            if body % record_bytes:
                raise _not_a_multiple(
                    InvalidArgumentError, name, body, record_bytes, header_bytes, footer_bytes
                )
            stream.read(header_bytes)
            for _ in range(body // record_bytes):
                yield stream.read(record_bytes)
            return
        read = len(stream.read(header_bytes))
        window = record_bytes + footer_bytes
        buffer = stream.read(window)
        while len(buffer) == window:
            yield buffer[:record_bytes]
            read += record_bytes
            buffer = buffer[record_bytes:] + stream.read(record_bytes)
        if len(buffer) != footer_bytes:
            body = read + len(buffer) - header_bytes - footer_bytes
            raise _not_a_multiple(
                DataLossError, name, body, record_bytes, header_bytes, footer_bytes
            )
    finally:
        stream.close()


def _not_a_multiple(error, name, body, record_bytes, header_bytes, footer_bytes):
    return error(
        None,
        "IteratorGetNext",
        f"Excluding the header ({header_bytes} bytes) and footer ({footer_bytes} bytes), "
        f'input file "{name}" has body length {body} bytes, which is not an exact multiple '
        f"of the record length ({record_bytes} bytes).",
    )


class FixedLengthRecordDataset(_RecordFileDataset):
    """Records of ``record_bytes`` bytes from files, after ``header_bytes`` and before
    ``footer_bytes`` (``tf.data.FixedLengthRecordDataset``).

    Args:
        filenames: a file name, a list or string tensor of them, or a dataset of them.
        record_bytes: the length of each record (> 0).
        header_bytes, footer_bytes: bytes to skip at the start and end of each file.
        buffer_size: the read buffer in bytes; it changes nothing but speed.
        compression_type: "" / None, "ZLIB" or "GZIP".
        num_parallel_reads: as for :class:`TFRecordDataset`.
        name: unused.

    Raises:
        tf.errors.InvalidArgumentError (while iterating): a bad argument, or a file
            whose body is not a whole number of records (DataLossError if compressed).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "data.bin")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(b"HDRabcdef")
    >>> list(FixedLengthRecordDataset(path, 3, header_bytes=3).as_numpy_iterator())
    [b'abc', b'def']
    """

    _tf_name = "FixedLengthRecordDatasetV2"

    def __init__(
        self,
        filenames,
        record_bytes,
        header_bytes=None,
        footer_bytes=None,
        buffer_size=None,
        compression_type=None,
        num_parallel_reads=None,
        name=None,
    ):
        super().__init__(filenames, num_parallel_reads)
        self._record_bytes = int(record_bytes)
        self._header_bytes = int(header_bytes or 0)
        self._footer_bytes = int(footer_bytes or 0)
        self._buffer_size = buffer_size
        self._compression = compression_type or ""

    def _check_arguments(self) -> None:
        for label, value, low in (
            ("header_bytes", self._header_bytes, 0),
            ("record_bytes", self._record_bytes, 1),
            ("footer_bytes", self._footer_bytes, 0),
        ):
            if value < low:
                relation = "> 0" if low else ">= 0"
                raise InvalidArgumentError(None, "IteratorGetNext", f"`{label}` must be {relation}")
        if self._compression not in ("", "ZLIB", "GZIP"):
            raise InvalidArgumentError(None, "IteratorGetNext", "Unsupported compression_type.")

    def _read_file(self, name):
        return _fixed_records(
            name, self._compression, self._record_bytes, self._header_bytes, self._footer_bytes
        )

    def _single_file(self, name) -> Dataset:
        return FixedLengthRecordDataset(
            _file_name(name),
            self._record_bytes,
            self._header_bytes,
            self._footer_bytes,
            compression_type=self._compression,
        )
