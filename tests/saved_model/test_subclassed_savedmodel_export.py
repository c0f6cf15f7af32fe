"""SavedModels of subclassed Keras models and of models holding custom layers, as
tf-keras' ``load_model`` reads them: it revives what it cannot rebuild from config from
the ``keras_api.call_and_return_conditional_losses`` functions we save.

What tf-keras 2.21 made of our SavedModels is recorded in
``fixtures/savedmodels/tf_keras_calls_ours.json`` by
``record_subclassed_savedmodel_fixtures.py`` (the tests never import TensorFlow); here
the same models are rebuilt, saved, and their object graphs checked for what it reads.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.keras.saving import saved_model_metadata
from tensorflux.saved_model import directory
from tensorflux.saved_model.object_graph_def import FUNCTION, decode_object_graph
from tests.saved_model.subclassed_models import (
    build_models,
    call_inputs,
    inputs,
    model_inputs,
    targets,
)

FIXTURE = (
    pathlib.Path(__file__).parents[1] / "fixtures" / "savedmodels" / "tf_keras_calls_ours.json"
)
RECORDED = json.loads(FIXTURE.read_text())
NAMES = sorted(RECORDED["models"])
# The classes tf-keras does not know, which it revives from the saved functions.
CUSTOM = {"TwoDense", "WithCustomLayer", "Affine", "TrainingArg", "Block", "TwoInputs"}
REVIVED_CLASS = {
    "subclassed": "TwoDense",
    "subclassed_custom_layer": "WithCustomLayer",
    "functional_custom_layer": "Functional",
    "subclassed_training_arg": "TrainingArg",
    "subclassed_two_inputs": "TwoInputs",
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """``{name: (model, directory)}`` and the custom classes."""
    root = tmp_path_factory.mktemp("subclassed")
    models, classes = build_models(tf)
    out = {}
    for name, model in models.items():
        model.save(str(root / name))
        out[name] = (model, root / name)
    return out, classes


def test_fixture_inputs_are_the_models_inputs():
    np.testing.assert_array_equal(np.asarray(RECORDED["inputs"], "float32"), inputs())
    np.testing.assert_array_equal(np.asarray(RECORDED["targets"], "float32"), targets())
    np.testing.assert_array_equal(
        np.asarray(RECORDED["extra_inputs"], "float32"),
        model_inputs("subclassed_two_inputs")[1],
    )
    assert NAMES == sorted(REVIVED_CLASS)


@pytest.mark.parametrize("name", NAMES)
def test_tf_keras_loads_and_calls_ours(name):
    ours, theirs = RECORDED["models"][name]["ours"], RECORDED["models"][name]["tf_keras"]
    assert theirs["ok"], theirs.get("error")
    assert theirs["class_name"] == REVIVED_CLASS[name]
    assert theirs["trainable_weight_shapes"] == ours["trainable_weight_shapes"]
    for key in ("predict", "call", "signature"):
        np.testing.assert_allclose(theirs[key], ours["predict"], rtol=1e-5, atol=1e-5)
    # [loss, mae]; the loss includes what the custom layer's add_loss returned.
    np.testing.assert_allclose(theirs["evaluate"], ours["evaluate"], rtol=1e-5)


def test_subclassed_models_are_revived_as_their_own_class():
    for name in NAMES:
        if name.startswith("functional"):
            continue
        revived = RECORDED["models"][name]["tf_keras"]["type"]
        assert revived.endswith(f"saved_model.load.{REVIVED_CLASS[name]}"), revived


def test_tf_keras_calls_ours_in_training_mode():
    # tf-keras passes training=True to the revived call: the training-mode trace runs.
    recorded = RECORDED["models"]["subclassed_training_arg"]
    ours, theirs = recorded["ours"], recorded["tf_keras"]
    np.testing.assert_allclose(theirs["call_training"], ours["call_training"], atol=1e-5)
    assert not np.allclose(ours["call_training"], ours["predict"])


@pytest.mark.parametrize("name", NAMES)
def test_rebuilt_models_predict_as_recorded(saved, name):
    model, _ = saved[0][name]
    recorded = RECORDED["models"][name]["ours"]
    np.testing.assert_allclose(
        model.predict(model_inputs(name), verbose=0), recorded["predict"], atol=1e-5
    )
    np.testing.assert_allclose(
        model(call_inputs(name), training=True).numpy(), recorded["call_training"], atol=1e-5
    )


def _graph(path):
    meta = directory.read_saved_model(str(path))["meta_graphs"][0]
    nodes, functions = decode_object_graph(meta["object_graph"])
    records = saved_model_metadata.decode_metadata((path / "keras_metadata.pb").read_bytes())
    return nodes, functions, records, meta


@pytest.mark.parametrize("name", NAMES)
def test_custom_objects_carry_their_call_functions(saved, name):
    _, path = saved[0][name]
    nodes, functions, records, _ = _graph(path)
    custom = []
    for record in records:
        meta = json.loads(record["metadata"])
        if record["identifier"] == "_tf_keras_metric":
            continue
        children = dict(nodes[record["node_id"]].children)
        if meta["class_name"] not in CUSTOM:
            # Built-in layers are rebuilt from their config: no functions saved for them.
            assert "call_and_return_all_conditional_losses" not in children
            if "keras_api" in children:
                keras_api = dict(nodes[children["keras_api"]].children)
                assert "call_and_return_conditional_losses" not in keras_api
            continue
        custom.append(meta["class_name"])
        keras_api = dict(nodes[children["keras_api"]].children)
        fn_id = keras_api["call_and_return_conditional_losses"]
        assert children["call_and_return_all_conditional_losses"] == fn_id
        fn = nodes[fn_id]
        assert fn.kind == FUNCTION and fn.input_signature is None
        takes_training = meta["expects_training_arg"]
        # Traced in inference mode (and in training mode where its ops can be saved).
        assert 1 <= len(fn.concrete_functions) <= (2 if takes_training else 1)
        for i, concrete in enumerate(fn.concrete_functions):
            _, (args, kwargs), outputs = functions[concrete]
            # Several inputs as a tuple, as tf-keras' fit and predict pass them.
            specs = args[0] if isinstance(args[0], tuple) else (args[0],)
            assert kwargs == {} and all(isinstance(x, TensorSpec) for x in specs)
            assert all(x.shape.as_list()[0] is None for x in specs)
            assert args[1:] == ((bool(i),) if takes_training else ())
            # (outputs, the losses the call added)
            assert isinstance(outputs, tuple) and len(outputs) == 2
            assert isinstance(outputs[1], list)
    expected = {
        "subclassed": ["TwoDense"],
        "subclassed_custom_layer": ["WithCustomLayer", "Affine"],
        "functional_custom_layer": ["Affine"],
        "subclassed_training_arg": ["TrainingArg", "Block"],
        "subclassed_two_inputs": ["TwoInputs", "Affine"],
    }[name]
    assert sorted(custom) == sorted(expected)


def test_custom_layer_returns_its_added_loss(saved):
    _, path = saved[0]["subclassed_custom_layer"]
    nodes, functions, records, _ = _graph(path)
    affine = next(r for r in records if json.loads(r["metadata"])["class_name"] == "Affine")
    keras_api = dict(nodes[dict(nodes[affine["node_id"]].children)["keras_api"]].children)
    (concrete,) = nodes[keras_api["call_and_return_conditional_losses"]].concrete_functions
    outputs, losses = functions[concrete][2]
    assert outputs.shape.as_list() == [None, 3] and len(losses) == 1


def test_subclassed_model_layers_are_recorded_at_their_attribute_paths(saved):
    _, path = saved[0]["subclassed"]
    nodes, _, records, _ = _graph(path)
    by_path = {r["node_path"]: r for r in records}
    assert by_path["root"]["identifier"] == "_tf_keras_model"
    for attr in ("hidden", "out"):
        node = nodes[by_path[f"root.{attr}"]["node_id"]]
        assert {"kernel", "bias"} <= set(dict(node.children))
    # tf-keras lists a subclassed model's layers by attribute only.
    assert not any(name.startswith("layer-") for name, _ in nodes[0].children)


def test_none_attrs_are_not_written_as_empty_attr_values(saved):
    # The custom layer's reduce_mean has axis=None: TF cannot instantiate a FunctionDef
    # holding an AttrValue without a value.
    _, path = saved[0]["subclassed_custom_layer"]
    graph_def = _graph(path)[3]["graph_def"]
    nones = []
    for fdef in graph_def.message(2).messages(1):
        for node in fdef.messages(3):
            attrs = {a.string(1): a.bytes(2) for a in node.messages(5)}
            assert all(attrs.values()), (node.string(1), attrs)
            if node.string(2) == "Mean" and "_tfx_axis" not in attrs:
                nones.append(attrs["_none_attrs"])
    assert nones and all(b"_tfx_axis" in n for n in nones)


@pytest.mark.parametrize("name", NAMES)
def test_our_load_model_gives_the_same_predictions(saved, name):
    (model, path), classes = saved[0][name], saved[1]
    loaded = tf.keras.models.load_model(str(path), custom_objects=classes)
    x = model_inputs(name)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [w.shape for w in loaded.trainable_weights] == [w.shape for w in model.trainable_weights]


@pytest.mark.parametrize("name", NAMES)
def test_our_saved_model_load_serves_the_signature(saved, name):
    model, path = saved[0][name]
    serve = tf.saved_model.load(str(path)).signatures["serving_default"]
    x = model_inputs(name)
    keys = {
        "functional_custom_layer": ["features"],
        "subclassed_two_inputs": ["input_1", "input_2"],
    }
    feeds = dict(zip(keys.get(name, ["input_1"]), tf.nest.flatten(x)))
    (output,) = serve(**{k: tf.constant(v) for k, v in feeds.items()}).values()
    np.testing.assert_allclose(output.numpy(), model.predict(x, verbose=0), atol=1e-6)


def test_training_argument_is_passed_down_from_nested_custom_layers(tmp_path):
    # tf-keras calls a revived layer with `training` when any layer under it takes one,
    # so the outer layer's saved call takes it too, in both modes.
    class Noisy(tf.keras.layers.Layer):
        def call(self, x, training=None):
            return x * 2.0 if training else x

    class Wrapper(tf.keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.noisy = Noisy()

        def call(self, x):
            return self.noisy(x) + 1.0

    class Outer(tf.keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.wrapper = Wrapper()

        def call(self, x):
            return self.wrapper(x)

    model = Outer()
    model(inputs())
    model.save(str(tmp_path / "m"))
    nodes, functions, records, _ = _graph(tmp_path / "m")
    for record in records:
        meta = json.loads(record["metadata"])
        assert meta["expects_training_arg"], record["node_path"]
        keras_api = dict(nodes[dict(nodes[record["node_id"]].children)["keras_api"]].children)
        concretes = nodes[keras_api["call_and_return_conditional_losses"]].concrete_functions
        assert [functions[c][1][0][1] for c in concretes] == [False, True]
