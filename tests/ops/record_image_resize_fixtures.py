"""Records TensorFlow's image resize ops into ``tests/fixtures/image_resize_ops.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_image_resize_fixtures.py

Each case resizes a small random batch (up and down, odd sizes) with ResizeBilinear
and ResizeNearestNeighbor under every attr combination TF allows, and records the
gradient ops on a random upstream gradient.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent.parent / "fixtures" / "image_resize_ops.json"

rng = np.random.default_rng(2021)

# (input shape, output size)
GEOMETRIES = [((2, 3, 4, 2), (6, 8)), ((1, 5, 7, 1), (3, 4)), ((1, 4, 3, 3), (7, 5)),
              ((1, 2, 2, 1), (1, 5)), ((1, 6, 1, 2), (4, 3)), ((1, 3, 5, 1), (3, 5))]
ATTRS = [(False, False), (True, False), (False, True)]


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
            bilinear_grad = tf.raw_ops.ResizeBilinearGrad(grads=grads, original_image=images,
                                                          **attrs)
            nearest_grad = tf.raw_ops.ResizeNearestNeighborGrad(grads=grads, size=shape[1:3],
                                                                **attrs)
            cases.append({"images": images.tolist(), "size": list(size), "attrs": attrs,
                          "grads": grads.tolist(), "bilinear": bilinear.numpy().tolist(),
                          "nearest": nearest.numpy().tolist(),
                          "bilinear_grad": bilinear_grad.numpy().tolist(),
                          "nearest_grad": nearest_grad.numpy().tolist()})
    ints = rng.integers(0, 100, size=(1, 3, 3, 2)).astype("int32")
    resized = tf.image.resize(ints, (5, 4), method="bilinear")
    nearest = tf.image.resize(ints, (5, 4), method="nearest")
    fixture = {"cases": cases,
               "int_images": {"images": ints.tolist(), "size": [5, 4],
                              "bilinear": resized.numpy().tolist(),
                              "bilinear_dtype": resized.dtype.name,
                              "nearest": nearest.numpy().tolist(),
                              "nearest_dtype": nearest.dtype.name}}
    FIXTURE.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
