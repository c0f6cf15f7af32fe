"""``examples/keras_multi_output.py``: both outputs learn, and ``plot_model``'s graph
(with a pydot stand-in: pydot is an optional extra) shows the two branches."""

from __future__ import annotations

import os
import sys

from tensorflux.keras.utils import vis_utils
from tests.example_runner import load_example

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "keras"))
import fake_pydot  # noqa: E402


def test_both_outputs_learn():
    example = load_example("keras_multi_output")
    model, history, (rmse1, rmse2) = example.train(n_train=300, n_test=100, epochs=15)
    assert model.output_names == ["y1_output", "y2_output"]
    for name in ("y1_output_loss", "y2_output_loss"):
        assert history.history[name][-1] < 0.3 * history.history[name][0]
    assert rmse1 < 1.0 and rmse2 < 1.0


def test_model_graph_has_both_branches(monkeypatch):
    example = load_example("keras_multi_output")
    monkeypatch.setattr(vis_utils, "_pydot", lambda: fake_pydot)
    model = example.build_model()
    dot = vis_utils.model_to_dot(model, show_shapes=True, show_layer_names=True)
    ids = {str(id(layer)): layer.name for layer in model.layers}
    edges = {(ids[e.src], ids[e.dst]) for e in dot.edges}
    shared = model.layers[2].name
    assert (shared, "y1_output") in edges
    assert (shared, model.layers[3].name) in edges and (model.layers[3].name, "y2_output") in edges
    assert len(dot.nodes) == len(model.layers)


def test_missing_pydot_prints_keras_message(monkeypatch, capsys, tmp_path):
    example = load_example("keras_multi_output")

    def missing():
        raise ImportError("You must install pydot (`pip install pydot`) ...")

    monkeypatch.setattr(vis_utils, "check_pydot", lambda: False)
    monkeypatch.setattr(vis_utils, "_pydot", missing)
    assert example.draw(example.build_model(), str(tmp_path / "m.png")) is False
    assert "pydot" in capsys.readouterr().out
