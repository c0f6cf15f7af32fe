"""A first convolutional network on Fashion-MNIST, and a look at what its layers see.

Three 3x3 convolutions (32, 64 and 64 filters, ReLU) with 2x2 max pooling between
them turn each 28x28x1 image into a 3x3x64 block of features; ``Flatten``,
``Dense(64, relu)`` and ``Dense(10, softmax)`` classify it. RMSprop and sparse
categorical cross-entropy train it on the raw uint8 pixels (Keras casts them to
float32) for 5 epochs in batches of 64; it classifies about 88-90% of the test
images correctly, against about 87% for a dense network of similar training cost.

Convolutional features keep their spatial layout, so they can be looked at: a
second model, ``Model(inputs=model.input, outputs=[layer.output for layer in
model.layers[:5]])``, shares the trained layers and returns the activations of the
first five layers (three feature-map stacks and two pooled ones) for any image.

The data comes from ``tf.keras.datasets.fashion_mnist.load_data()`` (Debian's
``dataset-fashion-mnist`` package, or a download).

Run:  python3 examples/keras_cnn_fashion_mnist.py
"""

from __future__ import annotations

import time

import numpy as np

import tensorflux as tf
from tensorflux.keras import layers, models


def load_data():
    """Train and test images as uint8 arrays of shape (n, 28, 28, 1), with labels."""
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    return (x_train[..., np.newaxis], y_train), (x_test[..., np.newaxis], y_test)


def build_model():
    model = models.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(train_data, test_data, epochs: int = 5, verbose: int = 1, seed: int = 0):
    """Fits the CNN; returns it, its History and the test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    model = build_model()
    history = model.fit(*train_data, epochs=epochs, batch_size=64, verbose=verbose)
    _, accuracy = model.evaluate(*test_data, verbose=verbose)
    return model, history, accuracy


def activation_model(model):
    """A model returning the outputs of ``model``'s first five layers."""
    layer_outputs = [layer.output for layer in model.layers[:5]]
    return models.Model(inputs=model.input, outputs=layer_outputs)


def main() -> None:
    start = time.perf_counter()
    train_data, test_data = load_data()
    model, _, accuracy = train(train_data, test_data)
    print(f"\nTest accuracy: {accuracy:.4f}  ({time.perf_counter() - start:.1f} s in all)")
    activations = activation_model(model).predict(train_data[0][:10], verbose=0)
    for layer, value in zip(model.layers, activations):
        busiest = value[0].reshape(-1, value.shape[-1]).mean(axis=0).argmax()
        print(
            f"  {layer.name:16s} {str(value.shape):18s} most active channel for image 0: {busiest}"
        )


if __name__ == "__main__":
    main()
