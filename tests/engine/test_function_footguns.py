"""Every tf.function tracing pitfall we know of, pinned by a test.

Each test shows a behaviour that surprises users coming from eager code, as it
is today (the same as TensorFlow unless the test says otherwise), so a change
to any of them is a deliberate decision. Tracing runs the Python function once
per cache key; the graph it records is what later calls run.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import tensorflux as tf

do_not_convert = tf.autograph.experimental.do_not_convert


def _count(fn) -> int:
    return fn.experimental_get_tracing_count()


# -- what is frozen at trace time -----------------------------------------------------


def test_python_side_effects_run_only_while_tracing(capsys):
    log = []

    @tf.function
    def f(x):
        log.append("called")
        print("python print")
        tf.print("tf.print")
        return x

    for _ in range(3):
        f(tf.constant(1))
    assert log == ["called"]
    out = capsys.readouterr()
    assert out.out == "python print\n" and out.err == "tf.print\n" * 3


def test_python_globals_are_frozen_at_trace_time():
    scale = {"value": 2.0}
    f = tf.function(lambda x: x * scale["value"])
    assert f(tf.constant(1.0)).numpy() == 2.0
    scale["value"] = 10.0
    assert f(tf.constant(1.0)).numpy() == 2.0  # still the traced constant


def test_closed_over_tensors_are_constants_but_variables_are_read_each_call():
    state = {"t": tf.constant(1.0)}
    v = tf.Variable(1.0)
    f = tf.function(lambda x: x * state["t"] + v)
    assert f(tf.constant(1.0)).numpy() == 2.0
    state["t"] = tf.constant(100.0)
    v.assign(5.0)
    assert f(tf.constant(1.0)).numpy() == 6.0  # the new Variable value, the old tensor


def test_numpy_randomness_is_frozen_but_tf_random_is_drawn_per_call():
    @tf.function
    def f():
        return tf.constant(np.random.rand()), tf.random.uniform([])

    (np1, tf1), (np2, tf2) = f(), f()
    assert np1.numpy() == np2.numpy()
    assert tf1.numpy() != tf2.numpy()


def test_mutating_an_argument_object_does_not_retrace():
    class Config:
        scale = 2.0

    config = Config()
    f = tf.function(lambda x, c: x * c.scale)
    assert f(tf.constant(1.0), config).numpy() == 2.0
    config.scale = 3.0
    assert f(tf.constant(1.0), config).numpy() == 2.0
    assert _count(f) == 1
    fresh = Config()
    fresh.scale = 3.0
    assert f(tf.constant(1.0), fresh).numpy() == 3.0  # a new object is a new key


def test_value_objects_are_keyed_by_equality():
    @dataclasses.dataclass(frozen=True)
    class Options:
        power: int

    f = tf.function(lambda x, o: x**o.power)
    assert f(tf.constant(2.0), Options(3)).numpy() == 8.0
    assert f(tf.constant(2.0), Options(3)).numpy() == 8.0
    assert _count(f) == 1


def test_returned_python_values_are_trace_time_constants():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x + 1, len(calls)

    assert f(tf.constant(1))[1] == 1
    assert f(tf.constant(2))[1] == 1


def test_returning_a_variable_returns_its_value():
    v = tf.Variable(1.0)
    out = tf.function(lambda: v)()
    assert not isinstance(out, tf.Variable) and out.numpy() == 1.0


def test_python_checks_run_only_while_tracing():
    @tf.function
    def f(x):
        if x.shape[0] != 2:  # static shape: a Python decision made per trace
            raise ValueError("want 2 elements")
        return x

    f(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="want 2"):
        f(tf.constant([1.0]))


# -- what retraces ---------------------------------------------------------------------


def test_python_numbers_retrace_per_value_tensors_do_not():
    f = tf.function(lambda x: x + 1)
    for i in range(4):
        f(i)
    assert _count(f) == 4
    g = tf.function(lambda x: x + 1)
    for i in range(4):
        g(tf.constant(i))
    assert _count(g) == 1


def test_len_of_a_symbolic_tensor_is_refused_as_in_tf():
    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def f(x):
        return tf.zeros([len(x)])

    with pytest.raises(TypeError, match=r"len is not well defined .*tf.shape\(x\)\[0\]"):
        f(tf.ones([2, 4]))


def test_equal_python_scalars_share_a_trace_as_in_tf():
    # TF keys Python scalars by value: f(2) reuses the trace made for f(2.0).
    f = tf.function(lambda x: tf.constant(x) * 2)
    assert f(1).dtype == tf.int32 and f(1.0).dtype == tf.int32
    assert f(2.0).numpy() == 4.0 and f(2).dtype == tf.float32
    assert _count(f) == 2


def test_python_float_and_tensor_arguments_trace_separately():
    f = tf.function(lambda x: x * 2)
    f(1.0)
    f(tf.constant(1.0))
    assert _count(f) == 2


def test_input_signature_none_dims_trace_once_and_show_unknown_sizes():
    # As in TF: the trace sees the signature's partial shape, and one graph serves all sizes.
    log = []

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        log.append(x.shape[0])
        return x * 2.0

    for n in (1, 2, 2, 3):
        np.testing.assert_array_equal(f(tf.ones([n])).numpy(), np.full(n, 2.0))
    assert log == [None] and _count(f) == 1


# -- variables ---------------------------------------------------------------------------


def test_variable_created_on_every_call_is_an_error():
    # As in TF: a first trace that creates variables is traced again, and that second
    # trace (the function's graph) must not create any.
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return tf.Variable(x) * 2.0

    with pytest.raises(ValueError, match="only supports singleton tf.Variables created on the"):
        f(tf.constant(1.0))
    assert len(traces) == 2


def test_variable_created_on_a_later_trace_is_an_error():
    made = []

    @tf.function
    def f(x):
        if x.shape.rank == 1 or not made:
            made.append(tf.Variable(1.0))
        return made[0] * x

    assert f(tf.constant(1.0)).numpy() == 1.0  # the first trace may create variables
    with pytest.raises(ValueError, match="only supports singleton tf.Variables created on the"):
        f(tf.constant([1.0, 2.0]))


def test_variable_guarded_by_none_check_is_created_once():
    class Model:
        def __init__(self):
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                self.w = tf.Variable(tf.ones([x.shape[-1]]))
            return x * self.w

    m = Model()
    m(tf.ones([2]))
    first = m.w
    m(tf.ones([3, 2]))
    assert m.w is first and _count(m.__call__) == 2


def test_assignments_inside_a_function_happen_on_every_call():
    v = tf.Variable(0)
    f = tf.function(lambda: v.assign_add(1))
    for _ in range(3):
        f()
    assert v.numpy() == 3


# -- symbolic tensors -----------------------------------------------------------------------


def test_numpy_on_a_symbolic_tensor_is_an_attribute_error():
    f = tf.function(lambda x: x.numpy())
    with pytest.raises(AttributeError, match="'SymbolicTensor' object has no attribute 'numpy'"):
        f(tf.constant(1.0))


@pytest.mark.parametrize("use", [bool, float, int, lambda t: [1, 2, 3][t]])
def test_symbolic_tensor_as_a_python_value_is_refused(use):
    f = tf.function(lambda x: use(x))
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="symbolic"):
        f(tf.constant(1))


def test_python_if_on_a_tensor_in_unconverted_code_is_refused():
    @do_not_convert
    def relu(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(TypeError, match="as a Python `bool` is not allowed") as e:
        tf.function(relu)(tf.constant(2.0))
    assert isinstance(e.value, tf.errors.OperatorNotAllowedInGraphError)
    assert "tf.cond" in str(e.value)
    assert relu(tf.constant(-2.0)).numpy() == 2.0  # fine eagerly


def test_a_leaked_symbolic_tensor_cannot_be_used_elsewhere():
    leaked = []

    @tf.function
    def f(x):
        y = x * 2.0
        leaked.append(y)
        return y

    assert f(tf.constant(1.0)).numpy() == 2.0
    assert "shape=() dtype=float32" in repr(leaked[0])
    with pytest.raises(TypeError, match="leaked out of the tf.function"):
        leaked[0] + 1.0
    g = tf.function(lambda x: x + leaked[0])
    with pytest.raises(TypeError, match="leaked out of the function"):
        g(tf.constant(1.0))


def test_shape_errors_surface_at_trace_time_naming_op_and_shapes():
    # As TF's graph construction: a ValueError while tracing, before anything runs.
    f = tf.function(lambda x: tf.matmul(x, x))
    with pytest.raises(ValueError, match=r"\[2,3\].*MatMul"):
        f(tf.ones([2, 3]))
    g = tf.function(lambda x: x + tf.ones([4]))
    with pytest.raises(ValueError) as e:
        g(tf.ones([3]))
    assert "AddV2" in str(e.value) and "[3]" in str(e.value) and "[4]" in str(e.value)
    assert _count(f) == 0  # the failed trace is not cached


def test_tape_inside_does_not_see_tapes_outside_during_tracing():
    # The outer tape sees the call as a whole (replayed op by op), not the trace.
    x = tf.constant(3.0)
    f = tf.function(lambda x: x * x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert tape.gradient(y, x).numpy() == 6.0
