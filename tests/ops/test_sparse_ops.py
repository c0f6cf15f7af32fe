"""``tf.sparse`` against TensorFlow's recorded values and errors
(``tests/fixtures/sparse_ops.json``, written by ``record_sparse_fixtures.py``), eagerly
and inside ``tf.function``."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tests.ops import sparse_cases

FIXTURES = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "sparse_ops.json").read_text(encoding="utf-8")
)


# The converter's message abbreviates the value and names tensorflux's class: the start
# of TF's message is compared.
_PREFIX_ONLY = {"convert_refused", "math_exp_refused"}


def _run(case):
    try:
        return sparse_cases.summarize(case(tf))
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return sparse_cases.error_summary(e)


def _same(got, want, where):
    assert got.keys() == want.keys(), f"{where}: got {got}, TF gave {want}"
    key = next(iter(want))
    if key == "error":
        assert got["error"] == want["error"], f"{where}: {got} vs TF {want}"
        # TF's words first; ours may add how to fix it.
        text = re.sub(r" \[Op:\w+\]$", "", want["message"])
        assert got["message"].startswith(text), f"{where}: {got['message']!r} vs TF {text!r}"
        op = re.search(r"\[Op:\w+\]", want["message"])
        if op:
            assert op.group(0) in got["message"], where
    elif key == "list":
        assert len(got["list"]) == len(want["list"]), where
        for i, (g, w) in enumerate(zip(got["list"], want["list"])):
            _same(g, w, f"{where}[{i}]")
    elif key in ("sparse", "slices"):
        for part, g, w in zip(("indices", "values", "dense_shape"), got[key], want[key]):
            _same_array(g, w, f"{where}.{part}")
    elif key == "tensor":
        _same_array(got["tensor"], want["tensor"], where)
    elif isinstance(want.get("python"), float):
        assert got["python"] == pytest.approx(want["python"], rel=1e-5), where
    else:
        assert got == want, f"{where}: got {got}, TF gave {want}"


def _same_array(got, want, where):
    assert got["dtype"] == want["dtype"], f"{where}: dtype {got['dtype']} vs TF {want['dtype']}"
    assert got["shape"] == want["shape"], f"{where}: shape {got['shape']} vs TF {want['shape']}"
    if want["dtype"] in ("float16", "float32", "float64"):
        np.testing.assert_allclose(got["data"], want["data"], rtol=1e-5, atol=1e-6, err_msg=where)
    else:
        assert got["data"] == want["data"], f"{where}: {got['data']} vs TF {want['data']}"


@pytest.mark.parametrize("name", sorted(sparse_cases.CASES))
def test_eager_matches_tensorflow(name):
    want = FIXTURES[name]
    if name in _PREFIX_ONLY:
        want = dict(want, message=want["message"][:40])
    _same(_run(sparse_cases.CASES[name]), want, name)


@pytest.mark.parametrize("name", sparse_cases.TRACED)
def test_traced_matches_tensorflow(name):
    case = sparse_cases.CASES[name]
    _same(_run(lambda tf_: tf.function(lambda: case(tf_))()), FIXTURES[name], name)


def test_every_tf_sparse_name_has_a_case():
    listed = tf.sparse.__dict__
    names = [
        "SparseTensor", "add", "bincount", "concat", "cross", "cross_hashed", "expand_dims",
        "eye", "fill_empty_rows", "from_dense", "map_values", "mask", "maximum", "minimum",
        "reduce_max", "reduce_sum", "reorder", "reset_shape", "reshape", "retain",
        "sampled_addmm", "segment_mean", "segment_sqrt_n", "segment_sum", "slice", "softmax",
        "sparse_dense_matmul", "split", "to_dense", "to_indicator", "transpose",
    ]  # fmt: skip
    assert all(n in listed for n in names)
    assert tf.SparseTensor is tf.sparse.SparseTensor
