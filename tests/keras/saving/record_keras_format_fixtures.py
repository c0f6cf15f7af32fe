"""Records the Keras file-format interop fixtures (run with TensorFlow's Python:
``/path/to/tf-venv/bin/python tests/keras/saving/record_keras_format_fixtures.py``).

1. tf-keras 2.21 and Keras 3 save the models of ``format_models`` (seeded weights, one
   epoch of training so that the optimizer has state) as tf-keras ``.h5`` and
   ``.keras`` and Keras 3 ``.keras`` and ``.h5`` (and the two-branch model's
   ``save_weights`` to ``.weights.h5``); their predictions on a fixed batch go to
   ``predictions.json``.
2. tensorflux (run as a subprocess with the ``python3`` on PATH) saves the same models
   in its ``.h5`` and ``.keras``; tf-keras loads both and Keras 3 the ``.h5`` (Keras 3
   reads no tf-keras ``.keras`` file, ours included), and their predictions and
   optimizer step counts go to ``reverse.json`` beside our predictions.
3. tf-keras saves a model with a Lambda layer whose code would create a file, for the
   safe-mode tests (``lambda.tfk.keras`` and ``lambda.tfk.h5``).

The tests read the files and JSON and never import TensorFlow.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
OUT = os.path.join(ROOT, "tests", "fixtures", "keras_formats")
sys.path.insert(0, HERE)
LAMBDA_MARKER = "lambda_layer_code_ran"

import format_models  # noqa: E402


def _save_theirs(keras, tag, predictions, models, weights):
    for name, build in models.items():
        model = build(keras)
        format_models.set_seeded_weights(model)
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=format_models.LOSSES[name]
        )
        x, y = format_models.data(name)
        model.fit(x, y, epochs=1, batch_size=4, verbose=0, shuffle=False)
        # The .keras first: Keras 3's legacy .h5 save drops the optimizer from the
        # model's compile config.
        model.save(os.path.join(OUT, f"{name}.{tag}.keras"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.save(os.path.join(OUT, f"{name}.{tag}.h5"))
        value = model.predict(x, verbose=0).tolist()
        predictions[f"{name}.{tag}.h5"] = predictions[f"{name}.{tag}.keras"] = value
        if name == "two_branch":
            model.save_weights(os.path.join(OUT, f"{name}.{tag}.weights.h5"))
            weights[f"{name}.{tag}.weights.h5"] = value


def _save_lambda_models(tf_keras):
    """A tf-keras model whose Lambda layer would create the file ``LAMBDA_MARKER`` in the
    working directory if its code ever ran, saved as ``.keras`` and ``.h5``."""

    def touch(x, path=LAMBDA_MARKER):
        open(path, "w").close()
        return x

    model = tf_keras.Sequential(
        [tf_keras.Input(shape=(2,)), tf_keras.layers.Lambda(touch), tf_keras.layers.Dense(1)]
    )
    model.save(os.path.join(OUT, "lambda.tfk.keras"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(os.path.join(OUT, "lambda.tfk.h5"))
    os.remove(LAMBDA_MARKER)  # building the model ran it once, here


def _load_ours(tf_keras, keras3):
    env = dict(os.environ, PYTHONPATH=ROOT)
    subprocess.run(
        ["python3", os.path.join(HERE, "make_our_format_files.py"), OUT], check=True, env=env
    )
    with open(os.path.join(OUT, "ours_predictions.json")) as f:
        ours = json.load(f)
    os.remove(os.path.join(OUT, "ours_predictions.json"))
    reverse = {}
    for name in ours:
        x, _ = format_models.data(name)
        entry = {"tensorflux": ours[name]}
        readers = [(".h5", tf_keras, "tf_keras_h5"), (".keras", tf_keras, "tf_keras_keras")]
        if name in format_models.MODELS:
            readers.append((".h5", keras3, "keras3_h5"))
        for suffix, loader, key in readers:
            model = loader.models.load_model(os.path.join(OUT, f"{name}.ours{suffix}"))
            entry[key] = model.predict(x, verbose=0).tolist()
            entry[key + "_iterations"] = int(model.optimizer.iterations.numpy())
        reverse[name] = entry
        for suffix in (".h5", ".keras"):
            # Only what TensorFlow made of them is kept: the tests write ours anew.
            os.remove(os.path.join(OUT, f"{name}.ours{suffix}"))
    return reverse


def main():
    import keras
    import tf_keras

    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    predictions = {}
    weights = {}
    _save_theirs(
        tf_keras,
        "tfk",
        predictions,
        {**format_models.MODELS, **format_models.TF_KERAS_ONLY},
        weights,
    )
    _save_theirs(keras, "k3", predictions, format_models.MODELS, weights)
    _save_lambda_models(tf_keras)
    with open(os.path.join(OUT, "predictions.json"), "w") as f:
        json.dump(
            {
                "versions": {"tf_keras": tf_keras.__version__, "keras": keras.__version__},
                "predictions": predictions,
                "weights_only": weights,
            },
            f,
        )
    with open(os.path.join(OUT, "reverse.json"), "w") as f:
        json.dump(_load_ours(tf_keras, keras), f)


if __name__ == "__main__":
    main()
