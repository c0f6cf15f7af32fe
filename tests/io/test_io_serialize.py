"""tf.io's SparseTensor serialization, CSV and JSON decoding against TF 2.21's recorded
results, eager and inside tf.function."""

import pytest

import tensorflux as tf
from tests.io.io_cases import CSV_CASES, JSON_CASES, SPARSE_CASES
from tests.io.io_harness import RESULTS, check, environment, run

# tensorflux has no tf.variant dtype: out_type is tf.string only.
CASES = [c for c in SPARSE_CASES if c[0] != "ss_var"] + CSV_CASES


@pytest.mark.parametrize("name,code", CASES, ids=[c[0] for c in CASES])
def test_matches_tf(name, code):
    check(run(code), RESULTS[name], name)


def test_sparse_round_trip_in_function():
    st = tf.SparseTensor([[0, 0], [1, 2]], [b"a", b"bc"], [2, 3])

    @tf.function
    def f(indices, values, shape):
        many = tf.io.serialize_many_sparse(tf.SparseTensor(indices, values, shape))
        return tf.io.deserialize_many_sparse(many, tf.string)

    back = f(st.indices, st.values, st.dense_shape)
    assert back.indices.numpy().tolist() == [[0, 0], [1, 2]]
    assert back.values.numpy().tolist() == [b"a", b"bc"]
    assert back.dense_shape.numpy().tolist() == [2, 3]


def test_variant_out_type_is_refused():
    with pytest.raises(tf.errors.InvalidArgumentError, match="out_type"):
        tf.io.serialize_sparse(tf.SparseTensor([[0]], [1], [2]), out_type=tf.int32)


def test_decode_csv_in_dataset_map():
    lines = tf.data.Dataset.from_tensor_slices(["1,x", "2,", "oops,z"])
    ds = lines.map(lambda line: tf.io.decode_csv(line, [[0], ["d"]]))
    it = iter(ds)
    assert [t.numpy() for t in next(it)] == [1, b"x"]
    assert [t.numpy() for t in next(it)] == [2, b"d"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a valid int32: oops"):
        next(it)


def test_decode_json_example():
    name, code = JSON_CASES[0]
    check(run(code), RESULTS[name], name)
    record = run(code)[0]
    parsed = tf.io.parse_single_example(
        record,
        {
            "a": tf.io.FixedLenFeature([2], tf.float32),
            "b": tf.io.VarLenFeature(tf.int64),
            "c": tf.io.FixedLenFeature([], tf.string),
        },
    )
    assert parsed["a"].numpy().tolist() == [1.5, 2.0]
    assert parsed["b"].values.numpy().tolist() == [3, 4]
    assert parsed["c"].numpy() == b"hi"


@pytest.mark.parametrize("name", ["json_bad", "json_notjson"])
def test_decode_json_example_errors(name):
    """TF's message quotes protobuf's JSON parser; ours starts the same way and gives
    Python's reason."""
    code = dict(JSON_CASES)[name]
    got = run(code, environment())
    assert got[0] == "error" and type(got[1]).__name__ == RESULTS[name]["error"]
    assert str(got[1]).startswith("Error while parsing JSON: ")
