"""``tf.sparse`` programs run twice: by real TensorFlow (``record_sparse_fixtures.py``
writes what they return or raise) and by tensorflux (``test_sparse_ops.py`` compares).

Each case takes the ``tf`` module it runs on and returns a value, or a list of them
(tensors, SparseTensors, IndexedSlices, shapes, Python values). The module imports
neither framework.
"""

import re

import numpy as np


def _st(tf, dtype=None):
    values = [-1.0, -2.0, 5.0] if dtype is None else np.array([-1, -2, 5], dtype)
    return tf.sparse.SparseTensor([[0, 1], [2, 0], [2, 3]], values, [3, 4])


def _st3(tf):
    return tf.sparse.SparseTensor(
        [[0, 0, 1], [0, 2, 0], [1, 1, 1], [1, 2, 3]], [1.0, 2.0, 3.0, 4.0], [2, 3, 4]
    )


def _unordered(tf):
    return tf.sparse.SparseTensor([[2, 1], [0, 3], [1, 0]], [1.0, 2.0, 3.0], [3, 4])


CASES = {
    # SparseTensor itself
    "repr": lambda tf: repr(_st(tf)),
    "str_int": lambda tf: str(_st(tf, np.int32)),
    "attributes": lambda tf: [
        _st(tf).shape.as_list(),
        _st(tf).dtype.name,
        _st(tf).get_shape().as_list(),
        _st(tf).indices,
        _st(tf).dense_shape,
    ],
    "with_values": lambda tf: _st(tf).with_values(tf.constant([1, 2, 3])),
    "spec_repr": lambda tf: repr(tf.SparseTensorSpec([None, 4], tf.float32)),
    "bad_rank_indices": lambda tf: tf.sparse.SparseTensor([0, 1], [1.0, 2.0], [3, 4]),
    "bad_nnz": lambda tf: tf.sparse.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0, 3.0], [3, 4]),
    "bad_rank_shape": lambda tf: tf.sparse.SparseTensor([[0, 1]], [1.0], [3, 4, 5]),
    "float_indices": lambda tf: tf.sparse.SparseTensor([[0.5, 1]], [1.0], [3, 4]),
    "is_tensor_and_truth": lambda tf: [tf.is_tensor(_st(tf)), bool(_st(tf))],
    "convert_refused": lambda tf: tf.convert_to_tensor(_st(tf)).shape,
    "plus_refused": lambda tf: _st(tf) + 1.0,
    "math_exp_refused": lambda tf: tf.math.exp(_st(tf)).shape,
    "mul_dense": lambda tf: _st(tf) * tf.constant([2.0, 3.0, 4.0, 5.0]),
    "div_scalar": lambda tf: _st(tf) / 2.0,
    # to_dense / from_dense / reorder / to_indicator
    "to_dense": lambda tf: tf.sparse.to_dense(_st(tf)),
    "to_dense_default": lambda tf: tf.sparse.to_dense(_st(tf, np.int64), default_value=7),
    "to_dense_3d": lambda tf: tf.sparse.to_dense(_st3(tf)),
    "to_dense_strings": lambda tf: tf.sparse.to_dense(tf.sparse.SparseTensor([[1]], ["x"], [3])),
    "to_dense_out_of_bounds": lambda tf: tf.sparse.to_dense(
        tf.sparse.SparseTensor([[0, 1], [5, 3]], [1.0, 2.0], [3, 4])
    ),
    "to_dense_out_of_order": lambda tf: tf.sparse.to_dense(_unordered(tf)),
    "to_dense_repeated": lambda tf: tf.sparse.to_dense(
        tf.sparse.SparseTensor([[0, 1], [0, 1]], [1.0, 2.0], [3, 4])
    ),
    "to_dense_unvalidated": lambda tf: tf.sparse.to_dense(_unordered(tf), validate_indices=False),
    "from_dense": lambda tf: tf.sparse.from_dense([[0.0, 3.0], [4.0, 0.0]]),
    "from_dense_strings": lambda tf: tf.sparse.from_dense(["", "a", "b", ""]),
    "reorder": lambda tf: tf.sparse.reorder(_unordered(tf)),
    "to_indicator": lambda tf: tf.sparse.to_indicator(
        tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], [2, 0, 1], [2, 2]), 3
    ),
    "eye": lambda tf: tf.sparse.eye(2, 3, dtype=tf.int32),
    "eye_square": lambda tf: tf.sparse.eye(3),
    "reset_shape_tight": lambda tf: tf.sparse.reset_shape(_st(tf)),
    "reset_shape_grow": lambda tf: tf.sparse.reset_shape(_st(tf), [5, 6]),
    "reset_shape_shrink": lambda tf: tf.sparse.reset_shape(_st(tf), [2, 2]),
    "retain": lambda tf: tf.sparse.retain(_st(tf), [True, False, True]),
    "map_values": lambda tf: tf.sparse.map_values(tf.math.square, _st(tf)),
    "map_values_two": lambda tf: tf.sparse.map_values(tf.add, _st(tf), _st(tf)),
    # products and reductions
    "matmul": lambda tf: tf.sparse.sparse_dense_matmul(_st(tf), tf.reshape(tf.range(8.0), [4, 2])),
    "matmul_adjoint_a": lambda tf: tf.sparse.sparse_dense_matmul(
        _st(tf), tf.reshape(tf.range(6.0), [3, 2]), adjoint_a=True
    ),
    "matmul_adjoint_b": lambda tf: tf.sparse.sparse_dense_matmul(
        _st(tf), tf.reshape(tf.range(8.0), [2, 4]), adjoint_b=True
    ),
    "matmul_both": lambda tf: tf.sparse.sparse_dense_matmul(
        _st(tf), tf.reshape(tf.range(6.0), [2, 3]), adjoint_a=True, adjoint_b=True
    ),
    "matmul_dense_sparse": lambda tf: tf.sparse.sparse_dense_matmul(
        tf.reshape(tf.range(6.0), [2, 3]), _st(tf)
    ),
    "matmul_float64": lambda tf: tf.sparse.sparse_dense_matmul(
        _st(tf, np.float64), tf.ones([4, 1], tf.float64)
    ),
    "matmul_inner_mismatch": lambda tf: tf.sparse.sparse_dense_matmul(_st(tf), tf.ones([3, 2])),
    "matmul_dtype_mismatch": lambda tf: tf.sparse.sparse_dense_matmul(
        _st(tf), tf.ones([4, 2], tf.float64)
    ),
    "matmul_index_out_of_bounds": lambda tf: tf.sparse.sparse_dense_matmul(
        tf.sparse.SparseTensor([[0, 5]], [1.0], [3, 4]), tf.ones([4, 2])
    ),
    "reduce_sum_all": lambda tf: tf.sparse.reduce_sum(_st(tf)),
    "reduce_sum_axis1": lambda tf: tf.sparse.reduce_sum(_st(tf), 1),
    "reduce_sum_keepdims": lambda tf: tf.sparse.reduce_sum(_st(tf), -1, keepdims=True),
    "reduce_sum_3d": lambda tf: tf.sparse.reduce_sum(_st3(tf), [0, 2]),
    "reduce_sum_sparse": lambda tf: tf.sparse.reduce_sum(_st(tf), 1, output_is_sparse=True),
    "reduce_sum_sparse_keepdims": lambda tf: tf.sparse.reduce_sum(
        _st3(tf), 1, keepdims=True, output_is_sparse=True
    ),
    "reduce_sum_bad_axis": lambda tf: tf.sparse.reduce_sum(_st(tf), 2),
    "reduce_max_axis1": lambda tf: tf.sparse.reduce_max(_st(tf), 1),
    "reduce_max_keepdims": lambda tf: tf.sparse.reduce_max(_st(tf), 0, keepdims=True),
    "reduce_max_all": lambda tf: tf.sparse.reduce_max(_st(tf)),
    "reduce_max_int": lambda tf: tf.sparse.reduce_max(_st(tf, np.int32), 1),
    "reduce_max_sparse": lambda tf: tf.sparse.reduce_max(_st(tf), 1, output_is_sparse=True),
    # two operands
    "add_sparse": lambda tf: tf.sparse.add(
        _st(tf), tf.sparse.SparseTensor([[0, 1], [1, 1]], [1.0, 0.05], [3, 4])
    ),
    "add_threshold": lambda tf: tf.sparse.add(
        _st(tf), tf.sparse.SparseTensor([[0, 1], [1, 1]], [1.0, 0.05], [3, 4]), threshold=0.1
    ),
    "add_dense": lambda tf: tf.sparse.add(_st(tf), tf.ones([3, 4])),
    "add_dense_first": lambda tf: tf.sparse.add(tf.ones([3, 4]), _st(tf)),
    "add_shape_mismatch": lambda tf: tf.sparse.add(
        _st(tf), tf.sparse.SparseTensor([[0, 1]], [1.0], [3, 5])
    ),
    "maximum": lambda tf: tf.sparse.maximum(
        _st(tf), tf.sparse.SparseTensor([[0, 1], [1, 1]], [1.0, -5.0], [3, 4])
    ),
    "minimum": lambda tf: tf.sparse.minimum(
        _st(tf), tf.sparse.SparseTensor([[0, 1], [1, 1]], [1.0, -5.0], [3, 4])
    ),
    "softmax": lambda tf: tf.sparse.softmax(_st(tf)),
    "softmax_3d": lambda tf: tf.sparse.softmax(_st3(tf)),
    # shape manipulation
    "concat_axis1": lambda tf: tf.sparse.concat(
        1, [_st(tf), tf.sparse.SparseTensor([[0, 0]], [1.0], [3, 2])]
    ),
    "concat_expand": lambda tf: tf.sparse.concat(
        0,
        [_st(tf), tf.sparse.SparseTensor([[0, 0], [1, 2]], [7.0, 8.0], [2, 5])],
        expand_nonconcat_dims=True,
    ),
    "concat_mismatch": lambda tf: tf.sparse.concat(
        0, [_st(tf), tf.sparse.SparseTensor([[0, 0], [1, 2]], [7.0, 8.0], [2, 5])]
    ),
    "concat_3d": lambda tf: tf.sparse.concat(-1, [_st3(tf), _st3(tf)]),
    "reshape": lambda tf: tf.sparse.reshape(_st(tf), [2, -1]),
    "reshape_3d": lambda tf: tf.sparse.reshape(_st3(tf), [6, 4]),
    "reshape_bad_multiple": lambda tf: tf.sparse.reshape(_st(tf), [5, -1]),
    "reshape_two_unknown": lambda tf: tf.sparse.reshape(_st(tf), [-1, -1]),
    "reshape_bad_size": lambda tf: tf.sparse.reshape(_st(tf), [5, 3]),
    "slice": lambda tf: tf.sparse.slice(_st(tf), [1, 0], [2, 2]),
    "slice_clipped": lambda tf: tf.sparse.slice(_st(tf), [1, 0], [5, 5]),
    "split_axis1": lambda tf: tf.sparse.split(sp_input=_st(tf), num_split=2, axis=1),
    "split_uneven": lambda tf: tf.sparse.split(sp_input=_st(tf), num_split=2, axis=0),
    "split_too_many": lambda tf: tf.sparse.split(sp_input=_st(tf), num_split=5, axis=1),
    "fill_empty_rows": lambda tf: tf.sparse.fill_empty_rows(_st(tf), 9.0),
    "fill_empty_rows_3d": lambda tf: tf.sparse.fill_empty_rows(_st3(tf), -1.0),
    "transpose": lambda tf: tf.sparse.transpose(_st(tf)),
    "transpose_perm": lambda tf: tf.sparse.transpose(_st3(tf), [1, 0, 2]),
    "expand_dims_1": lambda tf: tf.sparse.expand_dims(_st(tf), 1),
    "expand_dims_last": lambda tf: tf.sparse.expand_dims(_st(tf), -1),
    # segments, counts, masks
    "segment_sum": lambda tf: tf.sparse.segment_sum(
        tf.constant([[1.0, 2], [3, 4], [5, 6]]), [0, 2, 1], [0, 0, 1]
    ),
    "segment_mean": lambda tf: tf.sparse.segment_mean(
        tf.constant([[1.0, 2], [3, 4], [5, 6]]), [0, 2, 1], [0, 0, 2]
    ),
    "segment_sqrt_n": lambda tf: tf.sparse.segment_sqrt_n(
        tf.constant([[1.0, 2], [3, 4], [5, 6]]), [0, 2, 1], [0, 0, 1], num_segments=4
    ),
    "segment_bad_index": lambda tf: tf.sparse.segment_sum(
        tf.constant([[1.0, 2], [3, 4], [5, 6]]), [0, 3], [0, 0]
    ),
    "segment_unsorted": lambda tf: tf.sparse.segment_sum(
        tf.constant([[1.0, 2], [3, 4], [5, 6]]), [0, 1], [1, 0]
    ),
    "bincount": lambda tf: tf.sparse.bincount([1, 2, 2, 5]),
    "bincount_rows": lambda tf: tf.sparse.bincount([[1, 2], [2, 5]], axis=-1, minlength=7),
    "bincount_sparse_binary": lambda tf: tf.sparse.bincount(
        tf.sparse.SparseTensor([[0, 1], [1, 0]], [3, 3], [2, 2]), binary_output=True, axis=-1
    ),
    "bincount_weights": lambda tf: tf.sparse.bincount([1, 2, 2, 5], weights=[0.5, 1.0, 2.0, 3.0]),
    "bincount_maxlength": lambda tf: tf.sparse.bincount([1, 2, 2, 5], maxlength=3),
    "mask": lambda tf: tf.sparse.mask(
        tf.IndexedSlices(
            tf.constant([[1.0, 2], [3, 4], [5, 6]]), tf.constant([0, 3, 5]), tf.constant([6, 2])
        ),
        [3],
    ),
    "sampled_addmm": lambda tf: tf.sparse.sampled_addmm(
        tf.constant([[0, 0], [1, 1]], tf.int64),
        tf.constant([1.0, 2.0]),
        tf.constant([2, 2]),
        tf.reshape(tf.range(6.0), [2, 3]),
        tf.reshape(tf.range(6.0), [3, 2]),
        beta=0.5,
        alpha=2.0,
    ),
    # crosses
    "cross": lambda tf: tf.sparse.cross([tf.constant([["a", "b"]]), tf.constant([["c", "d"]])]),
    "cross_three": lambda tf: tf.sparse.cross(
        [tf.constant([["a", "b"]]), tf.constant([["c"]]), tf.constant([[1, 2]], tf.int64)],
        separator="+",
    ),
    "cross_sparse": lambda tf: tf.sparse.cross(
        [
            tf.sparse.SparseTensor([[0, 0], [2, 0]], ["x", "y"], [3, 1]),
            tf.constant([["p"], ["q"], ["r"]]),
        ]
    ),
    "cross_hashed": lambda tf: tf.sparse.cross_hashed(
        [tf.constant([["a", "b"]]), tf.constant([["c", "d"]])]
    ),
    "cross_hashed_buckets": lambda tf: tf.sparse.cross_hashed(
        [tf.constant([["a", "b"]]), tf.constant([[1, 2]], tf.int64)], num_buckets=1000, hash_key=123
    ),
    "cross_hashed_long_strings": lambda tf: tf.sparse.cross_hashed(
        [tf.constant([["a" * 70, "b" * 20]]), tf.constant([["c" * 40]])], num_buckets=97
    ),
    # tf.math functions TF dispatches to a SparseTensor's values
    "math_abs": lambda tf: tf.math.abs(_st(tf)),
    "math_negative": lambda tf: tf.math.negative(_st(tf)),
    "math_sign": lambda tf: tf.math.sign(_st(tf)),
    "math_square": lambda tf: tf.math.square(_st(tf)),
    "math_sqrt": lambda tf: tf.math.sqrt(tf.math.abs(_st(tf))),
    "math_sin": lambda tf: tf.math.sin(_st(tf)),
    "math_tanh": lambda tf: tf.math.tanh(_st(tf)),
}


