"""``tf.linalg.experimental``: the conjugate gradient solver."""

from tensorflux.linalg.conjugate_gradient import conjugate_gradient  # noqa: F401
