"""Pipelines using the Dataset methods of selection, grouping and sampling, each a
function of the ``tf`` module: the recording script builds them with TensorFlow, the
tests with tensorflux, and both iterate them to NumPy."""

import collections

ELEMENTS = [[0], [1, 2], [3, 4, 5], [6], [7, 8], [9, 10, 11, 12]]


def _classes(tf):
    return tf.data.Dataset.range(40).map(lambda x: tf.cast(x % 3 == 0, tf.int32))


def _varying_unknown_rank(tf):
    return tf.data.Dataset.from_generator(lambda: ELEMENTS, tf.int32)


def _varying(tf):
    return tf.data.Dataset.from_generator(lambda: ELEMENTS, tf.int32, output_shapes=[None])


CASES = {
    "unique_ints": lambda tf: tf.data.Dataset.from_tensor_slices([1, 2, 1, 3, 2, 3]).unique(),
    "unique_strings": lambda tf: tf.data.Dataset.from_tensor_slices(["b", "a", "b"]).unique(),
    "unique_vectors": lambda tf: tf.data.Dataset.from_tensor_slices(
        [[1, 2], [1, 2], [2, 1]]
    ).unique(),
    "shard": lambda tf: tf.data.Dataset.range(10).shard(3, 1),
    "shard_last": lambda tf: tf.data.Dataset.range(10).shard(4, 3),
    "take_while": lambda tf: tf.data.Dataset.range(10).take_while(lambda x: x < 4),
    "take_while_none": lambda tf: tf.data.Dataset.range(5).take_while(lambda x: x > 2),
    "scan_sum": lambda tf: tf.data.Dataset.range(5).scan(
        tf.constant(0, tf.int64), lambda s, x: (s + x, s * x)
    ),
    "scan_tuple": lambda tf: tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).scan(
        (0, 1), lambda s, e: ((s[0] + e[0], s[1] * e[1]), (s[0], e[0] - e[1]))
    ),
    "scan_growing": lambda tf: tf.data.Dataset.range(3).scan(
        tf.zeros([0], tf.int64), lambda s, x: (tf.concat([s, [x]], 0), tf.size(s))
    ),
    "counter": lambda tf: tf.data.Dataset.counter(start=3, step=2).take(4),
    "counter_int32_down": lambda tf: tf.data.Dataset.counter(5, -3, tf.int32).take(3),
    "ignore_errors": lambda tf: (
        tf.data.Dataset.from_tensor_slices(["1", "x", "2.5"])
        .map(tf.strings.to_number)
        .ignore_errors()
    ),
    "group_by_window": lambda tf: tf.data.Dataset.range(10).group_by_window(
        key_func=lambda x: x % 3, reduce_func=lambda key, ds: ds.batch(2), window_size=2
    ),
    "group_by_window_size_func": lambda tf: tf.data.Dataset.range(12).group_by_window(
        key_func=lambda x: x % 2,
        reduce_func=lambda key, ds: ds.batch(5),
        window_size_func=lambda key: key + 2,
    ),
    "bucket": lambda tf: _varying(tf).bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], bucket_boundaries=[2, 4], bucket_batch_sizes=[2, 2, 2]
    ),
    "bucket_boundary_pad": lambda tf: (
        _varying(tf)
        .take(5)
        .bucket_by_sequence_length(
            lambda x: tf.shape(x)[0],
            bucket_boundaries=[3, 5],
            bucket_batch_sizes=[2, 2, 2],
            pad_to_bucket_boundary=True,
            padding_values=-1,
        )
    ),
    "bucket_no_padding": lambda tf: tf.data.Dataset.range(7).bucket_by_sequence_length(
        lambda x: tf.cast(x, tf.int32),
        bucket_boundaries=[3],
        bucket_batch_sizes=[2, 3],
        no_padding=True,
    ),
    "choose": lambda tf: tf.data.Dataset.choose_from_datasets(
        [
            tf.data.Dataset.from_tensor_slices([1, 2, 3]),
            tf.data.Dataset.from_tensor_slices([10, 20]),
        ],
        tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 1, 0], tf.int64)),
    ),
    "choose_no_stop": lambda tf: tf.data.Dataset.choose_from_datasets(
        [
            tf.data.Dataset.from_tensor_slices([1, 2, 3]),
            tf.data.Dataset.from_tensor_slices([10, 20]),
        ],
        tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 1, 0], tf.int64)),
        stop_on_empty_dataset=False,
    ),
    "sample_weighted": lambda tf: tf.data.Dataset.sample_from_datasets(
        [tf.data.Dataset.range(0, 100), tf.data.Dataset.range(100, 200)], weights=[0.3, 0.7], seed=5
    ).take(20),
    "sample_uniform": lambda tf: tf.data.Dataset.sample_from_datasets(
        [tf.data.Dataset.range(0, 3), tf.data.Dataset.range(100, 103)], seed=11
    ),
    "sample_three_stop": lambda tf: tf.data.Dataset.sample_from_datasets(
        [tf.data.Dataset.range(4), tf.data.Dataset.range(10, 14), tf.data.Dataset.range(20, 24)],
        weights=tf.constant([0.2, 0.5, 0.3]),
        seed=2,
        stop_on_empty_dataset=True,
    ),
    "sample_zero_weight": lambda tf: tf.data.Dataset.sample_from_datasets(
        [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 13)], weights=[0.0, 1.0], seed=1
    ),
    "random": lambda tf: tf.data.Dataset.random(seed=3).take(9),
    "rejection_resample_given": lambda tf: _classes(tf).rejection_resample(
        lambda x: x, target_dist=[0.5, 0.5], initial_dist=[0.66, 0.34], seed=7
    ),
    "rejection_resample_estimated": lambda tf: _classes(tf).rejection_resample(
        lambda x: x, target_dist=[0.3, 0.7], seed=3
    ),
    "rebatch_sizes": lambda tf: tf.data.Dataset.range(10).batch(4).rebatch([1, 2]),
    "rebatch_sizes_tensor": lambda tf: (
        tf.data.Dataset.range(10)
        .batch(4)
        .rebatch(tf.constant([3, 1], tf.int64), drop_remainder=True)
    ),
    "rebatch_equal_sizes": lambda tf: (
        tf.data.Dataset.range(10).batch(4).rebatch([2, 2], drop_remainder=True)
    ),
    "rebatch_known_input": lambda tf: tf.data.Dataset.range(10).batch(5, True).rebatch(2),
    "unbatch_static_rows": lambda tf: tf.data.Dataset.from_tensor_slices(
        ([[[1, 2], [3, 4]]], [[5, 6]])
    ).unbatch(),
    "unbatch_batched_dropped": lambda tf: tf.data.Dataset.range(7).batch(3, True).unbatch(),
    "unbatch_unknown_rows": lambda tf: tf.data.Dataset.range(7).batch(3).unbatch(),
    "unbatch_empty_rows": lambda tf: tf.data.Dataset.from_tensors(tf.zeros([0, 2])).unbatch(),
    "generator_list_leaves": lambda tf: tf.data.Dataset.from_generator(
        lambda: iter([(1, [1.0, 2.0]), (2, [3.0])]),
        output_signature=(tf.TensorSpec((), tf.int32), tf.TensorSpec((None,), tf.float32)),
    ),
    "generator_numpy_conversion": lambda tf: tf.data.Dataset.from_generator(
        lambda: iter([1.7, 2]), output_types=tf.int32, output_shapes=()
    ),
    "padded_batch_string_scalars": lambda tf: tf.data.Dataset.from_generator(
        lambda: [([1], "a"), ([1, 2], "bb")], (tf.int32, tf.string), ([None], [])
    ).padded_batch(2, padding_values=(-1, "z")),
    "padded_batch_unknown_rank": lambda tf: _varying_unknown_rank(tf).padded_batch(
        2, padded_shapes=[4]
    ),
    "bucket_drop_remainder": lambda tf: _varying(tf).bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [2], [2, 2], drop_remainder=True
    ),
    "map_fill_int64_dims": lambda tf: tf.data.Dataset.range(3).map(
        lambda x: tf.ensure_shape(tf.fill([x], 1), [None])
    ),
    "ordered_dict_elements": lambda tf: tf.data.Dataset.from_tensors(
        collections.OrderedDict([("b", 1), ("a", 2.0)])
    ).batch(1),
    "map_nested_list_is_a_tensor": lambda tf: tf.data.Dataset.range(3).map(
        lambda x: [x, [x, x * 2]]
    ),
    "map_dict_of_list": lambda tf: tf.data.Dataset.range(2).map(lambda x: {"a": [x, 1]}),
    "group_by_reducer": lambda tf: tf.data.Dataset.range(7).apply(
        tf.data.experimental.group_by_reducer(
            lambda x: x % 3,
            tf.data.experimental.Reducer(
                lambda k: tf.constant(0, tf.int64), lambda s, x: s + x, lambda s: s * 10
            ),
        )
    ),
    "sparse_batch": lambda tf: (
        tf.data.Dataset.from_tensor_slices([[1, 0, 4], [2, 3, 0]])
        .map(lambda x: tf.boolean_mask(x, x > 0))
        .sparse_batch(2, [3])
    ),
}
