"""``tf.map_fn``, ``tf.scan``, ``tf.foldl`` / ``tf.foldr`` and ``tf.vectorized_map``:
gradients against finite differences (float64), the same gradients inside
``tf.function``, traced graphs holding one loop, and batches of unknown size."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients

RNG = np.random.default_rng(1)
X = RNG.normal(size=(4, 3))
W = RNG.normal(size=(3,))

MAPS = {
    "map_fn": lambda x, w: tf.map_fn(lambda r: tf.sin(r) * w, x),
    "map_fn_nested": lambda x, w: tf.map_fn(
        lambda p: (p[0] * w, tf.reduce_sum(p[1] ** 2)),
        (x, x * 2.0),
        fn_output_signature=(tf.float64, tf.float64),
    ),
    "scan": lambda x, w: tf.scan(lambda a, r: a * w + r, x),
    "scan_reverse_init": lambda x, w: tf.scan(
        lambda a, r: a * r + w, x, initializer=w, reverse=True
    ),
    "foldl": lambda x, w: tf.foldl(lambda a, r: tf.tanh(a * w + r), x),
    "foldr": lambda x, w: tf.foldr(lambda a, r: a * r - w, x, initializer=w),
    "vectorized_map": lambda x, w: tf.vectorized_map(lambda r: tf.tensordot(r, w, 1) * r, x),
}


@pytest.mark.parametrize("name", sorted(MAPS))
def test_gradients_match_finite_differences(name):
    check_gradients(MAPS[name], [X, W], order=2 if name in ("map_fn", "scan") else 1)


def _grads(fn, x, w):
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        out = fn(x, w)
        y = tf.add_n([tf.reduce_sum(o * o) for o in tf.nest.flatten(out)])
    return tape.gradient(y, [x, w])


@pytest.mark.parametrize("name", sorted(MAPS))
def test_traced_gradients_match_eager(name):
    x, w = tf.constant(X), tf.constant(W)
    want = _grads(MAPS[name], x, w)
    got = tf.function(lambda a, b: _grads(MAPS[name], a, b))(x, w)
    for g, e in zip(got, want):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-10)


def test_traced_map_fn_is_one_loop_whatever_the_size():
    calls = []

    def fn(r):
        calls.append(1)
        return r * 2.0

    f = tf.function(lambda x: tf.map_fn(fn, x))
    out = f(tf.ones([50, 2]))
    # One loop in the graph: fn is traced (at most twice, to learn its shapes), not run 50 times.
    assert out.shape == (50, 2) and len(calls) <= 2


def test_unknown_batch_size_in_input_signature():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def f(x):
        y = tf.map_fn(lambda r: tf.reduce_sum(r), x)
        s = tf.scan(lambda a, r: a + r, x)
        z = tf.foldr(lambda a, r: a * 2.0 + r, x, initializer=tf.zeros([3]))
        return y, s, z

    for n in (0, 1, 4):
        x = np.arange(3 * n, dtype=np.float32).reshape(n, 3)
        y, s, z = f(tf.constant(x))
        np.testing.assert_allclose(y.numpy(), x.sum(1))
        np.testing.assert_allclose(s.numpy(), np.cumsum(x, 0).reshape(n, 3))
        want = np.zeros(3, np.float32)
        for r in x[::-1]:
            want = want * 2.0 + r
        np.testing.assert_allclose(z.numpy(), want)


def test_back_prop_false_stops_gradients():
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.map_fn(lambda r: r * r, x, back_prop=False)
    assert tape.gradient(y, x) is None


def test_ragged_results_inside_tf_function_with_static_batch():
    f = tf.function(
        lambda n: tf.map_fn(
            lambda k: tf.range(k), n, fn_output_signature=tf.RaggedTensorSpec([None], tf.int32)
        )
    )
    out = f(tf.constant([2, 0, 3]))
    assert out.to_list() == [[0, 1], [], [0, 1, 2]]


def test_parallel_iterations_and_swap_memory_are_accepted():
    out = tf.map_fn(lambda r: r + 1, tf.constant([1, 2]), parallel_iterations=4, swap_memory=True)
    assert out.numpy().tolist() == [2, 3]
    out = tf.scan(lambda a, r: a + r, tf.constant([1, 2]), parallel_iterations=1)
    assert out.numpy().tolist() == [1, 3]


def test_traced_vectorized_map_runs_fn_once_per_element():
    printed = []

    def fn(x):
        tf.py_function(lambda v: printed.append(float(v)), [tf.reduce_sum(x)], [])
        return x * 2.0

    f = tf.function(lambda e: tf.vectorized_map(fn, e))
    f(tf.ones([3, 2]))  # traces, then runs
    before = len(printed)
    out = f(tf.ones([3, 2]))
    assert out.shape == (3, 2) and len(printed) - before == 3
