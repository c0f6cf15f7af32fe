"""Records tf_keras (Keras 2) results of Lion, Adafactor and the legacy optimizers
(``keras.optimizers.legacy``) into ``tests/keras/fixtures/optimizers2.json`` (read by
``test_optimizers2.py``).

Run it where TensorFlow and tf_keras are installed (the tests never import them)::

    /path/to/tf-venv/bin/python tests/keras/record_optimizers2_fixtures.py

Each case ``[module, class name, constructor kwargs]`` runs ``STEPS`` steps of fixed
gradients on three variables of ranks 2, 1 and 3 (``dense``), and of ``IndexedSlices``
gradients with a repeated row on a (5, 3) embedding (``sparse``). A learning-rate
schedule inside ``kwargs`` is written ``{"schedule": [name, kwargs]}``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import tensorflow as tf
import tf_keras as keras

FIXTURE = Path(__file__).parent / "fixtures" / "optimizers2.json"
H5_FIXTURE = Path(__file__).parent / "fixtures" / "legacy_adam.tfk.h5"
STEPS = 4
rng = np.random.default_rng(5)


def rnd(a):
    return np.round(np.asarray(a, np.float64), 3).tolist()


SHAPES = {"w": (3, 2), "b": (2,), "k": (2, 2, 3)}
DENSE = {
    "init": {name: rnd(rng.normal(size=shape)) for name, shape in SHAPES.items()},
    "grads": [
        {name: rnd(rng.normal(size=shape)) for name, shape in SHAPES.items()} for _ in range(STEPS)
    ],
}
SPARSE = {
    "init": rnd(rng.normal(size=(5, 3))),
    "steps": [
        {"indices": [0, 3, 0], "values": rnd(rng.normal(size=(3, 3)))},
        {"indices": [4, 1], "values": rnd(rng.normal(size=(2, 3)))},
        {"indices": [3, 3, 2], "values": rnd(rng.normal(size=(3, 3)))},
    ],
}
SCHEDULE = {
    "schedule": [
        "ExponentialDecay",
        {"initial_learning_rate": 0.2, "decay_steps": 2, "decay_rate": 0.5},
    ]
}

CASES = [
    ["", "Lion", {}],
    ["", "Lion", {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.95}],
    ["", "Lion", {"learning_rate": 0.01, "weight_decay": 0.1, "clipnorm": 0.5}],
    ["", "Adafactor", {}],
    ["", "Adafactor", {"learning_rate": 0.1, "relative_step": False}],
    ["", "Adafactor", {"learning_rate": 0.3, "clip_threshold": 0.5, "epsilon_2": 0.01}],
    ["", "Adafactor", {"learning_rate": SCHEDULE, "beta_2_decay": -0.5}],
    ["legacy", "SGD", {}],
    ["legacy", "SGD", {"learning_rate": 0.1, "momentum": 0.9}],
    ["legacy", "SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}],
    ["legacy", "SGD", {"learning_rate": 0.1, "decay": 0.1, "clipnorm": 0.5}],
    ["legacy", "SGD", {"learning_rate": SCHEDULE, "clipvalue": 0.3}],
    ["legacy", "SGD", {"learning_rate": 0.1, "global_clipnorm": 0.7}],
    ["legacy", "RMSprop", {}],
    ["legacy", "RMSprop", {"learning_rate": 0.01, "rho": 0.8, "centered": True}],
    ["legacy", "RMSprop", {"learning_rate": 0.01, "momentum": 0.5}],
    ["legacy", "RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}],
    ["legacy", "Adam", {}],
    ["legacy", "Adam", {"learning_rate": 0.1, "beta_1": 0.8, "amsgrad": True}],
    ["legacy", "Adam", {"learning_rate": 0.1, "decay": 0.05, "epsilon": 0.1}],
    ["legacy", "Adagrad", {}],
    ["legacy", "Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5}],
    ["legacy", "Adadelta", {}],
    ["legacy", "Adadelta", {"learning_rate": 1.0, "rho": 0.9}],
    ["legacy", "Adamax", {}],
    ["legacy", "Adamax", {"learning_rate": 0.1, "beta_1": 0.8}],
    ["legacy", "Nadam", {}],
    ["legacy", "Nadam", {"learning_rate": 0.1, "beta_2": 0.9}],
    ["legacy", "Ftrl", {}],
    [
        "legacy",
        "Ftrl",
        {
            "learning_rate": 0.1,
            "learning_rate_power": -0.7,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.02,
            "beta": 0.1,
        },
    ],
    [
        "legacy",
        "Ftrl",
        {
            "learning_rate": 0.2,
            "l1_regularization_strength": 0.3,
            "l2_shrinkage_regularization_strength": 0.05,
        },
    ],
]


def build(module, name, kwargs):
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, dict):
        schedule, skw = lr["schedule"]
        kwargs["learning_rate"] = getattr(keras.optimizers.schedules, schedule)(**skw)
    namespace = keras.optimizers.legacy if module == "legacy" else keras.optimizers
    return getattr(namespace, name)(**kwargs)


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def weights_of(opt):
    variables = opt.variables() if callable(opt.variables) else opt.variables
    return [[v.name, np.asarray(v).tolist()] for v in variables]


def run_dense(case):
    opt = build(*case)
    variables = {n: tf.Variable(np.float32(v), name=n) for n, v in DENSE["init"].items()}
    history = []
    for grads in DENSE["grads"]:
        opt.apply_gradients([(tf.constant(np.float32(grads[n])), variables[n]) for n in SHAPES])
        history.append({n: variables[n].numpy().tolist() for n in SHAPES})
    return history, weights_of(opt)


def run_sparse(case):
    opt = build(*case)
    var = tf.Variable(np.float32(SPARSE["init"]), name="embedding")
    history = []
    for step in SPARSE["steps"]:
        grad = tf.IndexedSlices(
            tf.constant(np.float32(step["values"])),
            tf.constant(step["indices"], tf.int64),
            tf.constant([5, 3], tf.int64),
        )
        opt.apply_gradients([(grad, var)])
        history.append(var.numpy().tolist())
    return history, weights_of(opt)


def record_case(case):
    dense, dense_weights = run_dense(case)
    sparse, sparse_weights = run_sparse(case)
    opt = build(*case)
    after_steps = build(*case)
    after_steps.apply_gradients([(tf.constant([1.0]), tf.Variable([0.5]))])
    return {
        "module": case[0],
        "name": case[1],
        "kwargs": case[2],
        "dense": dense,
        "dense_weights": dense_weights,
        "sparse": sparse,
        "sparse_weights": sparse_weights,
        "config": jsonable(opt.get_config()),
        "serialized": jsonable(keras.optimizers.serialize(opt)),
        "config_after_steps": jsonable(after_steps.get_config()),
    }


def legacy_behaviour():
    """Hyperparameter variables, slot access, errors and ``fit`` with a legacy optimizer."""
    out = {}
    opt = keras.optimizers.legacy.Adam(0.1, beta_1=0.8)
    out["before_step"] = {"learning_rate": float(opt.learning_rate), "lr_name": opt.lr.name}
    var = tf.Variable([[1.0, 2.0]], name="v")
    opt.apply_gradients([(tf.constant([[0.5, -0.5]]), var)])
    out["hypers"] = {
        n: [getattr(opt, n).name, float(getattr(opt, n))] for n in ("beta_1", "beta_2", "decay")
    }
    out["slot_names"] = opt.get_slot_names()
    out["slot"] = opt.get_slot(var, "m").name
    opt.learning_rate = 0.5
    out["lr_after_set"] = [opt.learning_rate.name, float(opt.learning_rate)]
    errors = {}
    for label, fn in [
        ("unknown_kwarg", lambda: keras.optimizers.legacy.Adam(foo=1)),
        ("negative_clipnorm", lambda: keras.optimizers.legacy.SGD(clipnorm=-1.0)),
        ("both_clipnorms", lambda: keras.optimizers.legacy.SGD(clipnorm=1.0, global_clipnorm=1.0)),
        ("negative_decay", lambda: keras.optimizers.legacy.SGD(decay=-0.1)),
        ("momentum_range", lambda: keras.optimizers.legacy.SGD(momentum=2)),
        (
            "nadam_schedule",
            lambda: keras.optimizers.legacy.Nadam(
                keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
            ),
        ),
        (
            "adagrad_accumulator",
            lambda: keras.optimizers.legacy.Adagrad(initial_accumulator_value=-1.0),
        ),
        ("ftrl_power", lambda: keras.optimizers.legacy.Ftrl(learning_rate_power=0.5)),
        ("ftrl_l1", lambda: keras.optimizers.legacy.Ftrl(l1_regularization_strength=-1.0)),
        ("no_gradients", lambda: opt.apply_gradients([(None, var)])),
        ("get_gradients", lambda: opt.get_gradients(tf.reduce_sum(var), [var])),
        ("lion_beta", lambda: keras.optimizers.Lion(beta_1=0.0)),
    ]:
        try:
            fn()
            errors[label] = None
        except Exception as e:  # noqa: BLE001 - recording what Keras raises
            errors[label] = [type(e).__name__, str(e)]
    out["errors"] = errors
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    x = np.float32(rng.normal(size=(8, 3)))
    y = np.float32(rng.normal(size=(8, 2)))
    model.compile(keras.optimizers.legacy.RMSprop(0.05, momentum=0.5), "mse")
    init = [w.tolist() for w in model.get_weights()]
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    out["fit"] = {
        "x": x.tolist(),
        "y": y.tolist(),
        "init": init,
        "weights": [w.tolist() for w in model.get_weights()],
        "iterations": int(model.optimizer.iterations),
    }
    return out


def legacy_h5_file():
    """A tf_keras HDF5 model compiled with a legacy Adam after two steps of training."""
    keras.utils.set_random_seed(4)
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    model.compile(keras.optimizers.legacy.Adam(0.01, decay=0.1), "mse")
    x = np.float32(rng.normal(size=(4, 3)))
    model.fit(x, np.float32(rng.normal(size=(4, 2))), batch_size=2, verbose=0)
    model.save(H5_FIXTURE)
    weights = keras.models.load_model(H5_FIXTURE).optimizer.get_weights()
    return {"weights": [np.asarray(w).tolist() for w in weights], "x": x.tolist()}


class ScaledMomentum(keras.optimizers.legacy.Optimizer):
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


def custom_optimizer():
    """Dense and sparse steps of :class:`ScaledMomentum` with ``decay``."""
    opt = ScaledMomentum(0.1, scale=0.5, decay=0.1)
    var = tf.Variable(np.float32(DENSE["init"]["w"]), name="w")
    dense = []
    for grads in DENSE["grads"]:
        opt.apply_gradients([(tf.constant(np.float32(grads["w"])), var)])
        dense.append(var.numpy().tolist())
    emb = tf.Variable(np.float32(SPARSE["init"]), name="embedding")
    sparse = []
    for step in SPARSE["steps"]:
        grad = tf.IndexedSlices(
            tf.constant(np.float32(step["values"])),
            tf.constant(step["indices"], tf.int64),
            tf.constant([5, 3], tf.int64),
        )
        opt.apply_gradients([(grad, emb)])
        sparse.append(emb.numpy().tolist())
    return {
        "dense": dense,
        "sparse": sparse,
        "config": jsonable(opt.get_config()),
        "weights": [v.name for v in opt.weights],
    }


def experimental_names():
    return sorted(n for n in dir(keras.optimizers.experimental) if not n.startswith("_"))


def main():
    warnings.simplefilter("ignore")
    fixtures = {
        "steps": STEPS,
        "dense": DENSE,
        "sparse": SPARSE,
        "cases": [record_case(case) for case in CASES],
        "legacy": legacy_behaviour(),
        "experimental": experimental_names(),
        "legacy_h5": legacy_h5_file(),
        "custom": custom_optimizer(),
    }
    FIXTURE.write_text(json.dumps(fixtures, separators=(",", ":")) + "\n")
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
