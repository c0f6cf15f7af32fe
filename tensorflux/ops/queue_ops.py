"""``tf.queue``: thread-safe queues of tensor tuples (FIFO, padding FIFO, priority and
random-shuffle), blocking as TF's queues block.

A RandomShuffleQueue draws one 32-bit Philox word per dequeued element from its op
seeds and takes the element at ``word % size``, moving the last one into its place,
so its order equals TF's for the same seeds.
"""

from __future__ import annotations

import heapq
import itertools
import threading

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import CancelledError, InvalidArgumentError, OutOfRangeError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops import philox, random_seed

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]

_ids = itertools.count(1)


def _dtype_list(types) -> list:
    if isinstance(types, (list, tuple)):
        return [dtypes.as_dtype(t) for t in types]
    return [dtypes.as_dtype(types)]


class QueueBase:
    """The queue interface: enqueue and dequeue tuples of tensors of fixed dtypes (and,
    when given, shapes); ``close`` ends the queue for enqueuers and, once empty, for
    dequeuers."""

    _kind = "Queue"

    def __init__(self, dtypes_, shapes, names, name, capacity):
        self._dtypes = _dtype_list(dtypes_)
        if shapes is None:
            self._shapes = [TensorShape(None)] * len(self._dtypes)
        else:
            if isinstance(shapes, TensorShape):
                shapes = [shapes]
            # As TF reads it: a list of dims (or []) is one shape, otherwise a shape each.
            if all(d is None or isinstance(d, int) for d in shapes):
                shapes = [shapes]
            if len(shapes) != len(self._dtypes):
                raise ValueError("Queue shapes must have the same length as dtypes")
            self._shapes = [TensorShape(s) for s in shapes]
        if names is not None:
            names = list(names) if isinstance(names, (list, tuple)) else [names]
            if len(names) != len(self._dtypes):
                raise ValueError("Queue names must have the same length as dtypes")
        self._names = names
        self._name = name
        self._capacity = capacity
        self._id = str(next(_ids))
        self._closed = False
        self._cancelled = False
        self._condition = threading.Condition()

    # -- interface -------------------------------------------------------------

    @property
    def name(self) -> str:
        """The queue's name."""
        return self._name

    @property
    def dtypes(self) -> list:
        """The dtypes of the components."""
        return list(self._dtypes)

    @property
    def shapes(self) -> list:
        """The static shapes of the components."""
        return list(self._shapes)

    @property
    def names(self):
        """The component names, or None."""
        return self._names

    @property
    def queue_ref(self):
        """The queue itself (TF's resource handle)."""
        return self

    def _components(self, vals, many: bool) -> list:
        if self._names is not None:
            if not isinstance(vals, dict):
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(vals) != sorted(self._names):
                raise ValueError(
                    "Keys in dictionary to enqueue do not match names of Queue.  Dictionary: "
                    f"{sorted(vals)}, Queue: {sorted(self._names)}"
                )
            vals = [vals[n] for n in self._names]
        elif not isinstance(vals, (list, tuple)):
            vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(
                f"Expected {len(self._dtypes)} components, got {len(vals)}: pass one value per "
                "queue dtype."
            )
        tensors = [convert_to_tensor(v, dtype=d) for v, d in zip(vals, self._dtypes)]
        for t, shape in zip(tensors, self._shapes):
            row = t.shape[1:] if many else t.shape
            if not shape.is_compatible_with(row):
                raise ValueError(f"Shapes {row} and {shape} are incompatible")
        return [np.asarray(t._value) for t in tensors]

    def _pack(self, arrays):
        tensors = [Tensor(a, d) for a, d in zip(arrays, self._dtypes)]
        if self._names is not None:
            return dict(zip(self._names, tensors))
        return tensors[0] if len(tensors) == 1 else tensors

    def _check_open(self, op: str):
        if self._closed:
            raise CancelledError(None, op, f"{self._kind} '{self._id}' is closed. [Op:{op}]")

    def enqueue(self, vals, name=None):
        """Adds one element, waiting while the queue is full.

        Raises:
            CancelledError: the queue is closed.
        """
        row = self._components(vals, many=False)
        self._put([row], "QueueEnqueueV2")

    def enqueue_many(self, vals, name=None):
        """Adds the rows of ``vals`` (split along the first dimension) as elements."""
        arrays = self._components(vals, many=True)
        count = arrays[0].shape[0] if arrays and arrays[0].ndim else 0
        self._put([[a[i] for a in arrays] for i in range(count)], "QueueEnqueueManyV2")

    def _put(self, rows, op: str):
        with self._condition:
            for row in rows:
                self._check_open(op)
                while (
                    self._capacity is not None
                    and self._capacity > 0
                    and self._size() >= self._capacity
                ):
                    self._condition.wait()
                    self._check_open(op)
                self._push(row)
                self._condition.notify_all()

    def dequeue(self, name=None):
        """Removes one element, waiting while the queue is empty.

        Raises:
            OutOfRangeError: the queue is closed and empty.
        """
        return self._pack(self._take(1, exact=True, op="QueueDequeueV2")[0])

    def dequeue_many(self, n, name=None):
        """Removes ``n`` elements, stacked along a new first dimension."""
        return self._pack(self._stack(self._take(int(n), exact=True, op="QueueDequeueManyV2")))

    def dequeue_up_to(self, n, name=None):
        """Removes up to ``n`` elements: ``n`` while the queue is open, what is left once
        it is closed."""
        return self._pack(self._stack(self._take(int(n), exact=False, op="QueueDequeueUpToV2")))

    def _stack(self, rows):
        if any(s.rank is None or not s.is_fully_defined() for s in self._shapes):
            raise InvalidArgumentError(
                None,
                "QueueDequeueManyV2",
                f"{self._kind}'s DequeueMany and DequeueUpTo require the components to have "
                "specified shapes. [Op:QueueDequeueManyV2]",
            )
        out = []
        for c, (shape, dtype) in enumerate(zip(self._shapes, self._dtypes)):
            if rows:
                out.append(np.stack([r[c] for r in rows]))
            else:
                out.append(np.zeros((0, *shape.as_list()), dtype.as_numpy_dtype))
        return out

    def _available(self) -> int:
        return self._size()

    def _take(self, n: int, exact: bool, op: str):
        if n > 1 or not exact:
            self._check_shapes_for_many()
        with self._condition:
            while self._available() < n:
                if self._closed:
                    if not exact and self._size() > 0:
                        n = self._size()
                        break
                    raise OutOfRangeError(
                        None,
                        op,
                        f"{self._kind} '{self._id}' is closed and has insufficient elements "
                        f"(requested {n}, current size {self._size()}) [Op:{op}]",
                    )
                self._condition.wait()
            rows = [self._pop() for _ in range(n)]
            self._condition.notify_all()
            return rows

    def _check_shapes_for_many(self):
        self._stack([])

    def close(self, cancel_pending_enqueues=False, name=None):
        """Closes the queue: enqueues fail from now on; dequeues drain what is left."""
        with self._condition:
            self._closed = True
            self._cancelled = bool(cancel_pending_enqueues)
            self._condition.notify_all()

    def is_closed(self, name=None) -> Tensor:
        """Whether the queue is closed (a bool tensor)."""
        return Tensor(np.asarray(self._closed), dtypes.bool)

    def size(self, name=None) -> Tensor:
        """The number of elements (an int32 tensor)."""
        with self._condition:
            return Tensor(np.asarray(self._size(), np.int32), dtypes.int32)


