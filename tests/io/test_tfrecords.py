"""TFRecord files, record datasets, TFRecordOptions and ClusterSpec against TensorFlow
(fixtures from ``tests/io/record_records_fixtures.py``)."""

from __future__ import annotations

import gzip
import json
import pathlib
import re
import zlib

import pytest

import tensorflux as tf
from tests.io import records_cases as cases

FIXTURE = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "records.json").read_text()
)


def _error_of(e: Exception, tmp_path) -> dict:
    message = re.sub(r"\s*\[Op:\w+\]$", "", str(e)).replace(str(tmp_path), "{dir}")
    return {"error": type(e).__name__, "message": message}


def _read(ds, tmp_path) -> dict:
    records = []
    try:
        for record in ds:
            records.append(record.numpy().hex())
    except tf.errors.OpError as e:
        return {"records": records, **_error_of(e, tmp_path)}
    return {"records": records}


def _same_outcome(got: dict, expected: dict) -> None:
    assert got["records"] == expected["records"]
    assert got.get("error") == expected.get("error")
    if "message" in expected:
        # TF wraps some messages in its FlatMap function's context.
        assert got["message"] in expected["message"]


@pytest.mark.parametrize("name,options,records,flush_after", cases.WRITES)
def test_writer_bytes_equal_tf(tmp_path, name, options, records, flush_after):
    path = tmp_path / name
    cases.write_file(tf, str(path), options, records, flush_after)
    assert path.read_bytes().hex() == FIXTURE["files"][name]["file"]


@pytest.mark.parametrize("name", sorted(FIXTURE["files"]))
def test_dataset_reads_tf_files(tmp_path, name):
    options = {n: o for n, o, _, _ in cases.WRITES}[name]
    path = tmp_path / name
    path.write_bytes(bytes.fromhex(FIXTURE["files"][name]["file"]))
    ds = tf.data.TFRecordDataset(str(path), options.get("compression_type"))
    _same_outcome(_read(ds, tmp_path), FIXTURE["files"][name]["read"])


@pytest.mark.parametrize("name", sorted(FIXTURE["damaged"]))
def test_damaged_files_read_as_tf_reads_them(tmp_path, name):
    files = FIXTURE["files"]
    damaged = cases.damaged(*(bytes.fromhex(files[n]["file"]) for n in ("plain", "gzip", "zlib")))
    if name == "missing_file":
        ds = tf.data.TFRecordDataset(str(tmp_path / "missing"))
    else:
        data, compression = damaged[name]
        path = tmp_path / f"damaged_{name}"
        path.write_bytes(data)
        ds = tf.data.TFRecordDataset(str(path), compression)
    _same_outcome(_read(ds, tmp_path), FIXTURE["damaged"][name])


def test_corrupt_record_raises_data_loss_error(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(b"not a tfrecord file at all")
    with pytest.raises(tf.errors.DataLossError, match=r"Is this even a TFRecord file\?"):
        next(iter(tf.data.TFRecordDataset(str(path))))


@pytest.mark.parametrize("name", sorted(cases.FIXED))
def test_fixed_length_records_match_tf(tmp_path, name):
    data, record_bytes, header, footer, compression = cases.FIXED[name]
    path = tmp_path / f"fixed_{name}"
    path.write_bytes({"GZIP": gzip.compress, "ZLIB": zlib.compress}.get(compression, bytes)(data))
    ds = tf.data.FixedLengthRecordDataset(
        str(path), record_bytes, header, footer, compression_type=compression
    )
    _same_outcome(_read(ds, tmp_path), FIXTURE["fixed"][name])


def _write_two_files(tmp_path) -> list:
    names = []
    for i in range(2):
        path = str(tmp_path / f"part{i}.tfrecord")
        with tf.io.TFRecordWriter(path) as writer:
            for j in range(3):
                writer.write(f"f{i}r{j}".encode())
        names.append(path)
    return names


def test_filenames_as_list_tensor_and_dataset(tmp_path):
    names = _write_two_files(tmp_path)
    expected = [b"f0r0", b"f0r1", b"f0r2", b"f1r0", b"f1r1", b"f1r2"]
    for filenames in (names, tf.constant(names), tf.data.Dataset.from_tensor_slices(names)):
        assert list(tf.data.TFRecordDataset(filenames).as_numpy_iterator()) == expected
    parallel = tf.data.TFRecordDataset(names, num_parallel_reads=2)
    assert list(parallel.as_numpy_iterator()) == [
        b"f0r0",
        b"f1r0",
        b"f0r1",
        b"f1r1",
        b"f0r2",
        b"f1r2",
    ]
    assert list(tf.data.TFRecordDataset([]).as_numpy_iterator()) == []


def test_dataset_spec_repr_and_errors(tmp_path):
    ds = tf.data.TFRecordDataset(str(tmp_path / "x"))
    assert ds.element_spec == tf.TensorSpec((), tf.string)
    assert repr(ds) == (
        "<TFRecordDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>"
    )
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match=r"must contain `tf.string` elements. Got `tf.int32`"):
        tf.data.TFRecordDataset(3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="`cycle_length` must be > 0"):
        tf.data.TFRecordDataset("x", num_parallel_reads=0)


