"""Softmax regression on Fashion-MNIST with Keras: one Dense layer of 10 logits.

The concise version of the notes' softmax regression: ``Flatten`` turns each
28x28 image into 784 inputs, ``Dense(10)`` (weights drawn with s.d. 0.01) gives a
logit per class, ``SparseCategoricalCrossentropy(from_logits=True)`` applies the
softmax and the cross-entropy in one stable step, and SGD with learning rate 0.1
trains it for 10 epochs on ``tf.data`` batches of 256. The test accuracy ends
near 83%, as a linear classifier on raw pixels does.

Needs the Fashion-MNIST files: Debian's ``dataset-fashion-mnist`` package, or a
network connection for ``tf.keras.datasets.fashion_mnist.load_data()``.

Run:  python3 examples/keras_softmax_regression.py
"""

from __future__ import annotations

import tensorflux as tf


def load_data(batch_size: int = 256):
    """Scaled float32 images with int32 labels, as shuffled train / plain test datasets."""
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    x_train, x_test = x_train.astype("float32") / 255, x_test.astype("float32") / 255
    y_train, y_test = y_train.astype("int32"), y_test.astype("int32")
    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    train_ds = train_ds.shuffle(len(x_train)).batch(batch_size)
    test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(batch_size)
    return train_ds, test_ds


def build_model(image_shape=(28, 28), num_classes: int = 10):
    """Flatten, then one linear layer; the softmax lives in the loss."""
    net = tf.keras.models.Sequential()
    net.add(tf.keras.layers.Flatten(input_shape=image_shape))
    net.add(
        tf.keras.layers.Dense(
            num_classes,
            kernel_initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.01),
        )
    )
    net.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.1),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return net


def train(
    train_ds, test_ds, epochs: int = 10, image_shape=(28, 28), verbose: int = 2, seed: int = 0
):
    """Fits on ``train_ds``; returns the model, its History and the test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    net = build_model(image_shape)
    history = net.fit(train_ds, epochs=epochs, verbose=verbose)
    _, accuracy = net.evaluate(test_ds, verbose=0)
    return net, history, accuracy


def main() -> None:
    _, _, accuracy = train(*load_data())
    print(f"test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
