"""Records TensorFlow's ``tf.image.crop_and_resize`` (values and gradients),
``extract_patches`` (values and gradients), ``non_max_suppression`` (and
``_with_scores``) and ``draw_bounding_boxes`` into ``tests/fixtures/image_box_ops.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_image_box_fixtures.py

Gradients are those of ``sum(weights * f(x))`` with the recorded weights.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent.parent / "fixtures" / "image_box_ops.json"

rng = np.random.default_rng(21)


def _array(a) -> dict:
    a = np.asarray(a)
    return {"values": a.ravel().tolist(), "dtype": a.dtype.name, "shape": list(a.shape)}


IMAGE = rng.uniform(size=(2, 5, 6, 3)).round(4).astype("float32")
# Corners off the pixel grid (the boxes' gradient is TF's one-sided slope on it),
# flipped boxes, boxes reaching outside the image.
BOXES = np.array(
    [
        [0.13, 0.07, 0.71, 0.93],
        [0.82, 0.11, 0.23, 0.66],
        [-0.21, 0.33, 0.52, 1.37],
        [0.31, 0.42, 0.31, 0.87],
        [0.05, 0.91, 0.97, 0.12],
    ],
    np.float32,
)
BOX_INDICES = np.array([0, 1, 1, 0, 1], np.int32)

CROPS = [
    {"crop_size": [3, 4], "method": "bilinear", "extrapolation_value": 0.0},
    {"crop_size": [4, 3], "method": "nearest", "extrapolation_value": 0.0},
    {"crop_size": [1, 1], "method": "bilinear", "extrapolation_value": -1.5},
    {"crop_size": [2, 5], "method": "bilinear", "extrapolation_value": 0.25},
    {"crop_size": [1, 3], "method": "nearest", "extrapolation_value": 0.5},
]

PATCHES = [
    {"sizes": [1, 2, 2, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "VALID"},
    {"sizes": [1, 3, 2, 1], "strides": [1, 2, 3, 1], "rates": [1, 1, 1, 1], "padding": "SAME"},
    {"sizes": [1, 2, 2, 1], "strides": [1, 1, 2, 1], "rates": [1, 2, 2, 1], "padding": "VALID"},
    {"sizes": [1, 3, 3, 1], "strides": [1, 2, 2, 1], "rates": [1, 1, 2, 1], "padding": "SAME"},
    {"sizes": [1, 1, 1, 1], "strides": [1, 3, 3, 1], "rates": [1, 1, 1, 1], "padding": "VALID"},
]


def _nms_boxes():
    centres = rng.uniform(0, 1, size=(40, 2))
    sides = rng.uniform(0.05, 0.4, size=(40, 2))
    boxes = np.concatenate([centres - sides / 2, centres + sides / 2], axis=1)
    flip = rng.uniform(size=40) < 0.3  # the other diagonal
    boxes[flip] = boxes[flip][:, [2, 3, 0, 1]]
    boxes[5] = boxes[4]  # a duplicate
    boxes[7, 2] = boxes[7, 0]  # an empty box
    scores = rng.uniform(size=40).round(2)  # rounding makes ties
    return boxes.round(3).astype("float32"), scores.astype("float32")


NMS = [
    {"max_output_size": 10, "iou_threshold": 0.5, "score_threshold": float("-inf")},
    {"max_output_size": 40, "iou_threshold": 0.2, "score_threshold": float("-inf")},
    {"max_output_size": 40, "iou_threshold": 0.0, "score_threshold": float("-inf")},
    {"max_output_size": 40, "iou_threshold": 1.0, "score_threshold": 0.5},
    {"max_output_size": 5, "iou_threshold": 0.3, "score_threshold": 0.3},
    {"max_output_size": 0, "iou_threshold": 0.5, "score_threshold": float("-inf")},
]
SOFT = [
    {"max_output_size": 12, "iou_threshold": 0.5, "score_threshold": 0.0, "soft_nms_sigma": 0.0},
    {"max_output_size": 12, "iou_threshold": 0.5, "score_threshold": 0.1, "soft_nms_sigma": 0.5},
    {"max_output_size": 40, "iou_threshold": 1.0, "score_threshold": 0.3, "soft_nms_sigma": 0.2},
    {"max_output_size": 6, "iou_threshold": 0.3, "score_threshold": 0.0, "soft_nms_sigma": 0.8},
]


def _draw_cases():
    boxes = np.array(
        [
            [
                [0.1, 0.2, 0.8, 0.9],
                [0.5, 0.5, 0.5, 0.5],
                [-0.2, -0.3, 0.4, 1.3],
                [0.9, 0.1, 0.2, 0.3],
            ],
            [
                [0.0, 0.0, 1.0, 1.0],
                [1.2, 0.1, 1.5, 0.5],
                [0.3, 0.6, 1.4, 0.95],
                [0.25, 0.1, 0.6, 0.4],
            ],
        ],
        np.float32,
    )
    many = rng.uniform(0, 1, size=(1, 12, 4)).astype("float32")
    many[..., 2:] = np.maximum(many[..., :2], many[..., 2:])
    many[..., :2] = np.minimum(many[..., :2], rng.uniform(0, 1, size=(1, 12, 2)))
    return [
        (
            "rgb",
            rng.uniform(size=(2, 7, 9, 3)).round(3).astype("float32"),
            boxes,
            np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 1.0]], np.float32),
        ),
        ("rgba", rng.uniform(size=(2, 6, 6, 4)).round(3).astype("float32"), boxes, None),
        (
            "grey",
            rng.uniform(size=(1, 8, 8, 1)).round(3).astype("float32"),
            many,
            np.array(
                [[0.2, 0.9, 0.9, 0.1], [0.7, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]], np.float32
            ),
        ),
        ("palette", np.zeros((1, 16, 16, 3), np.float32), many, None),
    ]


TRANSFORMS = [
    ([1, 0, 2, 0, 1, -1, 0, 0], "NEAREST", "CONSTANT"),
    ([0.955, -0.296, 1.2, 0.296, 0.955, -0.8, 0, 0], "BILINEAR", "REFLECT"),
    ([1.1, 0.1, -0.3, -0.05, 0.9, 0.4, 0.02, -0.03], "BILINEAR", "WRAP"),
    ([0.8, 0, 0.6, 0, 1.25, -0.5, 0, 0], "NEAREST", "NEAREST"),
]


def _transform_grads(tf):
    rows = []
    for transform, interpolation, fill_mode in TRANSFORMS:
        image = tf.constant(IMAGE)
        with tf.GradientTape() as tape:
            tape.watch(image)
            out = tf.raw_ops.ImageProjectiveTransformV3(
                images=image,
                transforms=tf.constant([transform], tf.float32),
                output_shape=[5, 6],
                fill_value=0.25,
                interpolation=interpolation,
                fill_mode=fill_mode,
            )
            weights = rng.uniform(0.5, 1.5, size=out.shape).round(3).astype("float32")
            loss = tf.reduce_sum(out * weights)
        rows.append(
            {
                "transform": transform,
                "interpolation": interpolation,
                "fill_mode": fill_mode,
                "weights": _array(weights),
                "d_image": _array(tape.gradient(loss, image).numpy()),
            }
        )
    return rows


def main() -> None:
    import tensorflow as tf

    crops = []
    for case in CROPS:
        image, boxes = tf.constant(IMAGE), tf.constant(BOXES)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([image, boxes])
            out = tf.image.crop_and_resize(image, boxes, BOX_INDICES, **case)
            weights = rng.uniform(0.5, 1.5, size=out.shape).round(3).astype("float32")
            loss = tf.reduce_sum(out * weights)
        crops.append(
            {
                "kwargs": case,
                "out": _array(out.numpy()),
                "weights": _array(weights),
                "d_image": _array(tape.gradient(loss, image).numpy()),
                "d_boxes": _array(tape.gradient(loss, boxes).numpy()),
            }
        )
    crops_u8 = (IMAGE * 255).astype("uint8")
    crops_u8_out = tf.image.crop_and_resize(crops_u8, BOXES, BOX_INDICES, [3, 3]).numpy()
    crops_f64_out = tf.image.crop_and_resize(IMAGE.astype("float64"), BOXES, BOX_INDICES, [2, 2])

    patches = []
    for case in PATCHES:
        image = tf.constant(IMAGE)
        with tf.GradientTape() as tape:
            tape.watch(image)
            out = tf.image.extract_patches(image, **case)
            weights = rng.uniform(0.5, 1.5, size=out.shape).round(3).astype("float32")
            loss = tf.reduce_sum(out * weights)
        patches.append(
            {
                "kwargs": case,
                "out": _array(out.numpy()),
                "weights": _array(weights),
                "d_image": _array(tape.gradient(loss, image).numpy()),
            }
        )

    boxes, scores = _nms_boxes()
    nms = [
        {
            "kwargs": case,
            "out": tf.image.non_max_suppression(boxes, scores, **case).numpy().tolist(),
        }
        for case in NMS
    ]
    soft = []
    for case in SOFT:
        idx, kept = tf.image.non_max_suppression_with_scores(boxes, scores, **case)
        soft.append(
            {"kwargs": case, "indices": idx.numpy().tolist(), "scores": kept.numpy().tolist()}
        )

    draws = []
    for label, images, draw_boxes, colors in _draw_cases():
        out = tf.image.draw_bounding_boxes(images, draw_boxes, colors)
        draws.append(
            {
                "label": label,
                "images": _array(images),
                "boxes": _array(draw_boxes),
                "colors": None if colors is None else _array(colors),
                "out": _array(out.numpy()),
            }
        )

    FIXTURE.write_text(
        json.dumps(
            {
                "image": _array(IMAGE),
                "boxes": _array(BOXES),
                "box_indices": BOX_INDICES.tolist(),
                "crop_and_resize": crops,
                "crop_u8": _array(crops_u8_out),
                "crop_f64": _array(crops_f64_out.numpy()),
                "extract_patches": patches,
                "nms_boxes": _array(boxes),
                "nms_scores": _array(scores),
                "nms": nms,
                "nms_with_scores": soft,
                "draw_bounding_boxes": draws,
                "transform_grads": _transform_grads(tf),
            },
            separators=(",", ":"),
        )
    )
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
