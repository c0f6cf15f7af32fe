"""Top-level ``tf.*`` ops and functions (``tf.roll``, ``tf.map_fn``, ``tf.fingerprint`` ...)
run twice: by real TensorFlow (``record_tfops_fixtures.py`` writes what they return or
raise into ``tests/fixtures/tfops.json``) and by tensorflux (``test_tfops.py`` compares).

Each case takes the ``tf`` module it runs on and returns a value or a list of them. The
module imports neither framework.
"""

import re

import numpy as np

from tests.ops import sparse_cases


def error_summary(error: Exception) -> dict:
    """``sparse_cases``' error format, without the ``name:`` TF appends to eager errors."""
    summary = sparse_cases.error_summary(error)
    summary["message"] = re.sub(r" name: [\w/]+$", "", summary["message"])
    return summary


def summarize(value):
    """A JSON-able description of what a case returned (``sparse_cases``' format, plus
    dicts as lists of their items in key order)."""
    if isinstance(value, dict):
        return {"list": [summarize([k, value[k]]) for k in sorted(value)]}
    if isinstance(value, (list, tuple)):
        return {"list": [summarize(v) for v in value]}
    if isinstance(value, np.ndarray) and value.dtype == object:
        return {"python": [v.decode("latin-1") for v in value.reshape(-1).tolist()]}
    return sparse_cases.summarize(value)


_X = np.arange(12, dtype=np.float32).reshape(3, 4) / 4.0 - 1.0


def _proto(tf, *args, **kwargs):
    p = tf.make_tensor_proto(*args, **kwargs)
    return [str(p), p.SerializeToString().hex(), p.dtype]


