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
