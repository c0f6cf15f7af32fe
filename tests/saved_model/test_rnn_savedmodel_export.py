"""tensorflux's SavedModels of recurrent Keras models, as real TensorFlow runs them.

``tf_reads_our_rnns.json`` (``record_rnn_savedmodel_fixtures.py``) holds what
TensorFlow 2.21 computed from these models' SavedModels through
``tf.saved_model.load``'s signature, a TF 1 session and ``tf_keras.models.load_model``,
beside tensorflux's predictions. Here the models are rebuilt (same seeds), saved again
and checked: the recorded TF results match, the written functions use only ops TF
has (with the attrs and output names its op definitions want), and tensorflux's own
loaders read the files back to the same predictions, running the fused kernels.
"""

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework import graph_protos as protos
from tensorflux.framework.proto_wire import Message
from tensorflux.saved_model import rnn_lowering
from tensorflux.saved_model.function_codec import FunctionDefRunner
from tests.saved_model import rnn_export_models

FIXTURE = json.loads(
    (
        pathlib.Path(__file__).resolve().parents[1]
        / "fixtures"
        / "savedmodels"
        / "tf_reads_our_rnns.json"
    ).read_text()
)
RECORDED = FIXTURE["models"]
TF_PATHS = ("signature", "session", "tf_keras")


def _outputs(value) -> list:
    return [np.asarray(v) for v in value] if isinstance(value, list) else [np.asarray(value)]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """name -> (model, SavedModel directory), each model rebuilt and saved once."""
    root = tmp_path_factory.mktemp("rnn_savedmodels")
    out = {}
    for name in rnn_export_models.MODELS:
        model = rnn_export_models.build(tf.keras, name)
        model.save(str(root / name))
        out[name] = (model, str(root / name))
    return out


def test_every_model_is_recorded():
    assert sorted(RECORDED) == sorted(rnn_export_models.MODELS)


@pytest.mark.parametrize("path", TF_PATHS)
@pytest.mark.parametrize("name", sorted(rnn_export_models.MODELS))
def test_tensorflow_ran_our_savedmodel(name, path):
    record = RECORDED[name]
    assert record[path]["ok"], f"{name} through {path}: {record[path].get('error')}"
    for got, ours in zip(record[path]["outputs"], record["ours"], strict=True):
        for a, b in zip(got, ours, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(rnn_export_models.MODELS))
