"""The save/load example programs: a reloaded model predicts what the saved one did."""

from __future__ import annotations

import sys

import numpy as np

from tests.example_runner import EXAMPLES, load_example, run_example_script


def _load(name: str):
    # save_load_iris imports keras_iris, as the script does from its folder.
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    return load_example(name, module_name=name)


def test_h5_model_reloads_compiled_and_identical(tmp_path):
    example = _load("save_load_h5")
    model, reloaded, path = example.train_save_and_reload(str(tmp_path), epochs=2)
    x, y = example.make_data(50, seed=3)
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert type(reloaded.optimizer).__name__ == "SGD"
    assert int(reloaded.optimizer.iterations.numpy()) == 20  # 2 epochs of 10 batches
    np.testing.assert_allclose(
        reloaded.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-6
    )


def test_iris_model_and_weights_reload(tmp_path):
    example = _load("save_load_iris")
    trained, from_folder, from_zip, fresh, (x_test, y_test) = example.save_and_reload(
        str(tmp_path), epochs=1
    )
    assert (tmp_path / "IrisModel" / "saved_model.pb").is_file()
    expected = trained.predict(x_test, verbose=0)
    for reloaded in (from_folder, from_zip, fresh):
        np.testing.assert_array_equal(reloaded.predict(x_test, verbose=0), expected)
    for whole in (from_folder, from_zip):
        np.testing.assert_allclose(
            whole.evaluate(x_test, y_test, verbose=0),
            trained.evaluate(x_test, y_test, verbose=0),
            rtol=1e-6,
        )


def test_h5_script_runs():
    run_example_script("save_load_h5.py", "reloaded model predicts identically: True")


def _digit_like(n: int, seed: int):
    """784-pixel vectors whose class (0-9) is which band of pixels is bright."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    x = rng.random((n, 784), dtype=np.float32) * 0.3
    for k in range(10):
        x[labels == k, k * 78 : (k + 1) * 78] += 0.7
    return x, labels


def test_checkpoint_tutorial_flows(tmp_path):
    example = _load("keras_checkpoints")
    train, test = _digit_like(320, 0), _digit_like(200, 1)
    untrained, restored, files = example.checkpoint_every_epoch(
        train, test, str(tmp_path), epochs=2, verbose=0
    )
    assert files == ["checkpoint", "cp.ckpt.data-00000-of-00001", "cp.ckpt.index"]
    assert untrained < 0.5 < restored
    files, latest, accuracy = example.checkpoint_every_five_epochs(
        train, test, str(tmp_path), epochs=10
    )
    assert [f for f in files if f.endswith(".index")] == [
        "cp-0000.ckpt.index",
        "cp-0005.ckpt.index",
        "cp-0010.ckpt.index",
    ]
    assert latest == str(tmp_path / "training_2" / "cp-0010.ckpt")
    assert accuracy > 0.9
    before, after, accuracy = example.whole_model(train, test, str(tmp_path), epochs=2)
    np.testing.assert_array_equal(after, before)
    assert accuracy > 0.9
    model = example.create_model()
    model.fit(*train, epochs=2, verbose=0)
    assert (
        example.weights_by_hand(model, test, str(tmp_path)) == model.evaluate(*test, verbose=0)[1]
    )
