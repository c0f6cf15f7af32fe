"""tf.io feature specs and Example/SequenceExample parsing against TF 2.21's recorded
results, eager, inside tf.function and in Dataset.map."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.proto_wire import MessageWriter
from tests.io.io_cases import PARSE_CASES, SEQ_CASES, SPEC_CASES
from tests.io.io_harness import EX, RESULTS, check, run

CASES = SPEC_CASES + PARSE_CASES + SEQ_CASES


@pytest.mark.parametrize("name,code", CASES, ids=[c[0] for c in CASES])
def test_matches_tf(name, code):
    check(run(code), RESULTS[name], name)


SPEC = {
    "a": tf.io.FixedLenFeature([2], tf.float32),
    "b": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
    "v": tf.io.VarLenFeature(tf.int64),
    "sp": tf.io.SparseFeature("idx", "val", tf.float32, 5),
    "r": tf.io.RaggedFeature(tf.string, "s"),
    "l": tf.io.RaggedFeature(tf.int64, "m", [tf.io.RaggedFeature.RowLengths("len")]),
}


def _eager_batch():
    return tf.io.parse_example([EX["ex1"], EX["ex2"]], SPEC)


def _same(got: dict, want: dict) -> None:
    assert sorted(got) == sorted(want)
    for key, value in want.items():
        if isinstance(value, tf.SparseTensor):
            for g, w in zip(
                (got[key].indices, got[key].values, got[key].dense_shape),
                (value.indices, value.values, value.dense_shape),
            ):
                np.testing.assert_array_equal(g.numpy(), w.numpy())
        elif isinstance(value, tf.RaggedTensor):
            assert got[key].to_list() == value.to_list()
        else:
            np.testing.assert_array_equal(got[key].numpy(), value.numpy())


def test_parse_example_in_function():
    f = tf.function(
        lambda s: tf.io.parse_example(s, SPEC),
        input_signature=[tf.TensorSpec([None], tf.string)],
    )
    _same(f(tf.constant([EX["ex1"], EX["ex2"]])), _eager_batch())
    required = r"Feature: a \(data type: float\) is required"
    with pytest.raises(tf.errors.InvalidArgumentError, match=required):
        f(tf.constant([EX["ex3"]]))


def test_parse_single_example_in_dataset_map():
    ds = tf.data.Dataset.from_tensor_slices([EX["ex1"], EX["ex2"]]).map(
        lambda s: tf.io.parse_single_example(s, SPEC)
    )
    rows = list(ds)
    assert [r["a"].numpy().tolist() for r in rows] == [[1.5, 2.5], [0.5, -1.0]]
    assert [int(r["b"]) for r in rows] == [3, -1]
    assert [r["v"].values.numpy().tolist() for r in rows] == [[1, 2, 3, 4], []]
    assert [r["l"].to_list() for r in rows] == [[[1], [2, 3, 4]], []]
    batched = list(
        tf.data.Dataset.from_tensor_slices([EX["ex1"], EX["ex2"]])
        .batch(2)
        .map(lambda s: tf.io.parse_example(s, SPEC))
    )
    _same(batched[0], _eager_batch())


def test_parse_sequence_example_in_function():
    features = {"f": tf.io.FixedLenSequenceFeature([2], tf.float32)}
    f = tf.function(
        lambda s: tf.io.parse_sequence_example(s, sequence_features=features),
        input_signature=[tf.TensorSpec([None], tf.string)],
    )
    _, lists, lengths = f(tf.constant([EX["seq1"], EX["seq2"]]))
    assert lists["f"].shape == (2, 3, 2)
    assert lengths["f"].numpy().tolist() == [3, 1]


def test_hand_encoded_example():
    """Bytes written with proto_wire: unpacked varints and a repeated map key (the
    last entry wins, as protobuf merges maps)."""
    ints = MessageWriter().varint(1, 7).varint(1, -2)
    feature = MessageWriter().raw(3, ints)
    stale = MessageWriter().raw(2, MessageWriter().float32(1, 1.0))
    entries = MessageWriter()
    entries.raw(1, MessageWriter().raw(1, "k").raw(2, stale))
    entries.raw(1, MessageWriter().raw(1, "k").raw(2, feature))
    record = MessageWriter().raw(1, entries).bytes()
    out = tf.io.parse_single_example(record, {"k": tf.io.FixedLenFeature([2], tf.int64)})
    assert out["k"].numpy().tolist() == [7, -2]


def test_dense_features_keep_static_shapes_in_dataset_map():
    features = {
        "a": tf.io.FixedLenFeature([2], tf.float32),
        "s": tf.io.FixedLenFeature([2], tf.string),
        "q": tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True),
    }
    ds = tf.data.Dataset.from_tensor_slices([EX["ex1"], EX["ex2"]])
    single = ds.map(lambda s: tf.io.parse_single_example(s, features))
    assert {k: s.shape.as_list() for k, s in single.element_spec.items()} == {
        "a": [2],
        "s": [2],
        "q": [None, 2],
    }
    batched = ds.batch(2).map(lambda s: tf.io.parse_example(s, {"a": features["a"]}))
    assert batched.element_spec["a"].shape.as_list() == [None, 2]
    assert [r["a"].numpy().tolist() for r in batched] == [[[1.5, 2.5], [0.5, -1.0]]]
