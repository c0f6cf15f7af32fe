"""A functional model with two outputs, drawn with ``plot_model`` and trained on both.

Eight building features (generated here, in the spirit of the energy-efficiency data
the notes use) predict two loads. The network shares two Dense(128) layers; the first
output ``y1_output`` reads the second shared layer directly, the second ``y2_output``
after one more Dense(64). The model is compiled with one loss and one
``RootMeanSquaredError`` metric per output (dicts keyed by the output layers' names)
and drawn with ``tf.keras.utils.plot_model(..., show_shapes=True)``, which needs the
optional ``pydot`` package and Graphviz: without them the program prints Keras'
install message and goes on.

Run:  python3 examples/keras_multi_output.py [model.png]
"""

from __future__ import annotations

import sys

import numpy as np

import tensorflux as tf
from tensorflux.keras import layers


def building_data(n: int, seed: int = 0):
    """Standardised features (n, 8) and the two loads (n,) each, both smooth functions
    of the features plus noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype(np.float32)
    heating = 2.0 * x[:, 0] - x[:, 1] + 0.5 * x[:, 2] * x[:, 3] + rng.normal(0, 0.1, n)
    cooling = 0.8 * heating + np.tanh(x[:, 4]) + 0.3 * x[:, 5] + rng.normal(0, 0.1, n)
    return x, (heating.astype(np.float32), cooling.astype(np.float32))


def build_model(features: int = 8):
    """The two-output network; its outputs are named ``y1_output`` and ``y2_output``."""
    inputs = layers.Input(shape=(features,))
    first = layers.Dense(128, activation="relu")(inputs)
    second = layers.Dense(128, activation="relu")(first)
    y1 = layers.Dense(1, name="y1_output")(second)
    third = layers.Dense(64, activation="relu")(second)
    y2 = layers.Dense(1, name="y2_output")(third)
    model = tf.keras.Model(inputs=inputs, outputs=[y1, y2])
    model.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.01),
        loss={"y1_output": "mse", "y2_output": "mse"},
        metrics={
            "y1_output": tf.keras.metrics.RootMeanSquaredError(),
            "y2_output": tf.keras.metrics.RootMeanSquaredError(),
        },
    )
    return model


def draw(model, to_file: str) -> bool:
    """``plot_model`` of ``model`` into ``to_file``; False (with Keras' message printed)
    when pydot or Graphviz is missing."""
    try:
        tf.keras.utils.plot_model(model, show_shapes=True, show_layer_names=True, to_file=to_file)
    except ImportError as e:
        print(e)
        return False
    return True


def train(n_train: int = 600, n_test: int = 200, epochs: int = 60, verbose: int = 0, seed: int = 0):
    """Trains the model; returns it, its History and the test RMSE of each output."""
    tf.keras.utils.set_random_seed(seed)
    x, (h, c) = building_data(n_train + n_test, seed)
    model = build_model()
    history = model.fit(
        x[:n_train],
        {"y1_output": h[:n_train], "y2_output": c[:n_train]},
        epochs=epochs,
        batch_size=10,
        validation_data=(x[n_train:], {"y1_output": h[n_train:], "y2_output": c[n_train:]}),
        verbose=verbose,
    )
    results = model.evaluate(
        x[n_train:], {"y1_output": h[n_train:], "y2_output": c[n_train:]}, verbose=0
    )
    names = model.metrics_names
    rmse = (
        results[names.index("y1_output_root_mean_squared_error")],
        results[names.index("y2_output_root_mean_squared_error")],
    )
    return model, history, rmse


def main(to_file: str = "model.png") -> None:
    model, history, (rmse1, rmse2) = train()
    if draw(model, to_file):
        print(f"model drawn in {to_file}")
    _, (h, c) = building_data(800)
    print(f"test RMSE: y1 {rmse1:.3f}, y2 {rmse2:.3f} (targets' std {h.std():.2f}, {c.std():.2f})")


if __name__ == "__main__":
    main(*sys.argv[1:2])
