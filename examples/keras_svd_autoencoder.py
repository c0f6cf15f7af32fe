"""A linear autoencoder finds the best rank-10 approximation that the SVD gives.

For a 50x50 Gaussian matrix ``A``, the rank-10 matrix closest to it in the
Frobenius norm is ``A_k = U diag(S[:10]) Vt`` (Eckart-Young), computed with
``np.linalg.svd``. A two-layer autoencoder with linear activations and no biases,
``Dense(10, use_bias=False)`` then ``Dense(50, use_bias=False)``, trained on the
mean squared error to map each row of ``A`` to itself (``fit(A, A,
epochs=10000)``), can only output rank-10 matrices, and it approaches ``A_k``.

With the notes' set-up (plain SGD, batches of 32) its loss ends within 1.5% of the
optimum ``norm(A - A_k)**2 / 2500``, but ``norm(A_k - svd.predict(A))`` is still
about 8 (real Keras 2 gives 7 to 13 for this ``A``): the 10th and 11th singular
values (9.76 and 9.18) are close, so the subspace converges slowly. Full-batch SGD
with momentum 0.9 and learning rate 0.1 gets within 0.1 in the same 10000
epochs; the SVD takes a millisecond.

Run:  python3 examples/keras_svd_autoencoder.py
"""

from __future__ import annotations

import numpy as np
from numpy.linalg import norm

import tensorflux as tf
from tensorflux.keras import layers, models


def best_rank_k(A, k: int = 10):
    """``U diag(S_k) Vt``, with all but the k largest singular values set to zero."""
    U, S, Vt = np.linalg.svd(A)
    S[k:] = 0
    return U @ np.diag(S) @ Vt


def autoencoder(
    A,
    k: int = 10,
    epochs: int = 10000,
    optimizer="sgd",
    batch_size=None,
    seed: int = 123,
    verbose: int = 0,
):
    """Trains the linear autoencoder on the rows of ``A``; returns it and its History."""
    tf.keras.utils.set_random_seed(seed)
    svd = models.Sequential()
    svd.add(layers.Dense(k, use_bias=False))
    svd.add(layers.Dense(A.shape[1], use_bias=False))
    svd.compile(optimizer=optimizer, loss="mse")
    history = svd.fit(A, A, epochs=epochs, batch_size=batch_size, verbose=verbose)
    return svd, history


def main() -> None:
    np.random.seed(123)
    A = np.random.randn(50, 50)
    A_k = best_rank_k(A)
    optimum = norm(A - A_k) ** 2 / A.size
    print(f"SVD: norm(A - A_k) = {norm(A - A_k):.4f}, optimal mse {optimum:.6f}")
    runs = (
        ("sgd, batches of 32", {}),
        (
            "SGD(0.1, momentum=0.9), full batch",
            {"optimizer": tf.keras.optimizers.SGD(0.1, momentum=0.9), "batch_size": 50},
        ),
    )
    for name, options in runs:
        svd, history = autoencoder(A, **options)
        reconstruction = svd.predict(A, verbose=0)
        print(
            f"autoencoder, {name}: mse {history.history['loss'][-1]:.6f}, "
            f"norm(A - svd.predict(A)) = {norm(A - reconstruction):.4f}, "
            f"norm(A_k - svd.predict(A)) = {norm(A_k - reconstruction):.4f}"
        )


if __name__ == "__main__":
    main()
