"""Records conv and recurrent Keras models saved by tf_keras 2.21 as a weights
checkpoint (``save_weights`` to a prefix) and as a SavedModel directory, with their
predictions, under ``tests/fixtures/keras_formats/layer_kinds/`` (the dense and
normalisation models' checkpoints and SavedModels are recorded by the checkpoint and
SavedModel scripts). Then tensorflux (``write_layer_kind_checkpoints.py``, run with the
``python3`` on PATH) writes weights checkpoints of the same models, and what tf_keras
predicts after ``load_weights`` of them goes to ``reverse.json`` beside our predictions.

Run with TensorFlow's Python:
``/path/to/tf-venv/bin/python tests/keras/saving/record_layer_kind_fixtures.py``.
The SavedModels keep what tf_keras wrote except the function library, which tensorflux
never reads (it rebuilds Keras models from ``keras_metadata.pb``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tf_keras  # noqa: E402
from tensorflow.core.protobuf import saved_model_pb2  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "tests" / "fixtures" / "keras_formats" / "layer_kinds"
sys.path.insert(0, str(ROOT))

from tests.keras.saving import layer_kind_models  # noqa: E402


def _strip_library(directory: Path) -> None:
    path = directory / "saved_model.pb"
    saved = saved_model_pb2.SavedModel()
    saved.ParseFromString(path.read_bytes())
    saved.meta_graphs[0].graph_def.library.Clear()
    saved.meta_graphs[0].meta_info_def.stripped_op_list.Clear()
    path.write_bytes(saved.SerializeToString())


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    record = {}
    for name, build in layer_kind_models.MODELS.items():
        tf_keras.utils.set_random_seed(2)
        model = build(tf_keras)
        model.compile(optimizer="adam", loss="mse")
        x, y = layer_kind_models.data(name)
        model.fit(x, y, epochs=1, batch_size=4, verbose=0, shuffle=False)
        model.save_weights(str(OUT / f"{name}_ckpt" / "weights"))
        model.save(str(OUT / f"{name}_savedmodel"))
        _strip_library(OUT / f"{name}_savedmodel")
        record[name] = {
            "x": x.tolist(),
            "y": model.predict(x, verbose=0).tolist(),
            "iterations": int(model.optimizer.iterations.numpy()),
        }
    (OUT / "predictions.json").write_text(json.dumps(record) + "\n")
    (OUT / "reverse.json").write_text(json.dumps(_tf_reads_ours()) + "\n")
    print("wrote", OUT)


def _tf_reads_ours() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        writer = Path(__file__).with_name("write_layer_kind_checkpoints.py")
        subprocess.run(["python3", str(writer), tmp], check=True)
        ours = json.loads((Path(tmp) / "ours.json").read_text())
        out = {}
        for name, build in layer_kind_models.MODELS.items():
            model = build(tf_keras)
            model.compile(optimizer="adam", loss="mse")
            model.load_weights(str(Path(tmp) / name / "weights"))
            x, _ = layer_kind_models.data(name)
            out[name] = {
                "tf_keras": model.predict(x, verbose=0).tolist(),
                "ours": ours[name],
                "iterations": int(model.optimizer.iterations.numpy()),
            }
        return out


if __name__ == "__main__":
    main()
