"""``Dataset.shuffle``: TF's buffer algorithm, run on indices when the input has blocks.

The algorithm: fill a buffer with the first ``buffer_size`` elements; then every
output takes the element of a uniformly chosen buffer slot, and the slot is
refilled with the next input element; once the input is exhausted, the last slot
moves into the emptied one. The slot choices come from one stream of uniform
floats per iteration, so the element path and the block path below produce the
same order for the same seed.

The block path keeps the buffer as arrays (one row per slot) and simulates a whole
block of outputs on slot numbers in a Python loop over ints; each output block is
then one fancy-index gather, and the buffer is updated with one scatter: element
data never moves one element at a time.
"""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux.data.dataset import UNKNOWN, Dataset, as_int
from tensorflux.data.iterator import BlockPull, ElementPull
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.ops import random_ops

__all__: list = []

_CHUNK = 1024  # uniform floats drawn from the generator at a time
_MASK64 = 0xFFFFFFFFFFFFFFFF


class _Uniforms:
    """A stream of floats in [0, 1), drawn in fixed-size chunks (the same either way)."""

    def __init__(self, rng: np.random.Generator):
        self._rng = rng
        self._buf: list = []
        self._at = 0

    def take(self, k: int) -> list:
        out: list = []
        while k > 0:
            if self._at == len(self._buf):
                self._buf, self._at = self._rng.random(_CHUNK).tolist(), 0
            m = min(k, len(self._buf) - self._at)
            out.extend(self._buf[self._at:self._at + m])
            self._at += m
            k -= m
        return out


class _ShuffleElementPull(ElementPull):
    """The reference path: the buffer is a list of elements."""

    def __init__(self, src, size, uniforms):
        self._src, self._size, self._u = src, size, uniforms
        self._buf = None
        self._exhausted = False

    def _pull_one(self):
        try:
            return self._src.next()
        except StopIteration:
            self._exhausted = True
            return None

    def next(self):
        buf = self._buf
        if buf is None:
            buf = self._buf = []
            while len(buf) != self._size:
                element = self._pull_one()
                if element is None:
                    break
                buf.append(element)
        if not buf:
            raise StopIteration
        j = int(self._u.take(1)[0] * len(buf))
        out = buf[j]
        refill = None if self._exhausted else self._pull_one()
        if refill is not None:
            buf[j] = refill
        else:
            last = buf.pop()
            if j < len(buf):
                buf[j] = last
        return out

    def close(self):
        self._src.close()


def _take_rows(src, k):
    """Up to ``k`` rows from ``src`` as one block, and whether ``src`` ended."""
    blocks, got = [], 0
    while got < k:
        try:
            block = src.next_block(k - got)
        except StopIteration:
            break
        blocks.append(block)
        got += len(block[0])
    ended = got < k
    if not blocks:
        return None, 0, ended
    if len(blocks) == 1:
        return blocks[0], got, ended
    return tuple(np.concatenate(cs) for cs in zip(*blocks)), got, ended


class _ShuffleBlockPull(BlockPull):
    """The same algorithm on slot numbers; data moves by gathers and scatters."""

    def __init__(self, src, size, uniforms):
        self._src, self._size, self._u = src, size, uniforms
        self._data = None
        self._n = 0
        self._exhausted = False

    def _fill(self):
        block, got, self._exhausted = _take_rows(self._src, self._size)
        # Copies: the buffer is written in place and must not alias the input's arrays.
        self._data = [np.array(a) for a in block] if block is not None else []
        self._n = got

    def _produce(self, k):
        if self._data is None:
            self._fill()
        if self._n == 0:
            raise StopIteration
        new, n_new = None, 0
        if not self._exhausted:
            new, n_new, self._exhausted = _take_rows(self._src, k)
        steps = k if n_new == k else min(k, n_new + self._n)
        uniforms = self._u.take(steps)
        codes: dict = {}  # slot -> its content now: >= 0 old slot, < 0 new row (-1 - row)
        picked = []
        size = self._n
        r = 0
        for t in range(steps):
            j = int(uniforms[t] * size)
            picked.append(codes.get(j, j))
            if r < n_new:
                codes[j] = -1 - r
                r += 1
            else:
                size -= 1
                if j != size:
                    codes[j] = codes.get(size, size)
                codes.pop(size, None)
        self._n = size
        picked = np.array(picked)
        old = picked >= 0
        all_old = bool(old.all())
        out = []
        for c, data in enumerate(self._data):
            if all_old:
                out.append(data[picked])
                continue
            rows = np.empty((steps,) + data.shape[1:], dtype=data.dtype)
            rows[old] = data[picked[old]]
            rows[~old] = new[c][-1 - picked[~old]]
            out.append(rows)
        self._write_back(codes, new)
        return tuple(out)

    def _write_back(self, codes, new):
        """Stores the slots' new contents: moved old rows first (read before written)."""
        if not codes:
            return
        slots = np.fromiter(codes.keys(), dtype=np.intp, count=len(codes))
        src = np.fromiter(codes.values(), dtype=np.intp, count=len(codes))
        old = src >= 0
        for c, data in enumerate(self._data):
            moved = data[src[old]]
            if not old.all():
                data[slots[~old]] = new[c][-1 - src[~old]]
            data[slots[old]] = moved

    def close(self):
        self._src.close()


class ShuffleDataset(Dataset):
    """``Dataset.shuffle(buffer_size, seed=None, reshuffle_each_iteration=True)``."""

    _tf_name = "_ShuffleDataset"

    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=True):
        size = as_int(buffer_size, "buffer_size")
        if size <= 0 and size != UNKNOWN:
            raise InvalidArgumentError(None, "ShuffleDatasetV3", "buffer_size must be greater "
                                       "than zero or UNKNOWN_CARDINALITY")
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._size = np.iinfo(np.int64).max if size == UNKNOWN else size
        seed1, seed2 = random_ops.get_seed(None if seed is None else as_int(seed, "seed"))
        if seed1 == 0 and seed2 == 0:
            seed1, seed2 = (int(s) for s in np.random.SeedSequence().generate_state(2))
        self._seeds = (seed1 & _MASK64, seed2 & _MASK64)
        self._reshuffle = bool(reshuffle_each_iteration)
        self._epochs = itertools.count()

    def _pull(self):
        epoch = next(self._epochs) if self._reshuffle else 0
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(
            [*self._seeds, epoch])))
        src = self._input._pull()
        if self._input._block_ok:
            return _ShuffleBlockPull(src, self._size, _Uniforms(rng))
        return _ShuffleElementPull(src, self._size, _Uniforms(rng))

    def _cardinality(self):
        return self._input._cardinality()
