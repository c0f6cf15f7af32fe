"""Finite-difference gradient checks (float64) for the ops whose gradients the TF audit
changed: cumprod, sqrt, rsqrt and reciprocal (0 wherever the incoming gradient is 0),
gather_nd of whole rows (IndexedSlices), tensor_scatter_nd_sub and the complex
euclidean norm."""

import numpy as np

import tensorflux as tf
from tensorflux.testing import check_gradients

RNG = np.random.default_rng(0)
X = RNG.uniform(0.5, 2.0, size=(3, 4))


def test_cumprod_exclusive_reverse():
    check_gradients(lambda x: tf.math.cumprod(x, 1, exclusive=True, reverse=True), [X], order=2)
    check_gradients(lambda x: tf.math.cumprod(x, 0), [X], order=2)


def test_sqrt_rsqrt_reciprocal():
    check_gradients(tf.sqrt, [X], order=2)
    check_gradients(tf.math.rsqrt, [X], order=2)
    check_gradients(tf.math.reciprocal, [X], order=2)


def test_gather_nd_rows():
    check_gradients(lambda x: tf.gather_nd(x, [[2], [0], [2]]) ** 2, [X], order=2)


def test_tensor_scatter_nd_sub():
    idx = np.array([[0, 1], [2, 3], [0, 1]])
    check_gradients(lambda x, u: tf.tensor_scatter_nd_sub(x, idx, u) ** 2, [X, X[0, :3]], order=2)


def test_euclidean_norm_complex():
    z = X + 1j * X[::-1]
    check_gradients(lambda z: tf.math.reduce_euclidean_norm(z, axis=1), [z])
