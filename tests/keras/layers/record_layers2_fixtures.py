"""Records reference behaviour of Keras 2 (``tf_keras``) layers — Identity,
GaussianDropout, AlphaDropout, EinsumDense, GroupNormalization and others — into
``tests/keras/fixtures/layers2.json``.

Run it where TensorFlow and tf_keras are installed (the tests never import them)::

    /path/to/tf-venv/bin/python tests/keras/layers/record_layers2_fixtures.py

Each case seeds with ``tf_keras.utils.set_random_seed``, builds a layer from
``kwargs`` on recorded inputs, and records its initial weights (names, shapes,
values: the seeded initializers' draws), its outputs for each ``training`` value
asked for (the random layers' draws), the weights after those calls, and its config.
Cases with ``errors`` record the exception type and message of building the layer.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "layers2.json"

rng = np.random.default_rng(7)


def normal(*shape):
    return rng.normal(size=shape).round(4).astype("float32")


# name: (layer class, kwargs, inputs, training values, seed)
CASES = {
    "identity": ("Identity", {}, normal(2, 3), [None], 1),
    "gaussian_dropout_seeded": (
        "GaussianDropout",
        {"rate": 0.3, "seed": 5},
        normal(3, 4),
        [True, True, False],
        1,
    ),
    "gaussian_dropout_global": ("GaussianDropout", {"rate": 0.5}, normal(2, 3, 2), [True, True], 3),
    "gaussian_dropout_rate0": ("GaussianDropout", {"rate": 0.0}, normal(2, 3), [True], 3),
    "alpha_dropout_seeded": (
        "AlphaDropout",
        {"rate": 0.4, "seed": 2},
        normal(3, 5),
        [True, True, False],
        1,
    ),
    "alpha_dropout_global": ("AlphaDropout", {"rate": 0.2}, normal(4, 3), [True], 4),
    "alpha_dropout_noise_shape": (
        "AlphaDropout",
        {"rate": 0.5, "noise_shape": [3, 1], "seed": 1},
        normal(3, 4),
        [True],
        1,
    ),
}

# name: (layer class, kwargs, input shape): the error of building on that shape.
ERRORS = {}


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _weights(layer):
    return [
        {
            "name": w.name,
            "shape": list(w.shape),
            "trainable": bool(w.trainable),
            "value": w.numpy().tolist(),
        }
        for w in layer.weights
    ]


def main():
    import tensorflow as tf
    import tf_keras

    out = {"cases": {}, "errors": {}}
    for name, (cls, kwargs, x, trainings, seed) in CASES.items():
        tf_keras.utils.set_random_seed(seed)
        layer = getattr(tf_keras.layers, cls)(**kwargs)
        inputs = tf.constant(x)
        layer.build(inputs.shape)
        initial = _weights(layer)
        outputs = []
        for training in trainings:
            if training is None:
                y = layer(inputs)
            else:
                y = layer(inputs, training=training)
            outputs.append(np.asarray(y).tolist())
        out["cases"][name] = {
            "cls": cls,
            "kwargs": kwargs,
            "seed": seed,
            "input": x.tolist(),
            "input_dtype": str(x.dtype),
            "training": trainings,
            "outputs": outputs,
            "initial_weights": initial,
            "final_weights": _weights(layer),
            "config": _jsonable({k: v for k, v in layer.get_config().items() if k != "name"}),
        }
    for name, (cls, kwargs, shape) in ERRORS.items():
        try:
            getattr(tf_keras.layers, cls)(**kwargs).build(tf.TensorShape(shape))
        except Exception as e:  # noqa: BLE001 - every error type is what is recorded
            out["errors"][name] = {
                "cls": cls,
                "kwargs": kwargs,
                "shape": shape,
                "type": type(e).__name__,
                "message": str(e),
            }
        else:
            raise RuntimeError(f"{name}: no error")
    FIXTURE.write_text(json.dumps(out, indent=None, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
