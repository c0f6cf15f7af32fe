"""tf.io.matching_files / match_filenames_once against TF 2.21's recorded matches, and
tf.io.write_graph."""

import os

import pytest

import tensorflux as tf
from tests.io.io_cases import FILE_PATTERNS, FILES
from tests.io.io_harness import FIXTURE


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("match")
    for name in FILES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    return str(root)


def _join(folder, p):
    return os.path.join(folder, p) if p else folder


@pytest.mark.parametrize("index", range(len(FILE_PATTERNS)))
def test_matching_files_matches_tf(folder, index):
    pattern = FILE_PATTERNS[index]
    full = (
        [_join(folder, p) for p in pattern] if isinstance(pattern, list) else _join(folder, pattern)
    )
    found = tf.io.matching_files(full)
    assert found.dtype == tf.string and found.shape.rank == 1
    relative = [os.path.relpath(f.decode(), folder) for f in found.numpy().tolist()]
    assert relative == FIXTURE["matching_files"][index]


def test_match_filenames_once(folder):
    name, trainable, shape, dtype = FIXTURE["matching_files"][-1]
    v = tf.io.match_filenames_once(os.path.join(folder, "*.txt"))
    assert (v.name, v.trainable, v.shape.as_list(), v.dtype.name) == (name, trainable, shape, dtype)


def test_matching_files_in_function_sees_new_files(tmp_path):
    f = tf.function(lambda p: tf.io.matching_files(p))
    pattern = str(tmp_path / "*.txt")
    assert f(pattern).numpy().tolist() == []
    (tmp_path / "n.txt").touch()
    assert [os.path.basename(p) for p in f(pattern).numpy()] == [b"n.txt"]


def test_matching_files_rank_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"scalar or vector.*\[1,1\]"):
        tf.io.matching_files([["a"]])


def test_write_graph_text_matches_tf(tmp_path):
    """TF's binary GraphDef, written back as text, reads as TF wrote it."""
    graph = FIXTURE["write_graph"]
    path = tf.io.write_graph(bytes.fromhex(graph["binary"]), str(tmp_path / "new"), "g.pbtxt")
    assert path == str(tmp_path / "new" / "g.pbtxt")
    assert open(path).read() == graph["text"]
    binary = tf.io.write_graph(bytes.fromhex(graph["binary"]), tmp_path, "g.pb", as_text=False)
    assert open(binary, "rb").read().hex() == graph["binary"]


def test_write_graph_of_traced_function(tmp_path):
    f = tf.function(lambda a: a * 2.0).get_concrete_function(tf.TensorSpec([2], tf.float32))
    text = open(tf.io.write_graph(f.graph, tmp_path, "f.pbtxt")).read()
    assert 'op: "Placeholder"' in text and 'op: "Mul"' in text
    assert text.endswith("versions {\n  producer: %d\n}\n" % tf.version.GRAPH_DEF_VERSION)
    data = open(tf.io.write_graph(f.graph, tmp_path, "f.pb", as_text=False), "rb").read()
    assert data.startswith(b"\n") and b"Placeholder" in data


def test_write_graph_refuses_other_values(tmp_path):
    with pytest.raises(TypeError, match="write_graph expects a graph"):
        tf.io.write_graph(3, tmp_path, "x.pbtxt")
