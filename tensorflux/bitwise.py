"""``tf.bitwise``: bitwise ops on integer tensors (re-exports only)."""

from tensorflux.ops.logic_ops import (  # noqa: F401
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    invert,
    left_shift,
    right_shift,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.bitwise", __name__, name)
