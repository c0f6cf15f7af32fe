"""Records the asset and optimizer-state SavedModel fixtures with real TensorFlow 2.21 +
tf-keras 2.21 (``TF_USE_LEGACY_KERAS=1 python tests/saved_model/record_assets_slots_fixtures.py``).

Writes into ``tests/fixtures/savedmodels/``:

- ``assets_slots.json``: what TF gives
  * for ``tf.saved_model.Asset`` (errors for bad paths; saving an asset whose file is
    missing or a directory),
  * when it loads a SavedModel tensorflux (imported from this checkout) wrote of a
    ``tf.Module`` holding assets: the AssetFileDefs, the files in ``assets/``, each
    loaded asset's path, the saved function and signature reading the files, and a
    TF 1 session running the signature,
  * for the optimizer state of a compiled Keras model (``optimizer_state_models``, four
    optimizers): tf-keras' own SavedModel round trip (``load_model``, and
    ``load_weights`` of ``variables/variables`` on a compiled model) and the same two
    on the SavedModel tensorflux wrote of the same training; each then trains one
    more step.
- ``tf_assets/``: a ``tf.Module`` with assets saved by TF (function library kept).
- ``tk_state_<optimizer>/``: the tf-keras SavedModels of the trained model (function
  library dropped: tensorflux rebuilds Keras models from ``keras_metadata.pb``).
"""

import json
import os
import pathlib
import shutil
import sys
import tempfile

import tensorflow as tf
import tf_keras
from tensorflow.core.protobuf import saved_model_pb2

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "savedmodels"
sys.path.insert(0, str(ROOT))

from tests.keras.saving import optimizer_state_models as osm  # noqa: E402

# The asset files: two share a basename with different contents, one repeats the
# contents of the first under the same basename.
ASSET_FILES = {
    "d1/vocab.txt": "alpha\nbeta\n",
    "d2/vocab.txt": "gamma\n",
    "d3/vocab.txt": "alpha\nbeta\n",
}


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - what TF raises is what is recorded
        return {"type": type(e).__name__, "message": str(e)[:300]}
    return None


