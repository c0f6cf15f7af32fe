"""tf.py_function and tf.numpy_function: eager, in tf.function, in Dataset.map."""

import numpy as np
import pytest

import tensorflux as tf


def test_py_function_eager():
    out = tf.py_function(lambda x: x * 2, [tf.constant(3)], tf.int32)
    assert out.dtype == tf.int32 and int(out) == 6
    a, b = tf.py_function(lambda x, y: (x, y), [1, 2.0], [tf.int32, tf.float32])
    assert (a.dtype, b.dtype) == (tf.int32, tf.float32)
    assert tf.py_function(lambda: None, [], []) == []
    single = tf.py_function(lambda x: x, [tf.constant(1)], Tout=[tf.int32])
    assert isinstance(single, list) and int(single[0]) == 1


def test_py_function_sees_eager_values_and_converts():
    seen = []

    def f(x):
        seen.append(x.numpy().tolist())
        return x.numpy() * 10

    out = tf.py_function(f, [tf.constant([1, 2])], tf.int64)
    assert out.numpy().tolist() == [10, 20] and seen == [[1, 2]]
    with pytest.raises(TypeError, match="Cannot convert 2.5 to EagerTensor of dtype int32"):
        tf.py_function(lambda x: 2.5, [tf.constant(3)], tf.int32)


def test_py_function_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.py_function(lambda v: v * v, [x], tf.float32)
    assert float(tape.gradient(y, x)) == pytest.approx(6.0)


def test_numpy_function():
    out = tf.numpy_function(lambda x: x * 2, [np.int64(3)], tf.int64)
    assert out.dtype == tf.int64 and int(out) == 6
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="0-th value returned by pyfunc is float64, but expects float32",
    ):
        tf.numpy_function(lambda x: np.float64(2.5), [np.int64(3)], tf.float32)


def test_inside_tf_function_runs_python_on_every_call():
    calls = []

    @tf.function
    def f(x):
        return tf.numpy_function(lambda v: calls.append(1) or v + 1, [x], tf.int32)

    assert f(tf.constant([1, 2])).numpy().tolist() == [2, 3]
    assert f(tf.constant([5, 2])).numpy().tolist() == [6, 3]
    assert f.experimental_get_tracing_count() == 1
    assert len(calls) == 3  # once while tracing (to learn shapes), then per call


def test_unused_py_function_still_runs_in_a_graph():
    calls = []

    @tf.function
    def f(x):
        tf.py_function(lambda v: calls.append(1) or v, [x], tf.float32)
        return x + 1.0

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    assert len(calls) == 3


def test_function_without_outputs_is_not_run_while_tracing():
    calls = []

    @tf.function
    def f(x):
        tf.py_function(lambda v: calls.append(float(v)), [x], [])
        return x + 1.0

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    assert calls == [1.0, 2.0]  # TF calls it once per run, never while tracing


def test_escape_hatch_in_dataset_map():
    ds = tf.data.Dataset.range(3).map(
        lambda x: tf.py_function(lambda v: v.numpy() * 10, [x], tf.int64)
    )
    assert list(ds.as_numpy_iterator()) == [0, 10, 20]
    assert ds.element_spec.dtype == tf.int64


def test_function_failing_on_trace_examples_still_traces():
    def read(path):
        return path.numpy().decode().upper()

    ds = tf.data.Dataset.from_tensor_slices(["ab", "c"]).map(
        lambda p: tf.py_function(lambda s: read(s) if s.numpy() else 1 / 0, [p], tf.string)
    )
    assert list(ds.as_numpy_iterator()) == [b"AB", b"C"]


def test_errors():
    with pytest.raises(TypeError, match="Expected func to be callable"):
        tf.py_function(3, [], tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="returned 2 values"):
        tf.py_function(lambda: (1, 2), [], [tf.int32])


def test_py_function_gradient_matches_finite_differences():
    from tensorflux.testing import check_gradients

    check_gradients(
        lambda x: tf.py_function(lambda t: tf.sin(t) * t, [x], tf.float64),
        [np.array([0.3, -1.1, 2.0])],
    )
