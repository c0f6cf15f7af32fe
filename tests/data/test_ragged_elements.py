"""Datasets of ragged rows, as TF 2.21 builds them (checked by hand): a row of a
2-D ragged tensor is a ``ragged_rank`` 0 RaggedTensorSpec holding plain Tensors, and
batching such rows makes RaggedTensors."""

import pytest

import tensorflux as tf


def _rows():
    return tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]))


def test_rows_of_a_ragged_tensor_are_tensors_of_a_ragged_spec():
    ds = _rows()
    assert ds.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64)
    rows = list(ds)
    assert all(type(r) is tf.Tensor for r in rows)
    assert [r.numpy().tolist() for r in rows] == [[1, 2], [3], [4, 5, 6]]


def test_batched_rows_are_ragged_and_unbatch_back():
    batches = list(_rows().batch(2))
    assert [b.to_list() for b in batches] == [[[1, 2], [3]], [[4, 5, 6]]]
    assert _rows().batch(2, drop_remainder=True).element_spec == tf.RaggedTensorSpec(
        [2, None], tf.int32, 1, tf.int64
    )
    again = _rows().batch(2).unbatch()
    assert again.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64)
    assert [r.numpy().tolist() for r in again] == [[1, 2], [3], [4, 5, 6]]


def test_functions_see_rows_as_tensors():
    doubled = _rows().map(lambda row: row * 2)
    assert doubled.element_spec == tf.TensorSpec([None], tf.int32)
    long_rows = _rows().filter(lambda row: tf.size(row) > 1).batch(5)
    assert [b.to_list() for b in long_rows] == [[[1, 2], [4, 5, 6]]]


def test_padded_batch_refuses_ragged_rows_as_tf_does():
    with pytest.raises(TypeError, match="only supported for datasets that produce tensor"):
        _rows().padded_batch(2)


def test_from_generator_takes_a_ragged_signature():
    spec = tf.RaggedTensorSpec(shape=(2, None), dtype=tf.int32)

    def two_rows():
        yield tf.ragged.constant([[1], [2, 3]])
        yield tf.ragged.constant([[1.0], [2.0, 3.0]])

    it = iter(tf.data.Dataset.from_generator(two_rows, output_signature=spec))
    assert next(it).to_list() == [[1], [2, 3]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="yielded an element of Ragged"):
        next(it)
