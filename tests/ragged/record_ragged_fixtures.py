# ruff: noqa: E501 - the case table holds one expression per line
"""Records what TensorFlow gives for ragged tensors, tf.strings and tf.lookup cases.

Run with a Python that has TensorFlow 2.21:
    python tests/ragged/record_ragged_fixtures.py
It writes tests/fixtures/ragged_strings_lookup.json: for every expression in CASES, the
value (nested lists, dtype, ragged or dense) or the error class TF raised. The tests
evaluate the same expressions with tensorflux, so the suite never needs TensorFlow.
"""

from __future__ import annotations

import json
import pathlib
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE.parent / "fixtures" / "ragged_strings_lookup.json"

RT = "tf.ragged.constant([[1.0, 2.0], [3.0], [], [4.0, 5.0, 6.0]])"
RI = "tf.ragged.constant([[1, 2], [3], [], [4, 5, 6]])"
R3 = "tf.ragged.constant([[[1, 2], [3]], [[4]], []])"

CASES = [
    # factories
    "tf.RaggedTensor.from_row_lengths([1, 2, 3, 4], row_lengths=[2, 0, 2])",
    "tf.RaggedTensor.from_row_splits([1, 2, 3, 4], row_splits=[0, 1, 1, 4])",
    "tf.RaggedTensor.from_value_rowids([1, 2, 3], value_rowids=[0, 0, 2], nrows=4)",
    "tf.RaggedTensor.from_value_rowids([1, 2, 3], value_rowids=[0, 0, 2])",
    "tf.RaggedTensor.from_row_starts([1, 2, 3, 4], row_starts=[0, 2, 2])",
    "tf.RaggedTensor.from_row_limits([1, 2, 3, 4], row_limits=[1, 3, 4])",
    "tf.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0], [0, 0, 0]], padding=0)",
    "tf.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]], lengths=[1, 3])",
    "tf.RaggedTensor.from_tensor([[1, 2], [3, 4]])",
    "tf.RaggedTensor.from_tensor([[[1, 1], [0, 0]], [[0, 0], [2, 0]]], padding=0)",
    "tf.RaggedTensor.from_tensor([[[1, 1], [0, 0]], [[0, 0], [2, 0]]], padding=[0, 0])",
    "tf.RaggedTensor.from_tensor([[1.0, 0.0]], padding=0.0, row_splits_dtype=tf.int32).row_splits",
    f"{RT}.to_tensor(shape=[None, 1])",
    f"{R3}.to_tensor(shape=[2, 1, 3])",
    f"{R3}.to_tensor(default_value=9)",
    "tf.RaggedTensor.from_tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], ragged_rank=2)",
    "tf.RaggedTensor.from_nested_row_splits([1, 2, 3, 4], [[0, 2, 3], [0, 1, 3, 4]])",
    "tf.RaggedTensor.from_nested_row_lengths([1, 2, 3, 4], [[2, 1], [1, 2, 1]])",
    "tf.RaggedTensor.from_row_splits([1, 2, 3], row_splits=[1, 3])",
    "tf.RaggedTensor.from_row_splits([1, 2, 3], row_splits=[0, 2])",
    "tf.ragged.constant([[1, 2], [3]], dtype=tf.float64)",
    "tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)",
    "tf.ragged.constant([[b'a', b'bc'], []])",
    "tf.ragged.constant([[1, 2], [3]], row_splits_dtype=tf.int32).row_splits",
    "tf.ragged.range([3, 0, 2])",
    "tf.ragged.range([0, 5], [4, 8], 2)",
    "tf.ragged.range([1.0, 2.0], 3.0, 0.5)",
    # structure
    f"{RT}.to_tensor()",
    f"{RT}.to_tensor(default_value=-1.0)",
    f"{RT}.to_tensor(shape=[2, 2])",
    f"{RT}.to_tensor(shape=[5, 4])",
    f"{R3}.to_tensor()",
    f"{RT}.flat_values",
    f"{RT}.values",
    f"{RT}.row_splits",
    f"{RT}.row_lengths()",
    f"{RT}.value_rowids()",
    f"{RT}.nrows()",
    f"{RT}.bounding_shape()",
    f"{R3}.bounding_shape()",
    f"{R3}.nested_row_splits",
    f"{R3}.ragged_rank",
    f"str({R3}.shape)",
    f"str({RT}.shape)",
    f"repr({RT})",
    f"repr({RI})",
    f"repr({R3})",
    f"str({RT}.dtype)",
    f"{R3}.merge_dims(0, 1)",
    f"{R3}.merge_dims(1, 2)",
    f"{R3}.merge_dims(0, 2)",
    f"{RT}.with_values({RT}.values * 2.0)",
    f"{R3}.with_flat_values(tf.constant([5, 6, 7, 8]))",
    f"repr(tf.RaggedTensorSpec.from_value({R3}))",
    "repr(tf.RaggedTensorSpec([None, None], tf.string))",
    f"{RI}.numpy()[3]",
    # indexing
    f"{RI}[1]",
    f"{RI}[-1]",
    f"{RI}[1:3]",
    f"{RI}[::-1]",
    f"{RI}[:, 1:]",
    f"{RI}[:, :-1]",
    f"{RI}[:, ::-1]",
    f"{RI}[3, 2]",
    f"{RI}[3, -1]",
    f"{RI}[1:, :1]",
    f"{R3}[0]",
    f"{R3}[:, 1:]",
    f"{R3}[0, 0]",
    f"{RI}[:, 0]",
    "tf.ragged.constant([[1, 2], [3]])[:, 0]",
    "tf.ragged.constant([[1, 2], [3]])[:, 1]",
    # elementwise
    f"tf.add({RT}, {RT})",
    f"{RT} + 1.0",
    f"2.0 * {RT}",
    f"{RT} * {RT}",
    f"{RT} - {RT}",
    f"{RT} / 2.0",
    f"-{RT}",
    f"{RT} < 3.0",
    f"{RT} >= 3.0",
    f"{RI} == {RI}",
    f"{RI} != 2",
    "tf.ragged.constant([[[1, 2], [3]], [[4]]]).numpy()[0][1].tolist()",
    f"tf.math.sqrt({RT})",
    f"tf.math.exp({RT})",
    f"tf.cast({RI}, tf.float32)",
    f"tf.maximum({RT}, 2.5)",
    f"{RT} * tf.constant([[1.0], [2.0], [3.0], [4.0]])",
    f"tf.add({RT}, tf.ragged.constant([[1.0], [2.0, 3.0], [], [4.0, 5.0, 6.0]]))",
    f"tf.math.logical_not({RT} > 2.0)",
    # reductions
    f"tf.reduce_sum({RT}, axis=1)",
    f"tf.reduce_sum({RT}, axis=0)",
    f"tf.reduce_sum({RT})",
    f"tf.reduce_mean({RT}, axis=1)",
    f"tf.reduce_mean({RT}, axis=0)",
    f"tf.reduce_mean({RT})",
    f"tf.reduce_max({RT}, axis=1)",
    f"tf.reduce_min({RT}, axis=1)",
    f"tf.reduce_max({RI}, axis=1)",
    f"tf.reduce_prod({RT}, axis=1)",
    f"tf.reduce_sum({RT}, axis=-1)",
    f"tf.reduce_sum({RT}, axis=1, keepdims=True)",
    f"tf.reduce_sum({R3}, axis=2)",
    f"tf.reduce_sum({R3}, axis=[1, 2])",
    f"tf.reduce_max({R3}, axis=-1)",
    f"tf.reduce_any({RT} > 4.0, axis=1)",
    # joining, masking, mapping
    f"tf.concat([{RI}, {RI}], axis=0)",
    f"tf.concat([{RI}, {RI}], axis=1)",
    f"tf.concat([{R3}, {R3}], axis=1)",
    f"tf.stack([{RI}, {RI}], axis=0)",
    f"tf.stack([{RI}, {RI}], axis=1)",
    f"tf.ragged.stack([{RI}, tf.ragged.constant([[7]])])",
    "tf.concat([tf.ragged.constant([[1]]), tf.ragged.constant([[2], [3]])], axis=1)",
    "tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]], [[True, False, True], [False, False, True]])",
    f"tf.ragged.boolean_mask({RI}, tf.ragged.constant([[True, False], [True], [], [False, True, True]]))",
    f"tf.ragged.boolean_mask({RI}, [True, False, True, True])",
    f"tf.ragged.map_flat_values(tf.ones_like, {RI})",
    f"tf.ragged.map_flat_values(tf.multiply, {RI}, {RI})",
    f"tf.gather({RI}, [3, 0])",
    "tf.size(tf.ragged.constant([[1, 2], [3]]))",
    "tf.ragged.row_splits_to_segment_ids([0, 2, 2, 3])",
    "tf.ragged.segment_ids_to_row_splits([0, 0, 2], num_segments=4)",
    "tf.ragged.segment_ids_to_row_splits(tf.constant([0, 1, 1], tf.int64))",
    # tf.data
    "list(tf.data.Dataset.range(4).map(lambda x: tf.range(x)).ragged_batch(3))",
    "list(tf.data.Dataset.range(4).map(lambda x: tf.range(x)).ragged_batch(3, drop_remainder=True))",
    "repr(tf.data.Dataset.range(4).map(lambda x: tf.range(x)).ragged_batch(3).element_spec)",
    "list(tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2], [3], []])).map(lambda x: x * 2).ragged_batch(2))",
    "list(tf.data.Dataset.from_tensor_slices((tf.ragged.constant([[1.0, 2.0], [3.0]]), [7, 8])).map(lambda x, y: tf.reduce_sum(x)))",
    "list(tf.data.Dataset.range(5).map(lambda x: tf.range(x)).apply(tf.data.experimental.dense_to_ragged_batch(2)).map(lambda r: tf.reduce_sum(r, axis=1)))",
    "list(tf.data.Dataset.from_tensor_slices(['a b', 'c']).map(tf.strings.split).ragged_batch(2))",
    "list(tf.data.Dataset.range(3).map(lambda x: (tf.fill([2], x), tf.range(x))).ragged_batch(3))",
    "[r.tolist() for r in tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2], [3]])).as_numpy_iterator()]",
    "list(tf.data.Dataset.range(4).map(lambda x: tf.range(x)).ragged_batch(2).unbatch())",
    "list(tf.data.Dataset.range(5).map(lambda x: tf.range(x)).ragged_batch(2).batch(2))",
    "list(tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[[1], [2, 3]], [[4]], []])).batch(2))",
    "list(tf.data.Dataset.range(3).map(lambda x: (tf.range(x), x)).ragged_batch(2).unbatch())",
    "list(tf.data.Dataset.range(4).map(lambda x: tf.range(x)).ragged_batch(2).batch(5).unbatch().unbatch())",
    # strings
    "tf.strings.split(['hello world', 'a  b c', ''])",
    "tf.strings.split(['a,b,,c', 'd'], sep=',')",
    "tf.strings.split(['a b c d'], maxsplit=2)",
    "tf.strings.split('hello world')",
    "tf.strings.split([['a b', 'c'], ['d e f', '']])",
    "tf.strings.bytes_split(['abc', 'de'])",
    "tf.strings.bytes_split('abc')",
    "tf.strings.unicode_split(['héllo', 'ab'], 'UTF-8')",
    "tf.strings.unicode_decode(['héllo', 'ab'], 'UTF-8')",
    "tf.strings.unicode_decode('héllo', 'UTF-8')",
    "tf.strings.unicode_decode_with_offsets(['héllo', 'ab'], 'UTF-8')",
    "tf.strings.unicode_split_with_offsets(['héllo', 'ab'], 'UTF-8')",
    "tf.strings.unicode_encode(tf.ragged.constant([[104, 233], [97]]), 'UTF-8')",
    "tf.strings.unicode_encode([104, 233, 108], 'UTF-8')",
    "tf.strings.unicode_transcode(['héllo', 'ab'], 'UTF-8', 'UTF-16-BE')",
    "tf.strings.ngrams(tf.ragged.constant([['a', 'b', 'c'], ['d']]), 2)",
    "tf.strings.ngrams(tf.ragged.constant([['a', 'b', 'c'], ['d']]), 2, separator='-')",
    "tf.strings.ngrams(tf.ragged.constant([['a', 'b', 'c'], ['d']]), 3, preserve_short_sequences=True)",
    "tf.strings.ngrams(tf.ragged.constant([['a', 'b', 'c'], ['d']]), (1, 2))",
    "tf.strings.ngrams(tf.ragged.constant([['a', 'b', 'c'], ['d']]), 2, pad_values=('<s>', '</s>'))",
    "tf.strings.ngrams(tf.constant(['a', 'b', 'c', 'd']), 3)",
    "tf.strings.ngrams(tf.constant([['a', 'b', 'c'], ['d', 'e', 'f']]), 2, pad_values='#', padding_width=1)",
    "tf.strings.to_hash_bucket_fast(['hello', 'world', '', 'a much longer string for farmhash'], 1000)",
    "tf.strings.to_hash_bucket_strong(['hello', 'world', ''], 1000, key=[1, 2])",
    "tf.strings.to_hash_bucket(['hello', 'world', '', 'abcdefgh', 'abcdefghijklmnopq', 'x y'], 1000003)",
    "tf.strings.to_hash_bucket_fast(['', 'abcdefghijklmnopqrstuvwxyz0123456789', 'a' * 70, 'b' * 17], 1 << 40)",
    "tf.strings.format('x={} y={}', [tf.constant(3), tf.constant([1.5, 2.0])])",
    "tf.strings.format('{}', tf.constant(['a', 'b']))",
    "tf.strings.format('{}', tf.constant('x'))",
    "tf.strings.format('v: {}', [tf.range(10)])",
    "tf.strings.format('v: {}', [tf.range(10)], summarize=2)",
    "tf.strings.format('[{}]', [tf.constant([[1, 2], [3, 4]])])",
    "tf.strings.format('{} {}', [tf.constant(1)])",
    "tf.strings.unsorted_segment_join(['a', 'b', 'c', 'd'], [1, 0, 1, 3], 4, separator='-')",
    "tf.strings.unsorted_segment_join([['a', 'b'], ['c', 'd']], [1, 0], 3)",
    "tf.strings.unsorted_segment_join(['a'], [5], 2)",
    "tf.strings.reduce_join(tf.ragged.constant([['a', 'b'], [], ['c']]), axis=1, separator=' ')",
    "tf.strings.reduce_join(tf.ragged.constant([['a', 'b'], [], ['c']]), axis=-1)",
    "tf.strings.reduce_join(tf.ragged.constant([['a', 'b'], [], ['c']]))",
    "tf.strings.reduce_join(tf.ragged.constant([['a', 'b'], [], ['c']]), axis=0)",
    "tf.strings.reduce_join(tf.strings.split(['hello big world', 'x y']), axis=1, separator='_')",
    "tf.strings.length(tf.ragged.constant([['ab', 'c'], []]))",
    "tf.strings.upper(tf.ragged.constant([['ab', 'c'], []]))",
    "tf.strings.string_to_number(['1.5', '2'])",
    "tf.strings.to_number(['3', '4'], out_type=tf.int64)",
    # lookup
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b', 'c'], [1, 2, 3]), -1).lookup(tf.constant(['a', 'c', 'z']))",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b', 'c'], [1, 2, 3]), -1).size()",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer([1, 2, 3], [1.5, 2.5, 3.5], key_dtype=tf.int64, value_dtype=tf.float32), 0.0).lookup(tf.constant([[3, 9], [1, 2]], tf.int64))",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b'], [1, 2]), -1).export()",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b'], [1, 2]), -1).lookup(tf.constant([1, 2]))",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b'], [1, 2]), -1).lookup(tf.ragged.constant([['a'], ['b', 'q']]))",
    "tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(['a', 'b', 'c'], tf.constant([0, 1, 2], tf.int64)), num_oov_buckets=5).lookup(tf.constant(['a', 'c', 'zebra', 'hello', 'x']))",
    "tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(['a', 'b', 'c'], tf.constant([0, 1, 2], tf.int64)), num_oov_buckets=5).size()",
    "tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(VOCAB, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER), -1).lookup(tf.constant(['cat', 'dog', 'emu']))",
    "tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(PAIRS, tf.string, 0, tf.int64, 1, delimiter=','), -1).lookup(tf.constant(['x', 'y', 'w']))",
    "list(tf.data.Dataset.from_tensor_slices(['a', 'q', 'b']).map(tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b'], [1, 2]), -1).lookup))",
    "tf.function(tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b'], [1, 2]), -1).lookup)(tf.constant([['b'], ['z']]))",
    "(lambda t: (t.insert(['a', 'b'], tf.constant([1, 2], tf.int64)), t.lookup(['a', 'z']))[1])(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1))",
    "(lambda t: (t.insert(['a', 'b'], tf.constant([1, 2], tf.int64)), t.remove(tf.constant(['a', 'q'])), t.size())[2])(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1))",
    "(lambda t: (t.insert(['a', 'b'], tf.constant([1, 2], tf.int64)), t.remove(tf.constant(['a'])), t.export())[2])(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1))",
    "(lambda t: (t.insert(tf.constant([3], tf.int64), [[1.0, 2.0]]), t.lookup(tf.constant([[3], [4]], tf.int64)))[1])(tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, [0.0, 0.0]))",
    "(lambda t: (t.insert(['a', 'b'], tf.constant([1], tf.int64)),))(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1))",
    "(lambda t: (t.insert(tf.constant([1]), tf.constant([1], tf.int64)),))(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1))",
    "(lambda t: (t.insert(['a'], tf.constant([1])),))(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1))",
    "(lambda t: (t.insert(['a'], tf.constant([1], tf.int64)), t.insert(['a'], tf.constant([5], tf.int64)), t.lookup(['a']))[2])(tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1))",
    "(lambda t: (t.insert(tf.constant([5, 7], tf.int64), tf.constant([50, 70], tf.int64)), t.erase(tf.constant([5], tf.int64)), t.lookup(tf.constant([5, 6, 7], tf.int64)), t.size())[2:])(tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-1))",
    "(lambda t: (t.insert(tf.constant([0], tf.int64), tf.constant([1], tf.int64)),))(tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-1))",
    "tf.lookup.StaticVocabularyTable(tf.lookup.TextFileInitializer(VOCAB, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER), 2).lookup(tf.constant(['cat', 'emu', 'fox']))",
]

