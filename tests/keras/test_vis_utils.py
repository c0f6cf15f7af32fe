"""tf.keras.utils.plot_model / model_to_dot: the missing-dependency paths (pydot and
Graphviz are optional), and the dot graph built (with pydot when it is installed)."""

import builtins
import json
import os
import sys

import pytest

import tensorflux as tf
from tensorflux.keras.utils import vis_utils

sys.path.insert(0, os.path.dirname(__file__))
import fake_pydot  # noqa: E402
from vis_models import CASES, build  # noqa: E402

with open(os.path.join(os.path.dirname(__file__), "fixtures", "vis_utils.json")) as _f:
    FIXTURE = json.load(_f)

_INSTALL = (
    "You must install pydot (`pip install pydot`) and install graphviz (see "
    "instructions at https://graphviz.gitlab.io/download/) for plot_model to work."
)


@pytest.fixture
def no_pydot(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name in ("pydot", "pydot_ng", "pydotplus"):
            raise ImportError(f"No module named '{name}'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def _model():
    tf.keras.backend.clear_session()
    inputs = tf.keras.Input((8,), name="features")
    hidden = tf.keras.layers.Dense(4, activation="relu", name="hidden")(inputs)
    skip = tf.keras.layers.Dense(4, name="skip")(inputs)
    merged = tf.keras.layers.Add(name="merge")([hidden, skip])
    return tf.keras.Model(inputs, tf.keras.layers.Dense(1, name="out")(merged))


def test_plot_model_without_pydot_raises_keras_message(no_pydot, tmp_path):
    with pytest.raises(ImportError) as info:
        tf.keras.utils.plot_model(_model(), to_file=str(tmp_path / "m.png"))
    assert str(info.value) == _INSTALL
    assert not (tmp_path / "m.png").exists()


def test_plot_model_in_ipython_prints_the_message_and_returns(no_pydot, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "IPython.core.magics.namespace", object())
    assert tf.keras.utils.plot_model(_model()) is None
    assert capsys.readouterr().out == _INSTALL + "\n"


def test_model_to_dot_without_pydot(no_pydot):
    with pytest.raises(
        ImportError, match=r"install pydot \(`pip install pydot`\) for model_to_dot"
    ):
        tf.keras.utils.model_to_dot(_model())


def test_unbuilt_models_are_refused():
    model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="This model has not yet been built"):
        tf.keras.utils.plot_model(model)


@pytest.fixture
def recording_pydot(monkeypatch):
    monkeypatch.setattr(vis_utils, "_pydot", lambda: fake_pydot)


@pytest.mark.parametrize("case", sorted(CASES))
def test_model_to_dot_matches_tf_keras(case, recording_pydot):
    tf.keras.backend.clear_session()
    model = build(tf.keras, case)
    names = {str(id(layer)): layer.name for layer in model.layers}
    dot = tf.keras.utils.model_to_dot(model, **CASES[case])
    assert fake_pydot.describe(dot, names) == FIXTURE[case]


def test_layer_range_errors_and_subclassed_models(recording_pydot):
    model = _model()
    with pytest.raises(ValueError, match="do not match the layer names"):
        tf.keras.utils.model_to_dot(model, layer_range=["nope", "merge"])
    with pytest.raises(ValueError, match="layer_range must be of shape"):
        tf.keras.utils.model_to_dot(model, layer_range=["merge"])

    class Small(tf.keras.Model):
        def __init__(self):
            super().__init__(name="small")
            self.dense = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    small = Small()
    small(tf.ones((1, 2)))
    (node,) = tf.keras.utils.model_to_dot(small).nodes
    assert node.label == "small"


def test_real_pydot_writes_the_graph():
    pydot = pytest.importorskip("pydot", reason="pydot is an optional extra (tensorflux[plot])")
    dot = tf.keras.utils.model_to_dot(_model(), show_shapes=True)
    assert isinstance(dot, pydot.Dot)
    text = dot.to_string()
    assert "hidden|Dense" in text and "->" in text


def test_input_layer_input_shape_is_its_output_shape():
    inputs = tf.keras.Input((8,), name="features")
    layer = inputs._keras_history[0]
    assert layer.input_shape == layer.output_shape == [(None, 8)]
