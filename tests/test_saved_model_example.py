"""The SavedModel serving example trains, exports, reloads and serves."""

from __future__ import annotations

import numpy as np

from tests.example_runner import load_example, run_example_script


def test_served_predictions(tmp_path):
    example = load_example("saved_model_serving")
    model = example.train()
    outputs = example.export_and_serve(model, str(tmp_path / "regression"))
    assert list(outputs) == ["y"]
    np.testing.assert_allclose(outputs["y"].numpy().ravel(), [29.0, 0.5], atol=0.1)
    np.testing.assert_allclose(
        outputs["y"].numpy(), model.predict(np.array([[10.0], [0.5]]), verbose=0), rtol=1e-6
    )


def test_runs_as_a_program():
    run_example_script("saved_model_serving.py", "signature outputs: ['y']")
