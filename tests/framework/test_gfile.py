"""tf.io.gfile over the local file system, with TF's error types; tf.version."""

import os

import pytest

import tensorflux as tf

gfile = tf.io.gfile


def test_gfile_read_write_and_iteration(tmp_path):
    path = str(tmp_path / "a.txt")
    with gfile.GFile(path, "w") as f:
        f.write("x\n")
        f.write(b"y\n")
    with gfile.GFile(path) as f:
        assert f.read() == "x\ny\n"
        assert f.size() == 4
    with gfile.GFile(path, "rb") as f:
        assert f.read() == b"x\ny\n"
    with gfile.GFile(path) as f:
        assert list(f) == ["x\n", "y\n"]
        assert f.readline() == ""
    with gfile.Open(path) as f:
        assert f.readline() == "x\n"
        assert f.tell() == 2
        assert f.readlines() == ["y\n"]
        f.seek(0)
        assert f.read(1) == "x"
    with gfile.GFile(path, "a") as f:
        f.write("z")
    assert open(path).read() == "x\ny\nz"
    with (
        gfile.GFile(path) as f,
        pytest.raises(tf.errors.PermissionDeniedError, match="File isn't open for writing"),
    ):
        f.write("q")
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        gfile.GFile(str(tmp_path / "none")).read()


def test_directories_and_paths(tmp_path):
    root = str(tmp_path)
    gfile.makedirs(os.path.join(root, "a", "b"))
    gfile.makedirs(os.path.join(root, "a", "b"))
    gfile.mkdir(os.path.join(root, "c"))
    gfile.mkdir(os.path.join(root, "c"))
    with pytest.raises(tf.errors.NotFoundError):
        gfile.mkdir(os.path.join(root, "x", "y"))
    with gfile.GFile(gfile.join(root, "a", "f.ckpt.index"), "wb") as f:
        f.write(b"123")
    assert gfile.exists(gfile.join(root, "a")) and gfile.isdir(gfile.join(root, "a"))
    assert not gfile.isdir(gfile.join(root, "a", "f.ckpt.index"))
    assert sorted(gfile.listdir(root)) == ["a", "c"]
    assert gfile.glob(os.path.join(root, "a", "*.index")) == [
        os.path.join(root, "a", "f.ckpt.index")
    ]
    walked = list(gfile.walk(root))
    assert walked[0][0] == root and sorted(walked[0][1]) == ["a", "c"]
    stat = gfile.stat(os.path.join(root, "a", "f.ckpt.index"))
    assert (stat.length, stat.is_directory, isinstance(stat.mtime_nsec, int)) == (3, False, True)
    with pytest.raises(tf.errors.NotFoundError, match="Could not find directory"):
        gfile.listdir(os.path.join(root, "none"))
    with pytest.raises(tf.errors.NotFoundError):
        gfile.stat(os.path.join(root, "none"))
    gfile.rmtree(os.path.join(root, "a"))
    assert not gfile.exists(os.path.join(root, "a"))
    with pytest.raises(tf.errors.NotFoundError, match="not found"):
        gfile.rmtree(os.path.join(root, "a"))


def test_copy_rename_remove(tmp_path):
    src, dst = str(tmp_path / "src"), str(tmp_path / "dst")
    with gfile.GFile(src, "w") as f:
        f.write("1")
    gfile.copy(src, dst)
    with pytest.raises(tf.errors.AlreadyExistsError, match="file already exists"):
        gfile.copy(src, dst)
    gfile.copy(src, dst, overwrite=True)
    with pytest.raises(tf.errors.AlreadyExistsError):
        gfile.rename(src, dst)
    gfile.rename(src, dst, overwrite=True)
    assert not gfile.exists(src)
    with pytest.raises(tf.errors.NotFoundError):
        gfile.rename(src, str(tmp_path / "other"))
    gfile.remove(dst)
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        gfile.remove(dst)


def test_version():
    assert tf.version.VERSION == tf.__version__
    assert isinstance(tf.version.GIT_VERSION, str)
    assert isinstance(tf.version.COMPILER_VERSION, str)
    assert tf.version.GRAPH_DEF_VERSION == 2474
    assert tf.version.GRAPH_DEF_VERSION_MIN_CONSUMER == 0
    assert tf.version.GRAPH_DEF_VERSION_MIN_PRODUCER == 0
