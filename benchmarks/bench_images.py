"""Image pipelines, tensorflux side by side with TensorFlow / tf_keras in one run.

Cases (each the best of ``--repeat`` full passes, wall time; the libraries take turns
pass by pass, so that a shared machine's slow spells fall on both alike):
  * ``from_directory``: 2,000 generated JPEGs (96x128, two classes) read, decoded and
    resized to 64x64 in batches of 32 by ``image_dataset_from_directory`` (the folder
    is written once, before timing; the dataset is built before timing too).
  * ``flip_rotate_28``: ``RandomFlip`` + ``RandomRotation(0.1)`` (training mode) over
    10,000 28x28x1 float32 images in batches of 256, through ``Dataset.map``.
  * ``flip_rotate_224``: the same over 1,000 224x224x3 images in batches of 32
    (``--no-large`` skips it).

Run from the repository root with an interpreter that has TensorFlow and tf_keras
(tensorflux comes from the checkout)::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_images.py

Without TensorFlow only tensorflux's column is printed. The ratio is TensorFlow's time
over tensorflux's (above 1: tensorflux is faster). Timings are never asserted in the
test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import numpy as np
from bench_conv import alternating_best_ms


def make_jpeg_folder(root: str, count: int, shape=(96, 128)) -> None:
    from PIL import Image

    rng = np.random.default_rng(0)
    base = rng.integers(0, 256, size=(8, *shape, 3)).astype(np.uint8)
    for i in range(count):
        folder = os.path.join(root, ("a", "b")[i % 2])
        os.makedirs(folder, exist_ok=True)
        pixels = np.roll(base[i % 8], i % 17, axis=1)
        Image.fromarray(pixels).save(os.path.join(folder, f"{i:05d}.jpg"), quality=90)


def _drain(dataset) -> None:
    for _ in dataset:
        pass


def from_directory_case(keras, root: str):
    dataset = keras.utils.image_dataset_from_directory(
        root, image_size=(64, 64), batch_size=32, shuffle=False
    )
    return lambda: _drain(dataset)


def flip_rotate_case(tf, keras, images: np.ndarray, batch: int):
    augment = keras.Sequential(
        [keras.layers.RandomFlip("horizontal", seed=1), keras.layers.RandomRotation(0.1, seed=2)]
    )
    dataset = (
        tf.data.Dataset.from_tensor_slices(images)
        .batch(batch)
        .map(lambda x: augment(x, training=True))
    )
    return lambda: _drain(dataset)


def _libraries():
    import tensorflux

    libraries = {"tensorflux": (tensorflux, tensorflux.keras)}
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
        import tf_keras

        libraries["TensorFlow"] = (tf, tf_keras)
    except ImportError:
        pass
    return libraries


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-large", action="store_true", help="skip the 224x224 case")
    args = parser.parse_args(argv)
    libraries = _libraries()
    rng = np.random.default_rng(1)
    small = rng.uniform(size=(10_000, 28, 28, 1)).astype(np.float32)
    large = None if args.no_large else rng.uniform(size=(1000, 224, 224, 3)).astype(np.float32)
    times: dict = {}
    with tempfile.TemporaryDirectory() as root:
        make_jpeg_folder(root, 2000)
        cases: dict = {}
        for name, (tf, keras) in libraries.items():
            cases.setdefault("from_directory", {})[name] = from_directory_case(keras, root)
            cases.setdefault("flip_rotate_28", {})[name] = flip_rotate_case(tf, keras, small, 256)
            if large is not None:
                cases.setdefault("flip_rotate_224", {})[name] = flip_rotate_case(
                    tf, keras, large, 32
                )
        for case, passes in cases.items():
            for name, ms in alternating_best_ms(passes, args.repeat).items():
                times.setdefault(name, {})[case] = ms / 1e3
    print(f"{os.cpu_count()} CPUs; seconds per full pass (best of {args.repeat}, the libraries")
    print("taking turns pass by pass, after a warm-up pass each)")
    print(f"{'case':18s} {'tensorflux':>11s} {'TensorFlow':>11s} {'TF / tfx':>9s}")
    for case, ours in times["tensorflux"].items():
        theirs = times.get("TensorFlow", {}).get(case)
        ratio = f"{theirs / ours:8.2f}x" if theirs else "        -"
        print(f"{case:18s} {ours:11.3f} {theirs if theirs else float('nan'):11.3f} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
