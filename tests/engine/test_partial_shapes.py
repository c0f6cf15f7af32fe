"""tf.function with partly known shapes: one graph for every size a signature admits."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_one_graph

ROWS = tf.TensorSpec([None, 4], tf.float32)


def _rows(n, seed=0):
    return tf.constant(np.random.default_rng(seed).normal(size=(n, 4)).astype(np.float32))


# -- static shapes seen while tracing --------------------------------------------------


def test_signature_dims_are_unknown_while_tracing_as_in_tf():
    seen = {}

    @tf.function(input_signature=[ROWS])
    def f(x):
        seen["x"] = x.shape
        seen["y"] = (tf.matmul(x, tf.ones([4, 3])) + 1.0).shape
        seen["sum0"] = tf.reduce_sum(x, 0).shape
        seen["shape"] = tf.shape(x).shape
        return x

    f(_rows(2))
    assert seen["x"].as_list() == [None, 4]
    assert seen["y"].as_list() == [None, 3]
    assert seen["sum0"].as_list() == [4]
    assert seen["shape"].as_list() == [2]


def test_shapes_built_from_tf_shape_keep_the_sizes_tracing_knows():
    seen = {}

    @tf.function(input_signature=[ROWS])
    def f(x):
        seen["zeros"] = tf.zeros([tf.shape(x)[1], tf.shape(x)[0]]).shape
        seen["like"] = tf.zeros(tf.shape(x)).shape
        seen["reshape"] = tf.reshape(x, [tf.shape(x)[0], 2, tf.shape(x)[1] // 2]).shape
        return x

    f(_rows(3))
    assert seen["zeros"].as_list() == [4, None]
    assert seen["like"].as_list() == [None, 4]
    assert seen["reshape"].as_list() == [None, 2, None]


def test_data_dependent_shapes_are_unknown_while_tracing():
    seen = {}

    @tf.function
    def f(x):
        seen["where"] = tf.where(x > 0).shape
        seen["unique"] = tf.unique(x)[0].shape
        return x

    f(tf.constant([1.0, -1.0, 2.0]))
    assert seen["where"].as_list() == [None, 1]
    assert seen["unique"].as_list() == [None]


def test_tf_shape_is_computed_on_every_call():
    f = check_one_graph(
        lambda x: (tf.shape(x), tf.size(x)), [ROWS], [(_rows(n),) for n in (1, 3, 5)]
    )
    np.testing.assert_array_equal(f(_rows(7))[0].numpy(), [7, 4])


# -- one trace per signature -----------------------------------------------------------


def test_python_side_effects_run_once_for_all_sizes():
    log = []

    @tf.function(input_signature=[ROWS])
    def f(x):
        log.append("traced")
        return tf.nn.relu(x) * 2.0

    for n in (1, 2, 5, 2):
        np.testing.assert_allclose(f(_rows(n)).numpy(), np.maximum(_rows(n).numpy(), 0) * 2)
    assert log == ["traced"] and f.experimental_get_tracing_count() == 1


def test_training_step_with_variables_runs_one_graph_for_every_batch_size():
    rng = np.random.default_rng(1)
    w0 = rng.normal(size=(4, 3)).astype(np.float32)

    def make():
        return tf.Variable(w0), tf.Variable(np.zeros(3, np.float32))

    def step(w, b, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.nn.sigmoid(tf.matmul(x, w) + b) - y))
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(0.5 * dw)
        b.assign_sub(0.5 * db)
        return loss

    w_g, b_g = make()
    w_e, b_e = make()
    traced = tf.function(
        lambda x, y: step(w_g, b_g, x, y),
        input_signature=[ROWS, tf.TensorSpec([None, 3], tf.float32)],
    )
    for n in (5, 1, 8, 3):
        x = _rows(n, seed=n)
        y = tf.constant(rng.uniform(size=(n, 3)).astype(np.float32))
        np.testing.assert_allclose(traced(x, y).numpy(), step(w_e, b_e, x, y).numpy(), rtol=1e-5)
    np.testing.assert_allclose(w_g.numpy(), w_e.numpy(), rtol=1e-5)
    np.testing.assert_allclose(b_g.numpy(), b_e.numpy(), rtol=1e-5)
    assert traced.experimental_get_tracing_count() == 1


def test_broadcasting_that_differs_between_calls_gives_the_eager_values_and_gradients():
    def f(x, y):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, y])
            z = tf.reduce_sum((x * 2.0 + y * 3.0) * x)
        return z, tape.gradient(z, x), tape.gradient(z, y)

    sig = [ROWS, ROWS]
    calls = [(_rows(1, 1), _rows(4, 2)), (_rows(4, 3), _rows(1, 4)), (_rows(3, 5), _rows(3, 6))]
    check_one_graph(f, sig, calls)


def test_reshape_with_a_size_computed_when_the_graph_runs():
    def f(x):
        return tf.reshape(x, [tf.shape(x)[0], 2, 2]), tf.reshape(x, [-1]), tf.reshape(x, [-1, 2])

    check_one_graph(f, [ROWS], [(_rows(n),) for n in (1, 2, 5)])


def test_reduce_retracing_generalises_after_a_second_shape():
    log = []

    @tf.function(reduce_retracing=True)
    def f(x):
        log.append(x.shape.as_list())
        return x * 2.0

    for n in (2, 3, 4, 5, 3):
        np.testing.assert_allclose(f(tf.ones([n])).numpy(), np.full(n, 2.0))
    # As TF: the first trace is exact, the second leaves the differing dimension unknown.
    assert log == [[2], [None]]
    assert f.experimental_get_tracing_count() == 2


def test_without_reduce_retracing_each_new_shape_traces():
    f = tf.function(lambda x: x * 2.0)
    for n in (2, 3, 2):
        f(tf.ones([n]))
    assert f.experimental_get_tracing_count() == 2


def test_get_concrete_function_with_none_dims_serves_every_size():
    f = tf.function(lambda x: tf.reduce_sum(x * x, axis=1))
    concrete = f.get_concrete_function(tf.TensorSpec([None, 4], tf.float32))
    assert concrete.structured_input_signature[0][0].shape.as_list() == [None, 4]
    for n in (1, 3, 6):
        x = _rows(n)
        np.testing.assert_allclose(concrete(x).numpy(), np.sum(x.numpy() ** 2, axis=1), rtol=1e-6)
    assert f.experimental_get_tracing_count() == 1


def test_shapes_outside_the_signature_are_refused():
    f = tf.function(lambda x: x, input_signature=[ROWS])
    with pytest.raises(TypeError, match="incompatible with its input_signature"):
        f(tf.ones([2, 3]))


def test_a_kernel_failing_on_unknown_sizes_names_the_op_and_shapes():
    spec = tf.TensorSpec([None, None], tf.float32)
    f = tf.function(lambda a, b: tf.matmul(a, b), input_signature=[spec, spec])
    assert f(tf.ones([2, 3]), tf.ones([3, 2])).shape == (2, 2)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"MatMul failed inside tf.function"
        r".*\(2, 3\), \(2, 2\).*traced for \(\(None, None\), \(None, None\)\)",
    ):
        f(tf.ones([2, 3]), tf.ones([2, 2]))


# -- the fallback: graphs specialised to their example shapes --------------------------


def test_code_reading_an_example_size_specialises_the_graph_and_stays_correct():
    # Python code that computes with a traced tensor's example size (here directly, as a
    # wrapper without a generic form would) makes that graph valid for that size only.
    log = []

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        log.append(x.shape.as_list())
        return x * float(x._value.shape[0])

    for n in (2, 3, 2, 3):
        np.testing.assert_allclose(f(tf.ones([n])).numpy(), np.full(n, float(n)))
    assert f.experimental_get_tracing_count() == 2
    assert log == [[None], [None]]


def test_in_place_buffers_are_not_reused_when_sizes_may_differ():
    # y * 3 is dead after the add; reusing its buffer for the sum is only right when the
    # two shapes agree, which a graph for partly known shapes cannot know at trace time.
    def f(x, y):
        return (x * 2.0) + (y * 3.0)

    calls = [(_rows(1, 1), _rows(5, 2)), (_rows(5, 3), _rows(1, 4)), (_rows(2, 5), _rows(2, 6))]
    check_one_graph(f, [ROWS, ROWS], calls)
