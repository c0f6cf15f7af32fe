"""``tf.random_index_shuffle``: TF's RandomIndexShuffle op, the position of an index in a
pseudorandom permutation of ``[0, max_index]``, bit for bit.

TF permutes with a Simon block cipher (Feistel rounds on two words of ``W`` bits, a
block of ``2W >= 16`` bits just wide enough for ``max_index``), keyed by the three
32-bit words of the seed, and cycle-walks: an encrypted value beyond ``max_index`` is
encrypted again until it falls in range, which keeps the map a bijection.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["random_index_shuffle"]

_Z = 0x7369F885192C0EF5
_C = 0xFFFFFFFC


def _rotl(x, r: int, w: int, mask):
    return ((x << r) | (x >> (w - r))) & mask


def _rotr(x, r: int, w: int, mask):
    return ((x >> r) | (x << (w - r))) & mask


def _round_keys(key, rounds: int, w: int) -> list:
    """Simon's key schedule on ``w``-bit words (constants truncated to the word)."""
    mask = (1 << w) - 1
    c, z = _C & mask, _Z & mask
    keys = [int(k) & mask for k in key]
    for i in range(3, rounds):
        prev = keys[i - 1]
        keys.append(c ^ (z & 1) ^ keys[i - 3] ^ _rotr(prev, 3, w, mask) ^ _rotr(prev, 4, w, mask))
        z >>= 1
    return keys


def _encrypt(values: np.ndarray, keys: list, w: int) -> np.ndarray:
    mask = np.uint64((1 << w) - 1)
    shift = np.uint64(w)
    left, right = (values >> shift) & mask, values & mask

    def f(x):
        return (_rotl(x, np.uint64(1), shift, mask) & _rotl(x, np.uint64(8), shift, mask)) ^ (
            _rotl(x, np.uint64(2), shift, mask)
        )

    for i in range(0, len(keys) - 1, 2):
        left = left ^ f(right) ^ np.uint64(keys[i])
        right = right ^ f(left) ^ np.uint64(keys[i + 1])
    return (left << shift) | right


def _word_size(max_index: int) -> int:
    bits = math.ceil(math.log2(float(max_index)))
    block = max(bits + bits % 2, 16)
    return 32 if block > 62 else block // 2


def _shuffle(index: np.ndarray, key, max_index: int, rounds: int) -> np.ndarray:
    if max_index == 0:
        return np.zeros_like(index)
    w = _word_size(max_index)
    keys = _round_keys(key, rounds, w)
    if w <= 10:
        # A small block: encrypt the whole domain once, then walk the cycles by lookup
        # (a small max_index in a 16-bit block takes thousands of steps).
        table = _encrypt(np.arange(1 << (2 * w), dtype=np.uint64), keys, w)

        def step(values):
            return table[values.astype(np.int64)]
    else:

        def step(values):
            return _encrypt(values, keys, w)

    out = step(index)
    pending = out > np.uint64(max_index)
    while pending.any():
        out[pending] = step(out[pending])
        pending = out > np.uint64(max_index)
    return out


