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
