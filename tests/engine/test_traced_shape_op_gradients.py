"""Finite-difference checks of the ops that graphs traced with partly known shapes use.

These ops take a shape computed when the graph runs, or read sizes then, so they appear
only inside a ``tf.function`` traced with ``None`` dimensions. Each check differentiates
through such a function from outside (the tape replays its graph); where the op is a
gradient itself, the function computes that gradient inside.
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tensorflux.testing import check_gradients

F64 = tf.float64


def _traced(fn, *shapes, dtypes=None):
    dtypes = dtypes or [F64] * len(shapes)
    return tf.function(fn, input_signature=[tf.TensorSpec(s, d) for s, d in zip(shapes, dtypes)])


def _inner_gradient(loss):
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = loss(x)
        return tape.gradient(y, x)

    return grad


def _rows(n, m=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, m))


def test_broadcast_to_a_traced_shape():
    f = _traced(lambda v, x: tf.broadcast_to(v, tf.shape(x)) * x, [3], [None, 3])
    check_gradients(f, [np.array([1.0, -2.0, 0.5]), _rows(4)])


def test_mean_gradient_read_at_run_time():
    f = _traced(_inner_gradient(lambda x: tf.reduce_mean(x * x * x, axis=0)), [None, 3])
    check_gradients(f, [_rows(4)])
    g = _traced(_inner_gradient(lambda x: tf.reduce_mean(x * x, keepdims=True)), [None, 3])
    check_gradients(g, [_rows(2)])


def test_reshape_to_a_traced_shape():
    f = _traced(lambda x: tf.reshape(x * x, [tf.shape(x)[0], -1]), [None, 2, 2])
    check_gradients(f, [np.random.default_rng(1).normal(size=(3, 2, 2))], order=2)


def test_scatter_nd_into_a_traced_shape():
    f = _traced(lambda u, x: tf.scatter_nd([[0], [2]], u, tf.shape(x)) * x, [2, 3], [None, 3])
    check_gradients(f, [_rows(2, seed=2), _rows(4)])


def test_segment_sum_of_traced_ids():
    f = _traced(
        lambda x, ids: tf.math.segment_sum(x * x, ids), [None, 3], [None], dtypes=[F64, tf.int32]
    )
    check_gradients(f, [_rows(4), np.array([0, 0, 1, 3], np.int32)])


def test_unsorted_segment_sum():
    check_gradients(lambda x: tf.math.unsorted_segment_sum(x * x, [2, 0, 2, 1], 3), [_rows(4)])


def test_slice_and_split_of_unknown_sizes():
    f = _traced(lambda x: tf.slice(x * x, [1, 1], [-1, 2]), [None, 3])
    check_gradients(f, [_rows(4)], order=2)
    g = _traced(lambda x: tf.split(x * x, 2, axis=0), [None, 3])
    check_gradients(g, [_rows(4)], order=2)
    h = _traced(lambda x: tf.split(x * x, [1, tf.shape(x)[0] - 1], axis=0), [None, 3])
    check_gradients(h, [_rows(4)], order=2)


def test_strided_slice_gradient_into_a_traced_shape():
    f = _traced(_inner_gradient(lambda x: tf.reduce_sum(x[:, 1:] ** 3)), [None, 3])
    check_gradients(f, [_rows(4)])


def test_top_k_gradient_of_unknown_sizes():
    f = _traced(
        _inner_gradient(lambda x: tf.reduce_sum(tf.math.top_k(x, 2).values ** 3)), [None, 4]
    )
    check_gradients(f, [_rows(3, 4)], order=2)


def test_tile_by_traced_multiples():
    f = _traced(lambda x: tf.tile(x * x, [1, tf.shape(x)[0]]), [None, 3])
    check_gradients(f, [_rows(2)], order=2)
