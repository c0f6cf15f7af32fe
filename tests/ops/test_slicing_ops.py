"""Tests for tensorflux/ops/slicing_ops.py: ``t[...]``, slice, split, unstack, boolean_mask,
repeat, unique, gather_nd and the scatter ops -- values, inference, gradients, errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import slicing_ops
from tensorflux.testing import check_gradients, check_one_graph

A = np.arange(12.0).reshape(3, 4)
B = np.arange(24).reshape(2, 3, 4)
X = tf.constant(B.astype(np.int32))

# NumPy-compatible keys: TF's __getitem__ agrees with NumPy basic indexing on these.
KEYS = [
    5 - 4,
    -1,
    (1, -1),
    (slice(None, None, -1), slice(None, None, 2), 1),
    (Ellipsis, 1),
    (None, Ellipsis, None),
    None,
    (slice(10, 20),),
    (slice(-5, None),),
    (slice(None), None, 1),
    (0, 0, slice(None, None, -2)),
    (0, 0, slice(3, 0, -2)),
    (0, 0, slice(-1, -5, -1)),
    (0, 0, slice(-10, -20, -1)),
    (1, None, 2),
    (slice(2, 1),),
    [0, 1],
]


@pytest.mark.parametrize("key", KEYS, ids=[repr(k) for k in KEYS])
def test_getitem_matches_numpy(key):
    expected = B[tuple(key) if isinstance(key, list) else key]
    out = X[key]
    assert out.dtype == tf.int32
    assert out.shape == TensorShape(expected.shape)
    np.testing.assert_array_equal(out.numpy(), expected)


def test_getitem_tensor_and_numpy_indices():
    assert X[tf.constant(1)].shape == TensorShape([3, 4])
    assert X[tf.constant(1, tf.int64)].shape == TensorShape([3, 4])
    assert X[np.int64(1)].shape == TensorShape([3, 4])
    assert X[1 : tf.constant(2)].shape == TensorShape([1, 3, 4])
    assert X[:: tf.constant(2)].shape == TensorShape([1, 3, 4])
    assert X[tf.Variable(1)].shape == TensorShape([3, 4])
    assert X[tf.newaxis].shape == TensorShape([1, 2, 3, 4])
    assert tf.newaxis is None and slicing_ops.newaxis is None


def test_getitem_on_variables_and_strings():
    v = tf.Variable(A.astype(np.float32))
    np.testing.assert_array_equal(v[0, 1:].numpy(), [1.0, 2.0, 3.0])
    assert tf.constant(["a", "b"])[1].numpy() == b"b"


def test_getitem_boolean_mask():
    np.testing.assert_array_equal(X[tf.constant([False, True])].numpy(), B[[False, True]])
    np.testing.assert_array_equal(X[np.array([True, False])].numpy(), B[:1])
    np.testing.assert_array_equal(X[X > 20].numpy(), [21, 22, 23])


def test_iteration_unstacks_the_first_axis():
    rows = list(tf.constant(A))
    assert len(rows) == 3
    np.testing.assert_array_equal(rows[2].numpy(), A[2])


VALUES = [
    (
        "strided_slice masks",
        lambda: tf.strided_slice(X, [0, 1], [1, 3], [1, 2], begin_mask=1, shrink_axis_mask=2),
        B[:1, 1],
    ),
    (
        "strided_slice new axis",
        lambda: tf.strided_slice(X, [0, 0], [0, 1], new_axis_mask=1, ellipsis_mask=0),
        B[None, 0:1],
    ),
    ("slice", lambda: tf.slice(tf.constant(A), [1, 1], [-1, 2]), A[1:, 1:3]),
    ("split int", lambda: tf.split(tf.constant(A), 2, axis=1), np.split(A, 2, axis=1)),
    (
        "split sizes",
        lambda: tf.split(tf.constant(A), [1, -1, 1], axis=tf.constant(1)),
        [A[:, :1], A[:, 1:3], A[:, 3:]],
    ),
    ("split to empty", lambda: tf.split(tf.constant(A), [3, -1]), [A, A[:0]]),
    ("unstack", lambda: tf.unstack(tf.constant(A), axis=1), list(A.T)),
    ("unstack num", lambda: tf.unstack(tf.constant(A), num=3), list(A)),
    ("unstack empty", lambda: tf.unstack(tf.zeros([0, 3])), []),
    ("boolean_mask", lambda: tf.boolean_mask(A, [True, False, True]), A[[0, 2]]),
    (
        "boolean_mask axis",
        lambda: tf.boolean_mask(A, [True, False, True, False], axis=1),
        A[:, [0, 2]],
    ),
    ("boolean_mask 2d", lambda: tf.boolean_mask(A, A > 5), A[A > 5]),
    ("boolean_mask ints", lambda: tf.boolean_mask(A, [1, 0, 1]), A[[0, 2]]),
    ("repeat flat", lambda: tf.repeat([[1, 2], [3, 4]], 2), np.repeat([[1, 2], [3, 4]], 2)),
    (
        "repeat axis",
        lambda: tf.repeat([[1, 2], [3, 4]], [1, 3], axis=0),
        np.repeat([[1, 2], [3, 4]], [1, 3], axis=0),
    ),
    ("repeat negative axis", lambda: tf.repeat([[1, 2]], 2, axis=-1), [[1, 1, 2, 2]]),
    ("repeat scalar", lambda: tf.repeat(3, 2), [3, 3]),
    ("gather_nd", lambda: tf.gather_nd(A, [[0, 1], [2, 3]]), A[[0, 2], [1, 3]]),
    ("gather_nd rows", lambda: tf.gather_nd(A, [[0], [2]]), A[[0, 2]]),
    ("gather_nd batch_dims", lambda: tf.gather_nd(B, [[0, 1], [2, 3]], batch_dims=1), [1, 23]),
    (
        "scatter_nd",
        lambda: tf.scatter_nd([[1], [3], [1]], [9.0, 10.0, 11.0], [5]),
        [0, 20, 0, 10, 0],
    ),
    ("scatter_nd tensor shape", lambda: tf.scatter_nd([[0]], [1], tf.constant([3])), [1, 0, 0]),
    (
        "tensor_scatter_nd_update",
        lambda: tf.tensor_scatter_nd_update([1, 2, 3, 4], [[1], [3]], [9, 10]),
        [1, 9, 3, 10],
    ),
    (
        "tensor_scatter_nd_update duplicates",
        lambda: tf.tensor_scatter_nd_update([1, 2, 3, 4], [[1], [1]], [9, 10]),
        [1, 10, 3, 4],
    ),
    (
        "tensor_scatter_nd_update rows",
        lambda: tf.tensor_scatter_nd_update(tf.zeros([3, 2]), [[1]], [[5, 6]]),
        [[0, 0], [5, 6], [0, 0]],
    ),
    (
        "tensor_scatter_nd_add",
        lambda: tf.tensor_scatter_nd_add([1, 2, 3, 4], [[1], [1]], [9, 10]),
        [1, 21, 3, 4],
    ),
    (
        "tensor_scatter_nd_sub",
        lambda: tf.tensor_scatter_nd_sub([1, 2, 3, 4], [[0]], [5]),
        [-4, 2, 3, 4],
    ),
]


@pytest.mark.parametrize("name,thunk,expected", VALUES, ids=[r[0] for r in VALUES])
def test_values(name, thunk, expected):
    out = thunk()
    if isinstance(out, list):
        assert len(out) == len(expected)
        for o, e in zip(out, expected, strict=True):
            np.testing.assert_array_equal(o.numpy(), e)
    else:
        np.testing.assert_array_equal(out.numpy(), expected)
        assert out.shape == TensorShape(np.shape(expected))


def test_result_dtypes_follow_tf():
    assert tf.tensor_scatter_nd_update(tf.zeros([3, 2]), [[1]], [[5, 6]]).dtype == tf.float32
    assert tf.scatter_nd([[0]], [1], [3]).dtype == tf.int32
    assert tf.boolean_mask(tf.constant(A, tf.float32), [True, False, True]).dtype == tf.float32
    assert tf.repeat([1, 2], 2).dtype == tf.int32


def test_unique():
    out = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])
    assert type(out).__name__ == "Unique" and out._fields == ("y", "idx")
    np.testing.assert_array_equal(out.y.numpy(), [1, 2, 4, 7, 8])
    np.testing.assert_array_equal(out.idx.numpy(), [0, 0, 1, 2, 2, 2, 3, 4, 4])
    assert out.idx.dtype == tf.int32
    first_seen = tf.unique([3.0, 1.0, 3.0], out_idx=tf.int64)
    np.testing.assert_array_equal(first_seen.y.numpy(), [3.0, 1.0])
    assert first_seen.idx.dtype == tf.int64


# name, fn, inputs, order
GRADIENTS = [
    ("getitem int and slice", lambda x: x[1, ::-2], [A], 2),
    ("getitem ellipsis newaxis", lambda x: x[..., None, 1:3], [A], 2),
    ("getitem negative", lambda x: x[-1], [A], 1),
    ("getitem mask", lambda x: x[tf.constant([True, False, True])], [A], 1),
    ("strided_slice", lambda x: tf.strided_slice(x, [0, 3], [3, 0], [2, -1]), [A], 2),
    ("slice", lambda x: tf.slice(x, [1, 0], [2, -1]), [A], 2),
    ("split", lambda x: tf.split(x, [1, 3], axis=1), [A], 2),
    ("split one piece used", lambda x: tf.split(x, 3)[1], [A], 1),
    ("unstack", lambda x: tf.unstack(x, axis=1), [A], 2),
    ("boolean_mask", lambda x: tf.boolean_mask(x, A > 4), [A], 1),
    ("repeat scalar", lambda x: tf.repeat(x, 2, axis=1), [A], 2),
    ("repeat vector", lambda x: tf.repeat(x, [2, 0, 1], axis=0), [A], 1),
    ("gather_nd", lambda x: tf.gather_nd(x, [[0, 1], [2, 3], [0, 1]]), [A], 2),
    (
        "gather_nd batch_dims",
        lambda x: tf.gather_nd(x, [[1], [2]], batch_dims=1),
        [B.astype(float)],
        1,
    ),
    ("scatter_nd", lambda u: tf.scatter_nd([[1], [3], [1]], u, [5, 4]), [A], 2),
    (
        "tensor_scatter_nd_update",
        lambda t, u: tf.tensor_scatter_nd_update(t, [[2], [0]], u),
        [A, A[:2] + 0.5],
        2,
    ),
    (
        "tensor_scatter_nd_add",
        lambda t, u: tf.tensor_scatter_nd_add(t, [[0, 1], [0, 1]], u),
        [A, np.array([1.5, 2.5])],
        2,
    ),
    (
        "tensor_scatter_nd_sub",
        lambda t, u: tf.tensor_scatter_nd_sub(t, [[2, 1]], u),
        [A, np.array([1.5])],
        1,
    ),
]


@pytest.mark.parametrize("name,fn,inputs,order", GRADIENTS, ids=[r[0] for r in GRADIENTS])
def test_gradients(name, fn, inputs, order):
    check_gradients(fn, inputs, order=order)


def test_getitem_gradient_scatters_into_zeros():
    x = tf.constant(A[:2, :3].astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x[1, ::-2]
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [[0, 0, 0], [1, 0, 1]])


F32 = tf.float32
MASKS = {
    "begin_mask": 0,
    "end_mask": 6,
    "ellipsis_mask": 0,
    "new_axis_mask": 1,
    "shrink_axis_mask": 0,
}


def _bounds(*values):
    """A bound vector's Spec, its values known (None: known only when the graph runs)."""
    return Spec(tf.int32, TensorShape([len(values)]), list(values))


