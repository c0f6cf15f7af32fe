"""GradientTape, custom_gradient, stop_gradient and jacobians; values checked against TF 2.21."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework import context
from tensorflux.testing import check_gradients

# -- the examples from the course notes --------------------------------------------------


def test_seed_square_of_variable():
    x = tf.Variable(3.0, tf.float32)
    with tf.GradientTape() as tape:
        y = tf.pow(x, 2.0)
    dydx = tape.gradient(y, x)
    assert dydx.dtype is tf.float32 and dydx.numpy() == 6.0


def test_seed_two_variables():
    x = tf.Variable(4.0, tf.float32)
    y = tf.Variable(2.0, tf.float32)
    with tf.GradientTape() as tape:
        f = tf.pow(x, 2.0) * 3.0 + y
    [dfdx, dfdy] = tape.gradient(f, [x, y])
    assert dfdx.numpy() == 24.0 and dfdy.numpy() == 1.0


def test_seed_watched_constant():
    x = tf.constant(4.0, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        f = tf.pow(x, 3.0)
    assert tape.gradient(f, x).numpy() == 48.0


def test_seed_gradient_descent_with_gradient_inside_the_block():
    x = tf.Variable(10.0, tf.float32)
    eta = 0.1
    for _ in range(50):
        with tf.GradientTape() as tape:
            y = x * x - 4.0 * x + 4.0
            dydx = tape.gradient(y, x)
            x.assign(x - eta * dydx)
    assert abs(x.numpy() - 2.0) < 1e-3
    assert not context.state.recording_tapes


# -- watching ----------------------------------------------------------------------------


def test_trainable_variables_are_watched_automatically():
    x = tf.Variable(3.0)
    c = tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        y = x * x + c * c
    gx, gc = tape.gradient(y, [x, c])
    assert gx.numpy() == 6.0 and gc is None
    assert tape.watched_variables() == (x,)


def test_unwatched_constant_gets_none():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_watch_accessed_variables_false():
    x = tf.Variable(3.0)
    w = tf.Variable(2.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = x * x * w
    gx, gw = tape.gradient(y, [x, w])
    assert gx is None and gw.numpy() == 9.0
    assert tape.watched_variables() == (w,)


def test_watch_nested_structure_and_non_trainable_variable():
    a, b = tf.constant(1.0), tf.constant(2.0)
    c = tf.Variable(5.0, trainable=False)
    with tf.GradientTape() as tape:
        tape.watch({"a": a, "rest": [b, c]})
        y = a * b * c
    ga, gb, gc = tape.gradient(y, [a, b, c])
    assert (ga.numpy(), gb.numpy(), gc.numpy()) == (10.0, 5.0, 2.0)


def test_watched_variables_in_order_of_first_access():
    x, y = tf.Variable(3.0), tf.Variable(1.0)
    with tf.GradientTape() as tape:
        _ = y * x
    assert tape.watched_variables() == (y, x)


def test_variable_read_several_times_sums_gradients():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * 3.0 + x * x
    assert tape.gradient(y, x).numpy() == 7.0


def test_watch_rejects_non_tensors():
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError, match="can only watch tensors and variables"):
            tape.watch(3.0)


# -- persistence, nesting ----------------------------------------------------------------


def test_non_persistent_tape_allows_one_gradient_call():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(
        RuntimeError,
        match="non-persistent GradientTape can only be used to compute one set of gradients",
    ):
        tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.jacobian(y, x)


def test_persistent_tape():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * x
    assert tape.gradient(y, x).numpy() == 6.0
    assert tape.gradient(z, x).numpy() == 27.0
    assert tape.jacobian(z, x).numpy() == 27.0


@pytest.mark.parametrize("x0", [2.0, -1.5, 0.5])
def test_nested_tapes_second_derivative(x0):
    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    assert dy.numpy() == pytest.approx(3 * x0**2)
    assert d2y.numpy() == pytest.approx(6 * x0)


def test_third_derivative_of_variable():
    x = tf.Variable(2.0)
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = tf.pow(x, 4.0)
            g1 = t1.gradient(y, x)
        g2 = t2.gradient(g1, x)
    g3 = t3.gradient(g2, x)
    assert (g1.numpy(), g2.numpy(), g3.numpy()) == (32.0, 48.0, 48.0)


def test_reentering_a_tape_keeps_recording():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    with tape:
        z = y * x
    assert tape.gradient(z, x).numpy() == 27.0


# -- targets, sources, output gradients ----------------------------------------------------


def test_list_target_and_nested_sources():
    x, y = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        a = x * y
        b = x + y
    g = tape.gradient([a, b], {"x": x, "y": [y]})
    assert set(g) == {"x", "y"} and isinstance(g["y"], list)
    assert g["x"].numpy() == 3.0 and g["y"][0].numpy() == 2.0


def test_same_source_twice():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x)
    g1, g2 = tape.gradient(y, [x, x])
    assert g1.numpy().tolist() == g2.numpy().tolist() == [2.0, 4.0]


def test_output_gradients():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = x * 3.0
    g = tape.gradient(y, x, output_gradients=tf.constant([10.0, 100.0]))
    assert g.numpy().tolist() == [20.0, 400.0]
    g = tape.gradient(
        [y, z], x, output_gradients=[tf.constant([1.0, 0.0]), tf.constant([0.0, 1.0])]
    )
    assert g.numpy().tolist() == [2.0, 3.0]
    with pytest.raises(ValueError, match="output gradients for 2 targets"):
        tape.gradient([y, z], x, output_gradients=[tf.constant([1.0, 0.0])])


def test_unconnected_gradients():
    x, y = tf.Variable(2.0), tf.Variable([5.0, 1.0])
    with tf.GradientTape(persistent=True) as tape:
        z = x * 3.0
    gx, gy = tape.gradient(z, [x, y])
    assert gx.numpy() == 3.0 and gy is None
    for mode in ("zero", tf.UnconnectedGradients.ZERO):
        gx, gy = tape.gradient(z, [x, y], unconnected_gradients=mode)
        assert gx.numpy() == 3.0
        assert gy.dtype is tf.float32 and gy.numpy().tolist() == [0.0, 0.0]
    assert tape.gradient(z, y, unconnected_gradients=tf.UnconnectedGradients.NONE) is None
    assert tape.gradient(z, y, unconnected_gradients="none") is None
    with pytest.raises(ValueError, match="Unknown value for unconnected_gradients: 'bogus'"):
        tape.gradient(z, y, unconnected_gradients="bogus")


def test_integer_sources_and_targets_get_none():
    x = tf.constant(3)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        _ = v * 2.0
    assert tape.gradient(tf.constant(2), v) is None


def test_constant_target_gets_none():
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = tf.constant(2.0)
    assert tape.gradient(y, x) is None


def test_sources_must_be_tensors():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x + 0.0
    with pytest.raises(TypeError, match="sources must be tensors or variables"):
        tape.gradient(y, 5.0)


def test_float64_gradients_keep_dtype():
    x = tf.constant([1.0, 2.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x)
    g = tape.gradient(y, x)
    assert g.dtype is tf.float64 and g.numpy().tolist() == [2.0, 4.0]


# -- recording control -----------------------------------------------------------------------


def test_stop_recording():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        with tape.stop_recording():
            z = y * x
        w = z * 2.0
        v = y * 2.0
    assert tape.gradient([w, v], x).numpy() == 12.0
    with pytest.raises(ValueError, match="Tape is not recording"):
        with tape.stop_recording():
            pass


def test_reset():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        _ = x * x
        tape.reset()
        z = x * 5.0
    assert tape.gradient(z, x).numpy() == 5.0


def test_tape_stack_is_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with tf.GradientTape():
            1 / 0  # noqa: B018
    assert not context.state.recording_tapes


def test_stop_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stop_gradient(x * x) * x
    assert tape.gradient(y, x).numpy() == 9.0


# -- custom_gradient -------------------------------------------------------------------------


def test_custom_gradient():
    @tf.custom_gradient
    def f(x):
        def grad(dy):
            return dy * 100.0

        return x * x, grad

    x = tf.constant(3.0)
    assert f(x).numpy() == 9.0  # no tape: just the forward value
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert y.numpy() == 9.0
    assert tape.gradient(y, x).numpy() == 100.0


def test_custom_gradient_with_two_inputs():
    @tf.custom_gradient
    def f(a, b):
        return a * b, lambda dy: (dy * 2.0, dy * 3.0)

    a, b = tf.constant(1.0), tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = f(a, b) * 10.0
    ga, gb = tape.gradient(y, [a, b])
    assert (ga.numpy(), gb.numpy()) == (20.0, 30.0)


def test_custom_gradient_with_variables():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def f(x):
        def grad(dy, variables=None):
            assert variables == [v] or variables[0] is v
            return dy * 10.0, [dy * 7.0]

        return x * v, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    gx, gv = tape.gradient(y, [x, v])
    assert y.numpy() == 6.0 and (gx.numpy(), gv.numpy()) == (10.0, 7.0)


def test_custom_gradient_with_variables_needs_variables_argument():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def f(x):
        return x * v, lambda dy: dy

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with pytest.raises(TypeError, match="must accept a keyword argument 'variables'"):
            f(x)


def test_custom_gradient_clips_gradient_norm():
    @tf.custom_gradient
    def clip_gradient(x):
        return tf.identity(x), lambda dy: dy * 0.5

    x = tf.Variable(4.0)
    with tf.GradientTape() as tape:
        y = clip_gradient(x) * 3.0
    assert tape.gradient(y, x).numpy() == 1.5


# -- jacobians -------------------------------------------------------------------------------


def test_jacobian():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    j = tape.jacobian(y, x)
    np.testing.assert_array_equal(j.numpy(), np.diag([2.0, 4.0, 6.0]))


def test_jacobian_of_matrix_variable_against_hand_computed():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    a = tf.constant([[1.0, -1.0], [0.5, 2.0]])
    with tf.GradientTape() as tape:
        y = tf.matmul(a, w)
    j = tape.jacobian(y, w)
    assert j.shape == [2, 2, 2, 2]
    expected = np.einsum("ik,jl->ijkl", a.numpy(), np.eye(2))  # dy[i,j]/dw[k,l] = a[i,k] d_jl
    np.testing.assert_allclose(j.numpy(), expected)


def test_jacobian_of_several_sources_and_unconnected():
    x = tf.constant([1.0, 2.0])
    s = tf.constant(2.0)
    other = tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, s, other])
        y = x * s
    jx, js = tape.jacobian(y, [x, s])
    np.testing.assert_array_equal(jx.numpy(), [[2.0, 0.0], [0.0, 2.0]])
    np.testing.assert_array_equal(js.numpy(), [1.0, 2.0])
    assert tape.jacobian(y, other) is None
    assert tape.jacobian(y, other, unconnected_gradients="zero").numpy().tolist() == [0.0, 0.0]


def test_batch_jacobian():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    w = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.matmul(x, w)
        z = x * x
    bj = tape.batch_jacobian(y, x)
    assert bj.shape == [2, 3, 2]
    np.testing.assert_array_equal(bj.numpy(), np.stack([w.numpy().T, w.numpy().T]))
    bz = tape.batch_jacobian(z, x)
    np.testing.assert_array_equal(bz.numpy(), [np.diag([2.0, 4.0]), np.diag([6.0, 8.0])])
    with pytest.raises(ValueError, match="first \\(batch\\) dimension"):
        tape.batch_jacobian(y, tf.constant([[1.0], [2.0], [3.0]]))


# -- sparse gradients ------------------------------------------------------------------------


def test_gather_gradient_is_indexed_slices():
    params = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as tape:
        rows = tf.gather(params, [0, 2, 0])
        loss = tf.reduce_sum(rows * 2.0)
    g = tape.gradient(loss, params)
    assert isinstance(g, tf.IndexedSlices)
    dense = [[4.0, 4.0], [0.0, 0.0], [2.0, 2.0]]
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), dense)
    np.testing.assert_array_equal((g + tf.zeros([3, 2])).numpy(), dense)
    np.testing.assert_array_equal(np.asarray(g), dense)


def test_indexed_slices_sum_with_dense_gradient():
    params = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.gather(params, [1])) + tf.reduce_sum(params * params)
    g = tape.gradient(loss, params)
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), [2.0, 5.0, 6.0])


# -- finite differences ----------------------------------------------------------------------


def test_composite_function_matches_finite_differences():
    def f(x, w):
        return tf.matmul(x * x, w) / (w + 3.0)

    check_gradients(
        f, [np.array([[0.5, -1.0], [2.0, 0.3]]), np.array([[1.0, 2.0], [0.5, 1.5]])], order=2
    )


def test_custom_gradient_variable_argument_is_an_input():
    @tf.custom_gradient
    def f(x, scale):
        return x * scale, lambda dy: (dy * 0.5, dy * 0.25)

    x = tf.Variable(4.0)
    with tf.GradientTape() as tape:
        y = f(x, tf.constant(2.0)) * 3.0
    assert tape.gradient(y, x).numpy() == 1.5


def test_custom_gradient_several_outputs_and_nested_tapes():
    @tf.custom_gradient
    def two(x):
        return [x * 2.0, x * 3.0], lambda d1, d2: d1 + d2

    @tf.custom_gradient
    def double(x):
        return x * 2.0, lambda dy: dy * 5.0

    x = tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        a, b = two(x)
        z = a + b * 10.0
    assert tape.gradient(z, x).numpy() == 11.0
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = double(x) * x
        g = t1.gradient(y, x)
    assert g.numpy() == 28.0  # 5 * dy (dy = x) + double(x)
    assert t2.gradient(g, x).numpy() == 10.0  # 5 through dy = x, 5 through double(x)