class FIFOQueue(QueueBase):
    """Elements come out in the order they went in (``tf.queue.FIFOQueue``).

    >>> import tensorflux as tf
    >>> q = tf.queue.FIFOQueue(3, tf.int32, shapes=[[]])
    >>> q.enqueue_many([[1, 2, 3]])
    >>> q.dequeue_many(2).numpy().tolist()
    [1, 2]
    """

    _kind = "FIFOQueue"

    def __init__(
        self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"
    ):
        super().__init__(dtypes, shapes, names, name, capacity)
        self._items: list = []
        self._head = 0

    def _size(self) -> int:
        return len(self._items) - self._head

    def _push(self, row):
        self._items.append(row)

    def _pop(self):
        row = self._items[self._head]
        self._head += 1
        if self._head > 64 and self._head * 2 > len(self._items):
            self._items, self._head = self._items[self._head :], 0
        return row


class PaddingFIFOQueue(FIFOQueue):
    """A FIFO queue whose components may vary in size along unknown dimensions;
    ``dequeue_many`` pads them with zeros to the largest (``tf.queue.PaddingFIFOQueue``)."""

    _kind = "PaddingFIFOQueue"

    def __init__(
        self, capacity, dtypes, shapes, names=None, shared_name=None, name="padding_fifo_queue"
    ):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        if any(s.rank is None for s in self._shapes):
            raise ValueError("All shapes must have a defined rank for a PaddingFIFOQueue.")

    def _stack(self, rows):
        out = []
        for c, (shape, dtype) in enumerate(zip(self._shapes, self._dtypes)):
            sizes = [max([r[c].shape[i] for r in rows], default=0) for i in range(shape.rank)]
            kind = object if dtype == dtypes.string else dtype.as_numpy_dtype
            block = np.zeros((len(rows), *sizes), dtype=kind)
            if dtype == dtypes.string:
                block[...] = b""
            for i, r in enumerate(rows):
                block[(i, *(slice(0, d) for d in r[c].shape))] = r[c]
            out.append(block)
        return out


