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
            np.asarray(case["boxes"], case["box_dtype"]),
            _f32(case["scores"]),
            case["max_output_size"],
            **case["kw"],
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
    with pytest.raises(TypeError) as info:
        tf.image.non_max_suppression_padded(boxes[0, 0], scores[0, 0].astype(np.float64), 3)
    assert str(info.value) == errors["float64"]["message"]
    with pytest.raises(ValueError, match="slice index 0 of dimension 1 out of bounds"):
        tf.image.non_max_suppression_padded(tf.zeros([0, 4]), tf.zeros([0]), 3)
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 3 but is 2"):
        tf.image.non_max_suppression_padded(boxes[0, 0, :3], scores[0, 0, :2], 3)
    assert errors["negative_size"]["type"] == "InvalidArgumentError"
    with pytest.raises(tf.errors.InvalidArgumentError, match="0/-1"):
        tf.image.non_max_suppression_padded(boxes, scores, -1, pad_to_max_output_size=True)


def _sdbb_out(out) -> dict:
    begin, size, box = out
    return {
        "begin": begin.numpy().tolist(),
        "size": size.numpy().tolist(),
        "box": box.numpy().tolist(),
        "dtype": begin.dtype.name,
    }


def test_stateless_sdbb_matches_tf(fx):
    sdbb = fx["sdbb"]
    for case in sdbb["stateless"]:
        image_size = tf.constant(case["image_size"], getattr(tf, case["image_dtype"]))
        seed = tf.constant(case["seed"], tf.int64)
        out = tf.image.stateless_sample_distorted_bounding_box(
            image_size, sdbb["boxes"], seed=seed, **case["kw"]
        )
        assert _sdbb_out(out) == case["out"], case
    out = tf.image.stateless_sample_distorted_bounding_box(
        [40, 30, 3], tf.zeros([1, 0, 4]), seed=[5, 6], use_image_if_no_bounding_boxes=True
    )
    assert _sdbb_out(out) == sdbb["no_boxes"]


def test_stateless_sdbb_traced(fx):
    sdbb = fx["sdbb"]
    case = sdbb["stateless"][3]

    @tf.function
    def sample(size, seed):
        out = tf.image.stateless_sample_distorted_bounding_box(
            size, sdbb["boxes"], seed=seed, **case["kw"]
        )
        assert out[0].shape.as_list() == [3] and out[2].shape.as_list() == [1, 1, 4]
        return out

    out = sample(tf.constant(case["image_size"]), tf.constant(case["seed"], tf.int64))
    assert _sdbb_out(out) == case["out"]


def test_stateful_sdbb_streams_match_tf(fx):
    sdbb = fx["sdbb"]
    try:
        for stream in sdbb["stateful"]:
            # set_seed also drops the streams earlier calls left (TF clears its kernel
            # cache), so each recorded stream starts as in TF's fresh process.
            tf.random.set_seed(stream["global_seed"])
            for call in stream["calls"]:
                out = tf.image.sample_distorted_bounding_box(
                    [37, 53, 3], sdbb["boxes"], seed=stream["seed"]
                )
                assert _sdbb_out(out) == call
        tf.random.set_seed(None)
        traced = tf.function(
            lambda: tf.image.sample_distorted_bounding_box(
                [37, 53, 3], sdbb["boxes"], seed=11, area_range=[0.2, 0.6], max_attempts=4
            )
        )
        assert [[t.numpy().tolist() for t in traced()] for _ in range(3)] == sdbb["traced"]
    finally:
        tf.random.set_seed(None)


def _tf_message(error: dict) -> str:
    return error["message"].split("}} ", 1)[-1]


@pytest.mark.parametrize(
    "key, args, kw",
    [
        ("coords", ([10, 10, 3], [[[0.1, 0.2, 1.5, 0.5]]]), {}),
        ("no_boxes", ([10, 10, 3], np.zeros([1, 0, 4], np.float32)), {}),
        ("area", ([10, 10, 3], None), {"area_range": [0.1, 1.5]}),
        ("area_neg", ([10, 10, 3], None), {"area_range": [0, 1]}),
        ("aspect", ([10, 10, 3], None), {"aspect_ratio_range": [-1, 1]}),
        ("covered", ([10, 10, 3], None), {"min_object_covered": -0.5}),
        ("attempts", ([10, 10, 3], None), {"max_attempts": 0}),
        ("seed_shape", ([10, 10, 3], None), {"seed": [1, 2, 3]}),
        ("image_size", ([10, 10], None), {}),
        ("box_rank", ([10, 10, 3], [[0.1, 0.2, 0.5, 0.5]]), {}),
        ("float_size", ([10.0, 10.0, 3.0], None), {}),
    ],
)
def test_sdbb_errors_are_tfs(fx, key, args, kw):
    expected = fx["sdbb"]["errors"][key]
    image_size, boxes = args
    kw = {"seed": [1, 2], **kw}
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.image.stateless_sample_distorted_bounding_box(
            image_size, fx["sdbb"]["boxes"] if boxes is None else boxes, **kw
        )
    assert type(info.value).__name__ == expected["type"]
    assert str(info.value).split("\n")[0] == _tf_message(expected)


def _proposal_args():
    return (
        tf.ones([2, 3, 3, 2]),
        tf.zeros([2, 3, 3, 8]),
        tf.constant([[4.0, 4.0, 1.0, 1.0, 1.0]] * 2),
        tf.zeros([2, 18, 4]),
    )


def test_proposals_have_no_cpu_kernel_as_in_tf(fx):
    expected = fx["proposals"]
    args = _proposal_args()
    with pytest.raises(tf.errors.NotFoundError) as info:
        tf.image.generate_bounding_box_proposals(*args, post_nms_topn=5)
    assert str(info.value).split("\n")[0] == expected["eager"]["message"]
    traced = tf.function(lambda s: tf.image.generate_bounding_box_proposals(s, *args[1:]))
    with pytest.raises(ValueError) as info:
        traced(tf.ones([2, 3]))
    message = expected["traced_rank"]["message"]
    head, shapes = message.split("(s, ")[0], message.split("with input shapes: ")[1]
    assert str(info.value).startswith(head)
    assert str(info.value).endswith(f"' with input shapes: {shapes}")
    # TF's graph fails when it runs (an InvalidArgumentError); here the call fails too.
    assert expected["traced_run"]["type"] == "InvalidArgumentError"
    with pytest.raises(tf.errors.NotFoundError):
        traced(args[0])
