"""keras.mixed_precision: policies, layers under a policy, AutoCastVariable, the
LossScaleOptimizer against tf_keras fixtures, fit with mixed_float16 and
mixed_bfloat16, and saving the policy in configs."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import mixed_precision as mp
from tensorflux.keras.mixed_precision.autocast_variable import (
    AutoCastVariable,
    enable_auto_cast_variables,
)

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "mixed_precision.json").read_text())
HAS_ML_DTYPES = importlib.util.find_spec("ml_dtypes") is not None
needs_bfloat16 = pytest.mark.skipif(not HAS_ML_DTYPES, reason="bfloat16 needs ml_dtypes")


@pytest.fixture(autouse=True)
def _reset_global_policy():
    yield
    mp.set_global_policy(None)


# -- Policy -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES["policies"]["policies"]))
def test_policy_properties_match_tf_keras(name):
    if "bfloat16" in name and not HAS_ML_DTYPES:
        pytest.skip("bfloat16 needs ml_dtypes")
    expected = FIXTURES["policies"]["policies"][name]
    policy = mp.Policy(name)
    assert policy.name == expected["name"]
    assert policy.compute_dtype == expected["compute_dtype"]
    assert policy.variable_dtype == expected["variable_dtype"]
    assert policy.get_config() == expected["config"]
    assert repr(policy) == expected["repr"] == str(policy)
    assert repr(mp.Policy.from_config(policy.get_config())) == expected["repr"]


@pytest.mark.parametrize("case", sorted(FIXTURES["policies"]["errors"]))
def test_policy_errors_match_tf_keras(case):
    error_type, message = FIXTURES["policies"]["errors"][case]
    exc = {"ValueError": ValueError, "TypeError": TypeError}[error_type]
    with pytest.raises(exc) as info:
        eval(f"mp.{case}" if case.startswith("set_") else f"mp.Policy({case})")
    assert str(info.value) == message


def test_policy_rejects_a_dtype_object():
    with pytest.raises(TypeError, match="not a DType. Instead, pass DType.name"):
        mp.Policy(tf.float16)


def test_bfloat16_policy_without_ml_dtypes_says_what_to_install():
    # In a fresh interpreter where ml_dtypes cannot be imported, installed or not.
    program = """
import sys
sys.modules["ml_dtypes"] = None
from tensorflux.keras import mixed_precision
try:
    mixed_precision.Policy("mixed_bfloat16")
except ImportError as e:
    assert "pip install ml_dtypes" in str(e), e
    print("ok")
