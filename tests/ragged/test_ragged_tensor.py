"""RaggedTensor behaviour beyond the recorded values: gradients, tf.function, errors."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.testing import check_gradients

LENGTHS = [2, 0, 3, 1]


def _rt(x):
    return tf.RaggedTensor.from_row_lengths(x, LENGTHS)


def _values(n=6, seed=0):
    return np.random.default_rng(seed).uniform(0.5, 2.0, size=n)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: (_rt(x) * _rt(x) + 1.0).flat_values,
        lambda x: tf.math.sin(_rt(x)).flat_values,
        lambda x: tf.reduce_sum(_rt(x), axis=1),
        lambda x: tf.reduce_mean(_rt(x), axis=1)[:1],
        lambda x: tf.reduce_max(_rt(x), axis=1)[2:],
        lambda x: tf.reduce_sum(_rt(x), axis=0),
        lambda x: tf.reduce_prod(_rt(x), axis=1),
        lambda x: _rt(x).to_tensor(default_value=0.5),
        lambda x: _rt(x)[:, 1:].flat_values,
        lambda x: tf.concat([_rt(x), _rt(x) * 2.0], axis=1).flat_values,
        lambda x: (_rt(x) * tf.constant([[1.0], [2.0], [3.0], [4.0]], tf.float64)).flat_values,
    ],
    ids=[
        "elementwise",
        "unary",
        "reduce_sum_rows",
        "reduce_mean_rows",
        "reduce_max_rows",
        "reduce_sum_columns",
        "reduce_prod_rows",
        "to_tensor",
        "row_slices",
        "concat_axis1",
        "per_row_scale",
    ],
)
def test_gradients_flow_through_flat_values(fn):
    check_gradients(fn, [_values()])


def test_second_order_gradient_through_ragged_reduce():
    check_gradients(lambda x: tf.reduce_sum(_rt(x) * _rt(x), axis=1), [_values()], order=2)


def test_tf_function_takes_and_returns_ragged():
    @tf.function
    def scale_rows(rt, factor):
        return rt * factor, tf.reduce_sum(rt, axis=1)

    out, sums = scale_rows(tf.ragged.constant([[1.0, 2.0], [3.0]]), 2.0)
    assert isinstance(out, tf.RaggedTensor)
    assert out.to_list() == [[2.0, 4.0], [6.0]]
    assert sums.numpy().tolist() == [3.0, 3.0]
    out, sums = scale_rows(tf.ragged.constant([[1.0], [], [2.0, 3.0]]), 2.0)
    assert out.to_list() == [[2.0], [], [4.0, 6.0]]
    assert sums.numpy().tolist() == [1.0, 0.0, 5.0]
    scale_rows(tf.ragged.constant([[5.0, 6.0], [7.0]]), 2.0)
    assert scale_rows.experimental_get_tracing_count() == 2


def test_tf_function_builds_ragged_inside():
    @tf.function
    def words_per_line(lines):
        words = tf.strings.split(lines)
        return words.row_lengths(), words[:, :1].to_tensor(default_value="?")

    lengths, first = words_per_line(tf.constant(["a b c", "", "d e"]))
    assert lengths.numpy().tolist() == [3, 0, 2]
    assert first.numpy().tolist() == [[b"a"], [b"?"], [b"d"]]
    lengths, _ = words_per_line(tf.constant(["x", "y z w v"]))
    assert lengths.numpy().tolist() == [1, 4]


def test_gradient_through_tf_function_with_ragged_argument():
    x = tf.Variable([1.0, 2.0, 3.0])

    @tf.function
    def loss(rt):
        return tf.reduce_sum(tf.reduce_max(rt * rt, axis=1))

    with tf.GradientTape() as tape:
        y = loss(tf.RaggedTensor.from_row_lengths(x, [2, 1]))
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 4.0, 6.0]


def test_symbolic_repr_names_the_components():
    seen = []

    @tf.function
    def f(rt):
        seen.append(repr(rt))
        return rt

    f(tf.ragged.constant([[1], [2, 3]]))
    assert seen[0].startswith("tf.RaggedTensor(values=")


def test_structure_properties():
    rt = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert rt.shape.as_list() == [2, None, None]
    assert rt.ragged_rank == 2
    assert rt.dtype == tf.int32
    assert len(rt) == 2
    assert [r.to_list() for r in rt] == [[[1, 2], [3]], [[4]]]
    assert [s.numpy().tolist() for s in rt.nested_row_lengths()] == [[2, 1], [2, 1, 1]]
    assert rt.with_row_splits_dtype(tf.int32).row_splits.dtype == tf.int32
    spec = tf.RaggedTensorSpec.from_value(rt)
    assert spec == tf.RaggedTensorSpec([2, None, None], tf.int32, 2)
    assert spec.is_compatible_with(rt)
    assert not spec.is_compatible_with(tf.ragged.constant([[1.0]]))


def test_errors():
    with pytest.raises(ValueError, match="constructor is private"):
        tf.RaggedTensor([1], [0, 1])
    with pytest.raises(InvalidArgumentError, match="First value of ragged splits must be 0"):
        tf.RaggedTensor.from_row_splits([1, 2], [1, 2])
    with pytest.raises(InvalidArgumentError, match="number of values"):
        tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2])
    with pytest.raises(InvalidArgumentError, match="identical ragged splits"):
        tf.ragged.constant([[1.0], [2.0, 3.0]]) + tf.ragged.constant([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant([[1, [2]]])
    with pytest.raises(ValueError, match="Cannot index into an inner ragged dimension"):
        tf.ragged.constant([[1, 2], [3]])[:, 0]
    with pytest.raises(ValueError, match="lengths.*padding"):
        tf.RaggedTensor.from_tensor([[1]], lengths=[1], padding=0)
    with pytest.raises(InvalidArgumentError, match="same number of rows"):
        tf.concat([tf.ragged.constant([[1]]), tf.ragged.constant([[2], [3]])], axis=1)
    with pytest.raises(TypeError, match="boolean"):
        bool(tf.ragged.constant([[1]]))
    with pytest.raises(InvalidArgumentError, match="delta != 0"):
        tf.ragged.range([1, 2], 5, 0)


def test_dense_calls_are_unchanged():
    assert tf.add(1, 2).numpy() == 3
    assert tf.reduce_sum([[1, 2], [3, 4]], axis=1).numpy().tolist() == [3, 7]
    assert tf.concat([[1], [2]], 0).numpy().tolist() == [1, 2]
    assert tf.add.__name__ == "add"


def test_input_signature_with_ragged_spec_traces_once():
    @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float32)])
    def row_sums(rt):
        return tf.reduce_sum(rt, axis=1), rt[:, :1]

    sums, firsts = row_sums(tf.ragged.constant([[1.0, 2.0], [3.0]]))
    assert sums.numpy().tolist() == [3.0, 3.0] and firsts.to_list() == [[1.0], [3.0]]
    sums, firsts = row_sums(tf.ragged.constant([[1.0], [], [2.0, 3.0, 4.0]]))
    assert sums.numpy().tolist() == [1.0, 0.0, 9.0] and firsts.to_list() == [[1.0], [], [2.0]]
    assert row_sums.experimental_get_tracing_count() == 1
    spec = row_sums.get_concrete_function().structured_input_signature[0][0]
    assert spec == tf.RaggedTensorSpec([None, None], tf.float32)
    with pytest.raises(TypeError, match="incompatible with its input_signature"):
        row_sums(tf.ragged.constant([[1, 2]]))


def test_concrete_function_from_nested_ragged_spec():
    @tf.function
    def lengths(rt):
        return rt.row_lengths(axis=2)

    concrete = lengths.get_concrete_function(tf.RaggedTensorSpec([None, None, None], tf.string, 2))
    out = concrete(tf.ragged.constant([[["a"]], [["b", "c"], []]]))
    assert out.to_list() == [[1], [2, 0]]


def test_string_ops_in_tf_function_keep_sizes_symbolic():
    @tf.function
    def pipeline(lines):
        words = tf.strings.split(lines)
        grams = tf.strings.ngrams(words, 2, separator="+")
        chars = tf.strings.unicode_decode(lines, "UTF-8")
        joined = tf.strings.reduce_join(words, axis=1, separator="|")
        return grams, chars.row_lengths(), joined, tf.strings.bytes_split(lines)

    grams, lengths, joined, pieces = pipeline(tf.constant(["a b c", "dé"]))
    assert grams.to_list() == [[b"a+b", b"b+c"], []]
    assert lengths.numpy().tolist() == [5, 2]
    assert joined.numpy().tolist() == [b"a|b|c", "dé".encode()]
    assert pieces.row_lengths().numpy().tolist() == [5, 3]
    grams, lengths, joined, _ = pipeline(tf.constant(["x y", "p q r s"]))
    assert grams.to_list() == [[b"x+y"], [b"p+q", b"q+r", b"r+s"]]
    assert lengths.numpy().tolist() == [3, 7]
    assert joined.numpy().tolist() == [b"x|y", b"p|q|r|s"]
    assert pipeline.experimental_get_tracing_count() == 1


def test_from_value_rowids_in_tf_function_counts_rows_when_run():
    @tf.function
    def splits(ids):
        return tf.RaggedTensor.from_value_rowids(tf.cast(ids, tf.float32), ids).row_splits

    assert splits(tf.constant([0, 0, 2], tf.int64)).numpy().tolist() == [0, 2, 2, 3]
    assert splits(tf.constant([1, 1, 4], tf.int64)).numpy().tolist() == [0, 0, 2, 2, 2, 3]
