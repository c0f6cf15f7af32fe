"""``callbacks.TensorBoard``, ``RemoteMonitor`` and ``BaseLogger`` against tf_keras 2.21:
the runs, tags, plugins and steps the TensorBoard callback writes are compared with those
tf_keras wrote for the same fits (``tests/fixtures/summary_events.json``, recorded by
``tests/summary/record_summary_fixtures.py``)."""

from __future__ import annotations

import http.server
import json
import os
import threading
import urllib.parse

import numpy as np
import pytest

import tensorflux as tf
from tests.summary.event_reader import event_files, read_events, tags

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "summary_events.json")
with open(FIXTURE) as _f:
    REF = json.load(_f)


def _model(optimizer="sgd"):
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(3, activation="relu", input_shape=(4,)),
            tf.keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data():
    rng = np.random.default_rng(0)
    x = rng.random((12, 4)).astype("float32")
    return x, (x.sum(axis=1) > 2).astype("int32")


def _summary(log_dir):
    """run -> tag -> {plugin, steps, dtype, shape} with the layers' names made generic
    (the fixture's models were the 1st, 2nd... of their process)."""
    out = {}
    for run in sorted(os.listdir(log_dir)):
        if not os.path.isdir(os.path.join(log_dir, run)):
            continue
        got = tags(os.path.join(log_dir, run))
        out[run] = {_generic(t): v for t, v in got.items()}
        out[run]["_files"] = len(event_files(os.path.join(log_dir, run)))
        out[run]["_graph"] = any("graph_def" in e for e in read_events(os.path.join(log_dir, run)))
    return out


def _generic(tag: str) -> str:
    head, _, rest = tag.partition("/")
    if head.startswith("dense") and rest:
        return "dense_N/" + rest
    return tag


def _generic_ref(runs: dict) -> dict:
    return {run: {_generic(t): v for t, v in got.items()} for run, got in runs.items()}


@pytest.mark.parametrize(
    "key, kwargs, verbose, schedule",
    [
        ("epoch", dict(histogram_freq=1), 0, False),
        ("batch_images", dict(histogram_freq=1, update_freq="batch", write_images=True), 0, False),
        ("every_2", dict(update_freq=2, write_graph=False), 0, False),
        ("every_2_verbose", dict(update_freq=2, write_graph=False), 1, False),
        ("schedule", dict(write_graph=False), 0, True),
        ("graph_verbose", dict(), 1, False),
    ],
)
def test_runs_and_tags_as_tf_keras(tmp_path, capsys, key, kwargs, verbose, schedule):
    tf.keras.utils.set_random_seed(0)
    optimizer = "sgd"
    if schedule:
        optimizer = tf.keras.optimizers.SGD(
            tf.keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
        )
    model = _model(optimizer)
    x, y = _data()
    callback = tf.keras.callbacks.TensorBoard(str(tmp_path), **kwargs)
    model.fit(
        x, y, batch_size=4, epochs=2, validation_data=(x, y), callbacks=[callback], verbose=verbose
    )
    capsys.readouterr()
    got = _summary(str(tmp_path))
    assert got == _generic_ref(REF["keras"][key])


def test_keras_model_config_event(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,), name="d")])
    callback = tf.keras.callbacks.TensorBoard(str(tmp_path))
    callback.set_model(model)
    callback._close_writers()
    (event,) = [e for e in read_events(str(tmp_path / "train")) if e["values"]]
    value = event["values"][0]
    ref = REF["keras_model_config"]
    assert (value["tag"], value["plugin"], event["step"]) == ("keras", ref["plugin"], ref["step"])
    assert value["content"] == b"1"
    config = json.loads(value["tensor"].item().decode("utf-8"))
    assert config == json.loads(model.to_json())
    ref_config = json.loads(ref["json"])
    assert config["class_name"] == ref_config["class_name"] == "Sequential"
    assert [layer["class_name"] for layer in config["config"]["layers"]] == [
        layer["class_name"] for layer in ref_config["config"]["layers"]
    ]


def test_subclassed_model_writes_no_config(tmp_path):
    class Tiny(tf.keras.Model):
        def call(self, x):
            return x

    callback = tf.keras.callbacks.TensorBoard(str(tmp_path))
    callback.set_model(Tiny())
    callback._close_writers()
    assert not os.path.exists(tmp_path / "train")


def test_projector_config(tmp_path):
    model = tf.keras.Sequential(
        [tf.keras.layers.Embedding(5, 2, input_length=3, name="emb"), tf.keras.layers.Flatten()]
    )
    model.build((None, 3))
    callback = tf.keras.callbacks.TensorBoard(
        str(tmp_path), embeddings_freq=1, embeddings_metadata={"emb": "meta.tsv"}
    )
    callback.set_model(model)
    callback._close_writers()
    assert (tmp_path / "projector_config.pbtxt").read_text() == REF["projector_config"]
    with pytest.raises(ValueError, match="Unrecognized `Embedding` layer names"):
        tf.keras.callbacks.TensorBoard(
            str(tmp_path), embeddings_freq=1, embeddings_metadata={"nope": "m.tsv"}
        ).set_model(model)


def test_embeddings_checkpoint_each_epoch(tmp_path):
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Embedding(5, 2, input_length=3),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile("sgd", "mse")
    x = np.array([[0, 1, 2], [3, 4, 0]])
    callback = tf.keras.callbacks.TensorBoard(str(tmp_path), embeddings_freq=1)
    model.fit(x, np.zeros((2, 1)), epochs=2, callbacks=[callback], verbose=0)
    names = os.listdir(tmp_path / "train")
    assert any(n.startswith("keras_embedding.ckpt-0") for n in names)
    assert any(n.startswith("keras_embedding.ckpt-1") for n in names)


