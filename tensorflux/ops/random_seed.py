"""Seeds as TensorFlow derives them, and the Philox streams of stateful random ops.

* ``tf.random.set_seed(s)`` sets the global seed. An op without an op seed then gets
  one: in eager mode the next number of a Python ``random.Random(s)`` sequence (TF's
  per-context "internal operation seed"), inside a traced function the graph's own
  counter 0, 1, 2, ... .
* An op seed without a global seed pairs with ``DEFAULT_GRAPH_SEED`` (87654321).
* Both seeds are reduced modulo 2**31 - 1; ``(0, 0)`` would mean "not seeded" to the
  kernels, so it becomes ``(0, 2**31 - 1)``.
* A stateful op continues its Philox stream from call to call: in eager mode one
  stream per distinct (op, dtype, seeds), as TF's cached kernels; inside a traced
  function one stream per op of the graph. ``set_seed`` restarts every stream.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import weakref

import numpy as np

from tensorflux.framework import context
from tensorflux.ops import philox

__all__: list = []

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1
# Eager streams kept alive; old ones are dropped so that a long eager loop of
# auto-seeded ops (a fresh op seed per call) does not grow without bound.
_MAX_STREAMS = 4096


class _SeedState:
    global_seed = None
    rng = None
    # Bumped by set_seed: streams created before it restart from their first value.
    epoch = 0


_state = _SeedState()
_epochs = itertools.count(1)
_eager_streams: dict = {}
_graph_counters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Stream:
    """The Philox key and running counter of one stateful op (TF's GuardedPhiloxRandom).

    ``(0, 0)`` seeds draw a key and counter from OS entropy, once per stream.
    """

    __slots__ = ("key", "start", "counter", "epoch")

    def __init__(self, seed: int, seed2: int):
        if seed == 0 and seed2 == 0:
            bits = np.random.default_rng().integers(0, 2**63, 2, dtype=np.int64)
            seed, seed2 = int(bits[0]), int(bits[1])
        self.key, self.start = philox.key_counter(seed, seed2)
        self.counter = self.start
        self.epoch = _state.epoch

    def reserve(self, calls: int) -> int:
        """The counter to draw from; the stream moves on by ``calls`` Philox calls."""
        if self.epoch != _state.epoch:
            self.counter, self.epoch = self.start, _state.epoch
        counter = self.counter
        self.counter = philox.skip(counter, calls)
        return counter

    def rewind(self, counter: int) -> None:
        """Puts the stream back at ``counter`` (a trace's example run draws nothing)."""
        self.counter = counter


def set_seed(seed) -> None:
    """Sets the global random seed (``tf.random.set_seed``) and restarts every stream.

    After it, the same sequence of random ops draws the same numbers on every run.

    Args:
        seed: an integer, or None to clear the global seed.

    Raises:
        TypeError: a seed that is not a number.

    >>> import tensorflux as tf
    >>> tf.random.set_seed(1); a = tf.random.uniform([2])
    >>> tf.random.set_seed(1); b = tf.random.uniform([2])
    >>> bool(tf.reduce_all(a == b))
    True
    """
    if isinstance(seed, (str, bytes)):
        raise TypeError("not all arguments converted during string formatting")
    if seed is not None and not isinstance(seed, (int, float, np.integer, np.floating)):
        seed = int(np.array(seed))
    _state.global_seed = seed
    _state.rng = random.Random(seed)
    # Never reused, even after ``restore`` puts an older epoch back.
    _state.epoch = next(_epochs)
    _eager_streams.clear()


def snapshot():
    """The whole seeding state (global seed, op-seed sequence, eager streams), for
    ``restore``: test harnesses run a program without leaking its seeding."""
    rng = None if _state.rng is None else _state.rng.getstate()
    streams = {k: (v, v.counter, v.epoch) for k, v in _eager_streams.items()}
    return _state.global_seed, rng, _state.epoch, streams


def restore(saved) -> None:
    """Puts back a state taken by ``snapshot``."""
    _state.global_seed, rng, _state.epoch, streams = saved
    _state.rng = random.Random()
    if rng is not None:
        _state.rng.setstate(rng)
    _eager_streams.clear()
    for key, (stream, counter, epoch) in streams.items():
        stream.counter, stream.epoch = counter, epoch
        _eager_streams[key] = stream


def global_seed():
    """The global seed set by ``set_seed``, or None."""
    return _state.global_seed


def _truncate(seed) -> int:
    return int(seed % _MAXINT32)


def get_seed(op_seed):
    """The ``(seed, seed2)`` pair an op with ``op_seed`` uses (TF's ``get_seed``).

    ``(0, 0)`` means "not seeded": the op's stream starts from OS entropy.
    """
    graph = context.state.graph
    if _state.global_seed is not None:
        if op_seed is None:
            if graph is not None:
                op_seed = _graph_counters.get(graph, 0)
                _graph_counters[graph] = op_seed + 1
            else:
                op_seed = _state.rng.randint(0, _MAXINT32)
        seeds = _truncate(_state.global_seed), _truncate(op_seed)
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, _truncate(op_seed)
    else:
        return 0, 0
    if seeds == (0, 0):
        return 0, _MAXINT32
    return seeds


class SharedStreams:
    """The streams of the random ops of one traced step, kept across its retraces.

    Keras traces its train step again for a last, partial batch; TF's single graph
    leaves the batch dimension unknown, so its random ops draw on. Traces made inside
    ``sharing(streams)`` take the stream of the op at the same position of an earlier
    trace.
    """

    def __init__(self):
        self.streams: dict = {}
        self.positions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


_sharing: list = []


@contextlib.contextmanager
def sharing(streams: SharedStreams):
    """Traces inside share ``streams`` (see ``SharedStreams``)."""
    _sharing.append(streams)
    try:
        yield
    finally:
        _sharing.pop()


def stream_for(op_name: str, dtype, seed: int, seed2: int) -> Stream:
    """The stream a stateful op with these attributes draws from: shared by eager calls
    with equal attributes (TF caches one kernel per attribute set), new per traced op
    (or the same op's stream of an earlier trace, under ``sharing``)."""
    graph = context.state.graph
    if graph is not None:
        if not _sharing:
            return Stream(seed, seed2)
        shared = _sharing[-1]
        position = shared.positions.get(graph, 0)
        shared.positions[graph] = position + 1
        key = (position, op_name, dtype, seed, seed2)
        stream = shared.streams.get(key)
        if stream is None:
            stream = shared.streams[key] = Stream(seed, seed2)
        return stream
    key = (op_name, dtype, seed, seed2)
    stream = _eager_streams.get(key)
    if stream is None:
        if len(_eager_streams) >= _MAX_STREAMS:
            del _eager_streams[next(iter(_eager_streams))]
        stream = _eager_streams[key] = Stream(seed, seed2)
    return stream


set_seed(None)
