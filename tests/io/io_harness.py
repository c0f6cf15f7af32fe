"""Runs the cases of ``io_cases.py`` under tensorflux and compares them with TF's
recorded results (``tests/fixtures/io_ops.json``)."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import numpy as np

import tensorflux as tf

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "io_ops.json").read_text())
INPUTS = {k: bytes.fromhex(v) for k, v in FIXTURE["inputs"].items()}
RESULTS = FIXTURE["results"]
EX = {k[3:]: v for k, v in INPUTS.items() if k.startswith("EX.")}


def environment() -> dict:
    env = {"tf": tf, "np": np, "EX": EX, "zlib": zlib, "gzip": gzip}
    env.update({k: v for k, v in INPUTS.items() if not k.startswith("EX.")})
    return env


def run(code: str, env=None):
    """The case's value, or ("error", exception) when it raises."""
    try:
        return eval(code, env or environment())  # noqa: S307 - our own case table
    except Exception as e:  # noqa: BLE001 - the exception is compared with TF's
        return ("error", e)


def _values(x) -> list:
    a = x.numpy() if hasattr(x, "numpy") else np.asarray(x)
    a = np.asarray(a, dtype=object if x.dtype == tf.string else None)
    if x.dtype == tf.string:
        return [bytes(v).hex() for v in a.reshape(-1)]
    if x.dtype.is_complex:
        return [[float(v.real), float(v.imag)] for v in a.reshape(-1)]
    if x.dtype.is_floating:
        out = []
        for v in a.reshape(-1).astype(np.float64):
            out.append(None if np.isnan(v) else (float(v) if np.isfinite(v) else str(v)))
        return out
    return a.reshape(-1).tolist()


def check(got, want, where: str = "") -> None:
    """Asserts that ``got`` (a tensorflux result) equals TF's recorded ``want``."""
    if "error" in want:
        assert isinstance(got, tuple) and got and got[0] == "error", f"{where}: no error: {got}"
        error = got[1]
        assert type(error).__name__ == want["error"], f"{where}: {type(error).__name__} {error}"
        # TF's classes are named by their module: ours live in tensorflux.ops.
        tf_line = want["message"].split("\n")[0].replace("tensorflow.python.ops", "tensorflux.ops")
        assert tf_line in str(error), f"{where}: {error!s} lacks {tf_line!r}"
        return
    if isinstance(got, tuple) and got and got[0] == "error":
        raise AssertionError(f"{where}: raised {got[1]!r}")
    if "sparse" in want:
        assert isinstance(got, tf.SparseTensor), where
        for g, w in zip((got.indices, got.values, got.dense_shape), want["sparse"]):
            check(g, w, where)
    elif "ragged" in want:
        assert isinstance(got, tf.RaggedTensor), f"{where}: {type(got)}"
        check(got.flat_values, want["ragged"][0], where)
        splits = got.nested_row_splits
        assert len(splits) == len(want["ragged"][1]), where
        for g, w in zip(splits, want["ragged"][1]):
            check(g, w, where)
    elif "dict" in want:
        assert sorted(got) == sorted(want["dict"]), f"{where}: {sorted(got)}"
        for k in want["dict"]:
            check(got[k], want["dict"][k], f"{where}[{k}]")
    elif "list" in want:
        assert len(got) == len(want["list"]), where
        for i, (g, w) in enumerate(zip(got, want["list"])):
            check(g, w, f"{where}[{i}]")
    elif "dtype_value" in want:
        assert got.name == want["dtype_value"], where
    elif "str" in want:
        assert got == want["str"], f"{where}: {got!r}"
    else:
        assert got.dtype.name == want["dtype"], f"{where}: {got.dtype.name}"
        assert list(got.shape) == want["shape"], f"{where}: {got.shape}"
        assert _values(got) == want["values"], f"{where}: {_values(got)}"
