"""``jit_compile=True`` refuses the ops TF's XLA cannot compile, with TF's error.

Each call below raised ``InvalidArgumentError`` ("Detected unsupported operations when
trying to compile graph ... on XLA_CPU_JIT: <op> (No registered '<op>' OpKernel ...")
naming that op when run under ``tf.function(jit_compile=True)`` in TF 2.21 (checked),
and ran without ``jit_compile``; ours must do both. Calls that TF composes from
compilable ops must keep compiling (or fall back), not raise.
"""

import warnings

import numpy as np
import pytest

jax = pytest.importorskip("jax", reason="needs the xla extra: pip install tensorflux[xla]")

import tensorflux as tf  # noqa: E402
from tensorflux.kernels.xla import lowering  # noqa: E402

_RNG = np.random.default_rng(0)
_X = _RNG.random((3, 3)).astype("float32") + np.eye(3, dtype="float32")
_IDS = np.array([0, 0, 1], "int32")
_INDICES = np.array([[0, 0], [2, 1]], "int64")
_VALUES = np.array([1.0, 2.0], "float32")
_LABELS = np.array([[1, 2], [3, 4]], "int32")
_LOGITS = _RNG.random((5, 2, 4)).astype("float32")


def _sparse(indices, values):
    return tf.sparse.SparseTensor(indices, values, [3, 2])


def _table_lookup():
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(
            np.array([1, 2], "int64"), np.array([10.0, 20.0], "float32")
        ),
        -1.0,
    )
    return lambda keys: table.lookup(keys), [np.array([1, 3], "int64")]


def _nearest_resize_gradient(images):
    with tf.GradientTape() as tape:
        tape.watch(images)
        loss = tf.reduce_sum(tf.image.resize(images, [6, 6], method="nearest") ** 2)
    return tape.gradient(loss, images)


def _ctc_loss_sparse_labels(logits):
    labels = tf.sparse.SparseTensor(
        np.array([[0, 0], [0, 1], [1, 0]], "int64"), np.array([1, 2, 1], "int32"), [2, 2]
    )
    return tf.nn.ctc_loss(labels, logits, None, [5, 5], logits_time_major=True, blank_index=-1)


# (op TF names, builder of (function, arguments)): one or two public calls per family.
CALLS = {
    "SegmentSum": lambda: (tf.math.segment_sum, [_X, _IDS]),
    "SegmentMax": lambda: (tf.math.segment_max, [_X, _IDS]),
    "SparseSegmentMean": lambda: (
        lambda x: tf.sparse.segment_mean(x, [0, 1], [0, 0], num_segments=None),
        [_X],
    ),
    "SparseTensorDenseMatMul": lambda: (
        lambda i, v, d: tf.sparse.sparse_dense_matmul(_sparse(i, v), d),
        [_INDICES, _VALUES, _X[:2]],
    ),
    "SparseReduceSum": lambda: (
        lambda i, v: tf.sparse.reduce_sum(_sparse(i, v), axis=1),
        [_INDICES, _VALUES],
    ),
    "SparseReorder": lambda: (
        lambda i, v: tf.sparse.transpose(_sparse(i, v)).values,
        [_INDICES, _VALUES],
    ),
    # Strings cannot enter XLA at all: TF names the string argument, or the encoder.
    "EncodePng": lambda: (tf.io.encode_png, [np.zeros((2, 2, 1), "uint8")]),
    "_Arg": lambda: (
        tf.io.decode_png,
        [np.array(tf.io.encode_png(np.zeros((2, 2, 1), "uint8")).numpy())],
    ),
    "MatrixDeterminant": lambda: (tf.linalg.det, [_X]),
    "LogMatrixDeterminant": lambda: (lambda x: tf.linalg.slogdet(x)[1], [_X]),
    "Lu": lambda: (lambda x: tf.linalg.lu(x)[0], [_X]),
    "Eig": lambda: (tf.linalg.eigvals, [_X]),
    "BesselI0": lambda: (tf.math.special.bessel_i0, [_X]),
    "RandomGamma": lambda: (lambda a: tf.random.gamma([3], a, seed=1), [_VALUES]),
    "RandomPoissonV2": lambda: (lambda lam: tf.random.poisson([3], lam, seed=1), [_VALUES]),
    "StatelessRandomBinomial": lambda: (
        lambda p: tf.random.stateless_binomial([2], [1, 2], 5.0, p / 4),
        [_VALUES],
    ),
    "UniformCandidateSampler": lambda: (
        lambda t: tf.random.uniform_candidate_sampler(t, 1, 3, True, 10, seed=1)[0],
        [np.array([[1], [2]], "int64")],
    ),
    "DenseToDenseSetOperation": lambda: (
        lambda a, b: tf.sets.intersection(a, b).values,
        [_LABELS, _LABELS[::-1]],
    ),
    "CTCGreedyDecoder": lambda: (
        lambda x: tf.nn.ctc_greedy_decoder(x, [5, 5])[1],
        [_LOGITS],
    ),
    "CTCLoss": lambda: (_ctc_loss_sparse_labels, [_LOGITS]),
    "HistogramFixedWidth": lambda: (
        lambda x: tf.histogram_fixed_width(x, [0.0, 2.0], nbins=4),
        [_X],
    ),
    "UnravelIndex": lambda: (
        lambda i: tf.unravel_index(i, [3, 4]),
        [np.array([1, 5, 7], "int32")],
    ),
    "UniqueWithCounts": lambda: (
        lambda x: tf.unique_with_counts(x)[2],
        [np.array([1, 2, 1], "int32")],
    ),
    "ResizeNearestNeighborGrad": lambda: (_nearest_resize_gradient, [_X.reshape(1, 3, 3, 1)]),
    "LookupTableFindV2": _table_lookup,
    "RaggedRange": lambda: (
        lambda n: tf.ragged.range(n).flat_values,
        [np.array([2, 3], "int32")],
    ),
    "Timestamp": lambda: (lambda x: tf.timestamp() * 0.0 + x, [np.float64(1.0)]),
}


