"""Linear regression the concise way: a one-unit Dense layer, a Keras loss and
optimizer, a ``tf.data`` pipeline and a GradientTape training loop.

Synthetic data ``y = X w + b + noise`` with ``w = [2, -3.4]``, ``b = 4.2`` and
noise of s.d. 0.01 (1000 samples). ``tf.keras.Sequential`` holds one
``Dense(1, kernel_initializer=tf.initializers.RandomNormal(stddev=0.01))`` whose
input size is inferred on the first call; ``tf.keras.losses.MeanSquaredError`` and
``tf.keras.optimizers.SGD(learning_rate=0.03)`` train it for 3 epochs over
shuffled minibatches of 10. ``net.get_weights()`` then recovers ``w`` and ``b`` to
about 1e-3, and they agree with the least-squares solution
(``np.linalg.lstsq``, what ``sklearn.linear_model.LinearRegression`` computes).

Run:  python3 examples/keras_linear_regression.py
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf

TRUE_W = tf.constant([2, -3.4])
TRUE_B = 4.2


def synthetic_data(w, b, num_examples: int):
    """``y = Xw + b + noise``: X standard normal, noise of s.d. 0.01."""
    X = tf.zeros((num_examples, w.shape[0]))
    X += tf.random.normal(shape=X.shape)
    y = tf.matmul(X, tf.reshape(w, (-1, 1))) + b
    y += tf.random.normal(shape=y.shape, stddev=0.01)
    return X, tf.reshape(y, (-1, 1))


def load_array(data_arrays, batch_size: int, is_train: bool = True):
    """A tf.data pipeline over the arrays: shuffled for training, in batches."""
    dataset = tf.data.Dataset.from_tensor_slices(data_arrays)
    if is_train:
        dataset = dataset.shuffle(buffer_size=1000)
    return dataset.batch(batch_size)


def train(num_epochs: int = 3, batch_size: int = 10, seed: int = 0, log=print):
    """Fits the one-layer net; returns it and the data."""
    tf.keras.utils.set_random_seed(seed)
    features, labels = synthetic_data(TRUE_W, TRUE_B, 1000)
    data_iter = load_array((features, labels), batch_size)
    net = tf.keras.Sequential()
    net.add(tf.keras.layers.Dense(1, kernel_initializer=tf.initializers.RandomNormal(stddev=0.01)))
    loss = tf.keras.losses.MeanSquaredError()
    trainer = tf.keras.optimizers.SGD(learning_rate=0.03)
    for epoch in range(num_epochs):
        for X, y in data_iter:
            with tf.GradientTape() as tape:
                l = loss(net(X, training=True), y)  # noqa: E741 - the notes' name
            grads = tape.gradient(l, net.trainable_variables)
            trainer.apply_gradients(zip(grads, net.trainable_variables))
        log(f"epoch {epoch + 1}, loss {float(loss(net(features), labels)):f}")
    return net, features, labels


def least_squares(features, labels):
    """The exact fit: w and b from ``np.linalg.lstsq`` on ``[X, 1]``."""
    design = np.hstack([features.numpy(), np.ones((features.shape[0], 1))])
    solution = np.linalg.lstsq(design, labels.numpy()[:, 0], rcond=None)[0]
    return solution[:-1], solution[-1]


def main() -> None:
    net, features, labels = train()
    w, b = net.get_weights()
    print("error in estimating w", (TRUE_W - tf.reshape(w, TRUE_W.shape)).numpy())
    print("error in estimating b", TRUE_B - b)
    w_ls, b_ls = least_squares(features, labels)
    print("Keras minus least squares: w", (w[:, 0] - w_ls).round(5), " b", (b - b_ls).round(5))


if __name__ == "__main__":
    main()
