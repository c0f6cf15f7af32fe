"""Tests for tensorflux/ops/linalg_ops.py: values, dtypes, inference, gradients, errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.ops import linalg_ops
from tensorflux.testing import check_gradients

RNG = np.random.default_rng(0)
A = np.array([[2.0, 0.5, -1.0], [0.3, 3.0, 0.2], [-0.4, 0.1, 1.5]])
BATCH = A + RNG.normal(scale=0.1, size=(2, 3, 3))
M = np.array([[3.0, -4.0, 1.5], [1.0, 2.0, -0.5]])

# name, function, inputs, NumPy reference
CASES = [
    ("inv", tf.linalg.inv, [BATCH], np.linalg.inv),
    ("inv_adjoint", lambda a: tf.linalg.inv(a, adjoint=True), [A], lambda a: np.linalg.inv(a.T)),
    ("det", tf.linalg.det, [BATCH], np.linalg.det),
    ("matvec", tf.linalg.matvec, [BATCH, np.array([1.0, -2.0, 0.5])], lambda a, b: a @ b),
    (
        "matvec_t",
        lambda a, b: tf.linalg.matvec(a, b, transpose_a=True),
        [M, np.ones(2) * 0.7],
        lambda a, b: a.T @ b,
    ),
    ("matrix_transpose", tf.linalg.matrix_transpose, [BATCH], lambda b: np.swapaxes(b, -1, -2)),
    ("diag_part", tf.linalg.diag_part, [M], lambda m: np.diagonal(m)),
    (
        "diag",
        tf.linalg.diag,
        [np.array([[1.0, 2.0], [3.0, 4.0]])],
        lambda d: np.stack([np.diag(r) for r in d]),
    ),
    ("trace", tf.linalg.trace, [BATCH], lambda b: np.trace(b, axis1=-2, axis2=-1)),
    (
        "tensordot_1",
        lambda a, b: tf.tensordot(a, b, axes=1),
        [M, A],
        lambda a, b: np.tensordot(a, b, 1),
    ),
    (
        "tensordot_pairs",
        lambda a, b: tf.tensordot(a, b, axes=[[0, 1], [1, 0]]),
        [M, M.T.copy()],
        lambda a, b: np.tensordot(a, b, [[0, 1], [1, 0]]),
    ),
    (
        "tensordot_0",
        lambda a, b: tf.tensordot(a, b, axes=0),
        [M, np.ones(2)],
        lambda a, b: np.tensordot(a, b, 0),
    ),
    ("einsum_matmul", lambda a, b: tf.einsum("ij,jk->ik", a, b), [M, A], np.matmul),
    ("einsum_implicit", lambda a, b: tf.einsum("ij,jk", a, b), [M, A], np.matmul),
    (
        "einsum_ellipsis",
        lambda a, b: tf.einsum("...ij,...jk->...ik", a, b),
        [BATCH[:1], BATCH],
        np.matmul,
    ),
    ("einsum_sum", lambda a: tf.einsum("ij->", a), [M], np.sum),
    (
        "einsum_dot",
        lambda a, b: tf.einsum("ij,ij->i", a, b),
        [M, M * 2],
        lambda a, b: np.sum(a * b, axis=1),
    ),
    (
        "einsum_three",
        lambda a, b, c: tf.einsum("ij,jk,k->i", a, b, c),
        [M, A, np.ones(3)],
        lambda a, b, c: a @ b @ c,
    ),
    (
        "einsum_outer_only",
        lambda a, b: tf.einsum("ij,k->ik", a, b),
        [M, np.ones(4)],
        lambda a, b: np.einsum("ij,k->ik", a, b),
    ),
    ("norm", tf.norm, [M], lambda m: np.linalg.norm(m)),
    ("norm_axis", lambda m: tf.norm(m, axis=1), [M], lambda m: np.linalg.norm(m, axis=1)),
    ("norm_1", lambda m: tf.norm(m, ord=1), [M], lambda m: np.sum(np.abs(m))),
    (
        "norm_inf_keep",
        lambda m: tf.norm(m, ord=np.inf, axis=1, keepdims=True),
        [M],
        lambda m: np.max(np.abs(m), axis=1, keepdims=True),
    ),
    (
        "norm_p3",
        lambda m: tf.norm(m, ord=3, axis=1),
        [M],
        lambda m: np.sum(np.abs(m) ** 3, axis=1) ** (1 / 3),
    ),
    (
        "norm_fro",
        lambda m: tf.norm(m, ord="fro", axis=[0, 1]),
        [M],
        lambda m: np.linalg.norm(m, "fro"),
    ),
    (
        "norm_mat1",
        lambda m: tf.linalg.norm(m, ord=1, axis=[0, 1]),
        [M],
        lambda m: np.linalg.norm(m, 1),
    ),
    (
        "norm_matinf",
        lambda m: tf.linalg.norm(m, ord=np.inf, axis=(-2, -1)),
        [M],
        lambda m: np.linalg.norm(m, np.inf),
    ),
]


@pytest.mark.parametrize("name,fn,inputs,ref", CASES, ids=[c[0] for c in CASES])
def test_values(name, fn, inputs, ref):
    out = fn(*[tf.constant(x) for x in inputs])
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), ref(*inputs), rtol=1e-10, atol=1e-12)
    out32 = fn(*[tf.constant(x.astype(np.float32)) for x in inputs])
    assert out32.dtype == tf.float32
    np.testing.assert_allclose(out32.numpy(), ref(*inputs), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name,fn,inputs,ref", CASES, ids=[c[0] for c in CASES])
def test_gradients(name, fn, inputs, ref):
    check_gradients(fn, inputs)


@pytest.mark.parametrize("name", ["inv", "det", "einsum_ellipsis", "diag_part", "norm"])
def test_second_order(name):
    _, fn, inputs, _ = next(c for c in CASES if c[0] == name)
    check_gradients(fn, inputs, order=2)


def test_int_results_as_tf():
    assert tf.linalg.diag([1, 2]).dtype == tf.int32
    assert int(tf.linalg.trace([[1, 2, 3], [3, 4, 5]])) == 5
    out = tf.tensordot([1, 2], [3, 4], axes=1)
    assert out.dtype == tf.int32 and int(out) == 11
    assert (
        tf.einsum("ij,jk->ik", tf.ones([2, 3], tf.int32), tf.ones([3, 4], tf.int32)).dtype
        == tf.int32
    )
    assert tf.linalg.matmul is tf.matmul
    np.testing.assert_allclose(tf.linalg.global_norm([tf.constant([3.0, 4.0])]).numpy(), 5.0)


@pytest.mark.parametrize(
    "equation, shapes",
    [
        ("ii->", [(3, 3)]),
        ("ii->i", [(3, 3)]),
        ("iij->j", [(2, 2, 4)]),
        ("ii,ij->j", [(3, 3), (3, 2)]),
        ("iji->ij", [(2, 3, 2)]),
        ("bii->b", [(4, 2, 2)]),
    ],
)
def test_einsum_repeated_subscripts_values_and_gradients(equation, shapes):
    rng = np.random.default_rng(3)
    args = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_allclose(tf.einsum(equation, *args).numpy(), np.einsum(equation, *args))
    check_gradients(lambda *a: tf.einsum(equation, *a), args, order=2)


def test_einsum_trace_gradient_is_the_identity():
    x = tf.constant(A)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.einsum("ii->", x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), np.eye(len(A)))


# -- inference ---------------------------------------------------------------


def _spec(shape, dtype=tf.float64):
    return Spec(dtype, tf.TensorShape(shape))


def test_infer_matches_eager():
    for op, fn, attrs, shapes in [
        (linalg_ops._INV, tf.linalg.inv, {}, [(2, 3, 3)]),
        (linalg_ops._DET, tf.linalg.det, {}, [(2, 3, 3)]),
        (
            linalg_ops._EINSUM,
            lambda a, b: tf.einsum("ij,jk->ik", a, b),
            {"equation": "ij,jk->ik"},
            [(2, 3), (3, 4)],
        ),
    ]:
        out = fn(
            *[
                tf.constant(np.broadcast_to(np.eye(*s[-2:]) if len(s) > 1 else 1.0, s))
                for s in shapes
            ]
        )
        spec = op.infer(*[_spec(s) for s in shapes], **attrs)
        assert spec.dtype == out.dtype and spec.shape == out.shape, op.name
    assert linalg_ops._DET.infer(_spec([None, 3, 3])).shape.as_list() == [None]
    k0, pad = Spec(tf.int32, tf.TensorShape([]), 0), _spec([])
    assert linalg_ops._DIAG_PART.infer(_spec([4, None, 3]), k0, pad).shape.as_list() == [4, None]
    eq = linalg_ops._EINSUM.infer(_spec([None, 3]), _spec([3, 4]), equation="ij,jk->ik")
    assert eq.shape.as_list() == [None, 4]
    assert linalg_ops._EINSUM.infer(_spec(None), _spec([3]), equation="ij,j->i").shape.rank is None


# -- errors ---------------------------------------------------------------------

ERRORS = [
    (
        lambda: tf.linalg.inv([[1.0, 2.0], [2.0, 4.0]]),
        InvalidArgumentError,
        "Input is not invertible",
    ),
    (lambda: tf.linalg.inv(np.ones((2, 3))), InvalidArgumentError, "must be square"),
    (lambda: tf.linalg.inv([[1, 2], [2, 4]]), InvalidArgumentError, "attr 'T' of int32"),
    (lambda: tf.linalg.det(np.ones((2, 3))), InvalidArgumentError, "must be square"),
    (lambda: tf.linalg.diag_part([1.0]), InvalidArgumentError, "at least 2-dim"),
    (lambda: tf.linalg.matrix_transpose([1.0]), ValueError, "rank >= 2"),
    (lambda: tf.linalg.diag_part(A, k=(1, 0)), InvalidArgumentError, "must not be larger"),
    (
        lambda: tf.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((4, 4))),
        InvalidArgumentError,
        "Expected dimension 3 for subscript 'j'",
    ),
    (
        lambda: tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([3, 4], tf.float64)),
        InvalidArgumentError,
        "expected to be a float tensor but is a double tensor",
    ),
    (
        lambda: tf.einsum("bij,bjk->bik", np.ones((1, 2, 3)), np.ones((5, 3, 4))),
        InvalidArgumentError,
        "Expected dimension 1 for subscript 'b'",
    ),
    (lambda: tf.einsum("ij,jk->ik", np.ones((2, 3))), ValueError, "Got 1 inputs for equation"),
    (
        lambda: tf.einsum("ij->i", np.ones((2, 3, 4))),
        InvalidArgumentError,
        "Expected input of rank 2",
    ),
    (lambda: tf.einsum("i1->i", np.ones(2)), ValueError, "invalid subscript '1'"),
    (
        lambda: tf.tensordot(np.ones((2, 3)), np.ones((2, 2)), axes=[1, 0]),
        InvalidArgumentError,
        "Expected dimension 3",
    ),
    (lambda: tf.tensordot(np.ones(2), np.ones(2), axes=3), ValueError, "must be in"),
    (
        lambda: tf.tensordot(np.ones(2), np.ones(2), axes=[[0], [0], [0]]),
        ValueError,
        "pair of axis lists",
    ),
    (lambda: tf.norm([3, 4]), InvalidArgumentError, "attr 'T' of int32"),
    (lambda: tf.norm(M, ord="fro"), ValueError, "'ord' must be a supported vector norm, got fro"),
    (
        lambda: tf.norm(M, ord=3, axis=[0, 1]),
        ValueError,
        r"'ord' must be a supported matrix norm in \['euclidean', 'fro', 1, 2, inf\], got 3",
    ),
    (lambda: tf.norm(M, axis=(1, 1)), ValueError, "tuple of 2 unique integers, got"),
]


@pytest.mark.parametrize("fn,exc,msg", ERRORS)
def test_errors(fn, exc, msg):
    with pytest.raises(exc, match=msg):
        fn()


# -- solve ------------------------------------------------------------------

RHS = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 0.25]])

# name, function, matrix, rhs, NumPy reference
SOLVE_CASES = [
    ("solve", tf.linalg.solve, A, RHS, np.linalg.solve),
    (
        "solve_adjoint",
        lambda a, b: tf.linalg.solve(a, b, adjoint=True),
        A,
        RHS,
        lambda a, b: np.linalg.solve(a.T, b),
    ),
    ("solve_batch", tf.linalg.solve, BATCH, np.stack([RHS, -RHS]), np.linalg.solve),
    (
        "solve_batch_adjoint",
        lambda a, b: tf.linalg.solve(a, b, adjoint=True),
        BATCH,
        np.stack([RHS, 2 * RHS]),
        lambda a, b: np.linalg.solve(np.swapaxes(a, -1, -2), b),
    ),
]


@pytest.mark.parametrize("name,fn,a,b,ref", SOLVE_CASES, ids=[c[0] for c in SOLVE_CASES])
def test_solve_values_and_gradients(name, fn, a, b, ref):
    out = fn(tf.constant(a), tf.constant(b))
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), ref(a, b), rtol=1e-12)
    out32 = fn(tf.constant(a, tf.float32), tf.constant(b, tf.float32))
    assert out32.dtype == tf.float32
    np.testing.assert_allclose(out32.numpy(), ref(a, b), rtol=1e-4)
    check_gradients(fn, [a, b], order=2)


def test_solve_tf_examples():
    out = tf.linalg.solve(tf.constant([[2.0, 0.0], [0.0, 4.0]]), tf.constant([[2.0], [8.0]]))
    np.testing.assert_array_equal(out.numpy(), [[1.0], [2.0]])
    c = tf.linalg.solve(
        tf.constant([[1 + 1j, 2.0], [3.0, 4.0]], tf.complex64),
        tf.constant([[2.0], [8.0]], tf.complex64),
        adjoint=True,
    )
    assert c.dtype == tf.complex64
    np.testing.assert_allclose(c.numpy(), [[1.6 - 3.2j], [1.2 + 1.6j]], rtol=1e-5)
    half = tf.linalg.solve(
        tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float16), tf.constant([[2.0], [8.0]], tf.float16)
    )
    assert half.dtype == tf.float16
    np.testing.assert_allclose(half.numpy(), [[4.0], [-1.0]])
    assert tf.linalg.solve(tf.zeros([0, 0]), tf.zeros([0, 3])).shape == (0, 3)
    assert tf.linalg.solve(tf.eye(2), tf.zeros([2, 0])).shape == (2, 0)


def test_solve_infer():
    op = linalg_ops._SOLVE
    spec = op.infer(_spec([None, 3, 3]), _spec([2, 3, None]))
    assert spec.dtype == tf.float64 and spec.shape.as_list() == [2, 3, None]
    assert op.infer(_spec(None), _spec([3, 2])).shape.as_list() == [3, 2]
    out = tf.linalg.solve(BATCH, np.stack([RHS, RHS]))
    assert op.infer(_spec([2, 3, 3]), _spec([2, 3, 2])).shape == out.shape


SOLVE_ERRORS = [
    (
        lambda: tf.linalg.solve([[1.0, 2.0], [2.0, 4.0]], [[2.0], [8.0]]),
        "Input matrix is not invertible",
    ),
    (
        lambda: tf.linalg.solve([[1.0, 2.0], [3.0, 4.0]], [2.0, 8.0]),
        "All input tensors must have the same rank",
    ),
    (lambda: tf.linalg.solve(np.ones((2, 3)), np.ones((2, 1))), "must be square"),
    (lambda: tf.linalg.solve(A, np.ones((2, 1))), "Input matrix and rhs are incompatible"),
    (
        lambda: tf.linalg.solve(BATCH, np.ones((1, 3, 1))),
        "All input tensors must have the same outer dimensions",
    ),
    (lambda: tf.linalg.solve([[1, 2], [3, 4]], [[2], [8]]), "attr 'T' of int32"),
    (
        lambda: tf.linalg.solve(tf.eye(2), tf.ones([2, 1], tf.float64)),
        "expected to be a float tensor but is a double tensor",
    ),
]


@pytest.mark.parametrize("fn,msg", SOLVE_ERRORS)
def test_solve_errors(fn, msg):
    with pytest.raises(InvalidArgumentError, match=msg):
        fn()
