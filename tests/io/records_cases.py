"""The cases of the record and message fixtures, written once for both libraries: each
function takes the ``tf`` module (TensorFlow when recording, tensorflux when testing).
"""

from __future__ import annotations

import numpy as np


def messages(tf) -> dict:
    """Messages whose bytes (and text, for maps of at most one string key) are compared."""
    t = tf.train
    features = {
        "label": t.Feature(int64_list=t.Int64List(value=[7])),
        "image": t.Feature(bytes_list=t.BytesList(value=[b"\x89PNG\r\n"])),
        "score": t.Feature(float_list=t.FloatList(value=[0.25, -1.5])),
    }
    merged = t.Int64List(value=[1, 2])
    merged.MergeFrom(t.Int64List(value=[3]))
    switched = t.Feature(int64_list=t.Int64List(value=[1]))
    switched.float_list.value.append(2.0)
    built = t.Example()
    built.features.feature["w"].float_list.value.extend([0.5, 1.0])
    copied = t.SequenceExample()
    copied.context.CopyFrom(t.Features(feature={"id": features["label"]}))
    added = t.FeatureList()
    added.feature.add(int64_list={"value": [4]})
    added.feature.add()
    cleared = t.Example(features=t.Features(feature={"a": t.Feature()}))
    cleared.ClearField("features")
    return {
        "int64_list": t.Int64List(value=[0, 1, -1, 127, 128, 300, 2**31, -(2**63), 2**63 - 1]),
        "float_list": t.FloatList(
            value=[0.0, -0.0, 1.5, 0.1, 1e20, 1e-7, -3.25, float("inf"), 3.4028234e38]
        ),
        "bytes_list": t.BytesList(value=[b"", b"abc", bytes(range(0, 256, 9)), "é".encode()]),
        "feature_empty": t.Feature(),
        "feature_empty_list": t.Feature(int64_list=t.Int64List()),
        "feature_switched": switched,
        "features_one": t.Features(feature={"x": t.Feature(float_list=t.FloatList(value=[1, 2]))}),
        "example_dicts": t.Example(
            features={"feature": {"image": {"bytes_list": {"value": [b"\x00\xff"]}}}}
        ),
        "example_many": t.Example(features=t.Features(feature=features)),
        "example_built": built,
        "example_cleared": cleared,
        "sequence_example": t.SequenceExample(
            context={"feature": {"len": {"int64_list": {"value": [2]}}}},
            feature_lists={
                "feature_list": {
                    "tokens": {
                        "feature": [
                            {"int64_list": {"value": [1]}},
                            {"int64_list": {"value": [2, 3]}},
                        ]
                    }
                }
            },
        ),
        "sequence_copied": copied,
        "feature_list_added": added,
        "merged": merged,
        "int64_numpy": t.Int64List(value=np.array([1, -2, 3])),
        "float_numpy": t.FloatList(value=np.array([0.1, 0.2], np.float64)),
        "job_def": t.JobDef(name="worker", tasks={2: "c:3", 0: "a:1", 1: "b:2"}),
        "job_def_sparse": t.JobDef(name="ps", tasks={5: "p5:1", 1: "p1:1"}),
        "job_def_defaults": t.JobDef(name="", tasks={0: ""}),
        "string_escapes": t.JobDef(name="tab\there \"q\" 's' back\\slash é\x01\x7f"),
        "cluster_def": t.ClusterSpec(
            {"worker": ["w0:2222", "w1:2222"], "ps": {3: "p:1"}, "chief": ["c:0"]}
        ).as_cluster_def(),
    }


