"""Handwritten digits with 5x5 'same' convolutions fed by tf.data, and a subclassed CNN.

``sequential``: four 5x5 convolutions with 'same' padding (16, 32, 64 and 128
filters, ReLU), each followed by a 2x2 max pooling with stride 2 and 'same'
padding, take a 28x28x1 digit down to a 2x2x128 block; ``Flatten``,
``Dense(128, relu)``, ``Dropout(0.4)`` and ``Dense(10, softmax)`` classify it.
The images flow through a ``tf.data`` pipeline: ``map`` scales them to [0, 1] as
float32, ``shuffle(1000)`` and ``batch(128)``. Compiled with Keras' default
optimizer (RMSprop), 2 epochs reach about 98-99% test accuracy on MNIST.

``subclassed``: a ``tf.keras.Model`` subclass whose ``__init__`` creates
``Conv2D(32, 3, relu)``, ``Flatten``, ``Dense(128, relu)`` and
``Dense(10, softmax)`` and whose ``call`` chains them, compiled with Adam and
trained the same way (about 98% on MNIST).

The digits come from ``tf.keras.datasets.mnist.load_data()``, which reads or
downloads ``mnist.npz`` in Keras' cache; ``fashion`` as a second argument uses
Fashion-MNIST instead (about 90% and 89%).

Run:  python3 examples/keras_cnn_digits.py [sequential|subclassed] [mnist|fashion]
"""

from __future__ import annotations

import sys

import tensorflux as tf
from tensorflux.keras import layers


def load_data(name: str = "mnist"):
    """``(x_train, y_train), (x_test, y_test)`` as uint8 images of shape (n, 28, 28, 1)."""
    source = tf.keras.datasets.mnist if name == "mnist" else tf.keras.datasets.fashion_mnist
    (x_train, y_train), (x_test, y_test) = source.load_data()
    return (x_train[..., None], y_train), (x_test[..., None], y_test)


def normalize_img(image, label):
    """Pixels from uint8 to float32 in [0, 1]."""
    return tf.cast(image, tf.float32) / 255.0, label


def make_datasets(train_data, test_data, batch_size: int = 128):
    """Shuffled training batches and test batches of normalised images."""
    ds_train = tf.data.Dataset.from_tensor_slices(train_data).map(normalize_img)
    ds_train = ds_train.shuffle(1000).batch(batch_size)
    ds_test = tf.data.Dataset.from_tensor_slices(test_data).map(normalize_img)
    return ds_train, ds_test.batch(batch_size)


def build_sequential():
    model = tf.keras.models.Sequential()
    for filters in (16, 32, 64, 128):
        model.add(
            layers.Conv2D(filters=filters, kernel_size=5, padding="same", activation=tf.nn.relu)
        )
        model.add(layers.MaxPool2D((2, 2), (2, 2), padding="same"))
    model.add(layers.Flatten())
    model.add(layers.Dense(128, activation="relu"))
    model.add(layers.Dropout(0.4))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class DigitsCNN(tf.keras.Model):
    """One convolution and two dense layers, wired in ``call``."""

    def __init__(self):
        super().__init__()
        self.conv1 = layers.Conv2D(32, 3, activation="relu")
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(128, activation="relu")
        self.d2 = layers.Dense(10, activation="softmax")

    def call(self, x):
        x = self.conv1(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


def build_subclassed():
    model = DigitsCNN()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(way: str, train_data, test_data, epochs: int = 2, verbose: int = 1, seed: int = 0):
    """Fits the ``sequential`` or ``subclassed`` CNN through tf.data; returns the model,
    its History and the test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    model = build_sequential() if way == "sequential" else build_subclassed()
    ds_train, ds_test = make_datasets(train_data, test_data)
    history = model.fit(ds_train, epochs=epochs, verbose=verbose)
    _, accuracy = model.evaluate(ds_test, verbose=verbose)
    return model, history, accuracy


def main() -> None:
    way = sys.argv[1] if len(sys.argv) > 1 else "sequential"
    data = sys.argv[2] if len(sys.argv) > 2 else "mnist"
    if way not in ("sequential", "subclassed") or data not in ("mnist", "fashion"):
        sys.exit("usage: keras_cnn_digits.py [sequential|subclassed] [mnist|fashion]")
    _, _, accuracy = train(way, *load_data(data))
    print(f"Test accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
