"""``save``/``load_model``/``save_weights``/``load_weights``: formats chosen as tf-keras
2.21 chooses them, compile and optimizer state restored, weights-only files, custom
objects, ``clone_model``."""

from __future__ import annotations

import os
import sys
import types
import warnings

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.saving import legacy_h5
from tensorflux.keras.saving.saving_api import get_save_format

K = tf.keras


def _model(units=4):
    return K.Sequential(
        [K.Input(shape=(3,)), K.layers.Dense(units, name="hidden"), K.layers.Dense(2, name="out")]
    )


def _save(model, path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path, **kwargs)


X = np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(4, 3)


# -- formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, save_format, expected",
    [
        ("m.keras", None, "keras"),
        ("m.h5", None, "h5"),
        ("m.hdf5", None, "h5"),
        ("saved_model/my_model", None, "tf"),
        ("IrisModel", None, "tf"),
        ("m.h5", "tf", "tf"),
        ("m", "h5", "h5"),
        ("m", "keras", "keras"),
        ("m", "tensorflow", "tf"),
        ("m", "hdf5", "h5"),
    ],
)
def test_save_format_from_path(path, save_format, expected):
    assert get_save_format(path, save_format) == expected


def test_unknown_save_format():
    with pytest.raises(ValueError, match="Unknown `save_format` argument"):
        _model().save("m.h5", save_format="onnx")


def test_keras_format_refuses_other_arguments(tmp_path):
    with pytest.raises(ValueError, match="not supported with the native TF-Keras format"):
        _model().save(str(tmp_path / "m.keras"), include_optimizer=False)


def test_save_weights_tf_format_for_h5_path():
    with pytest.raises(ValueError, match="looks like an HDF5 file"):
        _model().save_weights("w.h5", save_format="tf")


def test_h5_save_warns_legacy(tmp_path):
    with pytest.warns(UserWarning, match="considered legacy"):
        _model().save(str(tmp_path / "m.h5"))


@pytest.fixture
def fake_checkpoints(monkeypatch):
    calls = []
    module = types.ModuleType("tensorflux.train.keras_checkpoint")
    module.save_weights = lambda model, prefix: calls.append(("save", prefix))
    module.load_weights = lambda model, prefix, options=None: (
        calls.append(("load", prefix)) or "status"
    )
    monkeypatch.setitem(sys.modules, "tensorflux.train.keras_checkpoint", module)
    return calls


@pytest.mark.parametrize(
    "prefix", ["training_1/cp.ckpt", "training_2/cp-0005.ckpt", "./checkpoints/my_checkpoint"]
)
def test_checkpoint_prefixes_go_to_checkpoints(tmp_path, fake_checkpoints, prefix):
    path = str(tmp_path / prefix)
    model = _model()
    model.save_weights(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path + ".index", "wb").close()
    assert model.load_weights(path) == "status"
    assert fake_checkpoints == [("save", path), ("load", path)]
    with pytest.raises(NotImplementedError, match="by_name=True"):
        model.load_weights(path, by_name=True)


def test_saved_model_directory_goes_to_saved_model(tmp_path, monkeypatch):
    calls = []
    module = types.ModuleType("tensorflux.keras.saving.saved_model_format")

    def save(model, dirpath, signatures=None, options=None, include_optimizer=True):
        os.makedirs(dirpath)
        calls.append(("save", dirpath, include_optimizer))

    def load(dirpath, custom_objects=None, **kwargs):
        calls.append(("load", dirpath, kwargs["compile"]))
        return "model"

    module.save, module.load = save, load
    monkeypatch.setitem(sys.modules, "tensorflux.keras.saving.saved_model_format", module)
    path = str(tmp_path / "saved_model" / "my_model")
    _model().save(path)
    assert K.models.load_model(path, compile=False) == "model"
    assert calls == [("save", path, True), ("load", path, False)]


def test_overwrite_false_asks(tmp_path, monkeypatch, capsys):
    path = str(tmp_path / "m.keras")
    first, second = _model(), _model()
    first.save(path)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    second.save(path, overwrite=False)
    np.testing.assert_array_equal(
        K.models.load_model(path).predict(X, verbose=0), first.predict(X, verbose=0)
    )
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    second.save(path, overwrite=False)
    np.testing.assert_array_equal(
        K.models.load_model(path).predict(X, verbose=0), second.predict(X, verbose=0)
    )
    assert "overwrite=True" in capsys.readouterr().out


