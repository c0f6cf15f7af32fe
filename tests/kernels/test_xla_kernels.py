"""The XLA kernel table (``tensorflux.kernels.xla``) against the NumPy kernels, and
``jit_compile=True`` against our executor: op by op on the inference table's rows,
values and gradients, and on small Keras trainings.

Every row of every op, values and gradients, takes a minute of XLA compiling: that
runs by hand, ``tests/kernels/check_xla_table.py``. Here, so that the suite stays
quick: each op's first row, and the gradients of the ops of the course's models.
"""

import warnings

import numpy as np
import pytest

jax = pytest.importorskip("jax", reason="needs the xla extra: pip install tensorflux[xla]")

import tensorflux as tf  # noqa: E402
from tensorflux.engine import registry  # noqa: E402
from tensorflux.kernels import xla  # noqa: E402
from tensorflux.kernels.xla import lowering  # noqa: E402
from tensorflux.testing import xla_check  # noqa: E402

# The ops of a dense or convolutional model's train step, forward and backward.
MODEL_OPS = [
    "AddV2", "AvgPool", "BiasAdd", "Cast", "Conv2D", "DivNoNan", "Elu", "Exp", "LeakyRelu",
    "Log", "LogSoftmax", "MatMul", "MaxPool", "Mean", "Mul", "Relu", "Reshape", "Sigmoid",
    "Softmax", "SoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits",
    "Sqrt", "Square", "Sub", "Sum", "Tanh", "ConcatV2", "FusedBatchNormV3",
]  # fmt: skip


def test_every_xla_kernel_names_a_registered_op():
    unknown = sorted(
        (set(xla.kernels()) | set(xla.random_kernels())) - set(registry.registered_ops())
    )
    assert not unknown, f"XLA kernels for ops that are not registered: {unknown}"


def test_xla_kernels_match_the_numpy_kernels_on_each_ops_first_row():
    results = xla_check.compare_kernels(rows_per_op=1)
    bad = [r for r in results if not r.within]
    assert not bad, f"XLA kernels that disagree with the NumPy kernels: {bad}"
    assert len({r.op for r in results}) == len(xla.kernels())


def test_model_ops_values_and_gradients_match_the_executor():
    results = xla_check.compare_gradients(MODEL_OPS)
    compared = {r.op for r in results if r.error is None}
    assert compared == set(MODEL_OPS), sorted(set(MODEL_OPS) - compared)
    bad = [r for r in results if not r.within]
    assert not bad, f"jit_compile=True differs from the executor: {bad}"


def test_variables_are_updated_as_on_the_executor():
    def make():
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        counter = tf.Variable(0, dtype=tf.int64)

        def step(x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.square(tf.matmul(x, v)))
            v.assign_sub(0.01 * tape.gradient(loss, v))
            counter.assign_add(1)
            return loss, v.read_value()

        return v, counter, step

    x = tf.constant([[0.5, -1.0]])
    v1, c1, plain = make()
    v2, c2, jitted = make()
    plain, jitted = tf.function(plain), tf.function(jitted, jit_compile=True)
    for _ in range(3):
        a, b = plain(x), jitted(x)
        np.testing.assert_allclose(a[0].numpy(), b[0].numpy(), rtol=1e-6)
        np.testing.assert_allclose(a[1].numpy(), b[1].numpy(), rtol=1e-6)
    np.testing.assert_allclose(v1.numpy(), v2.numpy(), rtol=1e-6)
    assert c2.numpy() == 3 and c2.dtype == tf.int64


