"""Finite-difference gradient checks of the tf.linalg ops (float64, first and second order,
complex inputs), and the ops inside ``tf.function``."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients
from tensorflux.testing.trace_check import check_one_graph

RNG = np.random.default_rng(3)
SQ = RNG.normal(size=(2, 3, 3)) + 2 * np.eye(3)
SPD = SQ @ np.swapaxes(SQ, -1, -2) + np.eye(3)
SYM = SQ + np.swapaxes(SQ, -1, -2)
DEEP = RNG.normal(size=(4, 3))
WIDE = RNG.normal(size=(3, 4))
RHS = RNG.normal(size=(2, 3, 2))
TRIDIAG = RNG.normal(size=(2, 3, 4)) + np.array([[0.0], [4.0], [0.0]])
RHS4 = RNG.normal(size=(2, 4, 2))


def _sym(a):
    # Cholesky-based functions read one triangle and TF's gradient is symmetric: checking
    # through a symmetric input makes finite differences see the same function.
    return a + tf.linalg.matrix_transpose(a)


# name, function, inputs, whether the second derivative is checked too
FIRST_ORDER = [
    ("cholesky", lambda a: tf.linalg.cholesky(_sym(a)), [SPD], True),
    ("logdet", lambda a: tf.linalg.logdet(_sym(a)), [SPD], True),
    (
        "cholesky_solve",
        lambda a, b: tf.linalg.cholesky_solve(tf.linalg.cholesky(_sym(a)), b),
        [SPD, RHS],
        False,
    ),
    ("qr_square", lambda a: list(tf.linalg.qr(a)), [SQ], False),
    ("qr_deep", lambda a: list(tf.linalg.qr(a)), [DEEP], False),
    ("qr_wide", lambda a: list(tf.linalg.qr(a)), [WIDE], False),
    ("svd_values", lambda a: tf.linalg.svd(a, compute_uv=False), [DEEP], True),
    ("svd_deep", lambda a: [tf.abs(t) for t in tf.linalg.svd(a)], [DEEP], False),
    ("svd_wide", lambda a: [tf.abs(t) for t in tf.linalg.svd(a)], [WIDE], False),
    (
        "svd_full_square",
        lambda a: [tf.abs(t) for t in tf.linalg.svd(a, full_matrices=True)],
        [SQ],
        False,
    ),
    (
        "svd_full_one_wider",
        lambda a: [tf.abs(t) for t in tf.linalg.svd(a, full_matrices=True)],
        [WIDE],
        False,
    ),
    (
        "svd_full_one_deeper",
        lambda a: [tf.abs(t) for t in tf.linalg.svd(a, full_matrices=True)],
        [DEEP],
        False,
    ),
    ("eigh", lambda a: [tf.abs(t) for t in tf.linalg.eigh(a)], [SYM], False),
    ("eigvalsh", tf.linalg.eigvalsh, [SYM], True),
    ("eig", lambda a: [tf.abs(t) for t in tf.linalg.eig(a)], [SQ[0]], False),
    ("eigvals", lambda a: tf.math.real(tf.linalg.eigvals(a)), [SQ[0]], False),
    ("slogdet", lambda a: tf.linalg.slogdet(a)[1], [SQ], True),
    ("triangular_solve", lambda a, b: tf.linalg.triangular_solve(a, b), [SQ, RHS], True),
    (
        "triangular_solve_upper_adjoint",
        lambda a, b: tf.linalg.triangular_solve(a, b, lower=False, adjoint=True),
        [SQ, RHS],
        False,
    ),
    (
        "triangular_solve_broadcast",
        lambda a, b: tf.linalg.triangular_solve(a, b),
        [SQ[0], RHS],
        False,
    ),
    (
        "banded_lower",
        lambda a, b: tf.linalg.banded_triangular_solve(a, b),
        [SQ[0, :2] + 2.0, RHS[0]],
        False,
    ),
    (
        "banded_upper_adjoint",
        lambda a, b: tf.linalg.banded_triangular_solve(a, b, lower=False, adjoint=True),
        [SQ[0, :2] + 2.0, RHS[0]],
        False,
    ),
    ("tridiagonal_solve", tf.linalg.tridiagonal_solve, [TRIDIAG, RHS4], False),
    ("tridiagonal_matmul", tf.linalg.tridiagonal_matmul, [TRIDIAG, RHS4], True),
    ("lstsq_deep", lambda a, b: tf.linalg.lstsq(a, b), [DEEP, RHS4[0]], False),
    (
        "lstsq_wide_l2",
        lambda a, b: tf.linalg.lstsq(a, b, l2_regularizer=0.3),
        [WIDE, RHS[0]],
        False,
    ),
    ("expm", tf.linalg.expm, [0.5 * SQ], False),
    ("expm_squarings", tf.linalg.expm, [4.0 * SQ[0]], False),
    ("sqrtm", tf.linalg.sqrtm, [SPD], False),
    ("pinv", tf.linalg.pinv, [DEEP], False),
    ("band_part", lambda a: tf.linalg.band_part(a, 1, 0), [SQ], True),
    ("set_diag", tf.linalg.set_diag, [SQ, RHS[..., 0]], True),
    (
        "set_diag_band",
        lambda a, d: tf.linalg.set_diag(a, d, k=(-1, 0), align="LEFT_RIGHT"),
        [SQ, RHS.transpose(0, 2, 1)],
        True,
    ),
    (
        "diag_part_band",
        lambda a: tf.linalg.diag_part(a, k=(-1, 2), padding_value=3.0),
        [DEEP],
        True,
    ),
    (
        "diag_band",
        lambda d: tf.linalg.diag(d, k=(-1, 0), num_cols=4),
        [RHS.transpose(0, 2, 1)],
        True,
    ),
    ("tensor_diag", tf.linalg.tensor_diag, [DEEP[:2]], True),
    ("tensor_diag_part", tf.linalg.tensor_diag_part, [RNG.normal(size=(2, 3, 2, 3))], True),
    ("cross", tf.linalg.cross, [RHS[..., 0], SQ[:, 0]], True),
    ("normalize", lambda a: list(tf.linalg.normalize(a, axis=-1)), [DEEP], False),
    ("norm_spectral", lambda a: tf.norm(a, ord=2, axis=[-2, -1]), [SQ], False),
    ("lu_solve", lambda b: tf.linalg.lu_solve(*tf.linalg.lu(tf.constant(SQ)), b), [RHS], False),
    (
        "operator_kronecker",
        lambda a: tf.linalg.LinearOperatorKronecker(
            [
                tf.linalg.LinearOperatorFullMatrix(a[0, :2, :2]),
                tf.linalg.LinearOperatorFullMatrix(a[1]),
            ]
        ).log_abs_determinant(),
        [SQ],
        False,
    ),
    (
        "operator_diag_solve",
        lambda d, b: tf.linalg.LinearOperatorDiag(d).solve(b),
        [SQ[..., 0], RHS],
        False,
    ),
]


@pytest.mark.parametrize("name, fn, inputs, second", FIRST_ORDER, ids=[c[0] for c in FIRST_ORDER])
def test_gradients_match_finite_differences(name, fn, inputs, second):
    check_gradients(fn, inputs, rtol=1e-4, atol=1e-5, order=2 if second else 1)


def _complex_gradient_check(fn, z):
    """TF's gradient of a real loss L(z) is dL/d(re z) + i dL/d(im z): compared with central
    differences over the real and imaginary parts."""
    w = RNG.uniform(0.5, 1.5, size=np.shape(fn(tf.constant(z))))

    def loss(v):
        return tf.reduce_sum(tf.constant(w) * tf.math.real(fn(v)))

    x = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = loss(x)
    got = tape.gradient(y, x).numpy()
    want = np.zeros_like(z)
    eps = 1e-6
    for idx in np.ndindex(z.shape):
        for unit in (1.0, 1j):
            up, down = z.copy(), z.copy()
            up[idx] += eps * unit
            down[idx] -= eps * unit
            slope = (float(loss(tf.constant(up))) - float(loss(tf.constant(down)))) / (2 * eps)
            want[idx] += slope * unit
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


CZ = SQ[0] + 1j * RNG.normal(size=(3, 3))
HERM = CZ @ CZ.conj().T + np.eye(3)

COMPLEX = [
    ("cholesky", lambda a: tf.abs(tf.linalg.cholesky(a + tf.linalg.adjoint(a))), HERM),
    ("qr", lambda a: tf.abs(tf.linalg.qr(a)[1]), CZ),
    ("svd_values", lambda a: tf.linalg.svd(a, compute_uv=False), CZ),
    ("svd_vectors", lambda a: tf.abs(tf.linalg.svd(a)[1]), CZ),
    ("eigh_values", lambda a: tf.linalg.eigh(a + tf.linalg.adjoint(a))[0], CZ),
    ("eig_values", lambda a: tf.abs(tf.linalg.eigvals(a)), CZ),
    ("slogdet", lambda a: tf.linalg.slogdet(a)[1], CZ),
    (
        "triangular_solve",
        lambda a: tf.abs(tf.linalg.triangular_solve(a, a[:, :1], adjoint=True)),
        CZ,
    ),
    ("expm", lambda a: tf.abs(tf.linalg.expm(a)), 0.5 * CZ),
    ("inv_adjoint", lambda a: tf.abs(tf.linalg.inv(a, adjoint=True)), CZ),
    # Regressions: MatMul's and inv's gradients used transposes where complex input needs
    # adjoints.
    ("matmul", lambda a: tf.abs(tf.matmul(a, tf.constant(HERM))), CZ),
    ("matmul_transposed", lambda a: tf.abs(tf.matmul(tf.constant(HERM), a, transpose_b=True)), CZ),
    ("inv", lambda a: tf.abs(tf.linalg.inv(a)), CZ),
]


@pytest.mark.parametrize("name, fn, z", COMPLEX, ids=[c[0] for c in COMPLEX])
def test_complex_gradients(name, fn, z):
    _complex_gradient_check(fn, z)


def test_gradient_errors_follow_tensorflow():
    x = tf.constant(WIDE.T.copy())
    with tf.GradientTape() as tape:
        tape.watch(x)
        q, r = tf.linalg.qr(x, full_matrices=True)
    with pytest.raises(NotImplementedError, match="full_matrices is true"):
        tape.gradient(r, x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.linalg.lstsq(x, tf.ones((4, 1), tf.float64), fast=False)
    with pytest.raises(ValueError, match="fast=False"):
        tape.gradient(y, x)


def test_lu_and_logm_have_no_gradient_as_in_tensorflow():
    x = tf.constant(SQ)
    with tf.GradientTape() as tape:
        tape.watch(x)
        lu, _ = tf.linalg.lu(x)
    assert tape.gradient(lu, x) is None


TRACED = [
    ("cholesky", tf.linalg.cholesky, [SPD]),
    ("qr", lambda a: tf.linalg.qr(a), [DEEP]),
    ("svd", lambda a: tf.linalg.svd(a, compute_uv=False), [SQ]),
    ("eigh", tf.linalg.eigvalsh, [SYM]),
    ("slogdet", tf.linalg.slogdet, [SQ]),
    ("triangular_solve", tf.linalg.triangular_solve, [SQ, RHS]),
    ("tridiagonal_solve", tf.linalg.tridiagonal_solve, [TRIDIAG, RHS4]),
    ("expm", tf.linalg.expm, [SQ]),
    ("band_part", lambda a: tf.linalg.band_part(a, 0, 1), [SQ]),
    ("diag_part_band", lambda a: tf.linalg.diag_part(a, k=(-1, 1)), [SQ]),
    ("diag_band", lambda d: tf.linalg.diag(d, k=(0, 1)), [RHS.transpose(0, 2, 1)]),
    (
        "conjugate_gradient",
        lambda a, b: (
            tf.linalg.experimental.conjugate_gradient(
                tf.linalg.LinearOperatorFullMatrix(
                    a, is_self_adjoint=True, is_positive_definite=True
                ),
                b,
            ).x
        ),
        [SPD[0], RHS[0, :, 0]],
    ),
]


@pytest.mark.parametrize("name, fn, inputs", TRACED, ids=[c[0] for c in TRACED])
def test_inside_tf_function(name, fn, inputs):
    xs = [tf.constant(x) for x in inputs]
    want = tf.nest.flatten(fn(*xs))
    got = tf.nest.flatten(tf.function(fn)(*xs))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-10)


def test_one_graph_serves_batch_sizes():
    spec = [tf.TensorSpec([None, 3, 3], tf.float64), tf.TensorSpec([None, 3, 2], tf.float64)]
    check_one_graph(
        lambda a, b: tf.linalg.triangular_solve(a, b),
        spec,
        [(SQ, RHS), (SQ[:1], RHS[:1])],
    )
    check_one_graph(
        lambda a: tf.linalg.slogdet(a)[1],
        spec[:1],
        [(SQ,), (np.concatenate([SQ, SQ]),)],
    )


def test_sign_of_complex_is_unit_phase():
    # Regression: under NumPy 1.x np.sign gave the sign of the real part, which broke the
    # gradient of tf.abs for complex input.
    z = np.array([3 + 4j, -2j, 0j])
    np.testing.assert_allclose(tf.math.sign(z).numpy(), [0.6 + 0.8j, -1j, 0])


def test_named_results_as_tensorflow():
    q, r = tf.linalg.qr(SQ[0])
    assert tf.linalg.qr(SQ[0]).r is not None and type(tf.linalg.qr(SQ[0])).__name__ == "Qr"
    result = tf.linalg.slogdet(SQ)
    assert type(result).__name__ == "LogMatrixDeterminant"
    np.testing.assert_allclose(result.log_abs_determinant.numpy(), np.linalg.slogdet(SQ)[1])
    lu = tf.linalg.lu(SQ)
    assert type(lu).__name__ == "Lu" and lu.p.dtype == tf.int32
    np.testing.assert_allclose(tf.linalg.matmul(q, r).numpy(), SQ[0], atol=1e-12)
