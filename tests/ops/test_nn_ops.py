"""Tests for tensorflux/ops/nn_ops.py: values, dtypes, inference, gradients, errors."""

import math

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.ops import cross_entropy_ops, nn_ops
from tensorflux.testing import check_gradients

X = np.array([[-2.5, -0.7, 0.3], [1.2, 4.0, 7.5]])


def _erf(v):
    return np.vectorize(math.erf)(v)


def _softmax(v, axis=-1):
    e = np.exp(v - v.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


SELU_A, SELU_S = 1.6732632423543772, 1.0507009873554805

# name, function, NumPy reference
UNARY = [
    ("relu", tf.nn.relu, lambda v: np.maximum(v, 0)),
    ("relu6", tf.nn.relu6, lambda v: np.clip(v, 0, 6)),
    # alpha is a float32 attr in TF: float64 inputs are scaled by its float32 value.
    ("leaky_relu", tf.nn.leaky_relu, lambda v: np.where(v > 0, v, float(np.float32(0.2)) * v)),
    (
        "leaky_relu_alpha",
        lambda x: tf.nn.leaky_relu(x, alpha=0.1),
        lambda v: np.where(v > 0, v, float(np.float32(0.1)) * v),
    ),
    ("elu", tf.nn.elu, lambda v: np.where(v > 0, v, np.expm1(v))),
    ("selu", tf.nn.selu, lambda v: SELU_S * np.where(v > 0, v, SELU_A * np.expm1(v))),
    ("gelu", tf.nn.gelu, lambda v: 0.5 * v * (1 + _erf(v / np.sqrt(2)))),
    (
        "gelu_tanh",
        lambda x: tf.nn.gelu(x, approximate=True),
        lambda v: 0.5 * v * (1 + np.tanh(np.sqrt(2 / np.pi) * (v + 0.044715 * v**3))),
    ),
    ("silu", tf.nn.silu, lambda v: v / (1 + np.exp(-v))),
    ("swish_beta", lambda x: tf.nn.swish(x, beta=2.0), lambda v: v / (1 + np.exp(-2 * v))),
    ("softplus", tf.nn.softplus, lambda v: np.log1p(np.exp(v))),
    ("softsign", tf.nn.softsign, lambda v: v / (1 + np.abs(v))),
    ("sigmoid", tf.sigmoid, lambda v: 1 / (1 + np.exp(-v))),
    ("softmax", tf.nn.softmax, _softmax),
    ("softmax_axis0", lambda x: tf.nn.softmax(x, axis=0), lambda v: _softmax(v, 0)),
    ("log_softmax", tf.nn.log_softmax, lambda v: np.log(_softmax(v))),
    ("l2_loss", tf.nn.l2_loss, lambda v: np.sum(v**2) / 2),
    (
        "l2_normalize",
        lambda x: tf.nn.l2_normalize(x, axis=1),
        lambda v: v / np.sqrt(np.sum(v**2, axis=1, keepdims=True)),
    ),
]


@pytest.mark.parametrize("name,fn,ref", UNARY, ids=[r[0] for r in UNARY])
def test_unary_values_and_dtype(name, fn, ref):
    out = fn(tf.constant(X.astype(np.float32)))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), ref(X), rtol=1e-5, atol=1e-6)
    out64 = fn(tf.constant(X))
    assert out64.dtype == tf.float64
    np.testing.assert_allclose(out64.numpy(), ref(X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name,fn,ref", UNARY, ids=[r[0] for r in UNARY])
def test_unary_gradients(name, fn, ref):
    check_gradients(fn, [X])


@pytest.mark.parametrize(
    "fn",
    [
        tf.nn.relu6,
        tf.nn.elu,
        tf.nn.selu,
        tf.nn.softplus,
        tf.nn.softsign,
        tf.nn.softmax,
        tf.nn.log_softmax,
        tf.nn.gelu,
        tf.sigmoid,
    ],
)
def test_second_order_gradients(fn):
    check_gradients(fn, [X], order=2)


def test_stability_at_extremes():
    big = tf.constant([-1000.0, 1000.0])
    np.testing.assert_allclose(tf.nn.softplus(big).numpy(), [0.0, 1000.0])
    np.testing.assert_allclose(tf.nn.softmax([1000.0, 0.0]).numpy(), [1.0, 0.0])
    np.testing.assert_allclose(tf.nn.log_softmax([1000.0, 0.0]).numpy(), [0.0, -1000.0])
    np.testing.assert_allclose(tf.nn.elu(big).numpy(), [-1.0, 1000.0])
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=big)
    np.testing.assert_allclose(loss.numpy(), [1000.0, 1000.0])


def test_int_dtypes_as_tf():
    assert tf.nn.relu([-1, 2]).dtype == tf.int32
    np.testing.assert_array_equal(tf.nn.relu6([-1, 7, 3]).numpy(), [0, 6, 3])
    out = tf.nn.leaky_relu([-1, 2])
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [-0.2, 2.0])