def message_errors(tf) -> dict:
    """Misuses of the message API; each callable raises."""
    t = tf.train

    def assign_message():
        t.Feature().int64_list = t.Int64List()

    def assign_repeated():
        t.Int64List().value = [1]

    def unknown_attribute():
        t.JobDef().nope = 1

    def assign_map_message():
        t.Features().feature["x"] = t.Feature()

    return {
        "int_from_float": lambda: t.Int64List(value=[1.5]),
        "int_from_str": lambda: t.Int64List(value=["a"]),
        "int_from_bool": lambda: t.Int64List(value=[True]),
        "int_out_of_range": lambda: t.Int64List(value=[2**64]),
        "float_from_str": lambda: t.FloatList(value=["a"]),
        "bytes_from_str": lambda: t.BytesList(value=["text"]),
        "bytes_from_int": lambda: t.BytesList(value=[1]),
        "unknown_keyword": lambda: t.Feature(foo=1),
        "message_from_list": lambda: t.Feature(int64_list=[1]),
        "has_field_repeated": lambda: t.Int64List().HasField("value"),
        "has_field_unknown": lambda: t.Int64List().HasField("nope"),
        "has_field_proto3_scalar": lambda: t.JobDef(name="w").HasField("name"),
        "which_oneof_unknown": lambda: t.Feature().WhichOneof("nope"),
        "assign_message": assign_message,
        "assign_repeated": assign_repeated,
        "unknown_attribute": unknown_attribute,
        "assign_map_message": assign_map_message,
        "copy_from_other_class": lambda: t.Example().CopyFrom(t.Feature()),
        "merge_from_other_class": lambda: t.Example().MergeFrom(t.Feature()),
        "map_value_not_message": lambda: t.Features(feature={"a": 3}),
        "task_key_not_int": lambda: t.JobDef(tasks={"0": "a"}),
    }


def message_queries(tf) -> dict:
    """Values read back through the API (as repr strings)."""
    t = tf.train
    feature = t.Feature()
    _ = feature.int64_list  # reading does not make the field present
    kinds = [feature.WhichOneof("kind")]
    feature.int64_list.value.append(1)
    kinds.append(feature.WhichOneof("kind"))
    values = t.Int64List(value=[5, 6, 7]).value
    fmap = t.Features(feature={"b": t.Feature()}).feature
    return {
        "which_oneof": kinds,
        "has_field": [t.Feature().HasField("int64_list"), feature.HasField("int64_list")],
        "has_oneof": [t.Feature().HasField("kind"), feature.HasField("kind")],
        "float_value": t.FloatList(value=[0.1]).value[0],
        "float_overflow": t.FloatList(value=[1e40]).value[0],
        "repeated": [values[0], values[-1], list(values[1:]), len(values), 6 in values],
        "repeated_eq_list": values == [5, 6, 7],
        "repeated_repr": repr(values),
        "map": ["b" in fmap, "z" in fmap, len(fmap), list(fmap)],
        "map_get": [fmap.get("z") is None, "z" in fmap],
        "tasks_default": t.JobDef().tasks[3],
        "eq_empty": t.Example() == t.Example(),
        "eq_other_type": t.Example() == 3,
        "byte_size": t.Example(
            features={"feature": {"x": {"int64_list": {"value": [1, 2]}}}}
        ).ByteSize(),
        "list_fields": [(field.name, field.number) for field, _ in t.JobDef(name="a").ListFields()],
        "parse_returns": t.Example().ParseFromString(b"\n\x00"),
        "empty_text": str(t.Example()),
    }


def cluster_specs(tf) -> dict:
    """ClusterSpec constructions: each gives a spec (or raises)."""
    c = tf.train.ClusterSpec
    full = c({"worker": ["w0:1", "w1:2"], "ps": {1: "p1:3", 5: "p5:4"}, "chief": ("c:0",)})
    return {
        "full": lambda: full,
        "from_cluster_def": lambda: c(full.as_cluster_def()),
        "from_spec": lambda: c(full),
        "empty": lambda: c({}),
        "none": lambda: c(None),
        "empty_job_list": lambda: c({"a": []}),
        "empty_job_dict": lambda: c({"a": {}}),
        "dense_dict": lambda: c({"a": {1: "y", 0: "x"}}),
        "string_index": lambda: c({"a": {"1": "x"}}),
        "bytes_address": lambda: c({"a": [b"x"]}),
        "not_a_cluster": lambda: c(3),
        "tasks_not_list": lambda: c({"a": "host:1"}),
        "address_not_string": lambda: c({"a": ["x", 3]}),
        "job_name_not_string": lambda: c({3: ["a"]}),
        "index_not_int": lambda: c({"a": {"x": "y"}}),
    }


def cluster_queries(tf) -> dict:
    c = tf.train.ClusterSpec
    full = c({"worker": ["w0:1", "w1:2"], "ps": {1: "p1:3", 5: "p5:4"}, "chief": ("c:0",)})
    return {
        "num_tasks": lambda: full.num_tasks("ps"),
        "task_indices": lambda: full.task_indices("ps"),
        "task_address": lambda: full.task_address("ps", 5),
        "job_tasks": lambda: full.job_tasks("ps"),
        "job_tasks_list": lambda: full.job_tasks("worker"),
        "jobs": lambda: full.jobs,
        "bool": lambda: [bool(full), bool(c({}))],
        "eq": lambda: [full == c(full.as_cluster_def()), full == full.as_dict(), full != c({})],
        "missing_job": lambda: full.num_tasks("nope"),
        "missing_job_indices": lambda: full.task_indices("nope"),
        "missing_task": lambda: full.task_address("ps", 0),
        "negative_task": lambda: full.task_address("worker", -1),
        "missing_job_tasks": lambda: full.job_tasks("nope"),
        "bytes_job_lookup": lambda: full.num_tasks(b"ps"),
    }


