"""Calls of ``keras.backend`` functions shared by the recorder (tf_keras) and the tests
(tensorflux): each case takes the ``tf`` module and the Keras backend module ``K`` and
returns what the call gives (a tensor, a structure of tensors, or a Python value).

Inputs are small NumPy arrays built here, converted with ``tf.constant`` as users do.
"""

import numpy as np


def _a(*shape, dtype="float32", offset=0.0, scale=0.37):
    """A deterministic array of the given shape, not symmetric (so that transposes,
    reversals and wrong axes show)."""
    n = int(np.prod(shape)) if shape else 1
    values = np.sin(np.arange(n) * scale + offset) * 2.0 + 0.25
    return values.reshape(shape).astype(dtype)


def _c(tf, *shape, **kw):
    return tf.constant(_a(*shape, **kw))


def _probs(tf, *shape):
    x = np.exp(_a(*shape, dtype="float64"))
    return tf.constant((x / x.sum(-1, keepdims=True)).astype("float32"))


def _labels(tf, *shape):
    return tf.constant((_a(*shape, offset=1.0) > 0.5).astype("float32"))


def _sparse_parts(sparse):
    return [sparse.indices, sparse.values, sparse.dense_shape]


_CTC_PROBS = np.array(
    [
        [[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.5, 0.4, 0.1]],
        [[0.2, 0.2, 0.6], [0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4]],
    ],
    "float32",
)

