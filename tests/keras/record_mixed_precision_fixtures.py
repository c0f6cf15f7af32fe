"""Records Keras 2 (``tf_keras``) mixed-precision behaviour into
``tests/keras/fixtures/mixed_precision.json``.

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    /path/to/tf-venv/bin/python tests/keras/record_mixed_precision_fixtures.py

Recorded:

* ``policies``: name, compute/variable dtype, config and repr of each policy name,
  and the error type and message of bad names;
* ``loss_scale``: a LossScaleOptimizer's scale, good-step counter, variable and
  ``iterations`` after each step of a gradient sequence holding inf and nan steps,
  for SGD and Adam (whose slots a skipped step must leave alone), and its config;
* ``scaling``: ``get_scaled_loss`` / ``get_unscaled_gradients`` values;
* ``layers``: per layer and policy, the layer's dtype, compute dtype, policy, output
  dtype, weight dtypes and the config's ``dtype`` entry;
* ``dense_forward``: a mixed_float16 Dense with fixed weights on fixed inputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import tensorflow as tf
import tf_keras as keras

FIXTURE = Path(__file__).parent / "fixtures" / "mixed_precision.json"
mp = keras.mixed_precision

POLICY_NAMES = ["float32", "float16", "float64", "mixed_float16", "mixed_bfloat16", "_infer"]
BAD_POLICY_NAMES = ["mixed_int", "foo", "float16_with_float32_vars", 1, None]
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


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type is what is recorded
        return [type(e).__name__, str(e)]
    return None


def policies():
    out = {}
    for name in POLICY_NAMES:
        p = mp.Policy(name)
        out[name] = {
            "name": p.name,
            "compute_dtype": p.compute_dtype,
            "variable_dtype": p.variable_dtype,
            "config": p.get_config(),
            "repr": repr(p),
        }
    errors = {repr(n): _error(lambda n=n: mp.Policy(n)) for n in BAD_POLICY_NAMES}
    errors["set_global_policy('int32')"] = _error(lambda: mp.set_global_policy("int32"))
    return {"policies": out, "errors": errors}


def loss_scale_run(inner, kwargs):
    opt = mp.LossScaleOptimizer(inner, **kwargs)
    v = tf.Variable([1.0, 2.0])
    steps = []
    for g in GRADIENTS:
        opt.apply_gradients([(tf.constant(g), v)])
        steps.append(
            {
                "loss_scale": float(opt.loss_scale.numpy()),
                "counter": int(opt.dynamic_counter.numpy()) if opt.dynamic else None,
                "variable": v.numpy().tolist(),
                "iterations": int(opt.iterations.numpy()),
            }
        )
    return steps


def loss_scale():
    runs = {
        "sgd_dynamic": loss_scale_run(
            keras.optimizers.SGD(0.1), {"initial_scale": 4.0, "dynamic_growth_steps": 2}
        ),
        "adam_dynamic": loss_scale_run(
            keras.optimizers.Adam(0.1), {"initial_scale": 2.0, "dynamic_growth_steps": 3}
        ),
        "sgd_dynamic_floor": loss_scale_run(
            keras.optimizers.SGD(0.1), {"initial_scale": 1.0, "dynamic_growth_steps": 10}
        ),
    }
    default = mp.LossScaleOptimizer(keras.optimizers.SGD(0.1))
    static = mp.LossScaleOptimizer(keras.optimizers.SGD(0.1), dynamic=False, initial_scale=8)
    errors = {
        "static_without_scale": _error(
            lambda: mp.LossScaleOptimizer(keras.optimizers.SGD(), dynamic=False)
        ),
        "static_with_growth": _error(
            lambda: mp.LossScaleOptimizer(
                keras.optimizers.SGD(), dynamic=False, initial_scale=2, dynamic_growth_steps=3
            )
        ),
        "dynamic_not_bool": _error(lambda: mp.LossScaleOptimizer(keras.optimizers.SGD(), 1)),
        "wrap_twice": _error(
            lambda: mp.LossScaleOptimizer(default.inner_optimizer),
        ),
    }
    return {
        "runs": runs,
        "default": {
            "loss_scale": float(default.loss_scale.numpy()),
            "dynamic": default.dynamic,
            "initial_scale": default.initial_scale,
            "dynamic_growth_steps": default.dynamic_growth_steps,
            "config": {k: v for k, v in default.get_config().items() if k != "inner_optimizer"},
        },
        "static": {
            "loss_scale": float(static.loss_scale.numpy()),
            "dynamic_growth_steps": static.dynamic_growth_steps,
            "config": {k: v for k, v in static.get_config().items() if k != "inner_optimizer"},
        },
        "errors": errors,
    }


def scaling():
    opt = mp.LossScaleOptimizer(keras.optimizers.SGD(), dynamic=False, initial_scale=8)
    w = tf.Variable([1.0, -2.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w * 3.0)
        scaled = opt.get_scaled_loss(loss)
    scaled_grads = tape.gradient(scaled, [w])
    return {
        "loss": float(loss.numpy()),
        "scaled_loss": float(scaled.numpy()),
        "scaled_grad": scaled_grads[0].numpy().tolist(),
        "unscaled_grad": opt.get_unscaled_gradients(scaled_grads)[0].numpy().tolist(),
        "float16_scaled": float(opt.get_scaled_loss(tf.constant(2.0, tf.float16)).numpy()),
        "float16_scaled_dtype": opt.get_scaled_loss(tf.constant(2.0, tf.float16)).dtype.name,
    }


LAYER_CASES = [
    ["Dense", {"units": 3}, [2, 4], "float32"],
    ["Conv2D", {"filters": 2, "kernel_size": 3}, [1, 5, 5, 2], "float32"],
    ["BatchNormalization", {}, [4, 3], "float32"],
    ["Embedding", {"input_dim": 5, "output_dim": 2}, [2, 3], "int32"],
    ["LayerNormalization", {}, [2, 3], "float32"],
    ["Activation", {"activation": "softmax"}, [2, 3], "float32"],
    ["Activation", {"activation": "softmax", "dtype": "float32"}, [2, 3], "float32"],
    ["Dense", {"units": 3, "dtype": "mixed_float16"}, [2, 4], "float32"],
    ["Dense", {"units": 3, "dtype": "float16"}, [2, 4], "float32"],
    ["Dense", {"units": 3, "dtype": "float64"}, [2, 4], "float32"],
    ["BatchNormalization", {"dtype": "float16"}, [4, 3], "float32"],
]


def layers():
    out = []
    for global_name in ["mixed_float16", "float32"]:
        mp.set_global_policy(global_name)
        for class_name, kwargs, shape, in_dtype in LAYER_CASES:
            layer = getattr(keras.layers, class_name)(**kwargs)
            x = tf.zeros(shape, in_dtype) if in_dtype == "int32" else tf.ones(shape, in_dtype)
            y = layer(x)
            out.append(
                {
                    "global_policy": global_name,
                    "class_name": class_name,
                    "kwargs": kwargs,
                    "input_shape": shape,
                    "input_dtype": in_dtype,
                    "dtype": layer.dtype,
                    "compute_dtype": layer.compute_dtype,
                    "policy": layer.dtype_policy.name,
                    "output_dtype": y.dtype.name,
                    "weights": [[w.name, w.dtype.name] for w in layer.weights],
                    "config_dtype": layer.get_config()["dtype"],
                }
            )
    mp.set_global_policy("float32")
    return out


def dense_forward():
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(4, 3)).astype("float32")
    bias = rng.normal(size=(3,)).astype("float32")
    x = rng.normal(size=(2, 4)).astype("float32")
    layer = keras.layers.Dense(3, activation="relu", dtype="mixed_float16")
    layer.build((None, 4))
    layer.set_weights([kernel, bias])
    y = layer(x)
    w = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.cast(layer(w), tf.float32))
    grads = tape.gradient(loss, [w, layer.kernel])
    return {
        "kernel": kernel.tolist(),
        "bias": bias.tolist(),
        "x": x.tolist(),
        "y": y.numpy().astype("float32").tolist(),
        "y_dtype": y.dtype.name,
        "grad_x": grads[0].numpy().tolist(),
        "grad_x_dtype": grads[0].dtype.name,
        "grad_kernel": grads[1].numpy().tolist(),
        "grad_kernel_dtype": grads[1].dtype.name,
    }


def main():
    fixtures = {
        "policies": policies(),
        "loss_scale": loss_scale(),
        "scaling": scaling(),
        "layers": layers(),
        "dense_forward": dense_forward(),
    }
    FIXTURE.write_text(json.dumps(fixtures, indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
