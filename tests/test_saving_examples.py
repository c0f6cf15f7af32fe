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
    np.testing.assert_allclose(reloaded.evaluate(x, y, verbose=0),
                               model.evaluate(x, y, verbose=0), rtol=1e-6)


def test_iris_model_and_weights_reload(tmp_path):
    example = _load("save_load_iris")
    trained, whole, fresh, (x_test, y_test) = example.save_and_reload(str(tmp_path), epochs=1)
    expected = trained.predict(x_test, verbose=0)
    np.testing.assert_array_equal(whole.predict(x_test, verbose=0), expected)
    np.testing.assert_array_equal(fresh.predict(x_test, verbose=0), expected)
    assert whole.loss.__name__ == "sparse_categorical_crossentropy"


def test_h5_script_runs():
    run_example_script("save_load_h5.py", "reloaded model predicts identically: True")
