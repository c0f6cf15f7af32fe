import threading

import tensorflux as tf
from tensorflux.framework import context


def test_tracing_in_another_thread_leaves_this_thread_eager_and_recording():
    started, release = threading.Event(), threading.Event()
    seen = {}

    @tf.function
    def traced(x):
        started.set()
        release.wait(5)
        return x * 2.0

    worker = threading.Thread(target=lambda: seen.setdefault("out", traced(tf.constant(1.0))))
    worker.start()
    assert started.wait(5)
    try:
        assert context.state.graph is None
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        assert float(tape.gradient(y, x)) == 6.0
        assert type(y) is tf.Tensor
    finally:
        release.set()
        worker.join(5)
    assert float(seen["out"]) == 2.0


def test_executing_eagerly_is_false_only_while_tracing():
    seen = []

    @tf.function
    def traced(x):
        seen.append(tf.executing_eagerly())
        return x

    assert tf.executing_eagerly() is True
    traced(tf.constant(1.0))
    assert seen == [False]
    tf.config.run_functions_eagerly(True)
    try:
        traced(tf.constant(2.0))
    finally:
        tf.config.run_functions_eagerly(False)
    assert seen == [False, True]


def test_training_flag_of_a_layer_call_is_not_seen_by_another_thread():
    # A layer call in progress in one thread (training=True) must not hand its flag to a
    # layer called without one in another thread.
    started, release = threading.Event(), threading.Event()
    seen = {}

    class Probe(tf.keras.layers.Layer):
        def call(self, inputs, training=None):
            seen.setdefault(threading.current_thread().name, training)
            return inputs

    class Blocking(tf.keras.layers.Layer):
        def call(self, inputs, training=None):
            started.set()
            release.wait(5)
            return inputs

    worker = threading.Thread(
        target=lambda: Blocking()(tf.ones((1, 1)), training=True), name="worker"
    )
    worker.start()
    assert started.wait(5)
    try:
        Probe()(tf.ones((1, 1)))
    finally:
        release.set()
        worker.join(5)
    assert seen == {threading.current_thread().name: None}
    assert context.state.training_stack == []
