"""Corners of the ``tf.*``, ``tf.math`` and ``tf.nn`` ops where tensorflux once differed
from TensorFlow, run twice: by real TensorFlow (``record_op_audit_fixtures.py`` writes
what they return or raise into ``tests/fixtures/op_audit.json``) and by tensorflux
(``test_op_audit.py`` compares).

Each case takes the ``tf`` module it runs on and returns a value or a list of them (the
format of ``tfops_cases``). The module imports neither framework.
"""

import numpy as np

from tests.ops import tfops_cases
from tests.ops.tfops_cases import error_summary

__all__ = ["CASES", "UP_TO_LIST", "error_summary", "summarize"]


def _jsonable(value):
    if isinstance(value, complex):
        return [value.real, value.imag]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def summarize(value):
    """``tfops_cases``' description of a result, complex numbers as ``[re, im]`` pairs."""
    return _jsonable(tfops_cases.summarize(value))


_M = [[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]


def _grad(tf, fn, *args):
    """The tape's gradients of ``fn(*args)`` w.r.t. every argument."""
    xs = [tf.constant(a) for a in args]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    return tape.gradient(y, xs)


def _where_grad(tf, fn):
    """The gradient through ``tf.where(x > 0.5, fn(x), x)``: the discarded branch's
    gradient is 0 there, and must add no NaN where ``fn`` has no derivative."""
    return _grad(tf, lambda x: tf.where(x > 0.5, fn(x), x), [-1.0, 0.0, 4.0])


CASES = {
    # reductions
    "reduce_variance_bool": lambda tf: tf.math.reduce_variance(tf.constant([True, False])),
    "reduce_std_bool": lambda tf: tf.math.reduce_std(tf.constant([True, False])),
    "reduce_std_int": lambda tf: tf.math.reduce_std(tf.constant([1, 2])),
    "euclidean_norm_complex": lambda tf: tf.math.reduce_euclidean_norm(
        tf.constant([1 + 2j, 3 - 1j])
    ),
    "euclidean_norm_complex_axis": lambda tf: tf.math.reduce_euclidean_norm(
        tf.constant([[1 + 2j, 3 - 1j], [2j, 1]], tf.complex64), axis=1
    ),
    # scans
    "cumprod_grad_zero": lambda tf: _grad(tf, tf.math.cumprod, [1.0, 2.0, 0.0, 4.0]),
    "cumprod_grad_zero_exclusive_reverse": lambda tf: _grad(
        tf, lambda x: tf.math.cumprod(x, exclusive=True, reverse=True), [1.0, 2.0, 0.0, 4.0]
    ),
    "cumsum_scalar": lambda tf: tf.math.cumsum(3.0),
    "cumprod_axis_out_of_range": lambda tf: tf.math.cumprod(tf.constant(_M), axis=2),
    "cumulative_logsumexp_scalar": lambda tf: tf.math.cumulative_logsumexp(3.0),
    "cumulative_logsumexp_axis": lambda tf: tf.math.cumulative_logsumexp(tf.constant(_M), 2),
    # argmax / argmin
    "argmin_int16": lambda tf: tf.argmin(tf.constant(_M), 1, output_type=tf.int16),
    "argmax_int16": lambda tf: tf.argmax(tf.constant(_M), 1, output_type=tf.int16),
    "argmin_float_type": lambda tf: tf.argmin(tf.constant(_M), 1, output_type=tf.float32),
    "argmax_float_type": lambda tf: tf.argmax(tf.constant(_M), 1, output_type=tf.float32),
    "argmax_empty": lambda tf: tf.argmax(tf.zeros([0])),
    "argmin_empty_axis": lambda tf: tf.argmin(tf.zeros([2, 0]), axis=1),
    # in_top_k / unique
    "in_top_k_float64": lambda tf: tf.math.in_top_k(
        tf.constant([0, 1]), tf.constant([[0.5, 0.5], [0.8, 0.2]], tf.float64), 1
    ),
    "unique_nan": lambda tf: tf.unique(tf.constant([np.nan, 1.0, np.nan, 1.0])),
    "unique_with_counts_nan": lambda tf: tf.unique_with_counts(tf.constant([np.nan, np.nan, 1.0])),
    "unique_float_out_idx": lambda tf: tf.unique(tf.constant([1, 2]), out_idx=tf.float32),
    "unique_with_counts_float_out_idx": lambda tf: tf.unique_with_counts(
        tf.constant([1, 2]), out_idx=tf.float32
    ),
    # gradients TF's kernels zero where the incoming gradient is zero
    "where_sqrt_grad": lambda tf: _where_grad(tf, tf.sqrt),
    "where_rsqrt_grad": lambda tf: _where_grad(tf, tf.math.rsqrt),
    "where_reciprocal_grad": lambda tf: _where_grad(tf, tf.math.reciprocal),
    "where_sqrt_squared_grad": lambda tf: _where_grad(tf, lambda x: tf.sqrt(x) ** 2),
    "where_divide_grad": lambda tf: _where_grad(tf, lambda x: 1.0 / x),
    # gather_nd / where / scatter
    "gather_nd_rows_grad": lambda tf: _grad(
        tf, lambda x: tf.gather_nd(x, [[1], [1]]), [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    ),
    "gather_nd_rows_grad_int64": lambda tf: _grad(
        tf,
        lambda x: tf.gather_nd(x, tf.constant([[2], [0]], tf.int64)),
        [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
    ),  # fmt: skip
    "gather_nd_elements_grad": lambda tf: _grad(
        tf, lambda x: tf.gather_nd(x, [[1, 0], [1, 0]]), [[1.0, 2.0], [3.0, 4.0]]
    ),
    "where_scalar": lambda tf: tf.where(tf.constant(True)),
    "tensor_scatter_add_bool": lambda tf: tf.tensor_scatter_nd_add(
        tf.constant([True, False]), [[0]], [False]
    ),
    "tensor_scatter_sub_bool": lambda tf: tf.tensor_scatter_nd_sub(
        tf.constant([True, False]), [[0]], [False]
    ),
    "tensor_scatter_max_complex": lambda tf: tf.tensor_scatter_nd_max(
        tf.constant([1j, 2]), [[0]], [1 + 0j]
    ),
    "tensor_scatter_sub_uint8": lambda tf: tf.tensor_scatter_nd_sub(
        tf.constant([5, 2], tf.uint8), [[0], [0]], tf.constant([1, 3], tf.uint8)
    ),
    "tensor_scatter_sub_grad": lambda tf: _grad(
        tf,
        lambda t, u: tf.tensor_scatter_nd_sub(t, [[1], [1]], u) * [1.0, 2.0, 3.0],
        [1.0, 2.0, 3.0],
        [5.0, 0.5],
    ),  # fmt: skip
    # pad / reverse / expand_dims
    "pad_strings": lambda tf: tf.pad(tf.constant(["a", "b"]), [[1, 1]]),
    "pad_bool": lambda tf: tf.pad(tf.constant([True]), [[1, 0]]),
    "pad_bool_constant_true": lambda tf: tf.pad(
        tf.constant([False]), [[1, 0]], constant_values=True
    ),
    "reverse_no_axes": lambda tf: tf.reverse(tf.constant(_M), []),
    "reverse_axis_out_of_range": lambda tf: tf.reverse(tf.constant(_M), [2]),
    "reverse_negative_out_of_range": lambda tf: tf.reverse(tf.constant(_M), [-3]),
    "reverse_float_axis": lambda tf: tf.reverse(tf.constant(_M), [0.0]),
    "expand_dims_list_axis": lambda tf: tf.expand_dims([1, 2], [0]),
    "expand_dims_nested_axis": lambda tf: tf.expand_dims([1, 2], [[1]]),
    "expand_dims_two_axes": lambda tf: tf.expand_dims([1, 2], [0, 1]),
    "expand_dims_float_axis": lambda tf: tf.expand_dims([1, 2], 0.0),
    "expand_dims_fraction_axis": lambda tf: tf.expand_dims(tf.ones([2]), 0.5),
    # concat / stack / where: the first tensor sets the dtype of the others
    "concat_list_then_float": lambda tf: tf.concat([[1], [2.0]], 0),
    "concat_tensor_then_float_list": lambda tf: tf.concat([tf.constant([1]), [2.0]], 0),
    "concat_list_then_float_tensor": lambda tf: tf.concat([[1], tf.constant([2.5])], 0),
    "concat_float64_array": lambda tf: tf.concat([tf.constant([1.0]), np.array([2.0])], 0),
    "concat_number_string": lambda tf: tf.concat([1.0, "a"], 0),
    "concat_string_number": lambda tf: tf.concat(["a", 1.0], 0),
    "concat_scalars": lambda tf: tf.concat([tf.constant(1), tf.constant(2)], 0),
    "concat_axis_out_of_range": lambda tf: tf.concat([tf.ones([2, 2]), tf.ones([2, 2])], 2),
    "concat_one_axis_out_of_range": lambda tf: tf.concat([tf.ones([2, 2])], 5),
    "concat_ranks_differ": lambda tf: tf.concat([tf.ones([4, 2]), tf.ones([2])], 0),
    "concat_dims_differ": lambda tf: tf.concat([tf.ones([2, 3, 4]), tf.ones([2, 3, 5])], 1),
    "stack_lists_axis0": lambda tf: tf.stack([[1], [2.0]]),
    "stack_lists_axis1": lambda tf: tf.stack([[1], [2.0]], 1),
    "stack_list_then_tensor": lambda tf: tf.stack([[1], tf.constant([2.5])], 1),
    "stack_axis_before_conversion": lambda tf: tf.stack([1.0, "a"], 1),
    "stack_shapes_differ": lambda tf: tf.stack([[1, 2], [3]]),
    "where_int_then_float_list": lambda tf: tf.where(
        [True, False], tf.constant([1, 2]), [3.0, 4.0]
    ),
    "where_float_list_then_int": lambda tf: tf.where(
        [True, False], [1.0, 2.0], tf.constant([3, 4])
    ),
    "where_lists": lambda tf: tf.where([True, False], [1, 2], [3.0, 4.0]),
    "where_list_then_tensor": lambda tf: tf.where([True], [1], tf.constant([2.5])),
    # range / linspace / one_hot / bitcast
    "range_uint8": lambda tf: tf.range(3, dtype=tf.uint8),
    "range_int16": lambda tf: tf.range(3, dtype=tf.int16),
    "range_complex": lambda tf: tf.range(3, dtype=tf.complex64),
    "range_bool": lambda tf: tf.range(3, dtype=tf.bool),
    "range_half": lambda tf: tf.range(3, dtype=tf.float16),
    "linspace_scalar_axis_out_of_range": lambda tf: tf.linspace(0.0, 1.0, 3, axis=1),
    "linspace_vector_axis": lambda tf: tf.linspace([0.0, 1.0], [1.0, 2.0], 3, axis=-1),
    "one_hot_int64_depth": lambda tf: tf.one_hot([0, 1], tf.constant(2, tf.int64)),
    "one_hot_float_depth": lambda tf: tf.one_hot([0, 1], tf.constant(2.0)),
    "one_hot_float_indices": lambda tf: tf.one_hot([0.0, 1.0], 2),
    "one_hot_on_off_dtypes": lambda tf: tf.one_hot([0, 1], 2, on_value=1, off_value=0.0),
    "bitcast_from_bool": lambda tf: tf.bitcast(tf.constant([True]), tf.uint8),
    "bitcast_to_bool": lambda tf: tf.bitcast(tf.constant([1]), tf.bool),
    # conversion messages name the dtype as TF's kernels do
    "convert_string_to_double": lambda tf: tf.convert_to_tensor("a", tf.float64),
    "convert_string_to_half": lambda tf: tf.convert_to_tensor("a", tf.float16),
    "convert_number_to_string": lambda tf: tf.convert_to_tensor(1.0, tf.string),
    "assign_string": lambda tf: tf.Variable([1.0, 2.0]).assign("a"),
}

# TF lists dtypes tensorflux does not have (qint8 ...): the message is compared up to the list.
UP_TO_LIST = {"reduce_variance_bool", "reduce_std_bool"}
