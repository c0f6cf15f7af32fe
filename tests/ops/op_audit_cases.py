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
    # matmul dtypes, output_type and shape errors
    "matmul_transpose_and_adjoint": lambda tf: tf.matmul(
        tf.ones([2, 2]), tf.ones([2, 2]), transpose_a=True, adjoint_a=True
    ),
    "matmul_int8": lambda tf: tf.matmul(tf.ones([1, 1], tf.int8), tf.ones([1, 1], tf.int8)),
    "matmul_int8_batched": lambda tf: tf.matmul(
        tf.ones([2, 1, 1], tf.int8), tf.ones([2, 1, 1], tf.int8)
    ),
    "matmul_int16_batched": lambda tf: tf.matmul(
        tf.ones([2, 1, 1], tf.int16), tf.ones([2, 1, 1], tf.int16)
    ),
    "matmul_uint8": lambda tf: tf.matmul(tf.ones([1, 1], tf.uint8), tf.ones([1, 1], tf.uint8)),
    "matmul_int8_to_int32": lambda tf: tf.matmul(
        tf.constant([[100, 100]], tf.int8),
        tf.constant([[100], [100]], tf.int8),
        output_type=tf.int32,
    ),  # fmt: skip
    "matmul_uint8_int8_to_int32": lambda tf: tf.matmul(
        tf.ones([1, 2], tf.uint8), tf.ones([2, 1], tf.int8), output_type=tf.int32
    ),
    "matmul_same_output_type": lambda tf: tf.matmul(
        tf.ones([1, 2]), tf.ones([2, 1]), output_type=tf.float32
    ),
    "matmul_int8_to_float": lambda tf: tf.matmul(
        tf.ones([1, 1], tf.int8), tf.ones([1, 1], tf.int8), output_type=tf.float32
    ),
    "matmul_vectors": lambda tf: tf.matmul(tf.ones([2]), tf.ones([2])),
    "matmul_matrix_vector": lambda tf: tf.matmul(tf.ones([2, 2]), tf.ones([2])),
    "matmul_batch_vector": lambda tf: tf.matmul(tf.ones([3, 2, 2]), tf.ones([2])),
    "matmul_inner_mismatch": lambda tf: tf.matmul(tf.ones([2, 3]), tf.ones([2, 2])),
    "matmul_batched_inner_mismatch": lambda tf: tf.matmul(tf.ones([2, 2, 3]), tf.ones([2, 2])),
    "matmul_batch_mismatch": lambda tf: tf.matmul(tf.ones([3, 2, 2]), tf.ones([4, 2, 2])),
    "matmul_batch_checked_first": lambda tf: tf.matmul(tf.ones([3, 1, 2]), tf.ones([1, 2, 3, 2])),
    # norms, activations, softmax
    "norm_complex": lambda tf: tf.norm(tf.constant([[3.0 + 4j, 1j], [2.0, 1 - 1j]])),
    "norm_complex_fro": lambda tf: tf.norm(tf.constant([[3.0 + 4j, 1j]]), "fro", axis=[0, 1]),
    "norm_complex_ord3": lambda tf: tf.norm(tf.constant([3.0 + 4j, 1j]), ord=3),
    "norm_complex_ord1": lambda tf: tf.norm(tf.constant([3.0 + 4j, 1j]), ord=1),
    "selu_grad_at_zero": lambda tf: _grad(tf, tf.nn.selu, [-1.0, 0.0, 1.0]),
    "elu_grad_at_zero": lambda tf: _grad(tf, tf.nn.elu, [-1.0, 0.0, 1.0]),
    "softmax_empty": lambda tf: tf.nn.softmax(tf.zeros([2, 0])),
    "log_softmax_empty": lambda tf: tf.nn.log_softmax(tf.zeros([2, 0])),
    "softmax_half": lambda tf: tf.nn.softmax(tf.constant([1.0, 2.0, 0.5], tf.float16)),
    # losses, dropout, l2_normalize
    "sigmoid_xent_float_labels_double_logits": lambda tf: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=[1.0], logits=tf.constant([1.0], tf.float64)
    ),
    "sigmoid_xent_int_labels": lambda tf: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=[[1, 0]], logits=tf.constant([[1.0, 2.0]])
    ),
    "dropout_rate_dtype": lambda tf: tf.nn.dropout(
        tf.constant([1.0], tf.float64), rate=tf.constant(0.5)
    ),
    "dropout_rate_list": lambda tf: tf.nn.dropout(tf.constant([1.0]), rate=[0.5]),
    "l2_normalize_complex": lambda tf: tf.nn.l2_normalize(tf.constant([3.0 + 4j, 1j])),
    "l2_normalize_complex_axis": lambda tf: tf.nn.l2_normalize(
        tf.constant([[3.0 + 4j, 1j], [0j, 2.0]], tf.complex64), axis=1
    ),
    # Python operands of binary ops: the first sets the dtype of the others
    "pow_float_int": lambda tf: tf.math.pow(3.0, 2),
    "pow_int_float": lambda tf: tf.math.pow(2, 3.5),
    "maximum_list_int": lambda tf: tf.math.maximum([1.0, 2.0], 2),
    "maximum_bool_int": lambda tf: tf.math.maximum(True, 1),
    "multiply_numpy_float": lambda tf: tf.math.multiply(np.float64(2.0), 3.0),
    "multiply_int_numpy": lambda tf: tf.math.multiply(3, np.array([2.5])),
    "equal_float_int": lambda tf: tf.math.equal(3.0, 2),
    "atan2_float_int": lambda tf: tf.math.atan2(3.0, 2),
    "add_int_float": lambda tf: tf.math.add(2, 3.5),
    "add_int_tensor_float": lambda tf: tf.math.add(2, tf.constant(1.0)),
    "add_int_numpy": lambda tf: tf.math.add(2, np.float64(2.5)),
    "add_tensor_numpy": lambda tf: tf.math.add(tf.constant([1.0]), np.array([2.5])),
    "add_n_float_int": lambda tf: tf.math.add_n([3.0, 2]),
    "add_n_tensor_int": lambda tf: tf.math.add_n([tf.constant(1.0), 2]),
    "convert_numpy_hint": lambda tf: tf.convert_to_tensor(np.array([2.5]), dtype_hint=tf.int32),
    # special functions and division at the edges
    "zeta_edges": lambda tf: tf.math.zeta(
        [0.5, 0.0, 1.0, 2.0, 2.0, 2.0, 0.0], [0.5, 0.5, 0.5, 0.0, -1.5, np.inf, 0.0]
    ),
    "polygamma_edges": lambda tf: tf.math.polygamma(
        [0.0, 1.0, 2.0, -1.0, 0.5, 1.0, -7.0], [0.0, -1.0, -1.5, 1.0, 1.0, np.inf, 0.0]
    ),
    "igamma_at_zero": lambda tf: tf.math.igamma([7.0, -7.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]),
    "nextafter_grad": lambda tf: _grad(tf, tf.math.nextafter, [0.5, 1.0], [1.5, 0.5]),
    "floordiv_float_exact": lambda tf: tf.math.floordiv(
        tf.constant([-0.5, 1.0, 7.5, -7.5]), tf.constant([np.inf, 0.1, 2.0, 2.0])
    ),
    "pow_uint8": lambda tf: tf.math.pow(tf.constant([7], tf.uint8), tf.constant([2], tf.uint8)),
    "squared_difference_uint8": lambda tf: tf.math.squared_difference(
        tf.constant([7], tf.uint8), tf.constant([2], tf.uint8)
    ),
    "squared_difference_int": lambda tf: tf.math.squared_difference([7, -7], 2),
    "reduce_all_empty_list": lambda tf: tf.math.reduce_all([]),
    "reduce_any_empty_list": lambda tf: tf.math.reduce_any([]),
    # linalg
    "logdet_complex": lambda tf: tf.linalg.logdet(tf.constant([[2.0 + 0j, 1j], [-1j, 3.0]])),
    "pinv_complex": lambda tf: tf.linalg.pinv(tf.constant([[1.0 + 1j, 2.0], [0.0, 1.0]])),
    "matrix_rank_complex": lambda tf: tf.linalg.matrix_rank(tf.constant([[1.0 + 1j, 2.0]])),
    "pinv_int": lambda tf: tf.linalg.pinv(tf.constant([[1, 2], [3, 4]])),
    "expm_empty": lambda tf: tf.linalg.expm(tf.zeros([0, 0])),
    "lu_empty": lambda tf: tf.linalg.lu(tf.zeros([0, 0])),
    # creation and indexing
    "zeros_string": lambda tf: tf.zeros([2], tf.string),
    "zeros_like_string": lambda tf: tf.zeros_like(["a", "b"]),
    "ones_string": lambda tf: tf.ones([2], tf.string),
    "gather_nd_batch_dims_too_large": lambda tf: tf.gather_nd(
        tf.reshape(tf.range(24), [2, 3, 4]), [[1], [0]], batch_dims=2
    ),
    # segment ops: TF's id dtypes and shape checks
    "segment_sum_short_ids": lambda tf: tf.math.segment_sum(tf.ones([4, 2]), [0, 0, 1]),
    "segment_sum_negative_id": lambda tf: tf.math.segment_sum(tf.ones([4, 2]), [-1, 0, 1, 1]),
    "segment_mean_short_ids": lambda tf: tf.math.segment_mean(tf.ones([4, 2]), [0, 0, 1]),
    "segment_max_float_ids": lambda tf: tf.math.segment_max(tf.ones([2]), [0.0, 1.0]),
    "segment_sum_int16_ids": lambda tf: tf.math.segment_sum(
        tf.ones([2]), tf.constant([0, 1], tf.int16)
    ),
    "unsorted_segment_sum_int16_ids": lambda tf: tf.math.unsorted_segment_sum(
        tf.ones([2]), tf.constant([0, 1], tf.int16), 2
    ),
    "unsorted_segment_sum_float_ids": lambda tf: tf.math.unsorted_segment_sum(
        tf.ones([2]), [0.0, 1.0], 2
    ),
    "unsorted_segment_sum_short_ids": lambda tf: tf.math.unsorted_segment_sum(
        tf.ones([4, 2]), [0, 1], 2
    ),
    "unsorted_segment_max_short_ids": lambda tf: tf.math.unsorted_segment_max(
        tf.ones([4, 2]), [0, 1], 2
    ),
    # split / squeeze
    "split_two_unknown": lambda tf: tf.split(tf.zeros([5, 2]), [1, -1, -1]),
    "split_one_unknown_piece": lambda tf: tf.split(tf.ones([2, 3]), [-1], axis=1),
    "split_zero_ways": lambda tf: tf.split(tf.ones([4, 2]), 0),
    "split_num_mismatch": lambda tf: tf.split(tf.ones([2, 3]), [1, 1, 1], axis=1, num=2),
    "squeeze_empty_axis_list": lambda tf: tf.squeeze(tf.zeros([1, 2, 1]), []),
    # axis and k arguments that must be scalars
    "argmax_vector_axis_tensor": lambda tf: tf.argmax(tf.ones([2, 3]), axis=tf.constant([1])),
    "argmax_list_axis": lambda tf: tf.argmax(tf.ones([2, 3]), axis=[1]),
    "cumsum_list_axis": lambda tf: tf.math.cumsum(tf.ones([2, 3]), axis=[1]),
    "cumsum_vector_axis_tensor": lambda tf: tf.math.cumsum(tf.ones([2, 3]), tf.constant([1])),
    "top_k_list_k": lambda tf: tf.math.top_k(tf.ones([2, 3]), [1]),
    "concat_one_element_axis": lambda tf: tf.concat([tf.ones([2, 3]), tf.ones([2, 3])], [1]),
    "concat_matrix_axis": lambda tf: tf.concat([tf.ones([2, 3]), tf.ones([2, 3])], [[1]]),
    "concat_two_axes": lambda tf: tf.concat([tf.ones([2, 3]), tf.ones([2, 3])], [0, 1]),
    "average_loss_weights_expanded": lambda tf: tf.nn.compute_average_loss(
        [[1.0, 2.0]], sample_weight=[0.5, 1.0]
    ),
    "average_loss_weights_squeezed": lambda tf: tf.nn.compute_average_loss(
        [1.0, 2.0], sample_weight=[[0.5], [1.0]]
    ),
    "average_loss_rows_weighted": lambda tf: tf.nn.compute_average_loss(
        [[1.0, 2.0], [3.0, 4.0]], sample_weight=[1.0, 0.0]
    ),
    "floordiv_int_by_zero": lambda tf: tf.math.floordiv(tf.constant([7, -7]), tf.constant([0, 1])),
    "floormod_uint8_by_zero": lambda tf: tf.math.floormod(
        tf.constant([7], tf.uint8), tf.constant([0], tf.uint8)
    ),
    "floordiv_operator_by_zero": lambda tf: tf.constant([7]) // 0,
    "pow_negative_int_exponent": lambda tf: tf.pow(tf.constant([7, 2]), tf.constant([2, -1])),
    "softmax_scalar": lambda tf: tf.nn.softmax(tf.constant(1.0)),
    "log_softmax_scalar": lambda tf: tf.nn.log_softmax(tf.constant(1.0)),
    "gelu_int": lambda tf: tf.nn.gelu([1, 2]),
    "bias_add_matrix_bias": lambda tf: tf.nn.bias_add(tf.ones([2, 2]), [[1.0, 2.0]]),
    "einsum_operand_count": lambda tf: tf.einsum("ij,jk->ik", tf.ones([2, 2])),
    # elementwise ops on shapes that do not broadcast
    "add_incompatible_shapes": lambda tf: tf.add(tf.ones([2, 3]), tf.ones([2])),
    "maximum_incompatible_shapes": lambda tf: tf.maximum(tf.ones([2, 3]), tf.ones([2])),
    "multiply_operator_incompatible": lambda tf: tf.ones([2, 3]) * tf.ones([2]),
    "equal_incompatible_shapes": lambda tf: tf.equal(tf.ones([2, 3]), tf.ones([2])),
    "clip_incompatible_bound": lambda tf: tf.clip_by_value(tf.ones([2, 3]), [1.0, 2.0], 3.0),
    # roll / tile / cross-entropy shape errors
    "roll_shift_axis_sizes": lambda tf: tf.roll(tf.ones([2, 3]), [1, 2], [0]),
    "roll_matrix_shift": lambda tf: tf.roll(tf.ones([2, 3]), [[1]], [[0]]),
    "roll_matrix_axis": lambda tf: tf.roll(tf.ones([2, 3]), [1], [[0]]),
    "roll_negative_axis_out_of_range": lambda tf: tf.roll(tf.ones([2, 3]), 1, -3),
    "roll_scalar": lambda tf: tf.roll(3.0, 1, 0),
    "roll_float_shift": lambda tf: tf.roll(tf.ones([2, 3]), 1.0, 0),
    "tile_matrix_multiples": lambda tf: tf.tile(tf.ones([2, 3]), [[1, 2]]),
    "softmax_xent_not_broadcastable": lambda tf: tf.nn.softmax_cross_entropy_with_logits(
        labels=[[0.0, 1.0]], logits=[[1.0, 2.0, 3.0]]
    ),
    "sparse_xent_labels_rank": lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=[[1], [0]], logits=tf.ones([2, 3])
    ),
    "sparse_xent_scalar_logits": lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=[1], logits=tf.ones([])
    ),
    "gather_scalar_params": lambda tf: tf.gather(tf.constant(1.0), [0]),
    "gather_batch_dims_disagree": lambda tf: tf.gather(tf.ones([2, 3]), [0], batch_dims=1),
    "gather_nd_out_of_range": lambda tf: tf.gather_nd(tf.ones([2, 3]), [[5, 0], [0, 0]]),
    "gather_nd_single_index_out_of_range": lambda tf: tf.gather_nd(tf.ones([2, 3]), [5, 0]),
    "scatter_nd_out_of_range": lambda tf: tf.scatter_nd([[5]], [1.0], [3]),
    "scatter_nd_inner_mismatch": lambda tf: tf.scatter_nd([[1, 0]], [[1.0, 2.0]], [2, 2]),
    "scatter_nd_outer_mismatch": lambda tf: tf.scatter_nd([[1], [0]], [[9, 1]], [2, 2]),
    "tensor_scatter_inner_mismatch": lambda tf: tf.tensor_scatter_nd_update(
        tf.ones([2, 2]), [[1]], [1.0]
    ),
    "tensor_scatter_outer_mismatch": lambda tf: tf.tensor_scatter_nd_add(
        tf.ones([2, 2]), [[1], [0]], [[1.0, 2.0]]
    ),
    # lists holding tensors are packed: the first tensor's dtype, gradients flow
    "convert_list_float_tensor_then_int": lambda tf: tf.convert_to_tensor([tf.constant(1.0), 2]),
    "convert_list_int_tensor_then_float": lambda tf: tf.convert_to_tensor([tf.constant(1), 2.0]),
    "convert_nested_list_tensor": lambda tf: tf.convert_to_tensor([[tf.constant(1)], [2]]),
    "convert_list_grad": lambda tf: _grad(
        tf, lambda x: tf.convert_to_tensor([[x, 1.0], [2.0 * x, x]]) * [[1.0, 2.0]], 3.0
    ),
    # conversion messages name the dtype as TF's kernels do
    "convert_string_to_double": lambda tf: tf.convert_to_tensor("a", tf.float64),
    "convert_string_to_half": lambda tf: tf.convert_to_tensor("a", tf.float16),
    "convert_number_to_string": lambda tf: tf.convert_to_tensor(1.0, tf.string),
    "assign_string": lambda tf: tf.Variable([1.0, 2.0]).assign("a"),
}

# TF lists dtypes tensorflux does not have (qint8 ...): the message is compared up to the list.
UP_TO_LIST = {"reduce_variance_bool", "reduce_std_bool", "pow_uint8"}
