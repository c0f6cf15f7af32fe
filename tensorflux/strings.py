"""``tf.strings``: string ops on tensors of bytes (re-exports only)."""

from tensorflux.ops.string_format_ops import format  # noqa: F401
from tensorflux.ops.string_ops import (  # noqa: F401
    as_string,
    join,
    length,
    lower,
    reduce_join,
    regex_full_match,
    regex_replace,
    strip,
    substr,
    to_number,
    upper,
)
from tensorflux.ops.string_ragged_ops import (  # noqa: F401
    to_hash_bucket,
    to_hash_bucket_fast,
    to_hash_bucket_strong,
)
from tensorflux.ops.string_segment_ops import unsorted_segment_join  # noqa: F401
from tensorflux.ops.unicode_script_ops import unicode_script  # noqa: F401
from tensorflux.ragged.ragged_string_ops import (  # noqa: F401
    bytes_split,
    ngrams,
    split,
    unicode_decode,
    unicode_decode_with_offsets,
    unicode_encode,
    unicode_split,
    unicode_split_with_offsets,
    unicode_transcode,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.strings", __name__, name)


# Functions that take RaggedTensors send them to the ragged implementations.
from tensorflux.ops import ragged_dispatch as _ragged_dispatch  # noqa: E402

_ragged_dispatch.install(__name__)
