"""tf.train's protocol-buffer messages against TensorFlow's bytes, text and errors
(fixtures from ``tests/io/record_records_fixtures.py``)."""

from __future__ import annotations

import copy
import json
import pathlib
import pickle
import re

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.proto_message import DecodeError, message_class
from tests.io import records_cases as cases

FIXTURE = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "records.json").read_text()
)
MESSAGES = cases.messages(tf)
# Maps with several string keys: TF's runtime orders their entries by a per-process hash
# seed, so only the deterministic (sorted) bytes are TF's.
UNORDERED = {"example_many"}


def _class_names(text: str) -> str:
    """Class reprs without their module (TF's classes live in tensorflow.core...)."""
    return re.sub(r"<class '(?:[\w.]+\.)?(\w+)'>", r"<class '\1'>", text)


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_serialized_bytes_equal_tf(name):
    recorded = FIXTURE["messages"][name]
    message = MESSAGES[name]
    assert message.SerializeToString(deterministic=True).hex() == recorded["deterministic"]
    if name not in UNORDERED:
        assert message.SerializeToString().hex() == recorded["bytes"]
        assert str(message) == recorded["text"]
        assert repr(message) == recorded["text"]
    assert message.ByteSize() == len(recorded["deterministic"]) // 2


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_tf_bytes_parse_to_the_same_message(name):
    message = MESSAGES[name]
    parsed = type(message).FromString(bytes.fromhex(FIXTURE["messages"][name]["bytes"]))
    assert parsed == message
    again = type(message)()
    assert again.ParseFromString(parsed.SerializeToString()) == message.ByteSize()
    assert again == message


def test_tf_reads_our_messages_and_files():
    ours = FIXTURE["tf_read_ours"]
    assert set(ours["messages_equal"]) == set(MESSAGES)
    assert all(ours["messages_equal"].values())
    assert all(ours["files_read"].values())


@pytest.mark.parametrize("name", sorted(FIXTURE["message_errors"]))
def test_errors_match_tf(name):
    expected = FIXTURE["message_errors"][name]
    with pytest.raises(Exception) as info:
        cases.message_errors(tf)[name]()
    assert type(info.value).__name__ == expected["error"]
    assert _class_names(str(info.value)) == _class_names(expected["message"])


def test_queries_match_tf():
    got = {name: repr(value) for name, value in cases.message_queries(tf).items()}
    assert got == FIXTURE["message_queries"]


def test_unordered_map_text_holds_every_entry_in_insertion_order():
    text = str(MESSAGES["example_many"])
    assert [line.strip() for line in text.splitlines() if "key:" in line] == [
        'key: "label"',
        'key: "image"',
        'key: "score"',
    ]
    parsed = tf.train.Example.FromString(MESSAGES["example_many"].SerializeToString())
    assert list(parsed.features.feature) == ["label", "image", "score"]


def test_oneof_switch_drops_the_previous_member():
    feature = tf.train.Feature(int64_list=tf.train.Int64List(value=[1]))
    old = feature.int64_list
    feature.bytes_list.value.append(b"x")
    assert feature.WhichOneof("kind") == "bytes_list"
    assert not feature.HasField("int64_list")
    old.value.append(5)  # a detached message no longer changes its former parent
    assert feature.WhichOneof("kind") == "bytes_list"
    feature.ClearField("kind")
    assert feature.WhichOneof("kind") is None
    assert feature.SerializeToString() == b""


def test_presence_propagates_through_nested_reads():
    example = tf.train.SequenceExample()
    tokens = example.feature_lists.feature_list["tokens"]
    assert example.HasField("feature_lists")
    assert not example.HasField("context")
    tokens.feature.add().int64_list.value.extend([1, 2])
    assert tf.train.SequenceExample.FromString(example.SerializeToString()) == example
    example.context.SetInParent()
    assert example.HasField("context")


def test_repeated_scalars_behave_as_lists():
    values = tf.train.Int64List(value=[3, 1, 2]).value
    values.sort()
    values.insert(0, 9)
    values[1] = 4
    del values[-1]
    values.extend(np.array([7, 8], np.int64))
    assert values == [9, 4, 2, 7, 8]
    assert values.pop() == 8 and values.index(2) == 2 and values.count(9) == 1
    values.remove(9)
    values.reverse()
    assert list(values) == [7, 2, 4]
    values[0:2] = [0, 0]
    assert values == [0, 0, 4]
    with pytest.raises(TypeError):
        values[0] = "x"
    floats = tf.train.FloatList(value=np.array([0.1], np.float64)).value
    assert floats[0] == float(np.float32(0.1))


def test_repeated_messages_copy_on_append():
    feature_list = tf.train.FeatureList()
    source = tf.train.Feature(int64_list=tf.train.Int64List(value=[1]))
    feature_list.feature.append(source)
    source.int64_list.value.append(2)
    assert list(feature_list.feature[0].int64_list.value) == [1]
    feature_list.feature.extend([source, source])
    assert len(feature_list.feature) == 3
    with pytest.raises(TypeError, match="does not support item assignment"):
        feature_list.feature[0] = source


def test_merge_and_copy():
    a = tf.train.Features(feature={"x": {"int64_list": {"value": [1]}}})
    b = tf.train.Features(feature={"x": {"float_list": {"value": [2.0]}}, "y": {}})
    a.MergeFrom(b)
    assert a.feature["x"].WhichOneof("kind") == "float_list"
    assert list(a.feature) == ["x", "y"]
    c = tf.train.Features()
    c.CopyFrom(a)
    assert c == a and c is not a
    assert copy.deepcopy(a) == a
    assert pickle.loads(pickle.dumps(a)) == a
    merged = tf.train.Example()
    merged.MergeFromString(tf.train.Example(features=a).SerializeToString())
    assert merged.features == a


def test_unknown_fields_survive_a_round_trip():
    data = bytes.fromhex("0a00") + bytes.fromhex("1005") + bytes.fromhex("1d01000000")
    example = tf.train.Example.FromString(data)
    assert example.SerializeToString() == data
    assert str(example) == "features {\n}\n2: 5\n3: 0x00000001\n"
    example.DiscardUnknownFields()
    assert example.SerializeToString() == b"\n\x00"


def test_unpacked_repeated_values_parse():
    # protobuf readers accept a packed field written one value per key.
    assert list(tf.train.Int64List.FromString(b"\x08\x01\x08\x02").value) == [1, 2]


@pytest.mark.parametrize(
    "data", [b"\xff", b"\n\x05abc", b"\n\x02\x0a\x05", b"\x0a\x03\x0a\x01\xff"]
)
def test_corrupt_bytes_raise_decode_error(data):
    with pytest.raises(DecodeError, match="Error parsing message with type 'tensorflow.Example'"):
        tf.train.Example.FromString(data)


def test_messages_are_registered_by_full_name():
    assert message_class("tensorflow.SequenceExample") is tf.train.SequenceExample
    with pytest.raises(TypeError, match="unhashable"):
        hash(tf.train.Example())
