"""Records Keras 2 (``tf_keras``) optimizer and schedule results into
``tests/keras/fixtures/optimizers.json``.

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    /path/to/tf-venv/bin/python tests/keras/record_optimizer_fixtures.py

Every optimizer case is ``[class name, constructor kwargs]`` run for ``STEPS`` steps on
three problems whose inputs are stored with the results:

* ``fixed``: a (3, 2) variable with a fixed gradient sequence (``apply_gradients``);
* ``loss``: a tanh layer ``W, b`` trained with ``minimize`` on a small squared error;
* ``sparse``: a (5, 3) embedding whose gradient is an ``IndexedSlices`` with a
  repeated index.

A learning-rate schedule inside ``kwargs`` is written ``{"schedule": [name, kwargs]}``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "optimizers.json"
STEPS = 5

OPTIMIZER_CASES = [
    ["SGD", {}],
    ["SGD", {"learning_rate": 0.1}],
    ["SGD", {"learning_rate": 0.1, "momentum": 0.9}],
    ["SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}],
    ["SGD", {"learning_rate": 0.1, "clipnorm": 0.5}],
    ["SGD", {"learning_rate": 0.1, "clipvalue": 0.3}],
    ["SGD", {"learning_rate": 0.1, "global_clipnorm": 0.5}],
    ["SGD", {"learning_rate": 0.1, "weight_decay": 0.1}],
    [
        "SGD",
        {
            "learning_rate": {
                "schedule": [
                    "ExponentialDecay",
                    {"initial_learning_rate": 0.2, "decay_steps": 2, "decay_rate": 0.5},
                ]
            }
        },
    ],
    [
        "SGD",
        {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 2},
    ],
    ["RMSprop", {}],
    ["RMSprop", {"learning_rate": 0.01, "rho": 0.8}],
    ["RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}],
    ["Adam", {}],
    ["Adam", {"learning_rate": 0.1}],
    ["Adam", {"learning_rate": 0.1, "beta_1": 0.8, "beta_2": 0.9, "amsgrad": True}],
    ["AdamW", {}],
    ["AdamW", {"learning_rate": 0.1, "weight_decay": 0.1}],
    ["Adagrad", {}],
    ["Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5}],
    ["Adadelta", {}],
    ["Adadelta", {"learning_rate": 1.0, "rho": 0.9}],
    ["Adamax", {}],
    ["Adamax", {"learning_rate": 0.1, "beta_1": 0.8}],
    ["Nadam", {}],
    ["Nadam", {"learning_rate": 0.1}],
    ["Ftrl", {}],
    [
        "Ftrl",
        {
            "learning_rate": 0.1,
            "learning_rate_power": -0.7,
            "initial_accumulator_value": 0.2,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.02,
            "l2_shrinkage_regularization_strength": 0.03,
            "beta": 0.1,
        },
    ],
]

SCHEDULE_CASES = [
    ["ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9}],
    [
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": True},
    ],
    ["PiecewiseConstantDecay", {"boundaries": [5, 20], "values": [1.0, 0.5, 0.1]}],
    ["InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5}],
    [
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": True},
    ],
    ["CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 20}],
    ["CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 20, "alpha": 0.1}],
    [
        "CosineDecay",
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 20,
            "alpha": 0.1,
            "warmup_target": 0.2,
            "warmup_steps": 10,
        },
    ],
    ["CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10}],
    [
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 10,
            "t_mul": 1.0,
            "m_mul": 0.5,
            "alpha": 0.1,
        },
    ],
    ["PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 20}],
    [
        "PolynomialDecay",
        {
            "initial_learning_rate": 0.1,
            "decay_steps": 20,
            "end_learning_rate": 0.01,
            "power": 2.0,
            "cycle": True,
        },
    ],
]
SCHEDULE_STEPS = [0, 1, 4, 5, 6, 10, 15, 20, 25, 33, 100]


def problems() -> dict:
    rng = np.random.default_rng(7)
    f32 = np.float32
    return {
        "fixed": {
            "init": rng.normal(size=(3, 2)).astype(f32).tolist(),
            "grads": rng.normal(size=(STEPS, 3, 2)).astype(f32).tolist(),
        },
        "loss": {
            "W": rng.normal(size=(3, 2)).astype(f32).tolist(),
            "b": rng.normal(size=(2,)).astype(f32).tolist(),
            "x": rng.normal(size=(4, 3)).astype(f32).tolist(),
            "y": rng.normal(size=(4, 2)).astype(f32).tolist(),
        },
        "sparse": {
            "init": rng.normal(size=(5, 3)).astype(f32).tolist(),
            "indices": [3, 0, 3],
            "weights": rng.normal(size=(3, 3)).astype(f32).tolist(),
        },
    }


def build(keras, name, kwargs):
    kwargs = dict(kwargs)
    lr = kwargs.get("learning_rate")
    if isinstance(lr, dict):
        sname, skw = lr["schedule"]
        kwargs["learning_rate"] = getattr(keras.optimizers.schedules, sname)(**skw)
    return getattr(keras.optimizers, name)(**kwargs)


def run_case(tf, keras, name, kwargs, data) -> dict:
    out = {}
    opt = build(keras, name, kwargs)
    v = tf.Variable(data["fixed"]["init"])
    steps = []
    for g in data["fixed"]["grads"]:
        opt.apply_gradients([(tf.constant(g), v)])
        steps.append(v.numpy().tolist())
    out["fixed"] = steps
    if kwargs.get("use_ema"):
        opt.finalize_variable_values([v])
        out["fixed_finalized"] = v.numpy().tolist()

    d = data["loss"]
    opt = build(keras, name, kwargs)
    W, b = tf.Variable(d["W"]), tf.Variable(d["b"])
    x, y = tf.constant(d["x"]), tf.constant(d["y"])
    steps = []
    for _ in range(STEPS):
        opt.minimize(lambda: tf.reduce_mean(tf.square(tf.tanh(x @ W + b) - y)), [W, b])
        steps.append([W.numpy().tolist(), b.numpy().tolist()])
    out["loss"] = steps

    d = data["sparse"]
    opt = build(keras, name, kwargs)
    E = tf.Variable(d["init"])
    w = tf.constant(d["weights"])
    steps = []
    for _ in range(STEPS):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(tf.gather(E, d["indices"]) - w))
        (g,) = tape.gradient(loss, [E])
        assert isinstance(g, tf.IndexedSlices)
        opt.apply_gradients([(g, E)])
        steps.append(E.numpy().tolist())
    out["sparse"] = steps
    out["config"] = {
        k: (float(v) if isinstance(v, np.floating) else v) for k, v in opt.get_config().items()
    }
    out["variables"] = len(opt.variables)
    return out


def main() -> None:
    import tensorflow as tf
    import tf_keras as keras

    data = problems()
    optimizers = []
    for name, kwargs in OPTIMIZER_CASES:
        optimizers.append(
            {"name": name, "kwargs": kwargs, "result": run_case(tf, keras, name, kwargs, data)}
        )
    schedules = []
    for name, kwargs in SCHEDULE_CASES:
        s = getattr(keras.optimizers.schedules, name)(**kwargs)
        values = [float(s(step).numpy()) for step in SCHEDULE_STEPS]
        schedules.append(
            {
                "name": name,
                "kwargs": kwargs,
                "values": values,
                "dtype": s(0).dtype.name,
                "config": keras.optimizers.schedules.serialize(s),
            }
        )
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(
        json.dumps(
            {
                "steps": STEPS,
                "problems": data,
                "optimizers": optimizers,
                "schedule_steps": SCHEDULE_STEPS,
                "schedules": schedules,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {FIXTURE}: {len(optimizers)} optimizer cases, {len(schedules)} schedules")


if __name__ == "__main__":
    main()
