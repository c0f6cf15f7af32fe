"""Tests for tensorflux/ops/clip_ops.py: values, dtypes, gradients, IndexedSlices, errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.testing import check_gradients

X = np.array([[1.5, -3.0, 0.2], [4.0, -0.4, 2.5]])


def test_clip_by_value():
    out = tf.clip_by_value(tf.constant([1.0, 5.0, -3.0]), -1.0, 2.0)
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), [1.0, 2.0, -1.0])
    ints = tf.clip_by_value(tf.constant([1, 5, -3]), -1, 2)
    assert ints.dtype == tf.int32
    np.testing.assert_array_equal(ints.numpy(), [1, 2, -1])
    # min > max: TF's maximum(minimum(t, max), min) gives min everywhere.
    np.testing.assert_array_equal(tf.clip_by_value([1.0, 5.0, -3.0], 3.0, 2.0).numpy(), [3.0] * 3)
    per_column = tf.clip_by_value(X, [0.0, -1.0, 0.0], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(per_column.numpy(), np.clip(X, [0, -1, 0], 1))


def test_clip_by_value_gradients():
    check_gradients(lambda t: tf.clip_by_value(t, -1.0, 2.0), [X], order=2)
    check_gradients(
        lambda t, lo, hi: tf.clip_by_value(t, lo, hi),
        [X, np.array([0.0, -1.0, 0.0]), np.array(2.0)],
    )
    t = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.clip_by_value(t, -1.0, 2.0)
    np.testing.assert_array_equal(tape.gradient(y, t).numpy(), (X >= -1) & (X <= 2))


def test_clip_by_value_indexed_slices():
    s = tf.IndexedSlices(tf.constant([[3.0, -4.0]]), tf.constant([1]), tf.constant([3, 2]))
    out = tf.clip_by_value(s, -1.0, 1.0)
    assert isinstance(out, tf.IndexedSlices)
    np.testing.assert_array_equal(out.values.numpy(), [[1.0, -1.0]])


@pytest.mark.parametrize(
    "args,exc,msg",
    [
        (([1, 5, -3], -1.5, 2), TypeError, "Cannot convert -1.5 to EagerTensor of dtype int32"),
        (([1.0, 5.0, -3.0], [0.0, 1.0], 2.0), InvalidArgumentError, "Maximum"),
        (
            ([1.0, 5.0, -3.0], [0.0, 1.0, 0.0], [[2.0, 2.0, 2.0]]),
            ValueError,
            r"Shapes \(3,\) and \(1, 3\) are incompatible",
        ),
    ],
)
def test_clip_by_value_errors(args, exc, msg):
    with pytest.raises(exc, match=msg):
        tf.clip_by_value(*args)


def test_clip_by_norm():
    np.testing.assert_allclose(tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0).numpy(), [0.6, 0.8])
    np.testing.assert_allclose(tf.clip_by_norm([3.0, 4.0], 10.0).numpy(), [3.0, 4.0])
    rows = tf.clip_by_norm(tf.constant([[3.0, 4.0], [0.0, 0.0]]), 1.0, axes=[1])
    np.testing.assert_allclose(rows.numpy(), [[0.6, 0.8], [0.0, 0.0]])
    check_gradients(lambda t: tf.clip_by_norm(t, 2.0), [X], order=2)
    check_gradients(lambda t, c: tf.clip_by_norm(t, c, axes=[1]), [X, np.array(3.0)])
    zero = tf.zeros([2])
    with tf.GradientTape() as tape:
        tape.watch(zero)
        y = tf.clip_by_norm(zero, 1.0)
    assert np.isfinite(tape.gradient(y, zero).numpy()).all()
    with pytest.raises(InvalidArgumentError, match="int32"):
        tf.clip_by_norm(tf.constant([3, 4]), 1)


def test_global_norm_and_clip_by_global_norm():
    ts = [tf.constant([3.0, 4.0]), None, tf.constant([12.0])]
    np.testing.assert_allclose(tf.linalg.global_norm(ts).numpy(), 13.0)
    clipped, norm = tf.clip_by_global_norm(ts, 1.0)
    assert clipped[1] is None and float(norm) == 13.0
    np.testing.assert_allclose(clipped[0].numpy(), [3 / 13, 4 / 13], rtol=1e-6)
    np.testing.assert_allclose(clipped[2].numpy(), [12 / 13], rtol=1e-6)
    same, _ = tf.clip_by_global_norm([tf.constant([0.3])], 1.0)
    np.testing.assert_allclose(same[0].numpy(), [0.3])
    given, norm = tf.clip_by_global_norm([tf.constant([3.0, 4.0])], 1.0, use_norm=10.0)
    np.testing.assert_allclose(given[0].numpy(), [0.3, 0.4], rtol=1e-6)
    bad, norm = tf.clip_by_global_norm([tf.constant([np.inf])], 1.0)
    assert np.isnan(bad[0].numpy()).all() and np.isinf(norm.numpy())
    s = tf.IndexedSlices(tf.constant([[3.0, 4.0]]), tf.constant([1]), tf.constant([3, 2]))
    out, norm = tf.clip_by_global_norm([s], 1.0)
    assert isinstance(out[0], tf.IndexedSlices) and float(norm) == 5.0
    np.testing.assert_allclose(out[0].values.numpy(), [[0.6, 0.8]], rtol=1e-6)
    check_gradients(lambda a, b: tf.clip_by_global_norm([a, b], 2.0)[0], [X, X[0]])


@pytest.mark.parametrize(
    "fn,exc,msg",
    [
        (
            lambda: tf.clip_by_global_norm(tf.constant([3.0, 4.0]), 1.0),
            TypeError,
            "`t_list` should be a sequence of tensors",
        ),
        (lambda: tf.linalg.global_norm(tf.constant([3.0, 4.0])), TypeError, "should be a sequence"),
        (lambda: tf.linalg.global_norm([tf.constant([3, 4])]), InvalidArgumentError, "int32"),
        (
            lambda: tf.clip_by_global_norm(
                [tf.constant([3.0]), tf.constant([1.0], tf.float64)], 1.0
            ),
            InvalidArgumentError,
            "Pack",
        ),
    ],
)
def test_global_norm_errors(fn, exc, msg):
    with pytest.raises(exc, match=msg):
        fn()


@pytest.mark.parametrize(
    "t,axes,msg",
    [
        (3.0, [0], "Invalid reduction dimension (0 for input with 0 dimension(s) [Op:Sum]"),
        (X, [0, 0], "Axes contains duplicate dimension: 0 [Op:Sum]"),
        (X, [2], "Invalid reduction dimension (2 for input with 2 dimension(s)"),
    ],
)
def test_clip_by_norm_axes_errors(t, axes, msg):
    with pytest.raises(InvalidArgumentError) as info:
        tf.clip_by_norm(tf.constant(t), 1.0, axes=axes)
    assert msg in str(info.value)
