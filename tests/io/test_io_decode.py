"""tf.io's byte decoders and tensor serialization against TF 2.21's recorded results,
eager and inside tf.function."""

import pytest

import tensorflux as tf
from tests.io.io_cases import ENCODE_CASES, TENSOR_CASES
from tests.io.io_harness import RESULTS, check, environment, run

CASES = ENCODE_CASES + TENSOR_CASES


@pytest.mark.parametrize("name,code", CASES, ids=[c[0] for c in CASES])
def test_matches_tf(name, code):
    check(run(code), RESULTS[name], name)


def test_in_function_with_string_input():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def f(s):
        raw = tf.io.decode_raw(tf.io.decode_base64(s), tf.uint8)
        return raw, tf.io.encode_base64(s, pad=True)

    raw, enc = f(tf.constant([b"AQI", b"AwQ"]))
    assert raw.numpy().tolist() == [[1, 2], [3, 4]]
    assert enc.numpy().tolist() == [b"QVFJ", b"QXdR"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="1 modulo 4"):
        f(tf.constant([b"abcde"]))


def test_dataset_map_parses_tensors():
    data = [tf.io.serialize_tensor(tf.constant([i, i + 1])) for i in range(3)]
    ds = tf.data.Dataset.from_tensor_slices(tf.stack(data)).map(
        lambda s: tf.io.parse_tensor(s, tf.int32)
    )
    assert [x.numpy().tolist() for x in ds] == [[0, 1], [1, 2], [2, 3]]


def test_decompress_in_dataset_map():
    env = environment()
    ds = tf.data.Dataset.from_tensor_slices([env["GZIP"]]).map(
        lambda s: tf.io.decode_compressed(s, "GZIP")
    )
    assert [x.numpy() for x in ds] == [b"gz data"]
