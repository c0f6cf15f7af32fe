"""Lion, Adafactor and the legacy optimizers against tf_keras fixtures
(``record_optimizers2_fixtures.py``): variables after each step (dense and
``IndexedSlices`` gradients), optimizer variable names and values, configs, errors,
``fit`` with a legacy optimizer, and traced train steps."""

import builtins
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import optimizers

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "optimizers2.json").read_text())
CASES = FIXTURES["cases"]
SHAPES = ("w", "b", "k")


def build(module, name, kwargs):
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, dict):
        schedule, skw = lr["schedule"]
        kwargs["learning_rate"] = getattr(optimizers.schedules, schedule)(**skw)
    namespace = optimizers.legacy if module == "legacy" else optimizers
    return getattr(namespace, name)(**kwargs)


def case_id(case):
    return "-".join([case["module"] or "v2", case["name"], *case["kwargs"]])


def _weights(opt):
    variables = opt.variables() if callable(opt.variables) else opt.variables
    return variables


def _check_weights(opt, expected):
    variables = _weights(opt)
    assert [v.name for v in variables] == [name for name, _ in expected]
    for var, (name, value) in zip(variables, expected):
        np.testing.assert_allclose(var.numpy(), value, rtol=2e-5, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_dense_steps_match_keras(case):
    opt = build(case["module"], case["name"], case["kwargs"])
    init = FIXTURES["dense"]["init"]
    variables = {n: tf.Variable(np.float32(init[n]), name=n) for n in SHAPES}
    for grads, expected in zip(FIXTURES["dense"]["grads"], case["dense"]):
        opt.apply_gradients([(tf.constant(np.float32(grads[n])), variables[n]) for n in SHAPES])
        for n in SHAPES:
            np.testing.assert_allclose(
                variables[n].numpy(), expected[n], rtol=2e-5, atol=1e-6, err_msg=n
            )
    _check_weights(opt, case["dense_weights"])


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_sparse_steps_match_keras(case):
    opt = build(case["module"], case["name"], case["kwargs"])
    var = tf.Variable(np.float32(FIXTURES["sparse"]["init"]), name="embedding")
    for step, expected in zip(FIXTURES["sparse"]["steps"], case["sparse"]):
        grad = tf.IndexedSlices(
            tf.constant(np.float32(step["values"])),
            tf.constant(step["indices"], tf.int64),
            tf.constant([5, 3], tf.int64),
        )
        opt.apply_gradients([(grad, var)])
        np.testing.assert_allclose(var.numpy(), expected, rtol=2e-5, atol=1e-6)
    _check_weights(opt, case["sparse_weights"])


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_config_matches_keras(case):
    opt = build(case["module"], case["name"], case["kwargs"])
    assert opt.get_config() == case["config"]
    assert optimizers.serialize(opt) == case["serialized"]
    clone = optimizers.deserialize(optimizers.serialize(opt))
    assert type(clone) is type(opt)
    assert clone.get_config() == opt.get_config()
    opt.apply_gradients([(tf.constant([1.0]), tf.Variable([0.5]))])
    assert opt.get_config() == case["config_after_steps"]


@pytest.mark.parametrize(
    "case", [c for c in CASES if "schedule" not in json.dumps(c["kwargs"])][::3], ids=case_id
)
def test_traced_steps_match_keras(case):
    opt = build(case["module"], case["name"], case["kwargs"])
    init = FIXTURES["dense"]["init"]
    variables = [tf.Variable(np.float32(init[n]), name=n) for n in SHAPES]

    @tf.function
    def step(*grads):
        opt.apply_gradients(zip(grads, variables))

    for grads, expected in zip(FIXTURES["dense"]["grads"], case["dense"]):
        step(*[tf.constant(np.float32(grads[n])) for n in SHAPES])
        for var, n in zip(variables, SHAPES):
            np.testing.assert_allclose(var.numpy(), expected[n], rtol=2e-5, atol=1e-6)


def test_legacy_hyperparameters_and_slots():
    rec = FIXTURES["legacy"]
    opt = optimizers.legacy.Adam(0.1, beta_1=0.8)
    assert float(opt.learning_rate) == rec["before_step"]["learning_rate"]
    assert opt.lr.name == rec["before_step"]["lr_name"]
    var = tf.Variable([[1.0, 2.0]], name="v")
    opt.apply_gradients([(tf.constant([[0.5, -0.5]]), var)])
    for name, (var_name, value) in rec["hypers"].items():
        assert getattr(opt, name).name == var_name
        assert float(getattr(opt, name)) == value
    assert opt.get_slot_names() == rec["slot_names"]
    assert opt.get_slot(var, "m").name == rec["slot"]
    opt.learning_rate = 0.5
    assert [opt.learning_rate.name, float(opt.learning_rate)] == rec["lr_after_set"]
    opt.lr = 0.25
    assert float(opt.learning_rate) == 0.25
    weights = opt.get_weights()
    opt.set_weights([w * 0 for w in weights])
    assert int(opt.iterations) == 0
    with pytest.raises(ValueError, match="weight list of length 1"):
        opt.set_weights(weights[:1])


_ERRORS = {
    "unknown_kwarg": lambda: optimizers.legacy.Adam(foo=1),
    "negative_clipnorm": lambda: optimizers.legacy.SGD(clipnorm=-1.0),
    "both_clipnorms": lambda: optimizers.legacy.SGD(clipnorm=1.0, global_clipnorm=1.0),
    "negative_decay": lambda: optimizers.legacy.SGD(decay=-0.1),
    "momentum_range": lambda: optimizers.legacy.SGD(momentum=2),
    "nadam_schedule": lambda: optimizers.legacy.Nadam(
        optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    ),
    "adagrad_accumulator": lambda: optimizers.legacy.Adagrad(initial_accumulator_value=-1.0),
    "ftrl_power": lambda: optimizers.legacy.Ftrl(learning_rate_power=0.5),
    "ftrl_l1": lambda: optimizers.legacy.Ftrl(l1_regularization_strength=-1.0),
    "lion_beta": lambda: optimizers.Lion(beta_1=0.0),
}


@pytest.mark.parametrize("label", sorted(_ERRORS))
def test_errors_match_keras(label):
    kind, message = FIXTURES["legacy"]["errors"][label]
    if label == "unknown_kwarg":
        message = message.split(" Allowed")[0]  # the set's order is Python's
    with pytest.raises(getattr(builtins, kind)) as info:
        _ERRORS[label]()
    assert type(info.value).__name__ == kind
    assert message in str(info.value)


def test_legacy_missing_gradients_and_get_gradients():
    opt = optimizers.legacy.Adam(0.1)
    var = tf.Variable([[1.0, 2.0]], name="v")
    with pytest.raises(ValueError, match=r"No gradients provided for any variable: \(\['v:0'\],\)"):
        opt.apply_gradients([(None, var)])
    with pytest.raises(ValueError, match="has `None` for gradient"):
        opt.get_gradients(tf.reduce_sum(var), [var])
    other = tf.Variable([3.0], name="u")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt.apply_gradients([(None, other), (tf.constant([[1.0, 1.0]]), var)])
    assert any("Gradients do not exist" in str(w.message) for w in caught)


def test_legacy_minimize_and_constraint():
    var = tf.Variable([1.0, -2.0], constraint=lambda w: tf.clip_by_value(w, -1.0, 1.0))
    opt = optimizers.legacy.SGD(0.1)
    opt.minimize(lambda: tf.reduce_sum(var * var), [var])
    np.testing.assert_allclose(var.numpy(), [0.8, -1.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(var * var)
    opt.minimize(loss, [var], tape=tape)
    np.testing.assert_allclose(var.numpy(), [0.64, -0.8], rtol=1e-6)
    with pytest.raises(ValueError, match="`tape` is required"):
        opt.minimize(loss, [var])


def test_fit_with_legacy_optimizer_matches_keras():
    rec = FIXTURES["legacy"]["fit"]
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    model.compile(optimizers.legacy.RMSprop(0.05, momentum=0.5), "mse")
    model.set_weights([np.float32(w) for w in rec["init"]])
    x, y = np.float32(rec["x"]), np.float32(rec["y"])
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    for got, expected in zip(model.get_weights(), rec["weights"]):
        np.testing.assert_allclose(got, expected, rtol=2e-5, atol=1e-6)
    assert int(model.optimizer.iterations) == rec["iterations"]


def test_namespaces():
    names = FIXTURES["experimental"]
    assert sorted(n for n in dir(optimizers.experimental) if not n.startswith("_")) == names
    assert optimizers.experimental.Adam is optimizers.Adam
    assert optimizers.legacy.Optimizer.__name__ == "OptimizerV2"
    assert type(optimizers.get("lion")).__name__ == "Lion"
    assert type(optimizers.get("Adafactor")).__name__ == "Adafactor"
    legacy = optimizers.legacy.SGD()
    assert optimizers.get(legacy) is legacy


def test_adafactor_factored_slots():
    opt = optimizers.Adafactor()
    k = tf.Variable(np.zeros((2, 3, 4), np.float32), name="k")
    b = tf.Variable(np.zeros((4,), np.float32), name="b")
    opt.build([k, b])
    # Built directly, outside apply_gradients' name scope: TF's names carry no prefix.
    shapes = {v.name: tuple(v.shape.as_list()) for v in opt.variables}
    assert shapes["r/k:0"] == (2, 3)
    assert shapes["c/k:0"] == (2, 4)
    assert shapes["v/k:0"] == (2, 3, 4)
    assert "r/b:0" not in shapes


def _legacy_model():
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    model.compile(optimizers.legacy.Adam(0.01, decay=0.1), "mse")
    model.fit(np.ones((4, 3), np.float32), np.ones((4, 2), np.float32), verbose=0)
    return model


def test_legacy_optimizer_in_h5_and_keras_files(tmp_path):
    model = _legacy_model()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(tmp_path / "m.h5")
    loaded = tf.keras.models.load_model(tmp_path / "m.h5")
    assert type(loaded.optimizer) is optimizers.legacy.Adam
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    for got, expected in zip(loaded.optimizer.get_weights(), model.optimizer.get_weights()):
        np.testing.assert_array_equal(got, expected)
    # tf-keras keeps no legacy optimizer state in a .keras file, only its config.
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.optimizer) is optimizers.legacy.Adam
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.optimizer.variables() == []


def test_tf_keras_h5_with_legacy_optimizer_loads():
    path = Path(__file__).parent / "fixtures" / "legacy_adam.tfk.h5"
    model = tf.keras.models.load_model(path)
    assert type(model.optimizer) is optimizers.legacy.Adam
    assert model.optimizer.get_config()["decay"] == 0.1
    expected = FIXTURES["legacy_h5"]["weights"]
    got = model.optimizer.get_weights()
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-6)


def test_legacy_optimizer_checkpoint_round_trip(tmp_path):
    opt = _legacy_model().optimizer
    path = tf.train.Checkpoint(optimizer=opt).save(str(tmp_path / "ckpt"))
    fresh = optimizers.legacy.Adam(0.5)
    tf.train.Checkpoint(optimizer=fresh).restore(path)
    assert int(fresh.iterations) == int(opt.iterations)
    assert float(fresh.learning_rate) == float(opt.learning_rate)


def test_legacy_config_without_module_is_legacy():
    config = {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.1, "decay": 0.0}}
    assert type(optimizers.deserialize(config)) is optimizers.legacy.Adam
    current = {"class_name": "Adam", "config": {"learning_rate": 0.1, "is_legacy_optimizer": False}}
    assert type(optimizers.deserialize(current)) is optimizers.Adam
    assert type(optimizers.deserialize({"class_name": "adam", "config": {}})) is optimizers.Adam