def record_options(tf) -> dict:
    o = tf.io.TFRecordOptions
    return {
        "defaults": lambda: vars(o()),
        "gzip": lambda: vars(o("GZIP", compression_level=3)),
        "bad_type": lambda: o("bogus"),
        "string_none": lambda: o.get_compression_type_string(None),
        "string_gzip": lambda: o.get_compression_type_string("GZIP"),
        "string_lower": lambda: o.get_compression_type_string("zlib"),
        "string_options": lambda: o.get_compression_type_string(o("ZLIB")),
        "string_int": lambda: o.get_compression_type_string(1),
        "type_map": lambda: o.compression_type_map,
    }


# (file name, TFRecordWriter options as a constructor call's kwargs, records, flush after)
WRITES = [
    ("plain", {}, [b"hello", b"", b"text" * 3], None),
    ("gzip", {"compression_type": "GZIP"}, [b"abc" * 10, b"x"], None),
    ("zlib", {"compression_type": "ZLIB"}, [b"abc" * 10, b"x"], None),
    ("gzip_flush", {"compression_type": "GZIP"}, [b"abc", b"defg"], 0),
    (
        "zlib_small_buffer",
        {"compression_type": "ZLIB", "flush_mode": 2, "input_buffer_size": 20},
        [b"abc" * 3, b"defg" * 7, b""],
        None,
    ),
    ("zlib_level", {"compression_type": "ZLIB", "compression_level": 9}, [b"ab" * 40], None),
]


def write_file(tf, path: str, options: dict, records: list, flush_after) -> None:
    """Writes ``records`` with ``tf.io.TFRecordWriter``, flushing after record
    ``flush_after``."""
    with tf.io.TFRecordWriter(path, tf.io.TFRecordOptions(**options)) as writer:
        for i, record in enumerate(records):
            writer.write(record)
            if i == flush_after:
                writer.flush()


# Damaged files (made from TF's "plain" file by the functions below) and how TF reads them.
def damaged(plain: bytes, gzip_file: bytes, zlib_file: bytes) -> dict:
    def flip(data, i):
        out = bytearray(data)
        out[i] ^= 1
        return bytes(out)

    return {
        "data_crc_first": (flip(plain, 13), ""),
        "header_crc_first": (flip(plain, 9), ""),
        "length_first": (flip(plain, 0), ""),
        "header_crc_second": (flip(plain, 21 + 9), ""),
        "footer_second": (flip(plain, 21 + 12 + 1), ""),
        "truncated_data": (plain[:-3], ""),
        "header_only": (plain[: 21 + 12], ""),
        "partial_header": (plain[: 21 + 3], ""),
        "not_tfrecord": (b"plain text, not records\n", ""),
        "plain_as_gzip": (plain, "GZIP"),
        "plain_as_zlib": (plain, "ZLIB"),
        "gzip_no_trailer": (gzip_file[:-5], "GZIP"),
        "gzip_cut": (gzip_file[:15], "GZIP"),
        "zlib_no_checksum": (zlib_file[:-3], "ZLIB"),
        "empty_gzip": (b"", "GZIP"),
        "empty": (b"", ""),
        "unknown_compression": (plain, "LZ4"),
    }


# (file bytes, record_bytes, header_bytes, footer_bytes, compression)
FIXED = {
    "exact": (b"HH" + b"abcdefghij" + b"F", 5, 2, 1, ""),
    "not_multiple": (b"HH" + b"abcdefghij" + b"F", 3, 2, 1, ""),
    "no_header": (b"abcdef", 2, None, None, ""),
    "empty": (b"", 3, None, None, ""),
    "header_past_end": (b"", 3, 2, None, ""),
    "zero_record": (b"abc", 0, None, None, ""),
    "negative_header": (b"abc", 1, -1, None, ""),
    "bad_compression": (b"abc", 1, None, None, "LZ"),
    "gzip_exact": (b"HH" + b"abcdefghij" + b"F", 5, 2, 1, "GZIP"),
    "gzip_not_multiple": (b"HH" + b"abcdefghij" + b"F", 4, 2, 1, "GZIP"),
    "zlib_exact": (b"HH" + b"abcdefghij" + b"F", 5, 2, 1, "ZLIB"),
}


