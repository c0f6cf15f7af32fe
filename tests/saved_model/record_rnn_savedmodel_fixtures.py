"""Records what real TensorFlow 2.21 makes of tensorflux's SavedModels of recurrent
Keras models (LSTM, GRU, SimpleRNN, Bidirectional, masked, unknown time length).

Run with a Python that has TensorFlow 2.21 and tf-keras 2.21, from the repository root:

    TF_USE_LEGACY_KERAS=1 python tests/saved_model/record_rnn_savedmodel_fixtures.py

For each model of ``rnn_export_models`` it saves the model with tensorflux (imported
from this checkout) and records, beside tensorflux's predictions and the inputs used:
the outputs of ``tf.saved_model.load(...).signatures["serving_default"]``, of a TF 1
session running that signature from the MetaGraphDef (as TF Serving does) and of
``tf_keras.models.load_model(...).predict``; for its ``tf.Module`` (no Keras
metadata), the first two. It also records TF's op names and, for
each op the files use, its output argument names and the attrs without a default, so
the tests can check a SavedModel's nodes without TensorFlow. Writes
``tests/fixtures/savedmodels/tf_reads_our_rnns.json``.
"""

import json
import os
import pathlib
import sys
import tempfile

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402
from tensorflow.core.framework import op_def_pb2  # noqa: E402
from tensorflow.core.protobuf import saved_model_pb2  # noqa: E402
from tensorflow.python.client import pywrap_tf_session  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import tensorflux  # noqa: E402
from tests.saved_model import rnn_export_models  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "savedmodels" / "tf_reads_our_rnns.json"


def _listed(outputs, names):
    """Model outputs as a list in ``names`` order (a dict by name, or a list)."""
    if isinstance(outputs, dict):
        return [np.asarray(outputs[n]).tolist() for n in names]
    if isinstance(outputs, (list, tuple)):
        return [np.asarray(o).tolist() for o in outputs]
    return [np.asarray(outputs).tolist()]


def _attempt(fn):
    try:
        return {"ok": True, "outputs": fn()}
    except Exception as e:  # recorded: the test reports TF's failure
        return {"ok": False, "error": f"{type(e).__name__}: {str(e)[:500]}"}


def _signature(path, xs, names):
    loaded = tf.saved_model.load(path)
    sig = loaded.signatures["serving_default"]
    (key,) = sig.structured_input_signature[1]
    # A Sequential model starting with an Embedding takes float32 ids, as in tf-keras.
    dtype = sig.structured_input_signature[1][key].dtype
    outputs = [sig(**{key: tf.cast(x, dtype)}) for x in xs]
    return [_listed({k: v.numpy() for k, v in out.items()}, names) for out in outputs]


def _session(path, xs, names):
    out = []
    for x in xs:
        with tf.compat.v1.Session(graph=tf.Graph()) as sess:
            meta = tf.compat.v1.saved_model.load(sess, ["serve"], path)
            sig = meta.signature_def["serving_default"]
            (key,) = sig.inputs
            fetches = {k: sig.outputs[k].name for k in sig.outputs}
            out.append(_listed(sess.run(fetches, {sig.inputs[key].name: x}), names))
    return out


def _tf_keras(path, xs, names):
    model = tf_keras.models.load_model(path)
    return [_listed(model.predict(x, verbose=0), names) for x in xs]


def _ops_used(path) -> set:
    saved = saved_model_pb2.SavedModel()
    saved.ParseFromString((pathlib.Path(path) / "saved_model.pb").read_bytes())
    library = saved.meta_graphs[0].graph_def.library
    return {n.op for f in library.function for n in f.node_def}


def _tf_ops() -> dict:
    ops = op_def_pb2.OpList()
    buffer = pywrap_tf_session.TF_GetAllOpList()
    ops.ParseFromString(pywrap_tf_session.TF_GetBuffer(buffer))
    return {op.name: op for op in ops.op}


def main():
    keras = tensorflux.keras
    models, used = {}, set()
    with tempfile.TemporaryDirectory() as tmp:
        for name in rnn_export_models.MODELS:
            model = rnn_export_models.build(keras, name)
            xs = rnn_export_models.inputs(name)
            path = os.path.join(tmp, name)
            model.save(path)
            names = list(model.output_names)
            used |= _ops_used(path)
            models[name] = {
                "inputs": [x.tolist() for x in xs],
                "input_dtype": str(xs[0].dtype),
                "output_names": names,
                "ours": [_listed(model.predict(x, verbose=0), names) for x in xs],
                "signature": _attempt(lambda p=path, x=xs, n=names: _signature(p, x, n)),
                "session": _attempt(lambda p=path, x=xs, n=names: _session(p, x, n)),
                "tf_keras": _attempt(lambda p=path, x=xs, n=names: _tf_keras(p, x, n)),
            }
            status = {k: models[name][k]["ok"] for k in ("signature", "session", "tf_keras")}
            print(name, status)
    with tempfile.TemporaryDirectory() as tmp:
        module = rnn_export_models.build_module(tensorflux)
        xs = rnn_export_models.module_inputs()
        path = os.path.join(tmp, "module")
        tensorflux.saved_model.save(module, path, signatures=module.__call__)
        used |= _ops_used(path)
        module_record = {
            "inputs": [x.tolist() for x in xs],
            "ours": [_listed(module(x), ["y"]) for x in xs],
            "signature": _attempt(lambda p=path, x=xs: _signature(p, x, ["y"])),
            "session": _attempt(lambda p=path, x=xs: _session(p, x, ["y"])),
        }
        print("module", {k: module_record[k]["ok"] for k in ("signature", "session")})
    tf_ops = _tf_ops()
    details = {
        op: {
            "outputs": [a.name for a in tf_ops[op].output_arg],
            "required_attrs": sorted(
                a.name for a in tf_ops[op].attr if not a.HasField("default_value")
            ),
        }
        for op in sorted(used)
        if op in tf_ops
    }
    report = {
        "tensorflow": tf.__version__,
        "models": models,
        "module": module_record,
        "tf_op_names": sorted(tf_ops),
        "tf_ops_used": details,
    }
    OUT.write_text(json.dumps(report, separators=(",", ":")) + "\n")
    print("wrote", OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
