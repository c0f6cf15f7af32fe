"""``tf.keras.utils.Sequence`` and the enqueuers that prefetch batches in parallel.

A ``Sequence`` is indexed batch by batch, so workers can build batches in any order
while the consumer still receives them in order -- every sample is seen once per epoch,
which a generator shared by several workers cannot promise.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import queue
import random
import threading

import numpy as np

__all__ = ["GeneratorEnqueuer", "OrderedEnqueuer", "Sequence", "SequenceEnqueuer"]

# The Sequences/generators the workers read, by enqueuer id. Worker processes receive
# a copy through the pool initializer; threads read this dict directly.
_SHARED = {}
_uid_lock = threading.Lock()
_next_uid = 0


class Sequence:
    """Base class for data given batch by batch: implement ``__getitem__`` (batch
    ``index``, a complete batch) and ``__len__`` (batches per epoch); ``on_epoch_end``
    runs after every epoch (e.g. to reshuffle).

    ``fit``, ``evaluate`` and ``predict`` accept a Sequence as ``x``; ``fit(shuffle=
    True)`` visits its batches in a shuffled order, and ``workers > 1`` builds batches
    in parallel while keeping their order.

    >>> class Halves(Sequence):
    ...     def __len__(self):
    ...         return 2
    ...     def __getitem__(self, index):
    ...         return [index * 2, index * 2 + 1]
    >>> list(Halves())
    [[0, 1], [2, 3]]
    """

    def __getitem__(self, index):
        """The batch at position ``index``."""
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__`.")

    def __len__(self):
        """The number of batches in the Sequence."""
        raise NotImplementedError(f"{type(self).__name__} must implement `__len__`.")

    def on_epoch_end(self):
        """Called at the end of every epoch."""

    def __iter__(self):
        """The batches, in order (one pass)."""
        for index in range(len(self)):
            yield self[index]


def _take_uid() -> int:
    global _next_uid
    with _uid_lock:
        uid = _next_uid
        _next_uid += 1
    return uid


def _init_worker(shared, seed=None):
    """Pool initializer of worker processes: their copy of the shared sources."""
    global _SHARED
    _SHARED = shared
    if seed is not None:
        np.random.seed(seed + multiprocessing.current_process().ident)


def _item(uid, index):
    return _SHARED[uid][index]


def _next_item(uid):
    return next(_SHARED[uid])


class SequenceEnqueuer:
    """Base class of the enqueuers: workers fill a queue that ``get()`` drains.

    ``start(workers, max_queue_size)`` launches the workers (threads, or processes
    with ``use_multiprocessing=True``), ``get()`` is the stream of batches,
    ``stop()`` ends the workers, ``is_running()`` tells whether they run.

    Args:
        sequence: the data source (a ``Sequence`` or, for ``GeneratorEnqueuer``, a
            generator).
        use_multiprocessing: worker processes instead of threads.
    """

    def __init__(self, sequence, use_multiprocessing=False):
        self.sequence = sequence
        self.use_multiprocessing = use_multiprocessing
        self.uid = _take_uid()
        self.workers = 0
        self.queue = None
        self.run_thread = None
        self.stop_signal = None

    def is_running(self):
        """Whether ``start`` was called and ``stop`` was not."""
        return self.stop_signal is not None and not self.stop_signal.is_set()

    def start(self, workers=1, max_queue_size=10):
        """Starts ``workers`` workers; at most ``max_queue_size`` batches wait ready."""
        self.workers = workers
        self.queue = queue.Queue(max_queue_size)
        self.stop_signal = threading.Event()
        self.run_thread = threading.Thread(target=self._run, daemon=True)
        self.run_thread.start()

    def _pool(self, seed=None):
        _SHARED[self.uid] = self.sequence
        if not self.use_multiprocessing:
            return multiprocessing.pool.ThreadPool(self.workers)
        return multiprocessing.Pool(
            self.workers, initializer=_init_worker, initargs=(_SHARED, seed)
        )

    def stop(self, timeout=None):
        """Stops the workers and waits (at most ``timeout`` seconds) for them to end."""
        self.stop_signal.set()
        with self.queue.mutex:
            # Wakes a worker blocked on a full queue so it sees the stop signal.
            self.queue.queue.clear()
            self.queue.unfinished_tasks = 0
            self.queue.not_full.notify_all()
        self.run_thread.join(timeout)
        _SHARED.pop(self.uid, None)

    def __del__(self):
        if self.is_running():
            self.stop()

    def _run(self):
        raise NotImplementedError(f"{type(self).__name__} must implement `_run`.")

    def get(self):
        """The stream of batches (a generator)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `get`.")


