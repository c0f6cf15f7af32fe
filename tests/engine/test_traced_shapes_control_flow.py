"""Control flow, gradients and TensorArrays inside tf.function traced for partly known
shapes (an input_signature with None dimensions): one graph for every size, values and
gradients equal to eager, and static shapes as TF gives them."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients, check_one_graph, numerical_jacobian

ROWS = tf.TensorSpec([None, 4], tf.float32)
VEC = tf.TensorSpec([None], tf.float32)
VEC64 = tf.TensorSpec([None], tf.float64)
W = tf.constant(np.random.default_rng(7).normal(size=(4, 4)).astype(np.float32) * 0.5)


def _rows(n, seed=0):
    return tf.constant(np.random.default_rng(seed).normal(size=(n, 4)).astype(np.float32))


def _vec(n, seed=0, dtype=np.float32):
    return tf.constant(np.random.default_rng(seed).uniform(0.5, 1.5, size=n).astype(dtype))


def _row_calls(*sizes):
    return [(_rows(n, seed=n),) for n in sizes]


def _with_grad(fn):
    """``fn(x)`` and the gradient of the sum of its squares, taken inside the function."""

    def wrapped(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
            loss = tf.reduce_sum(y * y)
        return y, tape.gradient(loss, x)

    return wrapped


# -- cond, case, switch_case ---------------------------------------------------------


def test_cond_values_and_gradients_for_every_size():
    check_one_graph(
        _with_grad(
            lambda x: tf.cond(
                tf.reduce_sum(x) > 0, lambda: tf.sin(x) * x, lambda: tf.matmul(x, W) - x
            )
        ),
        [ROWS],
        _row_calls(1, 3, 5, 2),
    )


def test_cond_output_shapes_are_the_most_specific_both_branches_fit():
    seen = {}

    @tf.function(input_signature=[ROWS])
    def f(x):
        p = tf.reduce_sum(x) > 0
        seen["same"] = tf.cond(p, lambda: x * 2.0, lambda: x - 1.0).shape
        seen["sizes"] = tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.ones([5, 3])).shape
        seen["mixed"] = tf.cond(p, lambda: x, lambda: tf.zeros([3, 4])).shape
        return tf.cond(p, lambda: tf.zeros([2]), lambda: tf.ones([3]))

    np.testing.assert_array_equal(f(_rows(2, 1) * 0 + 1), [0.0, 0.0])
    np.testing.assert_array_equal(f(_rows(4, 1) * 0 - 1), [1.0, 1.0, 1.0])
    assert seen["same"].as_list() == [None, 4]
    assert seen["sizes"].as_list() == [None, 3]
    assert seen["mixed"].as_list() == [None, 4]
    assert f.experimental_get_tracing_count() == 1


def test_cond_branches_of_different_ranks_are_refused():
    f = tf.function(
        lambda x: tf.cond(tf.reduce_sum(x) > 0, lambda: x, lambda: x[0]), input_signature=[ROWS]
    )
    with pytest.raises(ValueError, match="same dtype and rank"):
        f(_rows(2))


def test_case_and_switch_case_values_and_gradients():
    def case(x):
        s = tf.reduce_sum(x)
        return tf.case(
            [(s < -1.0, lambda: x * 2.0), (s < 1.0, lambda: tf.exp(x))], default=lambda: x * x
        )

    def switch(x):
        return tf.switch_case(
            tf.shape(x)[0] % 3, [lambda: x * 2.0, lambda: x * x, lambda: tf.sin(x)]
        )

    check_one_graph(_with_grad(case), [ROWS], _row_calls(1, 2, 3, 6))
    check_one_graph(_with_grad(switch), [ROWS], _row_calls(1, 2, 3))


# -- while_loop ----------------------------------------------------------------------


def test_while_loop_values_and_gradients_for_every_size():
    def f(x):
        def body(i, a):
            a = tf.cond(tf.reduce_sum(a) > 0, lambda: a * 0.5, lambda: a - 1.0)
            return i + 1, tf.tanh(tf.matmul(a, W) + x)

        return tf.while_loop(lambda i, a: i < 3, body, [0, x])[1]

    check_one_graph(_with_grad(f), [ROWS], _row_calls(1, 3, 5))


def test_loop_variables_keep_their_partly_known_shape():
    seen = {}

    def body(i, a):
        seen["in_body"] = a.shape
        return i + 1, a * 2.0

    @tf.function(input_signature=[ROWS])
    def f(x):
        out = tf.while_loop(lambda i, a: i < 2, body, [0, x])[1]
        seen["out"] = out.shape
        return out

    np.testing.assert_allclose(f(_rows(3)).numpy(), _rows(3).numpy() * 4)
    assert seen["in_body"].as_list() == seen["out"].as_list() == [None, 4]


def test_unknown_sizes_may_change_between_iterations_without_invariants():
    # As in TF: a (None, 4) loop variable may lose rows; a known size may not change.
    def shrink(x):
        return tf.while_loop(lambda a: tf.shape(a)[0] > 1, lambda a: a[1:] * 2.0, [x])[0]

    check_one_graph(shrink, [ROWS], _row_calls(1, 3, 5))
    f = tf.function(
        lambda x: tf.while_loop(lambda a: tf.shape(a)[1] < 8, lambda a: tf.concat([a, a], 1), [x])[
            0
        ],
        input_signature=[ROWS],
    )
    with pytest.raises(ValueError, match=r"\(None, 4\) before the loop but \(None, 8\)"):
        f(_rows(2))


def test_shape_invariants_give_loop_variables_their_static_shape():
    seen = {}

    def grow(x):
        def body(a):
            seen.setdefault("in_body", a.shape)  # the trace runs before eager calls
            return tf.concat([a, a[:1]], 0)

        return tf.while_loop(
            lambda a: tf.shape(a)[0] < 7, body, [x[0]], shape_invariants=[tf.TensorShape([None])]
        )[0]

    check_one_graph(grow, [ROWS], _row_calls(1, 2, 5))
    assert seen["in_body"].as_list() == [None]
    bad = tf.function(
        lambda x: tf.while_loop(
            lambda a: tf.size(a) < 9,
            lambda a: tf.concat([a, a], 0),
            [x],
            shape_invariants=[tf.TensorShape([None, 3])],
        ),
        input_signature=[ROWS],
    )
    with pytest.raises(ValueError, match="shape invariant is"):
        bad(_rows(2))


def test_maximum_iterations_computed_by_the_graph():
    def f(x):
        return tf.while_loop(
            lambda i, a: True,
            lambda i, a: (i + 1, a + x[0]),
            [0, tf.zeros([4])],
            maximum_iterations=tf.shape(x)[0],
        )

    check_one_graph(f, [ROWS], _row_calls(1, 2, 5))


# -- AutoGraph -----------------------------------------------------------------------


def test_autograph_if_and_loops_trace_once():
    def f(x):
        if tf.reduce_sum(x) > 0:
            y = x * 2.0
        else:
            y = x[:1]  # another size: the result's rows are unknown, as in TF
        total = tf.zeros([4])
        for row in x:
            total = total + row * 2.0
        s = tf.zeros([4])
        for i in tf.range(tf.shape(x)[0]):
            s = s + tf.gather(x, i)
        while tf.reduce_sum(tf.abs(s)) < 50.0:
            s = s * 2.0 + 1.0
        return y, total, s

    check_one_graph(
        f, [ROWS], [(tf.abs(_rows(n, n)) * sign,) for n, sign in ((1, 1.0), (3, -1.0), (5, 1.0))]
    )


def test_autograph_loop_over_rows_traced_on_an_empty_batch():
    def f(x):
        total = tf.zeros([4])
        for row in x:
            total = total + row * row
        return total

    check_one_graph(f, [ROWS], _row_calls(0, 1, 3))


def test_autograph_value_first_assigned_in_a_loop_with_unknown_sizes():
    # It enters the loop as zeros with no rows, and may take any number of rows.
    def f(x):
        for i in tf.range(tf.shape(x)[0]):
            head = tf.gather(x, tf.range(i + 1)) * 2.0
        return head, tf.reduce_sum(head, 0)

    check_one_graph(f, [ROWS], _row_calls(1, 3, 5))


# -- gradients inside the trace -------------------------------------------------------


def test_gradient_seeds_and_unconnected_zeros_follow_the_runtime_shape():
    def f(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x * x
            z = tf.reduce_sum(tf.gather(x, [0, 0]))
            c = tf.constant(2.0)
        return (
            tape.gradient(y, x),
            tape.gradient(z, x),
            tape.gradient(c, x, unconnected_gradients="zero"),
        )

    check_one_graph(f, [ROWS], _row_calls(1, 2, 5))


def test_jacobians_for_every_size():
    def f(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = tf.tanh(tf.matmul(x, W)) * x[:, :1]
            z = tf.reduce_sum(y * y, 1)
        return tape.batch_jacobian(y, x), tape.jacobian(z, x), tape.jacobian(y, x)

    check_one_graph(f, [ROWS], _row_calls(1, 2, 4))


def test_jacobian_of_an_unconnected_source_is_none():
    @tf.function(input_signature=[ROWS, ROWS])
    def f(x, other):
        with tf.GradientTape() as tape:
            tape.watch([x, other])
            y = tf.reduce_sum(x * x, 1)
        j, none = tape.jacobian(y, [x, other])
        assert none is None
        return j

    x = _rows(3)
    want = np.zeros((3, 3, 4), np.float32)
    for i in range(3):
        want[i, i] = 2 * x.numpy()[i]
    np.testing.assert_allclose(f(x, _rows(3, 1)).numpy(), want, rtol=1e-6)


# -- TensorArray ----------------------------------------------------------------------


def test_tensor_array_of_runtime_size_in_loops():
    def f(x):
        n = tf.shape(x)[0]
        rows = tf.TensorArray(tf.float32, size=n).unstack(x)
        out = tf.TensorArray(tf.float32, size=rows.size())
        for i in tf.range(rows.size()):
            out = out.write(i, rows.read(i) * tf.cast(i + 1, tf.float32))
        sums = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        for i in tf.range(n):
            sums = sums.write(i, tf.reduce_sum(x[i]))
        return out.stack(), out.concat(), out.gather([0]), out.read(0), sums.stack()

    def first(x):
        return f(x)[0]

    check_one_graph(_with_grad(first), [ROWS], _row_calls(1, 3, 5))
    check_one_graph(f, [ROWS], _row_calls(1, 3, 5))


@pytest.mark.parametrize("dynamic", [False, True])
def test_tensor_array_elements_of_unknown_size(dynamic):
    # An RNN over 3 steps: each element is a (batch, 4) state, the batch size unknown.
    def rnn(x):
        h = tf.zeros_like(x)
        states = tf.TensorArray(tf.float32, size=0 if dynamic else 3, dynamic_size=dynamic)
        for t in tf.range(3):
            h = tf.tanh(tf.matmul(h, W) + x * tf.cast(t + 1, tf.float32))
            states = states.write(t, h)
        return states.stack(), states.concat()

    def states(x):
        return rnn(x)[0]

    check_one_graph(_with_grad(states), [ROWS], _row_calls(1, 2, 4))
    f = check_one_graph(rnn, [ROWS], _row_calls(1, 2))
    stacked, joined = f(_rows(5))
    assert stacked.shape == (3, 5, 4) and joined.shape == (15, 4)


def test_tensor_array_elements_of_unknown_size_match_finite_differences():
    @tf.function(input_signature=[VEC64])
    def f(x):
        ta = tf.TensorArray(tf.float64, size=2)
        for t in tf.range(2):
            ta = ta.write(t, tf.sin(x) * tf.cast(t + 1, tf.float64))
        return ta.stack() * x

    for n in (1, 3):
        check_gradients(f, [_vec(n, n, np.float64)], order=2)
    assert f.experimental_get_tracing_count() == 1


# -- higher-order gradients through a traced while_loop -------------------------------


def _cube(x):
    """x**3, by a loop multiplying."""
    return tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, a * x), [0, x])[1]


def test_second_derivative_through_a_traced_while_loop():
    @tf.function(input_signature=[VEC64])
    def derivatives(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = _cube(x)
            dy = inner.gradient(y, x)
        return dy, outer.gradient(dy, x)

    for n in (1, 2, 5):
        x = _vec(n, n, np.float64) * 2.0 - 1.5
        dy, d2y = derivatives(x)
        np.testing.assert_allclose(dy.numpy(), 3 * x.numpy() ** 2, rtol=1e-12)
        np.testing.assert_allclose(d2y.numpy(), 6 * x.numpy(), rtol=1e-12)
        # The traced second derivative against finite differences of the traced first.
        numeric = numerical_jacobian(lambda v: tf.reduce_sum(derivatives(v)[0]), [x], 0)
        np.testing.assert_allclose(d2y.numpy(), numeric, rtol=1e-6)
    assert derivatives.experimental_get_tracing_count() == 1


def test_gradients_of_any_order_through_a_traced_loop_match_finite_differences():
    def loop(x, w):
        return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.sin(a) * w + x), [0, x])[1]

    traced = tf.function(loop, input_signature=[VEC64, VEC64])

    @tf.function(input_signature=[VEC64, VEC64])
    def traced_grad(x, w):
        with tf.GradientTape() as tape:
            tape.watch([x, w])
            y = tf.reduce_sum(loop(x, w) ** 2)
        return tape.gradient(y, [x, w])

    x, w = _vec(3, 1, np.float64), _vec(3, 2, np.float64)
    check_gradients(traced, [x, w], order=2)
    check_gradients(traced_grad, [x, w], order=2)
    check_gradients(traced_grad, [x[:1], w[:1]])
    assert traced.experimental_get_tracing_count() == 1
    assert traced_grad.experimental_get_tracing_count() == 1


def test_tensor_array_scatter_of_elements_of_unknown_size():
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3, element_shape=[None, 4])
        parts = tf.stack([x, x * 2.0, tf.sin(x)])
        return ta.scatter(tf.constant([2, 0, 1]) + tf.shape(x)[0] * 0, parts).stack()

    check_one_graph(_with_grad(f), [ROWS], _row_calls(1, 2, 4))


def test_jacobian_of_a_target_of_known_shape_against_sources_of_unknown_shape():
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = tf.reduce_sum(tf.sin(x) * x, 0)
        return tape.jacobian(z, x)

    check_one_graph(f, [ROWS], _row_calls(1, 2, 4))
