"""tf.summary against TF 2.21: event records compared byte for byte with those TF wrote
(``tests/fixtures/summary_events.json``, recorded by ``record_summary_fixtures.py``),
read back by the tests' own reader and, when installed, by TensorBoard."""

from __future__ import annotations

import base64
import io
import json
import os
import re

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.proto_wire import Message
from tensorflux.summary.event_file import encode_event, frame_record
from tests.summary.event_reader import decode_event, event_files, read_events, records, tags

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "summary_events.json")

with open(FIXTURE) as _f:
    REF = json.load(_f)

# The calls TF made when recording, made again with tensorflux.
CASES = {
    "scalar": lambda: tf.summary.scalar("loss", 0.25, step=3),
    "scalar_described": lambda: tf.summary.scalar(
        "acc", np.float64(0.5), step=7, description="accuracy"
    ),
    "histogram": lambda: tf.summary.histogram(
        "weights", np.array([0.0, 1.0, 2.0, 2.5, -1.0]), step=1, buckets=4
    ),
    "histogram_default": lambda: tf.summary.histogram(
        "w30", np.linspace(-1, 3, 17).astype(np.float32), step=2
    ),
    "histogram_constant": lambda: tf.summary.histogram("c", [2.0, 2.0, 2.0], step=0),
    "histogram_empty": lambda: tf.summary.histogram("e", np.zeros([0]), step=0),
    "text": lambda: tf.summary.text("notes", "hello **world**", step=2),
    "text_vector": lambda: tf.summary.text("rows", ["a", "bc"], step=5),
    "image_uint8": lambda: tf.summary.image(
        "img", np.arange(2 * 2 * 3 * 3, dtype=np.uint8).reshape(2, 2, 3, 3) * 7, step=4
    ),
    "image_float": lambda: tf.summary.image(
        "imgf",
        np.linspace(0, 1, 2 * 3 * 2 * 1, dtype=np.float32).reshape(2, 3, 2, 1),
        step=1,
        max_outputs=1,
    ),
    "audio": lambda: tf.summary.audio(
        "snd",
        np.sin(np.linspace(0, 6, 16)).reshape(1, 8, 2).astype(np.float32),
        sample_rate=8000,
        step=0,
    ),
    "write": lambda: tf.summary.write("raw", tf.constant([1, 2], tf.int64), step=9),
}


