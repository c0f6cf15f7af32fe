"""``tf.types``: the abstract types of TF's public objects, for ``isinstance`` checks and
annotations (``tf.types.experimental``)."""

from tensorflux.types import experimental  # noqa: F401
