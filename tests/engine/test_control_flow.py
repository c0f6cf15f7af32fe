"""tf.cond, tf.while_loop, tf.case and tf.switch_case, eagerly and inside tf.function:
values and gradients against the eager result, effects in branches, and errors."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients


def both(fn):
    """The eager function and its tf.function, for comparing the two."""
    return [fn, tf.function(fn)]


def f64(*values):
    return [np.array(v, np.float64) for v in values]


# -- cond ------------------------------------------------------------------------


def _piecewise(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * x, lambda: tf.exp(x) - x * x)


@pytest.mark.parametrize("x", [[0.5, 1.5], [-0.5, -1.5]])
def test_cond_values_and_gradients(x):
    eager, traced = both(_piecewise)
    np.testing.assert_allclose(
        traced(tf.constant(x)).numpy(), eager(tf.constant(x)).numpy(), rtol=1e-6
    )
    check_gradients(eager, f64(x))
    check_gradients(traced, f64(x))
    check_gradients(traced, f64(x), order=2)


def test_cond_closes_over_several_tensors_and_returns_structures():
    def f(x, y):
        return tf.cond(
            x > y, lambda: {"big": x, "pair": (x * y, y)}, lambda: {"big": y, "pair": (x + y, x)}
        )

    for fn in both(f):
        out = fn(tf.constant(3.0), tf.constant(2.0))
        assert out["big"].numpy() == 3.0 and out["pair"][0].numpy() == 6.0
        out = fn(tf.constant(1.0), tf.constant(2.0))
        assert out["big"].numpy() == 2.0 and out["pair"][1].numpy() == 1.0
    check_gradients(lambda x, y: tf.function(f)(x, y)["pair"][0], f64(3.0, 2.0))


def test_cond_runs_effects_of_the_taken_branch_only(capsys):
    v = tf.Variable(0)

    @tf.function
    def f(x):
        return tf.cond(
            x > 0,
            lambda: (tf.print("pos"), v.assign_add(1), x)[2],
            lambda: (tf.print("neg"), v.assign_sub(1), -x)[2],
        )

    assert [f(tf.constant(k)).numpy() for k in (2, -3, 4)] == [2, 3, 4]
    assert capsys.readouterr().err == "pos\nneg\npos\n"
    assert v.numpy() == 1


def test_cond_with_python_predicate_is_python_control_flow():
    calls = []
    out = tf.cond(
        True,
        lambda: calls.append("t") or tf.constant(1),
        lambda: calls.append("f") or tf.constant(2),
    )
    assert out.numpy() == 1 and calls == ["t"]


@pytest.mark.parametrize(
    "pred, error",
    [
        # As TF's graph construction: a rank error is a ValueError, a dtype one a TypeError.
        (tf.constant([True, False]), ValueError),
        (tf.constant(1.0), TypeError),
    ],
)
def test_cond_rejects_non_scalar_bool_predicates(pred, error):
    f = tf.function(lambda p: tf.cond(p, lambda: 1.0, lambda: 2.0))
    with pytest.raises(error, match="scalar bool"):
        f(pred)


def test_cond_branches_must_agree_inside_a_function():
    f = tf.function(lambda x: tf.cond(x > 0, lambda: x, lambda: tf.stack([x, x])))
    with pytest.raises(ValueError, match="shape"):
        f(tf.constant(1.0))
    g = tf.function(lambda x: tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.int32)))
    with pytest.raises(ValueError, match="dtype"):
        g(tf.constant(1.0))
    with pytest.raises(TypeError, match="callable"):
        tf.cond(tf.constant(True), 1, lambda: 2)


# -- while_loop -------------------------------------------------------------------


def _power(x, n):
    _, out = tf.while_loop(
        lambda i, acc: i < n, lambda i, acc: (i + 1, acc * x), [tf.constant(0), tf.ones_like(x)]
    )
    return out


def test_while_values_and_gradients():
    eager, traced = both(_power)
    x = tf.constant([1.5, -2.0])
    for n in (0, 3):
        np.testing.assert_allclose(
            traced(x, tf.constant(n)).numpy(), eager(x, tf.constant(n)).numpy()
        )
    for fn in both(_power):
        check_gradients(lambda x, fn=fn: fn(x, tf.constant(3)), f64([1.5, -0.5]))


def test_while_gradient_with_respect_to_a_captured_tensor():
    def f(x, scale):
        return tf.while_loop(lambda i, a: i < 4, lambda i, a: (i + 1, a * scale + x), [0, x])[1]

    for fn in both(f):
        check_gradients(fn, f64(0.7, 1.3))


def test_while_maximum_iterations():
    def f(x):
        return tf.while_loop(
            lambda i, x: True, lambda i, x: (i + 1, x * 2.0), [0, x], maximum_iterations=5
        )

    for fn in both(f):
        i, x = fn(tf.constant(1.0))
        assert (i.numpy(), x.numpy()) == (5, 32.0)
    check_gradients(lambda x: tf.function(f)(x)[1], f64(1.5))


def test_while_shape_invariants_allow_growing_shapes():
    def grow(x):
        return tf.while_loop(
            lambda x: tf.shape(x)[0] < 8,
            lambda x: tf.concat([x, x], 0),
            x,
            shape_invariants=tf.TensorShape([None]),
        )

    for fn in both(grow):
        np.testing.assert_array_equal(fn(tf.constant([1.0, 2.0])).numpy(), [1.0, 2.0] * 4)


def test_while_without_invariants_rejects_shape_changes():
    f = tf.function(
        lambda x: tf.while_loop(lambda x: tf.size(x) < 8, lambda x: (tf.concat([x, x], 0),), [x])
    )
    with pytest.raises(ValueError, match="shape_invariants"):
        f(tf.constant([1.0]))
    g = tf.function(
        lambda x: tf.while_loop(lambda x: x < 8, lambda x: (tf.cast(x + 1, tf.float32),), [x])
    )
    with pytest.raises(TypeError, match="enters the loop as int32"):
        g(tf.constant(1))


def test_while_body_assigning_a_variable_that_cond_reads():
    v = tf.Variable(0)

    @tf.function
    def count_to(n):
        return tf.while_loop(lambda i: v < n, lambda i: (v.assign_add(1), i + 1)[1], [0])[0]

    assert count_to(tf.constant(5)).numpy() == 5 and v.numpy() == 5
    assert count_to(tf.constant(7)).numpy() == 2 and v.numpy() == 7


def test_while_body_reading_a_variable_after_assigning_it():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        def body(i, acc):
            v.assign(v * 2.0)
            return i + 1, acc + v.read_value()

        return tf.while_loop(lambda i, acc: i < 3, body, [0, 0.0])[1]

    assert f().numpy() == 2.0 + 4.0 + 8.0 and v.numpy() == 8.0


def test_cond_inside_while():
    def collatz_steps(n):
        def body(n, steps):
            n = tf.cond(n % 2 == 0, lambda: n // 2, lambda: 3 * n + 1)
            return n, steps + 1

        return tf.while_loop(lambda n, s: n > 1, body, [n, 0])[1]

    for fn in both(collatz_steps):
        assert fn(tf.constant(27)).numpy() == 111


def test_gradients_through_a_looping_body_with_effects_are_refused():
    v = tf.Variable(0.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.while_loop(
                lambda i, a: i < 2, lambda i, a: (i + 1, (v.assign_add(1.0), a * x)[1]), [0, x]
            )[1]
        return tape.gradient(y, x)

    with pytest.raises(NotImplementedError, match="side effects"):
        f(tf.constant(2.0))


def test_gradients_that_would_redraw_random_numbers_are_refused():
    # The gradient reruns the construct: new draws would not match the forward values.
    @tf.function
    def through_loop(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.while_loop(
                lambda i, a: i < 3,
                lambda i, a: (i + 1, a * tf.random.uniform([], 1.0, 2.0)),
                [0, x],
            )[1]
        return tape.gradient(y, x)

    @tf.function
    def through_cond(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: x * tf.random.uniform([], 1.0, 2.0), lambda: x)
        return tape.gradient(y, x)

    with pytest.raises(NotImplementedError, match="tf.while_loop: .*random numbers"):
        through_loop(tf.constant(1.0))
    with pytest.raises(NotImplementedError, match="tf.cond: .*random numbers"):
        through_cond(tf.constant(1.0))


def test_gradients_through_a_cond_that_assigns_are_refused():
    v = tf.Variable(0.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: (v.assign_add(1.0), x * x)[1], lambda: x)
        return tape.gradient(y, x)

    with pytest.raises(NotImplementedError, match="tf.cond: .*assigns variables"):
        f(tf.constant(2.0))


# -- case / switch_case -------------------------------------------------------------


def _three_way(x):
    return tf.case(
        [(x < 0.0, lambda: -x * x), (x < 2.0, lambda: tf.sin(x))], default=lambda: x * x * x
    )


@pytest.mark.parametrize("x", [-1.5, 0.5, 3.0])
def test_case_values_and_gradients(x):
    eager, traced = both(_three_way)
    assert traced(tf.constant(x)).numpy() == pytest.approx(eager(tf.constant(x)).numpy())
    check_gradients(traced, f64(x))


def test_case_without_default_uses_the_last_pair():
    for fn in both(lambda x: tf.case([(x > 10, lambda: x * 0), (x > 5, lambda: x * 2)])):
        assert fn(tf.constant(20)).numpy() == 0 and fn(tf.constant(1)).numpy() == 2
    with pytest.raises(ValueError, match="empty"):
        tf.case([])


def _switch(i, x):
    return tf.switch_case(i, [lambda: x, lambda: x * x, lambda: tf.exp(x)])


@pytest.mark.parametrize("index", [0, 1, 2, 7, -1])
def test_switch_case_values_and_gradients(index):
    eager, traced = both(_switch)
    i = tf.constant(index)
    assert traced(i, tf.constant(0.5)).numpy() == pytest.approx(eager(i, tf.constant(0.5)).numpy())
    check_gradients(lambda x: traced(i, x), f64(0.5))


def test_switch_case_dict_branches_and_errors():
    branches = {3: lambda: tf.constant(30), 1: lambda: tf.constant(10)}
    for fn in both(lambda i: tf.switch_case(i, branches, default=lambda: tf.constant(-1))):
        assert [fn(tf.constant(k)).numpy() for k in (1, 3, 2)] == [10, 30, -1]
    with pytest.raises(TypeError, match="scalar integer"):
        tf.switch_case(tf.constant(1.0), [lambda: 1])
    with pytest.raises(ValueError, match="empty"):
        tf.switch_case(0, [])


def test_cond_branches_run_only_for_effects_return_none():
    v = tf.Variable(0.0)

    def bump():
        v.assign_add(1.0)

    @tf.function
    def step(flag):
        assert tf.cond(flag, bump, lambda: None) is None
        return v.read_value()

    assert float(step(tf.constant(True))) == 1.0
    assert float(step(tf.constant(False))) == 1.0
    assert float(step(tf.constant(True))) == 2.0


def test_cond_none_against_tensor_is_refused():
    @tf.function
    def f(flag):
        return tf.cond(flag, lambda: None, lambda: tf.constant(1.0))

    with pytest.raises(ValueError, match="same structure"):
        f(tf.constant(True))