INFER = [
    (
        "StridedSlice",
        [Spec(F32, TensorShape([None, 5])), _bounds(0, 1, 3), _bounds(0, 0, 0), _bounds(1, 1, -1)],
        MASKS,
        lambda: tf.zeros([4, 5])[None, 1:, 3::-1],
        [1, None, 4],
    ),
    (
        "StridedSlice",
        [Spec(F32, TensorShape([None, 5, 6])), _bounds(0, 2), _bounds(0, 3), _bounds(1, 1)],
        {
            "begin_mask": 0,
            "end_mask": 0,
            "ellipsis_mask": 1,
            "new_axis_mask": 0,
            "shrink_axis_mask": 2,
        },
        lambda: tf.zeros([4, 5, 6])[..., 2],
        [None, 5],
    ),
    # A bound known only when the graph runs leaves that size unknown, not the others.
    (
        "StridedSlice",
        [Spec(F32, TensorShape([4, 5])), _bounds(1, 0), _bounds(None, 0), _bounds(1, 2)],
        dict(MASKS, new_axis_mask=0, end_mask=2),
        lambda: tf.zeros([4, 5])[1:3, ::2],
        [None, 3],
    ),
    (
        "StridedSliceGrad",
        [
            _bounds(4, 5),
            _bounds(0, 1, 3),
            _bounds(0, 0, 0),
            _bounds(1, 1, -1),
            Spec(F32, TensorShape([2])),
        ],
        MASKS,
        lambda: tf.zeros([4, 5]),
        [4, 5],
    ),
    (
        "SplitV",
        [Spec(F32, TensorShape([None, 4])), _bounds(1, 3), Spec(tf.int32, TensorShape([]), 1)],
        {"num_split": 2},
        lambda: tf.split(tf.zeros([2, 4]), [1, 3], axis=1),
        [[None, 1], [None, 3]],
    ),
    (
        "Unpack",
        [Spec(F32, TensorShape([None, 2]))],
        {"num": 2, "axis": 1},
        lambda: tf.unstack(tf.zeros([3, 2]), axis=1),
        [[None], [None]],
    ),
    (
        "Unique",
        [Spec(F32, TensorShape([None]))],
        {"out_idx": tf.int32},
        lambda: tf.unique([1.0, 1.0, 2.0]),
        [[None], [None]],
    ),
    (
        "GatherNd",
        [Spec(F32, TensorShape([None, 4, 5])), Spec(tf.int32, TensorShape([3, 2]))],
        {},
        lambda: tf.gather_nd(tf.zeros([2, 4, 5]), tf.zeros([3, 2], tf.int32)),
        [3, 5],
    ),
    (
        "ScatterNd",
        [
            Spec(tf.int32, TensorShape([None, 1])),
            Spec(F32, TensorShape([None, 4])),
            Spec(tf.int32, TensorShape([2]), [5, 4]),
        ],
        {},
        lambda: tf.scatter_nd([[1]], tf.zeros([1, 4]), [5, 4]),
        [5, 4],
    ),
    (
        "TensorScatterUpdate",
        [
            Spec(F32, TensorShape([None, 4])),
            Spec(tf.int32, TensorShape([None, 1])),
            Spec(F32, TensorShape([None, 4])),
        ],
        {},
        lambda: tf.tensor_scatter_nd_update(tf.zeros([5, 4]), [[1]], tf.zeros([1, 4])),
        [None, 4],
    ),
    (
        "TensorScatterAdd",
        [
            Spec(F32, TensorShape([5, 4])),
            Spec(tf.int32, TensorShape([1, 1])),
            Spec(F32, TensorShape([1, 4])),
        ],
        {},
        lambda: tf.tensor_scatter_nd_add(tf.zeros([5, 4]), [[1]], tf.zeros([1, 4])),
        [5, 4],
    ),
]


