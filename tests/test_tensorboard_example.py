"""``examples/keras_tensorboard.py`` trains and leaves the TensorBoard runs it describes."""

from __future__ import annotations

import re

from tests.example_runner import load_example
from tests.summary.event_reader import tags


def test_tensorboard_example_logs_runs(tmp_path):
    example = load_example("keras_tensorboard")
    model, history = example.train(str(tmp_path), n_train=256, n_val=64, epochs=3, verbose=0)
    assert history.history["val_accuracy"][-1] >= 0.9
    train = tags(str(tmp_path / "train"))
    assert train["epoch_loss"]["steps"] == [0, 1, 2]
    # "conv2d" in a fresh process; other tests' layers may have taken that name first.
    (kernel,) = [t for t in train if re.fullmatch(r"conv2d(_\d+)?/kernel_0/histogram", t)]
    assert train[kernel]["plugin"] == "histograms" and train[kernel]["steps"] == [0, 1, 2]
    assert train["keras"]["plugin"] == "graph_keras_model"
    validation = tags(str(tmp_path / "validation"))
    assert validation["evaluation_accuracy_vs_iterations"]["steps"] == [8, 16, 24]
    inputs = tags(str(tmp_path / "inputs"))
    assert inputs["training examples"]["plugin"] == "images"
    assert inputs["training examples"]["shape"] == [6]