def _keras_sparse_fit(tf):
    keras = tf.keras
    x = keras.Input(shape=(4,), sparse=True, name="sparse_in")
    model = keras.Model(x, keras.layers.Dense(2, kernel_initializer="ones")(x))
    st = tf.sparse.SparseTensor([[0, 1], [1, 0], [2, 3], [4, 2]], [1.0, 2.0, 3.0, 4.0], [5, 4])
    model.compile("sgd", "mse")
    y = np.arange(10.0).reshape(5, 2)
    history = model.fit(st, y, epochs=3, batch_size=2, verbose=0, shuffle=False)
    return [
        history.history["loss"],
        model.predict(st, verbose=0, batch_size=2).tolist(),
        model.evaluate(st, np.ones((5, 2)), verbose=0),
        repr(x),
        model.layers[0].get_config()["sparse"],
    ]


def _keras_dense_on_sparse(tf):
    layer = tf.keras.layers.Dense(3, kernel_initializer="ones", bias_initializer="ones")
    return layer(_st(tf, np.float64))


def _dataset_cases(tf):
    st = tf.sparse.SparseTensor([[0, 1], [1, 0], [2, 3], [4, 2]], [1.0, 2.0, 3.0, 4.0], [5, 4])
    ds = tf.data.Dataset.from_tensor_slices(st)
    pairs = tf.data.Dataset.from_tensor_slices((st, tf.range(5)))
    return [
        repr(ds.element_spec),
        list(ds.take(2)),
        repr(ds.batch(2).element_spec),
        list(ds.batch(2)),
        list(pairs.batch(3).take(1)),
        repr(tf.data.Dataset.from_tensors(st).element_spec),
        list(ds.map(tf.sparse.to_dense).take(2)),
        list(ds.as_numpy_iterator())[:2],
    ]


