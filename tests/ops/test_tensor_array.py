"""tf.TensorArray: eager list semantics (checked against TF 2.21) and graph loops that
carry it, with gradients through stack()."""

import numpy as np
import pytest

import tensorflux as tf

# -- eager --------------------------------------------------------------------------


def test_write_read_stack_eagerly():
    ta = tf.TensorArray(tf.float32, size=3)
    ta = ta.write(0, [1.0, 2.0]).write(2, [5.0, 6.0])
    np.testing.assert_array_equal(ta.stack(), [[1.0, 2.0], [0.0, 0.0], [5.0, 6.0]])
    np.testing.assert_array_equal(ta.read(2), [5.0, 6.0])
    assert int(ta.size()) == 3 and ta.size().dtype == tf.int32
    assert ta.element_shape == tf.TensorShape([2]) and ta.dtype == tf.float32


def test_eager_write_updates_in_place_as_tf():
    ta = tf.TensorArray(tf.float32, size=2)
    ta.write(0, 1.0)
    ta.write(1, 2.0)
    np.testing.assert_array_equal(ta.stack(), [1.0, 2.0])


def test_dynamic_size_grows():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    ta = ta.write(3, 1.0)
    assert int(ta.size()) == 4
    np.testing.assert_array_equal(ta.stack(), [0.0, 0.0, 0.0, 1.0])


def test_unstack_scatter_gather_concat():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True).unstack([[1.0, 2.0], [3.0, 4.0]])
    assert int(ta.size()) == 2
    np.testing.assert_array_equal(ta.read(1), [3.0, 4.0])
    ta = tf.TensorArray(tf.float32, size=3).scatter([0, 2], [[1.0], [2.0]])
    np.testing.assert_array_equal(ta.stack(), [[1.0], [0.0], [2.0]])
    np.testing.assert_array_equal(ta.gather([2, 0]), [[2.0], [1.0]])
    ta = tf.TensorArray(tf.float32, size=2, infer_shape=False)
    ta = ta.write(0, [1.0]).write(1, [2.0, 3.0])
    np.testing.assert_array_equal(ta.concat(), [1.0, 2.0, 3.0])


def test_element_shape_argument_and_empty_array():
    ta = tf.TensorArray(tf.float32, size=2, element_shape=[2])
    np.testing.assert_array_equal(ta.stack(), np.zeros((2, 2)))
    assert tf.TensorArray(tf.float32, size=0).stack().shape == tf.TensorShape([0])


@pytest.mark.parametrize(
    "make, exc, match",
    [
        (
            lambda: tf.TensorArray(tf.float32, size=2).write(5, 1.0),
            tf.errors.OutOfRangeError,
            "Tried to write to index 5 but array is not resizeable and size is: 2",
        ),
        (
            lambda: tf.TensorArray(tf.float32, size=2).write(0, tf.constant(1)),
            tf.errors.InvalidArgumentError,
            "TensorArray dtype is float32 but Op is trying to write dtype int32",
        ),
        (
            lambda: (
                tf.TensorArray(tf.float32, size=3).write(0, [1.0, 2.0]).write(1, [1.0, 2.0, 3.0])
            ),
            ValueError,
            r"Incompatible shape for value \(\(3,\)\), expected \(\(2,\)\)",
        ),
        (
            lambda: tf.TensorArray(tf.float32, size=2).read(1),
            ValueError,
            "element shape is unknown",
        ),
    ],
)
def test_eager_errors(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_clear_after_read_eagerly():
    ta = tf.TensorArray(tf.float32, size=2).write(0, 1.0)
    ta.read(0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not read index 0 twice"):
        ta.read(0)
    ta = tf.TensorArray(tf.float32, size=2, clear_after_read=False).write(0, 1.0)
    ta.read(0)
    assert float(ta.read(0)) == 1.0


# -- in tf.function -------------------------------------------------------------------


def squares(x):
    ta = tf.TensorArray(tf.float32, size=3)
    for i in tf.range(3):
        ta = ta.write(i, x * tf.cast(i, tf.float32) ** 2)
    return ta.stack()


def test_autograph_loop_accumulates_and_differentiates():
    f = tf.function(squares)
    x = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(f(x), [[0.0, 0.0], [1.0, 2.0], [4.0, 8.0]])
    np.testing.assert_array_equal(f(x), squares(x))
    assert f.experimental_get_tracing_count() == 1
    for fn in (f, squares):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(fn(x) ** 2)
        # d/dx sum_i (x i^2)^2 = 2 x sum_i i^4 = 34 x (TF gives [34., 68.]).
        np.testing.assert_allclose(tape.gradient(y, x), [34.0, 68.0])


def test_tf_while_loop_carries_tensor_array():
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

        def body(i, ta):
            return i + 1, ta.write(i, x * tf.cast(i, tf.float32))

        _, ta = tf.while_loop(lambda i, ta: i < 3, body, [0, ta])
        return ta.stack(), ta.size()

    stacked, size = f(tf.constant([1.0, 2.0]))
    np.testing.assert_array_equal(stacked, [[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]])
    assert int(size) == 3


def test_symbolic_size_and_conditional_writes():
    @tf.function
    def f(x):
        n = tf.shape(x)[0]
        ta = tf.TensorArray(tf.float32, size=n)
        for i in tf.range(n):
            v = tf.gather(x, i)
            if v > 0:
                ta = ta.write(i, v * v)
            else:
                ta = ta.write(i, -v)
        return ta.stack()

    np.testing.assert_array_equal(f(tf.constant([1.0, -2.0, 3.0])), [1.0, 2.0, 9.0])
    np.testing.assert_array_equal(f(tf.constant([1.0, -2.0, 3.0, 4.0])), [1.0, 2.0, 9.0, 16.0])


def test_size_from_a_tensor_argument():
    @tf.function
    def f(n):
        ta = tf.TensorArray(tf.int32, size=n)
        for i in tf.range(n):
            ta = ta.write(i, i * i)
        return ta.stack()

    np.testing.assert_array_equal(f(tf.constant(3)), [0, 1, 4])
    np.testing.assert_array_equal(f(tf.constant(5)), [0, 1, 4, 9, 16])
    assert f.experimental_get_tracing_count() == 1


def test_dynamic_size_filtering_in_graph():
    def keep_positive_rows(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        i = 0
        for row in x:
            if tf.reduce_sum(row) > 0:
                ta = ta.write(i, row)
                i += 1
        return ta.stack()

    x = tf.constant([[1.0, 2.0], [-3.0, -4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(tf.function(keep_positive_rows)(x), [[1.0, 2.0], [5.0, 6.0]])


def test_read_inside_loop_and_unstack():
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3).unstack(x)
        s = 0.0
        for i in tf.range(3):
            s += ta.read(i)
        return s

    assert float(f(tf.constant([1.0, 2.0, 3.0]))) == 6.0


def test_element_shape_learned_by_retracing_the_body_once():
    bodies = []

    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=2)
        for i in tf.range(2):
            bodies.append(1)
            ta = ta.write(i, x)
        return ta.stack()

    np.testing.assert_array_equal(f(tf.constant([1.0])), [[1.0], [1.0]])
    assert len(bodies) == 2  # once to learn the element shape, once for the graph


def test_stack_of_unwritten_array_with_unknown_shape_fails_in_graph():
    @tf.function
    def f(x):
        return tf.TensorArray(tf.float32, size=2).stack()

    with pytest.raises(ValueError, match="element shape is unknown"):
        f(tf.constant(1.0))
