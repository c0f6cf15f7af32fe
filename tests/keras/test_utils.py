"""keras.utils: to_categorical, normalize, set_random_seed, get_file (as tf_keras 2.21)."""

import hashlib
import io
import os
import random
import tarfile
import zipfile

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import utils
from tensorflux.keras.utils import data_utils


def test_to_categorical():
    np.testing.assert_array_equal(utils.to_categorical([0, 2, 1]), np.eye(3)[[0, 2, 1]])
    out = utils.to_categorical(np.array([[1], [0]]), num_classes=4)
    assert out.shape == (2, 4) and out.dtype == np.float32
    assert utils.to_categorical([[0, 1], [1, 0]], dtype="int32").shape == (2, 2, 2)
    assert utils.to_categorical(tf.constant([1, 0]), 2).dtype == np.float32
    with pytest.raises(IndexError, match="label 3 is out of range for num_classes=3"):
        utils.to_categorical([0, 3], num_classes=3)


def test_normalize():
    np.testing.assert_allclose(utils.normalize([[3.0, 4.0], [0.0, 0.0]]), [[0.6, 0.8], [0, 0]])
    np.testing.assert_allclose(utils.normalize(np.array([[1.0, 3.0]]), axis=0), [[1.0, 1.0]])
    np.testing.assert_allclose(utils.normalize([[1.0, 3.0]], order=1), [[0.25, 0.75]])


def test_set_random_seed_makes_runs_repeat():
    def draw():
        return random.random(), np.random.rand(), tf.random.uniform([2]).numpy().tolist()

    utils.set_random_seed(7)
    first = draw()
    utils.set_random_seed(7)
    assert draw() == first
    with pytest.raises(
        ValueError, match="Expected `seed` argument to be an integer. Received: seed=1.5"
    ):
        utils.set_random_seed(1.5)


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    folder = tmp_path / "server"
    folder.mkdir()
    (folder / "data.txt").write_bytes(b"hello world\n" * 100)
    return folder


def test_get_file_downloads_once_and_caches(server, tmp_path, capsys):
    origin = (server / "data.txt").as_uri()
    sha = hashlib.sha256((server / "data.txt").read_bytes()).hexdigest()
    path = utils.get_file("data.txt", origin, file_hash=sha)
    assert path == str(tmp_path / "home" / "datasets" / "data.txt")
    out = capsys.readouterr().out
    assert out.startswith(f"Downloading data from {origin}\n")
    assert "1200/1200 [==============================] - 0s" in out
    assert utils.get_file(origin=origin, file_hash=sha) == path  # fname from the URL
    assert capsys.readouterr().out == ""
    md5 = hashlib.md5((server / "data.txt").read_bytes()).hexdigest()
    assert utils.get_file("data.txt", origin, md5_hash=md5) == path
    other = utils.get_file("d.txt", origin, cache_dir=str(tmp_path / "c"), cache_subdir="x")
    assert other == str(tmp_path / "c" / "x" / "d.txt")


def test_get_file_hash_mismatches(server, tmp_path, capsys):
    origin = (server / "data.txt").as_uri()
    sha = hashlib.sha256((server / "data.txt").read_bytes()).hexdigest()
    cached = tmp_path / "home" / "datasets" / "data.txt"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"old")
    utils.get_file("data.txt", origin, file_hash=sha)
    assert (
        "A local file was found, but it seems to be incomplete or outdated because the "
        f"sha256 file hash does not match the original value of {sha}" in capsys.readouterr().out
    )
    assert cached.read_bytes() == (server / "data.txt").read_bytes()
    with pytest.raises(
        ValueError,
        match="Incomplete or corrupted file detected. The sha256 "
        "file hash does not match the provided value of 0+",
    ):
        utils.get_file("other.txt", origin, file_hash="0" * 64)
    assert not cached.with_name("other.txt").exists()
    assert data_utils.validate_file(str(cached), sha)
    assert not data_utils.validate_file(str(cached), "0" * 32, algorithm="md5")


def test_get_file_errors(server):
    with pytest.raises(ValueError, match='Please specify the "origin" argument'):
        utils.get_file("x")
    with pytest.raises(ValueError, match="Can't parse the file name from the origin"):
        utils.get_file(origin="http://example.com/")
    missing = (server / "missing.bin").as_uri()
    with pytest.raises(OSError, match=f"URL fetch failure on {missing}"):
        utils.get_file("missing.bin", missing)
    assert not [f for f in os.listdir(os.environ["KERAS_HOME"] + "/datasets")]


def test_get_file_untar_and_extract(server, tmp_path):
    with tarfile.open(server / "photos.tar.gz", "w:gz") as archive:
        data = b"pixels"
        info = tarfile.TarInfo("photos/a.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    path = utils.get_file("photos", (server / "photos.tar.gz").as_uri(), untar=True)
    assert path == str(tmp_path / "home" / "datasets" / "photos")
    assert open(os.path.join(path, "a.txt"), "rb").read() == b"pixels"
    with zipfile.ZipFile(server / "cats.zip", "w") as archive:
        archive.writestr("cats/b.txt", "meow")
    path = utils.get_file("cats.zip", (server / "cats.zip").as_uri(), extract=True)
    assert path.endswith("cats.zip")  # Keras 2 returns the archive's path
    assert open(os.path.join(os.path.dirname(path), "cats", "b.txt")).read() == "meow"


def test_keras_home(monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    assert data_utils.keras_home() == os.path.expanduser("~/.keras")
    monkeypatch.setenv("KERAS_HOME", "/somewhere")
    assert data_utils.keras_home() == "/somewhere"
