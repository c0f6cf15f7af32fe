"""Philox4x32-10 and TensorFlow's distributions on it, vectorised in NumPy.

TensorFlow's CPU random kernels draw from Philox4x32-10 (Salmon et al., "Parallel
random numbers: as easy as 1, 2, 3", SC'11): a 64-bit key and a 128-bit counter give
four uint32 words per call, and the counter is incremented by one per call. Every
output position maps to a fixed counter, so a whole tensor is one array computation:
the counters of all calls are laid out in arrays and the ten rounds run on them at once.

The mapping from counters to values follows TF's kernels:

* uniform floats put 23 (float32), 52 (float64) or 10 (float16) random bits in the
  mantissa of a number in [1, 2) and subtract 1;
* integers are ``minval + bits % (maxval - minval)`` in unsigned arithmetic;
* normals are Box-Muller on pairs of words (float32) or of word pairs (float64);
* truncated normals reject ``|x| >= 2``; each group of outputs owns a reserved span of
  256 samples per output, so its values do not depend on how many others were rejected.

The float32 Box-Muller transform calls C's ``logf``/``sincosf``, which glibc does not
always round correctly; here they are computed in float64, rounded, and the roughly 1%
of inputs that glibc rounds the other way are corrected from a table recorded by
``tests/ops/record_libm_rounding.py`` (their inputs are 23-bit mantissas, so the table is
complete).
"""

from __future__ import annotations

import pathlib
import threading

import numpy as np

from tensorflux.kernels.threads import parallel_pieces

__all__: list = []

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = 0x9E3779B9
_W1 = 0xBB67AE85
_S32 = np.uint64(32)
_MASK64 = (1 << 64) - 1
_MASK128 = (1 << 128) - 1
# Philox calls computed per chunk: the working arrays stay in the CPU caches.
_CHUNK = 1 << 14
# Counters each output group of a truncated normal reserves (TF's
# kReservedSamplesPerOutput = 256 words per output, four words per call).
_RESERVED_WORDS_PER_OUTPUT = 256

# Draws of at least this many Philox calls are split across the intra-op threads
# (NumPy's ufuncs release the GIL); below it a thread hand-off costs more than it saves.
_PARALLEL_MIN_CALLS = 1 << 16
# float32 normal draws of at least this many Box-Muller pairs read the transform from
# tables over all 2**23 mantissas (see ``_box_muller_tables``).
_TABLE_MIN_PAIRS = 1 << 21

_KEY_SCHEDULE: dict = {}
_ROUNDING_TABLE = pathlib.Path(__file__).with_name("data") / "libm_float32_rounding.npz"
_FLAGS = None
_TABLES = None
_TABLES_LOCK = threading.Lock()


def _for_chunks(n: int, fn) -> None:
    """Calls ``fn(start, stop)`` over ``[0, n)`` in ``_CHUNK`` pieces on the intra-op
    threads."""
    parallel_pieces(n, _CHUNK, fn, _PARALLEL_MIN_CALLS)


def key_counter(seed: int, seed2: int) -> tuple[int, int]:
    """The Philox key and counter TF's ``PhiloxRandom(seed, seed2)`` starts from.

    The key is the 64 bits of ``seed``; ``seed2`` fills the upper half of the counter.
    The counter is returned as one 128-bit integer (word 0 in the low bits).
    """
    return seed & _MASK64, (seed2 & _MASK64) << 64


def _schedule(key: int) -> list:
    """The ten round keys of ``key``, each a ``[2, 1]`` uint32 column (k0 over k1)."""
    keys = _KEY_SCHEDULE.get(key)
    if keys is None:
        k0, k1 = key & 0xFFFFFFFF, key >> 32
        keys = []
        for _ in range(10):
            column = np.array([[k0], [k1]], np.uint32)
            column.setflags(write=False)
            keys.append(column)
            k0, k1 = (k0 + _W0) & 0xFFFFFFFF, (k1 + _W1) & 0xFFFFFFFF
        if len(_KEY_SCHEDULE) > 1024:
            _KEY_SCHEDULE.clear()
        _KEY_SCHEDULE[key] = keys
    return keys


# The round multipliers as a column: M0 multiplies word 0, M1 word 2.
_MULTIPLIERS = np.array([[_M0], [_M1]], np.uint64)


