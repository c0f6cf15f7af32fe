"""Records TensorFlow's image resize ops into ``tests/fixtures/image_resize_ops.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_image_resize_fixtures.py

Each case resizes a small random batch (up and down, odd sizes) with ResizeBilinear
and ResizeNearestNeighbor under every attr combination TF allows, and records the
gradient ops on a random upstream gradient. Resample cases do the same for
ResizeBicubic, ResizeArea and ScaleAndTranslate (every kernel, with and without
antialiasing, with a translation).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent.parent / "fixtures" / "image_resize_ops.json"

rng = np.random.default_rng(2021)

# (input shape, output size)
GEOMETRIES = [
    ((2, 3, 4, 2), (6, 8)),
    ((1, 5, 7, 1), (3, 4)),
    ((1, 4, 3, 3), (7, 5)),
    ((1, 2, 2, 1), (1, 5)),
    ((1, 6, 1, 2), (4, 3)),
    ((1, 3, 5, 1), (3, 5)),
]
ATTRS = [(False, False), (True, False), (False, True)]
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


def _resample_cases(tf) -> list:
    cases = []
    for shape, size in GEOMETRIES[1:4]:
        images = rng.normal(size=shape).round(3).astype("float32")
        grads = rng.normal(size=(shape[0], *size, shape[3])).round(3).astype("float32")
        case = {"images": images.tolist(), "size": list(size), "grads": grads.tolist()}
        for align, half in ATTRS:
            attrs = {"align_corners": align, "half_pixel_centers": half}
            key = f"ac{int(align)}hp{int(half)}"
            case[f"bicubic_{key}"] = (
                tf.raw_ops.ResizeBicubic(images=images, size=size, **attrs).numpy().tolist()
            )
            case[f"bicubic_grad_{key}"] = (
                tf.raw_ops.ResizeBicubicGrad(grads=grads, original_image=images, **attrs)
                .numpy()
                .tolist()
            )
        for align in (False, True):
            case[f"area_ac{int(align)}"] = (
                tf.raw_ops.ResizeArea(images=images, size=size, align_corners=align)
                .numpy()
                .tolist()
            )
        scale = (np.array(size) / np.array(shape[1:3])).astype("float32")
        case["scale"], case["translation"] = scale.tolist(), [0.25, -0.5]
        for kernel in KERNELS:
            for antialias in (False, True):
                args = {
                    "scale": scale,
                    "translation": case["translation"],
                    "kernel_type": kernel,
                    "antialias": antialias,
                }
                key = f"{kernel}_aa{int(antialias)}"
                case[f"st_{key}"] = (
                    tf.raw_ops.ScaleAndTranslate(images=images, size=size, **args).numpy().tolist()
                )
                case[f"st_grad_{key}"] = (
                    tf.raw_ops.ScaleAndTranslateGrad(grads=grads, original_image=images, **args)
                    .numpy()
                    .tolist()
                )
        cases.append(case)
    return cases


def main() -> None:
    import tensorflow as tf

    cases = []
    for shape, size in GEOMETRIES:
        images = rng.normal(size=shape).round(3).astype("float32")
        grads = rng.normal(size=(shape[0], *size, shape[3])).round(3).astype("float32")
        for align, half in ATTRS:
            attrs = {"align_corners": align, "half_pixel_centers": half}
            bilinear = tf.raw_ops.ResizeBilinear(images=images, size=size, **attrs)
            nearest = tf.raw_ops.ResizeNearestNeighbor(images=images, size=size, **attrs)
            bilinear_grad = tf.raw_ops.ResizeBilinearGrad(
                grads=grads, original_image=images, **attrs
            )
            nearest_grad = tf.raw_ops.ResizeNearestNeighborGrad(
                grads=grads, size=shape[1:3], **attrs
            )
            cases.append(
                {
                    "images": images.tolist(),
                    "size": list(size),
                    "attrs": attrs,
                    "grads": grads.tolist(),
                    "bilinear": bilinear.numpy().tolist(),
                    "nearest": nearest.numpy().tolist(),
                    "bilinear_grad": bilinear_grad.numpy().tolist(),
                    "nearest_grad": nearest_grad.numpy().tolist(),
                }
            )
    ints = rng.integers(0, 100, size=(1, 3, 3, 2)).astype("int32")
    resized = tf.image.resize(ints, (5, 4), method="bilinear")
    nearest = tf.image.resize(ints, (5, 4), method="nearest")
    fixture = {
        "cases": cases,
        "resample_cases": _resample_cases(tf),
        "int_images": {
            "images": ints.tolist(),
            "size": [5, 4],
            "bilinear": resized.numpy().tolist(),
            "bilinear_dtype": resized.dtype.name,
            "nearest": nearest.numpy().tolist(),
            "nearest_dtype": nearest.dtype.name,
        },
    }
    FIXTURE.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