CASES = {
    "ctc_label_dense_to_sparse": lambda tf, K: _sparse_parts(
        K.ctc_label_dense_to_sparse(tf.constant([[1, 2, 0], [3, 0, 0]]), tf.constant([2, 1]))
    ),
    "ctc_batch_cost": lambda tf, K: K.ctc_batch_cost(
        tf.constant([[0, 1], [1, 0]]),
        tf.constant(_CTC_PROBS),
        tf.constant([[4], [3]]),
        tf.constant([[2], [1]]),
    ),
    "ctc_decode_greedy": lambda tf, K: K.ctc_decode(tf.constant(_CTC_PROBS), tf.constant([4, 3])),
    "ctc_decode_beam": lambda tf, K: K.ctc_decode(
        tf.constant(_CTC_PROBS), tf.constant([4, 4]), greedy=False, beam_width=3, top_paths=2
    ),
    # --- math and shapes -----------------------------------------------------------
    "all_axis": lambda tf, K: K.all(tf.constant([[1, 0], [2, 3]]), axis=1),
    "all_keepdims": lambda tf, K: K.all(_c(tf, 2, 3), axis=0, keepdims=True),
    "any_float": lambda tf, K: K.any(tf.constant([[0.0, 0.5], [0.0, 0.0]]), axis=-1),
    "any_all_axes": lambda tf, K: K.any(tf.constant([[0, 0], [0, 0]])),
    "arange_one": lambda tf, K: K.arange(5),
    "arange_negative": lambda tf, K: K.arange(-3),
    "arange_step_dtype": lambda tf, K: K.arange(1, 8, 3, dtype="float32"),
    "arange_float_args": lambda tf, K: K.arange(0.5, 2.0, 0.5),
    "arange_int64": lambda tf, K: K.arange(2, 5, dtype="int64"),
    "cast_to_floatx_np": lambda tf, K: K.cast_to_floatx(np.array([1, 2], "int64")),
    "cast_to_floatx_tensor": lambda tf, K: K.cast_to_floatx(tf.constant([1.5], "float64")),
    "cos": lambda tf, K: K.cos(_c(tf, 2, 3)),
    "sin": lambda tf, K: K.sin(_c(tf, 2, 3, dtype="float64")),
    "cumsum_default": lambda tf, K: K.cumsum(_c(tf, 3, 2)),
    "cumsum_axis": lambda tf, K: K.cumsum(tf.constant([[1, 2, 3], [4, 5, 6]]), axis=1),
    "cumprod_default": lambda tf, K: K.cumprod(_c(tf, 3, 2)),
    "cumprod_axis": lambda tf, K: K.cumprod(_c(tf, 2, 3), axis=-1),
    "prod_all": lambda tf, K: K.prod(_c(tf, 2, 3)),
    "prod_axis_keepdims": lambda tf, K: K.prod(_c(tf, 2, 3), axis=1, keepdims=True),
    "prod_int": lambda tf, K: K.prod(tf.constant([[1, 2], [3, 4]]), axis=0),
    "greater_equal": lambda tf, K: K.greater_equal(tf.constant([1, 2, 3]), 2),
    "less_equal": lambda tf, K: K.less_equal(_c(tf, 4), tf.constant(0.5)),
    "eye": lambda tf, K: K.eye(3),
    "eye_dtype": lambda tf, K: K.eye(2, dtype="float64"),
    "gather": lambda tf, K: K.gather(_c(tf, 4, 2), tf.constant([3, 0, 3])),
    "gather_nested": lambda tf, K: K.gather(_c(tf, 3, 2), [[0, 1], [2, 2]]),
    "gather_out_of_range": lambda tf, K: K.gather(_c(tf, 3, 2), [5]),
    "one_hot": lambda tf, K: K.one_hot(tf.constant([0, 2, 1, 5]), 3),
    "one_hot_2d": lambda tf, K: K.one_hot(tf.constant([[1, 0]]), 2),
    "reverse_int": lambda tf, K: K.reverse(_c(tf, 2, 3), 1),
    "reverse_list": lambda tf, K: K.reverse(_c(tf, 2, 3, 2), [0, 2]),
    "tile_int": lambda tf, K: K.tile(_c(tf, 3), 2),
    "tile_list": lambda tf, K: K.tile(_c(tf, 2, 2), [2, 1]),
    "repeat": lambda tf, K: K.repeat(_c(tf, 2, 3), 2),
    "repeat_rank3": lambda tf, K: K.repeat(_c(tf, 2, 3, 1), 2),
    "repeat_elements": lambda tf, K: K.repeat_elements(_c(tf, 2, 3), 2, axis=1),
    "repeat_elements_axis0": lambda tf, K: K.repeat_elements(_c(tf, 2, 3), 3, axis=0),
    "permute_dimensions": lambda tf, K: K.permute_dimensions(_c(tf, 2, 3, 4), (2, 0, 1)),
    "batch_dot_2d_2d": lambda tf, K: K.batch_dot(_c(tf, 2, 3), _c(tf, 2, 3, offset=1.0)),
    "batch_dot_axes_int": lambda tf, K: K.batch_dot(_c(tf, 2, 3), _c(tf, 2, 3, offset=1.0), axes=1),
    "batch_dot_3d_3d": lambda tf, K: K.batch_dot(_c(tf, 2, 3, 4), _c(tf, 2, 4, 5)),
    "batch_dot_axes_pair": lambda tf, K: K.batch_dot(_c(tf, 2, 3, 4), _c(tf, 2, 5, 3), axes=(1, 2)),
    "batch_dot_2d_3d": lambda tf, K: K.batch_dot(_c(tf, 2, 3), _c(tf, 2, 3, 4)),
    "batch_dot_3d_2d": lambda tf, K: K.batch_dot(_c(tf, 2, 4, 3), _c(tf, 2, 3)),
    "batch_dot_4d_3d": lambda tf, K: K.batch_dot(_c(tf, 2, 3, 2, 4), _c(tf, 2, 4, 5), axes=(3, 1)),
    "batch_dot_negative_axes": lambda tf, K: K.batch_dot(
        _c(tf, 2, 3, 4), _c(tf, 2, 4, 3), axes=(-1, -2)
    ),
    "batch_dot_rank1": lambda tf, K: K.batch_dot(_c(tf, 3), _c(tf, 3)),
    "batch_dot_batch_mismatch": lambda tf, K: K.batch_dot(_c(tf, 2, 3), _c(tf, 3, 3)),
    "batch_dot_axis0": lambda tf, K: K.batch_dot(_c(tf, 2, 3), _c(tf, 2, 3), axes=0),
    "batch_dot_multi_axes": lambda tf, K: K.batch_dot(_c(tf, 2, 3), _c(tf, 2, 3), axes=[[1, 2], 1]),
    "batch_dot_size_mismatch": lambda tf, K: K.batch_dot(_c(tf, 2, 3), _c(tf, 2, 4), axes=1),
    # --- activations and losses ------------------------------------------------------
    "elu": lambda tf, K: K.elu(_c(tf, 2, 3)),
    "elu_alpha": lambda tf, K: K.elu(_c(tf, 2, 3), alpha=0.3),
    "softplus": lambda tf, K: K.softplus(_c(tf, 2, 3)),
    "softsign": lambda tf, K: K.softsign(_c(tf, 2, 3, dtype="float64")),
    "hard_sigmoid": lambda tf, K: K.hard_sigmoid(_c(tf, 2, 5, scale=2.1) * 2.0),
    "hard_sigmoid_f64": lambda tf, K: K.hard_sigmoid(_c(tf, 4, dtype="float64") * 3.0),
    "in_top_k": lambda tf, K: K.in_top_k(_c(tf, 3, 4), tf.constant([0, 2, 3]), 2),
    "in_top_k_int64": lambda tf, K: K.in_top_k(_c(tf, 2, 4), tf.constant([1, 1], "int64"), 1),
    "dropout_rate0": lambda tf, K: K.dropout(_c(tf, 2, 3), 0.0, seed=1),
    "dropout_bad_rate": lambda tf, K: K.dropout(_c(tf, 2, 3), 1.5, seed=1),
    "categorical_crossentropy": lambda tf, K: K.categorical_crossentropy(
        _probs(tf, 2, 3)[::-1], _probs(tf, 2, 3)
    ),
    "categorical_crossentropy_unnormalized": lambda tf, K: K.categorical_crossentropy(
        tf.constant([[0.0, 1.0, 0.0]]), tf.constant([[0.2, 0.2, 0.0]])
    ),
    "categorical_crossentropy_logits": lambda tf, K: K.categorical_crossentropy(
        _probs(tf, 2, 3), _c(tf, 2, 3), from_logits=True
    ),
    "categorical_crossentropy_axis0": lambda tf, K: K.categorical_crossentropy(
        _probs(tf, 3, 2), _probs(tf, 3, 2)[::-1], axis=0
    ),
    "categorical_crossentropy_softmax_output": lambda tf, K: K.categorical_crossentropy(
        _probs(tf, 2, 3), K.softmax(_c(tf, 2, 3) * 20.0)
    ),
    "categorical_crossentropy_shape_mismatch": lambda tf, K: K.categorical_crossentropy(
        _probs(tf, 2, 3), _probs(tf, 2, 4)
    ),
    "categorical_focal_crossentropy": lambda tf, K: K.categorical_focal_crossentropy(
        _probs(tf, 2, 3)[::-1], _probs(tf, 2, 3)
    ),
    "categorical_focal_crossentropy_logits": lambda tf, K: K.categorical_focal_crossentropy(
        _probs(tf, 2, 3), _c(tf, 2, 3), alpha=0.5, gamma=1.0, from_logits=True
    ),
    "sparse_categorical_crossentropy": lambda tf, K: K.sparse_categorical_crossentropy(
        tf.constant([2, 0]), _probs(tf, 2, 3)
    ),
    "sparse_categorical_crossentropy_logits": lambda tf, K: K.sparse_categorical_crossentropy(
        tf.constant([[1], [2]]), _c(tf, 2, 3), from_logits=True
    ),
    "sparse_categorical_crossentropy_3d": lambda tf, K: K.sparse_categorical_crossentropy(
        tf.constant([[0, 1], [2, 2]]), _probs(tf, 2, 2, 3)
    ),
    "sparse_categorical_crossentropy_axis": lambda tf, K: K.sparse_categorical_crossentropy(
        tf.constant([1, 0, 1]), K.permute_dimensions(_probs(tf, 3, 2), (1, 0)), axis=0
    ),
    "sparse_categorical_crossentropy_ignore": lambda tf, K: K.sparse_categorical_crossentropy(
        tf.constant([1, -1, 0]), _probs(tf, 3, 2), ignore_class=-1
    ),
    "binary_crossentropy": lambda tf, K: K.binary_crossentropy(
        _labels(tf, 2, 3), K.sigmoid(_c(tf, 2, 3)) * 1.0
    ),
    "binary_crossentropy_clipped": lambda tf, K: K.binary_crossentropy(
        tf.constant([1.0, 0.0, 1.0]), tf.constant([0.0, 1.0, 1.0])
    ),
    "binary_crossentropy_logits": lambda tf, K: K.binary_crossentropy(
        _labels(tf, 2, 3), _c(tf, 2, 3), from_logits=True
    ),
    "binary_crossentropy_sigmoid_output": lambda tf, K: K.binary_crossentropy(
        _labels(tf, 2, 3), K.sigmoid(_c(tf, 2, 3) * 30.0)
    ),
    "binary_focal_crossentropy": lambda tf, K: K.binary_focal_crossentropy(
        _labels(tf, 2, 3), K.sigmoid(_c(tf, 2, 3)) * 1.0
    ),
    "binary_focal_crossentropy_balanced_logits": lambda tf, K: K.binary_focal_crossentropy(
        _labels(tf, 2, 3),
        _c(tf, 2, 3),
        apply_class_balancing=True,
        alpha=0.4,
        gamma=1.5,
        from_logits=True,
    ),
    # --- normalization ---------------------------------------------------------------
    "batch_normalization_2d": lambda tf, K: K.batch_normalization(
        _c(tf, 4, 3), _c(tf, 3), tf.abs(_c(tf, 3, offset=2.0)), _c(tf, 3, offset=1.0), None
    ),
    "batch_normalization_4d_last": lambda tf, K: K.batch_normalization(
        _c(tf, 2, 2, 2, 3),
        _c(tf, 3),
        tf.abs(_c(tf, 3, offset=2.0)),
        None,
        _c(tf, 3, offset=1.0),
        epsilon=1e-7,
    ),
    "batch_normalization_4d_first": lambda tf, K: K.batch_normalization(
        _c(tf, 2, 3, 2, 2),
        _c(tf, 3),
        tf.abs(_c(tf, 3, offset=2.0)),
        _c(tf, 3, offset=0.5),
        _c(tf, 3, offset=1.0),
        axis=1,
    ),
    "batch_normalization_4d_first_no_beta": lambda tf, K: K.batch_normalization(
        _c(tf, 2, 3, 2, 2), _c(tf, 3), tf.abs(_c(tf, 3, offset=2.0)), None, _c(tf, 3), axis=1
    ),
    "batch_normalization_4d_first_4d_params": lambda tf, K: K.batch_normalization(
        _c(tf, 2, 3, 2, 2),
        _c(tf, 1, 3, 1, 1),
        tf.abs(_c(tf, 1, 3, 1, 1, offset=2.0)),
        _c(tf, 3, offset=0.5),
        _c(tf, 3, offset=1.0),
        axis=1,
    ),
    "batch_normalization_3d": lambda tf, K: K.batch_normalization(
        _c(tf, 2, 3, 2), _c(tf, 2), tf.abs(_c(tf, 2, offset=2.0)), None, None, epsilon=1e-7
    ),
    "normalize_batch_in_training_fused": lambda tf, K: K.normalize_batch_in_training(
        _c(tf, 2, 2, 2, 3), _c(tf, 3), _c(tf, 3, offset=1.0), [0, 1, 2], epsilon=1e-7
    ),
    "normalize_batch_in_training_channels_first": lambda tf, K: K.normalize_batch_in_training(
        _c(tf, 2, 3, 2, 2), _c(tf, 3), _c(tf, 3, offset=1.0), [0, 2, 3]
    ),
    "normalize_batch_in_training_2d": lambda tf, K: K.normalize_batch_in_training(
        _c(tf, 5, 3), None, None, [0]
    ),
    "normalize_batch_in_training_broadcast": lambda tf, K: K.normalize_batch_in_training(
        _c(tf, 2, 3, 4), _c(tf, 3), None, [0, 2]
    ),
    # --- convolution, pooling, padding, resizing ----------------------------------------
    "conv1d": lambda tf, K: K.conv1d(_c(tf, 2, 5, 3), _c(tf, 2, 3, 4, offset=1.0)),
    "conv1d_same_stride": lambda tf, K: K.conv1d(
        _c(tf, 1, 6, 2), _c(tf, 3, 2, 2, offset=1.0), strides=2, padding="same"
    ),
    "conv1d_causal_dilated": lambda tf, K: K.conv1d(
        _c(tf, 1, 6, 2), _c(tf, 2, 2, 3, offset=1.0), padding="causal", dilation_rate=2
    ),
    "conv1d_channels_first": lambda tf, K: K.conv1d(
        _c(tf, 1, 2, 5), _c(tf, 3, 2, 3, offset=1.0), data_format="channels_first"
    ),
    "conv1d_bad_padding": lambda tf, K: K.conv1d(_c(tf, 1, 5, 2), _c(tf, 2, 2, 3), padding="full"),
    "conv1d_bad_format": lambda tf, K: K.conv1d(
        _c(tf, 1, 5, 2), _c(tf, 2, 2, 3), data_format="nwc"
    ),
    "conv2d": lambda tf, K: K.conv2d(_c(tf, 1, 4, 5, 2), _c(tf, 2, 3, 2, 3, offset=1.0)),
    "conv2d_same_strides": lambda tf, K: K.conv2d(
        _c(tf, 2, 5, 5, 1), _c(tf, 3, 3, 1, 2, offset=1.0), strides=(2, 2), padding="same"
    ),
    "conv2d_dilated_first": lambda tf, K: K.conv2d(
        _c(tf, 1, 2, 5, 5),
        _c(tf, 2, 2, 2, 1, offset=1.0),
        data_format="channels_first",
        dilation_rate=(2, 1),
    ),
    "conv2d_transpose": lambda tf, K: K.conv2d_transpose(
        _c(tf, 1, 3, 3, 2), _c(tf, 2, 2, 1, 2, offset=1.0), (1, 6, 6, 1), strides=(2, 2)
    ),
    "conv2d_transpose_same_none_batch": lambda tf, K: K.conv2d_transpose(
        _c(tf, 2, 3, 3, 2),
        _c(tf, 3, 3, 3, 2, offset=1.0),
        (None, 3, 3, 3),
        padding="same",
    ),
    "conv2d_transpose_channels_first": lambda tf, K: K.conv2d_transpose(
        _c(tf, 1, 2, 3, 3),
        _c(tf, 2, 2, 1, 2, offset=1.0),
        (1, 1, 4, 4),
        data_format="channels_first",
    ),
    "conv2d_transpose_dilated": lambda tf, K: K.conv2d_transpose(
        _c(tf, 1, 3, 3, 1),
        _c(tf, 2, 2, 1, 1, offset=1.0),
        (1, 5, 5, 1),
        dilation_rate=(2, 2),
    ),
    "conv2d_transpose_uneven_dilation": lambda tf, K: K.conv2d_transpose(
        _c(tf, 1, 3, 3, 1),
        _c(tf, 2, 2, 1, 1, offset=1.0),
        (1, 4, 4, 1),
        dilation_rate=(2, 1),
    ),
    "conv3d": lambda tf, K: K.conv3d(_c(tf, 1, 3, 4, 3, 2), _c(tf, 2, 2, 2, 2, 2, offset=1.0)),
    "conv3d_first_same": lambda tf, K: K.conv3d(
        _c(tf, 1, 2, 3, 3, 3),
        _c(tf, 2, 2, 2, 2, 1, offset=1.0),
        strides=(1, 2, 1),
        padding="same",
        data_format="channels_first",
    ),
    "depthwise_conv2d": lambda tf, K: K.depthwise_conv2d(
        _c(tf, 1, 4, 4, 2), _c(tf, 2, 2, 2, 2, offset=1.0)
    ),
    "depthwise_conv2d_first_same": lambda tf, K: K.depthwise_conv2d(
        _c(tf, 1, 2, 5, 5),
        _c(tf, 3, 3, 2, 1, offset=1.0),
        strides=(2, 2),
        padding="same",
        data_format="channels_first",
    ),
    "separable_conv2d": lambda tf, K: K.separable_conv2d(
        _c(tf, 1, 4, 4, 2), _c(tf, 2, 2, 2, 2, offset=1.0), _c(tf, 1, 1, 4, 3, offset=2.0)
    ),
    "separable_conv2d_first_dilated": lambda tf, K: K.separable_conv2d(
        _c(tf, 1, 2, 5, 5),
        _c(tf, 2, 2, 2, 1, offset=1.0),
        _c(tf, 1, 1, 2, 3, offset=2.0),
        data_format="channels_first",
        dilation_rate=(2, 2),
    ),
    "separable_conv2d_bad_strides": lambda tf, K: K.separable_conv2d(
        _c(tf, 1, 4, 4, 2), _c(tf, 2, 2, 2, 2), _c(tf, 1, 1, 4, 3), strides=(1, 1, 1)
    ),
    "pool2d_max": lambda tf, K: K.pool2d(_c(tf, 1, 4, 5, 2), (2, 2), strides=(2, 2)),
    "pool2d_avg_same": lambda tf, K: K.pool2d(
        _c(tf, 1, 5, 5, 1), (3, 3), strides=(2, 2), padding="same", pool_mode="avg"
    ),
    "pool2d_first": lambda tf, K: K.pool2d(
        _c(tf, 1, 2, 4, 4), (2, 2), strides=(1, 1), data_format="channels_first"
    ),
    "pool2d_bad_mode": lambda tf, K: K.pool2d(_c(tf, 1, 4, 4, 1), (2, 2), pool_mode="min"),
    "pool2d_bad_size": lambda tf, K: K.pool2d(_c(tf, 1, 4, 4, 1), (2, 2, 2)),
    "pool3d_max": lambda tf, K: K.pool3d(_c(tf, 1, 4, 4, 4, 1), (2, 2, 2), strides=(2, 2, 2)),
    "pool3d_avg_first": lambda tf, K: K.pool3d(
        _c(tf, 1, 2, 3, 4, 4),
        (2, 2, 2),
        strides=(1, 2, 2),
        padding="same",
        data_format="channels_first",
        pool_mode="avg",
    ),
    "local_conv1d": lambda tf, K: K.local_conv1d(
        _c(tf, 2, 5, 2), _c(tf, 2, 6, 3, offset=1.0), (3,), (2,)
    ),
    "local_conv1d_first": lambda tf, K: K.local_conv1d(
        _c(tf, 2, 2, 4), _c(tf, 3, 4, 1, offset=1.0), (2,), (1,), data_format="channels_first"
    ),
    "local_conv2d": lambda tf, K: K.local_conv2d(
        _c(tf, 1, 3, 4, 2), _c(tf, 6, 8, 2, offset=1.0), (2, 2), (1, 1), (2, 3)
    ),
    "local_conv2d_first": lambda tf, K: K.local_conv2d(
        _c(tf, 1, 1, 4, 4),
        _c(tf, 4, 4, 2, offset=1.0),
        (2, 2),
        (2, 2),
        (2, 2),
        data_format="channels_first",
    ),
    "bias_add_1d": lambda tf, K: K.bias_add(_c(tf, 2, 3), _c(tf, 3, offset=1.0)),
    "bias_add_first": lambda tf, K: K.bias_add(
        _c(tf, 2, 3, 2), _c(tf, 3, offset=1.0), data_format="channels_first"
    ),
    "bias_add_full_last": lambda tf, K: K.bias_add(_c(tf, 2, 3, 2), _c(tf, 3, 2, offset=1.0)),
    "bias_add_full_first": lambda tf, K: K.bias_add(
        _c(tf, 2, 2, 3, 3), _c(tf, 3, 3, 2, offset=1.0), data_format="channels_first"
    ),
    "bias_add_bad_rank": lambda tf, K: K.bias_add(_c(tf, 2, 3, 2), _c(tf, 2, 3, 2)),
    "bias_add_bad_format": lambda tf, K: K.bias_add(_c(tf, 2, 3), _c(tf, 3), "nhwc"),
    "temporal_padding": lambda tf, K: K.temporal_padding(_c(tf, 1, 2, 2)),
    "temporal_padding_uneven": lambda tf, K: K.temporal_padding(_c(tf, 1, 2, 1), (2, 0)),
    "spatial_2d_padding": lambda tf, K: K.spatial_2d_padding(_c(tf, 1, 2, 2, 1)),
    "spatial_2d_padding_first": lambda tf, K: K.spatial_2d_padding(
        _c(tf, 1, 1, 2, 2), ((0, 1), (2, 0)), data_format="channels_first"
    ),
    "spatial_2d_padding_bad_format": lambda tf, K: K.spatial_2d_padding(
        _c(tf, 1, 2, 2, 1), data_format="nchw"
    ),
    "spatial_3d_padding": lambda tf, K: K.spatial_3d_padding(
        _c(tf, 1, 1, 2, 1, 1), ((1, 0), (0, 1), (1, 1))
    ),
    "spatial_3d_padding_first": lambda tf, K: K.spatial_3d_padding(
        _c(tf, 1, 1, 1, 2, 1), data_format="channels_first"
    ),
    "resize_images_nearest": lambda tf, K: K.resize_images(
        _c(tf, 1, 2, 3, 1), 2, 3, "channels_last"
    ),
    "resize_images_bilinear_first": lambda tf, K: K.resize_images(
        _c(tf, 1, 2, 2, 3), 2, 2, "channels_first", interpolation="bilinear"
    ),
    "resize_images_bad_format": lambda tf, K: K.resize_images(_c(tf, 1, 2, 2, 1), 2, 2, "nhwc"),
    "resize_images_bad_interpolation": lambda tf, K: K.resize_images(
        _c(tf, 1, 2, 2, 1), 2, 2, "channels_last", interpolation="cubic"
    ),
    "resize_volumes": lambda tf, K: K.resize_volumes(
        _c(tf, 1, 2, 1, 2, 1), 2, 1, 2, "channels_last"
    ),
    "resize_volumes_first": lambda tf, K: K.resize_volumes(
        _c(tf, 1, 1, 2, 2, 1), 1, 2, 3, "channels_first"
    ),
    "resize_volumes_bad_format": lambda tf, K: K.resize_volumes(
        _c(tf, 1, 1, 2, 2, 1), 1, 2, 3, "ndhwc"
    ),
    # --- variables, random, phases -------------------------------------------------------
    "random_uniform_variable": lambda tf, K: K.random_uniform_variable((2, 3), -1, 2, seed=3),
    "random_normal_variable": lambda tf, K: K.random_normal_variable(
        (3, 2), 1.0, 0.5, dtype="float64", seed=4
    ),
    "random_bernoulli": lambda tf, K: K.random_bernoulli((2, 5), p=0.4, seed=5),
    "random_binomial": lambda tf, K: K.random_binomial((4,), p=0.7, dtype="float64", seed=6),
    "truncated_normal": lambda tf, K: K.truncated_normal((2, 4), 1.0, 2.0, seed=7),
    "update": lambda tf, K: K.update(K.variable([1.0, 2.0]), [3.0, 4.0]),
    "update_add": lambda tf, K: K.update_add(K.variable([1.0, 2.0]), [0.5, 0.5]),
    "update_sub": lambda tf, K: K.update_sub(K.variable([[1.0, 2.0]]), [[0.5, 1.0]]),
    "moving_average_update": lambda tf, K: K.moving_average_update(
        K.variable([1.0, 2.0]), [0.0, 4.0], 0.9
    ),
    "switch_scalar": lambda tf, K: K.switch(tf.constant(False), _c(tf, 2), _c(tf, 2) * 2.0),
    "switch_scalar_int_callables": lambda tf, K: K.switch(
        tf.constant(1), lambda: tf.constant(1.0), lambda: tf.constant(2.0)
    ),
    "switch_vector": lambda tf, K: K.switch(
        tf.constant([True, False, True]), _c(tf, 3, 2), _c(tf, 3, 2) * -1.0
    ),
    "switch_matrix": lambda tf, K: K.switch(
        tf.constant([[True, False], [False, True]]), _c(tf, 2, 2, 3), _c(tf, 2, 2, 3) * -1.0
    ),
    "switch_rank_error": lambda tf, K: K.switch(
        tf.constant([[True]]), tf.constant([1.0]), tf.constant([2.0])
    ),
    "in_train_phase_default": lambda tf, K: K.in_train_phase(1.0, 2.0),
    "in_train_phase_true": lambda tf, K: K.in_train_phase(lambda: 1.0, 2.0, training=True),
    "in_train_phase_tensor": lambda tf, K: K.in_train_phase(
        tf.constant([1.0]), tf.constant([2.0]), training=tf.constant(True)
    ),
    "in_test_phase": lambda tf, K: K.in_test_phase(1.0, 2.0, training=0),
    "is_sparse": lambda tf, K: [
        K.is_sparse(tf.sparse.SparseTensor([[0, 1]], [1.0], [2, 2])),
        K.is_sparse(tf.ones(2)),
        K.is_sparse(K.placeholder((2, 2), sparse=True)),
        K.is_sparse(K.placeholder((2, 2))),
    ],
    "to_dense": lambda tf, K: [
        K.to_dense(tf.sparse.SparseTensor([[0, 1]], [1.0], [2, 2])),
        K.to_dense(tf.ones(2)),
    ],
    "is_keras_tensor": lambda tf, K: [
        K.is_keras_tensor(K.placeholder((2, 3))),
        K.is_keras_tensor(K.variable(1.0)),
        K.is_keras_tensor(tf.constant(1.0)),
        K.is_keras_tensor(K.placeholder((None, 2)) * 2.0),
    ],
    "is_keras_tensor_numpy": lambda tf, K: K.is_keras_tensor(np.ones(2)),
    "placeholder": lambda tf, K: [
        K.placeholder((None, 3), dtype="int32").shape.as_list(),
        K.placeholder(ndim=2).shape.as_list(),
        K.placeholder((2,)).dtype.name,
    ],
    "placeholder_sparse_ragged": lambda tf, K: K.placeholder((2, 2), sparse=True, ragged=True),
    "function_list": lambda tf, K: _function(tf, K, True),
    "function_single": lambda tf, K: _function(tf, K, False),
    "function_updates": lambda tf, K: K.function([K.placeholder((2,))], [], updates=[1]),
    "function_kwargs": lambda tf, K: K.function([K.placeholder((2,))], [], fetches=[1]),
    "rnn_simple": lambda tf, K: _rnn(tf, K),
    "rnn_backwards_mask": lambda tf, K: _rnn(tf, K, go_backwards=True, mask=True),
    "rnn_mask_zero_output": lambda tf, K: _rnn(tf, K, mask=True, zero_output_for_mask=True),
    "rnn_unroll_mask": lambda tf, K: _rnn(tf, K, mask=True, unroll=True),
    "rnn_unroll_backwards": lambda tf, K: _rnn(tf, K, unroll=True, go_backwards=True),
    "rnn_time_major_constants": lambda tf, K: _rnn(tf, K, time_major=True, constants=True),
    "rnn_last_only": lambda tf, K: _rnn(tf, K, return_all_outputs=False, mask=True),
    "rnn_input_length": lambda tf, K: _rnn(tf, K, input_length=True),
    "rnn_input_length_backwards": lambda tf, K: _rnn(tf, K, input_length=True, go_backwards=True),
    "rnn_nested": lambda tf, K: _rnn_nested(tf, K),
    "count_params": lambda tf, K: K.count_params(K.zeros((2, 3))),
    "gradients_in_function": lambda tf, K: _gradients(tf, K),
    "gradients_eager": lambda tf, K: K.gradients(tf.constant(1.0), [tf.constant(2.0)]),
}