"""
    root = Path(__file__).resolve().parent.parent.parent
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=root, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_global_policy_follows_floatx_until_set():
    assert repr(mp.global_policy()) == '<Policy "float32">'
    tf.keras.backend.set_floatx("float64")
    try:
        assert mp.global_policy().name == "float64"
    finally:
        tf.keras.backend.set_floatx("float32")
    mp.set_global_policy("mixed_float16")
    assert mp.global_policy().name == "mixed_float16"
    mp.set_global_policy(mp.Policy("float16"))
    assert mp.global_policy().name == "float16"
    mp.set_global_policy(None)
    assert mp.global_policy().name == "float32"


# -- layers under a policy ----------------------------------------------------------


def _layer_case(case):
    mp.set_global_policy(case["global_policy"])
    layer = getattr(tf.keras.layers, case["class_name"])(**case["kwargs"])
    shape, dtype = case["input_shape"], case["input_dtype"]
    x = tf.zeros(shape, dtype) if dtype == "int32" else tf.ones(shape, dtype)
    return layer, layer(x)


@pytest.mark.parametrize(
    "case", FIXTURES["layers"], ids=lambda c: f"{c['global_policy']}-{c['class_name']}"
)
def test_layer_dtypes_match_tf_keras(case):
    layer, y = _layer_case(case)
    assert layer.dtype == case["dtype"]
    assert layer.compute_dtype == case["compute_dtype"]
    assert layer.dtype_policy.name == case["policy"]
    assert y.dtype.name == case["output_dtype"]
    got = [[w.name.split("/", 1)[1], w.dtype.name] for w in layer.weights]
    assert got == [[n.split("/", 1)[1], d] for n, d in case["weights"]]
    assert layer.get_config()["dtype"] == case["config_dtype"]


def test_layer_dtype_argument_forms():
    policy = mp.Policy("mixed_float16")
    assert tf.keras.layers.Dense(2, dtype=policy).dtype_policy is policy
    assert tf.keras.layers.Dense(2, dtype=tf.float64).dtype_policy.name == "float64"
    config = {"class_name": "Policy", "config": {"name": "mixed_float16"}}
    assert tf.keras.layers.Dense(2, dtype=config).compute_dtype == "float16"
    layer = tf.keras.layers.Dense.from_config(
        tf.keras.layers.Dense(2, dtype="mixed_float16").get_config()
    )
    assert layer.dtype_policy.name == "mixed_float16"


def test_mixed_layer_reads_float32_weights_in_float16_and_gets_float32_gradients():
    layer = tf.keras.layers.Dense(3, dtype="mixed_float16")
    x = tf.ones((2, 4))
    with tf.GradientTape() as tape:
        y = layer(x)
        loss = tf.reduce_sum(tf.cast(y, tf.float32))
    assert y.dtype == tf.float16
    assert isinstance(layer.kernel, AutoCastVariable)
    assert layer.kernel.dtype == tf.float32 and layer.kernel.true_dtype == tf.float32
    grads = tape.gradient(loss, layer.trainable_variables)
    assert [g.dtype for g in grads] == [tf.float32, tf.float32]
    # Outside the layer's call the weight reads as what it is.
    assert (layer.kernel + 1.0).dtype == tf.float32
    assert "dtype_to_cast_to=float32" in repr(layer.kernel)
    with enable_auto_cast_variables(tf.float16):
        assert layer.kernel.value().dtype == tf.float16
        assert "dtype_to_cast_to=float16" in repr(layer.kernel)


def test_dense_forward_and_gradients_match_tf_keras():
    case = FIXTURES["dense_forward"]
    layer = tf.keras.layers.Dense(3, activation="relu", dtype="mixed_float16")
    layer.build((None, 4))
    layer.set_weights([np.array(case["kernel"], "float32"), np.array(case["bias"], "float32")])
    x = np.array(case["x"], "float32")
    y = layer(x)
    assert y.dtype.name == case["y_dtype"]
    np.testing.assert_allclose(y.numpy().astype("float32"), case["y"], rtol=2e-3, atol=2e-3)
    w = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.cast(layer(w), tf.float32))
    grad_x, grad_kernel = tape.gradient(loss, [w, layer.kernel])
    assert grad_x.dtype.name == case["grad_x_dtype"]
    assert grad_kernel.dtype.name == case["grad_kernel_dtype"]
    np.testing.assert_allclose(grad_x.numpy(), case["grad_x"], rtol=2e-3, atol=2e-3)
    np.testing.assert_allclose(grad_kernel.numpy(), case["grad_kernel"], rtol=2e-3, atol=2e-3)


def test_mixed_layer_inside_tf_function():
    layer = tf.keras.layers.Dense(2, dtype="mixed_float16")
    layer(tf.ones((1, 3)))

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.cast(layer(x), tf.float32))
        return layer(x).dtype == tf.float16, tape.gradient(loss, layer.kernel)

    _, grad = step(tf.ones((4, 3)))
    assert grad.dtype == tf.float32
    np.testing.assert_allclose(grad.numpy(), np.full((3, 2), 4.0))


def test_infer_policy_takes_the_first_inputs_dtype():
    layer = tf.keras.layers.Dense(2, dtype=mp.Policy("_infer"))
    assert layer.dtype is None and layer.compute_dtype is None
    assert layer.get_config()["dtype"] is None
    y = layer(tf.ones((1, 3), tf.float64))
    assert y.dtype == tf.float64 and layer.dtype_policy.name == "float64"
    assert layer.kernel.dtype == tf.float64


def test_batch_normalization_normalizes_float16_in_float32():
    layer = tf.keras.layers.BatchNormalization(dtype="mixed_float16")
    x = np.random.default_rng(0).normal(100.0, 3.0, (64, 3)).astype("float32")
    y = layer(x, training=True)
    assert y.dtype == tf.float16
    assert not isinstance(layer.gamma, AutoCastVariable)
    np.testing.assert_allclose(y.numpy().mean(0), 0.0, atol=2e-2)
    np.testing.assert_allclose(layer.moving_mean.numpy(), x.mean(0) * 0.01, rtol=1e-3)


# -- LossScaleOptimizer ---------------------------------------------------------------

_RUNS = {
    "sgd_dynamic": (lambda: tf.keras.optimizers.SGD(0.1), 4.0, 2),
    "adam_dynamic": (lambda: tf.keras.optimizers.Adam(0.1), 2.0, 3),
    "sgd_dynamic_floor": (lambda: tf.keras.optimizers.SGD(0.1), 1.0, 10),
}
GRADIENTS = [
    [1.0, 1.0],
    [1.0, 1.0],
    [1.0, 1.0],
    [float("inf"), 1.0],
    [float("nan"), 1.0],
    [1.0, -2.0],
    [0.5, 1.0],
    [1.0, 1.0],
]


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "tf_function"])
@pytest.mark.parametrize("run", sorted(_RUNS))
def test_loss_scale_evolution_matches_tf_keras(run, traced):
    make, initial_scale, growth_steps = _RUNS[run]
    opt = mp.LossScaleOptimizer(
        make(), initial_scale=initial_scale, dynamic_growth_steps=growth_steps
    )
    v = tf.Variable([1.0, 2.0])

    def apply(g):
        opt.apply_gradients([(g, v)])

    step = tf.function(apply) if traced else apply
    for g, expected in zip(GRADIENTS, FIXTURES["loss_scale"]["runs"][run]):
        step(tf.constant(g))
        assert float(opt.loss_scale) == expected["loss_scale"]
        assert int(opt.dynamic_counter.numpy()) == expected["counter"]
        assert int(opt.iterations.numpy()) == expected["iterations"]
        np.testing.assert_allclose(v.numpy(), expected["variable"], rtol=1e-5)


def test_loss_scale_optimizer_defaults_and_config_match_tf_keras():
    expected = FIXTURES["loss_scale"]["default"]
    opt = mp.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1))
    assert float(opt.loss_scale) == expected["loss_scale"] == 2.0**15
    assert opt.dynamic is expected["dynamic"]
    assert opt.initial_scale == expected["initial_scale"]
    assert opt.dynamic_growth_steps == expected["dynamic_growth_steps"] == 2000
    config = opt.get_config()
    assert config["inner_optimizer"]["class_name"] == "SGD"
    assert {k: v for k, v in config.items() if k != "inner_optimizer"} == expected["config"]
    clone = mp.LossScaleOptimizer.from_config(config)
    assert type(clone.inner_optimizer).__name__ == "SGD"
    assert clone.get_config() == config
    static = FIXTURES["loss_scale"]["static"]
    opt = mp.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), dynamic=False, initial_scale=8)
    assert float(opt.loss_scale) == static["loss_scale"]
    assert opt.dynamic_counter is None and opt.dynamic_growth_steps is None
    assert {k: v for k, v in opt.get_config().items() if k != "inner_optimizer"} == static["config"]


def test_loss_scale_optimizer_errors_match_tf_keras():
    errors = FIXTURES["loss_scale"]["errors"]
    sgd = tf.keras.optimizers.SGD
    cases = {
        "static_without_scale": lambda: mp.LossScaleOptimizer(sgd(), dynamic=False),
        "static_with_growth": lambda: mp.LossScaleOptimizer(
            sgd(), dynamic=False, initial_scale=2, dynamic_growth_steps=3
        ),
        "dynamic_not_bool": lambda: mp.LossScaleOptimizer(sgd(), 1),
    }
    inner = sgd()
    mp.LossScaleOptimizer(inner)
    cases["wrap_twice"] = lambda: mp.LossScaleOptimizer(inner)
    for name, make in cases.items():
        error_type, message = errors[name]
        with pytest.raises({"ValueError": ValueError, "TypeError": TypeError}[error_type]) as e:
            make()
        assert str(e.value) == message
    with pytest.raises(TypeError, match='"inner_optimizer" must be an instance'):
        mp.LossScaleOptimizer("sgd")
    with pytest.raises(TypeError, match="cannot wrap another LossScaleOptimizer"):
        mp.LossScaleOptimizer(mp.LossScaleOptimizer(sgd()))


def test_scaled_loss_and_unscaled_gradients_match_tf_keras():
    case = FIXTURES["scaling"]
    opt = mp.LossScaleOptimizer(tf.keras.optimizers.SGD(), dynamic=False, initial_scale=8)
    w = tf.Variable([1.0, -2.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w * 3.0)
        scaled = opt.get_scaled_loss(loss)
    scaled_grads = tape.gradient(scaled, [w])
    assert float(loss) == case["loss"] and float(scaled) == case["scaled_loss"]
    np.testing.assert_allclose(scaled_grads[0].numpy(), case["scaled_grad"])
    unscaled = opt.get_unscaled_gradients(scaled_grads + [None])
    np.testing.assert_allclose(unscaled[0].numpy(), case["unscaled_grad"])
    assert unscaled[1] is None
    half = opt.get_scaled_loss(tf.constant(2.0, tf.float16))
    assert half.dtype.name == case["float16_scaled_dtype"]
    assert float(half) == case["float16_scaled"]
    assert float(opt.get_scaled_loss(lambda: tf.constant(2.0))()) == 16.0


def test_loss_scale_optimizer_minimize_and_delegation():
    w = tf.Variable(3.0)
    opt = mp.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1))
    opt.minimize(lambda: w * w, [w])
    assert float(w) == pytest.approx(2.4)
    assert float(opt.learning_rate) == pytest.approx(0.1)
    opt.learning_rate = 0.5
    assert float(opt.inner_optimizer.learning_rate) == 0.5
    assert opt.iterations is opt.inner_optimizer.iterations
    assert opt.variables == opt.inner_optimizer.variables


def test_loss_scale_is_checkpointed_under_tf_keras_names(tmp_path):
    opt = mp.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), initial_scale=4.0)
    v = tf.Variable(1.0)
    opt.apply_gradients([(tf.constant(np.inf), v)])
    path = tf.train.Checkpoint(opt=opt).write(str(tmp_path / "ckpt"))
    names = [n for n, _ in tf.train.list_variables(path)]
    assert "opt/loss_scale/current_loss_scale/.ATTRIBUTES/VARIABLE_VALUE" in names
    assert "opt/loss_scale/good_steps/.ATTRIBUTES/VARIABLE_VALUE" in names
    restored = mp.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), initial_scale=4.0)
    tf.train.Checkpoint(opt=restored).read(path)
    assert float(restored.loss_scale) == 2.0


# -- fit and saving ---------------------------------------------------------------------


def _cnn(final_dtype="float32"):
    return tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(8, 8, 1)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dense(2),
            tf.keras.layers.Activation("softmax", dtype=final_dtype),
        ]
    )


def _stripes(n=192, seed=0):
    """Vertical or horizontal stripes with noise: class 0 or 1."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.normal(0.0, 0.3, (n, 8, 8, 1)).astype("float32")
    stripe = np.zeros((8, 8), "float32")
    stripe[:, ::2] = 1.0
    x[y == 0, :, :, 0] += stripe
    x[y == 1, :, :, 0] += stripe.T
    return x, y