def _keras_fit_on_dataset(tf):
    keras = tf.keras
    x = keras.Input(shape=(4,), sparse=True)
    model = keras.Model(x, keras.layers.Dense(1, kernel_initializer="ones")(x))
    st = tf.sparse.SparseTensor([[0, 1], [1, 0], [2, 3], [4, 2]], [1.0, 2.0, 3.0, 4.0], [5, 4])
    ds = tf.data.Dataset.from_tensor_slices((st, tf.range(5.0))).batch(2)
    model.compile("sgd", "mse")
    return model.fit(ds, epochs=2, verbose=0).history["loss"]


CASES["dataset_sparse"] = _dataset_cases
CASES["keras_fit_sparse_dataset"] = _keras_fit_on_dataset
CASES["keras_sparse_fit"] = _keras_sparse_fit
CASES["keras_dense_on_sparse"] = _keras_dense_on_sparse

# Cases also run inside tf.function by the tests (their values come out of a graph).
TRACED = [
    "to_dense",
    "reorder",
    "matmul",
    "matmul_adjoint_a",
    "reduce_sum_axis1",
    "reduce_sum_sparse",
    "reduce_max_axis1",
    "add_sparse",
    "add_dense",
    "maximum",
    "softmax",
    "concat_axis1",
    "reshape",
    "slice",
    "fill_empty_rows",
    "transpose",
    "expand_dims_1",
    "segment_mean",
    "bincount",
    "cross",
    "from_dense",
    "split_axis1",
    "to_indicator",
    "concat_expand",
    "retain",
    "reduce_sum_keepdims",
    "reduce_sum_3d",
    "segment_sqrt_n",
    "bincount_rows",
    "cross_hashed_buckets",
    "mask",
    "sampled_addmm",
    "reset_shape_tight",
    "minimum",
    "softmax_3d",
    "map_values",
    "math_abs",
    "mul_dense",
]