def _gradients(tf, K):
    v = tf.Variable([1.0, 2.0])
    return tf.function(lambda: K.gradients(tf.reduce_sum(v * v), [v]))()


def _function(tf, K, as_list):
    x = K.placeholder((None, 3))
    y = K.placeholder((None, 3))
    if as_list:
        f = K.function([x, y], [K.sum(x * y, axis=1)])
        return f([_a(2, 3), _a(2, 3, offset=1.0)])
    f = K.function([x], [x * 2.0, K.sum(x)])
    return f([_a(1, 3)])


def _rnn(tf, K, mask=False, constants=False, input_length=False, time_major=False, **kw):
    """A small recurrent step with two states, over (batch 2, time 4, features 3)."""
    w = tf.constant(_a(3, 2, offset=0.5))
    u = tf.constant(_a(2, 2, offset=1.5) * 0.5)

    def step(x, states):
        h, c = states[0], states[1]
        out = tf.tanh(tf.matmul(x, w) + tf.matmul(h, u))
        if constants:
            out = out + states[2]
        return out, [out, c + tf.reduce_sum(x, axis=1, keepdims=True)]

    x = _c(tf, 2, 4, 3)
    if time_major:
        x = tf.transpose(x, [1, 0, 2])
    kwargs = dict(kw)
    if mask:
        kwargs["mask"] = tf.constant([[1, 1, 0, 1], [0, 1, 1, 0]], "float32")
    if constants:
        kwargs["constants"] = [tf.constant([[0.5, -0.5]])]
    if input_length:
        kwargs["input_length"] = tf.constant([2, 4])
    last, outputs, states = K.rnn(
        step,
        x,
        [tf.zeros((2, 2)), tf.ones((2, 1))],
        time_major=time_major,
        **kwargs,
    )
    return [last, outputs, list(states)]


