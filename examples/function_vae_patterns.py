"""The tf.function patterns of a convolutional VAE tutorial, on a tiny dense VAE.

The tutorial's model is a Keras ``CVAE``; here a small Python class holds its
weights as ``tf.Variable`` s and shows the same patterns:

* a decorated ``train_step(model, x, optimizer)`` holding a GradientTape,
  differentiating the loss with respect to ``model.trainable_variables`` and
  handing ``zip(gradients, variables)`` to an optimizer object's
  ``apply_gradients`` (here plain gradient descent with ``assign_sub``);
* a decorated method ``sample(self, eps=None)`` whose default draws fresh
  ``tf.random.normal`` noise on every call (a random op is a graph node, not a
  trace-time constant);
* the reparameterisation trick, ``tf.split`` into mean and log-variance, and
  the Monte Carlo ELBO with ``sigmoid_cross_entropy_with_logits``.

The data are noisy copies of two binary patterns; the loss falls as it trains.

Run:  python3 examples/function_vae_patterns.py
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf

PATTERNS = np.array([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]], np.float32)


class DenseVAE:
    """Encoder and decoder are single dense layers; the weights are Variables."""

    def __init__(self, latent_dim: int = 2, data_dim: int = 6, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.latent_dim = latent_dim
        self.enc_w = tf.Variable(rng.normal(0, 0.3, (data_dim, 2 * latent_dim)), dtype=tf.float32)
        self.enc_b = tf.Variable(tf.zeros([2 * latent_dim]))
        self.dec_w = tf.Variable(rng.normal(0, 0.3, (latent_dim, data_dim)), dtype=tf.float32)
        self.dec_b = tf.Variable(tf.zeros([data_dim]))

    @property
    def trainable_variables(self) -> list:
        return [self.enc_w, self.enc_b, self.dec_w, self.dec_b]

    @tf.function
    def sample(self, eps=None):
        if eps is None:
            eps = tf.random.normal(shape=(100, self.latent_dim))
        return self.decode(eps, apply_sigmoid=True)

    def encode(self, x):
        mean, logvar = tf.split(x @ self.enc_w + self.enc_b, num_or_size_splits=2, axis=1)
        return mean, logvar

    def reparameterize(self, mean, logvar):
        eps = tf.random.normal(shape=mean.shape)
        return eps * tf.exp(logvar * 0.5) + mean

    def decode(self, z, apply_sigmoid=False):
        logits = z @ self.dec_w + self.dec_b
        if apply_sigmoid:
            return tf.sigmoid(logits)
        return logits


def log_normal_pdf(sample, mean, logvar, raxis=1):
    log2pi = tf.math.log(2.0 * np.pi)
    return tf.reduce_sum(
        -0.5 * ((sample - mean) ** 2.0 * tf.exp(-logvar) + logvar + log2pi), axis=raxis
    )


def compute_loss(model, x):
    """The negative ELBO, estimated with one sample of z per example."""
    mean, logvar = model.encode(x)
    z = model.reparameterize(mean, logvar)
    x_logit = model.decode(z)
    cross_ent = tf.nn.sigmoid_cross_entropy_with_logits(logits=x_logit, labels=x)
    logpx_z = -tf.reduce_sum(cross_ent, axis=1)
    logpz = log_normal_pdf(z, 0.0, 0.0)
    logqz_x = log_normal_pdf(z, mean, logvar)
    return -tf.reduce_mean(logpx_z + logpz - logqz_x)


class GradientDescent:
    """A minimal optimizer with the Keras ``apply_gradients`` interface."""

    def __init__(self, learning_rate: float):
        self.learning_rate = learning_rate

    def apply_gradients(self, grads_and_vars):
        for grad, var in grads_and_vars:
            var.assign_sub(self.learning_rate * grad)


@tf.function
def train_step(model, x, optimizer):
    """Executes one training step and returns the loss."""
    with tf.GradientTape() as tape:
        loss = compute_loss(model, x)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


def make_batches(n_batches: int, batch_size: int = 16, flip: float = 0.05, seed: int = 0):
    """Noisy copies of PATTERNS: each bit flipped with probability ``flip``."""
    rng = np.random.default_rng(seed)
    for _ in range(n_batches):
        rows = PATTERNS[rng.integers(0, len(PATTERNS), batch_size)]
        noise = rng.random(rows.shape) < flip
        yield np.where(noise, 1.0 - rows, rows).astype(np.float32)


def train(steps: int = 600, learning_rate: float = 0.05, log_every: int = 100, log=print):
    """Trains a fresh model; returns it and the loss of every step."""
    tf.keras.utils.set_random_seed(0)
    model, optimizer = DenseVAE(), GradientDescent(learning_rate)
    losses = []
    for step, batch in enumerate(make_batches(steps)):
        losses.append(float(train_step(model, batch, optimizer)))
        if step % log_every == 0:
            log(f"step {step:4d}  loss {losses[-1]:.4f}")
    return model, losses


def main() -> None:
    model, losses = train()
    print(
        f"mean loss: first 50 steps {np.mean(losses[:50]):.3f}, "
        f"last 50 steps {np.mean(losses[-50:]):.3f}"
    )
    print(f"train_step traces: {train_step.experimental_get_tracing_count()}")
    first, second = model.sample(), model.sample()
    print(f"two calls of sample() differ: {not np.allclose(first.numpy(), second.numpy())}")
    print(f"sample() traces: {model.sample.experimental_get_tracing_count()}")
    probs = model.sample(tf.constant([[3.0, 0.0], [-3.0, 0.0]])).numpy()
    print(f"decoded probabilities at two latent points:\n{np.round(probs, 2)}")


if __name__ == "__main__":
    main()