@pytest.mark.parametrize(
    "fn,op",
    [
        (tf.nn.elu, "Elu"),
        (tf.nn.softplus, "Softplus"),
        (tf.nn.softmax, "Softmax"),
        (tf.nn.l2_loss, "L2Loss"),
    ],
)
def test_int_inputs_rejected(fn, op):
    with pytest.raises(InvalidArgumentError, match=f"not in the list of allowed values.*{op}"):
        fn(tf.constant([1, 2]))


def test_softmax_axis_error():
    with pytest.raises(InvalidArgumentError, match=r"`dim` must be in the range \[-2, 2\)"):
        tf.nn.softmax(tf.ones([2, 2]), axis=2)


# -- inference ----------------------------------------------------------------

INFER = [
    (nn_ops._RELU, {}, (None, 3), tf.nn.relu),
    (nn_ops._ELU, {}, (None, 3), tf.nn.elu),
    (nn_ops._SOFTMAX, {"axis": 1}, (None, 3), tf.nn.softmax),
    (nn_ops._LEAKY_RELU, {"alpha": 0.2}, (None, 3), tf.nn.leaky_relu),
    (nn_ops._L2_LOSS, {}, (None, 3), tf.nn.l2_loss),
]


@pytest.mark.parametrize("op,attrs,partial,fn", INFER, ids=[r[0].name for r in INFER])
def test_infer_matches_eager(op, attrs, partial, fn):
    out = fn(tf.constant(X))
    spec = op.infer(Spec(tf.float64, tf.TensorShape(X.shape)), **attrs)
    assert spec.dtype == out.dtype and spec.shape == out.shape
    partial_spec = op.infer(Spec(tf.float64, tf.TensorShape(list(partial))), **attrs)
    assert partial_spec.shape.is_compatible_with(out.shape)


def test_infer_multi_input_ops():
    s = Spec(tf.float32, tf.TensorShape([None, 4]))
    assert nn_ops._BIAS_ADD.infer(
        s, Spec(tf.float32, tf.TensorShape([4])), data_format="NHWC"
    ).shape.as_list() == [None, 4]
    assert cross_entropy_ops._XENT.infer(s, s, axis=1).shape.as_list() == [None]
    labels = Spec(tf.int32, tf.TensorShape([None]))
    sparse, backprop = cross_entropy_ops._SPARSE_XENT.infer(s, labels)
    assert sparse.dtype == tf.float32 and sparse.shape.as_list() == [None]
    assert backprop.dtype == tf.float32 and backprop.shape.as_list() == [None, 4]
    values, indices = nn_ops._TOP_K.infer(s, k=2)
    assert values.shape.as_list() == [None, 2] and indices.dtype == tf.int32


# -- bias_add, moments, batch_normalization ---------------------------------