# -- whole models ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_reloaded_model_resumes_training_exactly(tmp_path, suffix):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 5)).astype("float32")
    y = rng.integers(0, 3, 32)

    def make():
        K.utils.set_random_seed(4)
        model = K.Sequential(
            [
                K.Input(shape=(5,)),
                K.layers.Dense(8, activation="relu"),
                K.layers.BatchNormalization(),
                K.layers.Dense(3),
            ]
        )
        model.compile(
            optimizer=K.optimizers.Adam(0.01),
            metrics=["accuracy"],
            loss=K.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        return model

    straight = make()
    straight.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0)
    interrupted = make()
    interrupted.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    path = str(tmp_path / f"model{suffix}")
    _save(interrupted, path)
    resumed = K.models.load_model(path)
    assert resumed.optimizer.get_config()["learning_rate"] == pytest.approx(0.01)
    assert resumed.loss.get_config()["from_logits"] is True
    history = resumed.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    for a, b in zip(straight.get_weights(), resumed.get_weights()):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_uncompiled_and_compile_false(tmp_path, suffix):
    path = str(tmp_path / f"model{suffix}")
    model = _model()
    model.compile("sgd", "mse")
    _save(model, path)
    assert not K.models.load_model(path, compile=False)._compiled
    assert K.models.load_model(path).optimizer.__class__.__name__ == "SGD"


def test_include_optimizer_false(tmp_path):
    path = str(tmp_path / "model.h5")
    model = _model()
    model.compile("adam", "mse")
    _save(model, path, include_optimizer=False)
    assert not K.models.load_model(path)._compiled


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_functional_multi_output_round_trip(tmp_path, suffix):
    inputs = K.Input(shape=(3,), name="x")
    hidden = K.layers.Dense(4, activation="relu")(inputs)
    model = K.Model(inputs, [K.layers.Dense(1)(hidden), K.layers.Dense(2)(hidden)])
    model.compile("adam", ["mse", "mae"], loss_weights=[1.0, 0.5])
    path = str(tmp_path / f"model{suffix}")
    _save(model, path)
    loaded = K.models.load_model(path)
    for a, b in zip(loaded.predict(X, verbose=0), model.predict(X, verbose=0)):
        np.testing.assert_array_equal(a, b)
    assert loaded.compiled_loss._weights == [1.0, 0.5]


# -- weights only --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["w.h5", "w.weights.h5", "w.hdf5"])
def test_weights_round_trip(tmp_path, name):
    path = str(tmp_path / name)
    source, target = _model(), _model()
    source.save_weights(path)
    assert target.load_weights(path) is None
    np.testing.assert_array_equal(target.predict(X, verbose=0), source.predict(X, verbose=0))


def test_load_weights_from_whole_model_h5(tmp_path):
    path = str(tmp_path / "m.h5")
    source, target = _model(), _model()
    _save(source, path)
    target.load_weights(path)
    np.testing.assert_array_equal(target.predict(X, verbose=0), source.predict(X, verbose=0))


def test_by_name_loads_matching_layers(tmp_path):
    path = str(tmp_path / "w.h5")
    source = _model()
    source.save_weights(path)
    other = K.Sequential(
        [K.Input(shape=(3,)), K.layers.Dense(4, name="hidden"), K.layers.Dense(7, name="other")]
    )
    other.load_weights(path, by_name=True)
    np.testing.assert_array_equal(
        other.layers[0].get_weights()[0], source.layers[0].get_weights()[0]
    )


def test_by_name_skip_mismatch(tmp_path):
    path = str(tmp_path / "w.h5")
    source = _model()
    source.save_weights(path)
    wider = _model(units=5)
    with pytest.raises(ValueError, match=r"named hidden.*expects shape \(3, 5\).*\(3, 4\)"):
        wider.load_weights(path, by_name=True)
    before = wider.layers[1].get_weights()
    with pytest.warns(
        UserWarning,
        match=r"Skipping loading weights for layer #0 \(named "
        r"hidden\).*\(3, 5\).*\(3, 4\)",
    ):
        wider.load_weights(path, by_name=True, skip_mismatch=True)
    # "out" (5 -> 2 here, 4 -> 2 saved) does not fit either and keeps its weights.
    for a, b in zip(before, wider.layers[1].get_weights()):
        np.testing.assert_array_equal(a, b)


def test_skip_mismatch_needs_by_name(tmp_path):
    path = str(tmp_path / "w.h5")
    _model().save_weights(path)
    with pytest.raises(ValueError, match="skip_mismatch can only be set to True when by_name"):
        _model().load_weights(path, skip_mismatch=True)


def test_layer_count_mismatch(tmp_path):
    path = str(tmp_path / "w.h5")
    _model().save_weights(path)
    deeper = K.Sequential([K.Input(shape=(3,))] + [K.layers.Dense(3) for _ in range(3)])
    with pytest.raises(ValueError, match="Layer count mismatch.*expected 3 layers, found 2"):
        deeper.load_weights(path)


