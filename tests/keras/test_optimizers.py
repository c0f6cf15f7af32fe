"""keras.optimizers: update values against tf_keras fixtures, sparse gradients,
tf.function train steps, learning-rate handling, configs and errors."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import optimizers

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "optimizers.json").read_text())
PROBLEMS = FIXTURES["problems"]
CASES = FIXTURES["optimizers"]
ALL = [
    optimizers.SGD,
    optimizers.RMSprop,
    optimizers.Adam,
    optimizers.AdamW,
    optimizers.Adagrad,
    optimizers.Adadelta,
    optimizers.Adamax,
    optimizers.Nadam,
    optimizers.Ftrl,
]


def build(name, kwargs):
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, dict):
        schedule, skw = lr["schedule"]
        kwargs["learning_rate"] = getattr(optimizers.schedules, schedule)(**skw)
    return getattr(optimizers, name)(**kwargs)


def case_id(case):
    return case["name"] + "-" + "-".join(f"{k}" for k in case["kwargs"]) or "default"


@pytest.fixture(params=CASES, ids=case_id)
def case(request):
    return request.param


def test_fixed_gradients_match_keras(case):
    opt = build(case["name"], case["kwargs"])
    var = tf.Variable(PROBLEMS["fixed"]["init"])
    for grad, expected in zip(PROBLEMS["fixed"]["grads"], case["result"]["fixed"]):
        opt.apply_gradients([(tf.constant(grad), var)])
        np.testing.assert_allclose(var.numpy(), expected, rtol=1e-6, atol=1e-7)
    if "fixed_finalized" in case["result"]:
        opt.finalize_variable_values([var])
        np.testing.assert_allclose(
            var.numpy(), case["result"]["fixed_finalized"], rtol=1e-6, atol=1e-7
        )
    assert int(opt.iterations) == FIXTURES["steps"]


def test_minimize_matches_keras(case):
    d = PROBLEMS["loss"]
    opt = build(case["name"], case["kwargs"])
    W, b = tf.Variable(d["W"]), tf.Variable(d["b"])
    x, y = tf.constant(d["x"]), tf.constant(d["y"])
    for expected_w, expected_b in case["result"]["loss"]:
        assert (
            opt.minimize(lambda: tf.reduce_mean(tf.square(tf.tanh(x @ W + b) - y)), [W, b]) is None
        )
        # The gradient itself comes from a forward pass whose float32 rounding differs.
        np.testing.assert_allclose(W.numpy(), expected_w, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(b.numpy(), expected_b, rtol=1e-5, atol=1e-6)


def sparse_steps(opt, densify=False, steps=FIXTURES["steps"]):
    d = PROBLEMS["sparse"]
    E = tf.Variable(d["init"])
    w = tf.constant(d["weights"])
    out = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(tf.gather(E, d["indices"]) - w))
        (g,) = tape.gradient(loss, [E])
        assert isinstance(g, tf.IndexedSlices)
        opt.apply_gradients([(tf.convert_to_tensor(g) if densify else g, E)])
        out.append(E.numpy())
    return out


def test_sparse_gradients_match_keras(case):
    got = sparse_steps(build(case["name"], case["kwargs"]))
    for value, expected in zip(got, case["result"]["sparse"]):
        np.testing.assert_allclose(value, expected, rtol=1e-6, atol=1e-7)


def test_config_matches_keras(case):
    opt = build(case["name"], case["kwargs"])
    assert opt.get_config() == case["result"]["config"]
    # Keras 2 gives plain SGD an unused momentum slot; we create none.
    plain_sgd = case["name"] == "SGD" and not case["kwargs"].get("momentum")
    sparse_steps(opt, steps=1)
    assert len(opt.variables) == case["result"]["variables"] - plain_sgd


@pytest.mark.parametrize(
    "cls, kwargs",
    [(cls, {}) for cls in ALL]
    + [(optimizers.SGD, {"momentum": 0.5}), (optimizers.RMSprop, {"momentum": 0.5})],
    ids=[c.__name__ for c in ALL] + ["SGD-momentum", "RMSprop-momentum"],
)
def test_sparse_update_equals_dense_update(cls, kwargs):
    sparse = sparse_steps(cls(learning_rate=0.1, **kwargs))
    dense = sparse_steps(cls(learning_rate=0.1, **kwargs), densify=True)
    np.testing.assert_allclose(sparse, dense, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_tf_function_train_step_matches_eager(cls, sparse):
    """Slots are made on the first trace; the learning rate set after tracing applies."""
    results = []
    for traced in (False, True):
        opt = cls(learning_rate=0.1, weight_decay=0.01, use_ema=True, ema_overwrite_frequency=3)
        E = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3) / 10)

        def step(idx, E=E, opt=opt):
            with tf.GradientTape() as tape:
                rows = tf.gather(E, idx) if sparse else E * 1.5
                loss = tf.reduce_sum(tf.square(rows))
            grads = tape.gradient(loss, [E])
            opt.apply_gradients(zip(grads, [E]))
            return loss

        fn = tf.function(step) if traced else step
        for i in range(4):
            fn(tf.constant([1, 3, 1]))
            if i == 1:
                opt.learning_rate = 0.05
        results.append(E.numpy())
        assert int(opt.iterations) == 4
        assert float(opt.learning_rate) == pytest.approx(0.05)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6, atol=1e-7)


def test_schedule_is_evaluated_at_each_step_inside_tf_function():
    schedule = optimizers.schedules.PiecewiseConstantDecay([1], [1.0, 0.1])
    opt = optimizers.SGD(schedule)
    v = tf.Variable(0.0)

    @tf.function
    def step():
        opt.apply_gradients([(tf.constant(1.0), v)])

    step()
    step()
    step()
    assert float(v) == pytest.approx(-2.1)  # steps 0 and 1 at 1.0, step 2 at 0.1
    assert float(opt.learning_rate) == pytest.approx(0.1)


def test_xor_network_with_minimize_converges():
    """The lecture notes' loop: SGD(0.5).minimize(calc_loss, [W1, b1, W2, b2])."""
    tf.random.set_seed(3)
    x = tf.constant([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y_labels = tf.constant([[0.0], [1.0], [1.0], [0.0]])
    W1 = tf.Variable(tf.random.normal([2, 2]))
    b1 = tf.Variable(tf.zeros([2]))
    W2 = tf.Variable(tf.random.normal([2, 1]))
    b2 = tf.Variable(tf.zeros([1]))

    def calc_loss():
        y = tf.sigmoid(tf.matmul(tf.sigmoid(tf.matmul(x, W1) + b1), W2) + b2)
        return tf.reduce_sum(tf.square(tf.subtract(y, y_labels)))

    optimizer = optimizers.SGD(0.5)
    for _ in range(1500):
        optimizer.minimize(calc_loss, [W1, b1, W2, b2])
    assert float(calc_loss()) < 0.05


def test_learning_rate_forms():
    opt = optimizers.Adam(0.1)
    assert isinstance(opt.learning_rate, tf.Variable)
    assert opt.lr is opt.learning_rate
    opt.lr = 0.25
    assert float(opt.learning_rate) == 0.25
    # TF-Keras 2.21 drops the legacy `lr` spelling with a warning.
    with pytest.warns(UserWarning, match="`lr` is deprecated"):
        assert float(optimizers.RMSprop(lr=0.5).learning_rate) == np.float32(0.001)
    with pytest.warns(UserWarning, match="`lr` argument is deprecated"):
        assert float(optimizers.legacy.RMSprop(lr=0.5).learning_rate) == 0.5

    calls = []
    opt = optimizers.SGD(lambda: calls.append(1) or 0.5)
    v = tf.Variable(1.0)
    opt.apply_gradients([(tf.constant(1.0), v)])
    assert float(v) == 0.5 and calls

    opt = optimizers.SGD(optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.2
    opt.learning_rate = optimizers.schedules.InverseTimeDecay(0.3, 1, 1.0)
    assert float(opt.learning_rate) == pytest.approx(0.3)


def test_minimize_with_tensor_loss_and_tape():
    v = tf.Variable([1.0, 2.0])
    opt = optimizers.SGD(0.5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(v * v)
    opt.minimize(loss, [v], tape=tape)
    np.testing.assert_allclose(v.numpy(), [0.0, 0.0])
    with pytest.raises(ValueError, match="`tape` is required"):
        opt.minimize(loss, [v])
    opt.minimize(lambda: tf.reduce_sum(v - 1.0), lambda: [v])
    np.testing.assert_allclose(v.numpy(), [-0.5, -0.5])


def test_none_gradients():
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    opt = optimizers.SGD(0.1)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['b:0'\]"):
        opt.apply_gradients([(tf.constant(1.0), a), (None, b)])
    assert float(a) == pytest.approx(0.9) and float(b) == 2.0
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply_gradients([(None, b)])


def test_variables_iterations_and_slots():
    v = tf.Variable([1.0, 2.0], name="w")
    opt = optimizers.Adam()
    assert opt.iterations.dtype == tf.int64 and int(opt.iterations) == 0
    assert len(opt.variables) == 1
    result = opt.apply_gradients([(tf.constant([0.1, 0.2]), v)])
    assert int(result) == 1
    names = [x.name for x in opt.variables()]
    assert names == ["iteration:0", "Adam/m/w:0", "Adam/v/w:0"]
    np.testing.assert_allclose(opt.variables[1].numpy(), [0.01, 0.02], rtol=1e-6)
    opt.apply_gradients([(tf.constant([0.1, 0.2]), v)])
    assert len(opt.variables) == 3  # slots are made once per variable


def test_build_up_front_and_add_variable():
    v = tf.Variable(tf.ones([2, 2]))
    opt = optimizers.Adagrad(initial_accumulator_value=0.5)
    opt.build([v])
    np.testing.assert_allclose(opt.variables[1].numpy(), np.full((2, 2), 0.5))
    extra = opt.add_variable([3], initializer="ones", name="extra")
    np.testing.assert_allclose(extra.numpy(), [1.0, 1.0, 1.0])


def test_float64_variables():
    v = tf.Variable(np.array([1.0, -1.0]))
    for cls in ALL:
        opt = cls(learning_rate=0.1)
        opt.apply_gradients([(tf.constant(np.array([0.5, 0.5])), v)])
    assert v.dtype == tf.float64


def test_exclude_from_weight_decay():
    kernel, bias = tf.Variable(1.0, name="kernel"), tf.Variable(1.0, name="bias")
    other = tf.Variable(1.0, name="other")
    opt = optimizers.SGD(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[other], var_names=["bias"])
    zero = tf.constant(0.0)
    opt.apply_gradients([(zero, kernel), (zero, bias), (zero, other)])
    assert float(kernel) == pytest.approx(0.95)
    assert float(bias) == 1.0 and float(other) == 1.0


def test_clipping():
    v = tf.Variable([0.0, 0.0])
    optimizers.SGD(1.0, clipnorm=1.0).apply_gradients([(tf.constant([3.0, 4.0]), v)])
    np.testing.assert_allclose(v.numpy(), [-0.6, -0.8], rtol=1e-6)
    v.assign([0.0, 0.0])
    optimizers.SGD(1.0, clipvalue=1.0).apply_gradients([(tf.constant([3.0, -0.5]), v)])
    np.testing.assert_allclose(v.numpy(), [-1.0, 0.5])


def test_get_serialize_deserialize():
    assert type(optimizers.get("adam")) is optimizers.Adam
    assert type(optimizers.get("SGD")) is optimizers.SGD
    assert type(optimizers.get("rmsprop")) is optimizers.RMSprop
    opt = optimizers.Nadam(0.5)
    assert optimizers.get(opt) is opt
    config = optimizers.serialize(optimizers.SGD(0.1, momentum=0.5))
    assert config["class_name"] == "SGD" and config["module"] == "keras.optimizers"
    restored = optimizers.deserialize(config)
    assert restored.momentum == 0.5 and float(restored.learning_rate) == pytest.approx(0.1)
    schedule = optimizers.schedules.CosineDecay(0.1, 100)
    restored = optimizers.Adam.from_config(optimizers.Adam(schedule).get_config())
    assert isinstance(restored._learning_rate, optimizers.schedules.CosineDecay)
    assert restored._learning_rate.get_config() == schedule.get_config()
    with pytest.raises(ValueError, match="Unknown optimizer: 'foo'"):
        optimizers.get("foo")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(3)


@pytest.mark.parametrize(
    "make, error, fragment",
    [
        (lambda: optimizers.SGD(decay=0.1), ValueError, "decay is deprecated"),
        (lambda: optimizers.Adam(foo=1), TypeError, "foo is not a valid argument, kwargs should"),
        (
            lambda: optimizers.SGD(clipnorm=1.0, global_clipnorm=1.0),
            ValueError,
            "At most one of `clipnorm` and `global_clipnorm` can be set",
        ),
        (lambda: optimizers.SGD(momentum=1.5), ValueError, "`momentum` must be between [0, 1]"),
        (
            lambda: optimizers.AdamW(weight_decay=None),
            ValueError,
            "Missing value of `weight_decay`",
        ),
        (
            lambda: optimizers.Adagrad(initial_accumulator_value=-1.0),
            ValueError,
            "`initial_accumulator_value` must be non-negative",
        ),
        (
            lambda: optimizers.Ftrl(learning_rate_power=0.5),
            ValueError,
            "`learning_rate_power` needs to be <= 0",
        ),
        (
            lambda: optimizers.Ftrl(l1_regularization_strength=-1.0),
            ValueError,
            "`l1_regularization_strength` needs to be >= 0",
        ),
        (lambda: optimizers.SGD(use_ema=True, ema_momentum=2.0), ValueError, "`ema_momentum`"),
    ],
    ids=[
        "decay",
        "unknown",
        "two-clips",
        "momentum",
        "adamw",
        "adagrad",
        "ftrl-power",
        "ftrl-l1",
        "ema",
    ],
)
def test_argument_errors(make, error, fragment):
    with pytest.raises(error) as info:
        make()
    assert fragment in str(info.value)


def test_custom_keras2_style_optimizer():
    class HalfStep(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, name="HalfStep", **kwargs):
            super().__init__(name=name, learning_rate=learning_rate, **kwargs)

        def build(self, var_list):
            super().build(var_list)
            self.counts = {id(v): self.add_variable_from_reference(v, "count") for v in var_list}

        def update_step(self, gradient, variable):
            lr = tf.cast(self.learning_rate, variable.dtype)
            self.counts[id(variable)].assign_add(tf.ones_like(variable))
            variable.assign_sub(0.5 * lr * gradient)

    v = tf.Variable([1.0])
    opt = HalfStep()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.minimize(lambda: tf.reduce_sum(v * 2.0), [v])
    np.testing.assert_allclose(v.numpy(), [0.9], rtol=1e-6)
    assert [x.name for x in opt.variables] == ["iteration:0", "HalfStep/count/Variable:0"]
