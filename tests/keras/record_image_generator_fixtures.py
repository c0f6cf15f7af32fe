"""Records Keras 2's ImageDataGenerator bookkeeping into
``tests/keras/fixtures/image_generator.json``: seeded parameter draws, the order of
seeded ``flow`` batches, ``flow_from_directory``'s listing and messages (on the folder
``tests/ops/record_image_fixtures.make_image_folder`` makes) and ``fit``'s statistics.
(The affine resampling itself needs SciPy, which the recording venv lacks.)

    /path/to/tf-venv/bin/python tests/keras/record_image_generator_fixtures.py
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from tests.ops.record_image_fixtures import make_image_folder  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "image_generator.json"
GENERATOR = {
    "rotation_range": 20,
    "width_shift_range": 0.1,
    "height_shift_range": [2, 3],
    "shear_range": 5.0,
    "zoom_range": 0.2,
    "horizontal_flip": True,
    "vertical_flip": True,
    "channel_shift_range": 10.0,
    "brightness_range": [0.5, 1.5],
}
AFFINE = [
    {"theta": 25},
    {"tx": 1.5, "ty": -2.25},
    {"shear": 12},
    {"zx": 0.8, "zy": 1.3},
    {"theta": -40, "zx": 1.2, "zy": 1.2, "fill_mode": "constant", "cval": 0.5},
    {"theta": 15, "fill_mode": "reflect"},
    {"theta": 33, "order": 0},
]
FIT_DATA = np.random.default_rng(4).uniform(0, 255, size=(6, 4, 5, 3)).round(2)


def main() -> None:
    from PIL import Image
    from tf_keras.preprocessing.image import ImageDataGenerator

    params = [
        ImageDataGenerator(**GENERATOR).get_random_transform((8, 10, 3), seed=s) for s in (1, 2)
    ]
    params = [{k: (None if v is None else float(v)) for k, v in p.items()} for p in params]

    y = np.arange(10)
    flow = ImageDataGenerator().flow(np.zeros((10, 2, 2, 1)), y, batch_size=4, seed=3)
    orders = [next(flow)[1].tolist() for _ in range(4)]
    split = ImageDataGenerator(validation_split=0.3)
    subsets = {
        s: next(
            split.flow(
                np.zeros((10, 2, 2, 1)),
                y,
                batch_size=10,
                shuffle=False,
                subset=s,
                ignore_class_split=True,
            )
        )[1].tolist()
        for s in ("training", "validation")
    }

    gen = ImageDataGenerator(
        featurewise_center=True, featurewise_std_normalization=True, rescale=1 / 255
    )
    gen.fit(FIT_DATA)
    standardized = gen.standardize(np.array(FIT_DATA[0])).round(5)

    directory = []
    with tempfile.TemporaryDirectory() as root:
        make_image_folder(root, Image)
        for kwargs in (
            {"target_size": (4, 5), "class_mode": "sparse", "shuffle": False},
            {"target_size": (3, 3), "subset": "validation", "shuffle": False},
            {
                "target_size": (3, 3),
                "subset": "training",
                "seed": 5,
                "classes": ["cats", "ants"],
                "class_mode": "binary",
                "batch_size": 3,
            },
        ):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                it = ImageDataGenerator(validation_split=0.34).flow_from_directory(root, **kwargs)
                batch = next(it)
            directory.append(
                {
                    "kwargs": {
                        k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()
                    },
                    "printed": out.getvalue(),
                    "filenames": list(it.filenames),
                    "classes": it.classes.tolist(),
                    "class_indices": it.class_indices,
                    "len": len(it),
                    "labels": np.asarray(batch[1]).tolist(),
                    "x_shape": list(batch[0].shape),
                    "first_pixels": batch[0][0].ravel()[:12].round(3).tolist(),
                }
            )
    from tf_keras.preprocessing.image import apply_affine_transform

    image = np.random.default_rng(8).uniform(size=(9, 11, 2)).round(3)
    affine = []
    for kwargs in AFFINE:
        out = apply_affine_transform(image, row_axis=0, col_axis=1, channel_axis=2, **kwargs)
        affine.append({"kwargs": kwargs, "out": out.round(5).ravel().tolist()})
    FIXTURE.write_text(
        json.dumps(
            {
                "affine_image": image.tolist(),
                "affine": affine,
                "generator": GENERATOR,
                "params": params,
                "flow_orders": orders,
                "subsets": subsets,
                "fit_data": FIT_DATA.tolist(),
                "mean": gen.mean.ravel().tolist(),
                "std": gen.std.ravel().tolist(),
                "standardized": standardized.ravel().tolist(),
                "directory": directory,
            }
        )
    )
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
