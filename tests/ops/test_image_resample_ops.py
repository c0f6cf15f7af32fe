"""ResizeBicubic, ResizeArea, ScaleAndTranslate and their gradient ops: values against TF
(``tests/fixtures/image_resize_ops.json``, recorded by
``tests/ops/record_image_resize_fixtures.py``), gradients against finite differences,
traced sizes, and TF's errors."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import image_resample_ops as resample
from tensorflux.testing import check_gradients, check_one_graph

FIXTURE = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "image_resize_ops.json").read_text()
)
CASES = FIXTURE["resample_cases"]
KERNELS = [
    "lanczos1",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "box",
    "triangle",
    "keyscubic",
    "mitchellcubic",
]
ATTRS = [(False, False), (True, False), (False, True)]


def _ids():
    return [f"{np.shape(c['images'])}->{c['size']}" for c in CASES]


def _close(got, want):
    np.testing.assert_allclose(got.numpy(), np.asarray(want), rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_bicubic_and_area_match_tensorflow(case):
    images = np.asarray(case["images"], np.float32)
    grads = np.asarray(case["grads"], np.float32)
    for align, half in ATTRS:
        key = f"ac{int(align)}hp{int(half)}"
        _close(resample.resize_bicubic(images, case["size"], align, half), case[f"bicubic_{key}"])
        _close(
            resample.resize_bicubic_grad(grads, images, align, half), case[f"bicubic_grad_{key}"]
        )
    for align in (False, True):
        _close(resample.resize_area(images, case["size"], align), case[f"area_ac{int(align)}"])


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_scale_and_translate_matches_tensorflow(case, kernel):
    images = np.asarray(case["images"], np.float32)
    grads = np.asarray(case["grads"], np.float32)
    for antialias in (False, True):
        key = f"{kernel}_aa{int(antialias)}"
        args = (case["scale"], case["translation"], kernel, antialias)
        _close(resample.scale_and_translate(images, case["size"], *args), case[f"st_{key}"])
        _close(resample.scale_and_translate_grad(grads, images, *args), case[f"st_grad_{key}"])


# The ops compute in float32 (as TF), so the float64 finite differences use a large step:
# they are linear, so a large step adds no truncation error.
def _check_linear(fn, x):
    check_gradients(lambda t: tf.cast(fn(t), tf.float64), [x], rtol=1e-4, atol=1e-4, eps=0.1)


@pytest.mark.parametrize("align, half", ATTRS)
def test_bicubic_gradients_match_finite_differences(align, half):
    x = np.random.default_rng(0).normal(size=(1, 3, 4, 2))
    _check_linear(lambda t: resample.resize_bicubic(t, [5, 3], align, half), x)
    original = tf.zeros((1, 3, 4, 2))
    g = np.random.default_rng(1).normal(size=(1, 5, 3, 2))
    _check_linear(
        lambda t: resample.resize_bicubic_grad(tf.cast(t, tf.float32), original, align, half), g
    )


@pytest.mark.parametrize("kernel", ["lanczos3", "gaussian", "mitchellcubic"])
@pytest.mark.parametrize("antialias", [False, True])
def test_scale_and_translate_gradients_match_finite_differences(kernel, antialias):
    x = np.random.default_rng(0).normal(size=(1, 4, 3, 1))
    args = ([0.75, 2.0], [0.1, 0.0], kernel, antialias)
    _check_linear(lambda t: resample.scale_and_translate(t, [3, 6], *args), x)
    original = tf.zeros((1, 4, 3, 1))
    g = np.random.default_rng(1).normal(size=(1, 3, 6, 1))
    _check_linear(
        lambda t: resample.scale_and_translate_grad(tf.cast(t, tf.float32), original, *args), g
    )


def test_resize_area_has_no_gradient_as_in_tf():
    x = tf.ones((1, 2, 2, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = resample.resize_area(x, [3, 3])
    assert tape.gradient(y, x) is None


@pytest.mark.parametrize(
    "resize",
    [
        lambda x, size: resample.resize_bicubic(x, size, half_pixel_centers=True),
        lambda x, size: resample.resize_area(x, size),
        lambda x, size: resample.scale_and_translate(
            x,
            size,
            tf.cast(size, tf.float32) / tf.cast(tf.shape(x)[1:3], tf.float32),
            [0.0, 0.0],
            "lanczos3",
            False,
        ),
    ],
)
def test_one_graph_serves_sizes_computed_when_it_runs(resize):
    def fn(x):
        return resize(x, tf.shape(x)[1:3] * 2)

    rng = np.random.default_rng(0)
    calls = [
        (tf.constant(rng.normal(size=s).astype(np.float32)),)
        for s in ((1, 2, 3, 1), (2, 3, 3, 1), (1, 4, 1, 1))
    ]
    check_one_graph(fn, [tf.TensorSpec([None, None, None, 1], tf.float32)], calls)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: resample.resize_bicubic(np.ones((2, 2, 1), np.float32), [3, 3]),
            "input must be 4-dimensional[2,2,1]",
        ),
        (
            lambda: resample.resize_area(np.ones((1, 2, 2, 1), np.float32), [0, 3]),
            "output dimensions must be positive",
        ),
        (
            lambda: resample.scale_and_translate(
                np.ones((1, 2, 2, 1), np.float32), [3, 3], [0.0, 1.0], [0.0, 0.0]
            ),
            "Scale must be greater than zero.",
        ),
        (
            lambda: resample.scale_and_translate(
                np.ones((1, 2, 2, 1), np.float32), [3, 3], [1.0, 1.0], [0.0, 0.0], "cubic"
            ),
            "Unrecognized kernel type: cubic",
        ),
        (
            lambda: resample.resize_bicubic(np.ones((1, 2, 2, 1), np.float32), [3, 3], True, True),
            "If half_pixel_centers is True, align_corners must be False.",
        ),
    ],
)
def test_errors_as_tf(call, message):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        call()
    assert message in str(info.value)
