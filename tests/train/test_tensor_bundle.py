"""Tensor bundles: TensorFlow's files read exactly, ours written byte for byte as TF
writes them, every dtype round-trips, damaged files give DataLossError, and a save
killed midway leaves the previous bundle readable."""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from tensorflux.framework import dtypes
from tensorflux.framework.errors import DataLossError, NotFoundError
from tensorflux.train import sstable
from tensorflux.train.tensor_bundle import data_path, index_path, read_bundle, write_bundle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "checkpoints"
RECORDED = json.loads((FIXTURES / "tf_written.json").read_text())
ROOT = Path(__file__).resolve().parent.parent.parent


def expected_value(entry):
    shape = entry["shape"]
    if "bytes_hex" in entry:
        flat = np.empty(len(entry["bytes_hex"]), dtype=object)
        flat[:] = [bytes.fromhex(h) for h in entry["bytes_hex"]]
        return flat.reshape(shape)
    if "real" in entry:
        return (
            (np.array(entry["real"]) + 1j * np.array(entry["imag"]))
            .astype(entry["dtype"])
            .reshape(shape)
        )
    return np.array(entry["values"], dtype=entry["dtype"]).reshape(shape)


CASES = [name for name, case in RECORDED.items() if "keys" in case]


@pytest.mark.parametrize("case", CASES)
def test_reads_tensorflow_checkpoints_exactly(case):
    recorded = RECORDED[case]
    reader = read_bundle(FIXTURES / recorded["prefix"])
    assert reader.keys() == sorted(recorded["keys"])
    for key, entry in recorded["keys"].items():
        assert reader.dtype(key) == dtypes.as_dtype(entry["dtype"])
        assert reader.shape(key) == entry["shape"]
        value = reader.get(key)
        assert value.shape == tuple(entry["shape"])
        if key == "_CHECKPOINTABLE_OBJECT_GRAPH":
            continue
        expected = expected_value(entry)
        assert value.dtype == expected.dtype
        np.testing.assert_array_equal(value, expected)


@pytest.mark.parametrize("case", ["dtypes", "module", "dense_adam"])
def test_rewriting_tensorflow_bundle_is_byte_identical(case, tmp_path):
    source = FIXTURES / RECORDED[case]["prefix"]
    reader = read_bundle(source)
    in_file_order = sorted(reader.keys(), key=lambda k: reader._entries[k].offset)
    write_bundle(tmp_path / "copy", {key: reader.get(key) for key in in_file_order})
    for path in (index_path, data_path):
        assert Path(path(tmp_path / "copy")).read_bytes() == Path(path(source)).read_bytes()


def test_round_trip_of_every_dtype_and_shape(tmp_path):
    tensors = {
        "bool": np.array([[True, False]]),
        "i8": np.int8(-3),
        "i16": np.arange(4, dtype="i2"),
        "i32": np.arange(6, dtype=np.int32).reshape(2, 3),
        "i64": np.int64(-(2**40)),
        "u8": np.arange(250, 256, dtype=np.uint8),
        "u16": np.uint16(65535),
        "u32": np.array([2**32 - 1], np.uint32),
        "u64": np.array([2**64 - 1], np.uint64),
        "f16": np.array([1.5, -0.0], np.float16),
        "f32": np.float32(3.25),
        "f64": np.linspace(0, 1, 5),
        "c64": np.array([1 + 2j], np.complex64),
        "c128": np.array([[-1j]]),
        "empty": np.zeros((0, 3), np.float32),
        "big_endian": np.arange(3, dtype=">f4"),
        "str": np.array(["a", "é", ""], dtype=object),
        "bytes": np.array([b"\x00", b"xyz"]),
        "str_matrix": np.array([[b"a", b"bc"], [b"", b"d" * 300]], dtype=object),
    }
    write_bundle(tmp_path / "all", tensors)
    reader = read_bundle(tmp_path / "all")
    assert reader.keys() == sorted(tensors)
    for key, value in tensors.items():
        got = reader.get(key)
        assert reader.shape(key) == list(np.shape(value))
        if np.asarray(value).dtype.kind in "OSU":
            assert reader.dtype(key) == dtypes.string
            expected = [
                v.encode() if isinstance(v, str) else v
                for v in np.asarray(value).reshape(-1).tolist()
            ]
            assert got.reshape(-1).tolist() == expected
        else:
            assert got.dtype == np.asarray(value).dtype.newbyteorder("=")
            np.testing.assert_array_equal(got, value)


