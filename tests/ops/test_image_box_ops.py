"""tf.image.crop_and_resize, extract_patches, non_max_suppression(_with_scores) and
draw_bounding_boxes against TensorFlow (fixtures from record_image_box_fixtures.py):
values, TF's gradients, finite differences, inside tf.function, and bad input."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients

FIXTURES = json.loads(
    (pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_box_ops.json").read_text()
)


def _array(entry):
    return np.asarray(entry["values"], entry["dtype"]).reshape(entry["shape"])


IMAGE = _array(FIXTURES["image"])
BOXES = _array(FIXTURES["boxes"])
BOX_INDICES = np.asarray(FIXTURES["box_indices"], np.int32)
CROPS = FIXTURES["crop_and_resize"]
PATCHES = FIXTURES["extract_patches"]


def _crop_loss(case, image, boxes):
    out = tf.image.crop_and_resize(image, boxes, BOX_INDICES, **case["kwargs"])
    return out, tf.reduce_sum(out * _array(case["weights"]))


@pytest.mark.parametrize("case", CROPS, ids=[str(c["kwargs"]) for c in CROPS])
def test_crop_and_resize_and_its_gradients_match_tensorflow(case):
    image, boxes = tf.constant(IMAGE), tf.constant(BOXES)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([image, boxes])
        out, loss = _crop_loss(case, image, boxes)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), _array(case["out"]), atol=1e-5)
    np.testing.assert_allclose(
        tape.gradient(loss, image).numpy(), _array(case["d_image"]), atol=1e-4
    )
    np.testing.assert_allclose(
        tape.gradient(loss, boxes).numpy(), _array(case["d_boxes"]), atol=1e-3
    )


def test_crop_and_resize_other_image_dtypes():
    u8 = (IMAGE * 255).astype("uint8")
    got = tf.image.crop_and_resize(u8, BOXES, BOX_INDICES, [3, 3])
    np.testing.assert_allclose(got.numpy(), _array(FIXTURES["crop_u8"]), atol=1e-3)
    got = tf.image.crop_and_resize(IMAGE.astype("float64"), BOXES, BOX_INDICES, [2, 2])
    assert got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy(), _array(FIXTURES["crop_f64"]), atol=1e-5)


def test_crop_and_resize_inside_function_with_unknown_sizes():
    case = CROPS[0]

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, None, None, 3], tf.float32),
            tf.TensorSpec([None, 4], tf.float32),
        ]
    )
    def crop(image, boxes):
        out = tf.image.crop_and_resize(image, boxes, BOX_INDICES, [3, 4])
        assert out.shape.as_list() == [None, 3, 4, 3]
        return out

    np.testing.assert_allclose(crop(IMAGE, BOXES).numpy(), _array(case["out"]), atol=1e-5)


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
def test_crop_and_resize_image_gradient_finite_differences(method):
    # Linear in the image; its float32 arithmetic needs a wide step.
    boxes = tf.constant(BOXES)
    check_gradients(
        lambda image: tf.cast(
            tf.image.crop_and_resize(image, boxes, BOX_INDICES, [3, 2], method=method), tf.float64
        ),
        [IMAGE[:, :4, :4, :2]],
        eps=1e-2,
        rtol=1e-3,
        atol=1e-3,
    )


def test_crop_and_resize_boxes_gradient_finite_differences():
    image = tf.constant(IMAGE)
    check_gradients(
        lambda boxes: tf.cast(
            tf.image.crop_and_resize(image, tf.cast(boxes, tf.float32), BOX_INDICES[:3], [3, 4]),
            tf.float64,
        ),
        [BOXES[:3]],
        eps=1e-3,
        rtol=2e-2,
        atol=2e-2,
    )


@pytest.mark.parametrize(
    "args, error, message",
    [
        (
            (IMAGE[0], BOXES, BOX_INDICES, [2, 2]),
            tf.errors.InvalidArgumentError,
            "input image must be 4-D",
        ),
        ((IMAGE, BOXES[0], [0], [2, 2]), tf.errors.InvalidArgumentError, "boxes must be 2-D"),
        ((IMAGE, BOXES[:, :3], BOX_INDICES, [2, 2]), tf.errors.InvalidArgumentError, "4 columns"),
        (
            (IMAGE, BOXES, [0, 1], [2, 2]),
            tf.errors.InvalidArgumentError,
            "box_index has incompatible",
        ),
        ((IMAGE, BOXES[:1], [2], [2, 2]), tf.errors.OutOfRangeError, "outside [0, batch_size)"),
        (
            (IMAGE, BOXES, BOX_INDICES, [0, 2]),
            tf.errors.InvalidArgumentError,
            "crop dimensions must be positive",
        ),
        (
            (IMAGE, BOXES, BOX_INDICES, [2, 2, 2]),
            tf.errors.InvalidArgumentError,
            "crop_size must have two",
        ),
        (
            (IMAGE[:, :0], BOXES, BOX_INDICES, [2, 2]),
            tf.errors.InvalidArgumentError,
            "image dimensions must be positive",
        ),
    ],
)
def test_crop_and_resize_errors(args, error, message):
    with pytest.raises(error, match=message.replace("[", r"\[").replace(")", r"\)")):
        tf.image.crop_and_resize(*args)


def test_crop_and_resize_bad_method_and_box_dtype():
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'method'"):
        tf.image.crop_and_resize(IMAGE, BOXES, BOX_INDICES, [2, 2], method="bicubic")
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor"):
        tf.image.crop_and_resize(IMAGE, tf.constant(BOXES, tf.float64), BOX_INDICES, [2, 2])


@pytest.mark.parametrize("case", PATCHES, ids=[str(c["kwargs"]) for c in PATCHES])
def test_extract_patches_and_gradient_match_tensorflow(case):
    image = tf.constant(IMAGE)
    with tf.GradientTape() as tape:
        tape.watch(image)
        out = tf.image.extract_patches(image, **case["kwargs"])
        loss = tf.reduce_sum(out * _array(case["weights"]))
    np.testing.assert_array_equal(out.numpy(), _array(case["out"]))
    np.testing.assert_allclose(
        tape.gradient(loss, image).numpy(), _array(case["d_image"]), atol=1e-4
    )


def test_extract_patches_traced_and_second_order_gradient():
    case = PATCHES[3]
    traced = tf.function(lambda x: tf.image.extract_patches(x, **case["kwargs"]))
    np.testing.assert_array_equal(traced(tf.constant(IMAGE)).numpy(), _array(case["out"]))
    check_gradients(
        lambda x: tf.image.extract_patches(x, **case["kwargs"]) ** 2,
        [IMAGE[:1, :4, :5, :2]],
        order=2,
    )


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"sizes": [2, 2, 2, 1]}, tf.errors.UnimplementedError, "Only support ksizes across space"),
        ({"sizes": [1, 2, 2]}, tf.errors.InvalidArgumentError, "must be at least minimum 4"),
        ({"padding": "FOO"}, tf.errors.InvalidArgumentError, "attr 'padding'"),
        (
            {"sizes": [1, 7, 2, 1]},
            tf.errors.InvalidArgumentError,
            "Computed output size would be negative",
        ),
    ],
)
def test_extract_patches_errors(kwargs, error, message):
    call = {
        "sizes": [1, 2, 2, 1],
        "strides": [1, 1, 1, 1],
        "rates": [1, 1, 1, 1],
        "padding": "VALID",
    }
    call.update(kwargs)
    with pytest.raises(error, match=message):
        tf.image.extract_patches(IMAGE, **call)
    with pytest.raises(tf.errors.InvalidArgumentError, match="input must be 4-dimensional"):
        tf.image.extract_patches(IMAGE[0], [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")


NMS_BOXES, NMS_SCORES = _array(FIXTURES["nms_boxes"]), _array(FIXTURES["nms_scores"])


@pytest.mark.parametrize("case", FIXTURES["nms"], ids=[str(c["kwargs"]) for c in FIXTURES["nms"]])
def test_non_max_suppression_matches_tensorflow(case):
    got = tf.image.non_max_suppression(NMS_BOXES, NMS_SCORES, **case["kwargs"])
    assert got.dtype == tf.int32
    assert got.numpy().tolist() == case["out"]


SOFT = FIXTURES["nms_with_scores"]


@pytest.mark.parametrize("case", SOFT, ids=[str(c["kwargs"]) for c in SOFT])
def test_non_max_suppression_with_scores_matches_tensorflow(case):
    idx, kept = tf.image.non_max_suppression_with_scores(NMS_BOXES, NMS_SCORES, **case["kwargs"])
    assert idx.numpy().tolist() == case["indices"]
    np.testing.assert_allclose(kept.numpy(), case["scores"], rtol=1e-6)


def test_non_max_suppression_inside_function():
    case = FIXTURES["nms"][1]
    traced = tf.function(lambda b, s: tf.image.non_max_suppression(b, s, **case["kwargs"]))
    assert traced(tf.constant(NMS_BOXES), tf.constant(NMS_SCORES)).numpy().tolist() == case["out"]


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([[0, 0, 1, 1.0]], [1.0, 2.0], 3), {}, "scores has incompatible shape"),
        (([0, 0, 1, 1.0], [1.0], 3), {}, r"boxes must be 2-D\[4\]"),
        (([[0, 0, 1.0]], [1.0], 3), {}, "boxes must have 4 columns"),
        (
            ([[0, 0, 1, 1.0]], [1.0], 3),
            {"iou_threshold": 1.5},
            r"iou_threshold must be in \[0, 1\]",
        ),
        (([[0, 0, 1, 1.0]], [1.0], -1), {}, "output size must be non-negative"),
    ],
)
def test_non_max_suppression_errors(args, kwargs, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.image.non_max_suppression(*args, **kwargs)
    with pytest.raises(tf.errors.InvalidArgumentError, match="soft_nms_sigma_val must be >= 0"):
        tf.image.non_max_suppression_with_scores([[0, 0, 1, 1.0]], [1.0], 3, soft_nms_sigma=-1.0)


DRAWS = FIXTURES["draw_bounding_boxes"]


@pytest.mark.parametrize("case", DRAWS, ids=[c["label"] for c in DRAWS])
def test_draw_bounding_boxes_matches_tensorflow(case):
    colors = None if case["colors"] is None else _array(case["colors"])
    got = tf.image.draw_bounding_boxes(_array(case["images"]), _array(case["boxes"]), colors)
    np.testing.assert_array_equal(got.numpy(), _array(case["out"]))


def test_draw_bounding_boxes_errors():
    images = np.zeros((2, 4, 5, 3), np.float32)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="rank of the boxes tensor should be 3"
    ):
        tf.image.draw_bounding_boxes(images, [[0, 0, 1, 1.0]], [[1, 0, 0, 1.0]])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="third dimension of the box must be 4"
    ):
        tf.image.draw_bounding_boxes(images, [[[0, 0, 1.0]]] * 2, [[1, 0, 0, 1.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Channel depth should be either 1"):
        tf.image.draw_bounding_boxes(images[..., :2], [[[0, 0, 1, 1.0]]] * 2, [[1, 0, 0, 1.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="colors must be a 2-D matrix"):
        tf.image.draw_bounding_boxes(images, [[[0, 0, 1, 1.0]]] * 2, [1.0, 0, 0])
