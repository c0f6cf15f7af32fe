"""Training from a folder of images with Keras 2's ImageDataGenerator.

The folder is the one ``keras_images_from_directory.py`` makes (discs, hollow squares
and crosses as PNG/JPEG files in one sub-folder per class). Two generators read it:
the training one rescales to [0, 1] and augments each picture (rotations up to 15
degrees, small shifts and zooms, horizontal flips), the validation one only rescales;
``validation_split`` and ``subset`` divide every class folder between them.
``flow_from_directory`` yields batches of 32x32 images with one-hot labels, and
``model.fit`` takes the two iterators directly, one pass over the files per epoch.

Run:  python3 examples/keras_image_generator.py [folder]
"""

from __future__ import annotations

import os
import sys
import tempfile

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.keras.preprocessing.image import ImageDataGenerator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_images_from_directory import make_folder  # noqa: E402 - the shared picture maker

TARGET_SIZE = (32, 32)


def iterators(root: str, batch_size: int = 32, seed: int = 7):
    """The (training, validation) iterators over ``root``."""
    augmenting = ImageDataGenerator(
        rescale=1.0 / 255,
        rotation_range=15,
        width_shift_range=0.1,
        height_shift_range=0.1,
        zoom_range=0.1,
        horizontal_flip=True,
        validation_split=0.2,
    )
    plain = ImageDataGenerator(rescale=1.0 / 255, validation_split=0.2)
    train = augmenting.flow_from_directory(
        root, target_size=TARGET_SIZE, batch_size=batch_size, subset="training", seed=seed
    )
    val = plain.flow_from_directory(
        root, target_size=TARGET_SIZE, batch_size=batch_size, subset="validation", shuffle=False
    )
    return train, val


def build_model(num_classes: int):
    model = tf.keras.Sequential(
        [
            tf.keras.Input(TARGET_SIZE + (3,)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def train(root: str, epochs: int = 8, verbose: int = 2):
    """Fits the model on the generators; returns the model, history and validation
    accuracy."""
    train_it, val_it = iterators(root)
    model = build_model(train_it.num_classes)
    history = model.fit(train_it, validation_data=val_it, epochs=epochs, verbose=verbose)
    _, accuracy = model.evaluate(val_it, verbose=0)
    return model, history, accuracy


def main() -> None:
    tf.keras.utils.set_random_seed(0)
    with tempfile.TemporaryDirectory() as scratch:
        root = sys.argv[1] if len(sys.argv) > 1 else make_folder(scratch)
        _, _, accuracy = train(root)
    print(f"validation accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main()
