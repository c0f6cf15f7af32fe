"""SparseTensor as a value: its attributes, specs, and passing in and out of tf.function."""

import numpy as np
import pytest

import tensorflux as tf


def _st(values=(1.0, 2.0), indices=((0, 1), (2, 3)), shape=(3, 4)):
    return tf.sparse.SparseTensor(list(indices), list(values), list(shape))


def test_components_are_int64_and_shape_is_static():
    st = _st()
    assert st.indices.dtype == tf.int64 and st.dense_shape.dtype == tf.int64
    assert st.shape == tf.TensorShape([3, 4]) and st.get_shape() == st.shape
    assert st.dtype == tf.float32
    st.set_shape([3, None])
    with pytest.raises(ValueError):
        st.set_shape([2, 4])


def test_from_value_and_with_values():
    st = _st()
    assert tf.SparseTensor.from_value(st) is st
    doubled = st.with_values(st.values * 2)
    np.testing.assert_array_equal(doubled.values.numpy(), [2.0, 4.0])
    assert doubled.indices is st.indices
    with pytest.raises(ValueError, match="not compatible"):
        st.with_values([1.0, 2.0, 3.0])


def test_spec():
    spec = tf.SparseTensorSpec([None, 4], tf.float32)
    assert spec.is_compatible_with(_st())
    assert not spec.is_compatible_with(tf.SparseTensorSpec([3, 5]))
    assert spec == tf.SparseTensorSpec([None, 4]) and hash(spec) == hash(
        tf.SparseTensorSpec([None, 4])
    )
    assert spec.value_type is tf.SparseTensor


def test_tf_function_takes_and_returns_sparse_tensors():
    traces = []

    @tf.function
    def double(sp):
        traces.append(sp.shape)
        return tf.sparse.map_values(tf.multiply, sp, 2.0), tf.sparse.to_dense(sp)

    out, dense = double(_st())
    assert isinstance(out, tf.SparseTensor) and out.shape == tf.TensorShape([3, 4])
    np.testing.assert_array_equal(out.values.numpy(), [2.0, 4.0])
    assert dense.numpy()[2, 3] == 2.0
    # Other values, same component shapes and dense shape: the same graph.
    out, dense = double(_st(values=(5.0, 6.0), indices=((1, 1), (2, 0))))
    np.testing.assert_array_equal(out.indices.numpy(), [[1, 1], [2, 0]])
    assert dense.numpy()[1, 1] == 5.0 and len(traces) == 1
    # Another dense shape is another static shape: traced again.
    double(_st(shape=(5, 6)))
    assert len(traces) == 2 and traces[1] == tf.TensorShape([5, 6])
    signature = double.get_concrete_function(_st()).structured_input_signature
    assert signature[0][0] == tf.SparseTensorSpec([3, 4], tf.float32)


def test_tf_function_sparse_tensor_in_nested_arguments():
    @tf.function
    def f(inputs):
        return tf.sparse.sparse_dense_matmul(inputs["sp"], inputs["w"])

    w = tf.ones([4, 2])
    np.testing.assert_array_equal(f({"sp": _st(), "w": w}).numpy(), [[1, 1], [0, 0], [2, 2]])


def test_concrete_function_called_with_a_sparse_tensor():
    f = tf.function(lambda sp: tf.sparse.reduce_sum(sp, 1))
    concrete = f.get_concrete_function(_st())
    np.testing.assert_array_equal(concrete(_st(values=(3.0, 4.0))).numpy(), [3.0, 0.0, 4.0])


def test_value_errors_inside_tf_function_name_the_op():
    f = tf.function(lambda sp: tf.sparse.to_dense(sp))
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of order"):
        f(_st(indices=((2, 1), (0, 3))))


def test_input_signature_with_a_sparse_tensor_spec():
    traces = []

    @tf.function(input_signature=[tf.SparseTensorSpec([None, 4], tf.float32)])
    def row_sums(sp):
        traces.append(sp.shape)
        return tf.sparse.reduce_sum(sp, 1)

    np.testing.assert_array_equal(row_sums(_st()).numpy(), [1.0, 0.0, 2.0])
    got = row_sums(_st(values=(1.0, 2.0, 3.0), indices=((0, 1), (1, 1), (4, 3)), shape=(5, 4)))
    np.testing.assert_array_equal(got.numpy(), [1.0, 2.0, 0.0, 0.0, 3.0])
    assert traces == [tf.TensorShape([None, 4])]
    with pytest.raises(TypeError, match="incompatible with its input_signature"):
        row_sums(_st(shape=(3, 5)))
    concrete = row_sums.get_concrete_function()
    assert concrete.structured_input_signature[0][0] == tf.SparseTensorSpec([None, 4])
    np.testing.assert_array_equal(concrete(_st(shape=(2, 4), indices=((0, 1), (1, 0)))), [1, 2])


def test_concrete_function_from_a_sparse_tensor_spec():
    f = tf.function(lambda sp: tf.sparse.sparse_dense_matmul(sp, tf.ones([4, 1])))
    concrete = f.get_concrete_function(tf.SparseTensorSpec([None, 4]))
    np.testing.assert_array_equal(concrete(_st()).numpy(), [[1.0], [0.0], [2.0]])


# Built once, by the first trace: a layer made inside the function would create its
# variables on every trace, which tf.function refuses (as TF does).
_DENSE = tf.keras.layers.Dense(2, kernel_initializer="ones")


@pytest.mark.parametrize(
    "fn",
    [
        lambda sp, w: tf.sparse.to_dense(sp),
        lambda sp, w: tf.sparse.sparse_dense_matmul(sp, w),
        lambda sp, w: tf.sparse.reduce_sum(sp, 1),
        lambda sp, w: tf.sparse.reduce_max(sp, 0),
        lambda sp, w: tf.sparse.to_dense(tf.sparse.softmax(sp)),
        lambda sp, w: tf.sparse.to_dense(tf.sparse.add(sp, sp)),
        lambda sp, w: tf.sparse.add(sp, tf.ones_like(tf.sparse.to_dense(sp))),
        lambda sp, w: tf.sparse.to_dense(tf.sparse.transpose(sp)),
        lambda sp, w: tf.sparse.to_dense(tf.sparse.reshape(sp, [-1])),
        lambda sp, w: tf.sparse.to_dense(tf.sparse.fill_empty_rows(sp, 5.0)[0]),
        lambda sp, w: tf.sparse.to_dense(tf.sparse.slice(sp, [1, 0], [2, 3])),
        lambda sp, w: tf.sparse.to_dense(tf.sparse.concat(0, [sp, sp])),
        lambda sp, w: _DENSE(sp),
    ],
)
def test_one_graph_for_every_sparse_tensor_a_signature_admits(fn):
    from tensorflux.testing import check_one_graph

    w = tf.ones([4, 2])
    calls = [
        (_st(), w),
        (_st(values=(1.0, 2.0, 3.0), indices=((0, 1), (1, 1), (4, 3)), shape=(5, 4)), w),
        (_st(values=(4.0,), indices=((1, 2),), shape=(2, 4)), w),
    ]
    signature = [tf.SparseTensorSpec([None, 4], tf.float32), tf.TensorSpec([4, 2])]
    check_one_graph(fn, signature, calls)
