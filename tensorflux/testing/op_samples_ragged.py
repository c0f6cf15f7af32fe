"""Inference-table rows for the ragged, ragged-string and lookup-table ops.

Imported at the end of ``op_samples``; it imports the modules it covers, so their ops
are registered whenever the table is read.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.lookup import lookup_tables, mutable_tables  # noqa: F401 - registers ops
from tensorflux.ops import (  # noqa: F401 - registers the ops
    string_format_ops,
    string_ragged_ops,
    string_segment_ops,
    unicode_script_ops,
)
from tensorflux.ragged import ragged_range_op  # noqa: F401 - registers RaggedRange
from tensorflux.testing.op_samples import add_sample, strings

_I64 = np.int64
add_sample(
    "RaggedRange",
    np.array([0, 5, 3], _I64),
    np.array([3, 5, 7], _I64),
    np.array(1, _I64),
    Tsplits=dtypes.int64,
)
add_sample(
    "RaggedRange",
    np.float32(1.0),
    np.array([2.0, 3.0], np.float32),
    np.float32(0.5),
    Tsplits=dtypes.int32,
)
add_sample("RaggedSplitsToSegmentIds", np.array([0, 2, 2, 5], _I64))
add_sample("RaggedSplitsToSegmentIds", np.array([0, 1], np.int32))
add_sample("RaggedSegmentIdsToSplits", np.array([0, 0, 2], _I64), _I64(4))
add_sample("RaggedSegmentIdsToSplits", np.array([1, 1], np.int32), np.int32(-1))
_LINES = strings("a b", "", "c,d e")
add_sample("StringSplitToRows", _LINES, sep="", maxsplit=-1)
add_sample("StringSplitToRows", _LINES, sep=",", maxsplit=1)
add_sample("StringBytesSplit", _LINES)
add_sample(
    "UnicodeDecodeWithOffsets",
    strings("hé", "xyz"),
    input_encoding="UTF-8",
    errors="replace",
    replacement_char=65533,
)
add_sample(
    "UnicodeEncode",
    np.array([104, 233, 97], np.int32),
    np.array([0, 2, 3], _I64),
    output_encoding="UTF-8",
    errors="replace",
    replacement_char=65533,
)
add_sample(
    "StringNGrams",
    strings("a", "b", "c", "d"),
    np.array([0, 3, 4], _I64),
    separator=" ",
    ngram_widths=(2,),
    left_pad="",
    right_pad="",
    pad_width=0,
    preserve_short_sequences=False,
)
add_sample("StringToHashBucketFast", _LINES.reshape(3, 1), num_buckets=10)
add_sample("StringToHashBucket", _LINES, num_buckets=5)
add_sample(
    "StringFormat",
    np.array([1.5, 2.0], np.float32),
    np.int32(3),
    template="{} and {}",
    placeholder="{}",
    summarize=3,
    T=(dtypes.float32, dtypes.int32),
)
add_sample("StringFormat", template="none", placeholder="{}", summarize=3, T=())
add_sample("StringToHashBucketStrong", _LINES, num_buckets=7, key=(1, 2))
add_sample("LookupTableFindV2", strings("a", "z").reshape(2, 1), np.int32(-1), table={b"a": 1})
add_sample(
    "LookupTableFindV2",
    strings("a", "zz", "q"),
    np.int64(-1),
    table={b"a": 0},
    oov_buckets=3,
)
add_sample(
    "LookupTableFindV2",
    np.array([3, 4], _I64),
    np.zeros(2, np.float32),
    table={3: np.array([1.0, 2.0], np.float32)},
)
add_sample(
    "LookupTableInsertV2",
    np.array([1, 2], _I64),
    np.array([[1.0], [2.0]], np.float32),
    table={},
    value_shape=(1,),
    reserved=(),
)
add_sample("LookupTableRemoveV2", strings("a", "b"), table={b"a": 1}, reserved=())
add_sample("LookupTableSizeV2", table={b"a": 1})
add_sample(
    "LookupTableExportV2",
    table={b"a": 1, b"b": 2},
    key_dtype=dtypes.string,
    value_dtype=dtypes.int64,
    value_shape=(),
)
add_sample(
    "UnsortedSegmentJoin", strings("a", "b", "c"), np.array([1, 0, 1]), np.int32(3), separator="-"
)
add_sample(
    "UnsortedSegmentJoin",
    strings("a", "b", "c", "d").reshape(2, 2),
    np.array([1, 0], _I64),
    _I64(2),
    separator="",
)
add_sample("UnicodeScript", np.array([[72, 0x3B1], [-5, 0x110000]], np.int32))
