"""String ops whose results are ragged: each kernel takes a vector of strings and returns
flat values plus row splits (``tensorflux.ragged.ragged_string_ops`` wraps them into
RaggedTensors), and the hash-bucket ops.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops.string_hashing import fingerprint64, murmur_hash64, siphash24

__all__ = [
    "bytes_split_parts",
    "ngrams_parts",
    "split_parts",
    "to_hash_bucket",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
    "unicode_decode_parts",
    "unicode_encode_flat",
]

_STRING = frozenset({dtypes.string})
_VECTOR = TensorShape([None])


def _splits_of(rows: list) -> np.ndarray:
    splits = np.zeros(len(rows) + 1, np.int64)
    np.cumsum([len(r) for r in rows], out=splits[1:])
    return splits


def _flat(rows: list, dtype=object) -> np.ndarray:
    out = np.empty(sum(len(r) for r in rows), dtype=dtype)
    i = 0
    for r in rows:
        out[i : i + len(r)] = r
        i += len(r)
    return out


def _split_one(s: bytes, sep: bytes, maxsplit: int) -> list:
    if sep == b"":
        return s.split(None, maxsplit) if maxsplit >= 0 else s.split()
    return s.split(sep, maxsplit)


def _string_split_kernel(x, sep=b"", maxsplit=-1):
    sep = sep.encode() if isinstance(sep, str) else sep
    rows = [_split_one(s, sep, maxsplit) for s in x.ravel()]
    return _flat(rows), _splits_of(rows)


def _ragged_infer(x: Spec, **attrs):
    return Spec(dtypes.string, _VECTOR), Spec(dtypes.int64, _VECTOR)


_SPLIT = register(
    "StringSplitToRows",
    kernel=_string_split_kernel,
    grad=None,
    infer=_ragged_infer,
    dynamic_shape=True,
    num_outputs=2,
    allowed=_STRING,
)


def split_parts(x, sep: str, maxsplit: int):
    """``(values, row_splits)`` of the pieces of each string of ``x`` (a vector)."""
    return execute(_SPLIT, [x], {"sep": sep, "maxsplit": maxsplit})


def _bytes_split_kernel(x):
    rows = [[s[i : i + 1] for i in range(len(s))] for s in x.ravel()]
    return _flat(rows), _splits_of(rows)


_BYTES_SPLIT = register(
    "StringBytesSplit",
    kernel=_bytes_split_kernel,
    grad=None,
    infer=_ragged_infer,
    dynamic_shape=True,
    num_outputs=2,
    allowed=_STRING,
)


def bytes_split_parts(x):
    return execute(_BYTES_SPLIT, [x])


_CODECS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}


def _codec(encoding: str, op: str, what: str) -> str:
    if encoding not in _CODECS:
        raise InvalidArgumentError(
            None,
            op,
            f"{what} {encoding!r} is not supported: use one of {sorted(_CODECS)}.",
        )
    return _CODECS[encoding]


def _decode_one(s: bytes, codec: str, errors: str, replacement: int):
    """The code points of ``s`` and the byte offset where each starts."""
    if codec != "utf-8":
        text = s.decode(codec, "replace" if errors != "strict" else "strict")
        width = 2 if codec == "utf-16-be" else 4
        return [ord(c) for c in text], [i * width for i in range(len(text))]
    points, starts, i = [], [], 0
    while i < len(s):
        for n in (1, 2, 3, 4):
            try:
                ch = s[i : i + n].decode("utf-8")
            except UnicodeDecodeError:
                continue
            points.append(ord(ch))
            starts.append(i)
            i += n
            break
        else:
            if errors == "strict":
                raise InvalidArgumentError(
                    None, "UnicodeDecode", f"Invalid formatting on input string: {s!r}"
                )
            if errors == "replace":
                points.append(replacement)
                starts.append(i)
            i += 1
    return points, starts


def _unicode_decode_kernel(x, input_encoding="UTF-8", errors="replace", replacement_char=65533):
    codec = _codec(input_encoding, "UnicodeDecodeWithOffsets", "input_encoding")
    decoded = [_decode_one(s, codec, errors, replacement_char) for s in x.ravel()]
    points = [d[0] for d in decoded]
    splits = _splits_of(points)
    return splits, _flat(points, np.int32), _flat([d[1] for d in decoded], np.int64)


def _unicode_decode_infer(x: Spec, **attrs):
    return (Spec(dtypes.int64, _VECTOR), Spec(dtypes.int32, _VECTOR), Spec(dtypes.int64, _VECTOR))


_DECODE = register(
    "UnicodeDecodeWithOffsets",
    kernel=_unicode_decode_kernel,
    grad=None,
    infer=_unicode_decode_infer,
    dynamic_shape=True,
    num_outputs=3,
    allowed=_STRING,
)


def unicode_decode_parts(x, input_encoding: str, errors: str, replacement_char: int):
    """``(row_splits, code_points, byte_starts)`` of the strings of the vector ``x``."""
    attrs = {
        "input_encoding": input_encoding,
        "errors": errors,
        "replacement_char": replacement_char,
    }
    return execute(_DECODE, [x], attrs)


def _unicode_encode_kernel(
    values, splits, output_encoding="UTF-8", errors="replace", replacement_char=65533
):
    codec = _codec(output_encoding, "UnicodeEncode", "output_encoding")
    out = np.empty(len(splits) - 1, dtype=object)
    for i in range(len(splits) - 1):
        chars = []
        for cp in values[splits[i] : splits[i + 1]].tolist():
            if not 0 <= cp <= 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                if errors == "strict":
                    raise InvalidArgumentError(
                        None, "UnicodeEncode", f"Invalid code point {cp}: not a Unicode scalar."
                    )
                if errors == "ignore":
                    continue
                cp = replacement_char
            chars.append(chr(cp))
        out[i] = "".join(chars).encode(codec)
    return out


def _unicode_encode_infer(values: Spec, splits: Spec, **attrs):
    n = splits.shape[0]
    return Spec(dtypes.string, TensorShape([None if n is None else n - 1]))


_ENCODE = register(
    "UnicodeEncode",
    kernel=_unicode_encode_kernel,
    grad=None,
    infer=_unicode_encode_infer,
    allowed=frozenset({dtypes.int32}),
)


def unicode_encode_flat(values, splits, output_encoding: str, errors: str, replacement_char: int):
    attrs = {
        "output_encoding": output_encoding,
        "errors": errors,
        "replacement_char": replacement_char,
    }
    return execute(_ENCODE, [values, splits], attrs)


def _ngrams_kernel(
    data,
    data_splits,
    separator=b" ",
    ngram_widths=(),
    left_pad=b"",
    right_pad=b"",
    pad_width=0,
    preserve_short_sequences=False,
):
    sep = separator.encode() if isinstance(separator, str) else separator
    left = left_pad.encode() if isinstance(left_pad, str) else left_pad
    right = right_pad.encode() if isinstance(right_pad, str) else right_pad
    rows = []
    for i in range(len(data_splits) - 1):
        tokens = list(data[data_splits[i] : data_splits[i + 1]])
        grams = []
        for width in ngram_widths:
            pad = width - 1 if pad_width < 0 else min(pad_width, width - 1)
            padded = [left] * pad + tokens + [right] * pad
            grams += [sep.join(padded[j : j + width]) for j in range(len(padded) - width + 1)]
        if not grams and preserve_short_sequences and tokens:
            pad = 0 if pad_width == 0 else max(ngram_widths) - 1 if pad_width < 0 else pad_width
            grams = [sep.join([left] * pad + tokens + [right] * pad)]
        rows.append(grams)
    return _flat(rows), _splits_of(rows).astype(data_splits.dtype)


def _ngrams_infer(data: Spec, splits: Spec, **attrs):
    return Spec(dtypes.string, _VECTOR), Spec(splits.dtype, _VECTOR)


_NGRAMS = register(
    "StringNGrams",
    kernel=_ngrams_kernel,
    grad=None,
    infer=_ngrams_infer,
    dynamic_shape=True,
    num_outputs=2,
    allowed=_STRING,
)


def ngrams_parts(data, splits, **attrs):
    return execute(_NGRAMS, [data, splits], attrs)


def _hash_fast_kernel(x, num_buckets=1):
    out = np.array([fingerprint64(s) % num_buckets for s in x.ravel()], dtype=np.int64)
    return out.reshape(x.shape)


def _hash_legacy_kernel(x, num_buckets=1):
    out = np.array([murmur_hash64(s) % num_buckets for s in x.ravel()], dtype=np.int64)
    return out.reshape(x.shape)


def _hash_strong_kernel(x, num_buckets=1, key=(0, 0)):
    key = tuple(int(k) for k in key)
    out = np.array([siphash24(key, s) % num_buckets for s in x.ravel()], dtype=np.int64)
    return out.reshape(x.shape)


def _hash_infer(x: Spec, **attrs) -> Spec:
    return Spec(dtypes.int64, x.shape)


_HASH_FAST = register(
    "StringToHashBucketFast",
    kernel=_hash_fast_kernel,
    grad=None,
    infer=_hash_infer,
    allowed=_STRING,
)
_HASH_LEGACY = register(
    "StringToHashBucket",
    kernel=_hash_legacy_kernel,
    grad=None,
    infer=_hash_infer,
    allowed=_STRING,
)
_HASH_STRONG = register(
    "StringToHashBucketStrong",
    kernel=_hash_strong_kernel,
    grad=None,
    infer=_hash_infer,
    allowed=_STRING,
)


def _check_buckets(num_buckets) -> int:
    if not isinstance(num_buckets, (int, np.integer)) or num_buckets < 1:
        raise InvalidArgumentError(
            None,
            "StringToHashBucketFast",
            f"num_buckets must be >= 1, got {num_buckets!r}.",
        )
    return int(num_buckets)


def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002 - TF's argument name
    """Each string's bucket: FarmHash Fingerprint64 modulo ``num_buckets`` (int64).

    >>> import tensorflux as tf
    >>> tf.strings.to_hash_bucket_fast(["hello"], 1000).numpy().tolist()
    [296]

    Raises:
        InvalidArgumentError: ``num_buckets`` < 1, or a non-string input.
    """
    return execute(_HASH_FAST, [input], {"num_buckets": _check_buckets(num_buckets)})


def to_hash_bucket(string_tensor, num_buckets, name=None):
    """Each string's bucket under TF's original string hash (MurmurHash64A); prefer
    ``to_hash_bucket_fast``, which TF recommends.

    >>> import tensorflux as tf
    >>> tf.strings.to_hash_bucket(["hello"], 10).numpy().tolist()
    [8]
    """
    attrs = {"num_buckets": _check_buckets(num_buckets)}
    return execute(_HASH_LEGACY, [string_tensor], attrs)


def to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    """Each string's bucket: SipHash-2-4 under the two-int ``key``, modulo ``num_buckets``.

    >>> import tensorflux as tf
    >>> tf.strings.to_hash_bucket_strong(["hello"], 1000, key=[1, 2]).numpy().tolist()
    [622]

    Raises:
        ValueError: a key that is not two integers.
    """
    key = list(key)
    if len(key) != 2:
        raise ValueError(f"Key must have size 2, got {len(key)}.")
    attrs = {"num_buckets": _check_buckets(num_buckets), "key": tuple(int(k) for k in key)}
    return execute(_HASH_STRONG, [input], attrs)
