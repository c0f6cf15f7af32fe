"""BatchNormalization runs TF's fused op exactly where tf_keras 2.21 does (4-D/5-D inputs
along the first or last channel axis, 16/32-bit floats), with tf_keras' moving-statistics
update (running averages with the unbiased batch variance)."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.layers.normalization import batch_normalization as bn_module
from tensorflux.testing import check_gradients


@pytest.fixture
def fused_calls(monkeypatch):
    calls = []
    original = bn_module.fused_batch_norm_v3

    def counting(*args, **kwargs):
        calls.append(kwargs["data_format"])
        return original(*args, **kwargs)

    monkeypatch.setattr(bn_module, "fused_batch_norm_v3", counting)
    return calls


@pytest.mark.parametrize(
    "shape, axis, data_format",
    [
        ((2, 3, 3, 4), -1, "NHWC"),
        ((2, 4, 3, 3), 1, "NCHW"),
        ((2, 4, 3, 3), -3, "NCHW"),
        ((2, 2, 2, 2, 4), 4, "NDHWC"),
        ((2, 4, 2, 2, 2), -4, "NCDHW"),
        ((2, 3, 4), -1, None),
        ((2, 3, 4, 3), 2, None),
        ((2, 2, 4, 2, 2), 2, None),
        ((2, 3, 3, 4), [3], "NHWC"),
        ((2, 3, 3, 4), [1, 3], None),
    ],
)
def test_fuses_where_tf_keras_does(fused_calls, shape, axis, data_format):
    layer = tf.keras.layers.BatchNormalization(axis=axis)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    layer(x, training=True)
    layer(x, training=False)
    assert fused_calls == ([data_format] * 2 if data_format else [])


def test_float64_layers_are_not_fused(fused_calls):
    layer = tf.keras.layers.BatchNormalization(dtype="float64")
    layer(np.ones((2, 2, 2, 3)), training=True)
    assert fused_calls == []


def test_axis_minus_4_of_4d_inputs_raises_tf_keras_error():
    layer = tf.keras.layers.BatchNormalization(axis=-4)
    with pytest.raises(ValueError, match=r"only possible with `axis=1` or `axis=3`.*axis=\(0,\)"):
        layer(np.ones((2, 2, 2, 3), np.float32))


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_training_step_values_and_moving_statistics(data_format):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 3, 2, 2) if data_format == "NCHW" else (4, 2, 2, 3))
    x = (x * 2 + 1).astype(np.float32)
    axis = 1 if data_format == "NCHW" else -1
    layer = tf.keras.layers.BatchNormalization(axis=axis, momentum=0.9, epsilon=1e-3)
    y = layer(x, training=True).numpy()
    reduce = tuple(i for i in range(4) if i != axis % 4)
    mean, var = x.mean(reduce, keepdims=True), x.var(reduce, keepdims=True)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-5, atol=1e-5)
    n = x.size // 3
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.1 * mean.ravel(), rtol=1e-5)
    want_var = 0.9 + 0.1 * var.ravel() * n / (n - 1)
    np.testing.assert_allclose(layer.moving_variance.numpy(), want_var, rtol=1e-5)
    inferred = layer(x, training=False).numpy()
    want = (x - layer.moving_mean.numpy().reshape(mean.shape)) / np.sqrt(
        layer.moving_variance.numpy().reshape(mean.shape) + 1e-3
    )
    np.testing.assert_allclose(inferred, want, rtol=1e-5, atol=1e-5)


def test_mixed_precision_keeps_float32_statistics():
    layer = tf.keras.layers.BatchNormalization(dtype="mixed_float16", center=False, scale=False)
    x = np.random.default_rng(2).standard_normal((3, 2, 2, 2)).astype(np.float16)
    with tf.GradientTape() as tape:
        xt = tf.constant(x)
        tape.watch(xt)
        y = layer(xt, training=True)
        loss = tf.reduce_sum(tf.cast(y, "float32") * np.arange(24, dtype="f").reshape(x.shape))
    assert y.dtype == tf.float16 and layer.moving_mean.dtype == tf.float32
    assert tape.gradient(loss, xt).dtype == tf.float16
    want = (x - x.mean((0, 1, 2))) / np.sqrt(x.astype(np.float32).var((0, 1, 2)) + 1e-3)
    np.testing.assert_allclose(y.numpy().astype(np.float32), want, atol=1e-2)


def test_gradients_and_fit_through_the_fused_layer():
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(4, 3, input_shape=(6, 6, 2)),
            tf.keras.layers.BatchNormalization(),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile("sgd", "mse")
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((16, 6, 6, 2)), rng.standard_normal((16, 1))
    history = model.fit(x.astype("f"), y.astype("f"), epochs=3, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    bn = model.layers[1]
    assert not np.allclose(bn.moving_mean.numpy(), 0.0)
    assert [w.name.split("/")[-1] for w in bn.weights] == [
        "gamma:0",
        "beta:0",
        "moving_mean:0",
        "moving_variance:0",
    ]


def test_backend_fused_paths_keep_small_epsilons():
    """TF 2.21's fused_batch_norm uses epsilon as given (no 1.001e-5 floor)."""
    K = tf.keras.backend
    rng = np.random.default_rng(4)
    x = (rng.standard_normal((4, 1, 1, 2)) * 1e-3).astype(np.float32)
    mean, var = x.mean((0, 1, 2)), x.var((0, 1, 2))
    want = (x - mean) / np.sqrt(var + 1e-7)
    y = K.batch_normalization(x, mean, var, None, None, axis=-1, epsilon=1e-7)
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-4, atol=1e-4)
    normed, m, v = K.normalize_batch_in_training(x, None, None, [0, 1, 2], epsilon=1e-7)
    np.testing.assert_allclose(normed.numpy(), want, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(v.numpy(), x.var((0, 1, 2), ddof=1), rtol=1e-5)
    xt = x.transpose(0, 3, 1, 2)
    y = K.batch_normalization(xt, mean, var, 0 * mean, 1 + 0 * mean, axis=1, epsilon=1e-7)
    np.testing.assert_allclose(y.numpy(), want.transpose(0, 3, 1, 2), rtol=1e-4, atol=1e-4)


def test_backend_fused_training_gradients():
    """The fused op takes no float64 (nor does tf_keras' backend, which runs it): the
    finite differences run through a float32 cast."""
    K = tf.keras.backend

    def fn(x, g, b):
        args = [tf.cast(t, "float32") for t in (x, g, b)]
        return tf.cast(K.normalize_batch_in_training(*args, [0, 1, 2])[0], "float64")

    rng = np.random.default_rng(6)
    inputs = [rng.standard_normal(s) for s in ((2, 2, 2, 3), (3,), (3,))]
    check_gradients(fn, inputs, rtol=2e-2, atol=2e-2, eps=1e-2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'T' of float64"):
        K.normalize_batch_in_training(*inputs, [0, 1, 2])
