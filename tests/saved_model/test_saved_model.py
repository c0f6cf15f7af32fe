"""tf.saved_model.save / load of objects with variables and tf.functions, the protobuf
codecs, and what real TensorFlow made of our files (recorded fixture)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework import graph_protos as protos
from tensorflux.framework.proto_wire import Message

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "savedmodels"


class Affine(tf.Module):
    """A module: a variable, a list of variables, three tf.functions."""

    def __init__(self):
        super().__init__()
        self.w = tf.Variable(2.0)
        self.extra = [tf.Variable([1.0, -1.0])]

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def predict(self, x):
        return {"y": x * self.w + 1.0}

    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
    def __call__(self, x):
        return x * self.extra[0]

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def bump(self, amount):
        self.w.assign_add(amount)
        return self.w.read_value()


def test_module_round_trip_with_signature(tmp_path):
    obj = Affine()
    path = str(tmp_path / "affine")
    tf.saved_model.save(obj, path, signatures=obj.predict)
    assert sorted(os.listdir(path)) == ["assets", "fingerprint.pb", "saved_model.pb", "variables"]
    loaded = tf.saved_model.load(path)
    assert list(loaded.signatures) == ["serving_default"]
    out = loaded.signatures["serving_default"](x=tf.constant([1.0, 3.0]))
    assert list(out) == ["y"]
    np.testing.assert_array_equal(out["y"].numpy(), [3.0, 7.0])
    np.testing.assert_array_equal(loaded.predict(tf.constant([0.5]))["y"].numpy(), [2.0])
    np.testing.assert_array_equal(loaded(tf.constant([3.0, 4.0])).numpy(), [3.0, -4.0])
    assert loaded.w.numpy() == 2.0
    assert len(loaded.variables) == 2


def test_loaded_function_updates_restored_variable(tmp_path):
    obj = Affine()
    obj.w.assign(5.0)
    tf.saved_model.save(obj, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert loaded.bump(tf.constant(1.5)).numpy() == 6.5
    assert loaded.w.numpy() == 6.5
    assert obj.w.numpy() == 5.0


def test_signature_keys_for_unnamed_outputs_and_param_names(tmp_path):
    class Square(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
        def square(self, values):
            return values * values

    obj = Square()
    tf.saved_model.save(obj, str(tmp_path / "sq"))
    sig = tf.saved_model.load(str(tmp_path / "sq")).signatures["serving_default"]
    out = sig(values=tf.constant([[1.0, 2.0]]))
    assert list(out) == ["output_0"]
    np.testing.assert_array_equal(out["output_0"].numpy(), [[1.0, 4.0]])
    with pytest.raises(TypeError, match="keyword"):
        sig(tf.constant([[1.0, 2.0]]))


def test_signature_outputs_keep_their_keys(tmp_path):
    class Stats(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.int32, name="n")])
        def stats(self, n):
            return {
                "sum": tf.reduce_sum(n, axis=1),
                "as_float": tf.cast(n, tf.float32),
                "both": tf.concat([n, n], axis=1),
            }

    tf.saved_model.save(Stats(), str(tmp_path / "s"))
    out = tf.saved_model.load(str(tmp_path / "s")).signatures["serving_default"](
        n=tf.constant([[1, 2, 4]])
    )
    np.testing.assert_array_equal(out["sum"].numpy(), [7])
    np.testing.assert_array_equal(out["both"].numpy(), [[1, 2, 4, 1, 2, 4]])
    assert out["as_float"].dtype == tf.float32


def test_signature_without_input_signature_is_refused(tmp_path):
    @tf.function
    def f(x):
        return x

    with pytest.raises(ValueError, match="input_signature"):
        tf.saved_model.save(Affine(), str(tmp_path / "x"), signatures=f)


def test_only_trackable_objects_are_exported(tmp_path):
    with pytest.raises(ValueError, match="Expected an object of type `Trackable`"):
        tf.saved_model.save(object(), str(tmp_path / "x"))


def test_nested_modules(tmp_path):
    class Inner(tf.Module):
        def __init__(self):
            super().__init__()
            self.scale = tf.Variable([2.0, 3.0])

    class Outer(tf.Module):
        def __init__(self):
            super().__init__()
            self.inner = Inner()
            self.layers = [Inner(), Inner()]
            self.layers[1].scale.assign([5.0, 7.0])

        @tf.function(input_signature=[tf.TensorSpec([2], tf.float32, name="v")])
        def __call__(self, v):
            return v * self.inner.scale * self.layers[1].scale

    outer = Outer()
    tf.saved_model.save(outer, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    np.testing.assert_array_equal(loaded.layers[1].scale.numpy(), [5.0, 7.0])
    np.testing.assert_array_equal(loaded.inner.scale.numpy(), [2.0, 3.0])
    np.testing.assert_array_equal(loaded(tf.constant([1.0, 1.0])).numpy(), [10.0, 21.0])
    out = loaded.signatures["serving_default"](v=tf.constant([1.0, 2.0]))
    np.testing.assert_array_equal(out["output_0"].numpy(), [10.0, 42.0])
    keys = [k for k, _ in tf.train.list_variables(str(tmp_path / "m" / "variables" / "variables"))]
    assert "layers/1/scale/.ATTRIBUTES/VARIABLE_VALUE" in keys


def test_constants_and_options():
    assert tf.saved_model.SERVING == "serve"
    assert tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY == "serving_default"
    assert tf.saved_model.PREDICT_METHOD_NAME == "tensorflow/serving/predict"
    assert tf.saved_model.SaveOptions(namespace_whitelist=["A"]).namespace_whitelist == ["A"]
    assert tf.saved_model.LoadOptions().allow_partial_checkpoint is False
    assert not hasattr(tf.saved_model, "EVAL")  # TF 1 only


def test_contains_saved_model(tmp_path):
    assert not tf.saved_model.contains_saved_model(str(tmp_path))
    tf.saved_model.save(Affine(), str(tmp_path / "m"))
    assert tf.saved_model.contains_saved_model(str(tmp_path / "m"))


# -- bad input -------------------------------------------------------------------------


def test_not_a_saved_model(tmp_path):
    with pytest.raises(OSError, match="SavedModel file does not exist at: "):
        tf.saved_model.load(str(tmp_path))
    with pytest.raises(OSError, match=r"\{saved_model.pbtxt\|saved_model.pb\}"):
        tf.saved_model.load(str(tmp_path / "missing"))


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_corrupted_saved_model_pb(tmp_path, damage):
    obj = Affine()
    path = tmp_path / "m"
    tf.saved_model.save(obj, str(path), signatures=obj.predict)
    pb = path / "saved_model.pb"
    data = pb.read_bytes()
    pb.write_bytes(data[: len(data) // 2] if damage == "truncate" else b"\xff" * 64)
    with pytest.raises(OSError, match="Cannot parse file .*saved_model.pb"):
        tf.saved_model.load(str(path))


def test_missing_variables(tmp_path):
    path = tmp_path / "m"
    tf.saved_model.save(Affine(), str(path))
    for name in os.listdir(path / "variables"):
        os.remove(path / "variables" / name)
    with pytest.raises(FileNotFoundError, match="variables"):
        tf.saved_model.load(str(path))


def test_unknown_tags(tmp_path):
    tf.saved_model.save(Affine(), str(tmp_path / "m"))
    with pytest.raises(RuntimeError, match="could not be found in SavedModel"):
        tf.saved_model.load(str(tmp_path / "m"), tags=["train"])


def test_failed_save_leaves_old_directory(tmp_path, monkeypatch):
    from tensorflux.saved_model import saver

    path = tmp_path / "m"
    tf.saved_model.save(Affine(), str(path))
    before = {p: (path / p).read_bytes() for p in ("saved_model.pb", "fingerprint.pb")}

    def broken(prefix, tensors):
        raise OSError("disk full")

    monkeypatch.setattr(saver, "_write_variables", broken)
    with pytest.raises(OSError, match="disk full"):
        tf.saved_model.save(Affine(), str(path))
    assert {p: (path / p).read_bytes() for p in before} == before
    assert sorted(os.listdir(tmp_path)) == ["m"]


def test_save_into_a_directory_with_other_files_keeps_them(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "data").mkdir()
    tf.saved_model.save(Affine(), str(tmp_path))
    obj = Affine()
    obj.w.assign(9.0)
    tf.saved_model.save(obj, str(tmp_path))
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / "data").is_dir()
    assert tf.saved_model.load(str(tmp_path)).w.numpy() == 9.0
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]
    assert not [n for n in os.listdir(tmp_path.parent) if n.startswith(f".{tmp_path.name}")]


def test_killed_save_leaves_old_directory(tmp_path):
    """A process killed mid-save (its new variables written, saved_model.pb not yet)
    leaves the previous SavedModel in place, loadable, and a later save succeeds."""
    path = tmp_path / "m"
    old = Affine()
    old.w.assign(4.0)
    tf.saved_model.save(old, str(path), signatures=old.predict)
    before = {
        p: (path / p).read_bytes()
        for p in ("saved_model.pb", "fingerprint.pb", "variables/variables.index")
    }
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(pathlib.Path(__file__).resolve().parents[2])!r})
        import tensorflux as tf
        from tensorflux.train import tensor_bundle

        real = tensor_bundle.write_bundle

        def write_then_die(prefix, tensors):
            real(prefix, tensors)
            os.kill(os.getpid(), signal.SIGKILL)

        tensor_bundle.write_bundle = write_then_die

        class New(tf.Module):
            def __init__(self):
                super().__init__()
                self.w = tf.Variable(-1.0)

        tf.saved_model.save(New(), {str(path)!r})
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    assert {p: (path / p).read_bytes() for p in before} == before
    loaded = tf.saved_model.load(str(path))
    assert loaded.w.numpy() == 4.0
    np.testing.assert_array_equal(
        loaded.signatures["serving_default"](x=tf.constant([1.0]))["y"].numpy(), [5.0]
    )
    tf.saved_model.save(Affine(), str(path))
    assert tf.saved_model.load(str(path)).w.numpy() == 2.0


def test_functions_written_by_tensorflow_give_a_clear_error(tmp_path):
    """Without its keras_metadata.pb, the tf-keras fixture is a SavedModel whose
    functions (stripped from the fixture) tensorflux cannot run: calling one says so."""
    import shutil

    path = tmp_path / "dense"
    shutil.copytree(FIXTURES / "dense", path)
    (path / "keras_metadata.pb").unlink()
    loaded = tf.saved_model.load(str(path))
    assert list(loaded.signatures) == ["serving_default"]
    kernel = getattr(loaded, "layer_with_weights-0").kernel
    assert kernel.shape == (4, 5)
    with pytest.raises(ValueError, match="tf.keras.models.load_model"):
        loaded.signatures["serving_default"](dense_input=np.ones((1, 4), "float32"))


def test_tf_module_saved_by_tensorflow_runs():
    """A tf.Module TF saved (record_saved_model_fixtures.py): its FunctionDefs (TF's
    attrs, nested StatefulPartitionedCalls, constant axis inputs) run through our ops."""
    expected = json.loads((FIXTURES / "tf_module_outputs.json").read_text())
    loaded = tf.saved_model.load(str(FIXTURES / "tf_module"))
    np.testing.assert_array_equal(loaded.kernel.numpy(), expected["kernel"])
    x = np.array(expected["x"], "float32")
    out = loaded.signatures["serving_default"](x=x)
    assert sorted(out) == sorted(expected["predict"])
    for key, value in expected["predict"].items():
        np.testing.assert_allclose(out[key].numpy(), value, rtol=1e-6, atol=1e-7)
    assert out["rounded"].dtype == tf.int32
    direct = loaded.predict(tf.constant(x))
    np.testing.assert_allclose(direct["probs"].numpy(), expected["predict"]["probs"], rtol=1e-6)
    images = tf.constant(np.array(expected["images"], "float32"))
    np.testing.assert_allclose(
        loaded.convolve(images).numpy(), expected["convolve"], rtol=1e-5, atol=1e-6
    )
    assert loaded.calls.numpy() == 1


# -- codecs ------------------------------------------------------------------------------


def test_tensor_and_attr_codecs():
    for array in (
        np.arange(6, dtype="float32").reshape(2, 3),
        np.array(7, "int64"),
        np.array([True, False]),
        np.array([b"a", b"bc"], dtype=object),
    ):
        dtype = tf.string if array.dtype == object else tf.as_dtype(array.dtype)
        back = protos.decode_tensor(Message(protos.encode_tensor(array, dtype).bytes()))
        np.testing.assert_array_equal(back, array)
    for value in (
        "SAME",
        3,
        -2,
        1.5,
        True,
        tf.float64,
        [1, 2, 2, 1],
        [],
        ["a", "b"],
        [tf.int32, tf.float32],
        tf.TensorShape([None, 3]),
    ):
        back = protos.decode_attr(Message(protos.encode_attr(value).bytes()))
        assert back == value
    assert protos.decode_attr(Message(protos.encode_attr(None).bytes())) is None
    with pytest.raises(TypeError, match="no AttrValue form"):
        protos.encode_attr(object())


def test_fingerprint_fields_as_tensorflow_writes_them(tmp_path):
    tf.saved_model.save(Affine(), str(tmp_path / "m"))
    ours = Message((tmp_path / "m" / "fingerprint.pb").read_bytes())
    theirs = Message((FIXTURES / "dense" / "fingerprint.pb").read_bytes())
    assert sorted(ours.fields) == sorted(theirs.fields) == [1, 2, 3, 4, 5, 6, 7]
    assert ours.message(6).varint(1) == theirs.message(6).varint(1)
    assert ours.string(7).isdigit()


def test_structure_codec():
    spec = tf.TensorSpec([None, 2], tf.float32, "x")
    value = ((spec, 3, "s", None, 2.5, True), {"k": [tf.TensorShape([1]), tf.int64]})
    assert protos.decode_structure(Message(protos.encode_structure(value).bytes())) == value


def test_real_tensorflow_reads_our_saved_models():
    """Recorded by record_saved_model_fixtures.py: TF parses saved_model.pb and its
    signature, and tf.train.load_checkpoint reads our variables with our values."""
    report = json.loads((FIXTURES / "tf_reads_ours.json").read_text())
    keras = report["keras"]
    assert keras["parse_signature_def"]["ok"]
    sig = keras["parse_signature_def"]["value"]
    assert sig["inputs"] == {"dense_input": ["serving_default_dense_input:0", 1, [-1, 2]]}
    assert sig["outputs"] == {"dense_1": ["StatefulPartitionedCall:0", 1, [-1, 1]]}
    assert sig["method_name"] == "tensorflow/serving/predict"
    checkpoint = keras["load_checkpoint"]["value"]
    assert checkpoint["values_matching_ours"] == checkpoint["variables"] == 4
    assert "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE" in checkpoint["keys"]
    module = report["module"]
    assert module["parse_signature_def"]["value"]["inputs"]["x"][0] == "serving_default_x:0"
    assert module["load_checkpoint"]["value"]["values_matching_ours"] == 1


@pytest.mark.parametrize(
    "name, output",
    [("keras", "dense_1"), ("keras_cnn", "probs"), ("keras_misc", "gelu"), ("module", "y")],
)
def test_real_tensorflow_runs_our_functions(name, output):
    """Recorded: TF's tf.saved_model.load runs our FunctionDefs (TF's op names, output
    argument names and attrs) and its serving signature gives our predictions, so does a
    TF 1 session restoring through our SaverDef; tf-keras' load_model rebuilds our Keras
    models and predicts the same."""
    report = json.loads((FIXTURES / "tf_reads_ours.json").read_text())[name]
    assert report["tf_saved_model_load"]["ok"], report["tf_saved_model_load"]
    served = report["tf_saved_model_load"]["value"]
    assert served["signatures"] == ["serving_default"]
    np.testing.assert_allclose(served["outputs"][output], report["ours"], rtol=1e-5)
    # As TF Serving runs it: a TF 1 session on the MetaGraphDef's graph and SaverDef.
    assert report["tf1_session_run"]["ok"], report["tf1_session_run"]
    np.testing.assert_allclose(
        report["tf1_session_run"]["value"][output], report["ours"], rtol=1e-5
    )
    if name != "module":
        assert report["tf_keras_load_model"]["ok"], report["tf_keras_load_model"]
        np.testing.assert_allclose(
            report["tf_keras_load_model"]["value"], report["ours"], rtol=1e-5
        )


def test_real_tensorflow_runs_our_two_output_model():
    """A functional model with two inputs (joined by ConcatV2, whose axis TF takes as an
    input) and two outputs: TF's signature keys the outputs by layer name."""
    report = json.loads((FIXTURES / "tf_reads_ours.json").read_text())["keras_two"]
    sig = report["parse_signature_def"]["value"]
    assert sorted(sig["inputs"]) == ["left", "right"]
    assert sig["outputs"]["first"][0] == "StatefulPartitionedCall:0"
    assert sig["outputs"]["second"][0] == "StatefulPartitionedCall:1"
    served = report["tf_saved_model_load"]["value"]["outputs"]
    for key, ours in zip(["first", "second"], report["ours"]):
        np.testing.assert_allclose(served[key], ours, rtol=1e-5)
        np.testing.assert_allclose(report["tf1_session_run"]["value"][key], ours, rtol=1e-5)
    for theirs, ours in zip(report["tf_keras_load_model"]["value"], report["ours"]):
        np.testing.assert_allclose(theirs, ours, rtol=1e-5)
