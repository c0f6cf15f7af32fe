"""Tests for tensorflux/ops/sort_ops.py: tf.sort and tf.argsort."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.testing import check_gradients

M = np.array([[3.0, -1.0, 2.5, 0.5], [1.5, 4.0, -2.0, 0.25], [0.75, 2.0, 1.0, -3.0]])
TIES = np.array([1, 2, 1, 2, 1])


def _np_argsort(x, axis, direction):
    """Stable argsort; descending keeps ties in their original order, as TF's."""
    if direction == "ASCENDING":
        return np.argsort(x, axis=axis, kind="stable")
    flipped = np.flip(x, axis)
    n = x.shape[axis]
    return n - 1 - np.flip(np.argsort(flipped, axis=axis, kind="stable"), axis)


# name, values, axis, direction
CASES = [
    ("float_last", M, -1, "ASCENDING"),
    ("float_last_desc", M, -1, "DESCENDING"),
    ("float_axis0", M, 0, "ASCENDING"),
    ("float_axis0_desc", M, 0, "DESCENDING"),
    ("int_ties", TIES, 0, "ASCENDING"),
    ("int_ties_desc", TIES, 0, "DESCENDING"),
    ("int8_extremes", np.array([127, -128, 0, -128], np.int8), -1, "ASCENDING"),
    ("uint8_desc", np.array([3, 255, 0, 3], np.uint8), -1, "DESCENDING"),
    ("uint8_asc", np.array([3, 255, 0, 3], np.uint8), -1, "ASCENDING"),
    ("rank3_axis1", np.arange(24.0).reshape(2, 3, 4)[:, ::-1] % 5, 1, "DESCENDING"),
    ("empty_axis", np.zeros((2, 0)), -1, "ASCENDING"),
]


@pytest.mark.parametrize("name,x,axis,direction", CASES, ids=[c[0] for c in CASES])
def test_values_indices_and_dtypes(name, x, axis, direction):
    idx = _np_argsort(x, axis, direction)
    out = tf.sort(tf.constant(x), axis=axis, direction=direction)
    assert out.dtype == tf.as_dtype(x.dtype)
    np.testing.assert_array_equal(out.numpy(), np.take_along_axis(x, idx, axis))
    got = tf.argsort(tf.constant(x), axis=axis, direction=direction)
    assert got.dtype == tf.int32
    np.testing.assert_array_equal(got.numpy(), idx)


def test_tf_reference_orders():
    # Recorded from TF 2.21: both directions are stable.
    np.testing.assert_array_equal(tf.argsort(TIES, direction="DESCENDING").numpy(), [1, 3, 0, 2, 4])
    np.testing.assert_array_equal(
        tf.argsort(TIES, direction="DESCENDING", stable=True).numpy(), [1, 3, 0, 2, 4]
    )
    np.testing.assert_array_equal(tf.argsort(TIES).numpy(), [0, 2, 4, 1, 3])
    np.testing.assert_array_equal(
        tf.argsort([0.0, -0.0, 0.0], direction="DESCENDING").numpy(), [0, 1, 2]
    )
    nan_last = tf.sort([1.0, np.nan, 0.0]).numpy()
    np.testing.assert_array_equal(nan_last, [0.0, 1.0, np.nan])
    np.testing.assert_array_equal(tf.argsort([1.0, np.nan, 0.0]).numpy(), [2, 0, 1])
    assert tf.sort(tf.constant([2.0, 1.0], tf.float16)).dtype == tf.float16
    assert tf.argsort(tf.constant([3, 1], tf.int64)).dtype == tf.int32


def test_axis_as_tensor():
    out = tf.sort(M, axis=tf.constant(0))
    np.testing.assert_array_equal(out.numpy(), np.sort(M.astype(np.float32), axis=0))


@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING"])
@pytest.mark.parametrize("axis", [0, -1])
def test_sort_gradient(axis, direction):
    check_gradients(lambda t: tf.sort(t, axis=axis, direction=direction), [M], order=2)


def test_sort_gradient_with_ties_follows_the_stable_permutation():
    # TF routes dy through the stable permutation: [3, 1, 2, 1] descending picks 0, 2, 1, 3.
    x = tf.Variable([3.0, 1.0, 2.0, 1.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.sort(x, direction="DESCENDING") * tf.constant([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(tape.gradient(loss, x).numpy(), [1.0, 3.0, 2.0, 4.0])


def test_argsort_is_not_differentiable():
    x = tf.Variable([3.0, 1.0])
    with tf.GradientTape() as tape:
        y = tf.argsort(x)
    assert tape.gradient(y, x) is None


ERRORS = [
    (
        lambda: tf.sort([1.0, 2.0], direction="UP"),
        ValueError,
        "should be one of ASCENDING, DESCENDING. Received: direction=UP",
    ),
    (lambda: tf.argsort([1.0, 2.0], direction="up"), ValueError, "direction=up"),
    (lambda: tf.sort(tf.constant(3.0)), InvalidArgumentError, "cannot sort a scalar"),
    (lambda: tf.argsort(tf.constant(3.0)), InvalidArgumentError, "cannot sort a scalar"),
    (
        lambda: tf.sort([[1.0, 2.0]], axis=2),
        InvalidArgumentError,
        "axis 2 is out of range for a tensor of shape (1, 2)",
    ),
    (lambda: tf.argsort([[1.0, 2.0]], axis=-3), InvalidArgumentError, "pass an axis in [-2, 2)"),
    (lambda: tf.sort([True, False]), InvalidArgumentError, "bool is not in the list"),
    (lambda: tf.sort(["b", "a"]), InvalidArgumentError, "string is not in the list"),
    (
        lambda: tf.sort([1 + 1j, 0j], direction="DESCENDING"),
        InvalidArgumentError,
        "complex128 is not in the list of allowed values",
    ),
]


@pytest.mark.parametrize("fn,exc,fragment", ERRORS)
def test_errors(fn, exc, fragment):
    with pytest.raises(exc) as info:
        fn()
    assert fragment in str(info.value)