def test_bias_add():
    v, b = np.arange(24.0).reshape(2, 3, 4), np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(tf.nn.bias_add(v, np.arange(4.0)).numpy(), v + np.arange(4.0))
    out = tf.nn.bias_add(v, b, data_format="NCHW")
    np.testing.assert_allclose(out.numpy(), v + b[:, None])
    check_gradients(lambda x, y: tf.nn.bias_add(x, y), [v, np.arange(4.0)], order=2)
    check_gradients(lambda x, y: tf.nn.bias_add(x, y, data_format="NCW"), [v, b])


@pytest.mark.parametrize(
    "value,bias,msg",
    [
        (np.ones(3), np.ones(3), "at least 2D"),
        (np.ones((2, 3)), np.ones(2), r"as many biases as the last dimension.*\[2\] vs. \[2, 3\]"),
    ],
)
def test_bias_add_errors(value, bias, msg):
    with pytest.raises(InvalidArgumentError, match=msg):
        tf.nn.bias_add(value, bias)


def test_moments():
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    mean, var = tf.nn.moments(tf.constant(x, tf.float32), axes=[0])
    np.testing.assert_allclose(mean.numpy(), [2.0, 3.5])
    np.testing.assert_allclose(var.numpy(), [1.0, 2.25])
    mean, var = tf.nn.moments(x, axes=[0, 1], keepdims=True)
    assert mean.shape == (1, 1) and var.shape == (1, 1)
    np.testing.assert_allclose(var.numpy(), [[2.1875]])
    check_gradients(lambda t: tf.nn.moments(t, axes=[1]), [X])


def test_batch_normalization():
    out = tf.nn.batch_normalization(tf.constant([1.0, 2.0]), 1.0, 4.0, 0.5, 2.0, 1e-3)
    np.testing.assert_allclose(out.numpy(), [0.5, 1.4998751], rtol=1e-6)
    mean, var, off, scale = (
        np.array([0.1, 0.2, 0.3]),
        np.array([1.0, 2.0, 0.5]),
        np.array([0.0, 1.0, -1.0]),
        np.array([2.0, 1.0, 0.5]),
    )
    ref = scale * (X - mean) / np.sqrt(var + 1e-3) + off
    out = tf.nn.batch_normalization(X, mean, var, off, scale, 1e-3)
    np.testing.assert_allclose(out.numpy(), ref)
    check_gradients(lambda *a: tf.nn.batch_normalization(*a, 1e-3), [X, mean, var, off, scale])
    out = tf.nn.batch_normalization(X, mean, var, None, None, 1e-3)
    np.testing.assert_allclose(out.numpy(), (X - mean) / np.sqrt(var + 1e-3))


# -- dropout ------------------------------------------------------------------


def test_dropout_scales_kept_values():
    x = tf.ones([1000])
    out = tf.nn.dropout(x, rate=0.25, seed=3).numpy()
    kept = out[out != 0]
    np.testing.assert_allclose(kept, 1 / 0.75)
    assert 650 < kept.size < 850
    assert tf.nn.dropout(x, rate=0.0) is x


def test_dropout_noise_shape_and_gradient():
    x = np.ones((4, 50))
    out = tf.nn.dropout(x, rate=0.5, noise_shape=[1, 50], seed=1).numpy()
    assert (out == out[0]).all()
    tf.random.set_seed(5)
    with tf.GradientTape() as tape:
        xt = tf.constant(x)
        tape.watch(xt)
        y = tf.nn.dropout(xt, rate=0.5)
    g = tape.gradient(y, xt).numpy()
    np.testing.assert_allclose(g, y.numpy())


def test_dropout_reproducible_with_seed():
    tf.random.set_seed(7)
    a = tf.nn.dropout(tf.ones([20]), 0.5).numpy()
    tf.random.set_seed(7)
    np.testing.assert_array_equal(a, tf.nn.dropout(tf.ones([20]), 0.5).numpy())


