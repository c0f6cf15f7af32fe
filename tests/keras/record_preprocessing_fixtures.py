"""Records Keras 2 (``tf_keras``) image preprocessing layers into
``tests/keras/fixtures/preprocessing_layers.json``.

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    /path/to/tf-venv/bin/python tests/keras/record_preprocessing_fixtures.py

Tables: ``configs`` (get_config without the name), ``outputs`` (deterministic calls:
Rescaling, Resizing, CenterCrop, RandomCrop at inference), ``transforms`` (Keras'
projective transform for fixed rotation, zoom and translation parameters under every
fill mode and interpolation) and ``errors`` (constructor errors: type and message).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "preprocessing_layers.json"

rng = np.random.default_rng(21)
INPUTS = {
    "u8": rng.integers(0, 256, size=(2, 5, 6, 3)).astype("uint8"),
    "f32": rng.uniform(size=(2, 6, 5, 2)).round(4).astype("float32"),
    "small": rng.uniform(size=(1, 3, 4, 1)).round(4).astype("float32"),
    "single": rng.uniform(size=(7, 4, 3)).round(4).astype("float32"),
}

CONFIGS = [
    ("Rescaling", {"scale": 1 / 255}),
    ("Rescaling", {"scale": 2.0, "offset": -1}),
    ("Resizing", {"height": 4, "width": 5}),
    (
        "Resizing",
        {"height": 4, "width": 5, "interpolation": "nearest", "crop_to_aspect_ratio": True},
    ),
    ("CenterCrop", {"height": 3, "width": 4}),
    ("RandomCrop", {"height": 3, "width": 4, "seed": 1}),
    ("RandomFlip", {}),
    ("RandomFlip", {"mode": "horizontal", "seed": 3}),
    ("RandomRotation", {"factor": 0.2}),
    (
        "RandomRotation",
        {
            "factor": [-0.1, 0.3],
            "fill_mode": "constant",
            "interpolation": "nearest",
            "seed": 2,
            "fill_value": 1.0,
        },
    ),
    ("RandomZoom", {"height_factor": 0.2}),
    ("RandomZoom", {"height_factor": [-0.3, 0.2], "width_factor": [0.1, 0.4]}),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.2}),
    ("RandomContrast", {"factor": 0.3}),
    ("RandomContrast", {"factor": [0.1, 0.5]}),
    ("RandomBrightness", {"factor": 0.2}),
    ("RandomBrightness", {"factor": [-0.1, 0.3], "value_range": [0, 1]}),
    ("RandomHeight", {"factor": 0.2}),
    ("RandomWidth", {"factor": [0.1, 0.3], "interpolation": "nearest"}),
]

OUTPUTS = [
    ("Rescaling", {"scale": 1 / 255}, "u8"),
    ("Rescaling", {"scale": 1 / 127.5, "offset": -1}, "f32"),
    ("Resizing", {"height": 3, "width": 8}, "u8"),
    ("Resizing", {"height": 4, "width": 3, "interpolation": "nearest"}, "f32"),
    ("Resizing", {"height": 7, "width": 7, "interpolation": "bicubic"}, "f32"),
    ("Resizing", {"height": 2, "width": 3, "interpolation": "area"}, "u8"),
    ("Resizing", {"height": 4, "width": 4, "crop_to_aspect_ratio": True}, "u8"),
    ("Resizing", {"height": 3, "width": 3, "crop_to_aspect_ratio": True}, "single"),
    ("CenterCrop", {"height": 3, "width": 4}, "u8"),
    ("CenterCrop", {"height": 4, "width": 3}, "single"),
    ("CenterCrop", {"height": 8, "width": 4}, "f32"),
    ("RandomCrop", {"height": 3, "width": 2}, "f32"),
    ("RandomCrop", {"height": 9, "width": 9}, "small"),
]

ANGLES = [0.3, -1.2]
ZOOMS = [[0.7, 1.3], [1.2, 0.8]]
SHIFTS = [[1.5, -2.2], [-0.6, 0.4]]

ERRORS = [
    ("RandomFlip", {"mode": "diag"}),
    ("RandomRotation", {"factor": 0.2, "fill_mode": "mirror"}),
    ("RandomRotation", {"factor": 0.2, "interpolation": "bicubic"}),
    ("RandomRotation", {"factor": [0.3, 0.1]}),
    ("RandomZoom", {"height_factor": -1.5}),
    ("RandomZoom", {"height_factor": 0.1, "width_factor": 1.2}),
    ("RandomTranslation", {"height_factor": 1.5, "width_factor": 0.1}),
    ("RandomTranslation", {"height_factor": [0.3, 0.1], "width_factor": 0.1}),
    ("RandomContrast", {"factor": 1.5}),
    ("RandomContrast", {"factor": -0.1}),
    ("RandomBrightness", {"factor": 1.5}),
    ("RandomBrightness", {"factor": [0.1]}),
    ("RandomBrightness", {"factor": 0.1, "value_range": [1]}),
    ("RandomHeight", {"factor": -1.5}),
    ("RandomWidth", {"factor": [0.5, 0.1]}),
    ("RandomHeight", {"factor": 0.1, "interpolation": "cubic"}),
    ("Resizing", {"height": 2, "width": 2, "interpolation": "cubic"}),
]


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ListWrapper":
        return [_plain(v) for v in value]
    return value


def _entry(array) -> dict:
    array = np.asarray(array)
    return {
        "out": array.round(5).ravel().tolist(),
        "dtype": array.dtype.name,
        "shape": list(array.shape),
    }


def main() -> None:
    import tensorflow as tf
    import tf_keras
    from tf_keras.src.layers.preprocessing import image_preprocessing as ip

    layers = tf_keras.layers
    configs = []
    for name, kwargs in CONFIGS:
        config = getattr(layers, name)(**kwargs).get_config()
        config.pop("name")
        configs.append({"class": name, "kwargs": kwargs, "config": _plain(config)})

    outputs = []
    for name, kwargs, input_name in OUTPUTS:
        out = getattr(layers, name)(**kwargs)(INPUTS[input_name], training=False)
        outputs.append(
            {"class": name, "kwargs": kwargs, "input": input_name, **_entry(out.numpy())}
        )

    images = tf.constant(INPUTS["f32"])
    height, width = INPUTS["f32"].shape[1:3]
    matrices = {
        "rotation": ip.get_rotation_matrix(tf.constant(ANGLES), height, width),
        "zoom": ip.get_zoom_matrix(tf.constant(ZOOMS), height, width),
        "translation": ip.get_translation_matrix(tf.constant(SHIFTS)),
    }
    transforms = []
    for kind, matrix in matrices.items():
        for fill_mode in ("reflect", "wrap", "constant", "nearest"):
            for interpolation in ("bilinear", "nearest"):
                out = ip.transform(
                    images, matrix, fill_mode=fill_mode, fill_value=0.5, interpolation=interpolation
                )
                transforms.append(
                    {
                        "kind": kind,
                        "fill_mode": fill_mode,
                        "interpolation": interpolation,
                        "matrix": matrix.numpy().round(6).tolist(),
                        **_entry(out.numpy()),
                    }
                )

    errors = []
    for name, kwargs in ERRORS:
        try:
            getattr(layers, name)(**kwargs)
            raise AssertionError(f"{name}({kwargs}) did not fail")
        except (ValueError, NotImplementedError) as exc:
            errors.append(
                {"class": name, "kwargs": kwargs, "type": type(exc).__name__, "message": str(exc)}
            )

    inputs = {
        k: {"values": v.ravel().tolist(), "dtype": v.dtype.name, "shape": list(v.shape)}
        for k, v in INPUTS.items()
    }
    FIXTURE.write_text(
        json.dumps(
            {
                "inputs": inputs,
                "configs": configs,
                "outputs": outputs,
                "angles": ANGLES,
                "zooms": ZOOMS,
                "shifts": SHIFTS,
                "transforms": transforms,
                "errors": errors,
            },
            separators=(",", ":"),
        )
    )
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