def _train(policy):
    mp.set_global_policy(policy)
    tf.keras.utils.set_random_seed(1)
    model = _cnn()
    model.compile(tf.keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", ["accuracy"])
    x, y = _stripes()
    model.fit(x, y, epochs=4, batch_size=32, verbose=0)
    xt, yt = _stripes(96, seed=1)
    _, accuracy = model.evaluate(xt, yt, verbose=0)
    return model, accuracy


@pytest.mark.parametrize(
    "policy", ["mixed_float16", pytest.param("mixed_bfloat16", marks=needs_bfloat16)]
)
def test_cnn_trains_as_well_as_float32(policy):
    _, reference = _train("float32")
    model, accuracy = _train(policy)
    assert reference > 0.9
    assert accuracy > 0.9 and abs(accuracy - reference) < 0.08
    assert [w.dtype for w in model.weights] == [tf.float32] * len(model.weights)
    assert model.layers[0].compute_dtype == policy.split("_")[1]
    scaled = isinstance(model.optimizer, mp.LossScaleOptimizer)
    # As Keras: only mixed_float16 needs (and gets) loss scaling.
    assert scaled is (policy == "mixed_float16")
    assert model.predict(_stripes(4)[0], verbose=0).dtype == np.float32


def test_compile_keeps_a_given_loss_scale_optimizer():
    mp.set_global_policy("mixed_float16")
    model = _cnn()
    opt = mp.LossScaleOptimizer(tf.keras.optimizers.SGD(), dynamic=False, initial_scale=4)
    model.compile(opt, "mse")
    assert model.optimizer is opt


def test_fit_skips_steps_whose_scaled_gradients_overflow():
    mp.set_global_policy("mixed_float16")
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, input_shape=(2,)), tf.keras.layers.Activation("linear")]
    )
    model.compile(tf.keras.optimizers.SGD(0.01), "mse")
    before = model.get_weights()
    # Targets of 1e4 give scaled gradients beyond float16's range at the first scale.
    x, y = np.ones((4, 2), "float32"), np.full((4, 1), 1e4, "float32")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert float(model.optimizer.loss_scale) < 2.0**15
    assert int(model.optimizer.iterations.numpy()) == 1
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_save_load_keeps_policies_and_optimizer_state(tmp_path, fmt):
    mp.set_global_policy("mixed_float16")
    model = _cnn()
    model.compile("adam", "sparse_categorical_crossentropy")
    x, y = _stripes(32)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    path = str(tmp_path / f"model.{fmt}")
    model.save(path)
    config = model.get_config()["layers"][1]["config"]["dtype"]
    assert config == {
        "module": "keras.mixed_precision",
        "class_name": "Policy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    loaded = tf.keras.models.load_model(path)
    assert [layer.dtype_policy.name for layer in loaded.layers] == [
        layer.dtype_policy.name for layer in model.layers
    ]
    assert isinstance(loaded.optimizer, mp.LossScaleOptimizer)
    assert type(loaded.optimizer.inner_optimizer).__name__ == "Adam"
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    mp.set_global_policy("float32")
    again = tf.keras.models.load_model(path)
    assert again.layers[0].dtype_policy.name == "mixed_float16"
    assert again.layers[-1].dtype_policy.name == "float32"


def test_float16_policy_trains_without_loss_scaling():
    mp.set_global_policy("float16")
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    assert not isinstance(model.optimizer, mp.LossScaleOptimizer)
    model.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), verbose=0)
    assert [w.dtype for w in model.weights] == [tf.float16, tf.float16]


