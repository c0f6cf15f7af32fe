"""The fused Adam step (``_KerasAdamUpdate``) against the separate ops it replaces: bit for
bit, per dtype, eagerly and traced, chunked and threaded, and through ``fit``."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.keras import mixed_precision
from tensorflux.keras.optimizers import adam
from tensorflux.kernels import threads
from tensorflux.ops import optimizer_ops

DTYPES = [np.float16, np.float32, np.float64]
# Python-float coefficients as the optimizer passes them.
B1, B2, EPS = 0.9, 0.999, 1e-7


def _separate_ops(var, m, v, grad, alpha, dtype):
    """The step as separate NumPy operations, each rounded to ``dtype`` (the order of the
    optimizer's separate ops)."""
    c1, c2, eps = (np.asarray(x, dtype) for x in (1 - B1, 1 - B2, EPS))
    with np.errstate(all="ignore"):
        m = m + (grad - m) * c1
        v = v + (np.square(grad) - v) * c2
        var = var - (m * alpha) / (np.sqrt(v) + eps)
    return var, m, v


def _arrays(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    var, m, grad = (rng.standard_normal(shape).astype(dtype) for _ in range(3))
    v = (rng.standard_normal(shape) ** 2).astype(dtype)
    return var, m, v, grad


def _fused(arrays, alpha):
    return [t.numpy() for t in optimizer_ops.keras_adam_update(*arrays, alpha, 1 - B1, 1 - B2, EPS)]


def _assert_bitwise(got, expected):
    for a, b in zip(got, expected):
        assert a.dtype == b.dtype and a.shape == b.shape
        # array_equal with equal_nan: bits, NaNs where the separate ops give NaN.
        assert np.array_equal(a, b, equal_nan=True)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (1,), (7, 3), (0, 4), (3, 5, 11)])
