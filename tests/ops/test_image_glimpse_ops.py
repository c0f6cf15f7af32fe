"""tf.image.extract_glimpse (ExtractGlimpseV2): windows against TF for each offset
convention (fixtures recorded by record_image_extra_fixtures.py), noise, errors and
tracing."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_extras.json"
IMAGES = np.arange(2 * 5 * 6 * 2, dtype=np.float32).reshape(2, 5, 6, 2)


@pytest.fixture(scope="module")
def fx():
    return json.loads(FIXTURES.read_text())["glimpse"]


def test_windows_are_tfs(fx):
    assert list(IMAGES.shape) == fx["images_shape"]
    for case in fx["cases"]:
        got = tf.image.extract_glimpse(
            IMAGES, case["size"], case["offsets"], noise="zero", **case["kwargs"]
        )
        assert got.dtype is tf.float32
        want = np.asarray(case["out"], np.float32)
        if want.size == 0:  # JSON keeps no shape for an empty window: [2, 0, 2, 2] in TF
            assert got.shape == (2, case["size"][0], case["size"][1], 2)
            continue
        np.testing.assert_array_equal(got.numpy(), want)


def test_traced_matches_eager(fx):
    case = fx["cases"][0]
    traced = tf.function(lambda x, o: tf.image.extract_glimpse(x, [3, 2], o, noise="zero"))
    out = traced(IMAGES, np.asarray(case["offsets"], np.float32))
    np.testing.assert_array_equal(out.numpy(), np.asarray(case["out"], np.float32))


@pytest.mark.parametrize("noise", ["uniform", "gaussian"])
def test_noise_fills_only_outside(noise):
    offsets = [[-2, -2], [0, 0]]
    zero = tf.image.extract_glimpse(IMAGES, [3, 3], offsets, False, False, noise="zero").numpy()
    got = tf.image.extract_glimpse(IMAGES, [3, 3], offsets, False, False, noise=noise).numpy()
    # Image 0's window starts two pixels above and left of the image: one pixel inside.
    np.testing.assert_array_equal(got[0, 2, 2], zero[0, 2, 2])
    np.testing.assert_array_equal(got[1], zero[1])
    outside = got[0, :2].ravel()
    assert np.isfinite(outside).all() and not (outside == 0).all()
    if noise == "uniform":
        assert outside.min() >= 0 and outside.max() <= IMAGES[0].max()


def test_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="input must be 4-dimensional"):
        tf.image.extract_glimpse(IMAGES[0], [2, 2], [[0, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="vector of size 2"):
        tf.image.extract_glimpse(IMAGES, [2, 2, 2], [[0, 0], [0, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="first dimension should be batch"):
        tf.image.extract_glimpse(IMAGES, [2, 2], [[0, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="should be of size 2"):
        tf.image.extract_glimpse(IMAGES, [2, 2], [[0, 0, 0], [0, 0, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="uniform, gaussian, or zero"):
        tf.image.extract_glimpse(IMAGES, [2, 2], [[0, 0], [0, 0]], noise="bad")
