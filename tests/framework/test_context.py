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
