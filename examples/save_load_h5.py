"""Saves a small regression network to an HDF5 file and loads it back.

The lecture notes' "save the model" step: a 3-2-4-2 network (ReLU, ReLU, linear)
learns two functions of three inputs with plain SGD on mean squared error, is saved
with ``model.save('my-model.h5')`` and reloaded with
``tf.keras.models.load_model``. The reloaded model predicts exactly what the
original does, and comes back compiled: same loss, same optimizer (with its step
count), so ``evaluate`` and further training work at once. The file is tf-keras's
HDF5 layout, which TensorFlow's own Keras opens too.

Run:  python3 examples/save_load_h5.py [folder]   (default: a temporary folder)
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings

import numpy as np

import tensorflux as tf


def make_data(n: int = 1000, seed: int = 0):
    """Inputs in [-1, 1]^3 and two targets: their sum and the first minus the last."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, 3)).astype("float32")
    y = np.stack([x.sum(axis=1), x[:, 0] - x[:, 2]], axis=1).astype("float32")
    return x, y


def build_model():
    model = tf.keras.models.Sequential()
    model.add(tf.keras.layers.Dense(units=2, activation="relu", input_dim=3))
    model.add(tf.keras.layers.Dense(units=4, activation="relu"))
    model.add(tf.keras.layers.Dense(units=2, activation="linear"))
    model.compile(loss="mean_squared_error", optimizer="sgd", metrics=["mean_squared_error"])
    return model


def train_save_and_reload(folder: str, epochs: int = 10, seed: int = 1):
    """Trains, saves ``my-model.h5`` in ``folder`` and reloads it: returns
    ``(model, reloaded, path)``."""
    tf.keras.utils.set_random_seed(seed)
    x_train, y_train = make_data()
    model = build_model()
    model.fit(x_train, y_train, epochs=epochs, batch_size=100, verbose=0)
    path = os.path.join(folder, "my-model.h5")
    with warnings.catch_warnings():
        # "HDF5 is a legacy format": the notes chose it; `.keras` is the modern one.
        warnings.simplefilter("ignore")
        model.save(path)
    return model, tf.keras.models.load_model(path), path


def main(folder: str) -> None:
    model, reloaded, path = train_save_and_reload(folder)
    sample = np.expand_dims([1, 1, 1], 0).astype("float32")
    before = model.predict(sample, verbose=0)
    after = reloaded.predict(sample, verbose=0)
    x_test, y_test = make_data(200, seed=1)
    print(f"saved {os.path.basename(path)} ({os.path.getsize(path):,} bytes)")
    print(f"prediction for [1, 1, 1] before saving: {before[0].round(4)}")
    print(f"prediction after reloading:             {after[0].round(4)}")
    print(f"reloaded model predicts identically: {bool(np.array_equal(before, after))}")
    print(
        f"reloaded optimizer: {type(reloaded.optimizer).__name__}, "
        f"{int(reloaded.optimizer.iterations.numpy())} steps taken"
    )
    loss, _ = reloaded.evaluate(x_test, y_test, verbose=0)
    print(f"test mean squared error of the reloaded model: {loss:.4f}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1])
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(tmp)
