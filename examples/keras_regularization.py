"""Fights overfitting on the iris flowers: L2 weight penalties, Dropout, EarlyStopping.

The lecture notes' three remedies, each on a 4-20-20-3 tanh network trained with
mini-batches of 20 and validated on held-out flowers (inputs normalised to mean 0
and variance 1 first, as the notes insist):

- ``kernel_regularizer=tf.keras.regularizers.l2(0.001)`` on every Dense layer adds
  ``0.001 * sum(w**2)`` to the loss (``model.losses`` holds the terms);
- ``Dropout(rate=0.5)`` after each hidden layer switches half the units off at
  random while training;
- ``EarlyStopping(monitor="val_loss", patience=..., restore_best_weights=True)``
  stops when the validation loss has not improved for ``patience`` epochs and
  puts back the weights of the best epoch.

``fit`` returns a History whose ``history`` dict holds "loss", "val_loss",
"sparse_categorical_accuracy" and "val_sparse_categorical_accuracy" per epoch.

Run:  python3 examples/keras_regularization.py
"""

from __future__ import annotations

from keras_iris import load_iris, train_test_split

import tensorflux as tf

HIDS = [4, 20, 20, 3]


def normalised_split(seed: int = 42):
    """Train/test iris arrays, scaled by the training columns' mean and s.d."""
    x_train, x_test, y_train, y_test = train_test_split(*load_iris(), seed=seed)
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return (x_train - mean) / std, (x_test - mean) / std, y_train, y_test


def l2_model(k_l2: float = 0.001):
    """Every layer's kernel pays ``k_l2 * sum(w**2)``."""
    reg = tf.keras.regularizers.l2(k_l2)
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dense(HIDS[1], activation="tanh", kernel_regularizer=reg),
            tf.keras.layers.Dense(HIDS[2], activation="tanh", kernel_regularizer=reg),
            tf.keras.layers.Dense(HIDS[3], activation="softmax", kernel_regularizer=reg),
        ]
    )


def dropout_model(rate: float = 0.5):
    """Half the hidden units are dropped at random on every training step."""
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dense(HIDS[1], activation=tf.tanh),
            tf.keras.layers.Dropout(rate=rate),
            tf.keras.layers.Dense(HIDS[2], activation=tf.tanh),
            tf.keras.layers.Dropout(rate=rate),
            tf.keras.layers.Dense(HIDS[3], activation=tf.keras.activations.softmax),
        ]
    )


def plain_model():
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dense(HIDS[1], activation="tanh"),
            tf.keras.layers.Dense(HIDS[2], activation="tanh"),
            tf.keras.layers.Dense(HIDS[3], activation="softmax"),
        ]
    )


def train(model, epochs: int, callbacks=None, seed: int = 3):
    """Fits ``model`` with Adam on mini-batches of 20; returns its History."""
    tf.keras.utils.set_random_seed(seed)
    x_train, x_test, y_train, y_test = normalised_split()
    model.compile(
        optimizer=tf.keras.optimizers.Adam(),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(),
        metrics=["sparse_categorical_accuracy"],
    )
    return model.fit(
        x_train,
        y_train,
        batch_size=20,
        epochs=epochs,
        validation_data=(x_test, y_test),
        callbacks=callbacks,
        verbose=0,
    )


def early_stopping(patience: int = 20, max_epochs: int = 2000):
    """Trains an unregularised model until val_loss stalls; returns (model, history)."""
    model = plain_model()
    stop = tf.keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, restore_best_weights=True
    )
    return model, train(model, max_epochs, callbacks=[stop]), stop


def summarise(name: str, history) -> str:
    h = history.history
    return (
        f"{name:9s} epochs {len(h['loss']):4d}  loss {h['loss'][-1]:.4f}  "
        f"val_loss {h['val_loss'][-1]:.4f}  "
        f"val_accuracy {h['val_sparse_categorical_accuracy'][-1]:.3f}  "
        f"(lowest val_loss {min(h['val_loss']):.4f})"
    )


def main(epochs: int = 2000) -> None:
    print(summarise("plain", train(plain_model(), epochs)))
    model = l2_model()
    history = train(model, epochs)
    penalty = float(tf.add_n(model.losses))
    print(summarise("L2", history) + f"  L2 penalty {penalty:.4f}")
    print(summarise("dropout", train(dropout_model(), epochs)))
    model, history, stop = early_stopping()
    _, x_test, _, y_test = normalised_split()
    restored = model.evaluate(x_test, y_test, verbose=0)[0]
    print(
        summarise("early", history) + f"  stopped after epoch {stop.stopped_epoch + 1}; "
        f"restored weights give val_loss {restored:.4f}"
    )


if __name__ == "__main__":
    main()