def _grads(tf, fn):
    x = tf.constant([0.4, -1.6, 2.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x) * tf.constant([1.0, 2.0, 3.0])
    return [y, tape.gradient(y, x)]


def _pass_through_assign(tf):
    v = tf.Variable(1.0)
    z = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.grad_pass_through(v.assign)(z**2)
    return [tape.gradient(y, z), tf.convert_to_tensor(v)]


def _hyp(tf):
    return tf.SparseTensor([[0, 0, 0], [1, 0, 0], [1, 0, 1], [2, 1, 0]], ["a", "b", "c", "q"],
                           [3, 2, 2])  # fmt: skip


def _truth(tf):
    return tf.SparseTensor([[0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 0, 2], [2, 0, 0]],
                           ["a", "x", "c", "d", "z"], [3, 2, 3])  # fmt: skip


_IMG = np.linspace(-1, 1, 2 * 5 * 5 * 4, dtype=np.float32).reshape(2, 5, 5, 4)
_W = np.linspace(-0.5, 1, 3 * 3 * 4 * 6, dtype=np.float32).reshape(3, 3, 4, 6)
_VOL = np.arange(2 * 4 * 5 * 6 * 2, dtype=np.float32).reshape(2, 4, 5, 6, 2) / 100.0


def _volume_grad(tf):
    v = tf.constant(_VOL)
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = tf.extract_volume_patches(v, [1, 2, 3, 2, 1], [1, 1, 2, 2, 1], "SAME")
        weights = tf.reshape(tf.cast(tf.range(tf.size(y)), tf.float32), tf.shape(y))
        loss = tf.reduce_sum(y * weights / 1000.0)
    return tape.gradient(loss, v)


def _hist_values():
    return [-1.0, 0.0, 0.999, 1.0, 1.5, 2.0, 4.999, 5.0, 15.0, 3.3, 0.3]


CASES = {
    # Bitcast
    "bitcast_narrow": lambda tf: tf.bitcast(tf.constant([1.0, -2.5]), tf.uint8),
    "bitcast_same": lambda tf: tf.bitcast(tf.constant([1.0, -2.5]), tf.int32),
    "bitcast_wide": lambda tf: tf.bitcast(tf.constant([[1, 2, 3, 4]], tf.int8), tf.int32),
    "bitcast_wide_scalar": lambda tf: tf.bitcast(tf.constant([1.0, 2.0]), tf.int64),
    "bitcast_bad": lambda tf: tf.bitcast(tf.constant([1, 2, 3], tf.int8), tf.int16),
    # Broadcast shapes
    "broadcast_dynamic": lambda tf: tf.broadcast_dynamic_shape([1, 3], [2, 1]),
    "broadcast_dynamic_rank": lambda tf: tf.broadcast_dynamic_shape(
        tf.constant([5, 1, 3], tf.int64), tf.constant([4, 1], tf.int64)
    ),
    "broadcast_dynamic_bad": lambda tf: tf.broadcast_dynamic_shape([2, 3], [4]),
    "broadcast_static": lambda tf: tf.broadcast_static_shape(
        tf.TensorShape([None, 1, 3]), tf.TensorShape([4, 1])
    ),
    "broadcast_static_unknown": lambda tf: tf.broadcast_static_shape(
        tf.TensorShape(None), tf.TensorShape([4, 1])
    ),
    "broadcast_static_bad": lambda tf: tf.broadcast_static_shape(
        tf.TensorShape([2, 3]), tf.TensorShape([4])
    ),
    # EnsureShape, identity-like, grouping
    "ensure_shape": lambda tf: tf.ensure_shape(tf.constant(_X), [None, 4]),
    "ensure_shape_bad": lambda tf: tf.ensure_shape(tf.constant(_X), [3, 5]),
    "ensure_shape_rank": lambda tf: tf.ensure_shape(tf.constant(_X), [12]),
    "guarantee_const": lambda tf: tf.guarantee_const(tf.constant([1, 2])),
    "identity_n": lambda tf: tf.identity_n([tf.constant(1), tf.constant([2.5, 3.0])]),
    "no_op_group": lambda tf: [tf.no_op() is None, tf.group(tf.constant(1)) is None],
    "tuple": lambda tf: tf.tuple([tf.constant(1), tf.constant([2.0])]),
    "shape_n": lambda tf: tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])], out_type=tf.int64),
    "parallel_stack_eager": lambda tf: tf.parallel_stack([[1, 2], [3, 4]]),
    "parallel_stack_traced": lambda tf: tf.function(
        lambda: tf.parallel_stack([tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])])
    )(),
    # ReverseSequence
    "reverse_sequence": lambda tf: tf.reverse_sequence(
        [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], [1, 4, 2], seq_axis=1
    ),
    "reverse_sequence_batch1": lambda tf: tf.reverse_sequence(
        tf.constant(_X), tf.constant([2, 0, 3, 1], tf.int64), seq_axis=0, batch_axis=1
    ),
    "reverse_sequence_long": lambda tf: tf.reverse_sequence([[1, 2], [3, 4]], [3, 1], 1),
    # Roll
    "roll": lambda tf: tf.roll([0, 1, 2, 3, 4], shift=2, axis=0),
    "roll_2d": lambda tf: tf.roll(tf.constant(_X), shift=[1, -3, 2], axis=[0, 1, 0]),
    "roll_negative_axis": lambda tf: tf.roll(tf.constant(_X), shift=5, axis=-1),
    "roll_bad_axis": lambda tf: tf.roll([1.0, 2.0], 1, 2),
    # saturate_cast
    "saturate_cast_uint8": lambda tf: tf.saturate_cast([-5.0, 1.7, 300.0, 255.5], tf.uint8),
    "saturate_cast_int8": lambda tf: tf.saturate_cast(tf.constant([-300, 5, 200]), tf.int8),
    "saturate_cast_int32": lambda tf: tf.saturate_cast([-3e9, 2.0, 3e9], tf.int32),
    "saturate_cast_f16": lambda tf: tf.saturate_cast(tf.constant([1e6, -1e6, 2.0]), tf.float16),
    "saturate_cast_uint_to_int": lambda tf: tf.saturate_cast(
        tf.constant([200, 5], tf.uint8), tf.int8
    ),
    # UniqueWithCounts / UnravelIndex
    "unique_with_counts": lambda tf: list(tf.unique_with_counts([4, 1, 1, 2, 4, 4])),
    "unique_with_counts_int64": lambda tf: list(
        tf.unique_with_counts(tf.constant([1.5, 0.5, 1.5]), out_idx=tf.int64)
    ),
    "unique_with_counts_2d": lambda tf: list(tf.unique_with_counts([[1, 2]])),
    "unravel_index": lambda tf: tf.unravel_index([1, 5, 7], [2, 4]),
    "unravel_index_scalar": lambda tf: tf.unravel_index(
        tf.constant(5, tf.int64), tf.constant([2, 3], tf.int64)
    ),  # fmt: skip
    "unravel_index_bad": lambda tf: tf.unravel_index([6], [2, 3]),
    "required_paddings": lambda tf: list(tf.required_space_to_batch_paddings([5, 4], [2, 3])),
    "required_paddings_base": lambda tf: list(
        tf.required_space_to_batch_paddings([5, 4], [2, 3], [[1, 0], [2, 2]])
    ),
    # DynamicPartition / DynamicStitch
    "dynamic_partition": lambda tf: tf.dynamic_partition([10, 20, 30, 40], [1, 0, 1, 1], 3),
    "dynamic_partition_2d": lambda tf: tf.dynamic_partition(
        tf.constant(_X), tf.constant([[0, 1, 1, 0], [1, 1, 0, 0], [0, 0, 0, 1]]), 2
    ),
    "dynamic_partition_rows": lambda tf: tf.dynamic_partition(tf.constant(_X), [1, 0, 1], 2),
    "dynamic_partition_bad": lambda tf: tf.dynamic_partition([1, 2], [0, 2], 2),
    "dynamic_stitch": lambda tf: tf.dynamic_stitch([[0, 2], [1]], [[1.0, 3.0], [2.0]]),
    "dynamic_stitch_rows": lambda tf: tf.dynamic_stitch(
        [tf.constant([[3], [0]]), tf.constant([1, 0])],
        [tf.constant(_X[:2].reshape(2, 1, 4)), tf.constant(_X[1:])],
    ),
    "dynamic_stitch_gap": lambda tf: tf.dynamic_stitch([[4], [1]], [[1], [2]]),
    # TensorScatterMax / Min
    "scatter_max": lambda tf: tf.tensor_scatter_nd_max([1, 5, 3, 0], [[0], [1], [0]], [4, 2, 7]),
    "scatter_min": lambda tf: tf.tensor_scatter_nd_min(
        tf.constant(_X), [[0, 1], [2, 3]], [-5.0, 9.0]
    ),
    "scatter_max_rows": lambda tf: tf.tensor_scatter_nd_max(
        tf.constant(_X), [[1]], tf.zeros([1, 4])
    ),
    "scatter_max_bad": lambda tf: tf.tensor_scatter_nd_max([1, 2], [[5]], [3]),
    # searchsorted
    "searchsorted": lambda tf: tf.searchsorted([1.0, 2.0, 2.0, 4.0], [0.5, 2.0, 5.0]),
    "searchsorted_right": lambda tf: tf.searchsorted(
        [1.0, 2.0, 2.0, 4.0], [0.5, 2.0, 5.0], side="right", out_type=tf.int64
    ),
    "searchsorted_2d": lambda tf: tf.searchsorted([[1, 3, 5], [2, 4, 6]], [[3, 4], [0, 7]]),
    "searchsorted_bad_side": lambda tf: tf.searchsorted([1, 2], [1], side="middle"),
    "searchsorted_bad_lead": lambda tf: tf.searchsorted([[1, 2]], [[1], [2]]),
    # Histograms
    "histogram": lambda tf: tf.histogram_fixed_width(_hist_values(), [0.0, 5.0], nbins=5),
    "histogram_int64": lambda tf: tf.histogram_fixed_width(
        tf.constant(_hist_values(), tf.float64), [0.0, 5.0], nbins=7, dtype=tf.int64
    ),
    "histogram_int_values": lambda tf: tf.histogram_fixed_width([0, 3, 9, 12], [0, 10], 3),
    "histogram_bad_range": lambda tf: tf.histogram_fixed_width([1.0], [2.0, 1.0], 3),
    "histogram_bins": lambda tf: tf.histogram_fixed_width_bins(
        tf.constant(_hist_values()), [0.0, 5.0], nbins=5
    ),
    "histogram_bins_2d": lambda tf: tf.histogram_fixed_width_bins(
        tf.constant(_X), [-1.0, 1.0], nbins=3, dtype=tf.int64
    ),
    # map_fn / scan / foldl / foldr / vectorized_map
    "map_fn": lambda tf: tf.map_fn(lambda x: x * x + 1.0, tf.constant(_X)),
    "map_fn_empty": lambda tf: tf.map_fn(lambda x: x * 2.0, tf.zeros([0, 3])),
    "map_fn_scalar": lambda tf: tf.map_fn(lambda x: x, tf.constant(3.0)),
    "map_fn_no_tensors": lambda tf: tf.map_fn(lambda x: x, []),
    "map_fn_nested": lambda tf: tf.map_fn(
        lambda xy: {"s": xy[0] * tf.cast(xy[1]["n"], tf.float32), "n": xy[1]["n"] + 1},
        (tf.constant(_X), {"n": tf.constant([1, 2, 3])}),
        fn_output_signature={"s": tf.float32, "n": tf.TensorSpec([], tf.int32)},
    ),
    "map_fn_dtype_change": lambda tf: tf.map_fn(
        lambda x: tf.reduce_sum(tf.cast(x > 0.0, tf.int64)), tf.constant(_X), dtype=tf.int64
    ),
    "map_fn_dtype_mismatch": lambda tf: tf.map_fn(
        lambda x: tf.cast(x, tf.int32), tf.constant([1.0, 2.0])
    ),
    "map_fn_mismatched_dims": lambda tf: tf.map_fn(
        lambda x: x[0], (tf.constant([1.0, 2.0]), tf.constant([1, 2, 3]))
    ),
    "map_fn_ragged_out": lambda tf: (
        tf.map_fn(
            lambda x: tf.range(x),
            tf.constant([1, 3, 0, 2]),
            fn_output_signature=tf.RaggedTensorSpec([None], tf.int32),
        ).nested_row_splits
        + (
            tf.map_fn(
                lambda x: tf.range(x),
                tf.constant([1, 3, 0]),
                fn_output_signature=tf.RaggedTensorSpec([None], tf.int32),
            ).flat_values,
        )
    ),
    "map_fn_ragged_in": lambda tf: tf.map_fn(
        lambda x: tf.reduce_sum(x), tf.ragged.constant([[1, 2], [3], []]), dtype=tf.int32
    ),
    "map_fn_varying_shapes": lambda tf: tf.map_fn(lambda x: tf.range(x), tf.constant([1, 2])),
    "map_fn_spec_shape": lambda tf: tf.map_fn(
        lambda x: x * 2, tf.constant([1, 2]), fn_output_signature=tf.TensorSpec([3], tf.int32)
    ),
    "scan": lambda tf: tf.scan(lambda a, x: a * 0.5 + x, tf.constant(_X)),
    "scan_reverse": lambda tf: tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4]), reverse=True),
    "scan_initializer": lambda tf: tf.scan(
        lambda a, x: (a[0] + x, a[1] * x), tf.constant([1.0, 2.0, 3.0]), initializer=(0.5, 2.0)
    ),
    "scan_initializer_reverse": lambda tf: tf.scan(
        lambda a, x: a * x, tf.constant([1.0, 2.0, 3.0, 4.0]), initializer=2.0, reverse=True
    ),
    "scan_empty": lambda tf: tf.scan(lambda a, x: a + x, tf.zeros([0])),
    "scan_empty_initializer": lambda tf: tf.scan(
        lambda a, x: a + x, tf.zeros([0, 2]), initializer=tf.ones([2])
    ),
    "foldl": lambda tf: tf.foldl(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])),
    "foldl_initializer": lambda tf: tf.foldl(
        lambda a, x: a + tf.reduce_sum(x), tf.constant(_X), initializer=tf.constant(100.0)
    ),
    "foldl_nested": lambda tf: tf.foldl(
        lambda a, x: (a[0] + x["u"], a[1] - x["v"]),
        {"u": tf.constant([1.0, 2.0]), "v": tf.constant([3, 4])},
        initializer=(tf.constant(0.0), tf.constant(0)),
    ),
    "foldl_dtype_error": lambda tf: tf.foldl(
        lambda a, x: a + x, tf.constant([1, 2, 3]), initializer=tf.constant(1.0)
    ),
    "foldr": lambda tf: tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])),
    "foldr_empty": lambda tf: tf.foldr(lambda a, x: a + x, tf.zeros([0])),
    "vectorized_map": lambda tf: tf.vectorized_map(
        lambda x: (x * 2.0, tf.reduce_sum(x)), tf.constant(_X)
    ),
    "vectorized_map_empty": lambda tf: tf.vectorized_map(lambda x: x * 2.0, tf.zeros([0, 3])),
    "vectorized_map_dict": lambda tf: tf.vectorized_map(
        lambda d: tf.tensordot(d["a"], d["b"], 1),
        {"a": tf.constant(_X), "b": tf.constant(_X[::-1].copy())},
    ),
    # Linear algebra at the top level
    "eig": lambda tf: [abs(v) for v in tf.eig(tf.constant([[2.0, 0.0], [0.0, 3.0]]))],
    "eigvals": lambda tf: tf.math.real(tf.eigvals(tf.constant([[4.0, 1.0], [2.0, 3.0]]))),
    "matrix_square_root": lambda tf: tf.matrix_square_root(
        tf.constant([[5.0, 4.0], [4.0, 5.0]], tf.float64)
    ),
    # Initializers
    "zeros_initializer": lambda tf: tf.zeros_initializer()([2, 3], tf.int64),
    "ones_initializer_bool": lambda tf: tf.ones_initializer()([2], tf.bool),
    "ones_initializer_partition": lambda tf: tf.ones_initializer()(
        [4, 3], partition_shape=[2, 3], partition_offset=[2, 0]
    ),
    "zeros_initializer_string": lambda tf: tf.zeros_initializer()([2], tf.string),
    "initializer_bad_kwarg": lambda tf: tf.ones_initializer()([2], foo=1),
    "constant_initializer": lambda tf: tf.constant_initializer([1, 2, 3, 4])([2, 2]),
    "constant_initializer_scalar": lambda tf: tf.constant_initializer(0.5)([3], tf.float64),
    "constant_initializer_size": lambda tf: tf.constant_initializer([1, 2])([3, 4]),
    "constant_initializer_type": lambda tf: tf.constant_initializer({}),
    "constant_initializer_partition": lambda tf: tf.constant_initializer(1.0)(
        [2], partition_shape=[1]
    ),
    "constant_initializer_config": lambda tf: tf.constant_initializer(7).get_config(),
    "random_uniform_initializer_seeded": lambda tf: tf.random_uniform_initializer(
        -1.0, 2.0, seed=7
    )([2, 3]),
    "random_uniform_initializer_int": lambda tf: tf.random_uniform_initializer(0, 10, seed=3)(
        [5], tf.int32
    ),
    "random_uniform_initializer_bool": lambda tf: tf.random_uniform_initializer()([2], tf.bool),
    "random_normal_initializer_seeded": lambda tf: tf.random_normal_initializer(1.0, 2.0, seed=11)(
        [3, 2], tf.float64
    ),
    "random_normal_initializer_int": lambda tf: tf.random_normal_initializer()([2], tf.int32),
    "random_normal_initializer_config": lambda tf: sorted(
        tf.random_normal_initializer.from_config(
            tf.random_normal_initializer(0.5, 3.0, seed=2).get_config()
        )
        .get_config()
        .items()
    ),
    # TensorProto
    "tensor_proto_scalar": lambda tf: _proto(tf, 1.0),
    "tensor_proto_vector": lambda tf: _proto(tf, [1.0, 2.0]),
    "tensor_proto_int64": lambda tf: _proto(tf, [[1, 2]], dtype=tf.int64),
    "tensor_proto_fill": lambda tf: _proto(tf, 0.0, shape=[2, 3]),
    "tensor_proto_short": lambda tf: _proto(tf, [1, 2], shape=[2, 2]),
    "tensor_proto_reshape": lambda tf: _proto(tf, [1, 2, 3, 4], shape=[2, 2]),
    "tensor_proto_too_many": lambda tf: _proto(tf, [1, 2, 3], shape=[2]),
    "tensor_proto_broadcast_bad": lambda tf: _proto(tf, [1, 2], shape=[2, 2], allow_broadcast=True),
    "tensor_proto_verify": lambda tf: _proto(tf, [1, 2], shape=[3], verify_shape=True),
    "tensor_proto_strings": lambda tf: _proto(tf, ["ab", b"c\n'\x01"]),
    "tensor_proto_bool": lambda tf: _proto(tf, tf.constant([True, False])),
    "tensor_proto_half": lambda tf: _proto(tf, np.float16(1.5)),
    "tensor_proto_complex": lambda tf: _proto(tf, np.complex64(1 - 2j)),
    "tensor_proto_float_text": lambda tf: _proto(tf, np.array([0.1], np.float32)),
    "tensor_proto_float64": lambda tf: _proto(tf, np.array([[0.1, 1e20], [-2.5, 3.0]])),
    "tensor_proto_bad_dtype": lambda tf: _proto(tf, [1.5], dtype=tf.int32),
    "make_ndarray": lambda tf: tf.make_ndarray(tf.make_tensor_proto(_X)),
    "make_ndarray_fill": lambda tf: tf.make_ndarray(tf.make_tensor_proto(0.5, shape=[2, 3])),
    "make_ndarray_strings": lambda tf: tf.make_ndarray(tf.make_tensor_proto(["ab", "c"])),
    "make_ndarray_bool": lambda tf: tf.make_ndarray(tf.make_tensor_proto([True, False, True])),
    "make_ndarray_half": lambda tf: tf.make_ndarray(
        tf.make_tensor_proto(np.array([1.5], np.float16))
    ),
    "get_static_value": lambda tf: [
        tf.get_static_value(tf.constant([1, 2])),
        tf.get_static_value([1, 2]),
        tf.get_static_value(3),
    ],
    # recompute_grad / grad_pass_through
    "recompute_grad": lambda tf: _grads(tf, tf.recompute_grad(lambda x: tf.sin(x) * x)),
    "recompute_grad_nested": lambda tf: _grads(
        tf, lambda x: tf.add_n(tf.recompute_grad(lambda a: [a * a, tf.exp(a)])(x))
    ),
    "grad_pass_through_round": lambda tf: _grads(tf, tf.grad_pass_through(tf.round)),
    "grad_pass_through_assign": lambda tf: _pass_through_assign(tf),
    # fingerprint
    "fingerprint_ints": lambda tf: tf.fingerprint(tf.constant([[1, 2], [3, 4]])),
    "fingerprint_floats": lambda tf: tf.fingerprint(tf.constant(_X)),
    "fingerprint_long_rows": lambda tf: tf.fingerprint(
        tf.reshape(tf.range(200, dtype=tf.int64), [2, 100])
    ),
    "fingerprint_strings": lambda tf: tf.fingerprint(tf.constant(["abc", "", "x" * 70])),
    "fingerprint_string_rows": lambda tf: tf.fingerprint(tf.constant([["abc", "de"], ["x", "y"]])),
    "fingerprint_scalar": lambda tf: tf.fingerprint(tf.constant(1.0)),
    "fingerprint_method": lambda tf: tf.fingerprint(tf.constant([1.0]), method="md5"),
    # random_index_shuffle
    "index_shuffle": lambda tf: tf.random_index_shuffle(tf.range(10), [1, 2, 3], 9),
    "index_shuffle_int64": lambda tf: tf.random_index_shuffle(
        tf.constant(7, tf.int64),
        tf.constant([1, 2, 3], tf.int64),
        tf.constant(100000, tf.int64),
        rounds=8,
    ),
    "index_shuffle_uint64_big": lambda tf: tf.random_index_shuffle(
        tf.constant([5, 2**40], tf.uint64),
        tf.constant([-1, 2**31, 9], tf.int64),
        tf.constant(2**50, tf.uint64),
    ),
    "index_shuffle_batched_seeds": lambda tf: tf.random_index_shuffle(
        tf.constant([3, 3, 3]),
        tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9]]),
        tf.constant([5, 1000, 70000]),
    ),
    "index_shuffle_zero_max": lambda tf: tf.random_index_shuffle(tf.constant(0), [1, 2, 3], 0),
    "index_shuffle_permutation": lambda tf: tf.sort(
        tf.random_index_shuffle(tf.range(300), [11, 12, 13], 299)
    ),
    "index_shuffle_above_max": lambda tf: tf.random_index_shuffle(
        tf.constant([70000, 3]), [1, 2, 3], 9
    ),  # fmt: skip
    "index_shuffle_bad_seed": lambda tf: tf.random_index_shuffle(tf.constant(7), [1, 2], 10),
    "index_shuffle_experimental": lambda tf: tf.random.experimental.index_shuffle(
        tf.range(10), [1, 2], 9
    ),
    "index_shuffle_experimental_int64": lambda tf: tf.random.experimental.index_shuffle(
        tf.constant(3, tf.int64), tf.constant([7, 8], tf.int64), tf.constant(9, tf.int64)
    ),
    "index_shuffle_experimental_seed_matrix": lambda tf: tf.random.experimental.index_shuffle(
        tf.constant([1, 2]), [[1, 2], [3, 4]], 9
    ),
    # edit_distance
    "edit_distance": lambda tf: tf.edit_distance(_hyp(tf), _truth(tf)),
    "edit_distance_raw": lambda tf: tf.edit_distance(_hyp(tf), _truth(tf), normalize=False),
    "edit_distance_ints": lambda tf: tf.edit_distance(
        tf.SparseTensor([[0, 0], [0, 1], [0, 2], [1, 0]], [1, 2, 3, 4], [2, 3]),
        tf.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 1]], [1, 3, 5, 4], [2, 2]),
    ),
    "edit_distance_dtypes": lambda tf: tf.edit_distance(
        tf.SparseTensor([[0, 0]], [1], [1, 1]), tf.SparseTensor([[0, 0]], [1.0], [1, 1])
    ),
    "edit_distance_ranks": lambda tf: tf.edit_distance(
        tf.SparseTensor([[0, 0]], [1], [1, 1]), tf.SparseTensor([[0, 0, 0]], [1], [1, 1, 1])
    ),
    # approx_top_k
    "approx_top_k": lambda tf: list(tf.approx_top_k(tf.constant([[1.0, 5.0, 3.0, 2.0, 5.0]]), 3)),
    "approx_top_k_int": lambda tf: list(tf.approx_top_k(tf.constant([4, -1, 7, 0]), 2)),
    "approx_top_k_3d": lambda tf: list(tf.approx_top_k(tf.constant(_X.reshape(3, 2, 2)), 1)),
    "approx_top_k_min": lambda tf: tf.approx_top_k(tf.constant([[1.0, 5.0]]), 1, is_max_k=False),
    "approx_top_k_dim0": lambda tf: tf.approx_top_k(
        tf.constant([[1.0, 5.0], [3.0, 2.0]]), 1, reduction_dimension=0
    ),
    "approx_top_k_grad": lambda tf: _grads(
        tf, lambda x: tf.concat([tf.approx_top_k(x, 2)[0], x[:1]], 0)
    ),
    # conv and the V2 backprop ops
    "conv_same": lambda tf: tf.conv(_IMG, _W, [1, 1, 1, 1], "SAME"),
    "conv_strided": lambda tf: tf.conv(_IMG, _W, [1, 2, 2, 1], "VALID", dilations=[1, 1, 1, 1]),
    "conv_dilated": lambda tf: tf.conv(
        tf.constant(_IMG, tf.float64),
        tf.constant(_W, tf.float64),
        [1, 1, 1, 1],
        "SAME",
        dilations=[1, 2, 2, 1],
    ),
    "conv_explicit": lambda tf: tf.conv(
        _IMG, _W, [1, 1, 1, 1], "EXPLICIT", explicit_paddings=[0, 0, 1, 2, 0, 1, 0, 0]
    ),
    "conv_batch_dims": lambda tf: tf.conv(
        _IMG.reshape(1, 2, 5, 5, 4), _W, [1, 1, 1, 1], "SAME", batch_dims=2
    ),  # fmt: skip
    "conv_3d": lambda tf: tf.conv(
        np.linspace(-1, 1, 2 * 4 * 4 * 4 * 2, dtype=np.float32).reshape(2, 4, 4, 4, 2),
        np.linspace(-1, 1, 2 * 2 * 2 * 2 * 3, dtype=np.float32).reshape(2, 2, 2, 2, 3),
        [1, 1, 2, 1, 1],
        "SAME",
    ),
    "conv_int": lambda tf: tf.conv(
        tf.ones([1, 3, 3, 2], tf.int32), tf.ones([2, 2, 2, 1], tf.int32), [1, 1, 1, 1], "VALID"
    ),
    "conv_groups": lambda tf: tf.conv(
        _IMG, np.ones((3, 3, 2, 6), np.float32), [1, 1, 1, 1], "SAME", groups=2
    ),  # fmt: skip
    "conv_channels_first": lambda tf: tf.conv(
        np.ones((2, 4, 5, 5), np.float32), _W, [1, 1, 1, 1], "SAME", data_format="CHANNELS_FIRST"
    ),
    "conv_1d": lambda tf: tf.conv(tf.ones([2, 7, 3]), tf.ones([2, 3, 4]), [1, 1, 1], "VALID"),
    "conv_depth": lambda tf: tf.conv(tf.ones([2, 5, 5, 3]), _W, [1, 1, 1, 1], "SAME"),
    "conv2d_backprop_input_v2": lambda tf: tf.conv2d_backprop_input_v2(
        _IMG, _W, tf.ones([2, 5, 5, 6]), [1, 1, 1, 1], "SAME"
    ),
    "conv2d_backprop_filter_v2": lambda tf: tf.conv2d_backprop_filter_v2(
        _IMG, _W, tf.ones([2, 5, 5, 6]), [1, 1, 1, 1], "SAME", data_format="NHWC"
    ),
    # extract_volume_patches
    "volume_patches": lambda tf: tf.extract_volume_patches(
        _VOL, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID"
    ),  # fmt: skip
    "volume_patches_same": lambda tf: tf.extract_volume_patches(
        _VOL, [1, 3, 2, 2, 1], [1, 2, 1, 3, 1], "SAME"
    ),
    "volume_patches_grad": lambda tf: _volume_grad(tf),
    "volume_patches_bad_ksizes": lambda tf: tf.extract_volume_patches(
        _VOL, [2, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID"
    ),
    # ragged_fill_empty_rows
    "ragged_fill": lambda tf: list(
        tf.ragged_fill_empty_rows(
            tf.constant([1, 1, 3], tf.int64),
            tf.constant([1.0, 2.0, 3.0]),
            tf.constant(5, tf.int64),
            tf.constant(0.0),
        )  # fmt: skip
    ),
    "ragged_fill_none_empty": lambda tf: list(
        tf.ragged_fill_empty_rows(
            tf.constant([0, 1, 1], tf.int64),
            tf.constant([4, 5, 6]),
            tf.constant(2, tf.int64),
            tf.constant(-1),
        )  # fmt: skip
    ),
    "ragged_fill_no_values": lambda tf: list(
        tf.ragged_fill_empty_rows(
            tf.zeros([0], tf.int64), tf.zeros([0]), tf.constant(3, tf.int64), tf.constant(7.0)
        )  # fmt: skip
    ),
    "ragged_fill_grad": lambda tf: list(
        tf.ragged_fill_empty_rows_grad(
            tf.constant([1, 2, 5], tf.int64), tf.constant([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
        )  # fmt: skip
    ),
}

# Cases also run inside ``tf.function``: all but those whose eager behaviour differs.
TRACED = sorted(
    {n for n in CASES if not n.startswith(("tensor_proto", "make_ndarray"))}
    - {
        "parallel_stack_eager",
        "no_op_group",
        "broadcast_static",
        "broadcast_static_unknown",
        "broadcast_static_bad",
        "constant_initializer_type",
        "constant_initializer_config",
        "random_normal_initializer_config",
        "get_static_value",
        "grad_pass_through_assign",
        # A traced graph reports these at run time in words of its own.
        "map_fn_dtype_mismatch",
        "map_fn_varying_shapes",
        "scan_empty",
        "foldr_empty",
    }
)
