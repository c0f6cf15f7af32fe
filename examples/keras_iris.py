"""Classifies iris flowers with a small Keras MLP fed by ``tf.data``.

The lecture notes' first Keras program: four measurements per flower go through
two ReLU layers of 10 units and a Dropout layer into a 3-way softmax, trained
with ``sparse_categorical_crossentropy`` on a ``tf.data.Dataset`` that repeats
the training set 20 times, shuffles and batches it (75 batches an epoch), and
validated on the held-out fifth of the flowers. After 10 epochs the test accuracy
is 97% with the seed used here (93-100% over seeds 1-10); the trained model then
names a typical flower of each species.

The data is Fisher's iris set (150 rows, public domain) in ``data/iris.csv``,
as shipped by the vega_datasets package; scikit-learn is not needed.

Run:  python3 examples/keras_iris.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

import tensorflux as tf

DATA = Path(__file__).resolve().parent / "data" / "iris.csv"
SPECIES = ("setosa", "versicolor", "virginica")


def load_iris():
    """The 150 flowers: float64 features (sepal/petal length/width) and int64 labels."""
    with open(DATA, newline="") as f:
        rows = list(csv.DictReader(f))
    features = np.array(
        [
            [
                float(r["sepal_length"]),
                float(r["sepal_width"]),
                float(r["petal_length"]),
                float(r["petal_width"]),
            ]
            for r in rows
        ]
    )
    labels = np.array([SPECIES.index(r["species"]) for r in rows], dtype=np.int64)
    return features, labels


def train_test_split(features, labels, test_size: float = 0.2, seed: int = 42):
    """A seeded random split, as scikit-learn's ``train_test_split`` makes one."""
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = int(round(test_size * len(labels)))
    test, train = order[:n_test], order[n_test:]
    return features[train], features[test], labels[train], labels[test]


def build_model():
    """Two hidden ReLU layers, Dropout against overfitting, a softmax over 3 species."""
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dense(10, activation=tf.nn.relu),
            tf.keras.layers.Dense(10, activation=tf.nn.relu),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(3, activation=tf.nn.softmax),
        ]
    )


def train(epochs: int = 10, seed: int = 1, verbose: int = 1):
    """Trains on 80% of the flowers; returns the model, its History and the test split."""
    tf.keras.utils.set_random_seed(seed)
    x_train, x_test, y_train, y_test = train_test_split(*load_iris())
    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test))
    train_ds = train_ds.repeat(20).shuffle(1000).batch(32)
    test_ds = test_ds.batch(1)
    model = build_model()
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(train_ds, validation_data=test_ds, epochs=epochs, verbose=verbose)
    return model, history, (x_test, y_test)


def name_flowers(model, features, labels) -> list:
    """The model's guess for a flower with the average measurements of each species:
    ``(expected, predicted, probability)``."""
    typical = np.stack([features[labels == k].mean(axis=0) for k in range(len(SPECIES))])
    probabilities = model.predict(typical, verbose=0)
    return [
        (SPECIES[k], SPECIES[int(p.argmax())], float(p.max())) for k, p in enumerate(probabilities)
    ]


def main() -> None:
    model, _, (x_test, y_test) = train()
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.1%}")
    for expected, predicted, probability in name_flowers(model, *load_iris()):
        mark = "ok" if predicted == expected else "wrong"
        print(
            f"{mark:5s} Prediction is '{predicted}' ({100 * probability:.1f}%), "
            f"expected '{expected}'"
        )


if __name__ == "__main__":
    main()
