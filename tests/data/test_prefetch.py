"""prefetch: order kept, errors delivered, threads stopped when iterators are dropped."""

import gc
import threading
import time

import pytest

import tensorflux as tf
from tests.data.conftest import as_lists


def _prefetch_threads():
    return [t for t in threading.enumerate() if t.name == "tensorflux-prefetch"]


def _wait_for_no_threads():
    deadline = time.monotonic() + 2.0
    while _prefetch_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    return not _prefetch_threads()


def test_prefetch_keeps_order_and_spec():
    ds = tf.data.Dataset.range(50).map(lambda x: x * 2).prefetch(tf.data.AUTOTUNE)
    assert as_lists(ds) == [2 * i for i in range(50)]
    assert as_lists(tf.data.Dataset.range(3).prefetch(0)) == [0, 1, 2]
    assert as_lists(tf.data.Dataset.range(5).batch(2).prefetch(1).unbatch()) == list(range(5))
    assert _wait_for_no_threads()


def test_prefetch_thread_is_a_daemon_and_stops_when_dropped():
    ds = tf.data.Dataset.range(10**6).prefetch(2)
    it = iter(ds)
    next(it)
    threads = _prefetch_threads()
    assert threads and all(t.daemon for t in threads)
    del it
    gc.collect()
    assert _wait_for_no_threads()
    for _ in ds.take(1):  # a take(1) loop leaves no thread behind
        pass
    gc.collect()
    assert _wait_for_no_threads()


def test_prefetch_delivers_input_errors():
    def gen():
        yield 1
        raise RuntimeError("boom in generator")

    ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.int32))
    it = iter(ds.prefetch(3))
    assert int(next(it)) == 1
    with pytest.raises(RuntimeError, match="boom in generator"):
        next(it)
    with pytest.raises(StopIteration):
        next(it)


def test_prefetch_goes_on_after_an_elements_error():
    # TF 2.21 delivers a failing element's error in its place and the elements after it.
    def inverse(x):
        return tf.debugging.check_numerics(1.0 / (tf.cast(x, tf.float32) - 2.0), "inverse")

    it = iter(tf.data.Dataset.range(5).map(inverse).prefetch(2))
    assert [float(next(it)) for _ in range(2)] == [-0.5, -1.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="inverse"):
        next(it)
    assert [float(x) for x in it] == [1.0, 0.5]


def test_prefetch_buffer_size_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="buffer_size must be >= 0"):
        tf.data.Dataset.range(3).prefetch(-5)


def test_unread_iterator_computes_nothing():
    calls = []

    def gen():
        calls.append("started")
        yield 1

    ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.int32))
    it = iter(ds.prefetch(2))
    assert not _prefetch_threads() and calls == []
    del it
    gc.collect()
    assert calls == []
    assert [int(v) for v in ds.prefetch(2)] == [1] and calls == ["started"]
