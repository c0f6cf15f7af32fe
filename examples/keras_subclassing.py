"""Keras' subclassing API: a custom layer with its own weight, and a custom model.

``MatMul`` subclasses ``tf.keras.layers.Layer`` in the style of the notes'
``MyLayer``: ``__init__`` stores ``output_dim``, ``build`` creates the kernel with
``self.add_weight(name='kernel', shape=..., initializer='uniform',
trainable=True)`` once the input size is known, ``call`` multiplies by it,
``compute_output_shape`` and ``get_config`` describe it. It drops into a
``Sequential`` model like a built-in layer: ``predict`` on 40 samples of 40
features gives 40 rows of ``output_dim``.

``Classifier`` subclasses ``tf.keras.Model`` like the notes' ``MyModel`` (without
its convolution: Flatten, Dense(128, relu), Dense(10, softmax) as attributes,
chained in ``call``); Keras finds its layers and weights through the attributes,
and it compiles and fits like any model. Trained for 2 epochs on Fashion-MNIST it
reaches about 85% test accuracy.

Run:  python3 examples/keras_subclassing.py
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.keras.models import Model


class MatMul(layers.Layer):
    """``inputs @ kernel`` with a trainable ``(input_dim, output_dim)`` kernel."""

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super(MatMul, self).__init__(**kwargs)

    def build(self, input_shape):
        shape = tf.TensorShape((input_shape[1], self.output_dim))
        self.kernel = self.add_weight(
            name="kernel", shape=shape, initializer="uniform", trainable=True
        )
        super(MatMul, self).build(input_shape)

    def call(self, inputs):
        return inputs @ self.kernel

    def compute_output_shape(self, input_shape):
        shape = tf.TensorShape(input_shape).as_list()
        shape[-1] = self.output_dim
        return tf.TensorShape(shape)

    def get_config(self):
        base_config = super(MatMul, self).get_config()
        base_config["output_dim"] = self.output_dim
        return base_config


class Classifier(Model):
    """Flatten, a ReLU hidden layer and a softmax over ``num_classes``."""

    def __init__(self, hidden: int = 128, num_classes: int = 10):
        super(Classifier, self).__init__()
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(hidden, activation="relu")
        self.d2 = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


def custom_layer_demo(seed: int = 0):
    """A Sequential model of one MatMul(10); returns it and its predictions."""
    tf.keras.utils.set_random_seed(seed)
    model = tf.keras.models.Sequential([MatMul(10)])
    predictions = model.predict(np.random.default_rng(seed).standard_normal((40, 40)), verbose=0)
    return model, predictions


def train_classifier(
    train_data, test_data, epochs: int = 2, verbose: int = 1, seed: int = 0, **sizes
):
    """Compiles and fits a Classifier; returns it, its History and the test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    model = Classifier(**sizes)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(*train_data, epochs=epochs, verbose=verbose)
    return model, history, model.evaluate(*test_data, verbose=0)[1]


def main() -> None:
    model, predictions = custom_layer_demo()
    layer = model.layers[0]
    print(
        f"MatMul in a Sequential model: predictions {predictions.shape}, kernel "
        f"{layer.kernel.shape}, config output_dim={layer.get_config()['output_dim']}, "
        f"compute_output_shape((None, 40)) = {layer.compute_output_shape((None, 40))}"
    )
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    model, _, accuracy = train_classifier((x_train / 255.0, y_train), (x_test / 255.0, y_test))
    print(
        f"Classifier: layers {[type(layer).__name__ for layer in model.layers]}, "
        f"{len(model.trainable_variables)} trainable variables, "
        f"test accuracy {accuracy:.4f}"
    )


if __name__ == "__main__":
    main()
