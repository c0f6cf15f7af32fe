"""Slices of variables: read when the graph runs, assignable back into the variable,
eagerly and inside ``tf.function`` (values as TF 2.21 gives them)."""

import pytest

import tensorflux as tf


def test_a_traced_slice_reads_the_variable_on_every_call():
    v = tf.Variable([1.0, 2.0, 3.0])

    @tf.function
    def doubled_head_and_tail():
        return v[0] * 2, v[1:]

    doubled_head_and_tail()
    v.assign([5.0, 6.0, 7.0])
    head, tail = doubled_head_and_tail()
    assert float(head) == 10.0
    assert tail.numpy().tolist() == [6.0, 7.0]


def test_a_traced_slice_assignment_writes_on_every_call():
    m = tf.Variable([[1, 2], [3, 4]])

    @tf.function
    def write_row(row):
        m[0, :].assign(row)
        return m[1] + row

    assert write_row(tf.constant([7, 8])).numpy().tolist() == [10, 12]
    assert m.numpy().tolist() == [[7, 8], [3, 4]]
    write_row(tf.constant([0, 1]))
    assert m.numpy().tolist() == [[0, 1], [3, 4]]


def test_eager_slices_assign_and_behave_as_tensors():
    v = tf.Variable([1.0, 2.0, 3.0])
    head = v[0]
    assert type(head) is tf.Tensor
    head.assign(4.0)
    v[1:].assign([5.0, 6.0])
    assert v.numpy().tolist() == [4.0, 5.0, 6.0]


def test_only_slices_of_variables_have_assign():
    v = tf.Variable([1.0, 2.0])
    assert hasattr(v[0], "assign")
    assert not hasattr(tf.constant([1.0, 2.0]), "assign")
    assert not hasattr(v.read_value()[0], "assign")
    with pytest.raises(AttributeError, match="no attribute 'assign'"):
        tf.constant(1.0).assign(2.0)
