"""``tf.saved_model.Asset`` against TF 2.21 (``record_assets_slots_fixtures.py``):
files copied into ``assets/`` under TF's names, the AssetFileDefs and object graph
entries TF writes, functions reading them before and after loading, and TF's own
SavedModel with assets loaded here."""

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework import graph_protos as protos
from tensorflux.saved_model.object_graph_def import ASSET, decode_object_graph

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "savedmodels"
RECORD = json.loads((FIXTURES / "assets_slots.json").read_text())["assets"]
# As the recording script writes them.
ASSET_FILES = {
    "d1/vocab.txt": "alpha\nbeta\n",
    "d2/vocab.txt": "gamma\n",
    "d3/vocab.txt": "alpha\nbeta\n",
}


def _files(base) -> dict:
    out = {}
    for name, text in ASSET_FILES.items():
        path = os.path.join(base, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        out[name] = path
    return out


class Vocabs(tf.Module):
    def __init__(self, files):
        super().__init__()
        self.first = tf.saved_model.Asset(files["d1/vocab.txt"])
        self.second = tf.saved_model.Asset(files["d2/vocab.txt"])
        self.third = tf.saved_model.Asset(files["d3/vocab.txt"])
        self.again = self.first
        self.scale = tf.Variable(2.0)

    @tf.function(input_signature=[])
    def read(self):
        return {
            "first": tf.io.read_file(self.first.asset_path),
            "second": tf.io.read_file(self.second),
            "third": tf.io.read_file(self.third.asset_path),
        }


def _decoded(outputs) -> dict:
    return {k: v.numpy().decode() for k, v in outputs.items()}


def _asset_defs(path) -> dict:
    """The AssetFileDefs' file names and each root asset's index, from our reader."""
    saved = protos.decode_saved_model((Path(path) / "saved_model.pb").read_bytes())
    meta = saved["meta_graphs"][0]
    nodes, _ = decode_object_graph(meta["object_graph"])
    indexes = {
        name: nodes[child].asset_file_def_index
        for name, child in nodes[0].children
        if nodes[child].kind == ASSET
    }
    return {"files": meta["asset_files"], "indexes": indexes}


def test_asset_path_eager_and_traced(tmp_path):
    files = _files(tmp_path)
    asset = tf.saved_model.Asset(Path(files["d1/vocab.txt"]))
    assert asset.asset_path.dtype == tf.string and asset.asset_path.shape == ()
    assert asset.asset_path.numpy().decode() == files["d1/vocab.txt"]
    assert tf.io.read_file(asset).numpy() == b"alpha\nbeta\n"

    @tf.function
    def read():
        return tf.io.read_file(asset.asset_path), tf.io.read_file(asset)

    assert [t.numpy() for t in read()] == [b"alpha\nbeta\n"] * 2
    assert tf.convert_to_tensor(asset).numpy() == asset.asset_path.numpy()


def test_created_inside_a_function_holds_an_eager_path(tmp_path):
    files = _files(tmp_path)
    made = []

    @tf.function
    def make():
        made.append(tf.saved_model.Asset(files["d2/vocab.txt"]))
        return tf.io.read_file(made[0])

    assert make().numpy() == b"gamma\n"
    assert made[0].asset_path.numpy().decode() == files["d2/vocab.txt"]


@pytest.mark.parametrize("key, value", [("int", 5), ("float", 1.5), ("none", None)])
def test_bad_paths_raise_tf_errors(key, value):
    want = RECORD["errors"][key]
    with pytest.raises((TypeError, ValueError)) as info:
        tf.saved_model.Asset(value)
    assert type(info.value).__name__ == want["type"]
    assert str(info.value).startswith(want["message"])


def test_module_assets_tracked_and_saved_as_tf_saves_them(tmp_path):
    files = _files(tmp_path / "src")
    module = Vocabs(files)
    assert _decoded(module.read()) == RECORD["tf_reads_ours"]["read"]
    tf.saved_model.save(module, str(tmp_path / "sm"))
    assert sorted(os.listdir(tmp_path / "sm" / "assets")) == RECORD["tf_wrote"]["assets"]
    assert (tmp_path / "sm" / "assets" / "vocab.txt_1").read_text() == "gamma\n"
    assert (tmp_path / "sm" / "assets" / "vocab.txt").read_text() == "alpha\nbeta\n"
    defs = _asset_defs(tmp_path / "sm")
    # TF's names for the same objects, its tensor names, and what TF read from ours.
    assert defs["files"] == [name for _, name in RECORD["tf_wrote"]["asset_file_defs"]]
    assert defs["indexes"] == RECORD["tf_wrote"]["asset_node_indexes"]
    assert RECORD["tf_reads_ours"]["asset_file_defs"] == RECORD["tf_wrote"]["asset_file_defs"]
    assert RECORD["tf_reads_ours"]["asset_node_indexes"] == defs["indexes"]


def test_load_ours_after_moving_the_directory(tmp_path):
    files = _files(tmp_path / "src")
    tf.saved_model.save(Vocabs(files), str(tmp_path / "sm"))
    shutil.rmtree(tmp_path / "src")
    os.rename(tmp_path / "sm", tmp_path / "moved")
    loaded = tf.saved_model.load(str(tmp_path / "moved"))
    expected = RECORD["tf_reads_ours"]
    paths = {
        k: os.path.relpath(getattr(loaded, k).asset_path.numpy().decode(), tmp_path / "moved")
        for k in ("first", "second", "third", "again")
    }
    assert paths == expected["paths"]
    assert (loaded.again is loaded.first) == expected["again_is_first"]
    assert isinstance(loaded.first, tf.saved_model.Asset)
    assert _decoded(loaded.read()) == expected["read"]
    assert _decoded(loaded.signatures["serving_default"]()) == expected["signature"]
    assert expected["tf1_session"] == expected["read"]
    assert float(loaded.scale.numpy()) == 2.0


def test_load_tf_written_savedmodel_with_assets(tmp_path):
    shutil.copytree(FIXTURES / "tf_assets", tmp_path / "tf_assets")
    loaded = tf.saved_model.load(str(tmp_path / "tf_assets"))
    assert _decoded(loaded.read()) == RECORD["tf_wrote"]["read"]
    assert _decoded(loaded.signatures["serving_default"]()) == RECORD["tf_wrote"]["read"]
    path = loaded.second.asset_path.numpy().decode()
    assert path == os.path.join(str(tmp_path / "tf_assets"), "assets", "vocab.txt_1")
    assert loaded.again is loaded.first

    @tf.function
    def read_through():
        return tf.io.read_file(loaded.third)

    assert read_through().numpy() == b"alpha\nbeta\n"


def test_missing_file_saved_without_copy_as_tf(tmp_path):
    module = tf.Module()
    module.file = tf.saved_model.Asset(str(tmp_path / "missing.txt"))
    tf.saved_model.save(module, str(tmp_path / "sm"))
    want = RECORD["save_missing_file"]
    assert want["error"] is None
    assert sorted(os.listdir(tmp_path / "sm" / "assets")) == want["assets"]
    defs = _asset_defs(tmp_path / "sm")
    assert defs["files"] == [name for _, name in want["asset_file_defs"]]
    assert defs["indexes"] == want["asset_node_indexes"]


def test_directory_asset_raises_invalid_argument(tmp_path):
    module = tf.Module()
    module.folder = tf.saved_model.Asset(str(tmp_path))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.saved_model.save(module, str(tmp_path / "sm"))
    assert RECORD["save_directory"]["type"] == "InvalidArgumentError"
    assert not (tmp_path / "sm").exists()


def test_keras_layer_attribute_asset(tmp_path):
    files = _files(tmp_path / "src")

    class Tagged(tf.keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.vocab = tf.saved_model.Asset(files["d2/vocab.txt"])

        def call(self, x):
            return x * tf.cast(tf.strings.length(tf.io.read_file(self.vocab)), x.dtype)

    model = tf.keras.Sequential([Tagged(input_shape=(2,))])
    x = np.ones((1, 2), "float32")
    np.testing.assert_array_equal(model(x).numpy(), [[6.0, 6.0]])
    tf.saved_model.save(model, str(tmp_path / "sm"))
    assert os.listdir(tmp_path / "sm" / "assets") == ["vocab.txt"]
    assert _asset_defs(tmp_path / "sm")["files"] == ["vocab.txt"]


def test_untracked_asset_path_is_a_constant(tmp_path):
    # As TF: an Asset no saved object holds is not copied; its path is captured as is.
    files = _files(tmp_path / "src")
    outside = tf.saved_model.Asset(files["d1/vocab.txt"])
    module = tf.Module()
    module.read = tf.function(lambda: tf.io.read_file(outside), input_signature=[])
    tf.saved_model.save(module, str(tmp_path / "sm"))
    assert os.listdir(tmp_path / "sm" / "assets") == []
    assert tf.saved_model.load(str(tmp_path / "sm")).read().numpy() == b"alpha\nbeta\n"


def test_public_name():
    assert tf.saved_model.Asset.__name__ == "Asset"
    assert "Asset" in dir(tf.saved_model)
