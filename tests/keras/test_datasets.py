"""keras.datasets: lookup order (cache, system folder, download), parsing, checksums, offline."""

import gzip
import hashlib
import os

import numpy as np
import pytest

from tensorflux.keras.datasets import _files, fashion_mnist, mnist

FASHION = fashion_mnist._FILES


def _idx(array):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape
    )
    return header + array.astype(np.uint8).tobytes()


def _fake_fashion(seed):
    rng = np.random.default_rng(seed)
    x_train, x_test = (rng.integers(0, 256, (n, 28, 28)) for n in (3, 2))
    y_train, y_test = rng.integers(0, 10, 3), rng.integers(0, 10, 2)
    files = (_idx(y_train), _idx(x_train), _idx(y_test), _idx(x_test))
    return dict(zip(FASHION, files, strict=True))


def _write_gz(folder, contents):
    os.makedirs(folder, exist_ok=True)
    for name, data in contents.items():
        with gzip.open(os.path.join(folder, name), "wb") as f:
            f.write(data)


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Isolated KERAS_HOME, system folder and download 'server' (a file:// folder)."""
    home, system, server = tmp_path / "home", tmp_path / "system", tmp_path / "server"
    server.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(_files, "SYSTEM_DATASETS_DIR", str(system))
    monkeypatch.setattr(_files, "KERAS_DATASETS_URL", server.as_uri() + "/")
    contents = _fake_fashion(0)
    monkeypatch.setattr(
        fashion_mnist,
        "_CONTENT_SHA256",
        {k: hashlib.sha256(v).hexdigest() for k, v in contents.items()},
    )
    return {
        "home": home,
        "system": system,
        "server": server,
        "contents": contents,
        "cache": home / "datasets" / "fashion-mnist",
    }


def _check_fashion(result, contents):
    (x_train, y_train), (x_test, y_test) = result
    assert x_train.shape == (3, 28, 28) and y_train.shape == (3,)
    assert x_test.shape == (2, 28, 28) and y_test.shape == (2,)
    assert all(a.dtype == np.uint8 for a in (x_train, y_train, x_test, y_test))
    assert x_train.tobytes() == contents["train-images-idx3-ubyte.gz"][16:]
    assert y_test.tobytes() == contents["t10k-labels-idx1-ubyte.gz"][8:]


def test_fashion_from_keras_cache_first(env, monkeypatch, capsys):
    _write_gz(env["cache"], env["contents"])
    _write_gz(env["system"] / "fashion-mnist", env["contents"])
    read = []
    original = _files.read_gzip_checked
    monkeypatch.setattr(
        _files, "read_gzip_checked", lambda path, sha: read.append(path) or original(path, sha)
    )
    _check_fashion(fashion_mnist.load_data(), env["contents"])
    assert all(str(env["cache"]) in p for p in read)
    assert capsys.readouterr().out == ""


def test_fashion_from_system_folder(env, capsys):
    _write_gz(env["system"] / "fashion-mnist", env["contents"])
    _check_fashion(fashion_mnist.load_data(), env["contents"])
    assert not env["cache"].exists() or not os.listdir(env["cache"])
    assert capsys.readouterr().out == ""


def test_fashion_downloads_into_cache_with_progress(env, capsys):
    _write_gz(env["server"], env["contents"])
    _check_fashion(fashion_mnist.load_data(), env["contents"])
    assert sorted(os.listdir(env["cache"])) == sorted(FASHION)
    out = capsys.readouterr().out
    assert f"Downloading data from {env['server'].as_uri()}/train-labels-idx1-ubyte.gz" in out
    assert "[==============================]" in out
    _check_fashion(fashion_mnist.load_data(), env["contents"])  # now from the cache
    assert capsys.readouterr().out == ""


def test_fashion_cache_dir_argument(env, tmp_path):
    _write_gz(tmp_path / "mine" / "datasets" / "fashion-mnist", env["contents"])
    _check_fashion(fashion_mnist.load_data(cache_dir=str(tmp_path / "mine")), env["contents"])


def test_fashion_stale_cache_is_downloaded_again(env, capsys):
    _write_gz(env["cache"], {**env["contents"], FASHION[0]: b"\x00\x00\x08\x01garbage"})
    (env["cache"] / FASHION[1]).write_bytes(b"not gzip")
    _write_gz(env["server"], env["contents"])
    _check_fashion(fashion_mnist.load_data(), env["contents"])
    out = capsys.readouterr().out
    assert "A local file was found at" in out and "re-download" in out


def test_fashion_download_checksum_failure(env):
    _write_gz(env["server"], {**env["contents"], FASHION[0]: b"corrupted"})
    with pytest.raises(
        ValueError,
        match="Incomplete or corrupted file detected: the content of train-labels-idx1-ubyte.gz",
    ):
        fashion_mnist.load_data()
    assert not (env["cache"] / FASHION[0]).exists()


def test_fashion_offline_says_where_to_put_files(env):
    with pytest.raises(OSError) as info:
        fashion_mnist.load_data()
    message = str(info.value)
    assert "Could not download the Fashion-MNIST dataset (URL fetch failure on" in message
    assert str(env["cache"]) in message and "dataset-fashion-mnist" in message
    assert all(name in message for name in FASHION)
    assert not [f for f in os.listdir(env["cache"]) if f.startswith(".download")]


def test_parse_idx_rejects_bad_files():
    with pytest.raises(ValueError, match="is not an idx file of unsigned bytes"):
        _files.parse_idx(b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00", "f.gz")
    with pytest.raises(ValueError, match="holds 1 values but its header announces shape"):
        _files.parse_idx(bytes([0, 0, 8, 1, 0, 0, 0, 2, 7]), "f.gz")


@pytest.mark.skipif(
    not os.path.isdir("/usr/share/datasets/fashion-mnist"),
    reason="Debian's dataset-fashion-mnist is not installed",
)
def test_real_fashion_mnist_from_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(_files, "KERAS_DATASETS_URL", (tmp_path / "nowhere").as_uri() + "/")
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert x_train.dtype == np.uint8 and list(y_train[:5]) == [9, 0, 0, 3, 0]


@pytest.fixture
def mnist_env(env, tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    path = tmp_path / "mnist.npz"
    np.savez(
        path,
        x_train=rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        y_train=np.arange(4, dtype=np.uint8),
        x_test=rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        y_test=np.arange(2, dtype=np.uint8),
    )
    monkeypatch.setattr(mnist, "_FILE_SHA256", hashlib.sha256(path.read_bytes()).hexdigest())
    return {**env, "npz": path}


def _check_mnist(result):
    (x_train, y_train), (x_test, y_test) = result
    assert x_train.shape == (4, 28, 28) and x_test.shape == (2, 28, 28)
    assert x_train.dtype == np.uint8 and list(y_train) == [0, 1, 2, 3]


def test_mnist_from_cache(mnist_env, capsys):
    (mnist_env["home"] / "datasets").mkdir(parents=True)
    (mnist_env["home"] / "datasets" / "mnist.npz").write_bytes(mnist_env["npz"].read_bytes())
    _check_mnist(mnist.load_data())
    assert capsys.readouterr().out == ""


def test_mnist_download_and_checksums(mnist_env, capsys):
    (mnist_env["server"] / "mnist.npz").write_bytes(mnist_env["npz"].read_bytes())
    _check_mnist(mnist.load_data(path="digits.npz"))
    assert (mnist_env["home"] / "datasets" / "digits.npz").exists()
    assert "Downloading data from" in capsys.readouterr().out
    (mnist_env["server"] / "mnist.npz").write_bytes(b"corrupted")
    (mnist_env["home"] / "datasets" / "digits.npz").write_bytes(b"stale")
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected. The sha256"):
        mnist.load_data(path="digits.npz")
    assert "A local file was found, but it seems to be incomplete" in capsys.readouterr().out


def test_mnist_offline_message(mnist_env):
    with pytest.raises(
        OSError,
        match="Could not download the MNIST dataset .* To use it "
        "offline, save .*mnist.npz as .*datasets/mnist.npz",
    ):
        mnist.load_data()