def _write_asset_files(base):
    for name, text in ASSET_FILES.items():
        path = os.path.join(base, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def _saved_asset_defs(path):
    saved = saved_model_pb2.SavedModel()
    saved.ParseFromString(pathlib.Path(path, "saved_model.pb").read_bytes())
    meta = saved.meta_graphs[0]
    nodes = meta.object_graph_def.nodes
    indexes = {
        child.local_name: nodes[child.node_id].asset.asset_file_def_index
        for child in nodes[0].children
        if nodes[child.node_id].WhichOneof("kind") == "asset"
    }
    return {
        "asset_file_defs": [[a.tensor_info.name, a.filename] for a in meta.asset_file_def],
        "asset_node_indexes": indexes,
    }


def _read(outputs):
    return {k: v.numpy().decode() for k, v in outputs.items()}


def record_assets(report):
    base = tempfile.mkdtemp()
    _write_asset_files(base)
    files = {name: os.path.join(base, name) for name in ASSET_FILES}

    class Vocabs(tf.Module):
        def __init__(self):
            super().__init__()
            self.first = tf.saved_model.Asset(files["d1/vocab.txt"])
            self.second = tf.saved_model.Asset(files["d2/vocab.txt"])
            self.third = tf.saved_model.Asset(files["d3/vocab.txt"])
            self.again = self.first

        @tf.function(input_signature=[])
        def read(self):
            return {
                "first": tf.io.read_file(self.first.asset_path),
                "second": tf.io.read_file(self.second),
                "third": tf.io.read_file(self.third.asset_path),
            }

    target = OUT / "tf_assets"
    shutil.rmtree(target, ignore_errors=True)
    vocabs = Vocabs()
    tf.saved_model.save(vocabs, str(target), signatures=vocabs.read)
    loaded = tf.saved_model.load(str(target))
    report["tf_wrote"] = {
        **_saved_asset_defs(target),
        "assets": sorted(os.listdir(target / "assets")),
        "read": _read(loaded.read()),
    }
    report["errors"] = {
        "int": _error(lambda: tf.saved_model.Asset(5)),
        "none": _error(lambda: tf.saved_model.Asset(None)),
        "float": _error(lambda: tf.saved_model.Asset(1.5)),
    }
    missing = tf.Module()
    missing.file = tf.saved_model.Asset(os.path.join(base, "missing.txt"))
    out = os.path.join(base, "missing_sm")
    report["save_missing_file"] = {
        "error": _error(lambda: tf.saved_model.save(missing, out)),
        "assets": sorted(os.listdir(os.path.join(out, "assets"))),
        **_saved_asset_defs(out),
    }
    folder = tf.Module()
    folder.file = tf.saved_model.Asset(os.path.join(base, "d1"))
    error = _error(lambda: tf.saved_model.save(folder, os.path.join(base, "folder_sm")))
    report["save_directory"] = {"type": error["type"]}

    import tensorflux as tfx

    class OurVocabs(tfx.Module):
        def __init__(self):
            super().__init__()
            self.first = tfx.saved_model.Asset(files["d1/vocab.txt"])
            self.second = tfx.saved_model.Asset(files["d2/vocab.txt"])
            self.third = tfx.saved_model.Asset(files["d3/vocab.txt"])
            self.again = self.first
            self.scale = tfx.Variable(2.0)

        @tfx.function(input_signature=[])
        def read(self):
            return {
                "first": tfx.io.read_file(self.first.asset_path),
                "second": tfx.io.read_file(self.second),
                "third": tfx.io.read_file(self.third.asset_path),
            }

    ours = os.path.join(base, "ours")
    tfx.saved_model.save(OurVocabs(), ours)
    moved = os.path.join(base, "moved")
    os.rename(ours, moved)
    loaded = tf.saved_model.load(moved)
    record = {
        **_saved_asset_defs(moved),
        "assets": sorted(os.listdir(os.path.join(moved, "assets"))),
        "paths": {
            k: os.path.relpath(getattr(loaded, k).asset_path.numpy().decode(), moved)
            for k in ("first", "second", "third", "again")
        },
        "again_is_first": loaded.again is loaded.first,
        "read": _read(loaded.read()),
        "signature": _read(loaded.signatures["serving_default"]()),
    }
    with tf.compat.v1.Session(graph=tf.Graph()) as session:
        meta = tf.compat.v1.saved_model.loader.load(session, ["serve"], moved)
        outputs = meta.signature_def["serving_default"].outputs
        values = session.run({k: v.name for k, v in outputs.items()})
        record["tf1_session"] = {k: v.decode() for k, v in values.items()}
    report["tf_reads_ours"] = record


def _strip_functions(path):
    saved = saved_model_pb2.SavedModel()
    saved.ParseFromString(pathlib.Path(path, "saved_model.pb").read_bytes())
    saved.meta_graphs[0].graph_def.library.Clear()
    saved.meta_graphs[0].meta_info_def.stripped_op_list.Clear()
    pathlib.Path(path, "saved_model.pb").write_bytes(saved.SerializeToString())


def _resume(path, name):
    """tf-keras' two ways back from a SavedModel, each followed by one training step."""
    loaded = tf_keras.models.load_model(path)
    record = {"load_model": {"iterations": int(loaded.optimizer.iterations.numpy())}}
    loaded.train_on_batch(osm.STEP_X, osm.STEP_Y)
    record["load_model"]["after_step"] = osm.weights(loaded)
    record["load_model"]["optimizer_after_step"] = osm.optimizer_values(loaded)
    fresh = osm.build(tf_keras, name)
    fresh.load_weights(os.path.join(path, "variables", "variables"))
    record["load_weights"] = {
        "iterations": int(fresh.optimizer.iterations.numpy()),
        "optimizer_variables": len(osm.optimizer_values(fresh)),
    }
    fresh.train_on_batch(osm.STEP_X, osm.STEP_Y)
    record["load_weights"]["after_step"] = osm.weights(fresh)
    record["load_weights"]["optimizer_after_step"] = osm.optimizer_values(fresh)
    return record


def record_optimizer_state(report):
    import tensorflux as tfx

    base = tempfile.mkdtemp()
    for name in osm.OPTIMIZERS:
        model = osm.trained(tf_keras, name)
        target = OUT / f"tk_state_{name}"
        shutil.rmtree(target, ignore_errors=True)
        model.save(str(target))
        own = _resume(str(target), name)
        _strip_functions(target)
        trained = {"weights": osm.weights(model), "optimizer": osm.optimizer_values(model)}
        model.train_on_batch(osm.STEP_X, osm.STEP_Y)
        trained["uninterrupted_after_step"] = osm.weights(model)
        trained["uninterrupted_optimizer_after_step"] = osm.optimizer_values(model)
        ours = osm.trained(tfx.keras, name)
        path = os.path.join(base, name)
        ours.save(path)
        report[name] = {"tf_keras": {**trained, **own}, "tf_reads_ours": _resume(path, name)}


def main():
    report = {"assets": {}, "optimizer_state": {}}
    record_assets(report["assets"])
    record_optimizer_state(report["optimizer_state"])
    (OUT / "assets_slots.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
