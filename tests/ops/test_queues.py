"""``tf.queue``: order, blocking ends and errors as TF 2.21's queues (expected values
observed in TF 2.21; the random-shuffle order is TF's for seed 5)."""

import threading

import pytest

import tensorflux as tf


@pytest.fixture(autouse=True)
def _no_global_seed():
    # The recorded orders come from op seeds alone; a global seed left by another test
    # would change the seeds TF and tensorflux derive.
    tf.random.set_seed(None)


def test_random_shuffle_queue_order_is_tfs():
    queue = tf.queue.RandomShuffleQueue(10, 0, tf.int32, shapes=[], seed=5)
    queue.enqueue_many([list(range(8))])
    assert [int(queue.dequeue()) for _ in range(4)] == [7, 4, 0, 6]
    queue.enqueue(100)
    assert [int(queue.dequeue()) for _ in range(5)] == [2, 100, 1, 3, 5]
    again = tf.queue.RandomShuffleQueue(10, 0, tf.int32, shapes=[], seed=5)
    again.enqueue_many([list(range(8))])
    assert again.dequeue_many(3).numpy().tolist() == [7, 4, 0]
    assert again.dequeue_up_to(2).numpy().tolist() == [6, 5]


def test_fifo_names_closing_and_errors():
    queue = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[[], []], names=["a", "b"])
    queue.enqueue({"a": 1, "b": "x"})
    out = queue.dequeue()
    assert int(out["a"]) == 1 and out["b"].numpy() == b"x"
    assert int(queue.size()) == 0 and queue.names == ["a", "b"]
    queue.close()
    assert bool(queue.is_closed())
    with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient elements"):
        queue.dequeue()
    with pytest.raises(tf.errors.CancelledError, match="is closed"):
        queue.enqueue({"a": 1, "b": "x"})
    unshaped = tf.queue.FIFOQueue(5, tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="require the components"):
        unshaped.dequeue_many(2)
    pair = tf.queue.FIFOQueue(5, [tf.int32, tf.float32])
    pair.enqueue([1, 2.0])
    first, second = pair.dequeue()
    assert int(first) == 1 and float(second) == 2.0
    drained = tf.queue.FIFOQueue(5, tf.int32, shapes=[[]])
    drained.enqueue_many([[1, 2, 3]])
    drained.close()
    assert drained.dequeue_up_to(5).numpy().tolist() == [1, 2, 3]


def test_padding_and_priority_queues():
    padding = tf.queue.PaddingFIFOQueue(5, tf.int32, shapes=[[None]])
    padding.enqueue([[1, 2, 3]])
    padding.enqueue([[4]])
    assert padding.dequeue_many(2).numpy().tolist() == [[1, 2, 3], [4, 0, 0]]
    priority = tf.queue.PriorityQueue(5, [tf.string], shapes=[[]])
    priority.enqueue((tf.constant(3, tf.int64), "c"))
    priority.enqueue((tf.constant(1, tf.int64), "a"))
    rank, value = priority.dequeue()
    assert int(rank) == 1 and value.numpy() == b"a"


def test_a_dequeue_waits_for_an_enqueue_from_another_thread():
    queue = tf.queue.FIFOQueue(2, tf.int32, shapes=[[]])
    results = []
    reader = threading.Thread(target=lambda: results.append(int(queue.dequeue())))
    reader.start()
    queue.enqueue(42)
    reader.join(timeout=10)
    assert results == [42]
