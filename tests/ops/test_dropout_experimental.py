"""tf.nn.experimental.stateless_dropout / general_dropout against TensorFlow fixtures
(``record_dropout_fixtures.py``): masks, scaling, gradients, errors; eager and inside
tf.function."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients
from tests.ops.record_dropout_fixtures import FIXTURE, STATELESS_CASES, X

RECORD = json.loads(FIXTURE.read_text())


@pytest.mark.parametrize("i", range(len(STATELESS_CASES)))
@pytest.mark.parametrize("traced", [False, True])
def test_stateless_dropout_matches_tf(i, traced):
    rate, seed, alg, noise_shape, dtype = STATELESS_CASES[i]

    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.experimental.stateless_dropout(x, rate, seed, alg, noise_shape)
        return y, tape.gradient(y, x)

    y, g = (tf.function(run) if traced else run)(tf.constant(X, dtype))
    assert y.dtype.name == dtype
    want_y, want_g = RECORD["stateless"][i]
    np.testing.assert_array_equal(y.numpy().astype(float), want_y)
    np.testing.assert_array_equal(g.numpy().astype(float), want_g)


def test_tensor_rate_and_finite_differences():
    y = tf.nn.experimental.stateless_dropout(tf.constant(X), tf.constant(0.25), [4, 4])
    np.testing.assert_allclose(y.numpy(), RECORD["tensor_rate"], rtol=1e-6)
    check_gradients(lambda x: tf.nn.experimental.stateless_dropout(x, 0.5, [1, 2]), [X])


@pytest.mark.parametrize("i, rate", [(0, 0.3), (1, 0.6)])
def test_general_dropout_matches_tf(i, rate):
    def sampler(shape, dtype):
        return tf.random.stateless_uniform(shape, [11, 12], dtype=dtype)

    y = tf.nn.experimental.general_dropout(tf.constant(X), rate, sampler)
    np.testing.assert_array_equal(y.numpy(), np.float32(RECORD["general"][i]))


def test_errors_match_tf():
    with pytest.raises(ValueError, match=r"range \[0, 1\). Received: rate=1.0"):
        tf.nn.experimental.stateless_dropout(tf.constant(X), 1.0, [1, 2])
    with pytest.raises(ValueError) as info:
        tf.nn.experimental.stateless_dropout([1, 2], 0.5, [1, 2])
    assert str(info.value) == RECORD["int_x"]["message"]