def proto_ops(tf) -> dict:
    """decode_proto / encode_proto calls; each returns tensors (or raises)."""
    t = tf.train
    lists = [t.Int64List(value=[1, 2, 3]).SerializeToString(), b""]
    job = t.JobDef(name="w", tasks={0: "a:1", 1: "b:2"}).SerializeToString()
    feature = t.Feature(float_list=t.FloatList(value=[1.5])).SerializeToString()
    example = t.Example(features={"feature": {"x": {"bytes_list": {"value": [b"v"]}}}})
    decode, encode = tf.io.decode_proto, tf.io.encode_proto

    def encoded(sizes, values, fields, message):
        return encode(tf.constant(sizes), values, fields, message)

    return {
        "decode_int64": lambda: decode(lists, "tensorflow.Int64List", ["value"], [tf.int64]),
        "decode_scalar": lambda: decode(lists[0], "tensorflow.Int64List", ["value"], [tf.int64]),
        "decode_matrix": lambda: decode(
            [[lists[0]], [lists[1]]], "tensorflow.Int64List", ["value"], [tf.int64]
        ),
        "decode_floats_as_double": lambda: decode(
            [t.FloatList(value=[1.5, 0.1]).SerializeToString()],
            "tensorflow.FloatList",
            ["value"],
            [tf.float64],
        ),
        "decode_bytes": lambda: decode(
            [t.BytesList(value=[b"a", b"bc"]).SerializeToString()],
            "tensorflow.BytesList",
            ["value"],
            [tf.string],
        ),
        "decode_job": lambda: decode(
            [job, b""], "tensorflow.JobDef", ["tasks", "name"], [tf.string, tf.string]
        ),
        "decode_oneof": lambda: decode(
            [feature], "tensorflow.Feature", ["float_list", "int64_list"], [tf.string, tf.string]
        ),
        "decode_example": lambda: decode(
            [example.SerializeToString()], "tensorflow.Example", ["features"], [tf.string]
        ),
        "decode_wrong_type": lambda: decode(lists, "tensorflow.Int64List", ["value"], [tf.int32]),
        "decode_unknown_message": lambda: decode(lists, "tensorflow.Nope", ["value"], [tf.int64]),
        "decode_unknown_field": lambda: decode(lists, "tensorflow.Int64List", ["nope"], [tf.int64]),
        "decode_corrupt": lambda: decode([b"\xff"], "tensorflow.Int64List", ["value"], [tf.int64]),
        "decode_length_mismatch": lambda: decode(
            [job], "tensorflow.JobDef", ["name"], [tf.string, tf.string]
        ),
        "decode_text": lambda: decode(
            ['name: "w" tasks { key: 1 value: "b:2" }', ""],
            "tensorflow.JobDef",
            ["name", "tasks"],
            [tf.string, tf.string],
            message_format="text",
        ),
        "decode_text_lists": lambda: decode(
            ["value: [1, 2] value: 3", "value: -4 # comment"],
            "tensorflow.Int64List",
            ["value"],
            [tf.int64],
            message_format="text",
        ),
        "decode_text_corrupt": lambda: decode(
            ["name: 3 {"], "tensorflow.JobDef", ["name"], [tf.string], message_format="text"
        ),
        "encode_int64": lambda: encoded(
            [[3], [1]],
            [tf.constant([[1, 2, 3], [7, 0, 0]], tf.int64)],
            ["value"],
            "tensorflow.Int64List",
        ),
        "encode_float_from_double": lambda: encoded(
            [[2]], [tf.constant([[1.5, 0.1]], tf.float64)], ["value"], "tensorflow.FloatList"
        ),
        "encode_job": lambda: encoded(
            [[1, 1]],
            [tf.constant([[b"\x08\x00\x12\x01a"]]), tf.constant([[b"w"]])],
            ["tasks", "name"],
            "tensorflow.JobDef",
        ),
        "encode_empty_name": lambda: encoded(
            [[0]], [tf.constant([[b""]])], ["name"], "tensorflow.JobDef"
        ),
        "encode_oneof": lambda: encoded(
            [[1, 0]],
            [tf.constant([[b"\n\x01x"]]), tf.constant([[b""]])],
            ["bytes_list", "float_list"],
            "tensorflow.Feature",
        ),
        "encode_batch": lambda: encoded(
            [[[1], [2]]],
            [tf.constant([[[b"a", b""], [b"b", b"c"]]])],
            ["value"],
            "tensorflow.BytesList",
        ),
        "encode_wrong_type": lambda: encoded(
            [[1]], [tf.constant([[1]], tf.int32)], ["value"], "tensorflow.Int64List"
        ),
        "encode_bool_for_int": lambda: encoded(
            [[1]], [tf.constant([[True]])], ["value"], "tensorflow.Int64List"
        ),
        "encode_too_many": lambda: encoded(
            [[4]], [tf.constant([[1.5]])], ["value"], "tensorflow.FloatList"
        ),
        "encode_unknown_message": lambda: encoded(
            [[1]], [tf.constant([[1.5]])], ["value"], "tensorflow.Nope"
        ),
        "encode_unknown_field": lambda: encoded(
            [[1]], [tf.constant([[1.5]])], ["nope"], "tensorflow.FloatList"
        ),
        "encode_vector_values": lambda: encoded(
            [1], [tf.constant([1.5])], ["value"], "tensorflow.FloatList"
        ),
    }