class ScaledMomentum(optimizers.legacy.Optimizer):
    """A user-written legacy optimizer: ``v = scale * v + g``, ``w -= lr * v``."""

    def __init__(self, learning_rate=0.1, scale=0.5, name="ScaledMomentum", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("scale", scale)

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(var, "velocity")

    def _resource_apply_dense(self, grad, var, apply_state=None):
        dtype = var.dtype.base_dtype
        velocity = self.get_slot(var, "velocity")
        velocity.assign(self._get_hyper("scale", dtype) * velocity + grad)
        var.assign_sub(self._decayed_lr(dtype) * velocity)

    def _resource_apply_sparse(self, grad, var, indices, apply_state=None):
        dtype = var.dtype.base_dtype
        velocity = self.get_slot(var, "velocity")
        self._resource_scatter_add(velocity, indices, grad)
        rows = tf.gather(velocity, indices)
        return self._resource_scatter_add(var, indices, -self._decayed_lr(dtype) * rows)

    def get_config(self):
        config = super().get_config()
        config.update(
            learning_rate=self._serialize_hyperparameter("learning_rate"),
            scale=self._serialize_hyperparameter("scale"),
        )
        return config


def test_user_written_legacy_optimizer_matches_keras():
    rec = FIXTURES["custom"]
    opt = ScaledMomentum(0.1, scale=0.5, decay=0.1)
    var = tf.Variable(np.float32(FIXTURES["dense"]["init"]["w"]), name="w")
    for grads, expected in zip(FIXTURES["dense"]["grads"], rec["dense"]):
        opt.apply_gradients([(tf.constant(np.float32(grads["w"])), var)])
        np.testing.assert_allclose(var.numpy(), expected, rtol=1e-6, atol=1e-7)
    emb = tf.Variable(np.float32(FIXTURES["sparse"]["init"]), name="embedding")
    for step, expected in zip(FIXTURES["sparse"]["steps"], rec["sparse"]):
        grad = tf.IndexedSlices(
            tf.constant(np.float32(step["values"])),
            tf.constant(step["indices"], tf.int64),
            tf.constant([5, 3], tf.int64),
        )
        opt.apply_gradients([(grad, emb)])
        np.testing.assert_allclose(emb.numpy(), expected, rtol=1e-6, atol=1e-7)
    assert opt.get_config() == rec["config"]
    assert [v.name for v in opt.weights] == rec["weights"]
    with pytest.raises(NotImplementedError, match="_resource_apply_dense"):
        optimizers.legacy.Optimizer("bare").apply_gradients(
            [(tf.constant([1.0]), tf.Variable([0.0]))]
        )
