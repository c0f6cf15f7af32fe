"""``keras.utils.TimedThread``: a function run every few seconds on a thread of its own,
alongside training."""

from __future__ import annotations

import threading
import warnings

__all__ = ["TimedThread"]


class TimedThread:
    """Calls ``on_interval`` every ``interval`` seconds on a background thread, from
    ``start()`` (or entering a ``with`` block) until ``stop()`` (or leaving it).

    Subclass it and implement ``on_interval``; an exception raised there ends the
    thread, so catch what may fail. A subclass that is also a ``keras.callbacks.Callback``
    sees the training events too.

    >>> import threading
    >>> import tensorflux as tf
    >>> class Ping(tf.keras.utils.TimedThread):
    ...     def __init__(self, interval):
    ...         super().__init__(interval)
    ...         self.pinged = threading.Event()
    ...     def on_interval(self):
    ...         self.pinged.set()
    >>> with Ping(interval=60) as ping:
    ...     ping.pinged.wait(10)
    True

    Args:
        interval: seconds to wait between two calls of ``on_interval``.
        **kwargs: passed to ``threading.Thread``; the thread is a daemon unless
            ``daemon=False`` is given.
    """

    def __init__(self, interval, **kwargs):
        self.interval = interval
        self.daemon = kwargs.pop("daemon", True)
        self.thread_kwargs = kwargs
        self.thread = None
        self.thread_stop_event = None

    def _call_on_interval(self):
        while not self.thread_stop_event.is_set():
            self.on_interval()
            self.thread_stop_event.wait(self.interval)

    def start(self):
        """Starts the thread (a warning, and nothing more, if it is running already)."""
        if self.thread is not None and self.thread.is_alive():
            warnings.warn("Thread is already running.", stacklevel=2)
            return
        self.thread_stop_event = threading.Event()
        self.thread = threading.Thread(
            target=self._call_on_interval, daemon=self.daemon, **self.thread_kwargs
        )
        self.thread.start()

    def stop(self):
        """Asks the thread to end after its current call of ``on_interval``."""
        if self.thread_stop_event is not None:
            self.thread_stop_event.set()

    def is_alive(self) -> bool:
        """Whether the thread is running."""
        return self.thread is not None and self.thread.is_alive()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *args, **kwargs):
        self.stop()

    def on_interval(self):
        """What runs every ``interval`` seconds: implement it in a subclass.

        Raises:
            NotImplementedError: on ``TimedThread`` itself, as in Keras.
        """
        raise NotImplementedError(
            "Runs every x interval seconds. Needs to be implemented in subclasses of `TimedThread`"
        )
