"""tf.random.stateless_parameterized_truncated_normal against TensorFlow fixtures
(``record_parameterized_truncated_normal_fixtures.py``): the same numbers bit for bit from
each of TF's three samplers, with broadcast parameters, eager and inside tf.function."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError
from tests.ops.record_parameterized_truncated_normal_fixtures import CASES, FIXTURE

RECORD = json.loads(FIXTURE.read_text())


@pytest.mark.parametrize("i", range(len(CASES)))
@pytest.mark.parametrize("traced", [False, True])
def test_draws_tf_numbers(i, traced):
    shape, seed, means, stddevs, minvals, maxvals, dtype = CASES[i]
    args = [tf.constant(v, dtype) for v in (means, stddevs, minvals, maxvals)]

    def draw(*args):
        return tf.random.stateless_parameterized_truncated_normal(shape, seed, *args)

    y = (tf.function(draw) if traced else draw)(*args)
    assert y.dtype.name == dtype and y.shape == shape
    np.testing.assert_array_equal(y.numpy(), np.asarray(RECORD["cases"][i], dtype))


def test_same_seed_same_numbers_and_bounds_hold():
    f = tf.random.stateless_parameterized_truncated_normal
    a = f([50, 2], [4, 2], [0.0, 3.0], [1.0, 0.5], [-0.3, 2.9], [2.0, 3.4])
    np.testing.assert_array_equal(a.numpy(), f([50, 2], [4, 2], [0.0, 3.0], [1.0, 0.5],
                                               [-0.3, 2.9], [2.0, 3.4]).numpy())  # fmt: skip
    assert np.all((a.numpy()[:, 0] >= -0.3) & (a.numpy()[:, 0] <= 2.0))
    assert np.all((a.numpy()[:, 1] >= 2.9) & (a.numpy()[:, 1] <= 3.4))


@pytest.mark.parametrize("key, args", [("bad_stddev", ([2], [1, 2], 0.0, -1.0)),
                                       ("bad_shape", ([2, 3], [1, 2], [0.0, 1.0]))])  # fmt: skip
def test_errors_match_tf(key, args):
    message = RECORD[key]["message"].split("}} ")[-1].split(" [Op:")[0]
    with pytest.raises(InvalidArgumentError, match=message):
        tf.random.stateless_parameterized_truncated_normal(*args)
