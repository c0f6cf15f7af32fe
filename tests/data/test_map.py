

def test_map_outputs_of_data_dependent_length_have_unknown_dims():
    positives = tf.data.Dataset.from_tensor_slices([[1, -2, 3], [4, 5, -6]]).map(
        lambda v: tf.boolean_mask(v, v > 0))
    assert positives.element_spec == tf.TensorSpec(shape=(None,), dtype=tf.int32)
    assert [x.tolist() for x in positives.as_numpy_iterator()] == [[1, 3], [4, 5]]
