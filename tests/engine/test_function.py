"""tf.function: decorator forms, the trace cache, signatures, concrete functions,
variables as ordered graph nodes, and gradients inside and through functions."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients


def _count(fn) -> int:
    return fn.experimental_get_tracing_count()


# -- forms --------------------------------------------------------------------


def test_decorator_and_call_forms_agree():
    def f(x):
        return 2.0 * x + 1.0

    decorated = tf.function(f)
    with_options = tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])(f)
    for fn in (decorated, with_options):
        np.testing.assert_allclose(fn(tf.constant([1.0, 2.0])).numpy(), [3.0, 5.0])
    assert decorated.python_function is f
    assert decorated.__name__ == "f"


def test_jit_compile_without_jax_runs_on_the_executor_after_one_warning(monkeypatch):
    # As where the xla extra is not installed (JAX itself is not imported here: a test
    # process that forks later must not have started JAX's threads).
    from tensorflux.kernels import xla
    from tensorflux.kernels.xla import lowering

    monkeypatch.setattr(xla, "available", lambda: False)

    @tf.function(jit_compile=True, reduce_retracing=True)
    def f(x):
        return x * x

    with pytest.warns(lowering.XlaFallbackWarning, match=r"pip install tensorflux\[xla\]"):
        np.testing.assert_allclose(f(tf.constant([3.0])).numpy(), [9.0])
    assert not isinstance(f.get_concrete_function(tf.constant([3.0]))._run, lowering._JitRunner)
    assert tf.function(experimental_relax_shapes=True)(lambda x: x)(tf.constant(1)) == 1


def test_run_functions_eagerly_runs_python_every_call():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x.numpy() + 1

    tf.config.run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly()
        assert f(tf.constant(1)) == 2 and f(tf.constant(1)) == 2
    finally:
        tf.config.run_functions_eagerly(False)
    assert len(calls) == 2 and _count(f) == 0


# -- trace cache ----------------------------------------------------------------


def test_same_shape_and_dtype_reuse_the_trace():
    f = tf.function(lambda x: x + 1)
    f(tf.constant([1.0, 2.0]))
    f(tf.constant([5.0, 6.0]))
    assert _count(f) == 1
    f(tf.constant([1.0, 2.0, 3.0]))
    assert _count(f) == 2
    f(tf.constant([1, 2]))
    assert _count(f) == 3
    f(tf.constant([[1.0, 2.0]]))
    assert _count(f) == 4


def test_numpy_arrays_are_keyed_like_tensors():
    f = tf.function(lambda x: x * 2)
    f(tf.constant([1.0, 2.0]))
    out = f(np.array([3.0, 4.0], np.float32))
    assert _count(f) == 1
    np.testing.assert_allclose(out.numpy(), [6.0, 8.0])
    f(np.array([3.0, 4.0]))  # float64: another dtype
    assert _count(f) == 2


def test_python_scalars_retrace_per_value():
    f = tf.function(lambda x, n: x * n)
    assert f(tf.constant(2.0), 3.0).numpy() == 6.0
    assert f(tf.constant(5.0), 3.0).numpy() == 15.0
    assert _count(f) == 1
    assert f(tf.constant(2.0), 4.0).numpy() == 8.0
    assert _count(f) == 2


def test_a_different_variable_object_retraces():
    f = tf.function(lambda v: v * 2.0)
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    assert f(a).numpy() == 2.0
    a.assign(5.0)
    assert f(a).numpy() == 10.0
    assert _count(f) == 1
    assert f(b).numpy() == 4.0
    assert _count(f) == 2


def test_nested_structures_and_kwargs_are_keyed_by_their_leaves():
    @tf.function
    def f(pair, scale=1.0, config=None):
        a, b = pair
        return {"sum": (a + b) * scale, "name": config["name"]}

    out = f((tf.constant(1.0), tf.constant(2.0)), scale=2.0, config={"name": "n"})
    assert out["sum"].numpy() == 6.0 and out["name"] == "n"
    f((tf.constant(3.0), tf.constant(4.0)), scale=2.0, config={"name": "n"})
    assert _count(f) == 1
    f((tf.constant(3.0), tf.constant(4.0)), scale=2.0, config={"name": "m"})
    assert _count(f) == 2


# -- methods ----------------------------------------------------------------------


class Scaler:
    def __init__(self, k):
        self.k = tf.Variable(k)

    @tf.function
    def __call__(self, x):
        return self.k * x


def test_methods_have_per_instance_caches_and_read_self_variables():
    a, b = Scaler(2.0), Scaler(3.0)
    assert a(tf.constant(1.0)).numpy() == 2.0
    assert b(tf.constant(1.0)).numpy() == 3.0
    a.k.assign(10.0)
    assert a(tf.constant(1.0)).numpy() == 10.0
    assert _count(a.__call__) == 1 and _count(b.__call__) == 1
    assert _count(Scaler.__call__) == 0
    assert a.__call__ is a.__call__


def test_variables_created_on_the_first_trace_only():
    class Lazy:
        def __init__(self):
            self.v = None

        @tf.function
        def __call__(self, x):
            if self.v is None:
                self.v = tf.Variable(tf.ones_like(x) * 2.0)
            return self.v * x

    m = Lazy()
    assert m(tf.constant(3.0)).numpy() == 6.0
    assert m(tf.constant(4.0)).numpy() == 8.0
    assert isinstance(m.v, tf.Variable) and m.v.numpy() == 2.0


# -- input_signature --------------------------------------------------------------


def test_input_signature_with_none_dims_accepts_any_size():
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def f(x):
        return tf.reduce_sum(x, axis=1)

    np.testing.assert_allclose(f(tf.ones([3, 2])).numpy(), [2.0, 2.0, 2.0])
    np.testing.assert_allclose(f([[1.0, 2.0]]).numpy(), [3.0])
    np.testing.assert_allclose(f(np.ones((2, 2), np.float32)).numpy(), [2.0, 2.0])
    assert f.input_signature[0].shape.as_list() == [None, 2]


@pytest.mark.parametrize(
    "bad, fragment",
    [
        (tf.constant([[1, 2]]), "dtype int32"),
        (tf.ones([2, 3]), "shape (2, 3)"),
        (tf.ones([2]), "shape (2,)"),
    ],
)
def test_input_signature_rejects_wrong_dtype_or_shape(bad, fragment):
    f = tf.function(lambda x: x, input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    with pytest.raises(TypeError, match="input_signature") as e:
        f(bad)
    assert fragment in str(e.value)


def test_input_signature_rejects_wrong_arity():
    f = tf.function(lambda x: x, input_signature=[tf.TensorSpec([], tf.float32)])
    with pytest.raises(TypeError, match="1 argument"):
        f(tf.constant(1.0), tf.constant(2.0))


# -- concrete functions -------------------------------------------------------------


def test_get_concrete_function_from_tensors_and_specs():
    @tf.function
    def f(x):
        return x * x

    from_tensor = f.get_concrete_function(tf.constant([1.0, 2.0]))
    np.testing.assert_allclose(from_tensor(tf.constant([3.0, 4.0])).numpy(), [9.0, 16.0])
    from_spec = f.get_concrete_function(tf.TensorSpec([None], tf.float32))
    assert from_spec.structured_input_signature[0][0].shape.as_list() == [None]
    np.testing.assert_allclose(from_spec(tf.constant([1.0, 2.0, 3.0])).numpy(), [1, 4, 9])
    assert f.get_concrete_function(tf.TensorSpec([None], tf.float32)) is from_spec
    assert "def traced" in from_spec.pretty_printed_source()


def test_get_concrete_function_uses_the_input_signature():
    f = tf.function(lambda x: x + 1, input_signature=[tf.TensorSpec([2], tf.int32)])
    cf = f.get_concrete_function()
    np.testing.assert_array_equal(cf(tf.constant([1, 2])).numpy(), [2, 3])


@pytest.mark.parametrize(
    "bad, fragment, error",
    [
        (tf.constant([[1.0]]), "shape (1, 1)", TypeError),
        # As TF: a tensor of another dtype is an InvalidArgumentError of the call.
        (tf.constant([1, 2]), "int32", tf.errors.InvalidArgumentError),
    ],
)
def test_concrete_function_rejects_incompatible_arguments(bad, fragment, error):
    cf = tf.function(lambda x: x).get_concrete_function(tf.TensorSpec([None], tf.float32))
    with pytest.raises(error, match="ConcreteFunction") as e:
        cf(bad)
    assert fragment in str(e.value)


def test_concrete_function_lists_its_variables():
    v, frozen = tf.Variable(1.0), tf.Variable(2.0, trainable=False)
    cf = tf.function(lambda x: x * v + frozen).get_concrete_function(tf.constant(1.0))
    assert set(map(id, cf.variables)) == {id(v), id(frozen)}
    assert [id(t) for t in cf.trainable_variables] == [id(v)]


# -- Python side effects ---------------------------------------------------------------


def test_python_side_effects_happen_at_trace_time_only(capsys):
    log = []

    @tf.function
    def f(x):
        log.append(x.shape)
        print("tracing")
        tf.print("running", x)
        return x + 1

    for value in (1, 2, 3):
        f(tf.constant(value))
    captured = capsys.readouterr()
    assert captured.out == "tracing\n"
    assert captured.err == "running 1\nrunning 2\nrunning 3\n"
    assert len(log) == 1


# -- variables as ordered graph nodes -------------------------------------------------


def test_assign_sub_takes_effect_on_every_call():
    v = tf.Variable(10.0)

    @tf.function
    def step():
        v.assign_sub(1.0)

    for _ in range(3):
        step()
    assert v.numpy() == 7.0 and _count(step) == 1


def test_reads_and_assignments_keep_program_order():
    v = tf.Variable(5.0)

    @tf.function
    def f():
        before = v.read_value()
        v.assign_sub(1.0)
        after_sub = v.read_value()
        v.assign(after_sub * 2.0)
        return before, after_sub, v.read_value()

    assert [t.numpy() for t in f()] == [5.0, 4.0, 8.0]
    assert [t.numpy() for t in f()] == [8.0, 7.0, 14.0]
    assert v.numpy() == 14.0


def test_closed_over_variables_are_read_when_the_graph_runs():
    a = tf.Variable([[1.0, 0.0], [0.0, 1.0]])
    b = tf.constant([[1.0], [1.0]])
    f = tf.function(lambda x: a @ x + b)
    x = np.ones((2, 1), np.float32)
    np.testing.assert_allclose(f(x).numpy(), [[2.0], [2.0]])
    a.assign([[2.0, 0.0], [0.0, 3.0]])
    np.testing.assert_allclose(f(x).numpy(), [[3.0], [4.0]])
    assert _count(f) == 1


# -- gradients ------------------------------------------------------------------------


def test_gradient_tape_inside_the_function_updates_variables():
    w = tf.Variable([1.0, 2.0])

    @tf.function
    def train(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * x) ** 2
        grad = tape.gradient(loss, w)
        w.assign_sub(0.1 * grad)
        return loss, grad

    loss, grad = train(tf.constant([1.0, 1.0]))
    assert loss.numpy() == 9.0
    np.testing.assert_allclose(grad.numpy(), [6.0, 6.0])
    np.testing.assert_allclose(w.numpy(), [0.4, 1.4], rtol=1e-6)
    loss, _ = train(tf.constant([1.0, 1.0]))
    assert loss.numpy() == pytest.approx(1.8**2)
    assert _count(train) == 1


def test_tape_outside_differentiates_through_a_call():
    f = tf.function(lambda x, y: tf.reduce_sum(tf.sin(x) * y))
    check_gradients(f, [np.array([0.3, -1.2]), np.array([2.0, 0.5])])
    v = tf.Variable([0.5, 1.5], dtype=tf.float64)
    with tf.GradientTape() as tape:
        out = f(v, tf.constant([1.0, 2.0], tf.float64))
    np.testing.assert_allclose(tape.gradient(out, v).numpy(), np.cos([0.5, 1.5]) * [1, 2])


def test_tape_outside_reaches_variables_read_inside_cond_and_while():
    w = tf.Variable(3.0, dtype=tf.float64)

    def model(x):
        y = tf.cond(x > 0, lambda: w * x, lambda: w * w)
        _, z = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, a * w), [0, x])
        return y + z

    traced = tf.function(model)
    for x in (2.0, -2.0):
        grads = []
        for fn in (model, traced):
            with tf.GradientTape() as tape:
                out = fn(tf.constant(x, tf.float64))
            grads.append(tape.gradient(out, w).numpy())
        assert grads[0] == grads[1] == pytest.approx(2 * x * 3 + (x if x > 0 else 6))


def test_tape_inside_reaches_variables_read_inside_cond_and_while():
    w = tf.Variable(3.0)

    @tf.function
    def grad_w(x):
        with tf.GradientTape() as tape:
            y = tf.cond(x > 0, lambda: w * x, lambda: w * w)
            _, z = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, a * w), [0, x])
            total = y + z
        return tape.gradient(total, w)

    assert grad_w(tf.constant(2.0)).numpy() == 14.0
    assert grad_w(tf.constant(-2.0)).numpy() == -6.0


def test_nested_functions_are_inlined_and_differentiable():
    @tf.function
    def inner(x):
        return x * x

    @tf.function
    def outer(x):
        return inner(x) + inner(2.0 * x)

    assert outer(tf.constant(3.0)).numpy() == 45.0
    # As TF 2.21 counts: inner is traced once inside outer, and reused when called alone.
    assert _count(outer) == 1 and _count(inner) == 1
    assert inner(tf.constant(3.0)).numpy() == 9.0 and _count(inner) == 1
    check_gradients(outer, [np.array([0.5, -1.5])])
    check_gradients(outer, [np.array(0.7)], order=2)


def test_tape_outside_differentiates_a_gradient_computed_inside():
    @tf.function
    def slope(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x**3
        return tape.gradient(y, x)

    x = tf.constant(1.5)
    with tf.GradientTape() as outer:
        outer.watch(x)
        g = slope(x)
    assert g.numpy() == pytest.approx(3 * 1.5**2)
    assert outer.gradient(g, x).numpy() == pytest.approx(6 * 1.5)


def test_assignment_through_a_variable_argument_under_an_outer_tape():
    def update(v, x):
        v.assign_add(x)
        return v * x

    results = []
    for fn in (update, tf.function(update)):
        v = tf.Variable(2.0)
        with tf.GradientTape() as tape:
            out = fn(v, tf.constant(3.0))
        results.append((out.numpy(), v.numpy(), tape.gradient(out, v).numpy()))
    assert results[0] == results[1] == (15.0, 5.0, 3.0)


# -- structures ---------------------------------------------------------------------------


def test_nested_input_signature_converts_python_values():
    @tf.function(input_signature=[(tf.TensorSpec([None]), tf.TensorSpec([]))])
    def scale(pair):
        values, factor = pair
        return values * factor

    np.testing.assert_allclose(scale(([1.0, 2.0, 3.0], 2.0)).numpy(), [2.0, 4.0, 6.0])
    with pytest.raises(TypeError, match="structure of its input_signature"):
        scale((tf.constant([1.0]),))


def test_keyword_tensors_outputs_of_any_structure_and_none():
    @tf.function
    def f(x, *, y):
        return x, [x - y, {"y": y}], None, "tag"

    x, (diff, d), none, tag = f(tf.constant(1.0), y=tf.constant(3.0))
    assert (x.numpy(), diff.numpy(), d["y"].numpy(), none, tag) == (1.0, -2.0, 3.0, None, "tag")
    f(tf.constant(5.0), y=tf.constant(1.0))
    assert _count(f) == 1
    assert tf.function(lambda: None)() is None


def test_random_ops_in_branches_draw_when_the_branch_runs():
    f = tf.function(
        lambda x: tf.cond(x > 0, lambda: tf.random.uniform([]), lambda: tf.constant(-1.0))
    )
    a, b = f(tf.constant(1)).numpy(), f(tf.constant(1)).numpy()
    assert a != b and 0.0 <= a < 1.0
    assert f(tf.constant(-1)).numpy() == -1.0


def test_shapes_of_traced_inputs_are_constants_of_the_trace():
    @tf.function
    def noise_like(x):
        return tf.zeros(tf.shape(x)) + tf.cast(tf.size(x), tf.float32)

    np.testing.assert_array_equal(noise_like(tf.ones([3])).numpy(), [3.0, 3.0, 3.0])
    np.testing.assert_array_equal(noise_like(tf.ones([2, 2])).numpy(), [[4.0, 4.0]] * 2)


def test_data_dependent_shapes_stay_symbolic():
    @tf.function
    def counted(n, v):
        r = tf.range(n)
        return tf.zeros(tf.shape(r)), tf.ones(tf.shape(r)) * v, tf.size(r)

    for n in (2, 5):
        zeros, filled, size = counted(tf.constant(n), tf.constant(1.5))
        assert zeros.shape == (n,) and int(size) == n
        np.testing.assert_array_equal(filled.numpy(), [1.5] * n)
    assert counted.experimental_get_tracing_count() == 1


def test_fill_value_is_differentiable():
    check_gradients(lambda v: tf.fill(tf.constant([2, 3]), v) * v, [np.array(0.7)], order=2)


def test_scalar_string_add_inside_function_as_eagerly():
    @tf.function
    def join(x, y):
        z = x + y
        return z + "!", "<" + z, tf.strings.length(z)

    a, b = tf.constant("ab"), tf.constant("cde")
    assert (a + b).numpy() == b"abcde"
    out = join(a, b)
    assert [t.numpy() for t in out] == [b"abcde!", b"<abcde", 5]
    assert out[0].dtype == tf.string and out[0].shape == ()
    with tf.GradientTape():  # tapes make the graph replay op by op
        assert join(a, b)[0].numpy() == b"abcde!"


def test_two_threads_calling_with_one_new_signature_trace_it_once():
    import threading
    import time

    tracing, b_calls = threading.Event(), threading.Event()

    @tf.function
    def f(x):
        tracing.set()
        # Hold the trace until the other thread has made its call (it then waits for
        # this trace instead of tracing the same signature again).
        b_calls.wait(5)
        time.sleep(0.1)
        return x + 1.0

    results = {}
    a = threading.Thread(target=lambda: results.setdefault("a", f(tf.constant([1.0]))))
    a.start()
    assert tracing.wait(5)

    def call_b():
        b_calls.set()
        results["b"] = f(tf.constant([2.0]))

    b = threading.Thread(target=call_b)
    b.start()
    a.join(5)
    b.join(5)
    assert _count(f) == 1
    assert float(results["a"][0]) == 2.0 and float(results["b"][0]) == 3.0


def test_many_exact_traces_then_a_relaxed_one_still_serve_their_shapes():
    f = tf.function(lambda x: x * 2.0)
    for n in range(1, 30):
        f(tf.ones([n]))
    assert _count(f) == 29
    g = f.get_concrete_function(tf.TensorSpec([None], tf.float32))
    assert g(tf.ones([40])).shape == (40,)
    for n in (1, 17, 29):
        np.testing.assert_allclose(f(tf.ones([n])).numpy(), np.full(n, 2.0))
    assert _count(f) == 30