def _random_index_shuffle_kernel(index, seed, max_index, rounds):
    op = "RandomIndexShuffle"
    n = max(index.size, max_index.size, seed.size // 3)
    if not (index.ndim == 0 or (index.ndim == 1 and index.shape[0] == n)):
        raise InvalidArgumentError(None, op, f"Index bust be a scalar or vector. [Op:{op}]")
    if not (seed.shape == (3,) or seed.shape == (n, 3)):
        raise InvalidArgumentError(
            None,
            op,
            f"Seed must be a vector of size [3] or a matrix of size [{n}, 3] but got "
            f"[{','.join(str(d) for d in seed.shape)}]. [Op:{op}]",
        )
    if not (max_index.ndim == 0 or (max_index.ndim == 1 and max_index.shape[0] == n)):
        raise InvalidArgumentError(
            None,
            op,
            f"Maxval must be a scalar or a vector of the same size as index but got "
            f"[{','.join(str(d) for d in max_index.shape)}] [Op:{op}]",
        )
    idx = np.broadcast_to(index, (n,)).astype(np.uint64)
    top = np.broadcast_to(max_index, (n,)).astype(np.uint64)
    # The seed's words as uint32 (C++'s casts: two's complement, low 32 bits).
    words = (np.asarray(seed).astype(np.int64) & 0xFFFFFFFF).astype(np.uint64).reshape(-1, 3)
    words = np.broadcast_to(words, (n, 3))
    above = np.flatnonzero(idx > top)
    if above.size:
        i = int(above[0])
        raise InvalidArgumentError(
            None, op, f"max_index must be >= index, but {int(top[i])} < {int(idx[i])} [Op:{op}]"
        )
    out = np.empty(n, np.uint64)
    groups: dict = {}
    for i in range(n):
        groups.setdefault((tuple(words[i].tolist()), int(top[i])), []).append(i)
    for (key, limit), rows in groups.items():
        out[rows] = _shuffle(idx[rows], key, limit, rounds)
    scalar = index.ndim == 0 and seed.ndim == 1 and max_index.ndim == 0
    return out.astype(index.dtype).reshape(() if scalar else (n,))


def _random_index_shuffle_infer(index: Spec, seed: Spec, max_index: Spec, rounds) -> Spec:
    dims = seed.shape.as_list() if seed.shape.rank is not None else None
    if dims is not None and not (len(dims) in (1, 2) and dims[-1] in (None, 3)):
        raise ValueError(f"Seed must have shape [3] or [n, 3] but got {dims}.")
    if None in (index.shape.rank, seed.shape.rank, max_index.shape.rank):
        return Spec(index.dtype, TensorShape(None))
    if index.shape.rank == 0 and seed.shape.rank == 1 and max_index.shape.rank == 0:
        return Spec(index.dtype, TensorShape([]))
    sizes = [index.shape[0] if index.shape.rank == 1 else None]
    sizes.append(max_index.shape[0] if max_index.shape.rank == 1 else None)
    sizes.append(seed.shape[0] if seed.shape.rank == 2 else None)
    return Spec(index.dtype, TensorShape([next((d for d in sizes if d is not None), None)]))


# Permuted positions are integers: TF declares the op not differentiable.
_RANDOM_INDEX_SHUFFLE = register(
    "RandomIndexShuffle",
    kernel=_random_index_shuffle_kernel,
    grad=None,
    infer=_random_index_shuffle_infer,
    allowed=frozenset({dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64}),
)


def random_index_shuffle(index, seed, max_index, rounds=4, name=None) -> Tensor:
    """The position of ``index`` in a pseudorandom permutation of ``[0, max_index]``
    fixed by ``seed``: for one seed and ``max_index``, indices ``0..max_index`` map to
    a shuffle of themselves.

    Args:
        index: int32/int64/uint32/uint64 scalar or vector.
        seed: ``[3]``, or ``[n, 3]`` (one seed per index); integers.
        max_index: scalar or vector of ``index``'s dtype.
        rounds: cipher rounds (an even number >= 4).

    Returns:
        Tensor of ``index``'s dtype: a scalar when all inputs are, else a vector.

    Raises:
        InvalidArgumentError: shapes that do not agree, or different index dtypes.

    >>> import tensorflux as tf
    >>> tf.random_index_shuffle(tf.constant([0, 1, 2, 3, 4]), [1, 2, 3], 4).numpy()
    array([2, 0, 3, 4, 1], dtype=int32)
    """
    i = to_tensor(index)
    top = to_tensor(max_index) if isinstance(max_index, Tensor) else None
    if top is None:
        top = Tensor(np.asarray(max_index, i.dtype.as_numpy_dtype), i.dtype)
    if top.dtype is not i.dtype:
        raise InvalidArgumentError(
            None,
            "RandomIndexShuffle",
            f"cannot compute RandomIndexShuffle as input #2(zero-based) was expected to be a "
            f"{i.dtype.name} tensor but is a {top.dtype.name} tensor [Op:RandomIndexShuffle]",
        )
    s = to_tensor(seed)
    if s.dtype not in (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64):
        raise InvalidArgumentError(
            None,
            "RandomIndexShuffle",
            f"Value for attr 'Tseed' of {s.dtype.name} is not in the list of allowed values: "
            f"int32, int64, uint32, uint64 [Op:RandomIndexShuffle]",
        )
    return execute(_RANDOM_INDEX_SHUFFLE, (i, s, top), {"rounds": int(rounds)})