@pytest.mark.parametrize(
    "x,rate,msg",
    [
        (
            np.ones(3, np.float32),
            1.0,
            r"`rate` must be a scalar tensor or a float in the range \[0, ",
        ),
        (np.ones(3, np.float32), -0.1, "Received: rate=-0.1"),
        (np.ones(3, np.int32), 0.5, "`x.dtype` must be a floating point tensor"),
    ],
)
def test_dropout_errors(x, rate, msg):
    with pytest.raises(ValueError, match=msg):
        tf.nn.dropout(x, rate)


# -- cross entropies ----------------------------------------------------------

LOGITS = np.array([[1.0, 2.0, -0.5], [0.3, -1.0, 2.2]])
SOFT_LABELS = np.array([[0.2, 0.7, 0.1], [0.0, 0.5, 0.5]])


def test_sigmoid_cross_entropy():
    z = (SOFT_LABELS > 0.3).astype(float)
    out = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=LOGITS)
    p = 1 / (1 + np.exp(-LOGITS))
    np.testing.assert_allclose(out.numpy(), -(z * np.log(p) + (1 - z) * np.log(1 - p)))
    np.testing.assert_allclose(
        tf.nn.sigmoid_cross_entropy_with_logits([[0.0, 1.0]], [[1.0, 2.0]]).numpy(),
        [[1.3132617, 0.126928]],
        rtol=1e-6,
    )
    check_gradients(
        lambda lab, lg: tf.nn.sigmoid_cross_entropy_with_logits(lab, lg),
        [SOFT_LABELS, LOGITS],
        order=2,
    )
    with pytest.raises(ValueError, match=r"must have the same shape, received \(\(1, 2\) vs"):
        tf.nn.sigmoid_cross_entropy_with_logits([[0.0, 1.0, 0.0]], [[1.0, 2.0]])


def test_softmax_cross_entropy():
    out = tf.nn.softmax_cross_entropy_with_logits(SOFT_LABELS, LOGITS)
    ref = -np.sum(SOFT_LABELS * np.log(_softmax(LOGITS)), axis=-1)
    np.testing.assert_allclose(out.numpy(), ref)
    out0 = tf.nn.softmax_cross_entropy_with_logits(SOFT_LABELS.T, LOGITS.T, axis=0)
    np.testing.assert_allclose(out0.numpy(), ref)
    np.testing.assert_allclose(
        tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], [[1.0, 2.0]]).numpy(),
        [0.31326166],
        rtol=1e-6,
    )
    check_gradients(tf.nn.softmax_cross_entropy_with_logits, [SOFT_LABELS, LOGITS], order=2)
    with tf.GradientTape() as tape:
        lg = tf.constant(LOGITS)
        tape.watch(lg)
        loss = tf.nn.softmax_cross_entropy_with_logits(SOFT_LABELS, lg)
    np.testing.assert_allclose(tape.gradient(loss, lg).numpy(), _softmax(LOGITS) - SOFT_LABELS)


def test_softmax_cross_entropy_errors():
    with pytest.raises(
        InvalidArgumentError,
        match=r"logits and labels must be broadcastable: "
        r"logits_size=\[1,2\] labels_size=\[1,3\]",
    ):
        tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0, 0.0]], [[1.0, 2.0]])


def test_sparse_softmax_cross_entropy():
    labels = np.array([1, 2], np.int32)
    out = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=LOGITS)
    ref = -np.log(_softmax(LOGITS))[[0, 1], labels]
    np.testing.assert_allclose(out.numpy(), ref)
    assert out.dtype == tf.float64
    out64 = tf.nn.sparse_softmax_cross_entropy_with_logits(labels.astype(np.int64), LOGITS)
    np.testing.assert_allclose(out64.numpy(), ref)
    check_gradients(
        lambda lg: tf.nn.sparse_softmax_cross_entropy_with_logits(labels, lg), [LOGITS], order=2
    )
    batched = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels[None].repeat(2, 0), np.stack([LOGITS, LOGITS])
    )
    assert batched.shape == (2, 2)


