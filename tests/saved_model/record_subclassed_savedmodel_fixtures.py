"""Records what real tf-keras 2.21 makes of tensorflux SavedModels of subclassed models
and of models holding custom layers (``tests/fixtures/savedmodels/tf_keras_calls_ours.json``).

Run with a Python that has TensorFlow 2.21 and tf-keras 2.21::

    python tests/saved_model/record_subclassed_savedmodel_fixtures.py

The models of ``subclassed_models.py`` are built, compiled, trained one step and saved
with tensorflux (imported from this checkout), then loaded with
``tf_keras.models.load_model``, which cannot rebuild them from their config and revives
them from the SavedModel's functions. Recorded per model: our ``predict``,
``evaluate`` and call in training mode, and tf-keras' ``predict``, ``__call__`` (also in
training mode where the model's call differs), ``evaluate``, the revived model's class
name and type, its trainable weights' shapes, and the ``serving_default`` signature run
by ``tf.saved_model.load``; or the error if a step fails.
"""

import json
import os
import pathlib
import sys
import tempfile
import traceback

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "tests" / "fixtures" / "savedmodels" / "tf_keras_calls_ours.json"
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import tensorflux  # noqa: E402
from tests.saved_model import subclassed_models  # noqa: E402


def _ours(tmp):
    y = subclassed_models.targets()
    out = {}
    for name, model in subclassed_models.build_models(tensorflux)[0].items():
        model.save(os.path.join(tmp, name))
        x = subclassed_models.model_inputs(name)
        call_x = subclassed_models.call_inputs(name)
        out[name] = {
            "predict": model.predict(x, verbose=0).tolist(),
            "evaluate": model.evaluate(x, y, verbose=0),
            "call_training": model(call_x, training=True).numpy().tolist(),
            "trainable_weight_shapes": [list(w.shape) for w in model.trainable_weights],
        }
    return out


def _theirs(path, name):
    import tensorflow as tf
    import tf_keras

    x, y = subclassed_models.model_inputs(name), subclassed_models.targets()
    call_x = subclassed_models.call_inputs(name)
    record = {}
    try:
        model = tf_keras.models.load_model(path)
        record["class_name"] = model.__class__.__name__
        record["type"] = f"{type(model).__module__}.{type(model).__qualname__}"
        record["trainable_weight_shapes"] = [w.shape.as_list() for w in model.trainable_weights]
        record["predict"] = model.predict(x, verbose=0).tolist()
        record["call"] = model(call_x).numpy().tolist()
        record["evaluate"] = model.evaluate(x, y, verbose=0)
        if name == "subclassed_training_arg":
            record["call_training"] = model(call_x, training=True).numpy().tolist()
        loaded = tf.saved_model.load(path)
        serve = loaded.signatures["serving_default"]
        keys = sorted(serve.structured_input_signature[1])
        (output,) = serve(**dict(zip(keys, tf.nest.flatten(x)))).values()
        record["signature"] = output.numpy().tolist()
        record["ok"] = True
    except Exception:  # noqa: BLE001 - the failure is the recorded result
        record["ok"] = False
        record["error"] = traceback.format_exc(limit=3)
    return record


def main():
    with tempfile.TemporaryDirectory() as tmp:
        ours = _ours(tmp)
        results = {
            name: {"ours": o, "tf_keras": _theirs(os.path.join(tmp, name), name)}
            for name, o in ours.items()
        }
    fixture = {
        "inputs": subclassed_models.inputs().tolist(),
        "extra_inputs": subclassed_models.model_inputs("subclassed_two_inputs")[1].tolist(),
        "targets": subclassed_models.targets().tolist(),
        "numpy": np.__version__,
        "models": results,
    }
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    for name, r in results.items():
        print(name, "ok" if r["tf_keras"]["ok"] else r["tf_keras"]["error"])


if __name__ == "__main__":
    main()