def _rnn_nested(tf, K):
    def step(x, states):
        a, b = x
        out = tf.concat([a * states[0], b], axis=-1)
        return {"o": out, "s": a}, [states[0] + a]

    x = (_c(tf, 2, 3, 1), _c(tf, 2, 3, 2, offset=1.0))
    last, outputs, states = K.rnn(step, x, [tf.ones((2, 1))])
    return [last["o"], last["s"], outputs["o"], outputs["s"], list(states)]


CASES.update(
    {
        "relu_default": lambda tf, K: K.relu(_c(tf, 2, 3)),
        "relu_all_options": lambda tf, K: K.relu(
            _c(tf, 2, 4) * 4.0, alpha=0.1, max_value=5.0, threshold=0.5
        ),
        "relu_leaky": lambda tf, K: K.relu(_c(tf, 5), alpha=0.2),
        "relu_max6": lambda tf, K: K.relu(_c(tf, 5) * 5.0, max_value=6),
        "softmax_1d": lambda tf, K: K.softmax(_c(tf, 3)),
        "softmax_axis0": lambda tf, K: K.softmax(_c(tf, 2, 3), axis=0),
    }
)

_ROWS = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")

CASES.update(
    {
        "map_fn": lambda tf, K: K.map_fn(lambda r: r * 2.0, tf.constant(_ROWS)),
        "map_fn_reduce": lambda tf, K: K.map_fn(tf.reduce_sum, tf.constant(_ROWS)),
        "map_fn_dtype": lambda tf, K: K.map_fn(
            lambda r: tf.cast(r, "int32"), tf.constant(_ROWS), dtype="int32"
        ),
        "map_fn_nested": lambda tf, K: list(
            K.map_fn(
                lambda r: (r[0] * r[1], r[1]),
                (tf.constant(_ROWS), tf.constant(_ROWS) + 1.0),
                dtype=("float32", "float32"),
            )
        ),
        "map_fn_scalar": lambda tf, K: K.map_fn(lambda r: r, tf.constant(1.0)),
        "map_fn_wrong_dtype": lambda tf, K: K.map_fn(
            lambda r: tf.cast(r, "int32"), tf.constant(_ROWS)
        ),
        "foldl": lambda tf, K: K.foldl(lambda a, r: a + r, tf.constant(_ROWS)),
        "foldl_initializer": lambda tf, K: K.foldl(
            lambda a, r: a * r, tf.constant(_ROWS), initializer=tf.ones(2)
        ),
        "foldl_int": lambda tf, K: K.foldl(lambda a, r: a + r, tf.constant([1, 2, 3])),
        "foldl_scalar": lambda tf, K: K.foldl(lambda a, r: a + r, tf.constant(1.0)),
        "foldl_empty": lambda tf, K: K.foldl(lambda a, r: a + r, tf.zeros((0, 2))),
        "foldr": lambda tf, K: K.foldr(lambda a, r: a - r, tf.constant(_ROWS)),
        "foldr_nested": lambda tf, K: K.foldr(
            lambda a, r: a + r[0] * r[1],
            (tf.constant(_ROWS), tf.constant(_ROWS)),
            initializer=tf.zeros(2),
        ),
    }
)


def _function_unwrapped(tf, K):
    x = K.placeholder((None, 2))
    return K.function(x, K.sum(x * 3.0, axis=1))(_a(2, 2))


CASES.update(
    {
        "function_unwrapped": _function_unwrapped,
        "elu_f64": lambda tf, K: K.elu(_c(tf, 4, dtype="float64"), alpha=2.0),
        "binary_crossentropy_f64": lambda tf, K: K.binary_crossentropy(
            tf.constant([[1.0, 0.0]], "float64"), tf.constant([[0.3, 0.9]], "float64")
        ),
        "map_fn_structure_out": lambda tf, K: K.map_fn(lambda r: r[0] + r[1], tf.constant(_ROWS)),
    }
)
