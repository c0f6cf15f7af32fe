"""``tf.xla``: TF 1's XLA entry points (``tf.xla.experimental``)."""

from tensorflux.xla import experimental  # noqa: F401