@pytest.mark.parametrize("name,specs,attrs,thunk,dims", INFER, ids=[r[0] for r in INFER])
def test_inference_matches_eager(name, specs, attrs, thunk, dims):
    inferred = registry.get(name).infer(*specs, **attrs)
    out = thunk()
    inferred = (inferred,) if isinstance(inferred, Spec) else inferred
    outs = out if isinstance(out, (tuple, list)) else (out,)
    dims = dims if isinstance(dims[0], list) or not dims else [dims]
    for s, o, d in zip(inferred, outs, dims, strict=True):
        assert s.shape.as_list() == d
        assert s.dtype == o.dtype
        assert s.shape.is_compatible_with(o.shape)


# thunk, exception type, message fragment (TF's wording where it has one)
ERRORS = [
    (lambda: X[5], InvalidArgumentError, "slice index 5 of dimension 0 out of bounds"),
    (lambda: X[-3], InvalidArgumentError, "slice index -1 of dimension 0 out of bounds"),
    (lambda: X[:, 3], InvalidArgumentError, "slice index 3 of dimension 1 out of bounds"),
    (lambda: X[..., ...], InvalidArgumentError, "Multiple ellipses in slice spec not allowed"),
    (
        lambda: X[1, 1, 1, 1],
        InvalidArgumentError,
        "Index out of range using input dim 3; input has only 3 dims",
    ),
    (lambda: X[::0], InvalidArgumentError, "strides[0] must be non-zero"),
    (lambda: tf.constant(1.0)[0], InvalidArgumentError, "Attempting to slice scalar input"),
    (lambda: X[1.0], TypeError, "Only integers, slices (`:`), ellipsis (`...`)"),
    (lambda: X[tf.constant([0, 1])], TypeError, "scalar tf.int32/tf.int64 tensors"),
    (lambda: X[tf.constant(1, tf.int8)], TypeError, "are valid indices"),
    (lambda: X[:, tf.constant([True, False, True])], TypeError, "are valid indices"),
    (lambda: X[True], ValueError, "mask cannot be scalar"),
    (
        lambda: tf.strided_slice(X, [0], [1, 2]),
        InvalidArgumentError,
        "Expected begin, end, and strides to be 1D equal size",
    ),
    (
        lambda: tf.slice(tf.constant(A), [1, 1], [3, 2]),
        InvalidArgumentError,
        "Expected size[0] in [0, 2], but got 3",
    ),
    (
        lambda: tf.slice(tf.constant(A), [4, 1], [1, 2]),
        InvalidArgumentError,
        "Expected begin[0] in [0, 3], but got 4",
    ),
    (
        lambda: tf.slice(tf.constant(A), [1], [3]),
        InvalidArgumentError,
        "Expected begin and size arguments to be 1-D tensors of size 2",
    ),
    (
        lambda: tf.split(tf.zeros([5, 2]), 2),
        InvalidArgumentError,
        "Number of ways to split should evenly divide the split dimension, but got split_dim 0 "
        "(size = 5) and num_split 2",
    ),
    (
        lambda: tf.split(tf.zeros([5, 2]), [1, 2]),
        InvalidArgumentError,
        "Determined shape must either match input shape along split_dim",
    ),
    (
        lambda: tf.split(tf.zeros([5, 2]), [-1, -1]),
        InvalidArgumentError,
        "There can only be one -1 in the input.",
    ),
    (lambda: tf.split(tf.zeros([5, 2]), 2, axis=2), InvalidArgumentError, "split_dim"),
    (
        lambda: tf.unstack(tf.zeros([2, 3]), num=3),
        InvalidArgumentError,
        "Input shape axis 0 must equal 3, got shape [2,3]",
    ),
    (lambda: tf.unstack(tf.zeros([])), ValueError, "Argument `axis` = 0 not in range [0, 0)"),
    (
        lambda: tf.boolean_mask(A, [True, False]),
        ValueError,
        "Shapes (3,) and (2,) are incompatible",
    ),
    (lambda: tf.boolean_mask(A, True), ValueError, "mask cannot be scalar"),
    (
        lambda: tf.repeat([[1, 2]], [1, 2, 3], axis=-1),
        ValueError,
        "Dimensions 2 and 3 are not compatible",
    ),
    (lambda: tf.unique([[1, 2]]), InvalidArgumentError, "unique expects a 1D vector"),
    (
        lambda: tf.gather_nd(A, [[0, 1], [5, 3]]),
        InvalidArgumentError,
        "indices[1] = [5, 3] does not index into param shape [3,4]",
    ),
    (lambda: tf.gather_nd(A, [[0, 1, 1]]), InvalidArgumentError, "innermost dimension"),
    (lambda: tf.gather_nd(A, [[0.0]]), InvalidArgumentError, "'Tindices' of float32"),
    (
        lambda: tf.scatter_nd([[1], [7]], [9.0, 10.0], [5]),
        InvalidArgumentError,
        "indices[1] = [7] does not index into shape [5]",
    ),
    (
        lambda: tf.scatter_nd([[1], [2]], [9.0], [5]),
        InvalidArgumentError,
        "Dimensions [0,1) of indices[shape=[2,1]] must match dimensions [0,1) of updates",
    ),
    (
        lambda: tf.tensor_scatter_nd_add([1, 2, 3, 4], [[1], [6]], [9, 10]),
        InvalidArgumentError,
        "indices[1] = [6] does not index into shape [4]",
    ),
    (
        lambda: tf.tensor_scatter_nd_update(tf.zeros([2]), [[1]], tf.constant([1])),
        InvalidArgumentError,
        "do not match the tensor's dtype float32",
    ),
]


