"""CRC-32C (Castagnoli), the checksum of TensorFlow's checkpoint files, and its "mask".

The ``google_crc32c`` package (a dependency where it has wheels) is used when its C
extension is installed; its pure-Python fallback is slower than ours. Without it, large
buffers are checksummed by NumPy: the buffer is cut into many equal lanes whose CRCs are
computed side by side (one vectorised step per 4 bytes of lane, two lookups of 16 bits),
then the lane CRCs are combined pairwise by the linear map "append n zero bytes", applied
through byte tables. No Python loop runs per byte except over a short tail.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["extend", "mask", "unmask", "value"]

_POLY = 0x82F6_3B78  # the Castagnoli polynomial, bit-reflected
_MASK_DELTA = 0xA282_EAD8
_SMALL = 4096  # below this many bytes, the table loop beats NumPy's per-call overhead
_LANE_BYTES = 1024  # bytes per lane: 256 vectorised steps whatever the buffer size
_MAX_PASS = 1 << 24

try:
    import google_crc32c as _fast
except ImportError:
    _fast = None
if getattr(_fast, "implementation", None) != "c":
    _fast = None


@functools.lru_cache(maxsize=None)
def _tables() -> np.ndarray:
    """tables[k][b]: the register after byte ``b`` followed by ``k`` zero bytes."""
    base = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        base = np.where(base & 1, (base >> 1) ^ np.uint32(_POLY), base >> 1).astype(np.uint32)
    tables = [base]
    for _ in range(3):
        prev = tables[-1]
        tables.append((prev >> 8) ^ base[prev & 0xFF])
    return np.stack(tables)


@functools.lru_cache(maxsize=None)
def _table_list() -> list:
    return _tables()[0].tolist()


def _raw_loop(reg: int, data) -> int:
    table = _table_list()
    for byte in data:
        reg = table[(reg ^ byte) & 0xFF] ^ (reg >> 8)
    return reg


# A linear map on the 32-bit register is held as its 32 columns (the image of each bit).
def _apply(columns, reg: int) -> int:
    out = 0
    bit = 0
    while reg:
        if reg & 1:
            out ^= columns[bit]
        reg >>= 1
        bit += 1
    return out


def _compose(a, b):
    """The map ``a`` after ``b``."""
    return tuple(_apply(a, column) for column in b)


@functools.lru_cache(maxsize=None)
def _zeros_power(k: int):
    """The map that feeds 2**k zero bytes through the register."""
    if k == 0:
        return tuple(_raw_loop(1 << bit, b"\x00") for bit in range(32))
    half = _zeros_power(k - 1)
    return _compose(half, half)


@functools.lru_cache(maxsize=256)
def _zeros_map(length: int):
    """The map that feeds ``length`` zero bytes through the register."""
    result = None
    k = 0
    while length:
        if length & 1:
            power = _zeros_power(k)
            result = power if result is None else _compose(power, result)
        length >>= 1
        k += 1
    return result if result is not None else tuple(1 << bit for bit in range(32))


@functools.lru_cache(maxsize=64)
def _byte_tables(length: int) -> np.ndarray:
    """Four 256-entry tables applying ``_zeros_map(length)`` to a uint32 array by bytes."""
    columns = np.array(_zeros_map(length), dtype=np.uint32)
    bits = ((np.arange(256)[:, None] >> np.arange(8)) & 1).astype(bool)
    return np.stack(
        [
            np.bitwise_xor.reduce(np.where(bits, columns[8 * j : 8 * j + 8], np.uint32(0)), axis=1)
            for j in range(4)
        ]
    ).astype(np.uint32)


def _apply_tables(tables: np.ndarray, regs: np.ndarray) -> np.ndarray:
    return (
        tables[0][regs & 0xFF]
        ^ tables[1][(regs >> 8) & 0xFF]
        ^ tables[2][(regs >> 16) & 0xFF]
        ^ tables[3][regs >> 24]
    )


@functools.lru_cache(maxsize=None)
def _half_word_tables() -> tuple:
    """Two 65536-entry tables: one step of four bytes as two lookups of 16 bits each."""
    t0, t1, t2, t3 = _tables()
    v = np.arange(65536, dtype=np.uint32)
    return t3[v & 0xFF] ^ t2[v >> 8], t1[v & 0xFF] ^ t0[v >> 8]


def _lanes_crc(words: np.ndarray) -> np.ndarray:
    """Zero-initialised registers of each row of ``words`` (rows of little-endian uint32).

    The rows are transposed first so that each step reads one contiguous column.
    """
    low_table, high_table = _half_word_tables()
    columns = np.ascontiguousarray(words.T)
    regs = np.zeros(columns.shape[1], dtype=np.uint32)
    low, high, looked_up = np.empty_like(regs), np.empty_like(regs), np.empty_like(regs)
    for column in columns:
        np.bitwise_xor(regs, column, out=regs)
        np.bitwise_and(regs, 0xFFFF, out=low)
        np.right_shift(regs, 16, out=high)
        np.take(low_table, low, out=looked_up)
        np.take(high_table, high, out=regs)
        np.bitwise_xor(regs, looked_up, out=regs)
    return regs


def _raw_numpy(reg: int, view: memoryview) -> int:
    """The register after ``view``, starting from ``reg``; NumPy lanes for the bulk."""
    pos, total = 0, len(view)
    while total - pos >= _SMALL:
        # At most _MAX_PASS bytes per pass bounds the transposed copy's memory.
        lanes = 1 << (min(total - pos, _MAX_PASS) // _LANE_BYTES).bit_length() - 1
        size = lanes * _LANE_BYTES
        words = np.frombuffer(view, dtype="<u4", count=size // 4, offset=pos)
        regs = _lanes_crc(words.reshape(lanes, _LANE_BYTES // 4))
        # The CRC is linear: a register carried in adds its image after the first lane.
        if reg:
            regs[0] ^= _apply_tables(_byte_tables(_LANE_BYTES), np.uint32(reg))
        length = _LANE_BYTES
        while regs.shape[0] > 1:
            regs = _apply_tables(_byte_tables(length), regs[0::2]) ^ regs[1::2]
            length *= 2
        reg = int(regs[0])
        pos += size
    return _raw_loop(reg, view[pos:])


def extend(crc: int, data) -> int:
    """The CRC-32C of the bytes behind ``crc`` followed by ``data``.

    >>> extend(value(b"123"), b"456789") == value(b"123456789")
    True
    """
    view = memoryview(data).cast("B")
    if _fast is not None:
        # The C extension takes only bytes; a copy costs far less than the checksum.
        return _fast.extend(crc, data if isinstance(data, bytes) else view.tobytes())
    reg = crc ^ 0xFFFFFFFF
    if len(view) < _SMALL:
        return _raw_loop(reg, view) ^ 0xFFFFFFFF
    return _raw_numpy(reg, view) ^ 0xFFFFFFFF


def value(data) -> int:
    """The CRC-32C of ``data`` (bytes-like: bytes, bytearray, memoryview, a contiguous
    NumPy array).

    >>> hex(value(b"123456789"))
    '0xe3069283'
    """
    return extend(0, data)


def mask(crc: int) -> int:
    """TensorFlow's (and LevelDB's) masked form of a CRC, stored in files so that a CRC
    of data holding CRCs stays well distributed.

    >>> unmask(mask(0x12345678)) == 0x12345678
    True
    """
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    """The CRC behind a masked one (the inverse of :func:`mask`)."""
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