def test_long_name_lists_are_chunked(tmp_path):
    import h5py

    names = [f"layer_with_a_rather_long_name_{i:05d}".encode() for i in range(3000)]
    with h5py.File(str(tmp_path / "a.h5"), "w") as f:
        legacy_h5.save_attribute_list(f, "layer_names", names)
        assert "layer_names" not in f.attrs and "layer_names1" in f.attrs
        assert legacy_h5.load_attribute_list(f, "layer_names") == [n.decode() for n in names]


# -- custom objects ------------------------------------------------------------------


@K.utils.register_keras_serializable(package="saving_tests")
class Scale(K.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return self.factor * inputs

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_registered_names():
    assert K.utils.get_registered_name(Scale) == "saving_tests>Scale"
    assert K.saving.get_registered_object("saving_tests>Scale") is Scale
    assert K.layers.serialize(Scale())["registered_name"] == "saving_tests>Scale"
    with pytest.raises(ValueError, match="get_config"):
        K.utils.register_keras_serializable()(type("NoConfig", (), {}))


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_registered_layer_loads_without_custom_objects(tmp_path, suffix):
    model = K.Sequential([K.Input(shape=(3,)), Scale(3.0), K.layers.Dense(2)])
    path = str(tmp_path / f"m{suffix}")
    _save(model, path)
    loaded = K.models.load_model(path)
    assert isinstance(loaded.layers[0], Scale) and loaded.layers[0].factor == 3.0
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


def test_custom_object_scope():
    class Local(K.layers.Layer):
        pass

    config = {"class_name": "Local", "config": {"name": "local"}}
    with pytest.raises(ValueError, match="Unknown layer"):
        K.layers.deserialize(config)
    with K.utils.custom_object_scope({"Local": Local}):
        assert isinstance(K.layers.deserialize(config), Local)
        assert K.utils.get_registered_object("Local") is Local
    with K.utils.CustomObjectScope({"Local": Local}):
        assert isinstance(K.layers.deserialize(config), Local)
    assert K.utils.get_registered_object("Local") is None


def test_custom_objects_reach_losses(tmp_path):
    def my_loss(y_true, y_pred):
        return tf.reduce_mean(tf.abs(y_true - y_pred))

    model = _model()
    model.compile("sgd", my_loss)
    path = str(tmp_path / "m.h5")
    _save(model, path)
    with pytest.raises(ValueError, match="my_loss"):
        K.models.load_model(path)
    loaded = K.models.load_model(path, custom_objects={"my_loss": my_loss})
    assert loaded._compiled


# -- clone_model -----------------------------------------------------------------------


def test_clone_sequential():
    model = _model()
    clone = K.models.clone_model(model)
    assert [type(a) for a in clone.layers] == [type(b) for b in model.layers]
    assert all(a is not b for a, b in zip(clone.layers, model.layers))
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(clone.predict(X, verbose=0), model.predict(X, verbose=0))


def test_clone_functional_with_clone_function_and_input_tensors():
    inputs = K.Input(shape=(3,))
    left, right = K.layers.Dense(2)(inputs), K.layers.Dense(2)(inputs)
    model = K.Model(inputs, K.layers.Add()([left, right]))
    shared = model.layers[1]

    def clone_function(layer):
        return layer if layer is shared else layer.__class__.from_config(layer.get_config())

    new_inputs = K.Input(shape=(3,), name="fresh")
    clone = K.models.clone_model(model, input_tensors=new_inputs, clone_function=clone_function)
    assert clone.inputs[0] is new_inputs
    assert shared in clone.layers and len(clone.layers) == len(model.layers)
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(clone.predict(X, verbose=0), model.predict(X, verbose=0))


def test_clone_subclassed_model_is_refused():
    class Sub(K.Model):
        def call(self, inputs):
            return inputs

    with pytest.raises(ValueError, match="subclassed model"):
        K.models.clone_model(Sub())


class Residual(K.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = K.layers.Dense(units)

    def call(self, inputs):
        return inputs + self.dense(inputs)

    def get_config(self):
        return {"units": self.units}


def test_subclassed_model_in_keras_format(tmp_path):
    model = Residual()
    model.compile("adam", "mse")
    model.fit(X, X, epochs=1, verbose=0)
    path = str(tmp_path / "sub.keras")
    model.save(path)
    with pytest.raises(ValueError, match="Residual"):
        K.models.load_model(path)
    loaded = K.models.load_model(path, custom_objects={"Residual": Residual})
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    assert int(loaded.optimizer.iterations.numpy()) == 1
    with pytest.raises(NotImplementedError, match="subclassed models"):
        model.save(str(tmp_path / "sub.h5"))
    model.save_weights(str(tmp_path / "sub_weights.h5"))
    other = Residual()
    other(X)
    other.load_weights(str(tmp_path / "sub_weights.h5"))
    np.testing.assert_array_equal(other.predict(X, verbose=0), model.predict(X, verbose=0))
