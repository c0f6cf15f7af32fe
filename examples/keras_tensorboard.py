"""A small image classifier whose training is logged for TensorBoard.

The images are 16x16 grey squares with one bright quadrant; the label says which
quadrant (4 classes). ``Conv2D(8, 3, relu)``, ``MaxPool2D``, ``Flatten`` and
``Dense(4, softmax)`` learn it in a few epochs (about 95-100% validation accuracy).

``fit`` gets a ``tf.keras.callbacks.TensorBoard(log_dir, histogram_freq=1)``: the run
folder gets ``train/`` and ``validation/`` event files holding the epoch loss and
accuracy, the evaluation metrics against the optimizer's iterations, a histogram of
every weight per epoch (``conv2d/kernel_0/histogram``...) and the model's config.
Before training, a few input images are written with ``tf.summary.image`` to an
``inputs/`` run. The files are written by tensorflux itself; view them with::

    pip install tensorboard && tensorboard --logdir logs/tensorboard_demo

Run:  python3 examples/keras_tensorboard.py [log_dir]
"""

from __future__ import annotations

import os
import sys

import numpy as np

import tensorflux as tf
from tensorflux.keras import layers


def quadrant_images(n: int, seed: int = 0):
    """``(images, labels)``: float32 (n, 16, 16, 1) in [0, 1] and the bright quadrant."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, n)
    images = rng.uniform(0.0, 0.3, (n, 16, 16, 1)).astype("float32")
    for image, label in zip(images, labels):
        row, col = divmod(int(label), 2)
        image[row * 8 : row * 8 + 8, col * 8 : col * 8 + 8] += 0.6
    return images, labels.astype("int32")


def build_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((16, 16, 1)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPool2D(),
            layers.Flatten(),
            layers.Dense(4, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(log_dir: str, n_train: int = 512, n_val: int = 128, epochs: int = 5, verbose=2):
    """Trains the classifier with TensorBoard logging; returns ``(model, history)``."""
    tf.keras.utils.set_random_seed(0)
    x_train, y_train = quadrant_images(n_train, seed=1)
    x_val, y_val = quadrant_images(n_val, seed=2)
    writer = tf.summary.create_file_writer(os.path.join(log_dir, "inputs"))
    with writer.as_default():
        tf.summary.image("training examples", x_train, step=0, max_outputs=4)
    writer.close()
    model = build_model()
    tensorboard = tf.keras.callbacks.TensorBoard(log_dir=log_dir, histogram_freq=1)
    history = model.fit(
        x_train,
        y_train,
        batch_size=32,
        epochs=epochs,
        validation_data=(x_val, y_val),
        callbacks=[tensorboard],
        verbose=verbose,
    )
    return model, history


def main():
    log_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("logs", "tensorboard_demo")
    _, history = train(log_dir)
    print(f"validation accuracy: {history.history['val_accuracy'][-1]:.3f}")
    for run in sorted(os.listdir(log_dir)):
        print(run, sorted(os.listdir(os.path.join(log_dir, run))))
    print(f"view with: tensorboard --logdir {log_dir}")


if __name__ == "__main__":
    main()
