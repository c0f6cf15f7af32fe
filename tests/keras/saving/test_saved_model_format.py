"""Keras models as SavedModel directories: our round trips, and real tf-keras 2.21
SavedModels (recorded by tests/saved_model/record_saved_model_fixtures.py) loaded
without TensorFlow."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.saving import saved_model_format, saved_model_metadata

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "savedmodels"


def _trained_model(dropout=0.2):
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(4, activation="relu", input_shape=(3,)),
            tf.keras.layers.Dropout(dropout),
            tf.keras.layers.Dense(2),
        ]
    )
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    rng = np.random.default_rng(0)
    model.fit(
        rng.random((16, 3)).astype("float32"),
        rng.random((16, 2)).astype("float32"),
        epochs=2,
        batch_size=8,
        verbose=0,
    )
    return model


def test_round_trip_predictions_compile_and_optimizer(tmp_path):
    # No dropout: the two models' Dropout layers would draw different masks in the
    # training step below (each continues its own stream, as in TF).
    model = _trained_model(dropout=0.0)
    path = tmp_path / "model"
    saved_model_format.save(model, str(path))
    assert (path / "keras_metadata.pb").is_file()
    loaded = saved_model_format.load(str(path))
    x = np.linspace(-1, 1, 9, dtype="float32").reshape(3, 3)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.loss == "mse"
    assert type(loaded.optimizer).__name__ == "Adam"
    # As tf-keras: the loaded model is compiled with a new optimizer (iteration 0);
    # the saved optimizer state comes back through load_weights on the variables.
    assert model.optimizer.iterations.numpy() == 4
    assert loaded.optimizer.iterations.numpy() == 0
    loaded.load_weights(str(path / "variables" / "variables"))
    assert loaded.optimizer.iterations.numpy() == 4
    # Training resumes from the same state (the slots are restored when created).
    y = np.ones((3, 2), "float32")
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_without_optimizer(tmp_path):
    model = _trained_model()
    saved_model_format.save(model, str(tmp_path / "m"), include_optimizer=False)
    keys = [k for k, _ in tf.train.list_variables(str(tmp_path / "m" / "variables" / "variables"))]
    assert not [k for k in keys if k.startswith("optimizer")]
    loaded = saved_model_format.load(str(tmp_path / "m"))
    assert not loaded._compiled
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_metadata_root_json(tmp_path):
    model = _trained_model()
    saved_model_format.save(model, str(tmp_path / "m"))
    nodes = saved_model_metadata.decode_metadata(
        (tmp_path / "m" / "keras_metadata.pb").read_bytes()
    )
    assert [n["node_path"] for n in nodes[:4]] == [
        "root",
        "root.layer_with_weights-0",
        "root.layer-1",
        "root.layer_with_weights-1",
    ]
    assert nodes[0]["identifier"] == "_tf_keras_sequential"
    root = json.loads(nodes[0]["metadata"])
    assert root["class_name"] == "Sequential"
    assert root["keras_version"] == "2.21.0"
    assert root["build_input_shape"] == {"class_name": "TensorShape", "items": [None, 3]}
    assert root["training_config"]["loss"] == "mse"
    assert root["training_config"]["metrics"] == [["mae"]]


def test_serving_signature_of_keras_model(tmp_path):
    model = _trained_model()
    tf.saved_model.save(model, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    x = np.ones((2, 3), "float32")
    signature = loaded.signatures["serving_default"]
    out = signature(**{model.inputs[0].name: tf.constant(x)})
    assert list(out) == model.output_names
    expected = model.predict(x, verbose=0)
    np.testing.assert_allclose(out[model.output_names[0]].numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(loaded(x).numpy(), model.predict(x, verbose=0), rtol=1e-6)


def test_functional_conv_batchnorm_round_trip(tmp_path):
    inputs = tf.keras.Input((5, 5, 1), name="image")
    h = tf.keras.layers.Conv2D(2, 3, name="conv")(inputs)
    h = tf.keras.layers.BatchNormalization(name="norm")(h)
    h = tf.keras.layers.Flatten()(h)
    outputs = tf.keras.layers.Dense(2, activation="softmax", name="probs")(h)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(1).random((4, 5, 5, 1)).astype("float32")
    model.fit(x, np.array([0, 1, 0, 1]), epochs=1, verbose=0)
    saved_model_format.save(model, str(tmp_path / "f"))
    loaded = saved_model_format.load(str(tmp_path / "f"), compile=False)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    sig = tf.saved_model.load(str(tmp_path / "f")).signatures["serving_default"]
    np.testing.assert_allclose(
        sig(image=x)["probs"].numpy(), model.predict(x, verbose=0), rtol=1e-6
    )


def test_two_inputs_two_outputs(tmp_path):
    a = tf.keras.Input((2,), name="left")
    b = tf.keras.Input((3,), name="right")
    joined = tf.keras.layers.Concatenate(name="join")([a, b])
    first = tf.keras.layers.Dense(1, name="first")(joined)
    second = tf.keras.layers.Dense(2, name="second")(joined)
    model = tf.keras.Model([a, b], [first, second])
    saved_model_format.save(model, str(tmp_path / "m"))
    x = [np.ones((2, 2), "float32"), np.full((2, 3), 0.5, "float32")]
    expected = model.predict(x, verbose=0)
    loaded = saved_model_format.load(str(tmp_path / "m"))
    for got, want in zip(loaded.predict(x, verbose=0), expected):
        np.testing.assert_array_equal(got, want)
    signature = tf.saved_model.load(str(tmp_path / "m")).signatures["serving_default"]
    out = signature(left=x[0], right=x[1])
    assert sorted(out) == ["first", "second"]
    np.testing.assert_allclose(out["first"].numpy(), expected[0], rtol=1e-6)
    np.testing.assert_allclose(out["second"].numpy(), expected[1], rtol=1e-6)


@pytest.mark.parametrize("name", ["dense", "conv", "bn"])
def test_real_tf_keras_saved_models(name):
    expected = json.loads((FIXTURES / "tf_keras_predictions.json").read_text())[name]
    model = saved_model_format.load(str(FIXTURES / name))
    x = np.array(expected["x"], "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), expected["y"], rtol=1e-5, atol=1e-6)
    # tf-keras' load_model compiles a new optimizer: the saved iterations stay behind.
    assert expected["iterations"] == 2
    assert model.optimizer.iterations.numpy() == 0
    if name == "dense":
        # Compiled with metrics=["accuracy"]: tf-keras saved a wrapper named "accuracy".
        y = np.array([0, 1, 2])
        assert list(model.evaluate(x, y, verbose=0, return_dict=True)) == ["loss", "accuracy"]


@pytest.mark.parametrize(
    "name, input_key, output_key",
    [("dense", "dense_input", "dense_1"), ("bn", "features", "score")],
)
def test_real_tf_keras_saved_models_served(name, input_key, output_key):
    """tf.saved_model.load of a SavedModel tf-keras wrote: the model is rebuilt from
    keras_metadata.pb and serves the signature TF recorded."""
    expected = json.loads((FIXTURES / "tf_keras_predictions.json").read_text())[name]
    loaded = tf.saved_model.load(str(FIXTURES / name))
    signature = loaded.signatures["serving_default"]
    out = signature(**{input_key: np.array(expected["x"], "float32")})
    assert list(out) == [output_key]
    np.testing.assert_allclose(out[output_key].numpy(), expected["y"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        loaded(np.array(expected["x"], "float32")).numpy(), expected["y"], rtol=1e-5, atol=1e-6
    )


def test_real_tf_keras_saved_model_through_tf_saved_model_paths(tmp_path):
    model = saved_model_format.load(str(FIXTURES / "dense"))
    saved_model_format.save(model, str(tmp_path / "again"))
    again = saved_model_format.load(str(tmp_path / "again"))
    x = np.ones((1, 4), "float32")
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


def test_bad_directories(tmp_path):
    with pytest.raises(OSError, match="SavedModel file does not exist at: "):
        saved_model_format.load(str(tmp_path))
    model = _trained_model()
    path = tmp_path / "m"
    saved_model_format.save(model, str(path))
    metadata = (path / "keras_metadata.pb").read_bytes()
    (path / "keras_metadata.pb").write_bytes(metadata[: len(metadata) // 3])
    with pytest.raises(OSError, match="keras_metadata.pb"):
        saved_model_format.load(str(path))
    (path / "keras_metadata.pb").unlink()
    with pytest.raises(ValueError, match="tf.saved_model.load"):
        saved_model_format.load(str(path))


class ScaledDense(tf.keras.layers.Dense):
    """A custom layer: known to the loader only through custom_objects."""


def test_custom_layer_needs_custom_objects(tmp_path):
    model = tf.keras.Sequential([ScaledDense(2, input_shape=(3,), name="custom")])
    saved_model_format.save(model, str(tmp_path / "m"))
    with pytest.raises(ValueError, match="Unknown layer: 'ScaledDense'"):
        saved_model_format.load(str(tmp_path / "m"))
    loaded = saved_model_format.load(
        str(tmp_path / "m"), custom_objects={"ScaledDense": ScaledDense}
    )
    assert type(loaded.layers[0]) is ScaledDense
    x = np.ones((1, 3), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_serving_batch_size_is_open(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    model(np.ones((2, 3), "float32"))
    tf.saved_model.save(model, str(tmp_path / "m"))
    signature = tf.saved_model.load(str(tmp_path / "m")).signatures["serving_default"]
    (spec,) = signature.structured_input_signature[1].values()
    assert spec.shape.as_list() == [None, 3]
    out = signature(**{model.inputs[0].name: np.ones((5, 3), "float32")})
    assert out[model.output_names[0]].shape == (5, 2)


def test_unbuilt_model_cannot_be_saved(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="input shape is not available"):
        saved_model_format.save(model, str(tmp_path / "m"))


class _Doubler(tf.keras.Model):
    """A subclassed model: a Dense layer whose output is doubled by a constant."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = tf.keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x) * 2.0