def _array(t) -> dict:
    value = np.asarray(t.numpy())
    if value.dtype == object:
        data = [v.decode("latin-1") for v in value.reshape(-1)]
    else:
        data = value.reshape(-1).tolist()
    return {"dtype": t.dtype.name, "shape": list(value.shape), "data": data}


def summarize(value):
    """A JSON-able description of what a case returned."""
    if isinstance(value, (list, tuple)):
        return {"list": [summarize(v) for v in value]}
    if hasattr(value, "dense_shape") and hasattr(value, "values"):
        kind = "sparse" if hasattr(value, "with_values") else "slices"
        return {kind: [_array(value.indices), _array(value.values), _array(value.dense_shape)]}
    if hasattr(value, "as_list"):
        return {"shape": value.as_list()}
    if isinstance(value, np.ndarray):
        data = value.reshape(-1).tolist()
        return {"tensor": {"dtype": value.dtype.name, "shape": list(value.shape), "data": data}}
    if hasattr(value, "numpy"):
        return {"tensor": _array(value)}
    return {"python": value}


def error_summary(error: Exception) -> dict:
    """An exception's class name and its message without TF's graph-node decorations."""
    message = re.sub(r"^\{\{function_node [^}]*\}\} ", "", str(error))
    message = re.sub(r" name: $", "", message)
    return {"error": type(error).__name__, "message": message}