def test_rebuilt_models_predict_the_recorded_numbers(saved, name):
    model, _ = saved[name]
    record = RECORDED[name]
    xs = rnn_export_models.inputs(name)
    np.testing.assert_array_equal(xs[0], np.asarray(record["inputs"][0], xs[0].dtype))
    for x, ours in zip(xs, record["ours"], strict=True):
        for a, b in zip(_outputs(model.predict(x, verbose=0)), ours, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def _library(directory: str):
    data = (pathlib.Path(directory) / "saved_model.pb").read_bytes()
    graph = Message(data).messages(2)[0].message(2)
    return graph.message(2).messages(1)


def _node_attrs(node: Message) -> dict:
    return {e.string(1): e.message(2) for e in node.messages(5)}


def _check_tensorflow_ops(directory: str, what: str) -> None:
    """Every node of every written function is one of TF's ops, with the attrs TF's op
    definition requires, and every output it reads is named as TF names it; each fused
    op became one ``While`` whose functions are in the library."""
    tf_ops = set(FIXTURE["tf_op_names"])
    known = FIXTURE["tf_ops_used"]
    functions = _library(directory)
    names = {f.message(1).string(1) for f in functions}
    loops = 0
    for function in functions:
        nodes = {n.string(1): n.string(2) for n in function.messages(3)}
        for node in function.messages(3):
            op = node.string(2)
            assert op in tf_ops, f"{what}: op {op!r} is not one of TensorFlow's"
            assert op in known, f"{op} is new to these models: re-run the recording script"
            attrs = _node_attrs(node)
            missing = set(known[op]["required_attrs"]) - set(attrs)
            assert not missing, f"{what}: {op} node lacks TF attrs {sorted(missing)}"
            for ref in (r.decode() for r in node.all(3)):
                parts = ref.lstrip("^").split(":")
                if len(parts) == 3:
                    assert parts[1] in known[nodes[parts[0]]]["outputs"], (what, op, ref)
            if op == "While":
                loops += 1
                for key in ("body", "cond"):
                    func = protos.decode_attr(attrs[key])
                    assert func["func"] in names, f"{what}: While's {key} is not in the library"
    n_fused = sum(
        1 for f in functions for n in f.messages(3) if rnn_lowering.FUSED_OP in _node_attrs(n)
    )
    assert loops == n_fused > 0


@pytest.mark.parametrize("name", sorted(rnn_export_models.MODELS))
def test_written_functions_use_only_tensorflow_ops(saved, name):
    _check_tensorflow_ops(saved[name][1], name)


@pytest.mark.parametrize("name", sorted(rnn_export_models.MODELS))
def test_our_loaders_read_it_back(saved, name):
    model, directory = saved[name]
    restored = tf.keras.models.load_model(directory)
    signature = tf.saved_model.load(directory).signatures["serving_default"]
    ((key, spec),) = signature.structured_input_signature[1].items()
    for x in rnn_export_models.inputs(name):
        expected = _outputs(model.predict(x, verbose=0))
        for a, b in zip(_outputs(restored.predict(x, verbose=0)), expected, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
        out = signature(**{key: tf.cast(x, spec.dtype)})
        for output_name, b in zip(model.output_names, expected, strict=True):
            np.testing.assert_allclose(out[output_name].numpy(), b, rtol=1e-6, atol=1e-6)


def test_loading_runs_the_fused_kernel_not_the_loop(saved):
    """The loop nodes are TF's alone: tensorflux's runner keeps the fused op."""
    functions = _library(saved["bidirectional"][1])
    serving = next(
        f
        for f in functions
        if f.message(1).string(1).endswith(tuple("0123456789"))
        and "serving_default" in f.message(1).string(1)
    )
    runner = FunctionDefRunner(serving, None)
    ops = [getattr(op, "name", op) for _, op, *_ in runner._nodes]
    assert ops.count("FusedLSTM") == 2
    assert not {"While", "TensorListReserve", "Transpose"} & set(ops)


def test_two_outputs_of_one_layer_get_distinct_names(saved):
    """A sequence and a state of one GRU: tf-keras' output names "gru", "gru_1", so the
    serving signature keeps both."""
    model, directory = saved["gru_states"]
    base = model.layers[-1].name
    assert model.output_names == [base, f"{base}_1"]
    signature = tf.saved_model.load(directory).signatures["serving_default"]
    assert sorted(signature.structured_outputs) == [base, f"{base}_1"]


@pytest.fixture(scope="module")
def saved_module(tmp_path_factory):
    module = rnn_export_models.build_module(tf)
    directory = str(tmp_path_factory.mktemp("rnn_module") / "module")
    tf.saved_model.save(module, directory, signatures=module.__call__)
    return module, directory


def test_a_module_of_recurrent_layers_runs_in_tensorflow(saved_module):
    """A tf.Module has no Keras metadata: TF and tensorflux both run its functions."""
    record = FIXTURE["module"]
    for path in ("signature", "session"):
        assert record[path]["ok"], f"module through {path}: {record[path].get('error')}"
        for (got,), (ours,) in zip(record[path]["outputs"], record["ours"], strict=True):
            np.testing.assert_allclose(got, ours, rtol=1e-5, atol=1e-5)
    module, directory = saved_module
    _check_tensorflow_ops(directory, "module")
    loaded = tf.saved_model.load(directory)
    signature = loaded.signatures["serving_default"]
    for x, (ours,) in zip(rnn_export_models.module_inputs(), record["ours"], strict=True):
        expected = module(x)["y"].numpy()
        np.testing.assert_allclose(expected, ours, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(signature(x=x)["y"].numpy(), expected, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(loaded(x)["y"].numpy(), expected, rtol=1e-6, atol=1e-6)