class _DictModel(tf.keras.Model):
    def call(self, inputs):
        return {"scaled": inputs["x"] * 2.0, "kept": inputs["y"]}


def test_subclassed_model_round_trip_and_serving(tmp_path):
    model = _Doubler()
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    model.save(str(tmp_path / "m"))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    restored = tf.keras.models.load_model(
        str(tmp_path / "m"), custom_objects={"_Doubler": _Doubler}
    )
    np.testing.assert_allclose(restored(x).numpy(), model(x).numpy(), rtol=1e-6)
    # tf-keras names a subclassed model's serving inputs input_1... and outputs output_1...
    signature = tf.saved_model.load(str(tmp_path / "m")).signatures["serving_default"]
    (spec,) = signature.structured_input_signature[1].values()
    assert (spec.name, spec.shape.as_list()) == ("input_1", [None, 3])
    out = signature(input_1=tf.constant(x))
    np.testing.assert_allclose(out["output_1"].numpy(), model(x).numpy(), rtol=1e-6)


def test_subclassed_model_with_dict_inputs_serves_by_key(tmp_path):
    model = _DictModel()
    model({"x": np.ones((2, 3), "float32"), "y": np.ones((2, 1), "float32")})
    tf.saved_model.save(model, str(tmp_path / "d"))
    signature = tf.saved_model.load(str(tmp_path / "d")).signatures["serving_default"]
    assert sorted(signature.structured_input_signature[1]) == ["x", "y"]
    out = signature(x=tf.ones((1, 3)), y=tf.fill([1, 1], 5.0))
    np.testing.assert_array_equal(out["scaled"].numpy(), np.full((1, 3), 2.0, "float32"))
    np.testing.assert_array_equal(out["kept"].numpy(), [[5.0]])