def test_kernel_equals_the_separate_ops(dtype, shape):
    arrays = _arrays(shape, dtype)
    alpha = np.asarray(0.0123, dtype)
    _assert_bitwise(_fused(arrays, alpha), _separate_ops(*arrays, alpha, dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_threaded_chunks_equal_the_separate_ops(dtype, monkeypatch):
    # Small chunks, pieces and thread minimums: many pieces, uneven last chunks, three
    # threads.
    monkeypatch.setattr(optimizer_ops, "_CHUNK", 7)
    monkeypatch.setattr(optimizer_ops, "_PIECE", 30)
    monkeypatch.setattr(optimizer_ops, "_PARALLEL_MIN", 50)
    threads.set_intra_op_threads(3)
    try:
        arrays = _arrays((13, 17), dtype, seed=1)
        alpha = np.asarray(3e-3, dtype)
        _assert_bitwise(_fused(arrays, alpha), _separate_ops(*arrays, alpha, dtype))
    finally:
        threads.set_intra_op_threads(0)


def test_large_variable_takes_the_threaded_path_bitwise():
    threads.set_intra_op_threads(2)
    try:
        arrays = _arrays((2 * optimizer_ops._PARALLEL_MIN + 3,), np.float32, seed=2)
        alpha = np.asarray(1e-3, np.float32)
        _assert_bitwise(_fused(arrays, alpha), _separate_ops(*arrays, alpha, np.float32))
    finally:
        threads.set_intra_op_threads(0)


def test_nan_and_inf_inputs_propagate_as_in_the_separate_ops():
    var, m, v, grad = _arrays((6,), np.float32)
    grad[0], grad[1], v[2] = np.nan, np.inf, -1.0
    alpha = np.asarray(0.1, np.float32)
    with np.errstate(all="raise"):
        got = _fused((var, m, v, grad), alpha)
    _assert_bitwise(got, _separate_ops(var, m, v, grad, alpha, np.float32))


def test_op_contract():
    op = registry.get("_KerasAdamUpdate")
    assert op.grad is None and op.num_outputs == 3
    with pytest.raises(tf.errors.InvalidArgumentError, match="var and grad do not have the same"):
        optimizer_ops.keras_adam_update(
            np.zeros(3, np.float32), np.zeros(3, np.float32), np.zeros(3, np.float32),
            np.zeros(4, np.float32), np.float32(0.1), 0.1, 0.001, 1e-7,
        )  # fmt: skip
    with pytest.raises(tf.errors.InvalidArgumentError, match="float32"):
        optimizer_ops.keras_adam_update(
            tf.zeros(3), tf.zeros(3, tf.float64), tf.zeros(3),
            np.zeros(3, np.float32), np.float32(0.1), 0.1, 0.001, 1e-7,
        )  # fmt: skip


# -- the optimizer: fused against its own separate ops -------------------------------


def _unfused(monkeypatch):
    monkeypatch.setattr(adam.Adam, "_fusable", lambda self, grad, var: False)


def _run_steps(opt_cls, dtype, traced, shapes, steps=4, **kwargs):
    rng = np.random.default_rng(5)
    variables = [tf.Variable(rng.standard_normal(s).astype(dtype)) for s in shapes]
    grads = [
        [tf.constant(rng.standard_normal(s).astype(dtype)) for s in shapes] for _ in range(steps)
    ]
    opt = opt_cls(learning_rate=0.01, **kwargs)

    def apply(gs):
        opt.apply_gradients(zip(gs, variables))

    if traced:
        apply = tf.function(apply)
    for gs in grads:
        apply(gs)
    return [v.numpy() for v in variables] + [s.numpy() for s in opt.variables[1:]]


SHAPES = [(), (5,), (3, 7), (2, 3, 4)]


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("opt_cls", [tf.keras.optimizers.Adam, tf.keras.optimizers.AdamW])
def test_optimizer_steps_equal_the_separate_ops(opt_cls, dtype, traced, monkeypatch):
    assert adam.Adam()._fusable(tf.constant(np.zeros(2, dtype)), tf.Variable(np.zeros(2, dtype)))
    fused = _run_steps(opt_cls, dtype, traced, SHAPES)
    _unfused(monkeypatch)
    _assert_bitwise(fused, _run_steps(opt_cls, dtype, traced, SHAPES))


def test_amsgrad_and_tensor_coefficients_keep_the_separate_ops():
    var = tf.Variable([1.0, 2.0])
    grad = tf.constant([0.5, -0.5])
    assert not adam.Adam(amsgrad=True)._fusable(grad, var)
    assert not adam.Adam(beta_1=tf.constant(0.9))._fusable(grad, var)
    assert not adam.Adam()._fusable(tf.constant([0.5, 0.5], tf.float64), var)
    assert adam.Adam(beta_1=np.float32(0.8), epsilon=1)._fusable(grad, var)


def test_sparse_gradients_equal_the_separate_ops(monkeypatch):
    def run():
        var = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3))
        opt = tf.keras.optimizers.Adam(0.1)
        for rows in ([0, 2, 2], [3, 1, 0]):
            values = tf.constant(np.full((3, 3), 0.25, np.float32))
            opt.apply_gradients([(tf.IndexedSlices(values, tf.constant(rows), [4, 3]), var)])
        return [var.numpy()]

    fused = run()
    _unfused(monkeypatch)
    _assert_bitwise(fused, run())


# -- fit ----------------------------------------------------------------------------


def _fit(policy=None):
    if policy:
        mixed_precision.set_global_policy(policy)
    try:
        tf.keras.utils.set_random_seed(1)
        rng = np.random.default_rng(0)
        x = rng.random((40, 6, 6, 2)).astype("float32")
        y = rng.integers(0, 3, 40)
        layers = tf.keras.layers
        model = tf.keras.Sequential(
            [
                layers.Conv2D(4, 3, activation="relu"),
                layers.Flatten(),
                layers.Dense(5, activation="relu"),
                layers.Dense(3),
                layers.Activation("linear", dtype="float32"),
            ]
        )
        model.compile(
            tf.keras.optimizers.Adam(0.01),
            tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
        return model.get_weights() + [v.numpy() for v in model.optimizer.variables[1:]]
    finally:
        mixed_precision.set_global_policy(None)


@pytest.mark.parametrize("policy", [None, "mixed_float16"])
def test_fit_gives_the_weights_of_the_separate_ops(policy, monkeypatch):
    fused = _fit(policy)
    _unfused(monkeypatch)
    _assert_bitwise(fused, _fit(policy))
