"""Records TensorFlow's ``tf.image`` and ``tf.io`` image functions into
``tests/fixtures/image_ops.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_image_fixtures.py

Three tables:

- ``decode``: small generated files (PNG in every colour mode, JPEG colour and grey,
  BMP, GIF) with the decoder, its arguments and TF's pixels. JPEG cases decode with
  ``dct_method="INTEGER_ACCURATE"`` (exact) and with TF's default fast DCT (a few
  levels apart: a tolerance is recorded).
- ``encode_jpeg``: what TF's JPEG bytes decode to (the bytes themselves are libjpeg's).
- ``calls``: one row per ``tf.image`` call: function, named input, keyword arguments,
  and TF's result (values rounded to 5 decimals, dtype, shape).
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent.parent / "fixtures" / "image_ops.json"

rng = np.random.default_rng(13)

INPUTS = {
    "rgb_f32": rng.uniform(size=(5, 7, 3)).round(4).astype("float32"),
    "batch_f32": rng.uniform(size=(2, 5, 7, 3)).round(4).astype("float32"),
    "grey_f32": rng.uniform(size=(6, 5, 1)).round(4).astype("float32"),
    "rgb_u8": rng.integers(0, 256, size=(5, 7, 3)).astype("uint8"),
    "batch_u8": rng.integers(0, 256, size=(1, 6, 9, 2)).astype("uint8"),
    "rgb_f64": rng.uniform(size=(4, 4, 3)).round(4).astype("float64"),
    "resize_f32": rng.uniform(size=(1, 5, 6, 2)).round(4).astype("float32"),
    "small_f32": rng.uniform(size=(1, 4, 3, 2)).round(4).astype("float32"),
    "grey_i32": rng.integers(-1000, 1000, size=(3, 4, 1)).astype("int32"),
    "ssim_a": rng.uniform(size=(2, 16, 16, 3)).round(3).astype("float32"),
    "ssim_a_u8": rng.integers(0, 256, (1, 12, 12, 1)).astype("uint8"),
    "ssim_b_u8": rng.integers(0, 256, (1, 12, 12, 1)).astype("uint8"),
}
INPUTS["ssim_b"] = (
    np.clip(INPUTS["ssim_a"] + rng.normal(0, 0.1, (2, 16, 16, 3)), 0, 1).round(3).astype("float32")
)

RESIZE_METHODS = [
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
]


def _calls() -> list:
    calls = []
    for method in RESIZE_METHODS:
        for size in ([9, 11], [3, 4], [5, 3]):
            for antialias in (False, True):
                calls.append(
                    (
                        "resize",
                        "resize_f32",
                        {"size": size, "method": method, "antialias": antialias},
                    )
                )
        calls.append(("resize", "batch_u8", {"size": [4, 7], "method": method}))
    calls += [
        ("resize", "rgb_f32", {"size": [10, 10], "preserve_aspect_ratio": True}),
        ("resize", "rgb_f32", {"size": [3, 20], "preserve_aspect_ratio": True}),
        ("resize", "rgb_f64", {"size": [6, 2], "method": "nearest"}),
        ("resize", "rgb_u8", {"size": [3, 3], "method": "nearest"}),
        ("resize_with_pad", "rgb_f32", {"target_height": 8, "target_width": 8}),
        ("resize_with_pad", "batch_f32", {"target_height": 3, "target_width": 9}),
        ("resize_with_pad", "rgb_u8", {"target_height": 4, "target_width": 4, "method": "nearest"}),
        ("resize_with_crop_or_pad", "rgb_f32", {"target_height": 3, "target_width": 10}),
        ("resize_with_crop_or_pad", "batch_u8", {"target_height": 9, "target_width": 4}),
        ("central_crop", "rgb_f32", {"central_fraction": 0.5}),
        ("central_crop", "batch_f32", {"central_fraction": 0.7}),
        ("central_crop", "rgb_u8", {"central_fraction": 1.0}),
        (
            "crop_to_bounding_box",
            "rgb_f32",
            {"offset_height": 1, "offset_width": 2, "target_height": 3, "target_width": 4},
        ),
        (
            "pad_to_bounding_box",
            "batch_u8",
            {"offset_height": 1, "offset_width": 0, "target_height": 8, "target_width": 11},
        ),
        ("flip_left_right", "batch_f32", {}),
        ("flip_up_down", "rgb_u8", {}),
        ("transpose", "batch_u8", {}),
        ("rot90", "rgb_f32", {"k": 1}),
        ("rot90", "batch_f32", {"k": 2}),
        ("rot90", "rgb_u8", {"k": 3}),
        ("rot90", "rgb_u8", {"k": -1}),
        ("rgb_to_grayscale", "rgb_f32", {}),
        ("rgb_to_grayscale", "rgb_u8", {}),
        ("grayscale_to_rgb", "grey_f32", {}),
        ("rgb_to_hsv", "batch_f32", {}),
        ("hsv_to_rgb", "rgb_f32", {}),
        ("rgb_to_yuv", "rgb_f32", {}),
        ("yuv_to_rgb", "rgb_f32", {}),
        ("rgb_to_yiq", "rgb_f64", {}),
        ("yiq_to_rgb", "rgb_f64", {}),
        ("convert_image_dtype", "rgb_u8", {"dtype": "float32"}),
        ("convert_image_dtype", "rgb_u8", {"dtype": "int32"}),
        ("convert_image_dtype", "rgb_u8", {"dtype": "uint16"}),
        ("convert_image_dtype", "grey_i32", {"dtype": "uint8"}),
        ("convert_image_dtype", "rgb_f32", {"dtype": "uint8"}),
        ("convert_image_dtype", "rgb_f32", {"dtype": "int16"}),
        ("convert_image_dtype", "rgb_f32", {"dtype": "float64"}),
        ("adjust_brightness", "rgb_f32", {"delta": 0.2}),
        ("adjust_brightness", "rgb_u8", {"delta": 0.3}),
        ("adjust_contrast", "batch_f32", {"contrast_factor": 1.7}),
        ("adjust_contrast", "rgb_u8", {"contrast_factor": 0.4}),
        ("adjust_saturation", "rgb_f32", {"saturation_factor": 1.8}),
        ("adjust_saturation", "rgb_u8", {"saturation_factor": 0.3}),
        ("adjust_hue", "rgb_f32", {"delta": 0.2}),
        ("adjust_hue", "rgb_u8", {"delta": -0.45}),
        ("adjust_gamma", "rgb_f32", {"gamma": 2.2, "gain": 0.9}),
        ("adjust_gamma", "rgb_u8", {"gamma": 0.5}),
        ("per_image_standardization", "batch_f32", {}),
        ("per_image_standardization", "rgb_u8", {}),
        ("total_variation", "batch_f32", {}),
        ("total_variation", "rgb_f32", {}),
        ("image_gradients", "batch_f32", {}),
        ("sobel_edges", "small_f32", {}),
    ]
    return calls


def _encode_files(pil_image) -> list:
    """(name, bytes, decoder, kwargs, tolerance) for the decode table."""
    colour = rng.integers(0, 256, size=(6, 9, 3)).astype("uint8")
    grey = rng.integers(0, 256, size=(5, 4)).astype("uint8")
    alpha = rng.integers(0, 256, size=(4, 5, 4)).astype("uint8")

    def save(array, fmt, mode=None, **options):
        buffer = io.BytesIO()
        picture = pil_image.fromarray(array)
        if mode is not None:
            picture = picture.convert(mode)
        picture.save(buffer, format=fmt, **options)
        return buffer.getvalue()

    png, jpeg = save(colour, "PNG"), save(colour, "JPEG", quality=90)
    grey_jpeg = save(grey, "JPEG", quality=85)
    accurate = {"dct_method": "INTEGER_ACCURATE"}
    return [
        ("png_rgb", png, "decode_png", {}, 0),
        ("png_rgb_grey", png, "decode_png", {"channels": 1}, 0),
        ("png_rgb_rgba", png, "decode_png", {"channels": 4}, 0),
        ("png_rgb_u16", png, "decode_png", {"dtype": "uint16"}, 0),
        ("png_rgba", save(alpha, "PNG"), "decode_png", {}, 0),
        ("png_rgba_rgb", save(alpha, "PNG"), "decode_image", {"channels": 3}, 0),
        ("png_la", save(alpha, "PNG", "LA"), "decode_png", {}, 0),
        ("png_palette", save(colour, "PNG", "P"), "decode_png", {}, 0),
        ("png_grey_rgb", save(grey, "PNG"), "decode_image", {"channels": 3}, 0),
        ("jpeg_accurate", jpeg, "decode_jpeg", accurate, 0),
        ("jpeg_grey_out", jpeg, "decode_jpeg", {"channels": 1, **accurate}, 0),
        ("jpeg_grey", grey_jpeg, "decode_jpeg", accurate, 0),
        ("jpeg_grey_rgb", grey_jpeg, "decode_jpeg", {"channels": 3, **accurate}, 0),
        ("jpeg_default_dct", jpeg, "decode_jpeg", {}, 8),
        ("jpeg_as_image", jpeg, "decode_image", {}, 8),
        ("bmp", save(colour, "BMP"), "decode_bmp", {}, 0),
        ("bmp_rgba", save(colour, "BMP"), "decode_bmp", {"channels": 4}, 0),
        ("gif", save(colour, "GIF"), "decode_gif", {}, 0),
        ("gif_still", save(colour, "GIF"), "decode_image", {"expand_animations": False}, 0),
    ]


def make_image_folder(root, pil_image) -> None:
    """A small class-per-folder tree of PNG/JPEG/BMP files (and files Keras ignores),
    the same wherever it is made: the tests build it again with this function."""
    import os

    local = np.random.default_rng(99)
    layout = {"ants": 4, "bees": 3, "cats": 5}
    for k, (label, count) in enumerate(layout.items()):
        os.makedirs(os.path.join(root, label, "more"), exist_ok=True)
        for i in range(count):
            size = (6 + (i + k) % 3, 8 + i % 4, 3)
            pixels = local.integers(0, 256, size=size).astype("uint8")
            folder = os.path.join(root, label, "more") if i == 2 else os.path.join(root, label)
            ext = ("png", "PNG", "bmp")[i % 3]
            pil_image.fromarray(pixels).save(
                os.path.join(folder, f"img_{i}.{ext}"), format="BMP" if ext == "bmp" else "PNG"
            )
        with open(os.path.join(root, label, "readme.txt"), "w") as handle:
            handle.write("not an image")
    os.makedirs(os.path.join(root, ".hidden"), exist_ok=True)


DIRECTORY_CALLS = [
    {"shuffle": False, "batch_size": 5, "image_size": [4, 5]},
    {
        "shuffle": False,
        "batch_size": 4,
        "image_size": [3, 3],
        "label_mode": "categorical",
        "crop_to_aspect_ratio": True,
    },
    {
        "shuffle": False,
        "batch_size": None,
        "image_size": [5, 4],
        "label_mode": "binary",
        "labels": [1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1],
        "interpolation": "nearest",
        "color_mode": "rgba",
    },
    {
        "shuffle": False,
        "batch_size": 6,
        "image_size": [3, 3],
        "class_names": ["cats", "ants", "bees"],
    },
    {"seed": 7, "validation_split": 0.25, "subset": "training", "image_size": [4, 4]},
    {"seed": 7, "validation_split": 0.25, "subset": "validation", "image_size": [4, 4]},
    {"seed": 3, "validation_split": 0.4, "subset": "both", "image_size": [4, 4]},
    {"shuffle": False, "labels": None, "image_size": [2, 2]},
]


def _directory_cases(pil_image) -> list:
    import contextlib
    import os
    import tempfile

    import tf_keras  # Keras 2, the one tensorflux matches (tf.keras is Keras 3 in TF 2.21)

    cases = []
    with tempfile.TemporaryDirectory() as root:
        make_image_folder(root, pil_image)
        for kwargs in DIRECTORY_CALLS:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                result = tf_keras.utils.image_dataset_from_directory(root, **kwargs)
            datasets = result if isinstance(result, (list, tuple)) else [result]
            case = {"kwargs": kwargs, "printed": out.getvalue(), "datasets": []}
            for ds in datasets:
                names = ds.class_names
                entry = {
                    "class_names": None if names is None else list(names),
                    "file_paths": [os.path.relpath(p, root) for p in ds.file_paths],
                }
                if kwargs.get("shuffle", True) is not False:
                    entry["spec"] = str(ds.element_spec)
                else:
                    elements = list(ds.as_numpy_iterator())
                    entry["elements"] = [
                        [_as_entry(part) for part in (e if isinstance(e, tuple) else (e,))]
                        for e in elements
                    ]
                case["datasets"].append(entry)
            cases.append(case)
    return cases


def _as_entry(value) -> dict:
    array = np.asarray(value)
    if array.dtype.kind == "f":
        array = array.round(5)
    return {"out": array.ravel().tolist(), "dtype": array.dtype.name, "shape": list(array.shape)}


def main() -> None:
    import tensorflow as tf
    from PIL import Image

    decode = []
    for name, data, fn, kwargs, tolerance in _encode_files(Image):
        call = dict(kwargs)
        if "dtype" in call:
            call["dtype"] = getattr(tf, call["dtype"])
        result = getattr(tf.io, fn)(data, **call).numpy()
        public = {k: v for k, v in kwargs.items() if k != "dct_method"}
        decode.append(
            {
                "name": name,
                "bytes": base64.b64encode(data).decode("ascii"),
                "fn": fn,
                "kwargs": public,
                "tolerance": tolerance,
                **_as_entry(result),
            }
        )

    encode = []
    for quality in (95, 60):
        image = rng.integers(0, 256, size=(8, 8, 3)).astype("uint8")
        data = tf.io.encode_jpeg(image, quality=quality)
        decoded = tf.io.decode_jpeg(data, dct_method="INTEGER_ACCURATE").numpy()
        encode.append(
            {
                "quality": quality,
                "image": image.ravel().tolist(),
                "shape": list(image.shape),
                "decoded": decoded.ravel().tolist(),
            }
        )

    calls = []
    for fn, input_name, kwargs in _calls():
        call = dict(kwargs)
        if "dtype" in call:
            call["dtype"] = getattr(tf, call["dtype"])
        result = getattr(tf.image, fn)(tf.constant(INPUTS[input_name]), **call)
        results = result if isinstance(result, (tuple, list)) else [result]
        calls.append(
            {
                "fn": fn,
                "input": input_name,
                "kwargs": kwargs,
                "results": [_as_entry(r.numpy()) for r in results],
            }
        )

    inputs = {
        name: {"values": v.ravel().tolist(), "dtype": v.dtype.name, "shape": list(v.shape)}
        for name, v in INPUTS.items()
    }
    a, b = INPUTS["ssim_a"], INPUTS["ssim_b"]
    a8, b8 = INPUTS["ssim_a_u8"], INPUTS["ssim_b_u8"]
    metrics = {
        "psnr": tf.image.psnr(a, b, max_val=1.0).numpy().tolist(),
        "psnr_u8": tf.image.psnr(a8, b8, max_val=255).numpy().tolist(),
        "ssim": tf.image.ssim(a, b, max_val=1.0, filter_size=5).numpy().tolist(),
        "ssim_default": tf.image.ssim(a, b, max_val=1.0, filter_size=3, filter_sigma=0.8)
        .numpy()
        .tolist(),
        "ssim_u8": tf.image.ssim(a8, b8, max_val=255, filter_size=3).numpy().tolist(),
    }
    directory = _directory_cases(Image)
    FIXTURE.write_text(
        json.dumps(
            {
                "inputs": inputs,
                "decode": decode,
                "encode_jpeg": encode,
                "calls": calls,
                "metrics": metrics,
                "directory": directory,
            },
            separators=(",", ":"),
        )
    )
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
