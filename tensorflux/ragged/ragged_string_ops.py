"""The ``tf.strings`` functions whose results are ragged: split, bytes_split, the unicode
decoders and ngrams. A scalar string gives a dense vector, a tensor of rank k a ragged
tensor of rank k + 1, and a ragged input keeps its rows (as in TF).
"""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops import string_ragged_ops as parts
from tensorflux.ops.creation_ops import range as _range
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.joining_ops import stack
from tensorflux.ops.shape_ops import reshape, shape
from tensorflux.ragged.ragged_tensor import RaggedTensor

__all__ = [
    "bytes_split",
    "reduce_join",
    "ngrams",
    "split",
    "unicode_decode",
    "unicode_decode_with_offsets",
    "unicode_encode",
    "unicode_split",
    "unicode_split_with_offsets",
    "unicode_transcode",
]


def _strings(x):
    if isinstance(x, RaggedTensor):
        return x
    t = convert_to_tensor(x, dtype=dtypes.string)
    return t


def _per_string(x, fn):
    """``fn(vector) -> (row_splits, *flat outputs)`` applied to every string of ``x``;
    each flat output comes back cut into rows (one per string of ``x``)."""
    if isinstance(x, RaggedTensor):
        results = _per_string(x.flat_values, fn)
        return tuple(x.with_flat_values(r) for r in results)
    shape = list(x.shape)
    if None in shape:
        raise ValueError(f"tf.strings needs inputs of known shape here, got {x.shape}.")
    splits, *flat = fn(reshape(x, [-1]))
    if not shape:
        return tuple(flat)
    out = [RaggedTensor.from_row_splits(f, splits, validate=False) for f in flat]
    for size in reversed(shape[1:]):
        outer = _range(0, out[0].nrows() + 1, size, dtype=dtypes.int64)
        out = [RaggedTensor.from_row_splits(o, outer, validate=False) for o in out]
    return tuple(out)


def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002 - TF's argument name
    """Splits each string on ``sep`` (runs of whitespace when None), at most ``maxsplit``
    times (-1: no limit).

    Returns:
        A 1-D string Tensor for a scalar input, else a RaggedTensor with one more
        dimension than ``input``.

    >>> import tensorflux as tf
    >>> tf.strings.split(["a b", "c"])
    <tf.RaggedTensor [[b'a', b'b'], [b'c']]>
    """
    sep = "" if sep is None else sep

    def fn(v):
        values, splits = parts.split_parts(v, sep, maxsplit)
        return splits, values

    return _per_string(_strings(input), fn)[0]


def bytes_split(input, name=None):  # noqa: A002 - TF's argument name
    """Splits each string into its bytes (a scalar gives a vector).

    >>> import tensorflux as tf
    >>> tf.strings.bytes_split("ab")
    <tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'b'], dtype=object)>
    """

    def fn(v):
        values, splits = parts.bytes_split_parts(v)
        return splits, values

    return _per_string(_strings(input), fn)[0]


def _decoded(input, input_encoding, errors, replacement_char):  # noqa: A002
    def fn(v):
        return parts.unicode_decode_parts(v, input_encoding, errors, replacement_char)

    return _per_string(_strings(input), fn)


