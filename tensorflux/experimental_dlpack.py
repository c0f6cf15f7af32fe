"""``tf.experimental.dlpack``: tensors to and from other array libraries."""

from tensorflux.framework.dlpack import from_dlpack, to_dlpack  # noqa: F401
