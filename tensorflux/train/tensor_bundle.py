"""TensorFlow's checkpoint storage ("tensor bundle"): ``prefix.index`` + ``prefix.data-*``.

The index is an SSTable (``sstable.py``) mapping each tensor's key to a
``BundleEntryProto`` (dtype, shape, shard, offset and size in the data file, masked
CRC-32C of the stored bytes); the key ``""`` holds the ``BundleHeaderProto``. The data
file holds each tensor's little-endian bytes, one after another. A string tensor is
stored as its element lengths (varints), a masked CRC of those lengths, then the bytes.
"""

from __future__ import annotations

import os
import struct

import numpy as np

from tensorflux.framework import crc32c, dtypes
from tensorflux.framework.atomic_file import atomic_outputs
from tensorflux.framework.errors import (
    DataLossError,
    NotFoundError,
    UnimplementedError,
)
from tensorflux.framework.proto_wire import (
    Message,
    MessageWriter,
    ProtoDecodeError,
    decode_varint,
    encode_varint,
)
from tensorflux.train.sstable import TableWriter, read_table

__all__ = ["BundleReader", "data_path", "index_path", "read_bundle", "write_bundle"]

# BundleHeaderProto / BundleEntryProto / TensorShapeProto field numbers.
_HEADER_NUM_SHARDS, _HEADER_VERSION = 1, 3
_ENTRY_DTYPE, _ENTRY_SHAPE, _ENTRY_SHARD, _ENTRY_OFFSET = 1, 2, 3, 4
_ENTRY_SIZE, _ENTRY_CRC, _ENTRY_SLICES = 5, 6, 7
_SHAPE_DIM, _SHAPE_UNKNOWN, _DIM_SIZE = 2, 3, 1

_STORED_DTYPES = (
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
    dtypes.bfloat16,
    dtypes.int8,
    dtypes.int16,
    dtypes.int32,
    dtypes.int64,
    dtypes.uint8,
    dtypes.uint16,
    dtypes.uint32,
    dtypes.uint64,
    dtypes.bool,
    dtypes.complex64,
    dtypes.complex128,
    dtypes.string,
)
_BY_ENUM = {d.as_datatype_enum: d for d in _STORED_DTYPES}


def index_path(prefix) -> str:
    """The ``.index`` file of a checkpoint prefix."""
    return f"{os.fspath(prefix)}.index"


def data_path(prefix, shard: int = 0, num_shards: int = 1) -> str:
    """A data file of a checkpoint prefix (``prefix.data-00000-of-00001``)."""
    return f"{os.fspath(prefix)}.data-{shard:05d}-of-{num_shards:05d}"


def _dtype_of(key: str, array: np.ndarray):
    if array.dtype == object or array.dtype.kind in "SU":
        return dtypes.string
    if array.dtype.name == "bfloat16":
        return dtypes.bfloat16
    try:
        dtype = dtypes.from_numpy(array.dtype.newbyteorder("="))
    except (TypeError, ValueError):
        dtype = None
    if dtype is None or dtype not in _STORED_DTYPES:
        raise TypeError(
            f"Cannot save tensor {key!r}: dtype {array.dtype} has no TensorFlow "
            "checkpoint encoding (use a bool, integer, float, complex or string "
            "array)."
        )
    return dtype


def _as_bytes(key: str, item) -> bytes:
    if isinstance(item, (bytes, bytearray, np.bytes_)):
        return bytes(item)
    if isinstance(item, str):
        return item.encode("utf-8")
    raise TypeError(
        f"Cannot save tensor {key!r}: a string tensor holds bytes or str, got "
        f"{type(item).__name__}."
    )


def _string_payload(key: str, array: np.ndarray) -> tuple[bytes, int]:
    items = [_as_bytes(key, item) for item in array.reshape(-1).tolist()]
    lengths = [len(item) for item in items]
    crc = crc32c.value(np.asarray(lengths, dtype="<u4").tobytes())
    length_crc = struct.pack("<I", crc32c.mask(crc))
    crc = crc32c.extend(crc, length_crc)
    body = b"".join(items)
    crc = crc32c.extend(crc, body)
    return b"".join(encode_varint(n) for n in lengths) + length_crc + body, crc


def _shape_proto(shape) -> MessageWriter:
    proto = MessageWriter()
    for size in shape:
        proto.raw(_SHAPE_DIM, MessageWriter().varint(_DIM_SIZE, size) if size else b"")
    return proto


