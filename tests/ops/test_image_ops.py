"""tf.image against TensorFlow (fixtures from record_image_fixtures.py), inside
tf.function, with finite-difference gradients, and on bad input."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients

FIXTURES = json.loads(
    (pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_ops.json").read_text()
)
INPUTS = {
    name: np.asarray(v["values"], v["dtype"]).reshape(v["shape"])
    for name, v in FIXTURES["inputs"].items()
}
CALLS = FIXTURES["calls"]


def _call(fn, case, x):
    kwargs = dict(case["kwargs"])
    if "dtype" in kwargs:
        kwargs["dtype"] = getattr(tf, kwargs["dtype"])
    return getattr(tf.image, case["fn"])(x, **kwargs)


def _assert_matches(got, want, what):
    got = got if isinstance(got, (tuple, list)) else [got]
    for g, w in zip(got, want):
        expected = np.asarray(w["out"], w["dtype"]).reshape(w["shape"])
        value = g.numpy()
        assert value.dtype == expected.dtype and value.shape == expected.shape, what
        scale = max(1.0, float(np.abs(expected).max())) if expected.size else 1.0
        np.testing.assert_allclose(
            value.astype(float), expected.astype(float), atol=2e-5 * scale, err_msg=what
        )


@pytest.mark.parametrize("case", CALLS, ids=[f"{c['fn']}-{i}" for i, c in enumerate(CALLS)])
def test_matches_tensorflow(case):
    x = tf.constant(INPUTS[case["input"]])
    _assert_matches(
        _call(getattr(tf.image, case["fn"]), case, x),
        case["results"],
        f"{case['fn']} {case['kwargs']}",
    )


@pytest.mark.parametrize("index", [0, 7, 30, 50, 60, 75, 90, 100])
def test_same_results_inside_function(index):
    case = CALLS[index]
    x = tf.constant(INPUTS[case["input"]])
    traced = tf.function(lambda t: _call(None, case, t))
    _assert_matches(traced(x), case["results"], f"traced {case['fn']}")


def test_metrics_match_tensorflow():
    a, b = INPUTS["ssim_a"], INPUTS["ssim_b"]
    a8, b8 = INPUTS["ssim_a_u8"], INPUTS["ssim_b_u8"]
    want = FIXTURES["metrics"]
    np.testing.assert_allclose(tf.image.psnr(a, b, 1.0).numpy(), want["psnr"], rtol=1e-5)
    np.testing.assert_allclose(tf.image.psnr(a8, b8, 255).numpy(), want["psnr_u8"], rtol=1e-5)
    np.testing.assert_allclose(
        tf.image.ssim(a, b, 1.0, filter_size=5).numpy(), want["ssim"], rtol=1e-5
    )
    np.testing.assert_allclose(
        tf.image.ssim(a, b, 1.0, filter_size=3, filter_sigma=0.8).numpy(),
        want["ssim_default"],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        tf.image.ssim(a8, b8, 255, filter_size=3).numpy(), want["ssim_u8"], atol=1e-6
    )


_RNG = np.random.default_rng(3)
_IMG = _RNG.uniform(0.1, 0.9, size=(1, 4, 5, 3))


def _f64(x):
    return tf.cast(x, tf.float64)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: _f64(tf.image.resize(x, [6, 3])),
        lambda x: _f64(tf.image.resize(x, [3, 7], method="bicubic")),
        lambda x: _f64(tf.image.resize(x, [2, 3], method="lanczos3", antialias=True)),
        lambda x: _f64(tf.image.resize_with_pad(x, 6, 6)),
        lambda x: tf.image.adjust_gamma(x, 1.7, 0.9),
    ],
)
def test_float32_gradients_match_finite_differences(fn):
    # These compute in float32 whatever the input, as TF's do.
    check_gradients(fn, [_IMG], rtol=2e-3, atol=1e-4, eps=1e-3)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: tf.image.resize(x, [5, 8], method="nearest"),
        lambda x: tf.image.resize_with_crop_or_pad(x, 3, 7),
        lambda x: tf.image.central_crop(x, 0.6),
        lambda x: tf.image.rot90(x, 3),
        lambda x: tf.image.rgb_to_grayscale(x),
        lambda x: tf.image.rgb_to_yuv(x),
        lambda x: tf.image.rgb_to_hsv(x),
        lambda x: tf.image.hsv_to_rgb(x),
        lambda x: tf.image.adjust_contrast(x, 1.5),
        lambda x: tf.image.adjust_saturation(x, 0.6),
        lambda x: tf.image.adjust_hue(x, 0.1),
        lambda x: tf.image.per_image_standardization(x),
        lambda x: tf.image.total_variation(x),
        lambda x: tf.image.sobel_edges(x),
        lambda x: tf.image.image_gradients(x),
    ],
)
def test_gradients_match_finite_differences(fn):
    check_gradients(fn, [_IMG], rtol=1e-4, atol=1e-6)


def test_ssim_and_psnr_gradients():
    other = np.clip(_IMG[:, :4, :4] + 0.05, 0, 1)
    check_gradients(
        lambda x: _f64(tf.image.ssim(x, other, 1.0, filter_size=3)),
        [_IMG[:, :4, :4]],
        rtol=2e-3,
        atol=3e-4,
        eps=1e-3,
    )
    check_gradients(
        lambda x: _f64(tf.image.psnr(x, other, 1.0)),
        [_IMG[:, :4, :4]],
        rtol=2e-3,
        atol=1e-4,
        eps=1e-3,
    )


def test_second_order_gradient_of_resize_and_colour():
    check_gradients(
        lambda x: tf.image.resize(x, [3, 3], "nearest") ** 2, [_IMG], order=2, rtol=1e-4
    )
    check_gradients(lambda x: tf.image.adjust_contrast(x, 2.0) ** 2, [_IMG], order=2, rtol=1e-4)


def test_random_flips_choose_per_image_and_repeat_with_a_seed():
    images = np.arange(64 * 2, dtype=np.float32).reshape(64, 1, 2, 1)
    tf.random.set_seed(5)
    first = tf.image.random_flip_left_right(images, seed=1).numpy()
    flipped = first[:, 0, 0, 0] > first[:, 0, 1, 0]
    assert 10 < flipped.sum() < 54
    np.testing.assert_array_equal(first[~flipped], images[~flipped])
    tf.random.set_seed(5)
    np.testing.assert_array_equal(tf.image.random_flip_left_right(images, seed=1).numpy(), first)


def test_random_colour_and_crop():
    x = _IMG[0].astype(np.float32)
    assert tf.image.random_brightness(x, 0.2, seed=1).shape == x.shape
    assert tf.image.random_contrast(x, 0.5, 1.5, seed=1).shape == x.shape
    assert tf.image.random_saturation(x, 0.5, 1.5, seed=1).shape == x.shape
    assert tf.image.random_hue(x, 0.2, seed=1).shape == x.shape
    crop = tf.image.random_crop(x, [2, 3, 3], seed=4).numpy()
    windows = [x[i : i + 2, j : j + 3] for i in range(3) for j in range(3)]
    assert any(np.array_equal(crop, w) for w in windows)
    traced = tf.function(lambda t: tf.image.random_crop(t, [2, 3, 3]))
    assert traced(x).shape == (2, 3, 3)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tf.image.resize(np.zeros((2, 2)), [1, 1]), ValueError, "3 or 4 dimensions"),
        (lambda: tf.image.resize(np.zeros((2, 2, 1)), [1, 1, 1]), ValueError, "2 elements"),
        (lambda: tf.image.resize(np.zeros((2, 2, 1)), [1.5, 1.0]), ValueError, "int32"),
        (
            lambda: tf.image.resize(np.zeros((2, 2, 1)), [0, 3]),
            tf.errors.InvalidArgumentError,
            "must be positive",
        ),
        (
            lambda: tf.image.resize(np.zeros((2, 2, 1)), [2, 2], "cubic"),
            ValueError,
            "not implemented",
        ),
        (
            lambda: tf.image.crop_to_bounding_box(np.zeros((4, 4, 1)), 2, 0, 3, 1),
            ValueError,
            "height must be >= target \\+ offset",
        ),
        (
            lambda: tf.image.crop_to_bounding_box(np.zeros((4, 4, 1)), 0, -1, 1, 1),
            ValueError,
            "offset_width must be >= 0",
        ),
        (
            lambda: tf.image.pad_to_bounding_box(np.zeros((4, 4, 1)), 1, 0, 4, 4),
            ValueError,
            "height must be <= target - offset",
        ),
        (
            lambda: tf.image.central_crop(np.zeros((4, 4, 1)), 0.0),
            ValueError,
            "central_fraction must be within",
        ),
        (
            lambda: tf.image.resize_with_pad(np.zeros((4, 4, 1)), 0, 3),
            ValueError,
            "target_height must be > 0",
        ),
        (lambda: tf.image.rgb_to_hsv(np.zeros((2, 2, 3), np.int32)), TypeError, "floating"),
        (
            lambda: tf.image.rgb_to_hsv(np.zeros((2, 2, 4), np.float32)),
            ValueError,
            "last dimension",
        ),
        (
            lambda: tf.image.adjust_gamma(np.zeros((2, 2, 1), np.float32), -1),
            ValueError,
            "Gamma should be a non-negative",
        ),
        (
            lambda: tf.image.convert_image_dtype(np.zeros(2, np.float32), tf.string),
            AttributeError,
            "floating point or integer",
        ),
        (
            lambda: tf.image.random_crop(np.zeros((2, 2)), [3, 1]),
            tf.errors.InvalidArgumentError,
            "Need value.shape >= size",
        ),
        (lambda: tf.image.image_gradients(np.zeros((2, 2, 1))), ValueError, "4D tensor"),
        (
            lambda: tf.image.ssim(np.zeros((1, 2, 2, 1)), np.zeros((1, 2, 2, 1)), 1.0),
            ValueError,
            "filter_size",
        ),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
