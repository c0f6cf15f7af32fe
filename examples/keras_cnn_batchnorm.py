"""Batch normalisation in a CNN, then with Dropout and early stopping as well.

``bn``: the first CNN of ``keras_cnn_fashion_mnist.py`` with a
``BatchNormalization`` after each of the first two convolutions and between a
bias-free ``Dense(64)`` and its ReLU. Trained on the raw uint8 pixels with RMSprop
for 5 epochs, it reaches about 90-91% test accuracy, and each epoch learns more
than without normalisation.

``regularized``: three 'same' 3x3 convolutions of 64 filters, each followed by
``BatchNormalization`` and ``Dropout(0.25)`` (max pooling after the last two), then
a bias-free ``Dense(500)``, normalisation, ReLU, dropout and a softmax layer.
20% of the training images are held out for validation, the pixels are scaled to
[0, 1], and ``EarlyStopping(monitor='val_accuracy', patience=10, mode='max')``
stops training once validation accuracy has not improved for 10 epochs (at most
100; batches of 128). It reaches about 92-93% test accuracy.

The data comes from ``tf.keras.datasets.fashion_mnist.load_data()``.

Run:  python3 examples/keras_cnn_batchnorm.py [bn|regularized]
"""

from __future__ import annotations

import sys

import numpy as np

import tensorflux as tf
from tensorflux.keras import callbacks, layers, models


def load_data():
    """Train and test images as uint8 arrays of shape (n, 28, 28, 1), with labels."""
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    return (x_train[..., np.newaxis], y_train), (x_test[..., np.newaxis], y_test)


def build_bn_model():
    model = models.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    model.add(layers.BatchNormalization())
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.BatchNormalization())
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(64, use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.Activation("relu"))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def build_regularized_model(dense_units: int = 500):
    model = models.Sequential()
    model.add(
        layers.Conv2D(
            64, kernel_size=(3, 3), padding="same", activation="relu", input_shape=(28, 28, 1)
        )
    )
    model.add(layers.BatchNormalization())
    model.add(layers.Dropout(0.25))
    for _ in range(2):
        model.add(layers.Conv2D(64, kernel_size=(3, 3), activation="relu", padding="same"))
        model.add(layers.BatchNormalization())
        model.add(layers.MaxPooling2D())
        model.add(layers.Dropout(0.25))
    model.add(layers.Flatten())
    model.add(layers.Dense(dense_units, use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.Activation("relu"))
    model.add(layers.Dropout(0.25))
    model.add(layers.Dense(10))
    model.add(layers.Activation("softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    return model


def train_bn(train_data, test_data, epochs: int = 5, verbose: int = 1, seed: int = 0):
    """Fits the ``bn`` model; returns it, its History and the test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    model = build_bn_model()
    history = model.fit(*train_data, epochs=epochs, verbose=verbose)
    _, accuracy = model.evaluate(*test_data, verbose=verbose)
    return model, history, accuracy


def train_regularized(
    train_data,
    test_data,
    epochs: int = 100,
    patience: int = 10,
    dense_units: int = 500,
    batch_size: int = 128,
    verbose: int = 1,
    seed: int = 0,
):
    """Fits the ``regularized`` model with early stopping on a 20% validation split;
    returns it, its History and the test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    images, labels = train_data
    order = np.random.default_rng(seed).permutation(len(images))
    n_val = len(images) // 5
    val, fit_part = order[:n_val], order[n_val:]
    scale = np.float32(255)
    model = build_regularized_model(dense_units)
    stop = callbacks.EarlyStopping(
        monitor="val_accuracy", patience=patience, mode="max", verbose=verbose
    )
    history = model.fit(
        images[fit_part] / scale,
        labels[fit_part],
        batch_size=batch_size,
        epochs=epochs,
        validation_data=(images[val] / scale, labels[val]),
        shuffle=True,
        callbacks=[stop],
        verbose=verbose,
    )
    _, accuracy = model.evaluate(test_data[0] / scale, test_data[1], verbose=verbose)
    return model, history, accuracy


def main() -> None:
    way = sys.argv[1] if len(sys.argv) > 1 else "bn"
    train_data, test_data = load_data()
    if way == "bn":
        _, _, accuracy = train_bn(train_data, test_data)
    elif way == "regularized":
        _, history, accuracy = train_regularized(train_data, test_data)
        print(f"Stopped after {len(history.history['loss'])} epochs.")
    else:
        sys.exit(f"unknown model {way!r}: use bn or regularized")
    print(f"Test accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
