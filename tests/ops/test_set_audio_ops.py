"""``tf.sets`` and ``tf.audio`` against TensorFlow's recorded results
(``tests/ops/record_set_audio_fixtures.py``)."""

import base64
import json
import os

import numpy as np
import pytest

import tensorflux as tf

with open(
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "set_audio_ops.json"),
    encoding="utf-8",
) as _f:
    FIXTURE = json.load(_f)


def _operand(spec, dtype):
    if isinstance(spec, dict):
        values = tf.constant(spec["values"], dtype)
        return tf.sparse.SparseTensor(spec["indices"], values, spec["shape"])
    return tf.constant(spec, dtype)


def _check_sparse(result, expected):
    assert result.indices.numpy().tolist() == expected["indices"]
    values = [v.decode() if isinstance(v, bytes) else v for v in result.values.numpy().tolist()]
    assert values == expected["values"]
    assert result.dense_shape.numpy().tolist() == expected["shape"]
    assert result.values.dtype.name == expected["dtype"]


@pytest.mark.parametrize("case", FIXTURE["sets"], ids=lambda c: f"{c['op']}-{c['dtype']}")
def test_set_operations_match_tf(case):
    a, b = _operand(case["a"], case["dtype"]), _operand(case["b"], case["dtype"])
    _check_sparse(getattr(tf.sets, case["op"])(a, b, **case["kwargs"]), case["out"])


@pytest.mark.parametrize("case", FIXTURE["sets"][:8], ids=lambda c: f"{c['op']}-{c['dtype']}")
def test_set_operations_traced(case):
    a, b = _operand(case["a"], case["dtype"]), _operand(case["b"], case["dtype"])
    traced = tf.function(lambda x, y: getattr(tf.sets, case["op"])(x, y, **case["kwargs"]))
    _check_sparse(traced(a, b), case["out"])


@pytest.mark.parametrize("case", FIXTURE["sizes"])
def test_set_size_matches_tf(case):
    assert tf.sets.size(_operand(case["a"], "int64")).numpy().tolist() == case["out"]


def test_set_size_of_traced_sparse_tensor_has_group_rank():
    spec = tf.SparseTensorSpec([None, 4], tf.int32)
    concrete = tf.function(tf.sets.size).get_concrete_function(spec)
    assert concrete.structured_outputs.shape.as_list() == [None]


def test_set_operation_errors_as_tf():
    with pytest.raises(TypeError, match="invalid dtype"):
        tf.sets.intersection(tf.constant([[1.0, 2.0]]), tf.constant([[1.0, 2.0]]))
    with pytest.raises(TypeError, match="Types don't match"):
        tf.sets.union(tf.constant([[1, 2]]), tf.constant([[1, 2]], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank 1 < 2"):
        tf.sets.intersection(tf.constant([1, 2]), tf.constant([1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Mismatched shapes \[1\] vs \[2\]"):
        tf.sets.union(tf.constant([[1, 2]]), tf.constant([[1, 2], [3, 4]]))
    with pytest.raises(TypeError, match="Expected `SparseTensor`"):
        tf.sets.size(tf.constant([[1, 2]]))


def test_unordered_sparse_indices_are_refused_unless_validation_is_off():
    unordered = tf.sparse.SparseTensor([[0, 1], [0, 0]], [5, 3], [3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="is out of order"):
        tf.sets.union(unordered, unordered)
    result = tf.sets.union(unordered, unordered, validate_indices=False)
    assert result.values.numpy().tolist() == [3, 5]


@pytest.mark.parametrize("case", FIXTURE["wav"], ids=lambda c: str(c["shape"]))
def test_encode_wav_bytes_equal_tf(case):
    samples = np.array(case["samples"], np.float32).reshape(case["shape"])
    encoded = tf.audio.encode_wav(samples, case["rate"])
    assert encoded.numpy() == base64.b64decode(case["wav"])


@pytest.mark.parametrize("case", FIXTURE["wav"], ids=lambda c: str(c["shape"]))
def test_decode_wav_matches_tf(case):
    contents = base64.b64decode(case["wav"])
    for expected in case["decodes"]:
        audio, rate = tf.audio.decode_wav(contents, **expected["kwargs"])
        want = np.array(expected["audio"], np.float32).reshape(expected["shape"])
        np.testing.assert_array_equal(audio.numpy(), want)
        assert audio.dtype == tf.float32 and rate.dtype == tf.int32
        assert int(rate) == expected["rate"]


def test_decode_wav_traced_shape_follows_desired_sizes():
    concrete = tf.function(lambda c: tf.audio.decode_wav(c, 2, 16)).get_concrete_function(
        tf.TensorSpec([], tf.string)
    )
    assert concrete.structured_outputs.audio.shape.as_list() == [16, 2]


def test_wav_errors_are_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="2-dimensional"):
        tf.audio.encode_wav(tf.zeros([4]), 8000)
    with pytest.raises(tf.errors.InvalidArgumentError, match="RIFF"):
        tf.audio.decode_wav(b"not a wav file at all")
    eight_bit = bytearray(tf.audio.encode_wav(tf.zeros([2, 1]), 8000).numpy())
    eight_bit[34] = 8
    with pytest.raises(tf.errors.InvalidArgumentError, match="16-bit"):
        tf.audio.decode_wav(bytes(eight_bit))
