"""The image example programs run on tiny generated folders."""

from __future__ import annotations

import os

import numpy as np

from tests.example_runner import load_example


def test_images_from_directory_example_trains(tmp_path, capsys):
    example = load_example("keras_images_from_directory")
    root = example.make_folder(str(tmp_path), per_class=5, seed=1)
    assert sorted(os.listdir(root)) == ["cross", "disc", "square"]
    assert sorted(os.listdir(os.path.join(root, "disc")))[:2] == ["disc_000.png", "disc_001.jpg"]
    train_ds, val_ds, class_names = example.load(root, batch_size=4)
    assert class_names == ["cross", "disc", "square"]
    assert "Found 15 files belonging to 3 classes." in capsys.readouterr().out
    images, labels = next(iter(train_ds))
    assert images.shape == (4, 32, 32, 3) and labels.shape == (4,)
    assert 0.0 <= float(images.numpy().min()) and float(images.numpy().max()) <= 255.0
    model, history, accuracy = example.train(root, epochs=1, verbose=0)
    assert [type(layer).__name__ for layer in model.layers][:2] == ["Rescaling", "Sequential"]
    assert np.isfinite(history.history["loss"][0]) and 0.0 <= accuracy <= 1.0


def test_image_generator_example_trains(tmp_path, capsys):
    example = load_example("keras_image_generator")
    maker = load_example("keras_images_from_directory")
    root = maker.make_folder(str(tmp_path), per_class=5, seed=2)
    train_it, val_it = example.iterators(root, batch_size=4)
    printed = capsys.readouterr().out
    assert "Found 12 images belonging to 3 classes." in printed
    assert "Found 3 images belonging to 3 classes." in printed
    assert train_it.class_indices == {"cross": 0, "disc": 1, "square": 2}
    x, y = next(train_it)
    assert x.shape == (4, 32, 32, 3) and y.shape == (4, 3)
    assert 0.0 <= x.min() and x.max() <= 1.0
    model, history, accuracy = example.train(root, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0]) and 0.0 <= accuracy <= 1.0
