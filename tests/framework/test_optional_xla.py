"""``tf.experimental.Optional`` / ``tf.OptionalSpec`` and ``tf.xla.experimental``, as
TF 2.21 behaves (expected values observed in TF 2.21)."""

import pytest

import tensorflux as tf


def test_optional_values_specs_and_errors():
    present = tf.experimental.Optional.from_value((1, "a"))
    assert bool(present.has_value())
    number, text = present.get_value()
    assert int(number) == 1 and text.numpy() == b"a"
    assert repr(present._type_spec) == (
        "OptionalSpec((TensorSpec(shape=(), dtype=tf.int32, name=None), "
        "TensorSpec(shape=(), dtype=tf.string, name=None)),)"
    )
    absent = tf.experimental.Optional.empty(tf.TensorSpec([], tf.int32))
    assert not bool(absent.has_value())
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not have a value"):
        absent.get_value()
    spec = tf.OptionalSpec(tf.TensorSpec([], tf.int32))
    assert spec.is_compatible_with(tf.experimental.Optional.from_value(3))
    assert not spec.is_compatible_with(tf.experimental.Optional.from_value("x"))


def test_optional_through_a_function_and_an_iterator():
    @tf.function
    def plus_one_or_minus_one(optional):
        return tf.cond(
            optional.has_value(), lambda: optional.get_value() + 1, lambda: tf.constant(-1)
        )

    assert int(plus_one_or_minus_one(tf.experimental.Optional.from_value(5))) == 6
    empty = tf.experimental.Optional.empty(tf.TensorSpec([], tf.int32))
    assert int(plus_one_or_minus_one(empty)) == -1
    iterator = iter(tf.data.Dataset.range(1))
    first = tf.data.experimental.get_next_as_optional(iterator)
    assert bool(first.has_value()) and int(first.get_value()) == 0
    assert not bool(iterator.get_next_as_optional().has_value())


def test_xla_entry_points():
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        with tf.xla.experimental.jit_scope():
            pass

    @tf.function
    def scoped(x):
        with tf.xla.experimental.jit_scope():
            return x * 2

    assert float(scoped(tf.constant(3.0))) == 6.0
    compiled = tf.xla.experimental.compile(lambda a, b: (a + b, a * b), [2.0, 3.0])
    assert [float(t) for t in compiled] == [5.0, 6.0]