def test_records_parse_inside_a_pipeline(tmp_path):
    path = str(tmp_path / "examples.tfrecord")
    with tf.io.TFRecordWriter(path, "GZIP") as writer:
        for i in range(4):
            example = tf.train.Example(features={"feature": {"i": {"int64_list": {"value": [i]}}}})
            writer.write(example.SerializeToString())

    ds = tf.data.TFRecordDataset(path, "GZIP").map(tf.strings.length).batch(2)
    assert [batch.numpy().tolist() for batch in ds] == [[14, 14], [14, 14]]
    for record in tf.data.TFRecordDataset(path, "GZIP").take(1):
        parsed = tf.train.Example.FromString(record.numpy())
        assert list(parsed.features.feature["i"].int64_list.value) == [0]


def test_writer_lifecycle(tmp_path):
    path = str(tmp_path / "w.tfrecord")
    writer = tf.io.TFRecordWriter(path)
    writer.write(b"a")
    writer.write("é")
    writer.flush()
    writer.close()
    writer.close()
    with pytest.raises(tf.errors.FailedPreconditionError, match="Writer is closed."):
        writer.write(b"x")
    with pytest.raises(tf.errors.FailedPreconditionError, match="Writer is closed."):
        writer.flush()
    assert list(tf.data.TFRecordDataset(path).as_numpy_iterator()) == [b"a", "é".encode()]
    with pytest.raises(TypeError, match="takes bytes or str"):
        tf.io.TFRecordWriter(str(tmp_path / "t")).write(3)
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.io.TFRecordWriter(str(tmp_path / "missing" / "dir" / "f"))
    with pytest.raises(ValueError, match='Not a valid compression_type: "LZ4"'):
        tf.io.TFRecordWriter(str(tmp_path / "q"), "LZ4")


@pytest.mark.parametrize("name", sorted(FIXTURE["record_options"]))
def test_record_options_match_tf(name):
    expected = FIXTURE["record_options"][name]
    try:
        got = {"value": repr(cases.record_options(tf)[name]())}
    except ValueError as e:
        got = {"error": type(e).__name__, "message": str(e)}
    assert got == expected


@pytest.mark.parametrize("name", sorted(FIXTURE["clusters"]["specs"]))
def test_cluster_specs_match_tf(name):
    expected = FIXTURE["clusters"]["specs"][name]
    try:
        spec = cases.cluster_specs(tf)[name]()
    except (TypeError, ValueError) as e:
        assert {"error": type(e).__name__, "message": str(e)} == expected
        return
    cluster_def = spec.as_cluster_def()
    assert {
        "repr": repr(spec),
        "as_dict": repr(spec.as_dict()),
        "cluster_def": cluster_def.SerializeToString().hex(),
        "text": str(cluster_def),
    } == expected


@pytest.mark.parametrize("name", sorted(FIXTURE["clusters"]["queries"]))
def test_cluster_queries_match_tf(name):
    expected = FIXTURE["clusters"]["queries"][name]
    try:
        got = {"value": repr(cases.cluster_queries(tf)[name]())}
    except ValueError as e:
        got = {"error": type(e).__name__, "message": str(e)}
    assert got == expected


def test_files_from_list_files_interleave_and_flat_map(tmp_path):
    _write_two_files(tmp_path)
    files = tf.data.Dataset.list_files(str(tmp_path / "part*.tfrecord"), shuffle=False)
    interleaved = files.interleave(tf.data.TFRecordDataset, cycle_length=2)
    assert list(interleaved.as_numpy_iterator())[:4] == [b"f0r0", b"f1r0", b"f0r1", b"f1r1"]
    flat = files.flat_map(lambda name: tf.data.FixedLengthRecordDataset(name, 20))
    assert len(list(flat.as_numpy_iterator())) == 6


def test_dropped_writer_finishes_its_compressed_file(tmp_path):
    path = str(tmp_path / "dropped.tfrecord")
    writer = tf.io.TFRecordWriter(path, "GZIP")
    writer.write(b"kept")
    del writer
    assert list(tf.data.TFRecordDataset(path, "GZIP").as_numpy_iterator()) == [b"kept"]
