"""tf.io.decode_proto / encode_proto against TensorFlow (fixtures from
``tests/io/record_records_fixtures.py``)."""

from __future__ import annotations

import json
import pathlib
import re

import pytest

import tensorflux as tf
from tests.io import records_cases as cases

FIXTURE = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "records.json").read_text()
)["proto_ops"]


@pytest.mark.parametrize("name", sorted(FIXTURE))
def test_proto_ops_match_tf(name):
    expected = FIXTURE[name]
    try:
        got = {"value": cases.describe_tensors(cases.proto_ops(tf)[name]())}
    except tf.errors.OpError as e:
        message = re.sub(r"\s*\[Op:\w+\]$", "", str(e))
        got = {"error": type(e).__name__, "message": message}
    assert json.loads(json.dumps(got)) == expected


def test_decode_proto_returns_tf_named_tuple():
    data = tf.train.Int64List(value=[1]).SerializeToString()
    result = tf.io.decode_proto([data], "tensorflow.Int64List", ["value"], [tf.int64])
    assert type(result).__name__ == "DecodeProtoV2"
    assert result._fields == ("sizes", "values")
    assert isinstance(result.values, list)


def test_round_trip_inside_tf_function_with_unknown_batch():
    spec = tf.TensorSpec([None], tf.string)

    @tf.function(input_signature=[spec])
    def double_values(records):
        sizes, (values,) = tf.io.decode_proto(
            records, "tensorflow.Int64List", ["value"], [tf.int64]
        )
        return tf.io.encode_proto(sizes, [values * 2], ["value"], "tensorflow.Int64List")

    records = [tf.train.Int64List(value=v).SerializeToString() for v in ([1, 2], [5], [])]
    out = double_values(tf.constant(records))
    assert out.shape == (3,)
    decoded = [list(tf.train.Int64List.FromString(r).value) for r in out.numpy()]
    assert decoded == [[2, 4], [10], []]
    concrete = double_values.get_concrete_function()
    assert concrete.structured_outputs.shape.as_list() == [None]


def test_unsupported_arguments_are_refused_clearly():
    data = [tf.train.Int64List(value=[1]).SerializeToString()]
    with pytest.raises(tf.errors.InvalidArgumentError, match="descriptor_source"):
        tf.io.decode_proto(data, "tensorflow.Int64List", ["value"], [tf.int64], "file.pb")
    with pytest.raises(tf.errors.InvalidArgumentError, match="message_format"):
        tf.io.decode_proto(
            data, "tensorflow.Int64List", ["value"], [tf.int64], message_format="json"
        )


def test_text_format_round_trips_every_fixture_message():
    from tensorflux.framework.proto_text import TextParseError, parse_text

    for message in cases.messages(tf).values():
        assert parse_text(type(message), str(message)) == message
    parsed = parse_text(tf.train.JobDef, 'name: \'a\' "b" tasks <key: 2 value: "x\\101">')
    assert parsed == tf.train.JobDef(name="ab", tasks={2: "xA"})
    floats = parse_text(tf.train.FloatList, "value: [1.5f, -inf, 1e40]")
    assert list(floats.value) == [1.5, float("-inf"), float("inf")]
    for bad in ("nope: 1", "value: 'x'", "value: [1", "value {"):
        with pytest.raises(TextParseError):
            parse_text(tf.train.Int64List, bad)


JSON_FIXTURE = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "records.json").read_text()
)["json_examples"]


def _without_position(message: str) -> str:
    """protobuf names the line, column and offset of a JSON error; the message without
    them (tensorflux names them for syntax errors only)."""
    return re.sub(r",? near \d+:\d+ \(offset \d+\):", ":", message)


@pytest.mark.parametrize("name", sorted(JSON_FIXTURE))
def test_decode_json_example_matches_tf(name):
    expected = JSON_FIXTURE[name]
    try:
        got = {
            "value": cases.describe_tensors(tf.io.decode_json_example(cases.JSON_EXAMPLES[name]))
        }
    except tf.errors.InvalidArgumentError as e:
        message = re.sub(r"\s*\[Op:\w+\]$", "", str(e))
        got = {"error": type(e).__name__, "message": _without_position(message)}
        expected = dict(expected, message=_without_position(expected["message"]))
    assert json.loads(json.dumps(got)) == expected


def test_decode_json_example_in_a_pipeline():
    texts = ['{"features": {"feature": {"x": {"int64List": {"value": [%d]}}}}}' % i for i in (1, 2)]
    ds = tf.data.Dataset.from_tensor_slices(texts).map(tf.io.decode_json_example)
    values = [
        list(tf.train.Example.FromString(r).features.feature["x"].int64_list.value)
        for r in ds.as_numpy_iterator()
    ]
    assert values == [[1], [2]]
