"""``Dataset.prefetch``: a background thread prepares elements ahead of the consumer.

The thread pulls from the input and puts elements into a bounded queue. It is a
daemon and checks a stop event whenever the queue is full, so dropping the
iterator (or leaving the interpreter) never waits on it. NumPy releases the GIL
in its large kernels, so gathering and casting the next batch overlaps with the
consumer's work.
"""

from __future__ import annotations

import os
import queue
import threading
import weakref

from tensorflux.data.dataset import AUTOTUNE, Dataset, as_int
from tensorflux.data.iterator import ElementPull
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.kernels import threads

__all__: list = []

_END = object()
_POLL_S = 0.05


class _Raised:
    """An exception from the input, delivered to the consumer in order; ``final`` when
    the thread stopped after it (an interrupt, not an element's error)."""

    __slots__ = ("error", "final")

    def __init__(self, error, final: bool = False):
        self.error, self.final = error, final


def _worker(src, q: queue.Queue, stop: threading.Event) -> None:
    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    try:
        while not stop.is_set():
            try:
                # While it computes, the main computation's kernels leave it a CPU.
                with threads.background_thread():
                    item = src.next()
            except StopIteration:
                put(_END)
                return
            except Exception as e:  # noqa: BLE001 - re-raised in the consumer
                # As in TF, an element's error is delivered in its place and the
                # elements after it still come.
                item = _Raised(e)
            except BaseException as e:  # noqa: BLE001 - re-raised in the consumer
                put(_Raised(e, final=True))
                return
            if not put(item):
                return
    finally:
        src.close()


class _PrefetchPull(ElementPull):
    def __init__(self, src, size: int):
        self._q: queue.Queue = queue.Queue(maxsize=size)
        self._stop = threading.Event()
        self._done = False
        self._thread = threading.Thread(
            target=_worker, args=(src, self._q, self._stop), name="tensorflux-prefetch", daemon=True
        )
        self._src = src
        # Stops the thread when the iterator is garbage-collected without close().
        self._finalizer = weakref.finalize(self, self._stop.set)

    def next(self):
        if self._done:
            raise StopIteration
        if self._src is not None:
            # As TF, the thread starts on the first request: an iterator that is never
            # read (Keras opens one per fit) computes nothing.
            self._src = None
            self._thread.start()
        item = self._q.get()
        if item is _END:
            self._done = True
            raise StopIteration
        if type(item) is _Raised:
            self._done = item.final
            raise item.error
        return item

    def close(self):
        self._stop.set()
        if self._src is not None:
            self._src.close()
            self._src = None


def _autotune_size() -> int:
    return max(2, min(os.cpu_count() or 2, 8))


class PrefetchDataset(Dataset):
    """``Dataset.prefetch(buffer_size)``: ``tf.data.AUTOTUNE`` picks a small buffer."""

    _tf_name = "_PrefetchDataset"

    def __init__(self, input_dataset, buffer_size):
        size = as_int(buffer_size, "buffer_size")
        if size < 0 and size != AUTOTUNE:
            raise InvalidArgumentError(
                None,
                "PrefetchDataset",
                "buffer_size must be >= 0 or set buffer_size to be -1 for auto-tuning",
            )
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._size = _autotune_size() if size == AUTOTUNE else size

    def _pull(self):
        if self._size == 0:
            return self._input._pull()
        return _PrefetchPull(self._input._pull(), self._size)

    def _cardinality(self):
        return self._input._cardinality()