def test_cond_and_while_loop_lower_to_xla():
    v = tf.Variable([1.0, -2.0])

    def program(x, n):
        with tf.GradientTape() as tape:
            y = tf.cond(tf.reduce_sum(x) > 0, lambda: v * x, lambda: v * v - x)
            loss = tf.reduce_sum(y)
        _, acc = tf.while_loop(
            lambda i, acc: i < n, lambda i, acc: (i + 1, acc * 1.5 + loss), [0, x]
        )
        return y, acc, tape.gradient(loss, v)

    plain = tf.function(program)
    jitted = tf.function(program, jit_compile=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", lowering.XlaFallbackWarning)
        for x, n in (([1.0, 2.0], 3), ([-1.0, -2.0], 5)):
            args = (tf.constant(x), tf.constant(n))
            for a, b in zip(plain(*args), jitted(*args)):
                np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_one_compile_per_signature():
    f = tf.function(lambda x: tf.nn.relu(x) * 2.0, jit_compile=True)
    for n in (3, 3, 4):
        np.testing.assert_array_equal(f(tf.ones([n])).numpy(), np.full([n], 2.0, np.float32))
    runners = [c._run for c in f._cache.values()]
    assert len(runners) == 2
    assert all(isinstance(r, lowering._JitRunner) for r in runners)


def test_an_op_without_xla_kernel_falls_back_with_one_warning():
    f = tf.function(lambda x: tf.unique(x)[0] * 2, jit_compile=True)
    with pytest.warns(lowering.XlaFallbackWarning, match="no XLA kernel for Unique"):
        out = f(tf.constant([1, 2, 1]))
    np.testing.assert_array_equal(out.numpy(), [2, 4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(f(tf.constant([3, 3, 1])).numpy(), [6, 2])


def test_ops_that_tf_cannot_compile_raise_its_error():
    f = tf.function(lambda x: tf.numpy_function(lambda a: a * 2, [x], tf.float32), jit_compile=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="unsupported operations.*PyFunc"):
        f(tf.constant([1.0]))
    g = tf.function(tf.strings.length, jit_compile=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="XLA_CPU_JIT"):
        g(tf.constant(["ab"]))
    # TF 2.21 has no XLA kernel for Keras' image transforms either (checked): a model
    # with RandomRotation does not train under jit_compile=True there.
    layers = tf.keras.layers
    model = tf.keras.Sequential(
        [tf.keras.Input((8, 8, 1)), layers.RandomRotation(0.1), layers.Flatten(), layers.Dense(2)]
    )
    model.compile("sgd", "mse", jit_compile=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="ImageProjectiveTransformV3"):
        model.fit(np.ones((4, 8, 8, 1), "float32"), np.ones((4, 2), "float32"), verbose=0)


def _fit(build, x, y, loss, optimizer, jit_compile):
    tf.keras.utils.set_random_seed(3)
    model = build()
    model.compile(optimizer(), loss, metrics=["accuracy"], jit_compile=jit_compile)
    history = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    return model, history.history


@pytest.mark.parametrize("kind", ["mlp", "mlp_dropout", "cnn", "cnn_batch_norm"])
def test_keras_fit_gives_the_same_weights_with_jit_compile(kind):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 48)
    layers = tf.keras.layers
    if kind.startswith("mlp"):
        x = rng.random((48, 12)).astype("float32")
        # Dropout draws its masks from its RandomUniform stream inside the XLA step.
        dropout = kind == "mlp_dropout"

        def build():
            return tf.keras.Sequential(
                [
                    layers.Dense(16, activation="relu"),
                    *([layers.Dropout(0.3)] if dropout else []),
                    layers.Dense(3, activation="softmax"),
                ]
            )

        loss, optimizer = "sparse_categorical_crossentropy", tf.keras.optimizers.Adam
    else:
        x = rng.random((48, 8, 8, 1)).astype("float32")
        # FusedBatchNormV3 and its gradient, and the moving averages' updates, in XLA.
        batch_norm = kind == "cnn_batch_norm"

        def build():
            return tf.keras.Sequential(
                [
                    layers.Conv2D(4, 3, activation="relu"),
                    *([layers.BatchNormalization()] if batch_norm else []),
                    layers.MaxPooling2D(),
                    layers.Flatten(),
                    layers.Dense(3),
                ]
            )

        loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        def optimizer():
            return tf.keras.optimizers.SGD(0.1, momentum=0.9)

    plain, plain_history = _fit(build, x, y, loss, optimizer, False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", lowering.XlaFallbackWarning)
        jitted, jitted_history = _fit(build, x, y, loss, optimizer, True)
    assert jitted.jit_compile and isinstance(
        next(iter(jitted.train_function._cache.values()))._run, lowering._JitRunner
    )
    for a, b in zip(plain.get_weights(), jitted.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(plain_history["loss"], jitted_history["loss"], rtol=1e-5)
    np.testing.assert_allclose(plain.predict(x, verbose=0), jitted.predict(x, verbose=0), atol=1e-5)


def _same_under_xla(fn, *args):
    """``fn``'s outputs, and the gradients of a weighted sum of its floating outputs with
    respect to its floating arguments: with jit_compile=True (compiled, no fallback) and
    on the executor. Returns (jitted, executor) lists of arrays."""

    def program(*xs):
        floating = [x for x in xs if x.dtype.is_floating]
        with tf.GradientTape() as tape:
            tape.watch(floating)
            outs = tf.nest.flatten(fn(*xs))
            loss = tf.constant(0.0, tf.float64)
            for o in outs:
                if o.dtype.is_floating:
                    w = np.linspace(0.5, 1.5, int(np.prod(o.shape))).reshape(o.shape)
                    loss += tf.cast(tf.reduce_sum(o * tf.constant(w, o.dtype)), tf.float64)
        grads = tape.gradient(loss, floating) if floating else []
        return outs + [g for g in grads if g is not None]

    args = [tf.constant(a) for a in args]
    expected = [t.numpy() for t in tf.function(program)(*args)]
    jitted = tf.function(program, jit_compile=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", lowering.XlaFallbackWarning)
        got = [t.numpy() for t in jitted(*args)]
    assert all(isinstance(c._run, lowering._JitRunner) for c in jitted._cache.values())
    return got, expected


@pytest.mark.parametrize("align", ["LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT"])
def test_diagonal_bands_compile_with_their_gradients(align):
    rng = np.random.default_rng(0)
    x, band = rng.normal(size=(2, 4, 5)), rng.normal(size=(2, 3, 4))

    def program(x, band):
        part = tf.linalg.diag_part(x, k=(-1, 1), padding_value=7.0, align=align)
        made = tf.linalg.diag(band, k=(-2, 0), num_rows=5, num_cols=4, align=align)
        return part, made, tf.linalg.set_diag(x, part, k=(-1, 1), align=align)

    got, expected = _same_under_xla(program, x, band)
    assert len(got) == 5
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)


def test_fake_quant_vars_land_on_the_executors_levels():
    # Inputs half a step from a level boundary, and a range whose zero point is
    # x.5: a division XLA turned into a product with a rounded reciprocal moved these
    # across levels.
    x = np.float32([0.5, -0.5, 0.25, 5.9, -6.1, 0.0, 1.0 / 3.0])

    def program(x, low, high):
        return [
            tf.quantization.fake_quant_with_min_max_vars(x, low, high, num_bits=bits)
            for bits in (4, 8)
        ] + [
            tf.quantization.fake_quant_with_min_max_vars_per_channel(
                x, tf.broadcast_to(low, x.shape), tf.broadcast_to(high, x.shape)
            )
        ]

    for low, high in ((0.0, 1.0), (-6.0, 6.0), (-0.3, 2.7)):
        got, expected = _same_under_xla(program, x, np.float32(low), np.float32(high))
        for a, b in zip(got, expected):
            np.testing.assert_array_equal(a, b)


def test_max_pool_second_derivatives_compile():
    # Ties in 2-D: the gradient and its derivative read each window's first maximum.
    # Distinct values in 3-D, where TF's CPU gradient (and ours) feeds every tied cell
    # and XLA's (TF's and ours) only one.
    x = np.float32(np.random.default_rng(1).integers(0, 2, (2, 5, 6, 3)))
    x3 = np.float32(np.random.default_rng(2).permutation(160).reshape(1, 4, 5, 4, 2))

    def program(x, x3):
        with tf.GradientTape() as tape:
            tape.watch([x, x3])
            pooled = tf.nn.max_pool2d(x, 3, 2, "SAME")
            pooled3 = tf.nn.max_pool3d(x3, 2, 2, "VALID")
            loss = tf.reduce_sum(pooled**2) + tf.reduce_sum(pooled3**2)
        return tape.gradient(loss, [x, x3])

    got, expected = _same_under_xla(program, x, x3)
    assert len(got) == 4
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)


def test_check_numerics_lets_nan_through_under_xla_as_tf_does():
    f = tf.function(lambda x: tf.debugging.check_numerics(x, "bad") * 2, jit_compile=True)
    np.testing.assert_array_equal(f(tf.constant([1.0, 2.0])).numpy(), [2.0, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", lowering.XlaFallbackWarning)
        out = f(tf.constant([np.nan, 1.0])).numpy()
    np.testing.assert_array_equal(out, [np.nan, 2.0])
    plain = tf.function(lambda x: tf.debugging.check_numerics(x, "bad") * 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad : Tensor had NaN values"):
        plain(tf.constant([np.nan, 1.0]))


def test_sequence_bit_scan_patch_and_solver_ops_compile():
    rng = np.random.default_rng(3)
    diagonals = rng.normal(size=(2, 3, 4)) + np.array([[0.0], [4.0], [0.0]])

    def program(x, lengths, c, images, diagonals, rhs, a):
        return [
            tf.reverse_sequence(x, lengths, seq_axis=1, batch_axis=0),
            tf.bitcast(c, tf.float32),
            tf.math.cumulative_logsumexp(x, axis=1, exclusive=True, reverse=True),
            tf.image.extract_patches(images, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], "SAME"),
            tf.linalg.tridiagonal_solve(diagonals, rhs),
            tf.linalg.tridiagonal_matmul(diagonals, rhs),
            tf.math.igamma(a, tf.abs(rhs[0, :, 0]) + 0.5),
            *tf.linalg.qr(rhs),
            tf.sparse.to_dense(tf.sparse.SparseTensor([[0, 1], [1, 3]], a[:2], [2, 4])),
        ]

    args = (
        rng.normal(size=(3, 5)).astype(np.float32),
        np.array([2, 0, 5], np.int64),
        (rng.normal(size=3) + 1j).astype(np.complex64),
        rng.normal(size=(2, 5, 6, 3)).astype(np.float32),
        diagonals,
        rng.normal(size=(2, 4, 2)),
        rng.uniform(0.5, 3.0, 4),
    )
    got, expected = _same_under_xla(program, *args)
    assert len(got) == 10 + 5
    for a, b in zip(got, expected):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
