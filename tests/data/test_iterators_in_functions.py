"""``next(iterator)`` inside a ``tf.function`` pulls an element each call, as in TF
(checked against TF 2.21 by hand: the values and trace counts below are TF's)."""

import numpy as np
import pytest

import tensorflux as tf


def _batches(n=10, size=2):
    return tf.data.Dataset.range(n).batch(size)


def test_an_iterator_argument_advances_on_every_call():
    @tf.function
    def step(iterator):
        return next(iterator)

    it = iter(_batches())
    assert [step(it).numpy().tolist() for _ in range(3)] == [[0, 1], [2, 3], [4, 5]]
    # A new iterator of the same structure reuses the graph and starts at its beginning.
    assert step(iter(_batches())).numpy().tolist() == [0, 1]
    assert step.experimental_get_tracing_count() == 1
    # The eager iterator goes on where the graph left it.
    assert next(it).numpy().tolist() == [6, 7]


def test_tracing_consumes_no_element():
    @tf.function
    def first(iterator):
        return iterator.get_next()

    it = iter(tf.data.Dataset.from_tensor_slices([5.0, 6.0]))
    assert float(first(it)) == 5.0
    assert float(next(it)) == 6.0


def test_next_in_a_graph_loop_pulls_once_per_iteration_and_ends_with_out_of_range():
    @tf.function
    def total(iterator, steps):
        s = tf.constant(0, tf.int64)
        for _ in tf.range(steps):
            s += tf.reduce_sum(next(iterator))
        return s

    it = iter(_batches())
    assert int(total(it, 2)) == 0 + 1 + 2 + 3
    assert int(total(it, 2)) == 4 + 5 + 6 + 7
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        total(it, 2)


def test_a_captured_iterator_keeps_its_structure_and_advances():
    it = iter(tf.data.Dataset.from_tensor_slices(({"a": [1.0, 2.0]}, [4, 5])))

    @tf.function
    def grab():
        return it.get_next()

    features, label = grab()
    assert float(features["a"]) == 1.0 and label.dtype == tf.int32 and int(label) == 4
    features, label = grab()
    assert float(features["a"]) == 2.0 and int(label) == 5


def test_a_partial_last_batch_fits_the_traced_shape():
    @tf.function
    def step(iterator):
        return next(iterator)

    it = iter(_batches(5, 2))
    shapes = [step(it).shape.as_list() for _ in range(3)]
    assert shapes == [[2], [2], [1]]


def test_a_python_loop_over_an_iterator_argument_reads_each_calls_iterator():
    @tf.function
    def total(iterator):
        s = tf.constant(0, tf.int64)
        for batch in iterator:
            s += tf.reduce_sum(batch)
        return s

    assert int(total(iter(_batches()))) == 45
    assert int(total(iter(_batches().take(2)))) == 6


def test_iterators_of_another_dtype_are_traced_again():
    @tf.function
    def step(iterator):
        return next(iterator)

    ints = step(iter(tf.data.Dataset.range(3)))
    floats = step(iter(tf.data.Dataset.from_tensor_slices(np.array([0.5], np.float32))))
    assert ints.dtype == tf.int64 and floats.dtype == tf.float32
    assert step.experimental_get_tracing_count() == 2


def test_a_concrete_function_pulls_from_the_iterator_it_is_given():
    @tf.function
    def step(iterator):
        return next(iterator)

    concrete = step.get_concrete_function(iter(_batches()))
    it = iter(_batches())
    assert [concrete(it).numpy().tolist() for _ in range(2)] == [[0, 1], [2, 3]]


def test_iterator_spec_describes_an_iterator_as_tf_prints_it():
    it = iter(_batches())
    spec = tf.data.IteratorSpec(tf.TensorSpec([None], tf.int64))
    assert repr(spec) == "IteratorSpec(TensorSpec(shape=(None,), dtype=tf.int64, name=None),)"
    assert isinstance(spec, tf.TypeSpec)
    assert tf.type_spec_from_value(it) == spec and hash(it._type_spec) == hash(spec)
    assert spec.value_type is type(it)

    @tf.function
    def step(iterator):
        return next(iterator)

    assert step.get_concrete_function(it).structured_input_signature == ((spec,), {})


def test_an_input_signature_takes_an_iterator_spec():
    @tf.function(input_signature=[tf.data.IteratorSpec(tf.TensorSpec([None], tf.int64))])
    def step(iterator):
        return next(iterator)

    it = iter(_batches())
    assert [step(it).numpy().tolist() for _ in range(2)] == [[0, 1], [2, 3]]
    assert step.experimental_get_tracing_count() == 1


def test_an_iterator_made_inside_the_function_starts_over_on_every_call():
    dataset = tf.data.Dataset.range(10)

    @tf.function
    def first_two():
        it = iter(dataset)
        return next(it) + next(it)

    assert [int(first_two()) for _ in range(2)] == [1, 1]
