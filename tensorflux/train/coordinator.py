"""``tf.train.Coordinator``: stopping a group of threads together, and passing the
first exception raised in any of them back to the thread that joins them."""

from __future__ import annotations

import contextlib
import sys
import threading
import time

from tensorflux.framework.errors import OutOfRangeError

__all__ = ["Coordinator"]


class Coordinator:
    """Coordinates the termination of a set of threads.

    Threads poll ``should_stop()``; any of them may ``request_stop()``, optionally with
    the exception that made it stop. ``join()`` waits for the threads and re-raises
    that exception. Exceptions of ``clean_stop_exception_types`` (``OutOfRangeError``
    by default: an input pipeline running dry) stop the threads without being raised.

    >>> import threading, tensorflux as tf
    >>> coord = tf.train.Coordinator()
    >>> def work():
    ...     with coord.stop_on_exception():
    ...         raise ValueError("bad record")
    >>> threads = [threading.Thread(target=work)]
    >>> for t in threads:
    ...     t.start()
    >>> try:
    ...     coord.join(threads)
    ... except ValueError as e:
    ...     print(e)
    bad record
    """

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads = set()

    def _filter_exception(self, ex):
        """``ex``, or None when it is a clean stop."""
        exception = ex[1] if isinstance(ex, tuple) else ex
        return None if isinstance(exception, self._clean_stop_exception_types) else ex

    def request_stop(self, ex=None) -> None:
        """Asks the threads to stop. The first ``ex`` reported (an exception being
        handled, or an ``sys.exc_info()`` triple) is re-raised by ``join()``; after
        ``join()`` it is raised at once.

        Raises:
            ValueError: ``ex`` is an exception that is not being handled, so there is no
                exc_info to record.
        """
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:
                if isinstance(ex, tuple):
                    raise ex[1]
                if ex is not None:
                    raise sys.exc_info()[1]
            if not self._stop_event.is_set():
                if ex is not None and self._exc_info_to_raise is None:
                    exc_info = ex if isinstance(ex, tuple) else sys.exc_info()
                    if len(exc_info) != 3 or not exc_info[0] or not exc_info[1]:
                        raise ValueError(
                            "ex must be a tuple or sys.exc_info must return the current "
                            f"exception: {exc_info}"
                        )
                    self._exc_info_to_raise = exc_info
                self._stop_event.set()

    def clear_stop(self) -> None:
        """Clears the stop request and any recorded exception, so threads may run again."""
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        """Whether a stop was requested."""
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """A context in which an exception requests a stop instead of propagating."""
        try:
            yield
        except:  # noqa: E722 - every exception, as TF's, including KeyboardInterrupt
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None) -> bool:
        """Waits until a stop is requested, at most ``timeout`` seconds; whether it was."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread) -> None:
        """Adds ``thread`` to the threads ``join()`` waits for."""
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Waits for the registered threads and ``threads`` to finish, then re-raises
        the exception reported through ``request_stop``.

        Once a stop is requested, the threads get ``stop_grace_period_secs`` to end.

        Raises:
            RuntimeError: threads still run after the grace period (unless
                ``ignore_live_threads``).
            The exception passed to ``request_stop``, if any.
        """
        with self._lock:
            threads = set(self._registered_threads) | set(threads or ())
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        # Sleeps doubling from 1 ms, so threads shutting down are not polled in a busy loop.
        wait = 0.001
        while any(t.is_alive() for t in threads) and stop_grace_period_secs >= 0.0:
            time.sleep(wait)
            stop_grace_period_secs -= wait
            wait = max(min(2 * wait, stop_grace_period_secs), 0.001)
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            exc_info = self._exc_info_to_raise
        if exc_info is not None:
            raise exc_info[1]
        if stragglers and not ignore_live_threads:
            raise RuntimeError(
                f"Coordinator stopped with threads still running: {' '.join(stragglers)}"
            )

    @property
    def joined(self) -> bool:
        """Whether ``join()`` has finished."""
        return self._joined

    def raise_requested_exception(self) -> None:
        """Re-raises the exception passed to ``request_stop``, if any."""
        with self._lock:
            if self._exc_info_to_raise is not None:
                raise self._exc_info_to_raise[1]
