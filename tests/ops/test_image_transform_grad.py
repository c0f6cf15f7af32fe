"""The gradient of ImageProjectiveTransformV3 for the images: TF's values (fixtures from
record_image_box_fixtures.py), finite differences where the transform moves whole
pixels (there TF's inverse warp is the exact adjoint), and inside tf.function; and the
forward kernel's pieces and reflected coordinates."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops.image_transform_ops import image_projective_transform_v3
from tensorflux.testing import check_gradients

FIXTURES = json.loads(
    (pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_box_ops.json").read_text()
)
CASES = FIXTURES["transform_grads"]


def _array(entry):
    return np.asarray(entry["values"], entry["dtype"]).reshape(entry["shape"])


IMAGE = _array(FIXTURES["image"])


def _loss(case, image):
    out = image_projective_transform_v3(
        image,
        [case["transform"]],
        [5, 6],
        fill_value=0.25,
        interpolation=case["interpolation"],
        fill_mode=case["fill_mode"],
    )
    return tf.reduce_sum(out * _array(case["weights"]))


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['interpolation']}-{c['fill_mode']}" for c in CASES]
)
def test_image_gradient_matches_tensorflow(case):
    image = tf.constant(IMAGE)
    with tf.GradientTape() as tape:
        tape.watch(image)
        loss = _loss(case, image)
    np.testing.assert_allclose(
        tape.gradient(loss, image).numpy(), _array(case["d_image"]), atol=1e-4
    )


def test_image_gradient_inside_function():
    case = CASES[1]

    @tf.function
    def grad(image):
        with tf.GradientTape() as tape:
            tape.watch(image)
            loss = _loss(case, image)
        return tape.gradient(loss, image)

    np.testing.assert_allclose(grad(tf.constant(IMAGE)).numpy(), _array(case["d_image"]), atol=1e-4)


@pytest.mark.parametrize(
    "transform, interpolation",
    [
        ([1, 0, 2, 0, 1, -1, 0, 0], "NEAREST"),  # a shift by whole pixels
        ([-1, 0, 4, 0, 1, 0, 0, 0], "BILINEAR"),  # a left-right flip
        ([0, 1, 0, 1, 0, 0, 0, 0], "BILINEAR"),  # a transpose of a square image
    ],
)
def test_image_gradient_finite_differences_for_pixel_permutations(transform, interpolation):
    # The kernel samples in float32, so the step is wide; the map is linear in the image.
    check_gradients(
        lambda image: tf.cast(
            image_projective_transform_v3(image, [transform], [5, 5], interpolation=interpolation),
            tf.float64,
        ),
        [IMAGE[:, :5, :5, :2]],
        eps=1e-2,
        rtol=1e-3,
        atol=1e-3,
    )


@pytest.mark.parametrize("interpolation", ["NEAREST", "BILINEAR"])
@pytest.mark.parametrize("fill_mode", ["REFLECT", "WRAP", "CONSTANT", "NEAREST"])
def test_pieces_and_threads_give_the_whole_batch_values(monkeypatch, interpolation, fill_mode):
    from tensorflux.kernels import threads
    from tensorflux.ops import image_transform_ops

    rng = np.random.default_rng(3)
    images = rng.uniform(size=(5, 6, 7, 2)).astype(np.float32)
    angles = rng.uniform(-0.5, 0.5, 5)
    cos, sin = np.cos(angles), np.sin(angles)
    transforms = np.stack(
        [cos, -sin, 1 + 0 * cos, sin, cos, -1 + 0 * cos, 0.02 * cos, 0 * cos], 1
    ).astype(np.float32)
    args = (images, transforms, [6, 7], 0.25, interpolation, fill_mode)
    whole = image_projective_transform_v3(*args).numpy()
    # Pieces of two whole images (one segment per image), then one output row per
    # piece (one segment per row), every piece split across the intra-op threads.
    monkeypatch.setattr(image_transform_ops, "_PIECE_PIXELS", 2 * 6 * 7)
    np.testing.assert_array_equal(image_projective_transform_v3(*args).numpy(), whole)
    monkeypatch.setattr(image_transform_ops, "_PIECE_PIXELS", 1)
    monkeypatch.setattr(image_transform_ops, "_PARALLEL_MIN_PIXELS", 1)
    monkeypatch.setattr(threads, "get_intra_op_threads", lambda: 3)
    np.testing.assert_array_equal(image_projective_transform_v3(*args).numpy(), whole)
    # Each image alone (a batch of one) gives its rows of the batch.
    for k in range(5):
        alone = image_projective_transform_v3(images[k : k + 1], transforms[k : k + 1], *args[2:])
        np.testing.assert_array_equal(alone.numpy()[0], whole[k])


def _tf_reflect(coord: float, size: int) -> float:
    """TF's MapCoordinate for FILL_REFLECT, one float32 coordinate at a time, clamped."""
    c = np.float32(coord)
    if c < 0 and size > 1:
        period = np.float32(2 * size)
        c = period * np.float32(int(-c / period)) + c
        c = c + period if c < -size else -c - np.float32(1)
    elif c > size - 1 and size > 1:
        period = np.float32(2 * size)
        c = c - period * np.float32(int(c / period))
        if c >= size:
            c = period - c - np.float32(1)
    elif size <= 1:
        c = np.float32(0)
    return float(np.clip(c, 0, size - 1))


@pytest.mark.parametrize("size", [1, 2, 5, 28])
def test_reflected_coordinates_follow_tf_one_by_one(size):
    from tensorflux.ops.image_transform_ops import _map

    rng = np.random.default_rng(size)
    periods = 2 * size
    coords = np.concatenate(
        [
            rng.uniform(-5 * periods, 5 * periods, 398),
            np.arange(-3 * periods, 3 * periods + 1, 0.5),
        ]
    ).astype(np.float32)
    got = _map(coords.reshape(-1, 2).copy(), size, "REFLECT").reshape(-1)
    np.testing.assert_array_equal(got, [_tf_reflect(c, size) for c in coords])
