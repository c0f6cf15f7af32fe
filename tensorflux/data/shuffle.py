"""``Dataset.shuffle``: TF's buffer algorithm and random numbers, on whole blocks.

The algorithm (TF's ShuffleDataset kernel): the buffer is a window of at most
``buffer_size`` elements in input order. Each output first tops the window up from
the input, then takes the element at ``word % len(window)``, where ``word`` is the next
uint32 of a Philox stream; the window's first element moves into the emptied place
and the window starts one later. With ``reshuffle_each_iteration`` every iteration
keys its stream by the next two words of a stream keyed by the dataset's seeds;
otherwise by the seeds themselves. Same seeds, same order as TensorFlow.

The block path runs the window on row numbers in a Python loop over ints; each
output block is then one fancy-index gather from a pool of rows, so element data
never moves one element at a time.
"""

from __future__ import annotations

import numpy as np

from tensorflux.data.dataset import UNKNOWN, Dataset, as_int
from tensorflux.data.iterator import BlockPull, ElementPull
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.ops import philox, random_ops

__all__: list = []

_CHUNK = 1024  # words drawn from the Philox stream at a time
_MASK64 = 0xFFFFFFFFFFFFFFFF


class _Words:
    """The uint32 words of the Philox stream keyed by ``(seed, seed2)``, in order."""

    def __init__(self, seed: int, seed2: int):
        self._key, self._counter = philox.key_counter(seed, seed2)
        self._buf: list = []
        self._at = 0

    def next(self) -> int:
        if self._at == len(self._buf):
            self._buf = philox.words(self._key, self._counter, _CHUNK).tolist()
            self._counter = philox.skip(self._counter, _CHUNK // 4)
            self._at = 0
        self._at += 1
        return self._buf[self._at - 1]


class _Window:
    """The shuffle window: a list with a moving start (TF's ring buffer slice)."""

    def __init__(self):
        self.items: list = []
        self.head = 0

    def __len__(self):
        return len(self.items) - self.head

    def append(self, item) -> None:
        self.items.append(item)

    def take(self, word: int):
        """Removes and returns the item ``word % len`` places after the start; the start
        item takes its place."""
        items, head = self.items, self.head
        i = head + word % (len(items) - head)
        out = items[i]
        items[i] = items[head]
        self.head = head + 1
        if self.head > 4096 and self.head * 2 > len(items):
            del items[: self.head]
            self.head = 0
        return out


class _ShuffleElementPull(ElementPull):
    """The reference path: the window holds the elements."""

    def __init__(self, src, size, words):
        self._src, self._size, self._words = src, size, words
        self._window = _Window()
        self._exhausted = False

    def next(self):
        window = self._window
        while not self._exhausted and len(window) < self._size:
            try:
                window.append(self._src.next())
            except StopIteration:
                self._exhausted = True
        if not len(window):
            raise StopIteration
        return window.take(self._words.next())

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
    """The same algorithm on row numbers of a pool of fetched rows."""

    def __init__(self, src, size, words):
        self._src, self._size, self._words = src, size, words
        self._pool = None  # one array per component: rows fetched and not yet dropped
        self._window = _Window()
        self._unread = [0, 0]  # pool rows fetched but not yet in the window
        self._exhausted = False

    def _fetch(self, want: int) -> None:
        if want <= 0 or self._exhausted:
            return
        block, got, self._exhausted = _take_rows(self._src, want)
        if not got:
            return
        # Copies: the pool must not alias the input's arrays.
        self._pool = (
            [np.array(a) for a in block]
            if self._pool is None
            else [np.concatenate([p, b]) for p, b in zip(self._pool, block)]
        )
        self._unread[1] += got

    def _compact(self) -> None:
        """Drops the pool rows already produced, once they are most of it."""
        window, (lo, hi) = self._window, self._unread
        live = window.items[window.head :]
        if 2 * (len(live) + hi - lo) >= len(self._pool[0]):
            return
        keep = np.concatenate([np.asarray(live, np.intp), np.arange(lo, hi, dtype=np.intp)])
        self._pool = [p[keep] for p in self._pool]
        window.items, window.head = list(range(len(live))), 0
        self._unread = [len(live), len(keep)]

    def _produce(self, k):
        window, unread = self._window, self._unread
        self._fetch(self._size - len(window) + k - (unread[1] - unread[0]))
        picked = []
        for _ in range(k):
            room = min(self._size - len(window), unread[1] - unread[0])
            if room > 0:
                window.items.extend(range(unread[0], unread[0] + room))
                unread[0] += room
            if not len(window):
                break
            picked.append(window.take(self._words.next()))
        if not picked:
            raise StopIteration
        index = np.asarray(picked, np.intp)
        out = tuple(p[index] for p in self._pool)
        self._compact()
        return out

    def close(self):
        self._src.close()


class ShuffleDataset(Dataset):
    """``Dataset.shuffle(buffer_size, seed=None, reshuffle_each_iteration=True)``."""

    _tf_name = "_ShuffleDataset"

    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=True):
        size = as_int(buffer_size, "buffer_size")
        if size <= 0 and size != UNKNOWN:
            raise InvalidArgumentError(
                None,
                "ShuffleDatasetV3",
                "buffer_size must be greater than zero or UNKNOWN_CARDINALITY",
            )
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._size = np.iinfo(np.int64).max if size == UNKNOWN else size
        seed1, seed2 = random_ops.get_seed(None if seed is None else as_int(seed, "seed"))
        if seed1 == 0 and seed2 == 0:
            seed1, seed2 = (int(s) for s in np.random.SeedSequence().generate_state(2, np.uint64))
        self._seeds = (seed1 & _MASK64, seed2 & _MASK64)
        self._reshuffle = bool(reshuffle_each_iteration)
        self._seed_words = _Words(*self._seeds)

    def _pull(self):
        if self._reshuffle:
            # TF's seed generator: each iteration's seeds are the next two words of
            # the stream keyed by the dataset's seeds.
            seeds = (self._seed_words.next(), self._seed_words.next())
        else:
            seeds = self._seeds
        words = _Words(*seeds)
        src = self._input._pull()
        if self._input._block_ok:
            return _ShuffleBlockPull(src, self._size, words)
        return _ShuffleElementPull(src, self._size, words)

    def _cardinality(self):
        return self._input._cardinality()
