"""Records TensorFlow 2.21's public names, per module, into the package.

Run with TensorFlow 2.21 and tf_keras 2.21 installed (``tf.keras`` is then Keras 2):

    python tests/record_tf_names.py

It writes ``tensorflux/framework/tf_public_names.json``: ``{"tf.math": ["abs", ...], ...}``. The
package reads it only when an attribute lookup fails, to say that a TensorFlow name
is not implemented yet (``tensorflux.framework.tf_names``).
"""

import json
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import tensorflow as tf  # noqa: E402

MODULES = [
    "tf",
    "tf.math",
    "tf.nn",
    "tf.linalg",
    "tf.random",
    "tf.errors",
    "tf.bitwise",
    "tf.debugging",
    "tf.autograph",
    "tf.keras",
    "tf.keras.layers",
    "tf.keras.losses",
    "tf.keras.metrics",
    "tf.keras.optimizers",
    "tf.keras.optimizers.schedules",
    "tf.keras.callbacks",
    "tf.keras.models",
    "tf.keras.utils",
    "tf.keras.backend",
    "tf.keras.initializers",
    "tf.keras.regularizers",
    "tf.keras.constraints",
    "tf.keras.activations",
    "tf.keras.datasets",
    "tf.keras.preprocessing",
    "tf.keras.applications",
    "tf.keras.mixed_precision",
    "tf.data",
    "tf.io",
    "tf.train",
    "tf.image",
    "tf.strings",
    "tf.sparse",
    "tf.signal",
    "tf.summary",
    "tf.saved_model",
    "tf.distribute",
    "tf.config",
    "tf.dtypes",
    "tf.nest",
    "tf.autodiff",
    "tf.experimental",
]

OUT = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "tensorflux",
    "framework",
    "tf_public_names.json",
)


def _module(path: str):
    obj = tf
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def main():
    names = {
        path: sorted(n for n in dir(_module(path)) if not n.startswith("_")) for path in MODULES
    }
    with open(OUT, "w") as f:
        f.write('{"tensorflow": ' + json.dumps(tf.__version__) + ",\n")
        for i, path in enumerate(MODULES):
            sep = "," if i < len(MODULES) - 1 else ""
            f.write(json.dumps(path) + ": " + json.dumps(names[path]) + sep + "\n")
        f.write("}\n")
    print(f"{sum(map(len, names.values()))} names in {len(names)} modules -> {OUT}")


if __name__ == "__main__":
    main()