def describe_tensors(result) -> list:
    """Tensors (nested in tuples/lists) as [dtype, shape, values] with bytes as hex."""
    if isinstance(result, (tuple, list)):
        return [describe_tensors(item) for item in result]
    array = np.asarray(result.numpy(), dtype=object if result.dtype.name == "string" else None)
    values = array.tolist()
    if array.dtype == object:
        values = [item.hex() for item in array.reshape(-1)]
        values = np.array(values, dtype=object).reshape(array.shape).tolist()
    return [result.dtype.name, list(array.shape), values]


# JSON Examples for tf.io.decode_json_example: (name, input); inputs are strings or
# nested lists of them.
JSON_EXAMPLES = {
    "int64_strings": '{"features": {"feature": {"x": {"int64List": {"value": ["1", 2, "-3"]}}}}}',
    "original_names": '{"features": {"feature": {"x": {"int64_list": {"value": [1]}}}}}',
    "bytes_and_floats": '{"features": {"feature": {"b": {"bytesList": {"value": ["aGk="]}}, '
    '"f": {"floatList": {"value": [1.5, "NaN", "Infinity", "-Infinity", "2", 0.1]}}}}}',
    "batch": ["{}", '{"features": {}}'],
    "matrix": [["{}"], ['{"features": null}']],
    "lone_value": '{"features": {"feature": {"x": {"int64List": {"value": 1}}}}}',
    "exponent_int": '{"features": {"feature": {"x": {"int64List": {"value": [1e3]}}}}}',
    "unpadded_base64": '{"features": {"feature": {"b": {"bytesList": {"value": ["aGk", "a-_"]}}}}}',
    "hex_int": '{"features": {"feature": {"x": {"int64List": {"value": ["0x10"]}}}}}',
    "empty_feature": '{"features": {"feature": {"x": {}}}}',
    "empty_list": '{"features": {"feature": {"x": {"int64List": {"value": []}}}}}',
    "sequence_of_keys": '{"features": {"feature": {"z": {"int64List": {"value": [1]}}, '
    '"a": {"floatList": {"value": [2]}}}}}',
    "unknown_field": '{"nope": 1}',
    "not_json": "not json",
    "not_an_object": "[1]",
    "fractional_int": '{"features": {"feature": {"x": {"int64List": {"value": [1.5]}}}}}',
    "bad_base64": '{"features": {"feature": {"x": {"bytesList": {"value": ["!!"]}}}}}',
    "two_kinds": '{"features": {"feature": {"x": {"int64List": {"value": ["1"]}, '
    '"floatList": {"value": [1]}}}}}',
    "bool_for_int": '{"features": {"feature": {"x": {"int64List": {"value": [true]}}}}}',
    "int_out_of_range": '{"features": {"feature": {"x": {"int64List": '
    '{"value": ["99999999999999999999"]}}}}}',
    "float_out_of_range": '{"features": {"feature": {"x": {"floatList": {"value": [1e39]}}}}}',
    "repeated_key": '{"features":{"feature":{"a":{"int64List":{"value":[1]}},'
    '"a":{"int64List":{"value":[2]}}}}}',
}