class PriorityQueue(QueueBase):
    """Elements come out lowest priority first; each element's first component is its
    int64 priority (``tf.queue.PriorityQueue``)."""

    _kind = "PriorityQueue"

    def __init__(
        self, capacity, types, shapes=None, names=None, shared_name=None, name="priority_queue"
    ):
        types = _dtype_list(types)
        shapes = None if shapes is None else [[]] + list(shapes)
        names = None if names is None else ["priority"] + list(names)
        super().__init__([dtypes.int64, *types], shapes, names, name, capacity)
        self._heap: list = []
        self._order = itertools.count()

    def _size(self) -> int:
        return len(self._heap)

    def _push(self, row):
        heapq.heappush(self._heap, (int(row[0]), next(self._order), row))

    def _pop(self):
        return heapq.heappop(self._heap)[2]


class RandomShuffleQueue(QueueBase):
    """Elements come out in a random order, TF's for the same seeds; dequeues wait while
    ``min_after_dequeue`` or fewer elements remain, until the queue is closed
    (``tf.queue.RandomShuffleQueue``).

    >>> import tensorflux as tf
    >>> tf.random.set_seed(None)  # no global seed: the op seed alone sets the order
    >>> q = tf.queue.RandomShuffleQueue(10, 0, tf.int32, shapes=[[]], seed=5)
    >>> q.enqueue_many([list(range(8))])
    >>> q.dequeue_many(4).numpy().tolist()
    [7, 4, 0, 6]
    """

    _kind = "RandomShuffleQueue"

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None,
                 shared_name=None, name="random_shuffle_queue"):  # fmt: skip
        super().__init__(dtypes, shapes, names, name, capacity)
        self._min_after_dequeue = int(min_after_dequeue)
        seed1, seed2 = random_seed.get_seed(seed)
        if seed1 == 0 and seed2 == 0:
            seed1, seed2 = (int(v) for v in np.random.SeedSequence().generate_state(2, np.uint64))
        self._key, self._counter = philox.key_counter(seed1, seed2)
        self._words: list = []
        self._items: list = []

    def _word(self) -> int:
        if not self._words:
            self._words = philox.words(self._key, self._counter, 4).tolist()
            self._counter = philox.skip(self._counter, 1)
        return self._words.pop(0)

    def _size(self) -> int:
        return len(self._items)

    def _available(self) -> int:
        return 0 if self._closed else max(len(self._items) - self._min_after_dequeue, 0)

    def _take(self, n, exact, op):
        if self._closed and len(self._items) >= n:
            with self._condition:
                rows = [self._pop() for _ in range(n)]
                self._condition.notify_all()
                return rows
        return super()._take(n, exact, op)

    def _push(self, row):
        self._items.append(row)

    def _pop(self):
        index = self._word() % len(self._items)
        row = self._items[index]
        self._items[index] = self._items[-1]
        self._items.pop()
        return row