def test_sparse_softmax_cross_entropy_gradient_of_non_c_ordered_logits():
    # Regression: logits in Fortran order (as a Dense layer on 3-D inputs can produce) lost
    # the one-hot part of the gradient, so sequence models did not learn.
    labels = np.array([[1, 4], [0, 3]], np.int64)
    logits = np.asfortranarray(np.random.default_rng(1).normal(size=(2, 2, 5)))
    z = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(z)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, z)
    want = _softmax(logits) - np.eye(5)[labels]
    np.testing.assert_allclose(tape.gradient(loss, z).numpy(), want, atol=1e-12)


@pytest.mark.parametrize(
    "labels,logits,exc,msg",
    [
        (
            [5],
            np.ones((1, 3), np.float32),
            InvalidArgumentError,
            r"Received a label value of 5 which is outside the valid range of \[0, 3\)",
        ),
        ([-1], np.ones((1, 3), np.float32), InvalidArgumentError, "label value of -1"),
        ([1.0], np.ones((1, 3), np.float32), InvalidArgumentError, "attr 'Tlabels' of float"),
        (
            [1, 2],
            np.ones((1, 3), np.float32),
            ValueError,
            r"`labels.shape` must equal `logits.shape` except for the last dimension",
        ),
    ],
)
def test_sparse_softmax_cross_entropy_errors(labels, logits, exc, msg):
    with pytest.raises(exc, match=msg):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


# -- top_k, embedding_lookup --------------------------------------------------


def test_top_k():
    values, indices = tf.nn.top_k(tf.constant([3, 1, 2]), k=2)
    np.testing.assert_array_equal(values.numpy(), [3, 2])
    assert indices.dtype == tf.int32 and values.dtype == tf.int32
    res = tf.nn.top_k(tf.constant([[3.0, 3.0, 2.0], [0.0, 5.0, 1.0]]), k=2)
    np.testing.assert_array_equal(res.indices.numpy(), [[0, 1], [1, 2]])
    np.testing.assert_array_equal(res.values.numpy(), [[3.0, 3.0], [5.0, 1.0]])
    extreme = tf.nn.top_k(np.array([np.iinfo(np.int32).min, 0], np.int32), k=2)
    np.testing.assert_array_equal(extreme.indices.numpy(), [1, 0])
    assert tf.nn.top_k([1.0, 2.0], index_type=tf.int64).indices.dtype == tf.int64
    check_gradients(lambda x: tf.nn.top_k(x, k=2).values, [X], order=2)


@pytest.mark.parametrize(
    "x,k,msg",
    [
        ([3.0, 1.0, 2.0], 5, "input must have at least k columns. Had 3, needed 5"),
        ([3.0], -1, "Need k >= 0, got -1"),
        (3.0, 1, "input must be >= 1-D"),
    ],
)
def test_top_k_errors(x, k, msg):
    with pytest.raises(InvalidArgumentError, match=msg):
        tf.nn.top_k(x, k=k)


def test_l2_normalize_errors_and_zero():
    with pytest.raises(TypeError, match="Cannot convert 1e-12 to EagerTensor of dtype int32"):
        tf.nn.l2_normalize(tf.constant([3, 4]))
    np.testing.assert_allclose(tf.nn.l2_normalize([0.0, 0.0]).numpy(), [0.0, 0.0])


def test_embedding_lookup():
    params = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 10.0]])
    out = tf.nn.embedding_lookup(params, [1, 0, 1])
    np.testing.assert_array_equal(out.numpy(), params[[1, 0, 1]])
    sharded = tf.nn.embedding_lookup([params[:2], params[2:]], [[2], [0]])
    np.testing.assert_array_equal(sharded.numpy(), params[[[2], [0]]])
    clipped = tf.nn.embedding_lookup(params, [2, 0], max_norm=5.0)
    np.testing.assert_allclose(clipped.numpy(), [[0.0, 5.0], [1.0, 2.0]])
    check_gradients(lambda p: tf.nn.embedding_lookup(p, [2, 0, 2]), [params])


