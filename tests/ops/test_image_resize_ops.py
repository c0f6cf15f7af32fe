"""ResizeBilinear, ResizeNearestNeighbor and their gradient ops: values against TF
(``tests/fixtures/image_resize_ops.json``, recorded by
``tests/ops/record_image_resize_fixtures.py``), inference, traced sizes, gradients
against finite differences, and TF's errors."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import image_ops
from tensorflux.testing import check_gradients, check_one_graph

FIXTURE = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "image_resize_ops.json").read_text()
)
CASES = FIXTURE["cases"]


def _ids():
    return [
        f"{np.shape(c['images'])}->{c['size']}-ac{int(c['attrs']['align_corners'])}"
        f"-hp{int(c['attrs']['half_pixel_centers'])}"
        for c in CASES
    ]


def _f32(values):
    return np.asarray(values, dtype=np.float32)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_bilinear_pieces_of_a_batch_give_each_image_its_own_result(dtype, monkeypatch):
    # Pieces of two images, and at most four images to a thread: three threads' work.
    monkeypatch.setattr(image_ops, "_RESIZE_PIECE_ELEMENTS", 2 * 7 * 9 * 3)
    monkeypatch.setattr(image_ops, "_RESIZE_PARALLEL_ELEMENTS", 4 * 7 * 9 * 3)
    images = (np.random.default_rng(3).random((11, 7, 9, 3)) * 255).astype(dtype)
    batch = image_ops._resize_bilinear_kernel(images, np.int32([5, 12]), False, True)
    for image, resized in zip(images, batch, strict=True):
        alone = image_ops._resize_bilinear_kernel(image[None], np.int32([5, 12]), False, True)
        np.testing.assert_array_equal(resized, alone[0])


@pytest.mark.parametrize(
    "dtype", [np.uint8, np.int8, np.uint16, np.int16, np.int32, np.int64, np.float16, np.float64]
)
def test_bilinear_reads_each_type_as_its_float32_value(dtype):
    # TF converts every value it reads to float32 and lerps in float32, so an image of
    # any type resizes exactly as its float32 copy does.
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else np.finfo(np.float16)
    rng = np.random.default_rng(4)
    images = rng.uniform(max(info.min, -3e4), min(info.max, 6e4), (3, 6, 10, 3)).astype(dtype)
    for size in ([4, 7], [9, 15]):
        size = np.int32(size)
        got = image_ops._resize_bilinear_kernel(images, size, False, True)
        want = image_ops._resize_bilinear_kernel(images.astype(np.float32), size, False, True)
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want)


def test_bilinear_resizes_an_empty_batch():
    # TF 2.21: an empty batch of (0, 4, 4, 1) images to [2, 2] gives (0, 2, 2, 1) float32.
    out = image_ops.resize_bilinear(np.zeros((0, 4, 4, 1), np.uint8), [2, 2])
    assert out.shape == (0, 2, 2, 1) and out.dtype == tf.float32


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_values_match_tensorflow(case):
    images, grads, attrs = _f32(case["images"]), _f32(case["grads"]), case["attrs"]
    bilinear = image_ops.resize_bilinear(images, case["size"], **attrs)
    assert bilinear.dtype == tf.float32
    np.testing.assert_allclose(bilinear.numpy(), case["bilinear"], rtol=1e-6, atol=1e-6)
    nearest = image_ops.resize_nearest_neighbor(images, case["size"], **attrs)
    np.testing.assert_array_equal(nearest.numpy(), _f32(case["nearest"]))
    bilinear_grad = image_ops.resize_bilinear_grad(grads, images, **attrs)
    np.testing.assert_allclose(bilinear_grad.numpy(), case["bilinear_grad"], rtol=1e-5, atol=1e-5)
    nearest_grad = image_ops.resize_nearest_neighbor_grad(grads, images.shape[1:3], **attrs)
    np.testing.assert_allclose(nearest_grad.numpy(), case["nearest_grad"], rtol=1e-6, atol=1e-5)


def test_integer_images_bilinear_gives_float32_nearest_keeps_the_dtype():
    ints = FIXTURE["int_images"]
    images = np.asarray(ints["images"], dtype=np.int32)
    bilinear = image_ops.resize_bilinear(images, ints["size"], half_pixel_centers=True)
    assert bilinear.dtype.name == ints["bilinear_dtype"] == "float32"
    np.testing.assert_allclose(bilinear.numpy(), ints["bilinear"], rtol=1e-6)
    nearest = image_ops.resize_nearest_neighbor(images, ints["size"], half_pixel_centers=True)
    assert nearest.dtype.name == ints["nearest_dtype"] == "int32"
    np.testing.assert_array_equal(nearest.numpy(), ints["nearest"])


def test_float64_bilinear_is_computed_and_returned_in_float32_as_in_tf():
    out = image_ops.resize_bilinear(np.ones((1, 2, 2, 1)), [3, 3])
    assert out.dtype == tf.float32


@pytest.mark.parametrize("attrs", [{}, {"align_corners": True}, {"half_pixel_centers": True}])
def test_nearest_gradients_match_finite_differences(attrs):
    x = np.random.default_rng(0).normal(size=(1, 3, 4, 2))
    check_gradients(lambda t: image_ops.resize_nearest_neighbor(t, [5, 3], **attrs), [x], order=2)
    g = np.random.default_rng(1).normal(size=(1, 5, 3, 2))
    check_gradients(
        lambda t: image_ops.resize_nearest_neighbor_grad(t, [3, 4], **attrs), [g], order=2
    )


# ResizeBilinear computes in float32 (as TF), so the float64 finite differences use a
# large step: the op is linear, so a large step adds no truncation error.
@pytest.mark.parametrize("attrs", [{}, {"align_corners": True}, {"half_pixel_centers": True}])
def test_bilinear_gradients_match_finite_differences(attrs):
    x = np.random.default_rng(0).normal(size=(1, 3, 4, 2))

    def resize(t):
        return tf.cast(image_ops.resize_bilinear(t, [5, 7], **attrs), tf.float64)

    check_gradients(resize, [x], rtol=1e-4, atol=1e-4, eps=0.1)
    g = np.random.default_rng(1).normal(size=(1, 5, 7, 2))
    original = tf.zeros((1, 3, 4, 2), tf.float64)

    def spread(t):
        return image_ops.resize_bilinear_grad(tf.cast(t, tf.float32), original, **attrs)

    check_gradients(spread, [g], rtol=1e-4, atol=1e-4, eps=0.1)


def test_bilinear_second_order_goes_through_resize_bilinear_grad():
    x = tf.constant(np.random.default_rng(0).normal(size=(1, 3, 3, 1)).astype(np.float32))
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.square(image_ops.resize_bilinear(x, [4, 5])))
        g = inner.gradient(y, x)
        z = tf.reduce_sum(g)
    gg = outer.gradient(z, x)
    assert gg is not None and gg.shape == x.shape


def test_inference_carries_the_size_and_leaves_unknown_dims():
    @tf.function(input_signature=[tf.TensorSpec([None, 3, 4, 2], tf.float32)])
    def known_size(x):
        out = image_ops.resize_bilinear(x, [6, 8])
        assert out.shape.as_list() == [None, 6, 8, 2]
        return image_ops.resize_nearest_neighbor(out, [3, 3])

    assert known_size(tf.ones((2, 3, 4, 2))).shape == (2, 3, 3, 2)


def _doubled(x):
    return tf.shape(x)[1:3] * 2


@pytest.mark.parametrize("resize", [image_ops.resize_bilinear, image_ops.resize_nearest_neighbor])
def test_one_graph_serves_sizes_computed_when_it_runs(resize):
    def fn(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = resize(x, _doubled(x), half_pixel_centers=True)
            loss = tf.reduce_sum(tf.square(tf.cast(y, tf.float32)))
        return y, tape.gradient(loss, x)

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
            lambda: image_ops.resize_bilinear(np.ones((2, 2, 1), np.float32), [3, 3]),
            "input must be 4-dimensional[2,2,1]",
        ),
        (
            lambda: image_ops.resize_bilinear(np.ones((1, 2, 2, 1), np.float32), [3, 3, 1]),
            "shape_t must have two elements",
        ),
        (
            lambda: image_ops.resize_nearest_neighbor(np.ones((1, 2, 2, 1), np.float32), [0, 3]),
            "output dimensions must be positive",
        ),
        (
            lambda: image_ops.resize_bilinear(np.ones((1, 0, 2, 1), np.float32), [2, 3]),
            "input image must be of non-zero size",
        ),
        (
            lambda: image_ops.resize_bilinear(
                np.ones((1, 2, 2, 1), np.float32),
                [3, 3],
                align_corners=True,
                half_pixel_centers=True,
            ),
            "If half_pixel_centers is True, align_corners must be False.",
        ),
        (
            lambda: image_ops.resize_nearest_neighbor(np.ones((1, 2, 2, 1), np.bool_), [3, 3]),
            "Value for attr 'T' of bool is not in the list of allowed values",
        ),
        (
            lambda: image_ops.resize_nearest_neighbor(
                np.ones((1, 2, 2, 1), np.float32), tf.constant([3, 3], tf.int64)
            ),
            "expected to be a int32 tensor",
        ),
    ],
)
def test_errors_as_tf(call, message):
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=message.replace("[", r"\[")
        .replace("]", r"\]")
        .replace("(", r"\(")
        .replace(")", r"\)"),
    ):
        call()
