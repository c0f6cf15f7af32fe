"""non_max_suppression_padded, the distorted bounding box samplers and
generate_bounding_box_proposals against TF (fixtures recorded by
record_image_box_sampling_fixtures.py): values, shapes, errors, tracing."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_box_sampling.json"


@pytest.fixture(scope="module")
def fx():
    return json.loads(FIXTURES.read_text())


def _f32(values):
    return np.asarray(values, np.float32)


def test_nms_padded_matches_tf(fx):
    for case in fx["nms"]["cases"]:
        idx, num = tf.image.non_max_suppression_padded(
            _f32(case["boxes"]), _f32(case["scores"]), case["max_output_size"], **case["kw"]
        )
        assert idx.dtype is tf.int32 and num.dtype is tf.int32
        assert list(idx.shape) == case["idx_shape"], case["kw"]
        assert idx.numpy().tolist() == case["idx"], case["kw"]
        assert num.numpy().tolist() == case["num_valid"], case["kw"]


def test_nms_padded_traced_with_unknown_batch(fx):
    case = fx["nms"]["cases"][-2]
    boxes, scores = _f32(case["boxes"]), _f32(case["scores"])

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, 3, None, 4], tf.float32),
            tf.TensorSpec([None, 3, None], tf.float32),
        ]
    )
    def padded(b, s):
        idx, num = tf.image.non_max_suppression_padded(b, s, 4, 0.3, pad_to_max_output_size=True)
        assert idx.shape.as_list()[:2] == [None, 3] and num.shape.as_list() == [None, 3]
        return idx, num

    idx, num = padded(boxes, scores)
    assert idx.numpy().tolist() == fx["nms"]["traced"]["idx"]
    assert num.numpy().tolist() == fx["nms"]["traced"]["num_valid"]


def test_nms_padded_errors(fx):
    errors = fx["nms"]["errors"]
    case = fx["nms"]["cases"][-2]
    boxes, scores = _f32(case["boxes"]), _f32(case["scores"])
    with pytest.raises(ValueError, match="must be True for batched input") as info:
        tf.image.non_max_suppression_padded(boxes, scores, 3)
    assert str(info.value) == errors["batched_unpadded"]["message"]
    with pytest.raises(TypeError, match="'Greater' Op has type float32"):
        tf.image.non_max_suppression_padded(boxes[0, 0], scores[0, 0].astype(np.float64), 3)
    assert errors["negative_size"]["type"] == "InvalidArgumentError"
    with pytest.raises(tf.errors.InvalidArgumentError, match="0/-1"):
        tf.image.non_max_suppression_padded(boxes, scores, -1, pad_to_max_output_size=True)
