"""The notes' basic Keras workflow on a toy regression: build, compile, fit,
evaluate, predict.

The network learns the map R^3 -> R^2, ``x -> (x1 + x2 + x3, x1^2 + x2^2 + x3^2)``,
from 40000 standard-normal samples: ``Sequential`` grown with ``model.add``,
``Dense(units=2, activation='relu', input_dim=3)`` first (so the model is built
at once and ``summary()`` works before training), then Dense(4, relu) and a
linear Dense(2). It is compiled with the mean squared error, plain SGD and an MSE
metric, fitted for 10 epochs in batches of 100, evaluated on 10000 fresh samples
(``evaluate`` returns ``[loss, mean_squared_error]``) and asked for the output at
``[1, 1, 1]`` (the exact answer is ``[3, 3]``). The 2-unit ReLU bottleneck keeps the
fit rough: a test MSE of about 2.1, against 4.5 for always predicting the mean.

Run:  python3 examples/keras_basic.py
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf


def make_data(n: int, rng):
    x = rng.standard_normal((n, 3))
    y = np.column_stack((np.sum(x, axis=1), np.sum(x**2, axis=1)))
    return x, y


def build_model():
    model = tf.keras.models.Sequential()
    model.add(tf.keras.layers.Dense(units=2, activation="relu", input_dim=3))
    model.add(tf.keras.layers.Dense(units=4, activation="relu"))
    model.add(tf.keras.layers.Dense(units=2, activation="linear"))
    model.compile(loss="mean_squared_error", optimizer="sgd", metrics=["mean_squared_error"])
    return model


def run(n: int = 10**4, epochs: int = 10, seed: int = 0, verbose: int = 0):
    """Trains on 4n samples; returns the model, History, evaluate() result and the
    prediction at [1, 1, 1]."""
    rng = np.random.default_rng(seed)
    tf.keras.utils.set_random_seed(seed)
    x_train, y_train = make_data(4 * n, rng)
    x_test, y_test = make_data(n, rng)
    model = build_model()
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=100, verbose=verbose)
    scores = model.evaluate(x_test, y_test, verbose=verbose)
    prediction = model.predict(np.expand_dims([1, 1, 1], 0), verbose=verbose)
    return model, history, scores, prediction


def main() -> None:
    model = build_model()
    model.summary()
    _, _, (loss, mse), prediction = run(verbose=1)
    print(f"test loss {loss:.4f}, test mean_squared_error {mse:.4f}")
    print(f"prediction at [1, 1, 1]: {prediction[0].round(3)} (exact: [3, 3])")


if __name__ == "__main__":
    main()
