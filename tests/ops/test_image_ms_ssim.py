"""tf.image.ssim_multiscale: values against TF (fixtures recorded by
record_image_extra_fixtures.py), odd sizes, tracing and finite-difference gradients."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_extras.json"


@pytest.fixture(scope="module")
def fx():
    return json.loads(FIXTURES.read_text())["ssim_multiscale"]


def test_values_are_tfs(fx):
    a, b = np.asarray(fx["a"], np.float32), np.asarray(fx["b"], np.float32)
    for case in fx["cases"]:
        got = tf.image.ssim_multiscale(a, b, **case["kwargs"])
        assert got.dtype is tf.float32 and got.shape == (2,)
        # Float32 convolutions summed in another order (oneDNN) differ from TF in the sixth digit.
        np.testing.assert_allclose(got.numpy(), case["out"], rtol=1e-5, atol=1e-6)


def test_traced_and_identical_images(fx):
    a, b = np.asarray(fx["a"], np.float32), np.asarray(fx["b"], np.float32)
    kwargs = fx["cases"][0]["kwargs"]
    traced = tf.function(lambda x, y: tf.image.ssim_multiscale(x, y, **kwargs))
    np.testing.assert_allclose(traced(a, b).numpy(), fx["cases"][0]["out"], rtol=1e-5)
    same = tf.image.ssim_multiscale(a, a, 1.0, power_factors=(0.5, 0.5), filter_size=3)
    np.testing.assert_allclose(same.numpy(), [1.0, 1.0], rtol=1e-6)


def test_uint8_images_rescale_and_too_small_images_fail():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 256, (1, 9, 11, 3)).astype(np.uint8)
    y = rng.integers(0, 256, (1, 9, 11, 3)).astype(np.uint8)
    as_int = tf.image.ssim_multiscale(x, y, 255, power_factors=(0.4, 0.6), filter_size=3)
    as_float = tf.image.ssim_multiscale(
        x.astype(np.float32) / 255, y.astype(np.float32) / 255, 1.0, (0.4, 0.6), 3
    )
    np.testing.assert_allclose(as_int.numpy(), as_float.numpy(), rtol=1e-5)
    with pytest.raises(ValueError, match="must be at least filter_size"):
        tf.image.ssim_multiscale(x, y, 255, power_factors=(0.2, 0.3, 0.5), filter_size=5)


def test_gradients_match_finite_differences(monkeypatch):
    from tensorflux.ops import image_ms_ssim

    # TF converts the images to float32; kept in float64 the same composition can be
    # checked tightly, to second order.
    def keep_float64(a, b, max_val):
        return a, tf.constant(b), tf.constant(np.float64(max_val))

    monkeypatch.setattr(image_ms_ssim, "_float_pair", keep_float64)
    rng = np.random.default_rng(4)
    base = rng.uniform(0.2, 0.8, (1, 8, 7, 2))
    other = np.clip(base + rng.normal(scale=0.1, size=base.shape), 0, 1)

    def fn(x):
        return image_ms_ssim.ssim_multiscale(x, other, 1.0, (0.4, 0.6), filter_size=3)

    check_gradients(fn, [base])
    check_gradients(fn, [base], order=2, rtol=1e-4, atol=1e-5)
