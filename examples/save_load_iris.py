"""Saves the iris classifier, its weights, and loads both back.

The lecture notes end their iris program with "we can save weights too" and
``keras_model.save(...)`` / ``keras.models.load_model(...)``. Here the trained model
of ``keras_iris.py`` is saved whole into the SavedModel folder ``IrisModel`` (as the
notes do: config, weights, compile settings and optimizer state, in the layout
TensorFlow reads), as ``IrisModel.keras`` (the same in one zip) and its weights alone
as ``iris.weights.h5``; a fresh, untrained copy of the
architecture takes the weights back. Both reloaded models classify the test
flowers exactly as the trained one does.

Run:  python3 examples/save_load_iris.py [folder]   (default: a temporary folder)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

import tensorflux as tf

sys.path.insert(0, str(Path(__file__).resolve().parent))

import keras_iris  # noqa: E402


def save_and_reload(folder: str, epochs: int = 10):
    """Trains the iris model and saves it three ways; returns the trained model, the
    models reloaded from the folder and from the zip, the fresh model given the saved
    weights and the test split."""
    keras_model, _, (x_test, y_test) = keras_iris.train(epochs=epochs, verbose=0)
    folder_path = os.path.join(folder, "IrisModel")
    zip_path = os.path.join(folder, "IrisModel.keras")
    weights_path = os.path.join(folder, "iris.weights.h5")
    keras_model.save(folder_path)
    keras_model.save(zip_path)
    keras_model.save_weights(weights_path)

    model2 = tf.keras.models.load_model(folder_path)
    model3 = tf.keras.models.load_model(zip_path)
    fresh = keras_iris.build_model()
    fresh.build((None, 4))
    fresh.load_weights(weights_path)
    return keras_model, model2, model3, fresh, (x_test, y_test)


def main(folder: str) -> None:
    keras_model, model2, model3, fresh, (x_test, y_test) = save_and_reload(folder)
    expected = keras_model.predict(x_test, verbose=0)
    for name, model in (("folder", model2), (".keras", model3), ("load_weights", fresh)):
        same = np.array_equal(model.predict(x_test, verbose=0), expected)
        print(f"{name:12s} predicts identically: {same}")
    _, accuracy = model2.evaluate(x_test, y_test, verbose=0)
    print(f"reloaded model's test accuracy: {accuracy:.1%}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1])
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(tmp)
