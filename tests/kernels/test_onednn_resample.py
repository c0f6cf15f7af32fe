"""oneDNN's bilinear resize of 8-bit images: TF's values bit for bit, against recorded
TensorFlow results and against the reference kernel over many scales; and which calls
reach it (only those whose arithmetic is exact in float32)."""

import json

import numpy as np
import pytest

from tensorflux.engine import registry
from tensorflux.kernels import backend_runs, get_op_kernel_backend
from tensorflux.kernels.onednn import support
from tensorflux.ops import image_ops  # noqa: F401 - registers the ops
from tests.kernels.test_onednn_conv import FIXTURES, _library, pytestmark  # noqa: F401


def _resample():
    if _library.library() is None:
        pytest.fail(f"libdnnl did not load: {_library.load_error()}")
    from tensorflux.kernels.onednn import resample

    return resample


def _reference(images, size):
    return registry.get("ResizeBilinear").kernel.reference(images, size, False, True)


def _tf_cases():
    return [c for c in json.loads(FIXTURES.read_text()) if c["op"] == "ResizeBilinear"]


@pytest.mark.parametrize("case", _tf_cases(), ids=lambda c: c["name"])
def test_matches_tensorflow(case):
    images = np.array(case["input"], dtype=case["dtype"])
    size = np.array(case["size"], np.int32)
    want = np.array(case["output"], np.float32)
    assert support.resize_bilinear_supports(images, size, False, True)
    got = _resample().resize_bilinear(images, size, False, True)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(
        registry.get("ResizeBilinear").kernel(images, size, False, True), want
    )


@pytest.mark.parametrize("dtype", [np.uint8, np.int8])
def test_matches_the_reference_on_every_supported_scale_tried(dtype):
    rng = np.random.default_rng(5)
    info = np.iinfo(dtype)
    outs = [1, 2, 3, 4, 7, 8, 12, 16, 28, 32, 64, 100, 128, 256]
    tried = 0
    while tried < 40:
        height, width = (int(v) for v in rng.integers(1, 160, 2))
        size = np.array(rng.choice(outs, 2), np.int32)
        images = rng.integers(info.min, info.max + 1, (2, height, width, 3)).astype(dtype)
        if not support.resize_bilinear_supports(images, size, False, True):
            continue
        tried += 1
        got = _resample().resize_bilinear(images, size, False, True)
        np.testing.assert_array_equal(
            got, _reference(images, size), err_msg=f"{images.shape} {size}"
        )


def test_which_calls_reach_onednn():
    assert get_op_kernel_backend("ResizeBilinear") == "onednn"
    pixels = np.zeros((2, 96, 128, 3), np.uint8)
    size = np.array([64, 64], np.int32)
    assert backend_runs(
        "ResizeBilinear", pixels, size, align_corners=False, half_pixel_centers=True
    )
    assert support.resize_bilinear_supports(pixels.view(np.int8), size, False, True)
    # Float and wider images: TF's lerps and oneDNN's weighted sums round differently.
    for dtype in (np.float32, np.float16, np.uint16, np.int32):
        assert not support.resize_bilinear_supports(pixels.astype(dtype), size, False, True)
    # Other coordinate conventions.
    assert not support.resize_bilinear_supports(pixels, size, True, False)
    assert not support.resize_bilinear_supports(pixels, size, False, False)
    # Scales whose coordinates are not binary fractions (250 -> 180: 25/18), or whose
    # lerps need more than float32's 24 bits (375 -> 256 in both axes: 9 + 9 + 8).
    assert not support.resize_bilinear_supports(
        np.zeros((1, 250, 250, 3), np.uint8), np.array([180, 180]), False, True
    )
    assert not support.resize_bilinear_supports(
        np.zeros((1, 375, 375, 3), np.uint8), np.array([256, 256]), False, True
    )
    assert support.resize_bilinear_supports(
        np.zeros((1, 375, 375, 3), np.uint8), np.array([256, 64]), False, True
    )
    # Empty images and sizes are the reference kernel's to refuse or return.
    assert not support.resize_bilinear_supports(np.zeros((0, 8, 8, 3), np.uint8), size, False, True)
    assert not support.resize_bilinear_supports(pixels, np.array([0, 64]), False, True)
    assert not support.resize_bilinear_supports(pixels[0], size, False, True)


def test_unsupported_scales_keep_the_reference_values():
    rng = np.random.default_rng(6)
    images = rng.integers(0, 256, (2, 25, 25, 3)).astype(np.uint8)
    size = np.array([18, 18], np.int32)
    assert not support.resize_bilinear_supports(images, size, False, True)
    got = registry.get("ResizeBilinear").kernel(images, size, False, True)
    np.testing.assert_array_equal(got, _reference(images, size))
