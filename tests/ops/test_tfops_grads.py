"""Gradients of the top-level ops TF differentiates (``tf.roll``, ``tf.dynamic_stitch``
...), against finite differences (float64), eagerly and inside ``tf.function``."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4))


def test_roll():
    check_gradients(lambda x: tf.roll(x, [1, -2], [0, 1]) ** 2, [X], order=2)


def test_reverse_sequence():
    check_gradients(
        lambda x: tf.reverse_sequence(x, [2, 4, 0], seq_axis=1) * np.arange(12.0).reshape(3, 4),
        [X],
        order=2,
    )


def test_ensure_shape_and_identity_n():
    check_gradients(lambda x: tf.ensure_shape(x, [3, None]) ** 3, [X], order=2)
    check_gradients(lambda x, y: tf.identity_n([x * y, y])[0] ** 2, [X, X[0]], order=2)


def test_dynamic_partition():
    parts = np.array([1, 0, 1], np.int32)

    def f(x):
        a, b = tf.dynamic_partition(x, parts, 2)
        return tf.concat([a * 2.0, b**2], 0)

    check_gradients(f, [X], order=2)


def test_dynamic_partition_unused_output():
    check_gradients(lambda x: tf.dynamic_partition(x, [[0, 1, 2, 2]] * 3, 3)[2] ** 2, [X])


def test_dynamic_stitch():
    idx = [np.array([0, 2], np.int32), np.array([[1], [3]], np.int32)]
    check_gradients(
        lambda a, b: tf.dynamic_stitch(idx, [a, b]) ** 2, [X[:2], X[1:].reshape(2, 1, 4)], order=2
    )


@pytest.mark.parametrize("fn", [tf.tensor_scatter_nd_max, tf.tensor_scatter_nd_min])
def test_tensor_scatter_extremes(fn):
    idx = np.array([[0, 1], [2, 3], [1, 1]])
    check_gradients(lambda x, u: fn(x, idx, u) ** 2, [X, np.array([3.0, -3.0, 0.05])], order=2)


def test_tensor_scatter_max_ties_split():
    x = tf.constant([1.0, 2.0])
    u = tf.constant([1.0])
    with tf.GradientTape() as tape:
        tape.watch([x, u])
        y = tf.tensor_scatter_nd_max(x, [[0]], u)
    gx, gu = tape.gradient(y, [x, u])
    assert gx.numpy().tolist() == [0.5, 1.0] and gu.numpy().tolist() == [0.5]


def test_roll_gradient_inside_tf_function():
    x = tf.Variable(X)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.roll(x, 1, 1) * np.arange(12.0).reshape(3, 4))
        return tape.gradient(y, x)

    want = np.roll(np.arange(12.0).reshape(3, 4), -1, 1)
    np.testing.assert_allclose(step().numpy(), want)


def test_no_gradient_for_bitcast_and_guarantee_const():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = tf.bitcast(x, tf.int32)
        b = tf.guarantee_const(x)
    assert tape.gradient(a, x) is None and tape.gradient(b, x) is None


def test_timestamp_reads_the_clock_on_each_call():
    f = tf.function(lambda: tf.timestamp())
    a = f()
    b = f()
    assert a.dtype == tf.float64 and float(b) >= float(a)


def test_ensure_shape_refines_the_traced_shape():
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, None])])
    def f(x):
        y = tf.ensure_shape(x, [None, 4])
        seen.append(y.shape.as_list())
        return y

    f(tf.zeros([2, 4]))
    assert seen == [[None, 4]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="not compatible with expected"):
        f(tf.zeros([2, 3]))


def test_recompute_grad_runs_the_forward_again_in_the_backward_pass():
    calls = []
    w = tf.Variable(np.array([[0.3, -0.2], [0.1, 0.5]]))

    def block(x):
        calls.append(1)
        return tf.tanh(tf.matmul(x, w)) * x

    fast = tf.recompute_grad(block)
    x = tf.constant([[0.5, -1.0]], tf.float64)
    grads = []
    for f in (block, fast):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(f(x) ** 2)
        grads.append(tape.gradient(y, [x, w]))
    assert len(calls) == 3  # block once, fast forward and its recomputation
    for g, e in zip(grads[1], grads[0]):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-12)
    check_gradients(lambda a: tf.recompute_grad(lambda t: tf.sin(t) * t)(a), [X], order=1)


def test_recompute_grad_inside_tf_function():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    block = tf.recompute_grad(lambda x: tf.tanh(tf.matmul(x, w)) * x)
    x = tf.constant([[0.5, -1.0]])

    def grads():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(block(x) ** 2)
        return tape.gradient(y, [x, w])

    for g, e in zip(tf.function(grads)(), grads()):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-6)


def test_grad_pass_through_inside_tf_function():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.grad_pass_through(tf.round)(x) * 3.0
        return y, tape.gradient(y, x)

    y, g = f(tf.constant(2.4))
    assert float(y) == 6.0 and float(g) == 3.0


def test_approx_top_k():
    # ApproxTopK takes float32 at most: the check runs in float32, with its tolerances.
    x = RNG.normal(size=(3, 5))

    def f(a):
        return tf.cast(tf.approx_top_k(tf.cast(a, tf.float32), 2)[0], tf.float64) ** 2

    check_gradients(f, [x], rtol=1e-3, atol=1e-3, eps=1e-3)


def test_extract_volume_patches():
    v = RNG.normal(size=(1, 3, 4, 3, 2))
    check_gradients(
        lambda x: tf.extract_volume_patches(x, [1, 2, 2, 2, 1], [1, 1, 2, 1, 1], "SAME") ** 2,
        [v],
        order=2,
    )
