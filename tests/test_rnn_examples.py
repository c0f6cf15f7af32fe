"""The recurrent example programs run and learn, on small settings: Fashion-MNIST
subsets where the dataset is installed, generated row patterns everywhere."""

from __future__ import annotations

import numpy as np

from tests.test_keras_examples import _load, needs_fashion_mnist


def _striped_images(n: int, seed: int = 0):
    """28x28 images whose class (0-3) is which quarter of the rows is bright."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, n)
    images = rng.uniform(0.0, 0.3, (n, 28, 28)).astype(np.float32)
    for i, label in enumerate(labels):
        images[i, 7 * label : 7 * label + 7] += 0.7
    return images, labels


def test_row_rnn_learns_generated_row_patterns():
    rows = _load("keras_rnn_fashion_rows")
    model, history, accuracy = rows.train(
        _striped_images(600), _striped_images(200, seed=1), epochs=4, verbose=0
    )
    assert [type(layer).__name__ for layer in model.layers] == ["SimpleRNN", "Dense"]
    # SimpleRNN(50) on 28 features: 28*50 + 50*50 + 50, and Dense(10): 510.
    assert model.count_params() == 4460
    assert history.history["loss"][-1] < history.history["loss"][0]
    # 0.96-1.0 over seeds after 4 epochs.
    assert accuracy >= 0.8


@needs_fashion_mnist
def test_row_rnn_learns_fashion_mnist():
    rows = _load("keras_rnn_fashion_rows")
    (x_train, y_train), (x_test, y_test) = rows.load_data()
    assert x_train.shape[1:] == (28, 28) and x_train.dtype == np.float32
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0
    _, history, accuracy = rows.train(
        (x_train[:3000], y_train[:3000]), (x_test[:500], y_test[:500]), epochs=2, verbose=0
    )
    assert history.history["loss"][-1] < history.history["loss"][0]
    # 3,000 images, 2 epochs: 0.49-0.53 over seeds here, 0.51-0.53 with TF 2.21 on the
    # same images (the full run reaches ~0.84).
    assert accuracy >= 0.42
