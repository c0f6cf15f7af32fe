"""tf.experimental.dlpack and Tensor.__dlpack__: tensors to and from other array
libraries as TF exchanges them (checked against TF 2.21: a capsule named "dltensor",
consumed once; TF tensors read by np.from_dlpack)."""

import numpy as np
import pytest

import tensorflux as tf


@pytest.mark.parametrize(
    "value",
    [
        np.arange(6, dtype=np.float32).reshape(2, 3),
        np.array([1, -2], np.int64),
        np.array([3, 4], np.uint8),
        np.array([True, False]),
        np.array(1.5, np.float16),
        np.array([1 + 2j]),
    ],
    ids=lambda v: v.dtype.name,
)
def test_round_trip_through_a_capsule(value):
    capsule = tf.experimental.dlpack.to_dlpack(tf.constant(value))
    assert type(capsule).__name__ == "PyCapsule"
    back = tf.experimental.dlpack.from_dlpack(capsule)
    assert back.dtype.as_numpy_dtype == value.dtype
    np.testing.assert_array_equal(back.numpy(), value)


def test_other_libraries_read_and_give_tensors():
    np.testing.assert_array_equal(np.from_dlpack(tf.constant([1.0, 2.0])), [1.0, 2.0])
    with pytest.raises(RuntimeError, match="non-None stream"):
        tf.constant([1.0]).__dlpack__(stream=1)
    back = tf.experimental.dlpack.from_dlpack(np.arange(3).__dlpack__())
    assert back.dtype == tf.int64 and back.numpy().tolist() == [0, 1, 2]


def test_a_capsule_is_consumed_once_and_bad_inputs_fail_clearly():
    capsule = tf.experimental.dlpack.to_dlpack(tf.constant([1.0]))
    tf.experimental.dlpack.from_dlpack(capsule)
    with pytest.raises(tf.errors.InvalidArgumentError, match="consumed at most once"):
        tf.experimental.dlpack.from_dlpack(capsule)
    with pytest.raises(TypeError, match="PyCapsule"):
        tf.experimental.dlpack.from_dlpack(np.arange(3))
    with pytest.raises(tf.errors.InvalidArgumentError, match="string"):
        tf.experimental.dlpack.to_dlpack(tf.constant(["a"]))
