"""The rest of ``tf.data.experimental``: values and errors as TF 2.21 gives them
(compared by hand with TF on the same programs)."""

import sqlite3

import pytest

import tensorflux as tf
from tensorflux.data import functions

E = tf.data.experimental


def test_at_fetches_one_element_where_tf_has_random_access():
    ds = tf.data.Dataset.range(5)
    assert int(E.at(ds, 2)) == 2
    assert E.at(ds.batch(2).map(lambda x: x * 10), 1).numpy().tolist() == [20, 30]
    # A memory cache gives random access to anything before it.
    assert int(E.at(ds.filter(lambda x: x > 0).cache(), 1)) == 2


@pytest.mark.parametrize(
    "build, error, message",
    [
        (lambda ds: E.at(ds, 7), tf.errors.OutOfRangeError, r"Index out of range \[0, 5\):7"),
        (
            lambda ds: E.at(ds.filter(lambda x: x > 1), 0),
            tf.errors.UnimplementedError,
            "dataset FilterDatasetOp::Dataset",
        ),
        (
            # TF fuses map-then-batch, and the fused dataset has no random access.
            lambda ds: E.at(ds.map(lambda x: x + 1).batch(2), 0),
            tf.errors.UnimplementedError,
            "MapAndBatchDatasetOp::Dataset",
        ),
        (
            lambda ds: E.at(ds.cache("a_file"), 0),
            tf.errors.UnimplementedError,
            "CacheDatasetOp::FileDataset",
        ),
    ],
)
def test_at_refuses_as_tf_does(build, error, message):
    with pytest.raises(error, match=message):
        build(tf.data.Dataset.range(5))


def test_pad_to_cardinality_adds_zero_elements_marked_invalid():
    ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [[1.0, 2.0], [3.0, 4.0]]})
    padded = list(ds.apply(E.pad_to_cardinality(3, mask_key="real")))
    assert [bool(e["real"]) for e in padded] == [True, True, False]
    assert padded[2]["b"].numpy().tolist() == [0.0, 0.0] and padded[2]["a"].dtype == tf.int32


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: tf.data.Dataset.from_tensor_slices([1, 2]), "requires its input dataset to be"),
        (lambda: tf.data.Dataset.from_tensor_slices({"a": [1, 2, 3, 4]}), "less than the target"),
        (lambda: tf.data.Dataset.from_tensor_slices({"a": [1]}).repeat(), "known cardinalty"),
    ],
)
def test_pad_to_cardinality_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make().apply(E.pad_to_cardinality(3))


def test_tfrecord_writer_writes_a_dataset_of_strings(tmp_path):
    path = str(tmp_path / "records")
    E.TFRecordWriter(path, "GZIP").write(tf.data.Dataset.from_tensor_slices([b"ab", b"cde"]))
    assert [r.numpy() for r in tf.data.TFRecordDataset(path, "GZIP")] == [b"ab", b"cde"]
    with pytest.raises(TypeError, match="produces scalar `tf.string` elements"):
        E.TFRecordWriter(path).write(tf.data.Dataset.range(3))
    with pytest.raises(TypeError, match="Expected a `tf.data.Dataset` object"):
        E.TFRecordWriter(path).write([b"a"])


