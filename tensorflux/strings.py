"""``tf.strings``: string ops on tensors of bytes (re-exports only)."""

from tensorflux.ops.string_ops import (  # noqa: F401
    as_string,
    join,
    length,
    lower,
    reduce_join,
    regex_full_match,
    regex_replace,
    split,
    strip,
    substr,
    to_number,
    unicode_split,
    upper,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.strings", __name__, name)