def unicode_decode(
    input,  # noqa: A002 - TF's argument name
    input_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """The Unicode code points of each string (int32), one row per string.

    >>> import tensorflux as tf
    >>> tf.strings.unicode_decode(["hé"], "UTF-8")
    <tf.RaggedTensor [[104, 233]]>

    Raises:
        InvalidArgumentError: an unsupported encoding, or bad text with errors="strict".
    """
    return _decoded(input, input_encoding, errors, replacement_char)[0]


def unicode_decode_with_offsets(
    input,  # noqa: A002 - TF's argument name
    input_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """``(code points, byte offset of each)``, as ``unicode_decode`` returns them."""
    return _decoded(input, input_encoding, errors, replacement_char)


def unicode_split(
    input,  # noqa: A002 - TF's argument name
    input_encoding,
    errors="replace",
    replacement_char=65533,
    name=None,
):
    """Each string cut into its characters (still encoded), one row per string.

    >>> import tensorflux as tf
    >>> tf.strings.unicode_split(["ab"], "UTF-8")
    <tf.RaggedTensor [[b'a', b'b']]>
    """
    return unicode_split_with_offsets(input, input_encoding, errors, replacement_char)[0]


def unicode_split_with_offsets(
    input,  # noqa: A002 - TF's argument name
    input_encoding,
    errors="replace",
    replacement_char=65533,
    name=None,
):
    """``(characters, byte offset of each)``, one row per string."""
    points, offsets = _decoded(input, input_encoding, errors, replacement_char)
    return unicode_encode(_expand_last(points), input_encoding, errors, replacement_char), offsets


def _expand_last(points):
    """Code points with a new innermost dimension of size 1 (one character per string)."""
    if isinstance(points, RaggedTensor):
        return points.with_flat_values(_expand_last(points.flat_values))
    n = shape(points, out_type=dtypes.int64)[0]
    return RaggedTensor.from_row_splits(
        points, _range(0, n + 1, dtype=dtypes.int64), validate=False
    )


def _whole_row(vector):
    """Row splits that make the whole ``vector`` one row: ``[0, len(vector)]``."""
    n = shape(vector, out_type=dtypes.int64)[0]
    return stack([n * 0, n])


def unicode_transcode(
    input,  # noqa: A002 - TF's argument name
    input_encoding,
    output_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """Re-encodes each string from ``input_encoding`` to ``output_encoding``.

    >>> import tensorflux as tf
    >>> tf.strings.unicode_transcode("hé", "UTF-8", "UTF-16-BE").numpy()
    b'\\x00h\\x00\\xe9'
    """
    points = unicode_decode(input, input_encoding, errors, replacement_char)
    return unicode_encode(points, output_encoding, errors, replacement_char)


def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533, name=None):  # noqa: A002
    """Encodes each row of code points (the innermost dimension) as one string.

    >>> import tensorflux as tf
    >>> tf.strings.unicode_encode([104, 233], "UTF-8")
    <tf.Tensor: shape=(), dtype=string, numpy=b'h\\xc3\\xa9'>
    """
    if not isinstance(input, RaggedTensor):
        t = convert_to_tensor(input, dtype=dtypes.int32)
        if t.shape.rank == 1:
            splits = _whole_row(t)
            out = parts.unicode_encode_flat(t, splits, output_encoding, errors, replacement_char)
            return reshape(out, [])
        return unicode_encode(
            RaggedTensor.from_tensor(t), output_encoding, errors, replacement_char
        )
    if isinstance(input.values, RaggedTensor):
        inner = unicode_encode(input.values, output_encoding, errors, replacement_char)
        return input.with_values(inner)
    return parts.unicode_encode_flat(
        input.values, input.row_splits, output_encoding, errors, replacement_char
    )


def ngrams(
    data,
    ngram_width,
    separator=" ",
    pad_values=None,
    padding_width=None,
    preserve_short_sequences=False,
    name=None,
):
    """The n-grams of each row of ``data`` (its innermost dimension), joined by
    ``separator``; ``pad_values`` (left, right) pads each row first.

    >>> import tensorflux as tf
    >>> tf.strings.ngrams(tf.ragged.constant([["a", "b", "c"]]), 2)
    <tf.RaggedTensor [[b'a b', b'b c']]>

    Raises:
        ValueError: a width < 1, or ``padding_width`` without ``pad_values``.
    """
    widths = [ngram_width] if isinstance(ngram_width, int) else list(ngram_width)
    if any(w < 1 for w in widths):
        raise ValueError(f"All ngram_widths must be greater than 0. Got {ngram_width}")
    if pad_values is None:
        if padding_width is not None:
            raise ValueError("padding_width requires pad_values")
        left = right = ""
        pad = 0
    else:
        left, right = (pad_values, pad_values) if isinstance(pad_values, str) else pad_values
        pad = -1 if padding_width is None else padding_width
        if padding_width is not None and padding_width < 1:
            raise ValueError(f"padding_width must be greater than 0. Got {padding_width}")
    attrs = {
        "separator": separator,
        "ngram_widths": tuple(widths),
        "left_pad": left,
        "right_pad": right,
        "pad_width": pad,
        "preserve_short_sequences": preserve_short_sequences,
    }
    if isinstance(data, RaggedTensor):
        if isinstance(data.values, RaggedTensor):
            return data.with_values(
                ngrams(
                    data.values,
                    ngram_width,
                    separator,
                    pad_values,
                    padding_width,
                    preserve_short_sequences,
                )
            )
        values, splits = parts.ngrams_parts(data.values, data.row_splits, **attrs)
        return RaggedTensor.from_row_splits(values, splits, validate=False)
    data = convert_to_tensor(data, dtype=dtypes.string)
    if data.shape.rank == 0:
        raise ValueError("Data must have rank>0")
    if data.shape.rank == 1:
        values, _ = parts.ngrams_parts(data, _whole_row(data), **attrs)
        return values
    result = ngrams(
        RaggedTensor.from_tensor(data, ragged_rank=data.shape.rank - 1),
        ngram_width,
        separator,
        pad_values,
        padding_width,
        preserve_short_sequences,
    )
    return result.to_tensor() if isinstance(result, RaggedTensor) else result


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """``tf.strings.reduce_join`` of a ragged tensor: the strings of each row (axis 1 or
    -1), of each column (axis 0), or all of them (None), joined by ``separator``.

    >>> import tensorflux as tf
    >>> tf.strings.reduce_join(tf.ragged.constant([["a", "b"], ["c"]]), axis=1).numpy()
    array([b'ab', b'c'], dtype=object)

    Raises:
        ValueError: an axis the ragged tensor does not have, or one below ragged rows.
    """
    from tensorflux.ops.string_ops import reduce_join as dense_reduce_join
    from tensorflux.ops.string_segment_ops import unsorted_segment_join

    if axis is None:
        return dense_reduce_join(inputs.flat_values, None, keepdims, separator)
    rank = inputs.shape.rank
    axis = axis + rank if axis < 0 else axis
    if inputs.ragged_rank != 1 or rank != 2 or axis not in (0, 1):
        raise ValueError(
            f"tf.strings.reduce_join supports axis 0, 1 or None of 2-D RaggedTensors here, got "
            f"axis={axis} for shape {inputs.shape}: use merge_dims or to_tensor first."
        )
    rows = inputs.value_rowids()
    if axis == 1:
        out = unsorted_segment_join(inputs.values, rows, inputs.nrows(), separator)
    else:
        columns = _range(0, shape(inputs.values, out_type=dtypes.int64)[0], dtype=dtypes.int64)
        columns = columns - gather(inputs.row_splits, rows)
        width = inputs.bounding_shape()[1]
        out = unsorted_segment_join(inputs.values, columns, width, separator)
    return reshape(out, [1, -1] if axis == 0 else [-1, 1]) if keepdims else out