def write_bundle(prefix, tensors: dict) -> None:
    """Writes ``tensors`` (key -> array) as a one-shard TensorFlow checkpoint bundle.

    Both files are written to temporaries, synced, and renamed into place one right
    after the other once complete, so a process killed while saving leaves any previous
    bundle at ``prefix`` readable (unless killed in the instant between the renames).

    Args:
        prefix: the checkpoint prefix; ``prefix.index`` and
            ``prefix.data-00000-of-00001`` are written (the folder must exist).
        tensors: key -> NumPy array (bool, integer, float, complex; object arrays of
            bytes/str for strings). The data file keeps this order; the index is sorted.

    Raises:
        TypeError: a value's dtype has no checkpoint encoding.

    >>> import tempfile, os, numpy as np
    >>> prefix = os.path.join(tempfile.mkdtemp(), "ckpt")
    >>> write_bundle(prefix, {"w": np.ones((2, 3), np.float32)})
    >>> read_bundle(prefix).get("w").shape
    (2, 3)
    """
    entries = {}
    offset = 0
    with atomic_outputs(data_path(prefix), index_path(prefix)) as (data_tmp, index_tmp):
        with open(data_tmp, "wb") as out:
            for key, value in tensors.items():
                array = np.asarray(value)
                dtype = _dtype_of(key, array)
                if dtype is dtypes.string:
                    payload, crc = _string_payload(key, array)
                else:
                    if array.dtype.byteorder == ">":
                        array = array.astype(array.dtype.newbyteorder("<"))
                    # As raw bytes: buffers of some dtypes (bfloat16) cannot be cast.
                    payload = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
                    crc = crc32c.value(payload)
                entry = MessageWriter().varint(_ENTRY_DTYPE, dtype.as_datatype_enum)
                entry.raw(_ENTRY_SHAPE, _shape_proto(array.shape))
                if offset:
                    entry.varint(_ENTRY_OFFSET, offset)
                if len(payload):
                    entry.varint(_ENTRY_SIZE, len(payload))
                entry.fixed32(_ENTRY_CRC, crc32c.mask(crc))
                entries[key.encode("utf-8")] = entry.bytes()
                out.write(payload)
                offset += len(payload)
        header = MessageWriter().varint(_HEADER_NUM_SHARDS, 1)
        header.raw(_HEADER_VERSION, MessageWriter().varint(1, 1))
        table = TableWriter()
        table.add(b"", header.bytes())
        for key in sorted(entries):
            table.add(key, entries[key])
        with open(index_tmp, "wb") as out:
            out.write(table.finish())


class _Entry:
    __slots__ = ("dtype", "shape", "shard", "offset", "size", "crc", "sliced")

    def __init__(self, proto: Message):
        enum = proto.varint(_ENTRY_DTYPE)
        if enum not in _BY_ENUM:
            raise UnimplementedError(None, None, f"checkpoint dtype enum {enum} is not supported")
        self.dtype = _BY_ENUM[enum]
        shape = proto.message(_ENTRY_SHAPE)
        self.shape = [dim.int64(_DIM_SIZE) for dim in shape.messages(_SHAPE_DIM)]
        self.shard = proto.varint(_ENTRY_SHARD)
        self.offset = proto.int64(_ENTRY_OFFSET)
        self.size = proto.int64(_ENTRY_SIZE)
        self.crc = proto.fixed32(_ENTRY_CRC)
        self.sliced = proto.has(_ENTRY_SLICES)