def _rounds(c0, c1, c2, c3, keys, out):
    """Ten Philox rounds on uint32 word arrays, written to ``out[:, i]``.

    A round's new words are (hi(M1*c2) ^ c1 ^ k0, lo(M1*c2), hi(M0*c0) ^ c3 ^ k1,
    lo(M0*c0)). Words 0 and 2 are kept as the two rows of one array and words 1 and 3
    as another, so a round is three NumPy calls: one uint64 multiply of both rows,
    whose halves are read as strided uint32 views (no shifts or masks), and two XORs.
    The low halves stay views into the product buffer, which alternates between two so
    that a round never overwrites the words it reads. Small draws (a Keras layer's 256
    angles) spend their time in the calls: 60 -> 30 a draw.
    """
    m = c0.shape[0]
    even = np.empty((2, m), np.uint32)
    even[0], even[1] = c0, c2
    odd = np.empty((2, m), np.uint32)
    odd[0], odd[1] = c1, c3
    products = [np.empty((2, m), np.uint64) for _ in range(2)]
    mixed = [np.empty((2, m), np.uint32) for _ in range(2)]
    for r, key_column in enumerate(keys):
        product, words = products[r & 1], mixed[r & 1]
        np.multiply(even, _MULTIPLIERS, out=product, dtype=np.uint64)
        halves = product.view(np.uint32)
        # Reversed rows: word 0 takes M1*c2's high half, word 2 M0*c0's.
        np.bitwise_xor(halves[::-1, 1::2], odd, out=words)
        words ^= key_column
        even, odd = words, halves[::-1, 0::2]
    out[:, 0], out[:, 2] = even
    out[:, 1], out[:, 3] = odd


def philox_blocks(key: int, counters) -> np.ndarray:
    """Philox4x32-10 of each 128-bit counter in ``counters``.

    Args:
        key: the 64-bit key.
        counters: ``(lo, hi)`` uint64 arrays, the low and high 64 bits of each counter.

    Returns:
        A ``[n, 4]`` uint32 array: the four words of each call.
    """
    lo, hi = counters
    n = lo.shape[0]
    out = np.empty((n, 4), np.uint32)
    keys = _schedule(key)
    # Little-endian: word 0 of a counter is the low half of its low uint64.
    lo_words = np.ascontiguousarray(lo, np.uint64).view(np.uint32).reshape(-1, 2)
    hi_words = np.ascontiguousarray(hi, np.uint64).view(np.uint32).reshape(-1, 2)

    def chunk(start: int, stop: int) -> None:
        _rounds(
            lo_words[start:stop, 0],
            lo_words[start:stop, 1],
            hi_words[start:stop, 0],
            hi_words[start:stop, 1],
            keys,
            out[start:stop],
        )

    _for_chunks(n, chunk)
    return out


def map_stream(key: int, counter: int, calls: int, fn) -> None:
    """Calls ``fn(start, stop, blocks)`` with the ``[stop - start, 4]`` words of calls
    ``start .. stop`` of the stream at ``counter``, for every ``_CHUNK`` of ``calls``.

    The counters of each chunk are made inside it, so no array the size of the whole
    draw is built besides the one ``fn`` fills; chunks run on the intra-op threads.
    """
    keys = _schedule(key)

    def chunk(start: int, stop: int) -> None:
        lo, hi = counters(skip(counter, start), stop - start)
        blocks = np.empty((stop - start, 4), np.uint32)
        lo_words, hi_words = lo.view(np.uint32).reshape(-1, 2), hi.view(np.uint32).reshape(-1, 2)
        _rounds(lo_words[:, 0], lo_words[:, 1], hi_words[:, 0], hi_words[:, 1], keys, blocks)
        fn(start, stop, blocks)

    _for_chunks(calls, chunk)


