"""tf.nn.dilation2d / tf.nn.erosion2d against TensorFlow fixtures
(``record_morphology_fixtures.py``): values, gradients with respect to the input and the
filters (ties broken TF's way), errors; eager and inside tf.function."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.testing import check_gradients, check_one_graph
from tests.ops.record_morphology_fixtures import FIXTURE

RECORD = json.loads(FIXTURE.read_text())
FNS = {"dilation": tf.nn.dilation2d, "erosion": tf.nn.erosion2d}


@pytest.mark.parametrize("i", range(len(RECORD["cases"])))
@pytest.mark.parametrize("name", sorted(FNS))
@pytest.mark.parametrize("traced", [False, True])
def test_values_and_gradients_match_tf(i, name, traced):
    c, want = RECORD["cases"][i], RECORD["cases"][i][name]

    def run(x, f, w):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, f])
            y = FNS[name](x, f, c["strides"], c["padding"], "NHWC", c["dilations"])
        return (y, *tape.gradient(y, [x, f], output_gradients=w))

    run = tf.function(run) if traced else run
    args = [tf.constant(c[k], tf.float32) for k in ("x", "f")] + [tf.constant(want["w"])]
    y, gx, gf = run(*args)
    np.testing.assert_array_equal(y.numpy(), np.float32(want["y"]))
    np.testing.assert_allclose(gx.numpy(), want["gx"], atol=1e-6)
    np.testing.assert_allclose(gf.numpy(), want["gf"], atol=1e-6)


@pytest.mark.parametrize("name", sorted(FNS))
def test_gradients_match_finite_differences(name):
    rng = np.random.default_rng(5)
    x, f = rng.standard_normal([1, 5, 4, 2]), rng.standard_normal([2, 3, 2])

    def fn(x, f):
        return FNS[name](x, f, [1, 2, 1, 1], "SAME", "NHWC", [1, 1, 2, 1])

    check_gradients(fn, [x, f])


def test_unknown_batch_and_size_trace_once():
    f = tf.constant(np.random.default_rng(1).standard_normal([2, 2, 1]), tf.float32)
    rng = np.random.default_rng(2)
    check_one_graph(
        lambda x: tf.nn.dilation2d(x, f, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1]),
        [tf.TensorSpec([None, None, None, 1], tf.float32)],
        [(rng.standard_normal([n, n + 1, 3, 1]).astype(np.float32),) for n in (1, 3)],
    )


def test_integer_inputs_dilate():
    x = tf.reshape(tf.range(6), [1, 2, 3, 1])
    y = tf.nn.dilation2d(x, tf.ones([2, 2, 1], tf.int32), [1, 1, 1, 1], "SAME", "NHWC",
                         [1, 1, 1, 1])  # fmt: skip
    assert y.dtype == tf.int32
    assert y[0, :, :, 0].numpy().tolist() == [[5, 6, 6], [5, 6, 6]]  # as TF


_X, _F = np.zeros([1, 4, 4, 2], np.float32), np.zeros([2, 2, 2], np.float32)
ERRORS = {
    "data_format": (ValueError, lambda d: d(_X, _F, [1, 1, 1, 1], "SAME", "NCHW", [1] * 4)),
    "stride_batch": (UnimplementedError, lambda d: d(_X, _F, [2, 1, 1, 1], "SAME", "NHWC", [1] * 4)),  # noqa: E501
    "rate_depth": (UnimplementedError, lambda d: d(_X, _F, [1] * 4, "SAME", "NHWC", [1, 1, 1, 2])),
    "depth": (InvalidArgumentError, lambda d: d(_X, np.zeros([2, 2, 3], np.float32), [1] * 4, "SAME", "NHWC", [1] * 4)),  # noqa: E501
    "rank": (InvalidArgumentError, lambda d: d(_X[0], _F, [1] * 4, "SAME", "NHWC", [1] * 4)),
    "strides_len": (InvalidArgumentError, lambda d: d(_X, _F, [1, 1], "SAME", "NHWC", [1] * 4)),
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(ERRORS))
def test_errors_match_tf(key):
    error, call = ERRORS[key]
    want = RECORD["errors"][key]
    assert want["type"] == error.__name__
    message = want["message"].split("}} ")[-1].split(" [Op:")[0].split(" name:")[0]
    with pytest.raises(error) as info:
        call(tf.nn.dilation2d)
    assert message in str(info.value)