def test_summaries_inside_the_model_follow_update_freq(tmp_path):
    class Logged(tf.keras.layers.Layer):
        def call(self, x):
            tf.summary.scalar("mean_input", tf.reduce_mean(x))
            return x

    model = tf.keras.Sequential([tf.keras.Input((4,)), Logged(), tf.keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    x, _ = _data()
    callback = tf.keras.callbacks.TensorBoard(str(tmp_path), update_freq=2, write_graph=False)
    model.fit(x, np.zeros((12, 2)), batch_size=4, epochs=2, callbacks=[callback], verbose=0)
    # Recorded on training steps 0, 2, 4 of 6 (the step count before each update), with
    # the step the writer was made default with, as tf_keras. (tf_keras tags it
    # "sequential/logged/mean_input": its layer calls open name scopes, ours do not.)
    (tag,) = [t for t in tags(str(tmp_path / "train")) if t.endswith("mean_input")]
    assert tags(str(tmp_path / "train"))[tag]["steps"] == [0, 0, 0]


@pytest.mark.parametrize(
    "value, ok",
    [
        (0, True),
        (3, True),
        ((2, 4), True),
        ("2,4", True),
        ("3", True),
        (-1, False),
        ((4, 2), False),
    ],
)
def test_profile_batch_validation(value, ok):
    if ok:
        tf.keras.callbacks.TensorBoard(profile_batch=value)
    else:
        with pytest.raises(ValueError, match="profile_batch must be a non-negative integer"):
            tf.keras.callbacks.TensorBoard(profile_batch=value)


def test_legacy_and_unknown_kwargs():
    with pytest.warns(UserWarning, match="`write_grads` will be ignored"):
        tf.keras.callbacks.TensorBoard(write_grads=True)
    with pytest.raises(ValueError, match="Unrecognized arguments in `TensorBoard` Callback"):
        tf.keras.callbacks.TensorBoard(bogus=1)


def test_tensorboard_reads_the_callback_logs(tmp_path):
    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator",
        reason="tensorboard is not installed (optional; our own reader checks the files)",
    )
    model = _model()
    x, y = _data()
    callback = tf.keras.callbacks.TensorBoard(str(tmp_path), histogram_freq=1)
    model.fit(x, y, epochs=1, validation_data=(x, y), callbacks=[callback], verbose=0)
    acc = accumulator.EventAccumulator(str(tmp_path / "train"), size_guidance={"tensors": 0})
    acc.Reload()
    assert "epoch_loss" in acc.Tags()["tensors"]
    assert acc.SummaryMetadata("keras").plugin_data.plugin_name == "graph_keras_model"


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 -- the http.server hook's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Recorder.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("as_json", [False, True])
def test_remote_monitor_posts_epoch_logs(as_json):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.received = []
    try:
        monitor = tf.keras.callbacks.RemoteMonitor(
            root=f"http://127.0.0.1:{server.server_port}", send_as_json=as_json
        )
        monitor.on_epoch_end(2, {"loss": np.float32(0.5), "acc": 1.0})
    finally:
        server.shutdown()
        server.server_close()
    ((path, content_type, body),) = _Recorder.received
    assert path == "/publish/epoch/end/"
    if as_json:
        assert content_type == "application/json"
        sent = json.loads(body)
    else:
        sent = json.loads(urllib.parse.parse_qs(body.decode())["data"][0])
    assert sent == {"epoch": 2, "loss": 0.5, "acc": 1.0}


def test_remote_monitor_warns_when_unreachable():
    monitor = tf.keras.callbacks.RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(UserWarning, match="could not reach RemoteMonitor root server"):
        monitor.on_epoch_end(0, {"loss": 1.0})


def test_base_logger_averages_by_size():
    logger = tf.keras.callbacks.BaseLogger(stateful_metrics=["last"])
    logger.set_params({"metrics": ["loss", "last"]})
    logger.on_epoch_begin(0)
    logger.on_batch_end(0, {"size": 2, "loss": 1.0, "last": 5.0})
    logger.on_batch_end(1, {"size": 6, "loss": 3.0, "last": 7.0})
    logs = {}
    logger.on_epoch_end(0, logs)
    assert logs == {"loss": 2.5, "last": 7.0}


def test_experimental_namespace():
    assert tf.keras.callbacks.experimental.BackupAndRestore is tf.keras.callbacks.BackupAndRestore


def test_sidecar_evaluator_model_export_saves_best_under_checkpoint_epoch(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    saver = tf.keras.callbacks.ModelCheckpoint(
        str(tmp_path / "ckpt-{epoch:04d}"), save_weights_only=True
    )
    model.fit(x, y, epochs=3, verbose=0, callbacks=[saver])
    export = tf.keras.callbacks.SidecarEvaluatorModelExport(
        export_filepath=str(tmp_path / "best" / "best-{epoch:04d}"),
        checkpoint_filepath=str(tmp_path / "ckpt-{epoch:04d}"),
        save_weights_only=True,
        monitor="loss",
        mode="min",
    )
    first = model.evaluate(x, y, verbose=0, callbacks=[export])
    assert export.export_index == 2 and export.best == pytest.approx(first)
    assert sorted(os.listdir(tmp_path / "best")) == [
        "best-0003.data-00000-of-00001",
        "best-0003.index",
        "checkpoint",
    ]
    model.evaluate(x, y * 100, verbose=0, callbacks=[export])  # worse: not saved
    assert export.best == pytest.approx(first)