def test_large_table_spans_several_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(sstable, "BLOCK_SIZE", 2048)
    tensors = {f"layer_{i:04d}/kernel": np.full(3, i, np.float32) for i in range(600)}
    tensors["long/" + "k" * 5000] = np.float32(1)
    write_bundle(tmp_path / "many", tensors)
    data = Path(index_path(tmp_path / "many")).read_bytes()
    index_block = sstable._read_block(data, sstable._index_handle(data, "t"), "index")
    assert len(index_block) > 5
    reader = read_bundle(tmp_path / "many")
    assert reader.keys() == sorted(tensors)
    assert reader.get("layer_0599/kernel").tolist() == [599.0] * 3


def test_unsupported_dtype_is_a_clear_type_error(tmp_path):
    with pytest.raises(TypeError, match="has no TensorFlow checkpoint encoding"):
        write_bundle(tmp_path / "x", {"t": np.array(["2020-01-01"], dtype="datetime64[D]")})
    with pytest.raises(TypeError, match="string tensor holds bytes or str"):
        write_bundle(tmp_path / "x", {"t": np.array([1, "a"], dtype=object)})
    assert not os.path.exists(index_path(tmp_path / "x"))


@pytest.fixture
def saved(tmp_path):
    prefix = tmp_path / "ckpt"
    write_bundle(
        prefix,
        {"w": np.arange(1000, dtype=np.float32), "s": np.array([b"abc", b"de"], dtype=object)},
    )
    return prefix


def test_missing_prefix_and_key_are_not_found(saved, tmp_path):
    with pytest.raises(NotFoundError, match="Failed to find any matching files for"):
        read_bundle(tmp_path / "nothing")
    with pytest.raises(NotFoundError, match="Key nope not found in checkpoint"):
        read_bundle(saved).get("nope")
    os.remove(data_path(saved))
    with pytest.raises(NotFoundError, match="Data file"):
        read_bundle(saved).get("w")


@pytest.mark.parametrize("cut", [0, 10, 47, 60])
def test_truncated_index_is_data_loss(saved, cut):
    path = Path(index_path(saved))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - cut - 1] if cut else data[:-1])
    with pytest.raises(DataLossError):
        read_bundle(saved)


def test_corrupted_index_byte_is_data_loss(saved):
    path = Path(index_path(saved))
    for position in (3, 20, len(path.read_bytes()) - 50):
        data = bytearray(path.read_bytes())
        data[position] ^= 0x40
        damaged = saved.parent / f"bad{position}"
        Path(index_path(damaged)).write_bytes(bytes(data))
        shutil.copy(data_path(saved), data_path(damaged))
        with pytest.raises(DataLossError, match="checksum|corrupted|magic"):
            read_bundle(damaged)


def test_truncated_or_corrupted_data_is_data_loss(saved):
    path = Path(data_path(saved))
    data = path.read_bytes()
    path.write_bytes(data[:100])
    with pytest.raises(DataLossError, match="truncated data file"):
        read_bundle(saved).get("w")
    damaged = bytearray(data)
    damaged[5] ^= 1
    damaged[-2] ^= 1  # inside the string tensor's bytes
    path.write_bytes(bytes(damaged))
    reader = read_bundle(saved)
    for key in ("w", "s"):
        with pytest.raises(DataLossError, match="Checksum does not match"):
            reader.get(key)


WRITER = textwrap.dedent("""
    import sys, numpy as np
    from tensorflux.train.tensor_bundle import write_bundle
    big = np.random.default_rng(0).standard_normal(3_000_000).astype(np.float32)
    print("ready", flush=True)
    while True:
        write_bundle(sys.argv[1], {"marker": np.int64(2), "big": big})
""")


def test_process_killed_mid_save_leaves_previous_bundle(tmp_path):
    prefix = tmp_path / "ckpt"
    write_bundle(prefix, {"marker": np.int64(1), "big": np.zeros(10, np.float32)})
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for delay in (0.05, 0.2):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(prefix)], stdout=subprocess.PIPE, env=env
        )
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        reader = read_bundle(prefix)
        marker = int(reader.get("marker"))
        assert marker in (1, 2)
        assert reader.get("big").size == (10 if marker == 1 else 3_000_000)


def test_bfloat16_round_trip(tmp_path):
    ml_dtypes = pytest.importorskip("ml_dtypes")
    value = np.array([1.5, -2.0, 3.25], dtype=ml_dtypes.bfloat16)
    write_bundle(tmp_path / "b", {"b": value})
    reader = read_bundle(tmp_path / "b")
    assert reader.dtype("b") == dtypes.bfloat16
    np.testing.assert_array_equal(reader.get("b"), value)