VOCAB_TEXT = "cat\ndog\nbird\n"
PAIRS_TEXT = "x,10\ny,20\nz,30\n"


def write_vocab_files(folder: pathlib.Path) -> dict:
    """The text files the lookup cases read, as the names VOCAB and PAIRS."""
    vocab, pairs = folder / "vocab.txt", folder / "pairs.txt"
    vocab.write_text(VOCAB_TEXT)
    pairs.write_text(PAIRS_TEXT)
    return {"VOCAB": str(vocab), "PAIRS": str(pairs)}


def describe(tf, value):
    """A JSON-able summary of a result: kind, dtype, nested values."""
    import numpy as np

    if isinstance(value, tf.RaggedTensor):
        return {
            "kind": "ragged",
            "dtype": value.dtype.name,
            "splits_dtype": value.row_splits.dtype.name,
            "value": _plain(value.to_list()),
        }
    if isinstance(value, (tuple, list)) and value and not isinstance(value[0], (int, float)):
        return {"kind": "tuple", "items": [describe(tf, v) for v in value]}
    if tf.is_tensor(value):
        return {
            "kind": "tensor",
            "dtype": value.dtype.name,
            "shape": list(value.shape),
            "value": _plain(np.asarray(value.numpy()).tolist()),
        }
    if isinstance(value, np.ndarray):
        return {"kind": "array", "value": _plain(value.tolist())}
    return {"kind": "python", "value": _plain(value)}


def _plain(x):
    import math

    if isinstance(x, (list, tuple)):
        return [_plain(e) for e in x]
    if isinstance(x, bytes):
        return {"bytes": x.decode("latin-1")}
    if isinstance(x, float) and not math.isfinite(x):
        return {"float": repr(x)}
    return x


def evaluate(tf, expr: str, names: dict) -> dict:
    try:
        value = eval(expr, {"tf": tf, **names})  # noqa: S307 - our own case table
    except Exception as e:  # noqa: BLE001 - the class TF raises is what is recorded
        return {"error": type(e).__name__}
    return describe(tf, value)


def main() -> None:
    import tensorflow as tf

    with tempfile.TemporaryDirectory() as d:
        names = write_vocab_files(pathlib.Path(d))
        cases = [{"expr": e, "tf": evaluate(tf, e, names)} for e in CASES]
    OUT.write_text(json.dumps(cases, indent=0) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