def counters(counter: int, n: int, step: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The 128-bit counters ``counter + i * step`` for ``i < n``, as ``(lo, hi)`` uint64
    arrays (wrapping modulo 2**128, as TF's counter does)."""
    base_lo = counter & _MASK64
    base_hi = (counter >> 64) & _MASK64
    offsets = np.arange(n, dtype=np.uint64)
    if step != 1:
        offsets *= np.uint64(step)
    lo = offsets + np.uint64(base_lo)
    hi = np.full(n, base_hi, np.uint64)
    if n and base_lo + (n - 1) * step > _MASK64:
        hi += (lo < np.uint64(base_lo)).astype(np.uint64)
    return lo, hi


def words(key: int, counter: int, count: int) -> np.ndarray:
    """The first ``count`` uint32 words of the stream at ``counter``: call ``i`` gives
    words ``4i .. 4i+3``."""
    calls = -(-count // 4)
    out = np.empty((calls, 4), np.uint32)

    def fill(start: int, stop: int, blocks: np.ndarray) -> None:
        out[start:stop] = blocks

    map_stream(key, counter, calls, fill)
    return out.reshape(-1)[:count]


def skip(counter: int, calls: int) -> int:
    """``counter`` advanced by ``calls`` Philox calls (TF's ``PhiloxRandom::Skip``)."""
    return (counter + calls) & _MASK128


# -- bits to values -----------------------------------------------------------


def uint32_to_float(w: np.ndarray) -> np.ndarray:
    """Uniform float32 in [0, 1) from the low 23 bits of each word."""
    bits = (w & np.uint32(0x7FFFFF)) | np.uint32(0x3F800000)
    out = bits.view(np.float32)
    out -= np.float32(1.0)
    return out


def uint64_to_double(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Uniform float64 in [0, 1) from 20 bits of ``hi`` and all 32 bits of ``lo``."""
    bits = ((hi & np.uint32(0xFFFFF)).astype(np.uint64) << _S32) | lo.astype(np.uint64)
    bits |= np.uint64(0x3FF0000000000000)
    out = bits.view(np.float64)
    out -= 1.0
    return out


def uint16_to_half(w: np.ndarray) -> np.ndarray:
    """Uniform float16 in [0, 1) from the low 10 bits of each word."""
    bits = ((w & np.uint32(0x3FF)) | np.uint32(0x3C00)).astype(np.uint16)
    return bits.view(np.float16) - np.float16(1.0)


def uint16_to_bfloat16_values(w: np.ndarray) -> np.ndarray:
    """The bfloat16 uniform values (7 random mantissa bits) as exact float32 numbers."""
    bits = ((w & np.uint32(0x7F)) << np.uint32(16)) | np.uint32(0x3F800000)
    return bits.view(np.float32) - np.float32(1.0)


def _libm_flags() -> np.ndarray:
    """One byte per 23-bit mantissa: bit 0/1/2 set where glibc's ``logf``/``sinf``/``cosf``
    of the Box-Muller input with that mantissa rounds away from the exact value."""
    global _FLAGS
    if _FLAGS is None:
        flags = np.zeros(1 << 23, np.uint8)
        with np.load(_ROUNDING_TABLE) as table:
            for bit, name in enumerate(("log", "sin", "cos")):
                flags[np.cumsum(table[name], dtype=np.uint32)] |= np.uint8(1 << bit)
        _FLAGS = flags
    return _FLAGS


def _libm_round(exact: np.ndarray, flagged: np.ndarray) -> np.ndarray:
    """``exact`` (float64) rounded to float32 as glibc does: to nearest, except at the
    ``flagged`` positions, which glibc rounds to the other neighbour."""
    out = exact.astype(np.float32)
    idx = np.flatnonzero(flagged)
    if idx.size:
        toward = np.where(exact[idx] > out[idx], np.float32(np.inf), np.float32(-np.inf))
        out[idx] = np.nextafter(out[idx], toward)
    return out


def _radius(m0: np.ndarray) -> np.ndarray:
    """TF's float32 ``sqrt(-2 log u1)`` for the 23-bit mantissas ``m0`` of ``u1``."""
    u1 = uint32_to_float(m0)
    np.maximum(u1, np.float32(1.0e-7), out=u1)
    flags = np.take(_libm_flags(), m0)
    log_u1 = _libm_round(np.log(u1.astype(np.float64)), flags & np.uint8(1))
    log_u1 *= np.float32(-2.0)
    return np.sqrt(log_u1, out=log_u1)


def _sin_cos(m1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TF's float32 ``sin(v1)``, ``cos(v1)`` for the 23-bit mantissas ``m1`` of the angle."""
    flags = np.take(_libm_flags(), m1)
    # 2 * M_PI is a double in C, so the angle is rounded to float32 once, from double.
    v1 = (uint32_to_float(m1).astype(np.float64) * (2.0 * np.pi)).astype(np.float32)
    v1 = v1.astype(np.float64)
    return (
        _libm_round(np.sin(v1), flags & np.uint8(2)),
        _libm_round(np.cos(v1), flags & np.uint8(4)),
    )


def _box_muller_tables() -> tuple[np.ndarray, np.ndarray]:
    """The radius of every mantissa (32 MB) and the sine and cosine of every angle
    mantissa (64 MB), made on the first large draw.

    A float32 Box-Muller output depends on 23 bits of each of its two words, so a
    large draw reads its values from these tables instead of computing a logarithm, a
    sine and a cosine per pair: gathering is about three times faster, and the tables
    cost what one draw of 8M pairs costs to compute.
    """
    global _TABLES
    with _TABLES_LOCK:
        if _TABLES is None:
            size = 1 << 23
            radius = np.empty(size, np.float32)
            sin_cos = np.empty((size, 2), np.float32)

            def fill(start: int, stop: int) -> None:
                m = np.arange(start, stop, dtype=np.uint32)
                radius[start:stop] = _radius(m)
                sin_cos[start:stop, 0], sin_cos[start:stop, 1] = _sin_cos(m)

            _libm_flags()
            _for_chunks(size, fill)
            _TABLES = radius, sin_cos
        return _TABLES


def box_muller_float(x0: np.ndarray, x1: np.ndarray, tables=None) -> tuple[np.ndarray, np.ndarray]:
    """Two float32 standard normals from two words each, as TF's ``BoxMullerFloat``;
    ``tables`` (from ``_box_muller_tables``) gives the same numbers faster."""
    m0 = x0 & np.uint32(0x7FFFFF)
    m1 = x1 & np.uint32(0x7FFFFF)
    if tables is None:
        u2 = _radius(m0)
        f0, f1 = _sin_cos(m1)
    else:
        u2 = np.take(tables[0], m0)
        sin_cos = np.take(tables[1], m1, axis=0)
        f0, f1 = sin_cos[:, 0], sin_cos[:, 1]
    f0 *= u2
    f1 *= u2
    return f0, f1


def box_muller_double(x0, x1, x2, x3) -> tuple[np.ndarray, np.ndarray]:
    """Two float64 standard normals from four words each, as TF's ``BoxMullerDouble``."""
    u1 = uint64_to_double(x0, x1)
    np.maximum(u1, 1.0e-7, out=u1)
    v1 = (2 * np.pi) * uint64_to_double(x2, x3)
    u2 = np.sqrt(-2.0 * np.log(u1))
    return np.sin(v1) * u2, np.cos(v1) * u2


# -- distributions --------------------------------------------------------------


def uniform(key: int, counter: int, size: int, dtype) -> np.ndarray:
    """``size`` uniform numbers in [0, 1) of NumPy ``dtype`` (TF's RandomUniform)."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        w = words(key, counter, 2 * size).reshape(-1, 2)
        return uint64_to_double(w[:, 0], w[:, 1])
    if dtype == np.float32:
        out = np.empty(-(-size // 4) * 4, np.float32)

        def fill(start: int, stop: int, blocks: np.ndarray) -> None:
            # uint32_to_float, written straight into the output.
            part = out[4 * start : 4 * stop]
            bits = part.view(np.uint32)
            np.bitwise_and(blocks.reshape(-1), np.uint32(0x7FFFFF), out=bits)
            bits |= np.uint32(0x3F800000)
            part -= np.float32(1.0)

        map_stream(key, counter, len(out) // 4, fill)
        return out[:size]
    w = words(key, counter, size)
    if dtype == np.float16:
        return uint16_to_half(w)
    return uint16_to_bfloat16_values(w).astype(dtype)


def uniform_int(key: int, counter: int, size: int, lo: int, hi: int, dtype) -> np.ndarray:
    """``size`` integers in [lo, hi) of NumPy ``dtype`` int32/int64, as TF reduces them:
    ``lo + bits % (hi - lo)`` with the range and the sum taken modulo 2**bits."""
    dtype = np.dtype(dtype)
    if dtype == np.int64:
        w = words(key, counter, 2 * size).reshape(-1, 2).astype(np.uint64)
        bits = w[:, 0] | (w[:, 1] << _S32)
        span = np.uint64((hi - lo) & _MASK64)
        return (np.uint64(lo & _MASK64) + bits % span).view(np.int64)
    bits = words(key, counter, size)
    span = np.uint32((hi - lo) & 0xFFFFFFFF)
    return (np.uint32(lo & 0xFFFFFFFF) + bits % span).view(np.int32).astype(dtype)


def normal(key: int, counter: int, size: int, dtype) -> np.ndarray:
    """``size`` standard normals of NumPy ``dtype`` (TF's RandomStandardNormal)."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        calls = -(-size // 2)
        w = philox_blocks(key, counters(counter, calls))
        d0, d1 = box_muller_double(w[:, 0], w[:, 1], w[:, 2], w[:, 3])
        return np.stack([d0, d1], axis=1).reshape(-1)[:size]
    # A call's four words make two pairs; the stream is transformed chunk by chunk,
    # so the float64 temporaries of the transform stay small.
    calls = -(-size // 4)
    out = np.empty((2 * calls, 2), np.float32)
    tables = _box_muller_tables() if 2 * calls >= _TABLE_MIN_PAIRS else None

    def fill(start: int, stop: int, blocks: np.ndarray) -> None:
        pairs = blocks.reshape(-1, 2)
        out[2 * start : 2 * stop, 0], out[2 * start : 2 * stop, 1] = box_muller_float(
            pairs[:, 0], pairs[:, 1], tables
        )

    map_stream(key, counter, calls, fill)
    out = out.reshape(-1)[:size]
    return out if dtype == np.float32 else out.astype(dtype)


def _truncated_groups(key: int, counter: int, groups: int, double: bool, tables=None) -> np.ndarray:
    """``[groups, 4]`` float32 (``[groups, 2]`` float64) truncated normals; see
    ``truncated_normal``."""
    group = 2 if double else 4
    step = group * _RESERVED_WORDS_PER_OUTPUT // 4
    base_lo, base_hi = counters(counter, groups, step)
    out = np.empty((groups, group), np.float64 if double else np.float32)
    filled = np.zeros(groups, np.int64)
    pending = np.arange(groups)
    calls_done = 0
    while pending.size:
        first = calls_done == 0
        lo = base_lo if first else base_lo[pending]
        hi = base_hi if first else base_hi[pending]
        offset = np.uint64(calls_done)
        lo1 = lo + offset
        w = philox_blocks(key, (lo1, hi + (lo1 < lo)))
        if double:
            d0, d1 = box_muller_double(w[:, 0], w[:, 1], w[:, 2], w[:, 3])
            cand = np.stack([d0, d1], axis=1)
        else:
            f0, f1 = box_muller_float(w[:, 0::2].reshape(-1), w[:, 1::2].reshape(-1), tables)
            cand = np.stack([f0.reshape(-1, 2), f1.reshape(-1, 2)], axis=2).reshape(-1, 4)
        keep = np.abs(cand) < 2
        rows = pending
        if first:
            # The common case: the leading candidates are all inside.
            direct = keep[:, :group].all(axis=1)
            out[direct] = cand[direct, :group]
            filled[direct] = group
            slow = ~direct
            rows, cand, keep = pending[slow], cand[slow], keep[slow]
        rank = np.cumsum(keep, axis=1) + filled[rows, None] - 1
        keep &= rank < group
        r, c = np.nonzero(keep)
        out[rows[r], rank[r, c]] = cand[r, c]
        filled[rows] += keep.sum(axis=1)
        pending = rows[filled[rows] < group]
        calls_done += 1
    return out


def truncated_normal(key: int, counter: int, size: int, dtype) -> np.ndarray:
    """``size`` standard normals restricted to (-2, 2) (TF's TruncatedNormal).

    Output group ``g`` (4 float32 outputs, 2 float64 ones) reads words from counter
    ``counter + g * 256``, turns them into candidates two at a time and keeps the first
    ones inside (-2, 2). Every group's first call is computed at once; most groups take
    all their outputs from it, and the few that need further calls get them in further
    array passes, one call each.
    """
    dtype = np.dtype(dtype)
    double = dtype == np.float64
    group = 2 if double else 4
    step = group * _RESERVED_WORDS_PER_OUTPUT // 4
    groups = -(-size // group)
    out = np.empty((groups, group), np.float64 if double else np.float32)
    tables = _box_muller_tables() if not double and 2 * groups >= _TABLE_MIN_PAIRS else None

    def fill(start: int, stop: int) -> None:
        out[start:stop] = _truncated_groups(
            key, skip(counter, start * step), stop - start, double, tables
        )

    _for_chunks(groups, fill)
    result = out.reshape(-1)[:size]
    return result if result.dtype == dtype else result.astype(dtype)