def test_sql_dataset_reads_the_rows_of_a_query(tmp_path):
    db = str(tmp_path / "rows.db")
    with sqlite3.connect(db) as connection:
        connection.execute("create table t (name text, n integer, f real)")
        connection.executemany("insert into t values (?, ?, ?)", [("a", 1, 0.5), ("b", 2, 1.5)])
    connection.close()
    rows = E.SqlDataset("sqlite", db, "select name, n, f from t", (tf.string, tf.int32, tf.float64))
    assert rows.element_spec[1] == tf.TensorSpec([], tf.int32)
    assert [(r[0].numpy(), int(r[1]), float(r[2])) for r in rows] == [
        (b"a", 1, 0.5),
        (b"b", 2, 1.5),
    ]
    with pytest.raises(tf.errors.UnknownError, match=r"Prepare\(\) failed: \[1\] no such column"):
        list(E.SqlDataset("sqlite", db, "select nope from t", (tf.int32,)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="database type, mysql"):
        E.SqlDataset("mysql", db, "select 1", (tf.int32,))


def test_lookup_tables_from_datasets():
    keys = tf.data.Dataset.from_tensor_slices(["cat", "dog", "emu"])
    index = E.index_table_from_dataset(keys)
    assert index.lookup(tf.constant(["dog", "x", "emu"])).numpy().tolist() == [1, -1, 2]
    with_oov = E.index_table_from_dataset(keys, num_oov_buckets=2)
    assert with_oov.lookup(tf.constant(["dog"])).numpy().tolist() == [1]
    pairs = tf.data.Dataset.from_tensor_slices((["a", "b"], [10, 20]))
    table = E.table_from_dataset(pairs, default_value=-1)
    assert table.lookup(tf.constant(["b", "z"])).numpy().tolist() == [20, -1]


def test_parse_example_dataset_parses_batches():
    feature = tf.train.Feature(float_list=tf.train.FloatList(value=[1.5]))
    example = tf.train.Example(features=tf.train.Features(feature={"v": feature}))
    batches = tf.data.Dataset.from_tensor_slices([example.SerializeToString()] * 3).batch(2)
    parsed = list(
        batches.apply(E.parse_example_dataset({"v": tf.io.FixedLenFeature([1], tf.float32)}))
    )
    assert [p["v"].shape.as_list() for p in parsed] == [[2, 1], [1, 1]]


def test_debug_mode_runs_map_functions_per_element(monkeypatch):
    monkeypatch.setattr(functions, "debug_mode", False)
    calls = []

    def record(x):
        calls.append(x)
        return x + 1

    list(tf.data.Dataset.range(4).map(record))
    traced_calls = len(calls)
    E.enable_debug_mode()
    calls.clear()
    assert [int(v) for v in tf.data.Dataset.range(4).map(record)] == [1, 2, 3, 4]
    # Traced once for the output spec, then run on each of the 4 elements.
    assert len(calls) >= 4 + 1 > traced_calls


def test_names_tf_adds_here():
    assert E.Optional is tf.experimental.Optional
    assert [a.value for a in E.AutotuneAlgorithm] == [0, 1, 2, 3, 4]


def _example_files(directory):
    for f in range(3):
        with tf.io.TFRecordWriter(str(directory / f"part{f}.tfrecord")) as writer:
            for i in range(5):
                floats = tf.train.FloatList(value=[f * 10 + i, i])
                ints = tf.train.Int64List(value=[f * 10 + i])
                features = {
                    "x": tf.train.Feature(float_list=floats),
                    "y": tf.train.Feature(int64_list=ints),
                }
                example = tf.train.Example(features=tf.train.Features(feature=features))
                writer.write(example.SerializeToString())
    return str(directory / "*.tfrecord")


FEATURES = {"x": tf.io.FixedLenFeature([2], tf.float32), "y": tf.io.FixedLenFeature([], tf.int64)}


def test_make_batched_features_dataset_gives_tfs_batches(tmp_path):
    pattern = _example_files(tmp_path)
    tf.random.set_seed(0)
    shuffled = E.make_batched_features_dataset(
        pattern, 4, FEATURES, label_key="y", num_epochs=1, shuffle_seed=7
    )
    assert shuffled.element_spec[1] == tf.TensorSpec([None], tf.int64)
    # TF 2.21's labels for the same files, seeds and arguments.
    assert [y.numpy().tolist() for _, y in shuffled] == [
        [14, 21, 13, 3],
        [2, 20, 10, 22],
        [4, 1, 24, 11],
        [0, 12, 23],
    ]
    two_readers = E.make_batched_features_dataset(
        pattern, 4, FEATURES, num_epochs=2, shuffle=False, reader_num_threads=2
    )
    assert [b["y"].numpy().tolist() for b in two_readers][:3] == [
        [0, 10, 1, 11],
        [2, 12, 3, 13],
        [4, 14, 20, 21],
    ]
    forever = E.make_batched_features_dataset(pattern, 4, FEATURES, shuffle=False)
    assert forever.element_spec["y"] == tf.TensorSpec([4], tf.int64)
    with pytest.raises(ValueError, match=r"The `label_key` provided \(z\) must be one of"):
        E.make_batched_features_dataset(pattern, 4, FEATURES, label_key="z")