def _written(tmp_path, call, as_function=False):
    """The records after the file_version one that ``call`` writes to a new writer."""
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        if as_function:
            tf.function(lambda: call() and None)()
        else:
            assert bool(call())
    writer.close()
    (path,) = event_files(str(tmp_path))
    return records(path)[1:]


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("as_function", [False, True], ids=["eager", "function"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_events_match_tf_bytes(tmp_path, case, as_function):
    ours = _written(tmp_path, CASES[case], as_function)
    theirs = [base64.b64decode(r) for r in REF["raw"][case]]
    assert len(ours) == len(theirs) == 1
    mine, ref = Message(ours[0]), Message(theirs[0])
    assert mine.int64(2) == ref.int64(2)
    if case.startswith("image"):
        # PNG streams depend on the zlib settings: compare everything else and the pixels.
        a, b = decode_event(ours[0])["values"][0], decode_event(theirs[0])["values"][0]
        assert (a["tag"], a["plugin"], a["content"]) == (b["tag"], b["plugin"], b["content"])
        assert a["tensor"].shape == b["tensor"].shape
        assert list(a["tensor"][:2]) == list(b["tensor"][:2])
        for png_a, png_b in zip(a["tensor"][2:], b["tensor"][2:]):
            np.testing.assert_array_equal(_pixels(png_a), _pixels(png_b))
        return
    # The whole event, byte for byte, given TF's wall time.
    summary = mine.bytes(5)
    assert encode_event(ref.float64(1), mine.int64(2), summary=summary) == theirs[0]


def test_first_event_and_file_name(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path / "run"))
    writer.close()
    (path,) = event_files(str(tmp_path / "run"))
    name = os.path.basename(path)
    assert re.fullmatch(r"events\.out\.tfevents\.\d{10}\.[^.]+(\.[^.]+)*\.\d+\.\d+\.v2", name)
    assert name.split(".")[-4] == str(os.getpid()) or str(os.getpid()) in name
    (first,) = [decode_event(r) for r in records(path)]
    ref = decode_event(base64.b64decode(REF["raw"]["_file_version"]))
    assert first["file_version"] == ref["file_version"] == "brain.Event:2"
    assert first["step"] == 0 and first["values"] == []
    assert first["source_writer"] and ref["source_writer"]
    suffixed = tf.summary.create_file_writer(str(tmp_path / "s"), filename_suffix=".x")
    suffixed.close()
    assert event_files(str(tmp_path / "s"))[0].endswith(".x")


def test_frame_record_crcs():
    record = frame_record(b"abc")
    assert len(record) == 8 + 4 + 3 + 4 and record[12:15] == b"abc"


def test_function_writes_on_every_call_with_variable_step(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    step = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def train(x):
        tf.summary.scalar("x", x, step=step)
        tf.summary.histogram("h", tf.fill([3], x), step=step)
        step.assign_add(1)
        return x

    with writer.as_default():
        for i in range(3):
            train(tf.constant(float(i)))
    writer.close()
    got = tags(str(tmp_path))
    assert got["x"]["steps"] == [0, 1, 2] and got["h"]["steps"] == [0, 1, 2]
    scalars = [e["values"][0]["tensor"] for e in read_events(str(tmp_path))[1::2]]
    assert [float(s) for s in scalars] == [0.0, 1.0, 2.0]


def test_record_if_callable_is_evaluated_in_function(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    step = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def f():
        with tf.summary.record_if(lambda: tf.equal(step % 2, 0)):
            tf.summary.scalar("even", 1.0, step=step)
        step.assign_add(1)

    with writer.as_default():
        for _ in range(5):
            f()
    writer.close()
    assert tags(str(tmp_path))["even"]["steps"] == [0, 2, 4]


def test_default_step_writer_stack_and_record_if(tmp_path):
    a = tf.summary.create_file_writer(str(tmp_path / "a"))
    b = tf.summary.create_file_writer(str(tmp_path / "b"))
    with a.as_default(step=10):
        tf.summary.scalar("s", 1.0)
        with b.as_default(step=20):
            tf.summary.scalar("s", 2.0)
            assert tf.summary.experimental.get_step() == 20
        tf.summary.scalar("s", 3.0)
        with tf.summary.record_if(False):
            assert not bool(tf.summary.scalar("off", 1.0))
            assert not bool(tf.summary.should_record_summaries())
        assert bool(tf.summary.should_record_summaries())
    assert tf.summary.experimental.get_step() is None
    a.close()
    b.close()
    assert tags(str(tmp_path / "a"))["s"]["steps"] == [10, 10]
    assert tags(str(tmp_path / "b"))["s"]["steps"] == [20]
    assert "off" not in tags(str(tmp_path / "a"))


def test_set_as_default_and_set_step(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    writer.set_as_default(step=4)
    try:
        tf.summary.text("t", "x")
        tf.summary.experimental.set_step(5)
        tf.summary.text("t", "y")
    finally:
        tf.summary.experimental.set_step(None)
        tf.summary.SummaryWriter.as_default(tf.summary.create_noop_writer()).__enter__()
        from tensorflux.summary.writer import state

        state.writer = None
    writer.close()
    assert tags(str(tmp_path))["t"]["steps"] == [4, 5]


def test_summary_scope_prefixes_tags(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default(step=0), tf.name_scope("outer"):
        tf.summary.scalar("loss", 1.0)
    writer.close()
    assert list(tags(str(tmp_path))) == ["outer/loss"]


def test_no_writer_and_noop_writer_return_false():
    assert bool(tf.summary.scalar("s", 1.0, step=1)) is REF["errors"]["no_writer"]
    with tf.summary.create_noop_writer().as_default():
        assert not bool(tf.summary.scalar("s", 1.0, step=1))
    # No writer: a missing step is no error, as nothing is recorded.
    assert not bool(tf.summary.histogram("h", [1.0]))


@pytest.mark.parametrize("key", ["scalar_rank", "no_step", "image_rank"])
def test_errors_as_tf(tmp_path, key):
    calls = {
        "scalar_rank": lambda: tf.summary.scalar("s", [1.0, 2.0], step=1),
        "no_step": lambda: tf.summary.scalar("s", 1.0),
        "image_rank": lambda: tf.summary.image("i", np.zeros([2, 2, 3]), step=1),
    }
    kind, message = REF["errors"][key]
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        with pytest.raises(getattr(__builtins__, kind, ValueError)) as info:
            calls[key]()
    assert type(info.value).__name__ == kind and str(info.value) == message


def test_text_needs_strings():
    with pytest.raises(TypeError, match="tensor must be of type tf.string; got tf.int32"):
        tf.summary.text("t", 3, step=1)


def test_unwritable_log_dirs(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(tf.errors.FailedPreconditionError, match="is not a directory"):
        tf.summary.create_file_writer(str(blocker / "run"))
    with pytest.raises(ValueError, match="`logdir` cannot be None"):
        tf.summary.create_file_writer(None)
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(tf.errors.PermissionDeniedError):
            tf.summary.create_file_writer(str(locked / "run"))


def test_queue_flush_and_close(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path), max_queue=2, flush_millis=10**9)
    (path,) = event_files(str(tmp_path))
    with writer.as_default(step=0):
        for i in range(2):
            tf.summary.scalar("s", float(i))
        assert len(records(path)) == 1  # still queued
        tf.summary.scalar("s", 2.0)  # more than max_queue waiting: written out
        assert len(records(path)) == 4
        tf.summary.scalar("s", 3.0)
        tf.summary.flush()
        assert len(records(path)) == 5
    writer.close()
    writer.close()
    with pytest.raises(RuntimeError, match="is already closed"):
        writer.as_default()
    with pytest.raises(ValueError, match="Invalid argument to flush"):
        tf.summary.flush(writer="nope")


def test_write_raw_pb(tmp_path):
    from tensorflux.summary.event_file import encode_value
    from tensorflux.summary.plugins import encode_scalar, metadata

    summary = encode_value("raw_s", encode_scalar(np.float32(1.5)), metadata("scalars"))
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        assert bool(tf.summary.experimental.write_raw_pb(summary, step=6))
    writer.close()
    assert tags(str(tmp_path))["raw_s"]["steps"] == [6]


def test_image_conversion_and_max_outputs(tmp_path):
    images = np.stack([np.full((2, 2, 3), v, np.float32) for v in (0.0, 0.5, 1.0, 2.0)])
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default(step=0):
        tf.summary.image("i", images, max_outputs=4)
    writer.close()
    value = read_events(str(tmp_path))[1]["values"][0]
    assert value["tensor"].shape == (6,)
    # x * 255.5 truncated and saturated, as convert_image_dtype(saturate=True)
    assert [int(_pixels(png)[0, 0, 0]) for png in value["tensor"][2:]] == [0, 127, 255, 255]


def test_tensorboard_reads_our_files(tmp_path):
    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator",
        reason="tensorboard is not installed (optional; our own reader checks the files)",
    )
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default(step=1):
        for case in ("scalar", "histogram", "text", "image_uint8", "audio"):
            CASES[case]()
    writer.close()
    acc = accumulator.EventAccumulator(str(tmp_path), size_guidance={"tensors": 0})
    acc.Reload()
    assert sorted(acc.Tags()["tensors"]) == ["img", "loss", "notes", "snd", "weights"]
    plugins = {t: acc.SummaryMetadata(t).plugin_data.plugin_name for t in acc.Tags()["tensors"]}
    assert plugins == {
        "img": "images",
        "loss": "scalars",
        "notes": "text",
        "snd": "audio",
        "weights": "histograms",
    }
    assert acc.Tensors("loss")[0].step == 3
