"""keras.datasets.cifar10 / cifar100 / boston_housing on generated files: Keras' cache
layout, the archive checksum, extraction, splitting, and the offline message."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tarfile

import numpy as np
import pytest

from tensorflux.keras.datasets import _files, boston_housing, cifar10, cifar100


def _batch(n, seed, label_keys):
    rng = np.random.default_rng(seed)
    entries = {b"data": rng.integers(0, 256, (n, 3 * 32 * 32)).astype(np.uint8)}
    for key, classes in label_keys.items():
        entries[key.encode()] = rng.integers(0, classes, n).tolist()
    return entries


def _tar_gz(path, dirname, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, entries in members.items():
            data = pickle.dumps(entries)
            info = tarfile.TarInfo(f"{dirname}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    folder = tmp_path / "server"
    folder.mkdir()
    return folder


def test_cifar10_downloads_extracts_and_loads(server, monkeypatch, capsys):
    members = {f"data_batch_{i}": _batch(2, i, {"labels": 10}) for i in range(1, 6)}
    members["test_batch"] = _batch(3, 9, {"labels": 10})
    sha = _tar_gz(server / "cifar-10-python.tar.gz", "cifar-10-batches-py", members)
    monkeypatch.setattr(cifar10, "ORIGIN", (server / "cifar-10-python.tar.gz").as_uri())
    monkeypatch.setattr(cifar10, "_FILE_SHA256", sha)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and y_train.shape == (10, 1)
    assert x_test.shape == (3, 32, 32, 3) and y_test.shape == (3, 1)
    assert x_train.dtype == y_train.dtype == x_test.dtype == y_test.dtype == np.uint8
    first = members["data_batch_1"][b"data"][0].reshape(3, 32, 32).transpose(1, 2, 0)
    np.testing.assert_array_equal(x_train[0], first)
    assert y_test[:, 0].tolist() == members["test_batch"][b"labels"]
    cache = os.path.join(os.environ["KERAS_HOME"], "datasets")
    assert sorted(os.listdir(cache)) == ["cifar-10-batches-py", "cifar-10-batches-py.tar.gz"]
    assert "Downloading data from" in capsys.readouterr().out
    cifar10.load_data()  # now from the cache
    assert "Downloading" not in capsys.readouterr().out


def test_cifar100_label_modes(server, monkeypatch):
    labels = {"fine_labels": 100, "coarse_labels": 20}
    members = {"train": _batch(4, 1, labels), "test": _batch(2, 2, labels)}
    sha = _tar_gz(server / "c100.tar.gz", "cifar-100-python", members)
    monkeypatch.setattr(cifar100, "ORIGIN", (server / "c100.tar.gz").as_uri())
    monkeypatch.setattr(cifar100, "_FILE_SHA256", sha)
    (_, fine), _ = cifar100.load_data()
    (x_train, coarse), _ = cifar100.load_data("coarse")
    assert x_train.shape == (4, 32, 32, 3)
    assert fine[:, 0].tolist() == members["train"][b"fine_labels"]
    assert coarse[:, 0].tolist() == members["train"][b"coarse_labels"]
    with pytest.raises(ValueError, match='`label_mode` must be one of `"fine"`'):
        cifar100.load_data("medium")


def test_cifar_checksum_mismatch_and_offline_message(server, monkeypatch):
    _tar_gz(
        server / "c10.tar.gz", "cifar-10-batches-py", {"test_batch": _batch(1, 0, {"labels": 10})}
    )
    monkeypatch.setattr(cifar10, "ORIGIN", (server / "c10.tar.gz").as_uri())
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected"):
        cifar10.load_data()
    monkeypatch.setattr(cifar10, "ORIGIN", (server / "missing.tar.gz").as_uri())
    with pytest.raises(OSError, match="To use it offline, save .* as .*cifar-10-batches-py.tar.gz"):
        cifar10.load_data()


def test_boston_housing_split_as_keras(server, monkeypatch):
    x = np.arange(20 * 13, dtype=np.float64).reshape(20, 13)
    y = np.arange(20, dtype=np.float64) * 1.5
    np.savez(server / "boston_housing.npz", x=x, y=y)
    with open(server / "boston_housing.npz", "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    monkeypatch.setattr(_files, "KERAS_DATASETS_URL", server.as_uri() + "/")
    monkeypatch.setattr(boston_housing, "_FILE_SHA256", sha)
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data(test_split=0.25)
    order = np.arange(20)
    np.random.RandomState(113).shuffle(order)
    np.testing.assert_array_equal(x_train, x[order[:15]])
    np.testing.assert_array_equal(y_test, y[order[15:]])
    assert x_test.shape == (5, 13) and y_train.shape == (15,)
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=1.0)
