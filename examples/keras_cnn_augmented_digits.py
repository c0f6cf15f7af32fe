"""A digit CNN that also reads rotated, shifted and colour-inverted digits.

A network trained on white-on-black digits fails on black-on-white ones and on
digits that are turned or off-centre. This program trains on augmented data:

- ``make_datasets``: a ``tf.data`` pipeline scales the uint8 digits to [0, 1], resizes
  them from 28x28 to 32x32 with ``tf.image.resize`` inside ``map``, and appends an
  inverted copy of every image (``1 - x``) with ``concatenate``; then shuffles and
  batches. The test set gets the same treatment, so half of it is inverted.
- ``build_model``: ``RandomRotation(0.08)`` (about +-30 degrees) and
  ``RandomTranslation(0.1, 0.1)`` turn and shift each training image afresh every
  epoch (they do nothing at evaluation), then two 3x3 convolutions with max pooling,
  ``Dense(64, relu)`` and ``Dense(10, softmax)``; Adam, sparse cross-entropy.

Data: ``mnist`` (``tf.keras.datasets.mnist``, read or downloaded into Keras' cache),
``fashion`` (Fashion-MNIST), or ``generated``: seven-segment digits drawn here with
random stroke widths, sizes and positions (no download). On the generated digits
the default 3 epochs reach about 97% on the half-inverted test set (96.6% measured).

Run:  python3 examples/keras_cnn_augmented_digits.py [generated|mnist|fashion] [epochs]
"""

from __future__ import annotations

import sys

import numpy as np

import tensorflux as tf
from tensorflux.keras import layers

SIZE = 32

# Which of the seven segments (top, upper left, upper right, middle, lower left,
# lower right, bottom) each digit lights.
SEGMENTS = {
    0: "1110111",
    1: "0010010",
    2: "1011101",
    3: "1011011",
    4: "0111010",
    5: "1101011",
    6: "1101111",
    7: "1010010",
    8: "1111111",
    9: "1111011",
}


def _draw(digit: int, rng) -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    width, height = rng.integers(8, 13), rng.integers(14, 21)
    left, top = rng.integers(4, 28 - width - 3), rng.integers(3, 28 - height - 2)
    stroke = rng.integers(2, 4)
    mid = top + height // 2
    right, bottom = left + width, top + height
    bars = [
        (top, top + stroke, left, right),  # top
        (top, mid, left, left + stroke),  # upper left
        (top, mid, right - stroke, right),  # upper right
        (mid - stroke // 2, mid - stroke // 2 + stroke, left, right),  # middle
        (mid, bottom, left, left + stroke),  # lower left
        (mid, bottom, right - stroke, right),  # lower right
        (bottom - stroke, bottom, left, right),  # bottom
    ]
    for lit, (r0, r1, c0, c1) in zip(SEGMENTS[digit], bars):
        if lit == "1":
            image[r0:r1, c0:c1] = 1.0
    noise = rng.normal(0, 0.1, image.shape)
    return np.clip(image * rng.uniform(0.7, 1.0) + noise, 0, 1)


def generated_digits(n: int, seed: int = 0):
    """``n`` seven-segment digits as uint8 images (n, 28, 28, 1) and int labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = np.stack([_draw(int(d), rng) for d in labels])
    return (images[..., None] * 255).astype(np.uint8), labels.astype(np.int64)


def load_data(name: str = "generated"):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 28, 28, 1)."""
    if name == "generated":
        return generated_digits(6000, seed=0), generated_digits(1000, seed=1)
    source = tf.keras.datasets.mnist if name == "mnist" else tf.keras.datasets.fashion_mnist
    (x_train, y_train), (x_test, y_test) = source.load_data()
    return (x_train[..., None], y_train), (x_test[..., None], y_test)


def scale_and_resize(image, label):
    """uint8 28x28 -> float32 in [0, 1], resized to SIZE x SIZE."""
    image = tf.cast(image, tf.float32) / 255.0
    return tf.image.resize(image, [SIZE, SIZE]), label


def invert(image, label):
    """Black digits on white."""
    return 1.0 - image, label


def make_datasets(train_data, test_data, batch_size: int = 64, seed: int = 0):
    """Training and test batches: every image resized, plus an inverted copy of it."""

    def pipeline(data):
        ds = tf.data.Dataset.from_tensor_slices(data).map(scale_and_resize)
        return ds.concatenate(ds.map(invert))

    ds_train = pipeline(train_data).shuffle(2 * len(train_data[0]), seed=seed)
    return ds_train.batch(batch_size), pipeline(test_data).batch(batch_size)


def build_model(seed: int = 0):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((SIZE, SIZE, 1)),
            layers.RandomRotation(0.08, fill_mode="nearest", seed=seed),
            layers.RandomTranslation(0.1, 0.1, fill_mode="nearest", seed=seed + 1),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(train_data, test_data, epochs: int = 3, verbose: int = 1, seed: int = 0):
    """Fits the augmented CNN; returns the model, its History and the test accuracy
    (on the test images and their inverted copies)."""
    tf.keras.utils.set_random_seed(seed)
    model = build_model(seed)
    ds_train, ds_test = make_datasets(train_data, test_data, seed=seed)
    history = model.fit(ds_train, epochs=epochs, verbose=verbose)
    _, accuracy = model.evaluate(ds_test, verbose=verbose)
    return model, history, accuracy


def main() -> None:
    data = sys.argv[1] if len(sys.argv) > 1 else "generated"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    if data not in ("generated", "mnist", "fashion"):
        sys.exit("usage: keras_cnn_augmented_digits.py [generated|mnist|fashion] [epochs]")
    _, _, accuracy = train(*load_data(data), epochs=epochs)
    print(f"Test accuracy (half the test images inverted): {accuracy:.4f}")


if __name__ == "__main__":
    main()
