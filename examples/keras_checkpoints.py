"""Saving and restoring a Keras model: checkpoints during training, weights by hand,
the whole model as a SavedModel folder.

A small classifier of 28x28 images (``Dense(512, relu)``, ``Dropout(0.2)``,
``Dense(10)`` on logits) is trained on the first 1,000 images of a digits-like
dataset and restored in each of the ways Keras offers:

1. ``ModelCheckpoint(save_weights_only=True)`` writes ``training_1/cp.ckpt`` after
   every epoch; a fresh model is at chance level until ``load_weights`` puts the
   trained weights back.
2. ``ModelCheckpoint`` with ``cp-{epoch:04d}.ckpt`` and ``save_freq`` of five epochs'
   worth of batches keeps one checkpoint every 5 epochs; ``tf.train.latest_checkpoint``
   finds the newest one.
3. ``save_weights('checkpoints/my_checkpoint')`` / ``load_weights`` by hand.
4. ``model.save('saved_model/my_model')`` and ``tf.keras.models.load_model``: the
   architecture, weights and compile state come back from the folder.

Run:  python3 examples/keras_checkpoints.py [workdir]
(uses Fashion-MNIST from ``tf.keras.datasets``; about 80% test accuracy.)
"""

from __future__ import annotations

import os
import sys
import tempfile

import tensorflux as tf


def load_data(count: int = 1000):
    """The first ``count`` training and test images, flattened to 784 floats in [0, 1]."""
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    x_train = x_train[:count].reshape(-1, 28 * 28) / 255.0
    x_test = x_test[:count].reshape(-1, 28 * 28) / 255.0
    return (x_train, y_train[:count]), (x_test, y_test[:count])


def create_model():
    """A compiled two-layer classifier that outputs logits."""
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(512, activation="relu", input_shape=(784,)),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
    )
    return model


def checkpoint_every_epoch(train, test, workdir, epochs=10, verbose=1):
    """Trains with a checkpoint after each epoch; returns the accuracy of a fresh
    model before and after ``load_weights`` and the files written."""
    checkpoint_path = os.path.join(workdir, "training_1", "cp.ckpt")
    saver = tf.keras.callbacks.ModelCheckpoint(
        filepath=checkpoint_path, save_weights_only=True, verbose=verbose
    )
    model = create_model()
    model.fit(*train, epochs=epochs, validation_data=test, callbacks=[saver], verbose=0)
    fresh = create_model()
    _, untrained = fresh.evaluate(*test, verbose=0)
    fresh.load_weights(checkpoint_path)
    _, restored = fresh.evaluate(*test, verbose=0)
    return untrained, restored, sorted(os.listdir(os.path.dirname(checkpoint_path)))


def checkpoint_every_five_epochs(train, test, workdir, epochs=50, batch_size=32):
    """Keeps a uniquely named checkpoint every 5 epochs; returns the checkpoint files,
    the latest one's prefix and the accuracy of a fresh model restored from it."""
    checkpoint_path = os.path.join(workdir, "training_2", "cp-{epoch:04d}.ckpt")
    steps_per_epoch = -(-len(train[0]) // batch_size)
    saver = tf.keras.callbacks.ModelCheckpoint(
        filepath=checkpoint_path, save_weights_only=True, save_freq=5 * steps_per_epoch
    )
    model = create_model()
    model.save_weights(checkpoint_path.format(epoch=0))
    model.fit(
        *train,
        epochs=epochs,
        batch_size=batch_size,
        callbacks=[saver],
        validation_data=test,
        verbose=0,
    )
    latest = tf.train.latest_checkpoint(os.path.dirname(checkpoint_path))
    fresh = create_model()
    fresh.load_weights(latest)
    _, accuracy = fresh.evaluate(*test, verbose=0)
    return sorted(os.listdir(os.path.dirname(checkpoint_path))), latest, accuracy


def weights_by_hand(model, test, workdir):
    """``save_weights`` then ``load_weights`` into a fresh model; its test accuracy."""
    path = os.path.join(workdir, "checkpoints", "my_checkpoint")
    model.save_weights(path)
    fresh = create_model()
    fresh.load_weights(path)
    return fresh.evaluate(*test, verbose=0)[1]


def whole_model(train, test, workdir, epochs=5):
    """Trains, saves the whole model to a folder and reloads it; returns both models'
    predictions on the test images and the reloaded model's accuracy."""
    model = create_model()
    model.fit(*train, epochs=epochs, verbose=0)
    path = os.path.join(workdir, "saved_model", "my_model")
    model.save(path)
    reloaded = tf.keras.models.load_model(path)
    _, accuracy = reloaded.evaluate(*test, verbose=0)
    return model.predict(test[0], verbose=0), reloaded.predict(test[0], verbose=0), accuracy


def main() -> None:
    workdir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="checkpoints-")
    train, test = load_data()
    untrained, restored, files = checkpoint_every_epoch(train, test, workdir)
    print(f"fresh model: {100 * untrained:5.2f}%  after load_weights: {100 * restored:5.2f}%")
    print("training_1:", files)
    files, latest, accuracy = checkpoint_every_five_epochs(train, test, workdir)
    print("training_2:", files)
    print(f"latest checkpoint {latest}: {100 * accuracy:5.2f}%")
    before, after, accuracy = whole_model(train, test, workdir)
    print(
        f"reloaded SavedModel: {100 * accuracy:5.2f}%, predictions identical: "
        f"{bool((before == after).all())}"
    )
    model = create_model()
    model.fit(*train, epochs=5, verbose=0)
    print(f"weights saved and loaded by hand: {100 * weights_by_hand(model, test, workdir):5.2f}%")


if __name__ == "__main__":
    main()
