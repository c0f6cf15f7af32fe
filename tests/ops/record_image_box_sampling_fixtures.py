"""Records TensorFlow's ``tf.image.non_max_suppression_padded``,
``sample_distorted_bounding_box`` / ``stateless_sample_distorted_bounding_box`` and the
errors of ``generate_bounding_box_proposals`` into
``tests/fixtures/image_box_sampling.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_image_box_sampling_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import tensorflow as tf

FIXTURE = Path(__file__).parent.parent / "fixtures" / "image_box_sampling.json"

rng = np.random.default_rng(7)


def _error(fn) -> dict:
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the recorded behaviour is the error
        lines = [line.strip() for line in str(e).split("\n") if line.strip()]
        # A trace's error starts with "in user code:" and the call stack.
        message = next((line for line in lines if "Error: " in line), lines[0])
        return {"type": type(e).__name__, "message": message.split("Error: ", 1)[-1]}
    raise AssertionError("expected an error")


def _boxes(n, batch=()):
    corner = rng.uniform(0, 8, size=batch + (n, 2))
    size = rng.uniform(0.5, 4, size=batch + (n, 2))
    return np.concatenate([corner, corner + size], -1).round(2).astype(np.float32)


def _scores(n, batch=()):
    return rng.uniform(size=batch + (n,)).round(2).astype(np.float32)


def _nms_case(boxes, scores, max_output_size, **kw):
    idx, num = tf.image.non_max_suppression_padded(
        tf.constant(boxes), tf.constant(scores), max_output_size, **kw
    )
    return {
        "boxes": boxes.tolist(),
        "box_dtype": boxes.dtype.name,
        "scores": scores.tolist(),
        "max_output_size": max_output_size,
        "kw": kw,
        "idx": idx.numpy().tolist(),
        "idx_shape": list(idx.shape),
        "num_valid": num.numpy().tolist(),
    }


def record_nms() -> dict:
    boxes, scores = _boxes(12), _scores(12)
    scores[3] = scores[7]  # a tie
    flipped = boxes[:, [2, 3, 0, 1]].copy()
    negative = boxes - 5.0
    batch_boxes, batch_scores = _boxes(10, (2, 3)), _scores(10, (2, 3))
    cases = [
        _nms_case(boxes, scores, 5),
        _nms_case(boxes, scores, 5, pad_to_max_output_size=True),
        _nms_case(boxes, scores, 20, pad_to_max_output_size=True),
        _nms_case(boxes, scores, 12, iou_threshold=0.1),
        _nms_case(boxes, scores, 12, iou_threshold=0.0, pad_to_max_output_size=True),
        _nms_case(boxes, scores, 12, iou_threshold=1.0),
        _nms_case(boxes, scores, 8, score_threshold=0.4, pad_to_max_output_size=True),
        _nms_case(boxes, scores, 0, pad_to_max_output_size=True),
        _nms_case(flipped, scores, 6, iou_threshold=0.2),
        _nms_case(flipped, scores, 6, iou_threshold=0.2, canonicalized_coordinates=True),
        _nms_case(negative, scores, 6, iou_threshold=0.3, pad_to_max_output_size=True),
        _nms_case(boxes, np.sort(scores)[::-1].copy(), 6, iou_threshold=0.2, sorted_input=True),
        _nms_case(boxes, scores, 7, iou_threshold=0.2, tile_size=3),
        _nms_case(boxes.astype(np.float16), scores, 6, iou_threshold=0.2),
        _nms_case(
            batch_boxes,
            batch_scores,
            6,
            iou_threshold=0.3,
            pad_to_max_output_size=True,
            tile_size=4,
        ),
        _nms_case(
            batch_boxes[0],
            batch_scores[0],
            4,
            iou_threshold=0.25,
            pad_to_max_output_size=True,
            score_threshold=0.3,
        ),
    ]
    traced = tf.function(
        lambda b, s: tf.image.non_max_suppression_padded(b, s, 4, 0.3, pad_to_max_output_size=True)
    )
    idx, num = traced(batch_boxes, batch_scores)
    errors = {
        "batched_unpadded": _error(
            lambda: tf.image.non_max_suppression_padded(tf.constant(batch_boxes), batch_scores, 3)
        ),
        "float64": _error(
            lambda: tf.image.non_max_suppression_padded(
                tf.constant(boxes, tf.float64), tf.constant(scores, tf.float64), 5
            )
        ),
        "negative_size": _error(
            lambda: tf.image.non_max_suppression_padded(
                boxes, scores, -1, pad_to_max_output_size=True
            )
        ),
    }
    return {
        "cases": cases,
        "traced": {"idx": idx.numpy().tolist(), "num_valid": num.numpy().tolist()},
        "errors": errors,
    }


IMAGE_BOXES = [[[0.1, 0.2, 0.6, 0.7], [0.3, 0.05, 0.9, 0.5]]]


def _sdbb(fn, *args, **kw):
    begin, size, box = fn(*args, **kw)
    return {
        "begin": begin.numpy().tolist(),
        "size": size.numpy().tolist(),
        "box": box.numpy().tolist(),
        "dtype": begin.dtype.name,
    }


SDBB_ARGS = [
    {},
    {"min_object_covered": 0.0},
    {"min_object_covered": 0.9, "max_attempts": 3},
    {"aspect_ratio_range": [0.5, 2.0], "area_range": [0.1, 0.5]},
    {"area_range": [0.9, 1.0], "aspect_ratio_range": [3.0, 4.0]},
    {"max_attempts": 1, "min_object_covered": 0.5},
]


def record_sdbb() -> dict:
    stateless = []
    for seed in ([1, 2], [3, 4], [-7, 123456789012]):
        for image_size, dtype in (
            ([37, 53, 3], "int32"),
            ([11, 9, 1], "int64"),
            ([200, 120, 3], "uint8"),
        ):
            if dtype == "uint8":
                image_size = [200, 120, 3]
            for kw in SDBB_ARGS:
                stateless.append(
                    {
                        "seed": seed,
                        "image_size": image_size,
                        "image_dtype": dtype,
                        "kw": kw,
                        "out": _sdbb(
                            tf.image.stateless_sample_distorted_bounding_box,
                            tf.constant(image_size, dtype),
                            IMAGE_BOXES,
                            seed=tf.constant(seed, "int64"),
                            **kw,
                        ),
                    }
                )
    no_boxes = _sdbb(
        tf.image.stateless_sample_distorted_bounding_box,
        [40, 30, 3],
        tf.zeros([1, 0, 4]),
        seed=[5, 6],
        use_image_if_no_bounding_boxes=True,
    )
    stateful = []
    for global_seed, seed in ((None, 5), (3, 7)):
        tf.random.set_seed(global_seed) if global_seed is not None else None
        calls = [
            _sdbb(tf.image.sample_distorted_bounding_box, [37, 53, 3], IMAGE_BOXES, seed=seed)
            for _ in range(3)
        ]
        stateful.append({"global_seed": global_seed, "seed": seed, "calls": calls})
    tf.random.set_seed(None)
    fn = tf.function(
        lambda: tf.image.sample_distorted_bounding_box(
            [37, 53, 3], IMAGE_BOXES, seed=11, area_range=[0.2, 0.6], max_attempts=4
        )
    )
    traced = [[t.numpy().tolist() for t in fn()] for _ in range(3)]
    sdbb = tf.image.stateless_sample_distorted_bounding_box
    errors = {
        "coords": _error(lambda: sdbb([10, 10, 3], [[[0.1, 0.2, 1.5, 0.5]]], seed=[1, 2])),
        "no_boxes": _error(lambda: sdbb([10, 10, 3], tf.zeros([1, 0, 4]), seed=[1, 2])),
        "area": _error(lambda: sdbb([10, 10, 3], IMAGE_BOXES, seed=[1, 2], area_range=[0.1, 1.5])),
        "area_neg": _error(lambda: sdbb([10, 10, 3], IMAGE_BOXES, seed=[1, 2], area_range=[0, 1])),
        "aspect": _error(
            lambda: sdbb([10, 10, 3], IMAGE_BOXES, seed=[1, 2], aspect_ratio_range=[-1, 1])
        ),
        "covered": _error(
            lambda: sdbb([10, 10, 3], IMAGE_BOXES, seed=[1, 2], min_object_covered=-0.5)
        ),
        "attempts": _error(lambda: sdbb([10, 10, 3], IMAGE_BOXES, seed=[1, 2], max_attempts=0)),
        "seed_shape": _error(lambda: sdbb([10, 10, 3], IMAGE_BOXES, seed=[1, 2, 3])),
        "image_size": _error(lambda: sdbb([10, 10], IMAGE_BOXES, seed=[1, 2])),
        "box_rank": _error(lambda: sdbb([10, 10, 3], [[0.1, 0.2, 0.5, 0.5]], seed=[1, 2])),
        "float_size": _error(lambda: sdbb([10.0, 10.0, 3.0], IMAGE_BOXES, seed=[1, 2])),
    }
    return {
        "boxes": IMAGE_BOXES,
        "stateless": stateless,
        "no_boxes": no_boxes,
        "stateful": stateful,
        "traced": traced,
        "errors": errors,
    }


def record_proposals() -> dict:
    args = (
        tf.ones([2, 3, 3, 2]),
        tf.zeros([2, 3, 3, 8]),
        tf.constant([[4.0, 4.0, 1.0, 1.0, 1.0]] * 2),
        tf.zeros([2, 18, 4]),
    )
    eager = _error(lambda: tf.image.generate_bounding_box_proposals(*args, post_nms_topn=5))
    traced = tf.function(lambda s: tf.image.generate_bounding_box_proposals(s, *args[1:]))
    rank = _error(lambda: traced(tf.ones([2, 3])))
    run = _error(lambda: traced(args[0]))
    return {"eager": eager, "traced_rank": rank, "traced_run": run}


def main() -> None:
    data = {"nms": record_nms(), "sdbb": record_sdbb(), "proposals": record_proposals()}
    FIXTURE.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print("wrote", FIXTURE, FIXTURE.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
