"""A dense autoencoder squeezes Fashion-MNIST images through 32 numbers and back.

``Sequential``: ``Flatten(input_shape=(28, 28))``, ``Dense(784, relu)``, the
32-unit encoded layer ``Dense(32, relu)``, the decoded layer ``Dense(784,
sigmoid)`` and ``Reshape((28, 28))``. It is trained to reproduce its input
(``fit(x_train, x_train)``) with the binary cross-entropy for 5 epochs in batches
of 128. (The notes compile with ``optimizer='adadelata'``, a typo that Keras
rejects; Adam is used here, as Keras' Adadelta at its default rate learns little in
5 epochs.) The encoder half is then a model of its own, ``Model(model.input,
model.layers[2].output)``, giving each image's 32-number code.

Needs the Fashion-MNIST files (Debian's ``dataset-fashion-mnist`` package, or a
network connection).

Run:  python3 examples/keras_autoencoder.py
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tensorflux.keras import layers, models


def load_data():
    """Fashion-MNIST images as float32 in [0, 1]; the labels are not needed."""
    (x_train, _), (x_test, _) = tf.keras.datasets.fashion_mnist.load_data()
    return x_train.astype("float32") / 255.0, x_test.astype("float32") / 255.0


def build_model(code_size: int = 32, optimizer="adam"):
    model = models.Sequential()
    model.add(layers.Flatten(input_shape=(28, 28)))
    model.add(layers.Dense(units=784, activation="relu"))
    model.add(layers.Dense(units=code_size, activation="relu"))  # encoded
    model.add(layers.Dense(units=784, activation="sigmoid"))
    model.add(layers.Reshape((28, 28)))  # decoded
    model.compile(optimizer=optimizer, loss="binary_crossentropy")
    return model


def train(x_train, epochs: int = 5, batch_size: int = 128, verbose: int = 1, seed: int = 0):
    """Fits the autoencoder to reproduce ``x_train``; returns it and its History."""
    tf.keras.utils.set_random_seed(seed)
    model = build_model()
    history = model.fit(x_train, x_train, epochs=epochs, batch_size=batch_size, verbose=verbose)
    return model, history


def encoder_of(model):
    """The first half as a functional model: image -> 32-number code."""
    return models.Model(model.input, model.layers[2].output)


def main() -> None:
    x_train, x_test = load_data()
    model, _ = train(x_train)
    decoded_images = model.predict(x_test, verbose=0)
    error = np.abs(decoded_images - x_test).mean(axis=(1, 2))
    print(
        f"test reconstruction loss {model.evaluate(x_test, x_test, verbose=0):.4f}; "
        f"mean absolute pixel error {error.mean():.4f} (an all-grey guess: "
        f"{np.abs(x_test - x_test.mean()).mean():.4f})"
    )
    codes = encoder_of(model).predict(x_test[:3], verbose=0)
    print("codes of the first 3 test images, shape", codes.shape)
    for i in range(3):
        print(f"  image {i}: pixel error {error[i]:.4f}, code starts {codes[i, :5].round(2)}")


if __name__ == "__main__":
    main()
