"""Training a small CNN from a folder of image files, with augmentation layers.

The folder is made here: three classes of 40x40 pictures (a filled disc, a hollow
square, a diagonal cross) drawn at random sizes, positions and colours over noise,
saved half as PNG and half as JPEG into ``<folder>/<class>/``, the layout Keras expects.

``tf.keras.utils.image_dataset_from_directory`` lists the files, takes a seeded 20%
for validation, decodes and resizes them to 32x32 in batches; the model starts with
``Rescaling``, ``RandomFlip`` and ``RandomRotation`` (active only while fitting), then
two convolution blocks and a dense head. A few epochs on 300 pictures classify the
validation pictures well above chance (1/3).

Run:  python3 examples/keras_images_from_directory.py [folder]
"""

from __future__ import annotations

import os
import sys
import tempfile

import numpy as np

import tensorflux as tf
from tensorflux.keras import layers

CLASSES = ("cross", "disc", "square")
IMAGE_SIZE = (32, 32)


def _picture(kind: str, rng) -> np.ndarray:
    """One 40x40 RGB uint8 picture of ``kind`` on a noisy background."""
    size = 40
    rows, cols = np.mgrid[0:size, 0:size]
    centre = rng.uniform(14, 26, 2)
    radius = rng.uniform(7, 12)
    dy, dx = rows - centre[0], cols - centre[1]
    if kind == "disc":
        mask = dy**2 + dx**2 <= radius**2
    elif kind == "square":
        edge = np.maximum(np.abs(dy), np.abs(dx))
        mask = (edge <= radius) & (edge >= radius - 3)
    else:
        mask = ((np.abs(dy - dx) <= 2) | (np.abs(dy + dx) <= 2)) & (
            np.maximum(np.abs(dy), np.abs(dx)) <= radius
        )
    background = rng.normal(110, 25, (size, size, 3))
    colour = rng.uniform(150, 255, 3)
    picture = np.where(mask[..., None], colour, background)
    return np.clip(picture, 0, 255).astype(np.uint8)


def make_folder(root: str, per_class: int = 100, seed: int = 0) -> str:
    """Writes ``per_class`` pictures of each class under ``root/<class>/``."""
    rng = np.random.default_rng(seed)
    for kind in CLASSES:
        os.makedirs(os.path.join(root, kind), exist_ok=True)
        for i in range(per_class):
            data = _picture(kind, rng)
            if i % 2:
                encoded = tf.io.encode_jpeg(data, quality=90)
                name = f"{kind}_{i:03d}.jpg"
            else:
                encoded = tf.io.encode_png(data)
                name = f"{kind}_{i:03d}.png"
            tf.io.write_file(os.path.join(root, kind, name), encoded)
    return root


def load(root: str, batch_size: int = 32, seed: int = 123):
    """The (training, validation) datasets and the class names."""
    train_ds, val_ds = tf.keras.utils.image_dataset_from_directory(
        root,
        validation_split=0.2,
        subset="both",
        seed=seed,
        image_size=IMAGE_SIZE,
        batch_size=batch_size,
    )
    return train_ds, val_ds, train_ds.class_names


def build_model(num_classes: int):
    augmentation = tf.keras.Sequential(
        [
            layers.RandomFlip("horizontal", seed=1),
            layers.RandomRotation(0.05, seed=2),
        ],
        name="augmentation",
    )
    model = tf.keras.Sequential(
        [
            tf.keras.Input(IMAGE_SIZE + (3,)),
            layers.Rescaling(1.0 / 255),
            augmentation,
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dense(num_classes),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def train(root: str, epochs: int = 8, verbose: int = 2):
    """Fits the model on the folder; returns the model, its history and the validation
    accuracy."""
    train_ds, val_ds, class_names = load(root)
    model = build_model(len(class_names))
    history = model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=verbose)
    _, accuracy = model.evaluate(val_ds, verbose=0)
    return model, history, accuracy


def main() -> None:
    tf.keras.utils.set_random_seed(0)
    with tempfile.TemporaryDirectory() as scratch:
        root = sys.argv[1] if len(sys.argv) > 1 else make_folder(scratch)
        _, _, accuracy = train(root)
    print(f"validation accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main()
