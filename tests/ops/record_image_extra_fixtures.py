"""Records TensorFlow's JPEG/WebP extras, box suppression variants and multi-scale SSIM
into ``tests/fixtures/image_extras.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_image_extra_fixtures.py

Tables:

- ``jpeg``: a small RGB and a grey image; TF's ``EncodeJpegVariableQuality`` bytes per
  quality (base64), ``adjust_jpeg_quality`` pixels with the accurate and the default
  (fast) DCT, the qualities TF's stateless and stateful draws pick, and shapes and
  crops of ``extract_jpeg_shape`` / ``decode_and_crop_jpeg``.
- ``nms``: ``non_max_suppression_overlaps`` and ``combined_non_max_suppression`` cases.
- ``ssim_multiscale``: values for small image pairs.
- ``glimpse``: ``extract_glimpse`` windows (zero noise) for each offset convention.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

FIXTURE = Path(__file__).parent.parent / "fixtures" / "image_extras.json"

rng = np.random.default_rng(29)
RGB = rng.integers(0, 256, size=(9, 11, 3)).astype(np.uint8)
RGB[2:7, 3:9] = (200, 40, 90)
GREY = rng.integers(0, 256, size=(8, 10, 1)).astype(np.uint8)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _short(values, decimals: int) -> list:
    """float32 inputs as short decimals (each converts back to the same float32)."""
    return np.asarray(values, np.float64).round(decimals).tolist()


def record_jpeg(tf) -> dict:
    images = {"rgb": RGB, "grey": GREY}
    out = {"images": {k: v.tolist() for k, v in images.items()}, "encode": [], "adjust": []}
    for key, image in images.items():
        for quality in (5, 50, 90, 100):
            data = tf.raw_ops.EncodeJpegVariableQuality(images=image, quality=quality)
            out["encode"].append({"image": key, "quality": quality, "bytes": _b64(data.numpy())})
            accurate = tf.image.adjust_jpeg_quality(image, quality, dct_method="INTEGER_ACCURATE")
            fast = tf.image.adjust_jpeg_quality(image, quality)
            out["adjust"].append(
                {
                    "image": key,
                    "quality": quality,
                    "accurate": accurate.numpy().tolist(),
                    "fast": fast.numpy().tolist(),
                }
            )
    floats = tf.image.adjust_jpeg_quality(RGB.astype(np.float32) / 255.0, 75)
    out["adjust_float"] = {"quality": 75, "dtype": floats.dtype.name}
    draws = []
    for seed in ((1, 2), (7, 0), (123, 456)):
        q = tf.random.stateless_uniform([], seed, 10, 95, dtype=tf.int32)
        draws.append({"seed": list(seed), "quality": int(q)})
    out["stateless_draws"] = draws
    stateful = []
    for global_seed, op_seed in ((3, 5), (11, 0)):
        tf.random.set_seed(global_seed)
        q = [int(tf.random.uniform([], 10, 95, dtype=tf.int32, seed=op_seed)) for _ in range(3)]
        stateful.append({"global": global_seed, "op": op_seed, "qualities": q})
    out["stateful_draws"] = stateful
    data = tf.io.encode_jpeg(RGB, quality=85)
    out["file"] = _b64(data.numpy())
    out["shape"] = tf.image.extract_jpeg_shape(data).numpy().tolist()
    out["crops"] = []
    for window in ([0, 0, 9, 11], [2, 3, 4, 5], [5, 1, 4, 10], [8, 10, 1, 1]):
        pixels = tf.image.decode_and_crop_jpeg(data, window, dct_method="INTEGER_ACCURATE")
        out["crops"].append({"window": window, "pixels": pixels.numpy().tolist()})
    return out


def record_nms(tf) -> dict:
    overlaps = rng.uniform(size=(6, 6)).round(3).astype(np.float32)
    overlaps = ((overlaps + overlaps.T) / 2).round(4).astype(np.float32)
    scores = rng.uniform(size=6).round(3).astype(np.float32)
    cases = []
    for size, overlap, score in ((6, 0.5, -1e9), (3, 0.6, 0.2), (6, 0.3, 0.5), (0, 0.5, -1e9)):
        got = tf.image.non_max_suppression_overlaps(overlaps, scores, size, overlap, score)
        cases.append(
            {
                "max_output_size": size,
                "overlap": overlap,
                "score": score,
                "out": got.numpy().tolist(),
            }
        )
    out = {"overlaps": _short(overlaps, 4), "scores": _short(scores, 3), "overlap_cases": cases}
    corners = rng.uniform(size=(2, 8, 2, 2)).round(3).astype(np.float32)
    boxes = np.concatenate([corners.min(axis=-2), corners.max(axis=-2)], axis=-1)
    boxes[1, :, 1] = boxes[1, 0, 1]  # the second class shares boxes for the first batch item
    class_scores = rng.uniform(size=(2, 8, 3)).round(3).astype(np.float32)
    combined = []
    for kw in (
        {"max_output_size_per_class": 4, "max_total_size": 6},
        {"max_output_size_per_class": 3, "max_total_size": 10, "pad_per_class": True},
        {"max_output_size_per_class": 5, "max_total_size": 5, "score_threshold": 0.4},
        {"max_output_size_per_class": 8, "max_total_size": 30, "clip_boxes": False},
        {"max_output_size_per_class": 2, "max_total_size": 4, "iou_threshold": 0.1},
    ):
        for shared in (True, False):
            b = boxes[:, :, None, :] if shared else np.repeat(boxes[:, :, None, :], 3, axis=2)
            if not shared:
                b = (b + np.arange(3, dtype=np.float32)[None, None, :, None] * 0.05).round(3)
            result = tf.image.combined_non_max_suppression(b, class_scores, **kw)
            combined.append(
                {
                    "boxes": _short(b, 3),
                    "kwargs": kw,
                    "nmsed_boxes": result[0].numpy().tolist(),
                    "nmsed_scores": result[1].numpy().tolist(),
                    "nmsed_classes": result[2].numpy().tolist(),
                    "valid": result[3].numpy().tolist(),
                }
            )
    out["class_scores"] = _short(class_scores, 3)
    out["combined"] = combined
    return out


def record_ssim_multiscale(tf) -> dict:
    a = rng.uniform(size=(2, 36, 36, 1)).round(2).astype(np.float32)
    b = np.clip(a + rng.normal(scale=0.1, size=a.shape), 0, 1).round(2).astype(np.float32)
    cases = []
    for kw in (
        {"max_val": 1.0, "filter_size": 3},
        {"max_val": 1.0, "filter_size": 3, "power_factors": [0.3, 0.7]},
        {
            "max_val": 2.0,
            "filter_size": 5,
            "filter_sigma": 0.8,
            "k1": 0.02,
            "k2": 0.05,
            "power_factors": [0.2, 0.3, 0.5],
        },
    ):
        got = tf.image.ssim_multiscale(a, b, **kw)
        cases.append({"kwargs": kw, "out": got.numpy().tolist()})
    return {"a": _short(a, 2), "b": _short(b, 2), "cases": cases}


def record_glimpse(tf) -> dict:
    images = np.arange(2 * 5 * 6 * 2, dtype=np.float32).reshape(2, 5, 6, 2)
    cases = []
    for size, offsets, kw in (
        ([3, 2], [[0.1, -0.2], [0.9, 0.3]], {}),
        ([2, 3], [[1, 2], [4, 5]], {"centered": False, "normalized": False}),
        ([4, 4], [[-1.5, 2.0], [0.0, 0.0]], {"centered": True, "normalized": False}),
        ([3, 3], [[0.2, 0.7], [0.99, -0.3]], {"centered": False, "normalized": True}),
        ([5, 6], [[0.0, 0.0], [-0.6, 0.8]], {}),
        ([0, 2], [[0.0, 0.0], [0.0, 0.0]], {}),
    ):
        got = tf.image.extract_glimpse(images, size, offsets, noise="zero", **kw)
        cases.append({"size": size, "offsets": offsets, "kwargs": kw, "out": got.numpy().tolist()})
    return {"images_shape": list(images.shape), "cases": cases}


def main() -> None:
    import tensorflow as tf

    fixtures = {
        "jpeg": record_jpeg(tf),
        "nms": record_nms(tf),
        "ssim_multiscale": record_ssim_multiscale(tf),
        "glimpse": record_glimpse(tf),
    }
    FIXTURE.write_text(json.dumps(fixtures, separators=(",", ":")))
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