class BundleReader:
    """Reads one checkpoint bundle: its keys, dtypes, shapes and verified values.

    Made by :func:`read_bundle`; the data files are opened on each :meth:`get`.
    """

    def __init__(self, prefix, entries: dict, num_shards: int):
        self.prefix = os.fspath(prefix)
        self._entries = entries
        self._num_shards = num_shards

    def keys(self) -> list[str]:
        """Every tensor key, sorted."""
        return list(self._entries)

    def __contains__(self, key) -> bool:
        return key in self._entries

    def _entry(self, key: str) -> _Entry:
        entry = self._entries.get(key)
        if entry is None:
            raise NotFoundError(None, None, f"Key {key} not found in checkpoint")
        return entry

    def dtype(self, key: str):
        """The tensorflux DType of ``key``'s tensor."""
        return self._entry(key).dtype

    def shape(self, key: str) -> list[int]:
        """The shape of ``key``'s tensor, as a list."""
        return list(self._entry(key).shape)

    def get(self, key: str) -> np.ndarray:
        """The value of ``key`` as a NumPy array (object array of bytes for strings), its
        stored CRC-32C verified.

        Raises:
            tf.errors.NotFoundError: no such key, or its data file is missing.
            tf.errors.DataLossError: the data file is truncated or corrupted.
        """
        entry = self._entry(key)
        if entry.sliced:
            raise UnimplementedError(
                None,
                None,
                f"Tensor {key} is stored in slices "
                "(a partitioned variable); reading "
                "sliced tensors is not supported",
            )
        path = data_path(self.prefix, entry.shard, self._num_shards)
        try:
            with open(path, "rb") as f:
                f.seek(entry.offset)
                raw = f.read(entry.size)
        except FileNotFoundError:
            raise NotFoundError(
                None, None, f"Data file {path} of checkpoint {self.prefix} not found"
            ) from None
        where = f"TensorBundle at {self.prefix} shard {entry.shard}"
        if len(raw) != entry.size:
            raise DataLossError(
                None,
                None,
                f"{where}: truncated data file: tensor {key} "
                f"needs {entry.size} bytes at offset "
                f"{entry.offset}, read {len(raw)}",
            )
        count = int(np.prod(entry.shape, dtype=np.int64))
        if entry.dtype is dtypes.string:
            array, crc = self._decode_strings(key, raw, count, where)
        else:
            crc = crc32c.value(raw)
            np_dtype = np.dtype(entry.dtype.as_numpy_dtype).newbyteorder("<")
            if len(raw) != count * np_dtype.itemsize:
                raise DataLossError(
                    None,
                    None,
                    f"{where}: tensor {key} holds {len(raw)} "
                    f"bytes, not {count} x {entry.dtype.name}",
                )
            array = np.frombuffer(bytearray(raw), dtype=np_dtype).astype(
                np_dtype.newbyteorder("="), copy=False
            )
        if crc32c.mask(crc) != entry.crc:
            raise DataLossError(
                None,
                None,
                f"{where}: Checksum does not match: stored "
                f"{crc32c.unmask(entry.crc)} vs. calculated on "
                f"the restored bytes {crc} (tensor {key})",
            )
        return array.reshape(entry.shape)

    @staticmethod
    def _decode_strings(key, raw: bytes, count: int, where: str):
        corrupt = DataLossError(None, None, f"{where}: corrupted string tensor {key}")
        lengths, pos = [], 0
        try:
            for _ in range(count):
                length, pos = decode_varint(raw, pos)
                lengths.append(length)
        except ProtoDecodeError:
            raise corrupt from None
        crc = crc32c.value(np.asarray(lengths, dtype="<u4").tobytes())
        if pos + 4 > len(raw) or struct.unpack_from("<I", raw, pos)[0] != crc32c.mask(crc):
            raise corrupt
        crc = crc32c.extend(crc, raw[pos : pos + 4])
        pos += 4
        if pos + sum(lengths) != len(raw):
            raise corrupt
        crc = crc32c.extend(crc, raw[pos:])
        items = np.empty(count, dtype=object)
        for i, length in enumerate(lengths):
            items[i] = raw[pos : pos + length]
            pos += length
        return items, crc


def read_bundle(prefix) -> BundleReader:
    """Opens the checkpoint bundle at ``prefix`` (its index is read and verified now).

    Raises:
        tf.errors.NotFoundError: no ``prefix.index`` file.
        tf.errors.DataLossError: the index is truncated, corrupted or not an index.

    >>> import tempfile, os, numpy as np
    >>> prefix = os.path.join(tempfile.mkdtemp(), "ckpt")
    >>> write_bundle(prefix, {"step": np.int64(7), "name": np.array(b"run")})
    >>> reader = read_bundle(prefix)
    >>> reader.keys(), reader.shape("step"), reader.get("name")
    (['name', 'step'], [], array(b'run', dtype=object))
    """
    path = index_path(prefix)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise NotFoundError(
            None,
            None,
            "Unsuccessful TensorSliceReader constructor: Failed to "
            f"find any matching files for {prefix}",
        ) from None
    rows = read_table(data, path)
    if not rows or rows[0][0] != b"":
        raise DataLossError(None, None, f"{path}: the checkpoint index has no bundle header")
    try:
        header = Message(rows[0][1])
        num_shards = header.varint(_HEADER_NUM_SHARDS, 1) or 1
        entries = {key.decode("utf-8"): _Entry(Message(value)) for key, value in rows[1:]}
    except (ProtoDecodeError, UnicodeDecodeError):
        raise DataLossError(None, None, f"{path}: corrupted bundle entry") from None
    return BundleReader(prefix, entries, num_shards)
