"""Tests for tensorflux/ops/array_ops.py and creation_ops.py: values, dtypes, inference,
gradients and errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import creation_ops, joining_ops, shape_ops
from tensorflux.testing import check_gradients

A = np.arange(12.0).reshape(3, 4)
B = np.arange(24).reshape(2, 3, 4)

# name, thunk, NumPy expectation, TF result dtype (checked against TF 2.21)
VALUES = [
    ("reshape -1", lambda: tf.reshape(tf.range(6), [2, -1]), np.arange(6).reshape(2, 3), tf.int32),
    ("expand_dims -1", lambda: tf.expand_dims(A, -1), A[..., None], tf.float64),
    ("expand_dims -3", lambda: tf.expand_dims(A, -3), A[None], tf.float64),
    ("squeeze all", lambda: tf.squeeze(np.zeros((1, 2, 1))), np.zeros(2), tf.float64),
    (
        "squeeze axis",
        lambda: tf.squeeze(np.zeros((1, 2, 1)), axis=[-1]),
        np.zeros((1, 2)),
        tf.float64,
    ),
    ("transpose default", lambda: tf.transpose(B), B.transpose(), tf.int64),
    ("transpose perm", lambda: tf.transpose(B, [1, 0, 2]), B.transpose(1, 0, 2), tf.int64),
    ("transpose vector", lambda: tf.transpose([1, 2]), np.array([1, 2]), tf.int32),
    ("concat", lambda: tf.concat([[1], [2]], tf.constant(0)), np.array([1, 2]), tf.int32),
    (
        "stack axis 1",
        lambda: tf.stack([[1, 2], [3, 4]], axis=1),
        np.array([[1, 3], [2, 4]]),
        tf.int32,
    ),
    ("broadcast_to", lambda: tf.broadcast_to([1, 2], [2, 2]), np.array([[1, 2], [1, 2]]), tf.int32),
    ("tile", lambda: tf.tile([[1, 2]], [2, 2]), np.tile([[1, 2]], (2, 2)), tf.int32),
    (
        "pad constant",
        lambda: tf.pad([[1, 2]], [[1, 0], [0, 2]], constant_values=9),
        np.array([[9, 9, 9, 9], [1, 2, 9, 9]]),
        tf.int32,
    ),
    (
        "pad reflect",
        lambda: tf.pad([[1, 2, 3]], [[0, 0], [2, 2]], mode="REFLECT"),
        np.array([[3, 2, 1, 2, 3, 2, 1]]),
        tf.int32,
    ),
    (
        "pad symmetric",
        lambda: tf.pad([[1, 2, 3]], [[0, 0], [2, 2]], mode="symmetric"),
        np.array([[2, 1, 1, 2, 3, 3, 2]]),
        tf.int32,
    ),
    (
        "reverse",
        lambda: tf.reverse([[1, 2], [3, 4]], [-1, 0]),
        np.array([[4, 3], [2, 1]]),
        tf.int32,
    ),
    ("shape", lambda: tf.shape(tf.zeros([2, 3])), np.array([2, 3]), tf.int32),
    (
        "shape int64",
        lambda: tf.shape(tf.zeros([2, 3]), out_type=tf.int64),
        np.array([2, 3]),
        tf.int64,
    ),
    ("size", lambda: tf.size(tf.zeros([2, 3])), np.array(6), tf.int32),
    ("rank", lambda: tf.rank(tf.zeros([2, 3])), np.array(2), tf.int32),
    ("gather", lambda: tf.gather([1, 2, 3], [2, 0]), np.array([3, 1]), tf.int32),
    (
        "gather axis 1",
        lambda: tf.gather(A, [[2, 0]], axis=1),
        np.take(A, [[2, 0]], axis=1),
        tf.float64,
    ),
    (
        "gather batch_dims",
        lambda: tf.gather(A, [[0, 1], [2, 3], [1, 1]], axis=1, batch_dims=1),
        np.array([[0.0, 1], [6, 7], [9, 9]]),
        tf.float64,
    ),
    ("gather negative axis", lambda: tf.gather(A, [0], axis=-1), A[:, :1], tf.float64),
    (
        "where 3 args",
        lambda: tf.where([True, False], [1, 2], [10, 20]),
        np.array([1, 20]),
        tf.int32,
    ),
    (
        "where python floats and ints",
        lambda: tf.where([True], [1.0], [2]),
        np.array([1.0]),
        tf.float32,
    ),
    ("where coordinates", lambda: tf.where([True, False, True]), np.array([[0], [2]]), tf.int64),
    (
        "where coordinates numeric",
        lambda: tf.where(tf.constant([1.0, 0.0, 2.0])),
        np.array([[0], [2]]),
        tf.int64,
    ),
    ("identity", lambda: tf.identity([1.0]), np.array([1.0]), tf.float32),
    ("stop_gradient", lambda: tf.stop_gradient([1.0]), np.array([1.0]), tf.float32),
    # creation ops
    ("zeros Tensor shape", lambda: tf.zeros(tf.constant([2, 1])), np.zeros((2, 1)), tf.float32),
    ("ones TensorShape", lambda: tf.ones(tf.TensorShape([2]), tf.int32), np.ones(2), tf.int32),
    ("zeros_like variable", lambda: tf.zeros_like(tf.Variable([1, 2])), np.zeros(2), tf.int32),
    ("ones_like dtype", lambda: tf.ones_like([1, 2], dtype=tf.float64), np.ones(2), tf.float64),
    ("fill", lambda: tf.fill([2], 3), np.array([3, 3]), tf.int32),
    ("eye", lambda: creation_ops.eye(2, 3), np.eye(2, 3), tf.float32),
    (
        "eye batch",
        lambda: creation_ops.eye(2, batch_shape=[3], dtype=tf.int32),
        np.broadcast_to(np.eye(2), (3, 2, 2)),
        tf.int32,
    ),
    ("range limit", lambda: tf.range(5), np.arange(5), tf.int32),
    ("range floats", lambda: tf.range(1.0, 3.0), np.array([1.0, 2.0]), tf.float32),
    ("range mixed", lambda: tf.range(1, 2.5), np.array([1.0, 2.0]), tf.float32),
    ("range delta", lambda: tf.range(5, 1, -2), np.array([5, 3]), tf.int32),
    ("range int64 tensor", lambda: tf.range(tf.constant(3, tf.int64)), np.arange(3), tf.int64),
    ("range dtype", lambda: tf.range(3, dtype=tf.float64), np.arange(3.0), tf.float64),
    ("linspace", lambda: creation_ops.linspace(0.0, 1.0, 3), np.array([0, 0.5, 1]), tf.float32),
    ("linspace ints", lambda: creation_ops.linspace(0, 1, 3), np.array([0, 0.5, 1]), tf.float64),
    (
        "linspace vectors axis -1",
        lambda: creation_ops.linspace([0.0, 1.0], [1.0, 3.0], 3, axis=-1),
        np.array([[0, 0.5, 1], [1, 2, 3]]),
        tf.float32,
    ),
    ("linspace num 1", lambda: creation_ops.linspace(2.0, 5.0, 1), np.array([2.0]), tf.float32),
    ("linspace num 0", lambda: creation_ops.linspace(2.0, 5.0, 0), np.zeros(0), tf.float32),
    (
        "one_hot",
        lambda: creation_ops.one_hot([0, 2, -1, 5], 3),
        np.array([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]]),
        tf.float32,
    ),
    (
        "one_hot axis 0",
        lambda: creation_ops.one_hot([0, 2], 3, axis=0),
        np.array([[1, 0], [0, 0], [0, 1]]),
        tf.float32,
    ),
    (
        "one_hot on/off",
        lambda: creation_ops.one_hot([0, 2], 3, on_value=5, off_value=-1),
        np.array([[5, -1, -1], [-1, -1, 5]]),
        tf.int32,
    ),
    (
        "one_hot float64 on",
        lambda: creation_ops.one_hot([1], 2, on_value=np.float64(5)),
        np.array([[0, 5]]),
        tf.float64,
    ),
    (
        "one_hot dtype",
        lambda: creation_ops.one_hot([1], 2, dtype=tf.int32),
        np.array([[0, 1]]),
        tf.int32,
    ),
    (
        "sequence_mask",
        lambda: creation_ops.sequence_mask([1, 3, 2], 4),
        np.arange(4) < np.array([[1], [3], [2]]),
        tf.bool,
    ),
    (
        "sequence_mask no maxlen",
        lambda: creation_ops.sequence_mask([[1, 3]]),
        np.arange(3) < np.array([[[1], [3]]]),
        tf.bool,
    ),
    (
        "sequence_mask dtype",
        lambda: creation_ops.sequence_mask([1, 2], dtype=tf.float32),
        np.array([[1, 0], [1, 1]]),
        tf.float32,
    ),
]


@pytest.mark.parametrize("name,thunk,expected,dtype", VALUES, ids=[r[0] for r in VALUES])
def test_values_and_dtypes(name, thunk, expected, dtype):
    out = thunk()
    assert out.dtype == dtype
    np.testing.assert_allclose(out.numpy(), expected)
    assert out.shape == TensorShape(np.shape(expected))


def test_linspace_matches_tf_float32_values():
    got = creation_ops.linspace(0.0, 0.7, 8).numpy()
    np.testing.assert_array_equal(
        got, np.array([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], dtype=np.float32)
    )


def test_meshgrid_xy_and_ij():
    x, y = creation_ops.meshgrid([1, 2, 3], [4, 5])
    np.testing.assert_array_equal(x.numpy(), [[1, 2, 3], [1, 2, 3]])
    np.testing.assert_array_equal(y.numpy(), [[4, 4, 4], [5, 5, 5]])
    shapes = [t.shape for t in creation_ops.meshgrid([1, 2], [1, 2, 3], [1, 2, 3, 4])]
    assert shapes == [TensorShape([3, 2, 4])] * 3
    shapes = [t.shape for t in creation_ops.meshgrid([1, 2, 3], [4, 5], indexing="ij")]
    assert shapes == [TensorShape([3, 2])] * 2


def test_transpose_conjugate():
    out = tf.transpose(tf.constant([[1 + 2j, 3j]]), conjugate=True)
    np.testing.assert_array_equal(out.numpy(), [[1 - 2j], [-3j]])


def test_gather_gradient_is_indexed_slices_for_axis_0():
    x = tf.constant(A)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.gather(x, [[0, 2], [0, 1]])
    g = tape.gradient(y, x)
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(g.indices.numpy(), [0, 2, 0, 1])
    assert g.values.shape == TensorShape([4, 4])
    assert g.dense_shape.dtype == tf.int32
    np.testing.assert_array_equal(g.dense_shape.numpy(), [3, 4])
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy()[:, 0], [2, 1, 1])


def test_gather_gradient_is_dense_for_other_axes():
    x = tf.constant(A)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.gather(x, [0, 2, 0], axis=1)
    assert type(tape.gradient(y, x)) is tf.Tensor


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: tf.pad(x, [[1, 1], [0, 0]], mode="REFLECT"),
        lambda x: tf.repeat(x, [1, 2, 0], axis=0),
        lambda x: tf.repeat(x, 2, axis=0),
    ],
    ids=["mirror pad", "repeat vector", "repeat scalar"],
)
def test_non_gather_ops_give_dense_gradients(fn):
    x = tf.constant(A)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    assert type(tape.gradient(y, x)) is tf.Tensor


def test_registry_declares_non_differentiable_ops():
    for name in ("Shape", "Size", "Rank", "Where", "Range", "OneHot"):
        assert not registry.get(name).differentiable


# name, fn, inputs, order
GRADIENTS = [
    ("reshape", lambda x: tf.reshape(x, [4, 3]), [A], 2),
    ("expand_dims", lambda x: tf.expand_dims(x, 1), [A], 1),
    ("squeeze", lambda x: tf.squeeze(x), [A.reshape(3, 1, 4)], 1),
    ("transpose", lambda x: tf.transpose(x, [2, 0, 1]), [B.astype(float)], 2),
    ("broadcast_to", lambda x: tf.broadcast_to(x, [2, 3, 4]), [A[:1]], 1),
    ("concat", lambda x, y: tf.concat([x, y], 1), [A, A[:, :2] + 0.5], 2),
    ("stack", lambda x, y: tf.stack([x, y], -1), [A, A + 0.5], 2),
    ("tile", lambda x: tf.tile(x, [2, 3]), [A], 2),
    ("pad constant", lambda x: tf.pad(x, [[1, 0], [2, 1]], constant_values=3.0), [A], 2),
    ("pad reflect", lambda x: tf.pad(x, [[2, 1], [1, 3]], mode="REFLECT"), [A], 1),
    ("pad symmetric", lambda x: tf.pad(x, [[3, 1], [0, 4]], mode="SYMMETRIC"), [A], 2),
    ("reverse", lambda x: tf.reverse(x, [0, -1]), [A], 2),
    ("gather axis 0", lambda x: tf.gather(x, [[2, 0], [2, 2]]), [A], 2),
    ("gather axis 1", lambda x: tf.gather(x, [3, 0, 3], axis=1), [A], 2),
    (
        "gather batch_dims",
        lambda x: tf.gather(x, [[0, 2], [1, 1]], axis=2, batch_dims=1),
        [B.astype(float)],
        2,
    ),
    ("where", lambda x, y: tf.where(A > 4, x, y), [A, A[:1] * 2], 2),
    ("identity", tf.identity, [A], 2),
    ("linspace", lambda s, e: creation_ops.linspace(s, e, 4, axis=1), [A[0], A[1] * 2], 1),
    ("meshgrid", lambda x, y: creation_ops.meshgrid(x, y), [A[0], A[1]], 1),
]


@pytest.mark.parametrize("name,fn,inputs,order", GRADIENTS, ids=[r[0] for r in GRADIENTS])
def test_gradients(name, fn, inputs, order):
    check_gradients(fn, inputs, order=order)


def test_stop_gradient_blocks():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stop_gradient(x) * x
    assert float(tape.gradient(y, x)) == 2.0


# op name, input specs, attrs, eager thunk producing the same call
F32 = tf.float32
INFER = [
    (
        "Reshape",
        [Spec(F32, TensorShape([None, 4])), Spec(tf.int32, TensorShape([3]), [-1, 2, 2])],
        {},
        lambda: tf.reshape(tf.zeros([3, 4]), [-1, 2, 2]),
    ),
    (
        "Transpose",
        [Spec(F32, TensorShape([None, 3, 4]))],
        {"perm": (2, 0, 1)},
        lambda: tf.transpose(tf.zeros([2, 3, 4]), [2, 0, 1]),
    ),
    (
        "Tile",
        [Spec(F32, TensorShape([None, 3])), Spec(tf.int32, TensorShape([2]), [2, 2])],
        {},
        lambda: tf.tile(tf.zeros([2, 3]), [2, 2]),
    ),
    (
        "PadV2",
        [Spec(F32, TensorShape([None, 3])), Spec(F32, TensorShape([]))],
        {"paddings": ((1, 0), (2, 2))},
        lambda: tf.pad(tf.zeros([2, 3]), [[1, 0], [2, 2]]),
    ),
    (
        "ReverseV2",
        [Spec(F32, TensorShape([None, 3]))],
        {"axis": (1,)},
        lambda: tf.reverse(tf.zeros([2, 3]), [1]),
    ),
    (
        "Shape",
        [Spec(F32, TensorShape([None, 3]))],
        {"out_type": tf.int32},
        lambda: tf.shape(tf.zeros([2, 3])),
    ),
    (
        "Size",
        [Spec(F32, TensorShape([None, 3]))],
        {"out_type": tf.int64},
        lambda: tf.size(tf.zeros([2, 3]), out_type=tf.int64),
    ),
    ("Rank", [Spec(F32, TensorShape([None, 3]))], {}, lambda: tf.rank(tf.zeros([2, 3]))),
    (
        "GatherV2",
        [Spec(F32, TensorShape([None, 4])), Spec(tf.int32, TensorShape([2, 5]))],
        {"axis": 1, "batch_dims": 0},
        lambda: tf.gather(tf.zeros([3, 4]), tf.zeros([2, 5], tf.int32), axis=1),
    ),
    (
        "GatherV2",
        [Spec(F32, TensorShape([None, 4, 6])), Spec(tf.int32, TensorShape([None, 5]))],
        {"axis": 2, "batch_dims": 1},
        lambda: tf.gather(tf.zeros([3, 4, 6]), tf.zeros([3, 5], tf.int32), axis=2, batch_dims=1),
    ),
    (
        "ConcatV2",
        [Spec(F32, TensorShape([None, 2])), Spec(F32, TensorShape([None, 3]))],
        {"axis": 1},
        lambda: tf.concat([tf.zeros([1, 2]), tf.zeros([1, 3])], 1),
    ),
    (
        "Pack",
        [Spec(F32, TensorShape([None, 2]))] * 3,
        {"axis": 1},
        lambda: tf.stack([tf.zeros([4, 2])] * 3, axis=1),
    ),
    (
        "SelectV2",
        [
            Spec(tf.bool, TensorShape([None, 1])),
            Spec(F32, TensorShape([3])),
            Spec(F32, TensorShape([])),
        ],
        {},
        lambda: tf.where(tf.zeros([2, 1], tf.bool), tf.zeros([3]), 0.0),
    ),
    (
        "Where",
        [Spec(tf.bool, TensorShape([None, 3]))],
        {},
        lambda: tf.where(tf.ones([2, 3], tf.bool)),
    ),
    (
        "OneHot",
        [
            Spec(tf.int32, TensorShape([None, 2])),
            Spec(tf.int32, TensorShape([]), 4),
            Spec(F32, TensorShape([])),
            Spec(F32, TensorShape([])),
        ],
        {"axis": 1},
        lambda: creation_ops.one_hot(tf.zeros([3, 2], tf.int32), 4, axis=1),
    ),
    ("Range", [Spec(tf.int32, TensorShape([]))] * 3, {}, lambda: tf.range(3)),
]


@pytest.mark.parametrize("name,specs,attrs,thunk", INFER, ids=[r[0] for r in INFER])
def test_inference_matches_eager(name, specs, attrs, thunk):
    spec = registry.get(name).infer(*specs, **attrs)
    out = thunk()
    assert spec.dtype == out.dtype
    assert spec.shape.is_compatible_with(out.shape)
    assert spec.shape.rank == out.shape.rank


def test_inference_keeps_known_dims():
    spec = shape_ops._TRANSPOSE.infer(Spec(F32, TensorShape([None, 3, 4])), perm=(2, 0, 1))
    assert spec.shape.as_list() == [4, None, 3]
    spec = joining_ops._PAD.infer(
        Spec(F32, TensorShape([None, 3])), Spec(F32, TensorShape([])), paddings=((1, 0), (2, 2))
    )
    assert spec.shape.as_list() == [None, 7]


# thunk, exception type, message fragment
ERRORS = [
    (lambda: tf.reshape([1, 2, 3], [2, 2]), InvalidArgumentError, "tensor with 3 values"),
    (
        lambda: tf.transpose(tf.zeros([2, 3, 4]), [1, 0]),
        InvalidArgumentError,
        "transpose expects a vector of size 3",
    ),
    (
        lambda: tf.transpose(tf.zeros([2, 3, 4]), [1, 0, 0]),
        InvalidArgumentError,
        "2 is missing from {1,0,0}",
    ),
    (
        lambda: tf.transpose(tf.zeros([2, 3, 4]), [1, 0, 3]),
        InvalidArgumentError,
        "3 is out of range [0 .. 3)",
    ),
    (
        lambda: tf.expand_dims(tf.zeros([2, 3]), 3),
        InvalidArgumentError,
        "Tried to expand dim index 3 for tensor with 2 dimensions",
    ),
    (lambda: tf.expand_dims([1], 0.5), TypeError, "axis must be integers"),
    (
        lambda: tf.squeeze(tf.zeros([1, 2, 1]), axis=1),
        InvalidArgumentError,
        "Can not squeeze dim[1], expected a dimension of 1, got 2",
    ),
    (
        lambda: tf.squeeze(tf.zeros([1, 2]), axis=5),
        InvalidArgumentError,
        "Tried to squeeze dim index 5",
    ),
    (
        lambda: tf.concat([tf.zeros([2, 2]), tf.zeros([3, 3])], 0),
        InvalidArgumentError,
        "Dimension 1 in both shapes must be equal",
    ),
    (
        lambda: tf.stack([tf.zeros([2]), tf.zeros([3])]),
        InvalidArgumentError,
        "Shapes of all inputs must match",
    ),
    (
        lambda: tf.tile([[1, 2]], [2]),
        InvalidArgumentError,
        "Expected multiples argument to be a vector of length 2 but got length 1",
    ),
    (lambda: tf.tile([1, 2], [-1]), InvalidArgumentError, "Expected multiples[0] >= 0"),
    (
        lambda: tf.pad([[1, 2, 3]], [[0, 0]]),
        InvalidArgumentError,
        "The first dimension of paddings must be the rank of inputs",
    ),
    (
        lambda: tf.pad([[1, 2, 3]], [[0, 0], [-1, 0]]),
        InvalidArgumentError,
        "Paddings must be non-negative: -1 0",
    ),
    (
        lambda: tf.pad([[1, 2, 3]], [[0, 0], [3, 0]], mode="REFLECT"),
        InvalidArgumentError,
        "paddings must be less than the dimension size: 3, 0 not less than 3",
    ),
    (
        lambda: tf.pad([[1, 2, 3]], [[0, 0], [4, 0]], mode="SYMMETRIC"),
        InvalidArgumentError,
        "paddings must be no greater than the dimension size",
    ),
    (
        lambda: tf.pad([[1, 2, 3]], [[0, 0], [1, 0]], mode="FOO"),
        ValueError,
        "Value of argument `mode` expected to be one of",
    ),
    (lambda: tf.pad([1, 2], [[1, 1]], constant_values=1.5), TypeError, "Cannot convert 1.5"),
    (
        lambda: tf.reverse([[1, 2], [3, 4]], [1, 1]),
        InvalidArgumentError,
        "axis 1 specified more than once",
    ),
    (
        lambda: tf.reverse([[1, 2], [3, 4]], 1),
        InvalidArgumentError,
        "'dims' must be 1-dimension, not 0",
    ),
    (lambda: tf.reverse([[1, 2], [3, 4]], [2]), InvalidArgumentError, "out of valid range"),
    (lambda: tf.gather([1, 2, 3], [0, 7]), InvalidArgumentError, "indices[1] = 7 is not in [0, 3)"),
    (lambda: tf.gather([1, 2, 3], [-1]), InvalidArgumentError, "indices[0] = -1 is not in [0, 3)"),
    (
        lambda: tf.gather(A, [[0, 9]], axis=1),
        InvalidArgumentError,
        "indices[0,1] = 9 is not in [0, 4)",
    ),
    (
        lambda: tf.gather(A, [0.0]),
        InvalidArgumentError,
        "Value for attr 'Tindices' of float32 is not in the list of allowed values",
    ),
    (
        lambda: tf.gather([1, 2, 3], [0], axis=1),
        InvalidArgumentError,
        "Shape must be at least rank 2 but is rank 1",
    ),
    (lambda: tf.where([True], x=[1]), ValueError, "x and y must both be non-None"),
    (lambda: tf.where([1.0, 0.0], [1, 2], [3, 4]), TypeError, "Cannot convert"),
    (
        lambda: tf.where(tf.constant([1.0]), [1], [3]),
        ValueError,
        "requested dtype bool for Tensor with dtype float32",
    ),
    (
        lambda: tf.where([True], tf.constant([1.0]), tf.constant([1])),
        InvalidArgumentError,
        "cannot compute SelectV2",
    ),
    (lambda: tf.range(0, 5, 0), InvalidArgumentError, "Requires delta != 0"),
    (lambda: tf.range(-3), InvalidArgumentError, "Requires start <= limit when delta > 0: 0/-3"),
    (lambda: tf.fill([2], [1, 2]), InvalidArgumentError, "value must be a scalar"),
    (lambda: tf.zeros([-1]), InvalidArgumentError, "Dimension -1 must be >= 0"),
    (lambda: tf.ones([2, -2]), InvalidArgumentError, "Dimension -2 must be >= 0"),
    (lambda: tf.fill([-1], 1), InvalidArgumentError, "Dimension -1 must be >= 0"),
    (lambda: creation_ops.eye(-1), InvalidArgumentError, "Dimension -1 must be >= 0"),
    (
        lambda: creation_ops.one_hot([0.0, 2.0], 3),
        InvalidArgumentError,
        "is not in the list of allowed values",
    ),
    (
        lambda: creation_ops.one_hot([1], 3, on_value=1, off_value=0.0),
        TypeError,
        "of on_value does not match dtype",
    ),
    (
        lambda: creation_ops.one_hot([1], 3, axis=3),
        InvalidArgumentError,
        "Expected axis to be -1 or between",
    ),
    (lambda: creation_ops.meshgrid([1], indexing="yx"), ValueError, "must be either 'xy' or 'ij'"),
]


@pytest.mark.parametrize("thunk,exc,fragment", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors(thunk, exc, fragment):
    with pytest.raises(exc) as info:
        thunk()
    assert fragment in str(info.value)
