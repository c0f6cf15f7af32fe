"""non_max_suppression_overlaps and combined_non_max_suppression against TF (fixtures
recorded by record_image_extra_fixtures.py), their errors and tracing."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_extras.json"


@pytest.fixture(scope="module")
def fx():
    return json.loads(FIXTURES.read_text())["nms"]


def _f32(values):
    return np.asarray(values, np.float32)


def test_overlaps_selection_is_tfs(fx):
    overlaps, scores = _f32(fx["overlaps"]), _f32(fx["scores"])
    for case in fx["overlap_cases"]:
        got = tf.image.non_max_suppression_overlaps(
            overlaps, scores, case["max_output_size"], case["overlap"], case["score"]
        )
        assert got.dtype is tf.int32
        assert got.numpy().tolist() == case["out"]


def test_overlaps_traced_and_errors(fx):
    overlaps, scores = _f32(fx["overlaps"]), _f32(fx["scores"])
    traced = tf.function(lambda o, s: tf.image.non_max_suppression_overlaps(o, s, 6))
    assert traced(overlaps, scores).numpy().tolist() == fx["overlap_cases"][0]["out"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="overlaps must be square"):
        tf.image.non_max_suppression_overlaps(overlaps[:, :5], scores, 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="scores has incompatible shape"):
        tf.image.non_max_suppression_overlaps(overlaps, scores[:5], 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="output size must be non-negative"):
        tf.image.non_max_suppression_overlaps(overlaps, scores, -1)


def test_combined_values_are_tfs(fx):
    scores = _f32(fx["class_scores"])
    for case in fx["combined"]:
        boxes = _f32(case["boxes"])
        got = tf.image.combined_non_max_suppression(boxes, scores, **case["kwargs"])
        assert [t.dtype for t in got] == [tf.float32, tf.float32, tf.float32, tf.int32]
        np.testing.assert_array_equal(got[0].numpy(), _f32(case["nmsed_boxes"]))
        np.testing.assert_array_equal(got[1].numpy(), _f32(case["nmsed_scores"]))
        np.testing.assert_array_equal(got[2].numpy(), _f32(case["nmsed_classes"]))
        assert got[3].numpy().tolist() == case["valid"]


def test_combined_equal_scores_follow_tfs_heap_order():
    # Disjoint boxes of one score leave TF's heap in this order (recorded with TF).
    for count, order in ((5, [0, 2, 4, 1, 3]), (9, [0, 2, 6, 8, 5, 7, 4, 1, 3])):
        boxes = np.asarray([[[[0, 2 * i, 1, 2 * i + 1]] for i in range(count)]], np.float32)
        scores = np.full((1, count, 1), 0.5, np.float32)
        out = tf.image.combined_non_max_suppression(boxes, scores, count, count, clip_boxes=False)
        assert (out[0].numpy()[0, :, 1] / 2).astype(int).tolist() == order


def test_combined_traced_shapes_and_errors(fx):
    scores = _f32(fx["class_scores"])
    boxes = _f32(fx["combined"][0]["boxes"])
    traced = tf.function(
        lambda b, s: tf.image.combined_non_max_suppression(b, s, 3, 10, pad_per_class=True)
    )
    got = traced(boxes, scores)
    assert got[0].shape == (2, 9, 4) and got[3].shape == (2,)
    with pytest.raises(tf.errors.InvalidArgumentError, match="boxes must be 4-D"):
        tf.image.combined_non_max_suppression(boxes[0], scores, 3, 5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="either 1 or num classes"):
        tf.image.combined_non_max_suppression(np.repeat(boxes, 2, axis=2), scores, 3, 5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="max_size_per_class must be"):
        tf.image.combined_non_max_suppression(boxes, scores, 0, 5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="max_total_size must be > 0"):
        tf.image.combined_non_max_suppression(boxes, scores, 3, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"iou_threshold must be in \[0, 1\]"):
        tf.image.combined_non_max_suppression(boxes, scores, 3, 5, iou_threshold=1.5)
