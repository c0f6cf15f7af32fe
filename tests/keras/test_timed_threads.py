"""keras.utils.TimedThread: start/stop, the context manager, repeated calls, daemon
and thread arguments, the warning on a second start, the abstract on_interval."""

import threading

import pytest

import tensorflux as tf


class Counter(tf.keras.utils.TimedThread):
    def __init__(self, interval, target=3, **kwargs):
        super().__init__(interval, **kwargs)
        self.calls = 0
        self.reached = threading.Event()
        self.target = target

    def on_interval(self):
        self.calls += 1
        if self.calls >= self.target:
            self.reached.set()


def test_calls_repeat_until_stopped():
    counter = Counter(0.001)
    counter.start()
    assert counter.reached.wait(10)
    assert counter.is_alive()
    counter.stop()
    counter.thread.join(10)
    assert not counter.is_alive()
    calls = counter.calls
    assert calls >= 3
    assert counter.thread.daemon


def test_context_manager_and_thread_arguments():
    with Counter(60, target=1, daemon=False, name="timed") as counter:
        assert counter.reached.wait(10)
        assert counter.thread.name == "timed" and not counter.thread.daemon
    counter.thread.join(10)
    assert counter.calls == 1 and not counter.is_alive()


def test_second_start_warns_and_keeps_the_thread():
    counter = Counter(60, target=1)
    counter.start()
    first = counter.thread
    try:
        with pytest.warns(UserWarning, match="Thread is already running."):
            counter.start()
        assert counter.thread is first
    finally:
        counter.stop()
        first.join(10)


def test_unstarted_thread_and_the_abstract_method():
    thread = tf.keras.utils.TimedThread(1)
    assert not thread.is_alive()
    thread.stop()  # nothing to stop
    with pytest.raises(NotImplementedError, match="Needs to be implemented in subclasses"):
        thread.on_interval()