def test_layer_normalization_and_embedding_keep_float32_weights_unread_as_float16():
    norm = tf.keras.layers.LayerNormalization(dtype="mixed_float16")
    x = np.random.default_rng(0).normal(1000.0, 2.0, (4, 8)).astype("float32")
    y = norm(x)
    assert y.dtype == tf.float16 and not isinstance(norm.gamma, AutoCastVariable)
    np.testing.assert_allclose(y.numpy().mean(-1), 0.0, atol=1e-2)
    embedding = tf.keras.layers.Embedding(6, 3, dtype="mixed_float16")
    with tf.GradientTape() as tape:
        out = embedding(tf.constant([[1, 2, 1]]))
        loss = tf.reduce_sum(tf.cast(out, tf.float32))
    assert out.dtype == tf.float16 and not isinstance(embedding.embeddings, AutoCastVariable)
    grad = tape.gradient(loss, embedding.embeddings)
    assert isinstance(grad, tf.IndexedSlices) and grad.values.dtype == tf.float32


_TWIN_LAYERS = {
    "lstm": (lambda dtype: tf.keras.layers.LSTM(4, return_sequences=True, dtype=dtype), (2, 5, 3)),
    "gru": (lambda dtype: tf.keras.layers.GRU(4, dtype=dtype), (2, 5, 3)),
    "simple_rnn": (lambda dtype: tf.keras.layers.SimpleRNN(4, dtype=dtype), (2, 5, 3)),
    "separable_conv": (
        lambda dtype: tf.keras.layers.SeparableConv2D(3, 3, dtype=dtype),
        (2, 6, 6, 2),
    ),
    "einsum_dense": (
        lambda dtype: tf.keras.layers.EinsumDense("abc,cd->abd", (5, 4), dtype=dtype),
        (2, 5, 3),
    ),
}


@pytest.mark.parametrize(
    "policy",
    [
        "mixed_float16",
        "float16",
        pytest.param("mixed_bfloat16", marks=needs_bfloat16),
        pytest.param("bfloat16", marks=needs_bfloat16),
    ],
)
@pytest.mark.parametrize("name", sorted(_TWIN_LAYERS))
def test_16_bit_layers_agree_with_their_float32_twin(name, policy):
    make, shape = _TWIN_LAYERS[name]
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    reference = make("float32")
    expected = reference(x).numpy()
    layer = make(policy)
    layer(x)
    layer.set_weights(reference.get_weights())
    y = layer(x)
    assert y.dtype.name == policy.replace("mixed_", "")
    tol = 1e-2 if "float16" in policy and "b" not in policy else 6e-2
    np.testing.assert_allclose(y.numpy().astype("float32"), expected, rtol=tol, atol=tol)
