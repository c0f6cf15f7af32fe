"""Serving a trained model from a SavedModel directory.

A one-neuron regression learns y = 3x - 1 from a few points, is exported with
``tf.saved_model.save``, loaded back with ``tf.saved_model.load`` and called through
its ``serving_default`` signature, which takes the input layer's name as a keyword and
returns a dict keyed by the output layer's name.
"""

import tempfile

import numpy as np

import tensorflux as tf


def train():
    """A Dense(1) model fitted to y = 3x - 1."""
    tf.keras.utils.set_random_seed(7)
    xs = np.arange(-4, 5, dtype="float32").reshape(-1, 1)
    ys = 3.0 * xs - 1.0
    model = tf.keras.Sequential(
        [tf.keras.Input((1,), name="x"), tf.keras.layers.Dense(1, name="y")]
    )
    model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="mse")
    model.fit(xs, ys, epochs=200, verbose=0)
    return model


def export_and_serve(model, export_dir):
    """Saves ``model`` to ``export_dir`` and predicts through the loaded signature."""
    tf.saved_model.save(model, export_dir)
    loaded = tf.saved_model.load(export_dir)
    serve = loaded.signatures[tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
    outputs = serve(x=tf.constant([[10.0], [0.5]]))
    return outputs


def main():
    model = train()
    with tempfile.TemporaryDirectory() as tmp:
        outputs = export_and_serve(model, f"{tmp}/regression/1")
    print("signature outputs:", sorted(outputs))
    print("y(10), y(0.5) =", np.round(outputs["y"].numpy().ravel(), 2))


if __name__ == "__main__":
    main()
