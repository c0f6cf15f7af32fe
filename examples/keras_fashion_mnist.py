"""Classifies Fashion-MNIST clothing images with a dense Keras network: the demo.

60000 training images of 28x28 pixels (scaled to [0, 1]) go through ``Flatten``,
``Dense(128, activation='relu')`` and ``Dense(10)``, which outputs one logit per
class; ``SparseCategoricalCrossentropy(from_logits=True)`` and the Adam optimizer
train it for 5 epochs with Keras' progress bar. The 10000 test images are then
classified with about 87% accuracy, and the first few are named.

The data comes from ``tf.keras.datasets.fashion_mnist.load_data()``: Debian's
``dataset-fashion-mnist`` package (``sudo apt-get install dataset-fashion-mnist``)
puts the files where it looks first; otherwise it downloads them once.

Run:  python3 examples/keras_fashion_mnist.py
"""

from __future__ import annotations

import time

import numpy as np

import tensorflux as tf

CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def load_data():
    """Train and test images as float32 in [0, 1], with their uint8 labels."""
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    return (x_train / np.float32(255), y_train), (x_test / np.float32(255), y_test)


def build_model():
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def train(train_data, test_data, epochs: int = 5, verbose: int = 1, seed: int = 0):
    """Fits the model; returns it, its History and the test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    model = build_model()
    history = model.fit(*train_data, epochs=epochs, verbose=verbose)
    _, accuracy = model.evaluate(*test_data, verbose=verbose)
    return model, history, accuracy


def main() -> None:
    start = time.perf_counter()
    train_data, test_data = load_data()
    model, _, accuracy = train(train_data, test_data)
    print(f"\nTest accuracy: {accuracy:.4f}  ({time.perf_counter() - start:.1f} s in all)")
    probabilities = tf.nn.softmax(model.predict(test_data[0][:5], verbose=0)).numpy()
    for p, label in zip(probabilities, test_data[1][:5]):
        print(
            f"  {CLASS_NAMES[p.argmax()]:12s} ({100 * p.max():5.1f}%)  truth: {CLASS_NAMES[label]}"
        )


if __name__ == "__main__":
    main()
