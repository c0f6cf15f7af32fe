"""CRC-32C (Castagnoli), the checksum of TensorFlow's checkpoint files, and its "mask".

The optional ``google_crc32c`` package (a C extension) is used when it is installed.
Without it, large buffers are checksummed by NumPy: the buffer is cut into many equal
lanes whose CRCs are computed side by side (one vectorised table step per 4 bytes of
lane), then the lane CRCs are combined pairwise by the linear map "append n zero
bytes", applied through byte tables. No Python loop runs per byte except over a short
tail.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["extend", "mask", "unmask", "value"]

_POLY = 0x82F6_3B78  # the Castagnoli polynomial, bit-reflected
_MASK_DELTA = 0xA282_EAD8
_SMALL = 4096  # below this many bytes, the table loop beats NumPy's per-call overhead
_LANE_BYTES = 256  # bytes per lane: 64 vectorised steps whatever the buffer size

try:
    import google_crc32c as _fast
except ImportError:
    _fast = None


def _make_tables() -> np.ndarray:
    """tables[k][b]: the register after byte ``b`` followed by ``k`` zero bytes."""
    base = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        base = np.where(base & 1, (base >> 1) ^ np.uint32(_POLY), base >> 1).astype(np.uint32)
    tables = [base]
    for _ in range(3):
        prev = tables[-1]
        tables.append((prev >> 8) ^ base[prev & 0xFF])
    return np.stack(tables)


_TABLES = _make_tables()
_T0_LIST = _TABLES[0].tolist()


def _raw_loop(reg: int, data) -> int:
    table = _T0_LIST
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
    return np.stack([
        np.bitwise_xor.reduce(np.where(bits, columns[8 * j:8 * j + 8], np.uint32(0)), axis=1)
        for j in range(4)
    ]).astype(np.uint32)


def _apply_tables(tables: np.ndarray, regs: np.ndarray) -> np.ndarray:
    return (tables[0][regs & 0xFF] ^ tables[1][(regs >> 8) & 0xFF]
            ^ tables[2][(regs >> 16) & 0xFF] ^ tables[3][regs >> 24])


def _lanes_crc(words: np.ndarray) -> np.ndarray:
    """Zero-initialised registers of each row of ``words`` (rows of little-endian uint32)."""
    t0, t1, t2, t3 = _TABLES
    regs = np.zeros(words.shape[0], dtype=np.uint32)
    for j in range(words.shape[1]):
        regs ^= words[:, j]
        regs = t3[regs & 0xFF] ^ t2[(regs >> 8) & 0xFF] ^ t1[(regs >> 16) & 0xFF] ^ t0[regs >> 24]
    return regs


def _raw_numpy(reg: int, view: memoryview) -> int:
    """The register after ``view``, starting from ``reg``; NumPy lanes for the bulk."""
    pos, total = 0, len(view)
    while total - pos >= _SMALL:
        lanes = 1 << ((total - pos) // _LANE_BYTES).bit_length() - 1
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
        return _fast.extend(crc, view)
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