@pytest.mark.parametrize("op", list(CALLS))
def test_public_calls_tf_cannot_compile_raise_its_error(op):
    fn, args = CALLS[op]()
    # Without jit_compile the call runs.
    tf.function(fn)(*args)
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"XLA_CPU_JIT: {op} "):
        tf.function(fn, jit_compile=True)(*args)


def test_an_op_tf_cannot_compile_in_a_branch_or_loop_raises_too():
    # TF compiles the branches and loop bodies with the graph (checked): same error.
    def branch(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.linalg.det(x), lambda: 0.0)

    def loop(x, ids):
        def body(i, total):
            return i + 1, total + tf.reduce_sum(tf.math.segment_sum(x, ids))

        return tf.while_loop(lambda i, total: i < 2, body, (0, 0.0))[1]

    for fn, args, op in [(branch, [_X], "MatrixDeterminant"), (loop, [_X, _IDS], "SegmentSum")]:
        with pytest.raises(tf.errors.InvalidArgumentError, match=f"XLA_CPU_JIT: {op} "):
            tf.function(fn, jit_compile=True)(*args)


def test_calls_tf_composes_from_compilable_ops_do_not_raise():
    # TF 2.21 compiles each of these under jit_compile=True (checked): a positive
    # definite operator's determinant goes through its Cholesky factor; expm and lstsq
    # (fast=True) are composed in Python there, while ours run MatrixExponential and
    # MatrixSolveLs, which fall back to the executor (a warning, not an error).
    spd = _X @ _X.T + np.eye(3, dtype="float32")

    def operator_determinants(x):
        operator = tf.linalg.LinearOperatorFullMatrix(
            x, is_self_adjoint=True, is_positive_definite=True
        )
        return operator.determinant(), operator.log_abs_determinant()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lowering.XlaFallbackWarning)
        det, log_abs_det = tf.function(operator_determinants, jit_compile=True)(spd)
        tf.function(tf.linalg.expm, jit_compile=True)(_X * 0.1)
        tf.function(tf.linalg.lstsq, jit_compile=True)(_X, _X[:, :1])
    np.testing.assert_allclose(det.numpy(), np.linalg.det(spd), rtol=1e-5)
    np.testing.assert_allclose(log_abs_det.numpy(), np.log(np.linalg.det(spd)), rtol=1e-5)