@pytest.mark.parametrize("thunk,exc,fragment", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors(thunk, exc, fragment):
    with pytest.raises(exc) as info:
        thunk()
    assert fragment in str(info.value)


def test_traced_scalar_index_is_read_on_every_call():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])

    @tf.function
    def pick(x, i):
        return x[i], x[1:, i], x[i, -1]

    for i in (0, 1, -1):
        row, col, last = pick(x, tf.constant(i))
        np.testing.assert_array_equal(row.numpy(), x.numpy()[i])
        np.testing.assert_array_equal(col.numpy(), x.numpy()[1:, i])
        assert float(last) == x.numpy()[i, -1]
    assert pick.experimental_get_tracing_count() == 1


def test_traced_index_in_a_loop_and_its_gradient():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])

    @tf.function
    def total(x):
        s = tf.zeros([2])
        for i in tf.range(3):
            s += x[i] * tf.cast(i + 1, tf.float32)
        return s

    np.testing.assert_allclose(total(x).numpy(), [22.0, 28.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(total(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [[1, 1], [2, 2], [3, 3]])


def test_slice_bounds_computed_inside_a_function_are_read_on_every_call():
    def parts(x, n):
        return x[:n], x[n:, 1:], x[1 : n + 1 : 2], x[..., :n], x[n - 1], x[None, :n, n - 1]

    x = tf.constant(np.arange(30, dtype=np.float32).reshape(6, 5))
    sig = [tf.TensorSpec([None, 5], tf.float32), tf.TensorSpec([], tf.int32)]
    check_one_graph(parts, sig, [(x, tf.constant(2)), (x[:4], tf.constant(3)), (x, tf.constant(1))])

    def grad(x, n):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(x[1:n] ** 2) + tf.reduce_sum(x[n - 1] * 3.0)
        return tape.gradient(y, x)

    check_one_graph(grad, sig, [(x, tf.constant(2)), (x[:4], tf.constant(3)), (x, tf.constant(5))])


def test_traced_slice_bounds_gradients_match_finite_differences():
    head = tf.function(
        lambda x, n: x[1:n] ** 2,
        input_signature=[tf.TensorSpec([None, 3], tf.float64), tf.TensorSpec([], tf.int32)],
    )
    check_gradients(
        lambda x: head(x, tf.constant(3)), [np.random.default_rng(0).normal(size=(4, 3))], order=2
    )


def test_traced_slice_bound_must_be_an_integer_scalar():
    @tf.function
    def head(x, n):
        return x[:n]

    with pytest.raises(TypeError, match="scalar int32/int64"):
        head(tf.range(5), tf.constant(2.0))


def test_strided_slice_gradient_is_itself_differentiable():
    from tensorflux.engine.registry import execute, get

    masks = {
        "begin_mask": 0,
        "end_mask": 3,
        "ellipsis_mask": 0,
        "new_axis_mask": 0,
        "shrink_axis_mask": 0,
    }
    bounds = [tf.constant(v) for v in ([3, 4], [1, 0], [0, 0], [1, 2])]
    grad_op = get("StridedSliceGrad")
    check_gradients(
        lambda dy: execute(grad_op, (*bounds, dy), masks) ** 2, [np.arange(4.0).reshape(2, 2) + 0.5]
    )


def test_traced_indices_and_bounds_are_one_strided_slice():
    @tf.function
    def pick(x, i, n):
        return x[..., i], x[-n:, None, i], x[i]

    x = tf.reshape(tf.range(12), [3, 4])
    last, tail, row = pick(x, tf.constant(-1), tf.constant(2))
    np.testing.assert_array_equal(last.numpy(), [3, 7, 11])
    np.testing.assert_array_equal(tail.numpy(), [[7], [11]])
    np.testing.assert_array_equal(row.numpy(), [8, 9, 10, 11])
    graph = pick.get_concrete_function(x, tf.constant(0), tf.constant(1)).graph
    assert {n.op.name for n in graph.nodes if n.op is not None} >= {"StridedSlice"}
    with pytest.raises(InvalidArgumentError, match="out of bounds"):
        pick(x, tf.constant(3), tf.constant(1))


def test_slice_takes_begin_and_size_computed_inside_a_function():
    def block(x, begin, size):
        return tf.slice(x, begin, size), tf.slice(x, [begin[0], 0], [1, -1])

    x = tf.constant(np.arange(24, dtype=np.float32).reshape(4, 6))
    sig = [
        tf.TensorSpec([None, 6], tf.float32),
        tf.TensorSpec([2], tf.int32),
        tf.TensorSpec([2], tf.int32),
    ]
    check_one_graph(
        block,
        sig,
        [
            (x, tf.constant([1, 2]), tf.constant([2, 3])),
            (x[:3], tf.constant([0, 1]), tf.constant([-1, 2])),
        ],
    )
    traced = tf.function(block, input_signature=sig)
    graph = traced.get_concrete_function().graph
    assert "Slice" in {n.op.name for n in graph.nodes if n.op is not None}
    with pytest.raises(InvalidArgumentError, match=r"Expected size\[0\] in \[0, 1\]"):
        traced(x, tf.constant([3, 0]), tf.constant([2, 1]))


def test_slice_with_traced_bounds_gradient_matches_finite_differences():
    block = tf.function(
        lambda x, begin: tf.slice(x, begin, [2, -1]) ** 2,
        input_signature=[tf.TensorSpec([None, 3], tf.float64), tf.TensorSpec([2], tf.int32)],
    )
    check_gradients(
        lambda x: block(x, tf.constant([1, 1])),
        [np.random.default_rng(1).normal(size=(4, 3))],
        order=2,
    )
