"""A variational autoencoder built with the functional API, trained two ways.

The encoder maps an image (784 pixels) through ``Dense(512, relu)`` to a mean
``z_mean`` and a log-variance ``z_log_var`` of a 20-dimensional Gaussian; a
``Lambda`` layer samples ``z = z_mean + exp(z_log_var / 2) * eps`` with
``eps ~ N(0, I)`` (``K.random_normal`` sized by ``K.shape``); the decoder maps
``z`` through ``Dense(512, relu)`` back to 784 sigmoid pixels.
``encoder = Model(inputs, [z_mean, z_log_var, z])``, ``decoder = Model(latent,
pixels)`` and ``vae = Model(inputs, decoder(encoder(inputs)[2]))``.

The loss is the reconstruction cross-entropy plus the KL divergence of the
encoder's Gaussian from N(0, I). Two ways to give it to Keras:

- ``notes``: as the lecture notes (graph-era Keras) do, a loss function passed to
  ``compile`` that reads the encoder's Keras tensors ``z_mean``/``z_log_var``;
  inside ``fit`` they stand for their values in the same forward pass.
- ``add_loss``: the KL term is built from the Keras tensors with backend
  functions, becomes part of the model with ``vae.add_loss(...)``, and
  ``compile`` gets the reconstruction loss only (what today's TF requires).

Both ways compute the same loss, so from the same seed they train identically:
over 5 epochs on Fashion-MNIST (batches of 100) the loss falls from 0.49 to 0.465
(test 0.466). With the cross-entropy averaged over 784 pixels and the KL term
averaged over 20 code dimensions, as the notes write them, the KL term weighs
heavily and keeps the codes close to N(0, I); decoding random normal codes gives
new, blurry clothing-like images.

Needs the Fashion-MNIST files (Debian's ``dataset-fashion-mnist`` package, or a
network connection).

Run:  python3 examples/keras_vae.py [notes|add_loss]
"""

from __future__ import annotations

import sys

import numpy as np

import tensorflux as tf
from tensorflux.keras import backend as K
from tensorflux.keras import layers, models


def load_data():
    """Fashion-MNIST images flattened to 784 float32 pixels in [0, 1]."""
    (x_train, _), (x_test, _) = tf.keras.datasets.fashion_mnist.load_data()
    return (
        x_train.reshape([-1, 784]).astype("float32") / 255.0,
        x_test.reshape([-1, 784]).astype("float32") / 255.0,
    )


def sample_gaussian(args):
    """``z_mean + exp(z_log_var / 2) * eps``: a differentiable draw from the code."""
    z_mean, z_log_var = args
    batch, dim = K.shape(z_mean)[0], K.int_shape(z_mean)[1]
    eps = K.random_normal(shape=(batch, dim))
    return z_mean + K.exp(0.5 * z_log_var) * eps


def kl_divergence(z_mean, z_log_var):
    """Per-sample KL(N(mean, exp(log_var)) || N(0, I)), averaged over the code."""
    return -0.5 * K.mean(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)


def build(original_dim: int = 784, intermediate_dim: int = 512, latent_dim: int = 20):
    """The encoder, decoder and VAE models, plus the encoder's mean and log-variance
    Keras tensors."""
    inputs = layers.Input(shape=(original_dim,))
    hidden = layers.Dense(intermediate_dim, activation="relu")(inputs)
    z_mean = layers.Dense(latent_dim)(hidden)
    z_log_var = layers.Dense(latent_dim)(hidden)
    z = layers.Lambda(sample_gaussian)([z_mean, z_log_var])
    encoder = models.Model(inputs, [z_mean, z_log_var, z])
    latent = layers.Input(shape=(latent_dim,))
    decoded = layers.Dense(intermediate_dim, activation="relu")(latent)
    pixels = layers.Dense(original_dim, activation="sigmoid")(decoded)
    decoder = models.Model(latent, pixels)
    vae = models.Model(inputs, decoder(encoder(inputs)[2]))
    return encoder, decoder, vae, z_mean, z_log_var


def compile_notes_way(vae, z_mean, z_log_var):
    """``compile(loss=vae_loss)`` where ``vae_loss`` closes over the Keras tensors."""

    def vae_loss(x, x_decoded):
        crossentropy_loss = tf.keras.losses.binary_crossentropy(x, x_decoded)
        return crossentropy_loss + kl_divergence(z_mean, z_log_var)

    vae.compile(optimizer="adam", loss=vae_loss)


def compile_add_loss_way(vae, z_mean, z_log_var):
    """The KL term as part of the model; compile with the reconstruction loss only."""
    vae.add_loss(K.mean(kl_divergence(z_mean, z_log_var)))
    vae.compile(optimizer="adam", loss=tf.keras.losses.binary_crossentropy)


def train(
    x_train,
    way: str = "notes",
    epochs: int = 5,
    batch_size: int = 100,
    verbose: int = 1,
    seed: int = 0,
    **sizes,
):
    """Builds and fits a VAE; returns (encoder, decoder, vae, history)."""
    # Seeds Python's random (Keras' initializers), NumPy (K.random_normal's op seeds,
    # as Keras 2) and tf.random at once.
    tf.keras.utils.set_random_seed(seed)
    encoder, decoder, vae, z_mean, z_log_var = build(x_train.shape[1], **sizes)
    {"notes": compile_notes_way, "add_loss": compile_add_loss_way}[way](vae, z_mean, z_log_var)
    history = vae.fit(x_train, x_train, epochs=epochs, batch_size=batch_size, verbose=verbose)
    return encoder, decoder, vae, history


def random_images(decoder, count: int, seed: int = 0):
    """Decodes standard normal codes into new images, shape (count, 28, 28)."""
    codes = np.random.default_rng(seed).standard_normal((count, decoder.input_shape[1]))
    return decoder.predict(codes, verbose=0).reshape((count, 28, 28))


def main() -> None:
    way = sys.argv[1] if len(sys.argv) > 1 else "notes"
    x_train, x_test = load_data()
    encoder, decoder, vae, _ = train(x_train, way)
    print(f"[{way}] test loss {vae.evaluate(x_test, x_test, batch_size=100, verbose=0):.4f}")
    z_mean, z_log_var, _ = encoder.predict(x_test[:1000], verbose=0)
    print(
        f"codes of 1000 test images: mean |z_mean| {np.abs(z_mean).mean():.3f}, "
        f"mean exp(z_log_var) {np.exp(z_log_var).mean():.3f}"
    )
    images = random_images(decoder, 25)
    print(
        f"25 images decoded from random codes: shape {images.shape}, "
        f"pixel range [{images.min():.2f}, {images.max():.2f}]"
    )


if __name__ == "__main__":
    main()
