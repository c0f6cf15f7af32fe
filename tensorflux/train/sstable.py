"""The LevelDB table ("SSTable") that holds a TensorFlow checkpoint's ``.index`` file.

Layout, as TensorFlow's table builder writes it (no compression):

- data blocks of sorted key/value entries. Each entry stores the length of the prefix
  it shares with the previous key, the rest of the key and the value; every 16th entry
  (a *restart point*) stores its whole key. A block ends with the restart offsets and
  their count (uint32 each), then a 5-byte trailer: a type byte (0: uncompressed) and
  the masked CRC-32C of the block and the type byte;
- an empty metaindex block;
- an index block: one entry per data block, keyed by a short key between that block's
  last key and the next block's first, valued by the block's handle (varint offset and
  size);
- a 48-byte footer: the metaindex and index handles padded to 40 bytes, then the magic
  number 0xdb4775248b80fb57.
"""

from __future__ import annotations

import struct

from tensorflux.framework import crc32c
from tensorflux.framework.errors import DataLossError
from tensorflux.framework.proto_wire import ProtoDecodeError, decode_varint, encode_varint

__all__ = ["TableWriter", "read_table"]

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_SIZE = 262144  # TensorFlow's table option default (bytes before a block is cut)
RESTART_INTERVAL = 16


def _shared_prefix(a: bytes, b: bytes) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _separator(start: bytes, limit: bytes) -> bytes:
    """A short key >= ``start`` and < ``limit`` (LevelDB's bytewise rule)."""
    i = _shared_prefix(start, limit)
    if i < min(len(start), len(limit)):
        byte = start[i]
        if byte < 0xFF and byte + 1 < limit[i]:
            return start[:i] + bytes([byte + 1])
    return start


def _successor(key: bytes) -> bytes:
    """A short key >= ``key``: its first byte that can grow, grown, the rest cut."""
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


class _BlockBuilder:
    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0
        self.restarts = [0]
        self.count = 0
        self.last = b""

    def add(self, key: bytes, value: bytes) -> None:
        if self.count and self.count % RESTART_INTERVAL == 0:
            self.restarts.append(self.size)
            shared = 0
        else:
            shared = _shared_prefix(self.last, key)
        entry = b"".join(
            (
                encode_varint(shared),
                encode_varint(len(key) - shared),
                encode_varint(len(value)),
                key[shared:],
                value,
            )
        )
        self.parts.append(entry)
        self.size += len(entry)
        self.count += 1
        self.last = key

    def estimated_size(self) -> int:
        return self.size + 4 * len(self.restarts) + 4

    def finish(self) -> bytes:
        tail = struct.pack(f"<{len(self.restarts) + 1}I", *self.restarts, len(self.restarts))
        return b"".join(self.parts) + tail


class TableWriter:
    """Collects sorted entries and renders the table's bytes.

    >>> w = TableWriter()
    >>> w.add(b"a", b"1"); w.add(b"b", b"2")
    >>> read_table(w.finish())
    [(b'a', b'1'), (b'b', b'2')]
    """

    def __init__(self):
        self._out: list[bytes] = []
        self._offset = 0
        self._block = _BlockBuilder()
        self._index = _BlockBuilder()
        self._pending_handle = None
        self._last = None

    def _write_block(self, contents: bytes) -> bytes:
        trailer_type = b"\x00"
        crc = crc32c.mask(crc32c.extend(crc32c.value(contents), trailer_type))
        handle = encode_varint(self._offset) + encode_varint(len(contents))
        self._out.append(contents + trailer_type + struct.pack("<I", crc))
        self._offset += len(contents) + 5
        return handle

    def add(self, key: bytes, value: bytes) -> None:
        """Appends one entry; keys must come in strictly increasing bytewise order."""
        if self._last is not None and key <= self._last:
            raise ValueError(
                f"table keys must be added in increasing order: {key!r} after {self._last!r}"
            )
        if self._pending_handle is not None:
            self._index.add(_separator(self._last, key), self._pending_handle)
            self._pending_handle = None
        self._block.add(key, value)
        self._last = key
        if self._block.estimated_size() >= BLOCK_SIZE:
            self._flush()

    def _flush(self) -> None:
        if self._block.count:
            self._pending_handle = self._write_block(self._block.finish())
            self._block = _BlockBuilder()

    def finish(self) -> bytes:
        """The whole table: data blocks, metaindex, index and footer."""
        self._flush()
        if self._pending_handle is not None:
            self._index.add(_successor(self._last), self._pending_handle)
            self._pending_handle = None
        meta_handle = self._write_block(_BlockBuilder().finish())
        index_handle = self._write_block(self._index.finish())
        handles = meta_handle + index_handle
        footer = handles + b"\x00" * (40 - len(handles)) + struct.pack("<Q", MAGIC)
        self._out.append(footer)
        return b"".join(self._out)


