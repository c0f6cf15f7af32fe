"""A recurrent network that reads Fashion-MNIST images one pixel row at a time.

Each 28x28 image becomes a sequence of 28 steps with 28 features (one row per step).
``SimpleRNN(50)`` carries a 50-number state down the image, and its last state goes
to ``Dense(10, softmax)``. Adam and sparse categorical cross-entropy train it on pixels
scaled to [0, 1] for 5 epochs in batches of 100; it reaches about 82-85% test accuracy,
below a small CNN's ~90%: a recurrent net sees the rows in order but has no built-in
notion of neighbouring columns.

The data comes from ``tf.keras.datasets.fashion_mnist.load_data()`` (Debian's
``dataset-fashion-mnist`` package, or a download).

Run:  python3 examples/keras_rnn_fashion_rows.py
"""

from __future__ import annotations

import time

import numpy as np

import tensorflux as tf
from tensorflux.keras import layers, models

ROWS, COLUMNS = 28, 28


def load_data():
    """Train and test images as float32 (n, 28, 28) in [0, 1], with their labels."""
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    return ((x_train / np.float32(255)).astype(np.float32), y_train), (
        (x_test / np.float32(255)).astype(np.float32),
        y_test,
    )


def build_model(units: int = 50):
    """SimpleRNN over the rows, then a softmax over the 10 classes."""
    model = models.Sequential()
    model.add(layers.SimpleRNN(units, input_shape=(ROWS, COLUMNS)))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(train_data, test_data, epochs: int = 5, verbose: int = 1, seed: int = 0):
    """Fits the row-reading RNN; returns it, its History and the test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    model = build_model()
    history = model.fit(*train_data, epochs=epochs, batch_size=100, verbose=verbose)
    _, accuracy = model.evaluate(*test_data, verbose=verbose)
    return model, history, accuracy


def main() -> None:
    start = time.perf_counter()
    train_data, test_data = load_data()
    model, _, accuracy = train(train_data, test_data)
    model.summary()
    print(f"\nTest accuracy: {accuracy:.4f}  ({time.perf_counter() - start:.1f} s in all)")


if __name__ == "__main__":
    main()
