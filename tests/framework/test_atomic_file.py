"""atomic_output: the target changes only when a write completes."""

import os
import stat

import pytest

from tensorflux.framework.atomic_file import atomic_output


def test_complete_write_replaces_target_with_plain_permissions(tmp_path):
    target = tmp_path / "model.h5"
    target.write_bytes(b"old")
    with atomic_output(target) as tmp:
        assert os.path.dirname(tmp) == str(tmp_path)
        with open(tmp, "wb") as f:
            f.write(b"new")
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert os.listdir(tmp_path) == ["model.h5"]


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "model.h5"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            with open(tmp, "wb") as f:
                f.write(b"half")
            raise RuntimeError("killed")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["model.h5"]