def _read_block(data: bytes, handle: bytes, what: str):
    try:
        offset, pos = decode_varint(handle, 0)
        size, _ = decode_varint(handle, pos)
    except ProtoDecodeError:
        raise DataLossError(None, None, f"{what}: corrupted block handle") from None
    end = offset + size
    if end + 5 > len(data):
        raise DataLossError(None, None, f"{what}: truncated block read (the file is cut short)")
    contents = data[offset:end]
    stored = struct.unpack_from("<I", data, end + 1)[0]
    actual = crc32c.mask(crc32c.extend(crc32c.value(contents), data[end : end + 1]))
    if stored != actual:
        raise DataLossError(None, None, f"{what}: block checksum mismatch (corrupted file)")
    if data[end] != 0:
        raise DataLossError(
            None, None, f"{what}: compressed blocks are not supported (block type {data[end]})"
        )
    return _block_entries(contents, what)


def _block_entries(block: bytes, what: str) -> list[tuple[bytes, bytes]]:
    corrupt = DataLossError(None, None, f"{what}: bad block contents (corrupted file)")
    if len(block) < 4:
        raise corrupt
    num_restarts = struct.unpack_from("<I", block, len(block) - 4)[0]
    limit = len(block) - 4 - 4 * num_restarts
    if limit < 0:
        raise corrupt
    entries = []
    pos, key = 0, b""
    try:
        while pos < limit:
            shared, pos = decode_varint(block, pos)
            unshared, pos = decode_varint(block, pos)
            value_len, pos = decode_varint(block, pos)
            if shared > len(key) or pos + unshared + value_len > limit:
                raise corrupt
            key = key[:shared] + block[pos : pos + unshared]
            pos += unshared
            entries.append((key, block[pos : pos + value_len]))
            pos += value_len
    except ProtoDecodeError:
        raise corrupt from None
    return entries


def _index_handle(data: bytes, what: str) -> bytes:
    """The index block's handle, read from the footer."""
    if len(data) < FOOTER_SIZE or struct.unpack_from("<Q", data, len(data) - 8)[0] != MAGIC:
        raise DataLossError(
            None,
            None,
            f"{what}: not an sstable (bad magic number); the "
            "file is truncated or not a checkpoint index",
        )
    footer = data[len(data) - FOOTER_SIZE :]
    try:
        _, pos = decode_varint(footer, 0)  # the metaindex handle: nothing is read from it
        _, pos = decode_varint(footer, pos)
        _, end = decode_varint(footer, pos)
        _, end = decode_varint(footer, end)
    except ProtoDecodeError:
        raise DataLossError(None, None, f"{what}: corrupted footer") from None
    return footer[pos:end]


def read_table(data: bytes, what: str = "table") -> list[tuple[bytes, bytes]]:
    """Every ``(key, value)`` of a table, in key order, every block's CRC verified.

    Raises:
        tf.errors.DataLossError: the bytes are not a table, or are truncated or corrupted
            (``what`` names the file in the message).
    """
    entries = []
    for _, handle in _read_block(data, _index_handle(data, what), what):
        entries.extend(_read_block(data, handle, what))
    return entries
