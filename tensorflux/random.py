"""``tf.random``: random tensors and the global seed."""

from tensorflux.ops.random_ops import (  # noqa: F401
    categorical,
    normal,
    set_seed,
    shuffle,
    truncated_normal,
    uniform,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.random", __name__, name)