class OrderedEnqueuer(SequenceEnqueuer):
    """Prefetches the batches of a ``Sequence`` in parallel and yields them in order,
    epoch after epoch (calling ``on_epoch_end`` between epochs) until ``stop()``.

    Args:
        sequence: a ``tf.keras.utils.Sequence``.
        use_multiprocessing: worker processes instead of threads.
        shuffle: visit the batches in a new random order (Python's ``random``) each
            epoch.

    >>> class Squares(Sequence):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, index):
    ...         return index * index
    >>> enqueuer = OrderedEnqueuer(Squares())
    >>> enqueuer.start(workers=2, max_queue_size=3)
    >>> stream = enqueuer.get()
    >>> [next(stream) for _ in range(6)]
    [0, 1, 4, 9, 0, 1]
    >>> enqueuer.stop()
    """

    def __init__(self, sequence, use_multiprocessing=False, shuffle=False):
        super().__init__(sequence, use_multiprocessing)
        self.shuffle = shuffle
        self._epochs = None

    def _one_epoch(self):
        """Runs a single epoch and leaves ``on_epoch_end`` to the caller: ``fit``
        calls it after its callbacks, as with one worker."""
        self._epochs = 1
        return self

    def _run(self):
        order = list(range(len(self.sequence)))
        epoch = 0
        while self._epochs is None or epoch < self._epochs:
            if self.shuffle:
                random.shuffle(order)
            with self._pool() as pool:
                for index in order:
                    if self.stop_signal.is_set():
                        return
                    self.queue.put(pool.apply_async(_item, (self.uid, index)), block=True)
                # The pool must live until the epoch's batches are all taken.
                while self.queue.unfinished_tasks and not self.stop_signal.wait(0.01):
                    pass
            epoch += 1
            if self.stop_signal.is_set() or epoch == self._epochs:
                self.queue.put(None)
                return
            self.sequence.on_epoch_end()

    def get(self):
        """Yields the batches in order, across epochs, until ``stop()``.

        Raises:
            Whatever the Sequence's ``__getitem__`` raised (the workers stop first).
        """
        while self.is_running():
            try:
                future = self.queue.get(block=True, timeout=0.1)
            except queue.Empty:
                continue
            if future is None:
                return
            try:
                batch = future.get()
            except Exception:
                self.stop()
                raise
            if self.is_running():
                self.queue.task_done()
            if batch is not None:
                yield batch


class GeneratorEnqueuer(SequenceEnqueuer):
    """Draws from a generator with several workers; batches come in the order the
    workers finish them. With threads (``use_multiprocessing=False``) and several
    workers the generator must be thread-safe.

    Args:
        generator: the generator to draw from; a finite one ends the stream.
        use_multiprocessing: worker processes instead of threads.
        random_seed: with processes, worker ``k`` seeds NumPy with ``random_seed``
            plus its process id.

    >>> enqueuer = GeneratorEnqueuer(iter(range(3)))
    >>> enqueuer.start(workers=1)
    >>> list(enqueuer.get())
    [0, 1, 2]
    >>> enqueuer.stop()
    """

    def __init__(self, generator, use_multiprocessing=False, random_seed=None):
        super().__init__(generator, use_multiprocessing)
        self.random_seed = random_seed

    def _run(self):
        pool = self._pool(self.random_seed)
        try:
            while not self.stop_signal.is_set():
                self.queue.put(pool.apply_async(_next_item, (self.uid,)), block=True)
        finally:
            # Not terminated: ``get`` may still be waiting for the draws in flight.
            pool.close()
            pool.join()

    def get(self):
        """Yields the generator's items until it ends or ``stop()`` is called.

        Raises:
            RuntimeError: the generator is not thread-safe (threads, several workers).
        """
        while self.is_running():
            future = self.queue.get(block=True)
            try:
                batch = future.get()
            except StopIteration:
                yield from self._drain()
                return
            except ValueError as e:
                self.stop()
                if "generator already executing" in str(e):
                    raise RuntimeError(
                        "Your generator is NOT thread-safe. Keras requires a "
                        "thread-safe generator when `use_multiprocessing=False, "
                        "workers > 1`. "
                    ) from e
                raise
            except Exception:
                self.stop()
                raise
            self.queue.task_done()
            if batch is not None:
                yield batch

    def _drain(self):
        """The items that workers drew before the generator ran out, then the end."""
        self.stop_signal.set()
        pending = []
        while True:
            try:
                pending.append(self.queue.get(block=False))
            except queue.Empty:
                break
        for future in pending:
            future.wait()
        done = [future.get() for future in pending if future.successful()]
        self.stop()
        yield from (batch for batch in done if batch is not None)