def test_subclassed_model_built_with_a_shape_can_be_saved(tmp_path):
    model = _Doubler()
    model.build((None, 3))
    model.save(str(tmp_path / "b"))
    signature = tf.saved_model.load(str(tmp_path / "b")).signatures["serving_default"]
    assert signature(input_1=tf.ones((3, 3)))["output_1"].shape == (3, 2)


def test_stateful_recurrent_model_keeps_its_batch_size(tmp_path):
    # As tf-keras: the states have one batch size, so the signature keeps it.
    model = tf.keras.Sequential(
        [
            tf.keras.layers.LSTM(4, stateful=True, batch_input_shape=(3, 5, 2)),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile("adam", "mse")
    x = np.linspace(-1, 1, 30, dtype=np.float32).reshape(3, 5, 2)
    model.fit(x, np.ones((3, 1)), batch_size=3, verbose=0)
    model.save(str(tmp_path / "stateful"))
    signature = tf.saved_model.load(str(tmp_path / "stateful")).signatures["serving_default"]
    (spec,) = signature.structured_input_signature[1].values()
    assert spec.shape == [3, 5, 2]
    model.reset_states()
    loaded = tf.keras.models.load_model(str(tmp_path / "stateful"))
    assert loaded.layers[0].stateful
    np.testing.assert_allclose(
        loaded.predict(x, batch_size=3, verbose=0), model.predict(x, batch_size=3, verbose=0)
    )
    loaded.reset_states()
    first = loaded.predict(x, batch_size=3, verbose=0)
    assert not np.allclose(loaded.predict(x, batch_size=3, verbose=0), first)
    loaded.reset_states()
    np.testing.assert_array_equal(loaded.predict(x, batch_size=3, verbose=0), first)