def test_in_top_k():
    preds = [[0.9, 0.9, 0.1], [0.1, 0.2, 0.3], [1.0, 2.0, 3.0], [np.nan, 1.0, 0.0]]
    out = tf.nn.in_top_k([0, 2, 5, 1], preds, 1)
    assert out.dtype == tf.bool
    np.testing.assert_array_equal(out.numpy(), [True, True, False, False])
    np.testing.assert_array_equal(
        tf.nn.in_top_k(tf.constant([0], tf.int64), [[0.1, 0.2]], 2).numpy(), [True]
    )
    spec = nn_ops._IN_TOP_K.infer(
        Spec(tf.float32, tf.TensorShape([None, 3])), Spec(tf.int32, tf.TensorShape([None])), k=1
    )
    assert spec.dtype == tf.bool and spec.shape.as_list() == [None]
    with pytest.raises(InvalidArgumentError, match=r"predictions of shape \[batch, classes\]"):
        tf.nn.in_top_k([0], [0.1, 0.2], 1)


def test_nn_namespace_reexports():
    assert tf.nn.tanh is tf.math.tanh
    assert tf.nn.swish is tf.nn.silu
    assert tf.nn.sigmoid is tf.sigmoid


# -- log_sigmoid ------------------------------------------------------------


def test_log_sigmoid():
    out = tf.math.log_sigmoid(tf.constant(X))
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), -np.log1p(np.exp(-X)), rtol=1e-12)
    # Stable at the extremes, where log(sigmoid(x)) would give -inf (TF: [-100, -0.693, 0]).
    ext = tf.math.log_sigmoid(tf.constant([-1000.0, -100.0, 0.0, 1000.0]))
    assert ext.dtype == tf.float32
    np.testing.assert_allclose(ext.numpy(), [-1000.0, -100.0, -0.6931472, 0.0], atol=1e-7)
    assert tf.math.log_sigmoid(tf.constant([1.0], tf.float16)).dtype == tf.float16
    check_gradients(tf.math.log_sigmoid, [X], order=2)
    with pytest.raises(InvalidArgumentError, match="int32 is not in the list.*Softplus"):
        tf.math.log_sigmoid(tf.constant([1, 2]))


# -- reduction axes of the composite ops (TF checks them as its reductions do) --

AXIS_ERRORS = [
    (
        lambda: tf.nn.moments(tf.constant(3.0), axes=[0]),
        "Invalid reduction dimension (0 for input with 0 dimension(s) [Op:Mean]",
    ),
    (
        lambda: tf.nn.moments(tf.constant(X), axes=[0, 0]),
        "Axes contains duplicate dimension: 0 [Op:Mean]",
    ),
    (lambda: tf.nn.moments(tf.constant(X), axes=[1, -1]), "duplicate dimension: 1"),
    (lambda: tf.nn.moments(tf.constant(X), axes=[2]), "Invalid reduction dimension (2"),
    (
        lambda: tf.nn.l2_normalize(tf.constant(3.0), axis=0),
        "Invalid reduction dimension (0 for input with 0 dimension(s) [Op:Sum]",
    ),
    (lambda: tf.nn.l2_normalize(tf.constant(X), axis=[0, -2]), "duplicate dimension: 0"),
    (lambda: tf.nn.l2_normalize(tf.constant(X), axis=-3), "Invalid reduction dimension (-3"),
]


@pytest.mark.parametrize("fn,msg", AXIS_ERRORS)
def test_reduction_axis_errors(fn, msg):
    with pytest.raises(InvalidArgumentError) as info:
        fn()
    assert msg in str(info.value)


def test_scalar_reductions_without_axis():
    np.testing.assert_allclose(tf.nn.l2_normalize(tf.constant(3.0)).numpy(), 1.0)
    mean, var = tf.nn.moments(tf.constant(3.0), axes=[])
    assert mean.numpy() == 3.0 and var.numpy() == 0.0
