"""Top-level ``tf.*`` ops and functions against TensorFlow's recorded values and errors
(``tests/fixtures/tfops.json``, written by ``record_tfops_fixtures.py``), eagerly and
inside ``tf.function``."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tests.ops import tfops_cases

FIXTURES = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "tfops.json").read_text(encoding="utf-8")
)


# The message comes from tf.constant, whose wording after its first sentence is its own.
_PREFIX_ONLY = {"constant_initializer_size"}


# TF lists every kernel it has for the op (GPU and XLA ones too): the first line is compared.
_FIRST_LINE = {"approx_top_k_min", "approx_top_k_dim0", "approx_top_k_int"}


def _run(case):
    try:
        return tfops_cases.summarize(case(tf))
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return tfops_cases.error_summary(e)


def _same(got, want, where, traced=False):
    assert got.keys() == want.keys(), f"{where}: got {got}, TF gave {want}"
    key = next(iter(want))
    if key == "error":
        assert got["error"] == want["error"], f"{where}: {got} vs TF {want}"
        if traced:
            return  # a traced graph reports where it failed in words of its own
        # TF's words first; ours may add how to fix it.
        text = re.sub(r" \[Op:\w+\]$", "", want["message"])
        assert got["message"].startswith(text), f"{where}: {got['message']!r} vs TF {text!r}"
        op = re.search(r"\[Op:\w+\]", want["message"])
        if op:
            assert op.group(0) in got["message"], where
    elif key == "list":
        assert len(got["list"]) == len(want["list"]), where
        for i, (g, w) in enumerate(zip(got["list"], want["list"])):
            _same(g, w, f"{where}[{i}]", traced)
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
    if want["dtype"] in ("float16", "float32", "float64", "complex64", "complex128"):
        np.testing.assert_allclose(got["data"], want["data"], rtol=1e-5, atol=1e-6, err_msg=where)
    else:
        assert got["data"] == want["data"], f"{where}: {got['data']} vs TF {want['data']}"


@pytest.mark.parametrize("name", sorted(tfops_cases.CASES))
def test_eager_matches_tensorflow(name):
    want = FIXTURES[name]
    if name in _PREFIX_ONLY:
        want = dict(want, message=want["message"][:55])
    if name in _FIRST_LINE:
        want = dict(want, message=want["message"].split("\n")[0])
    _same(_run(tfops_cases.CASES[name]), want, name)


@pytest.mark.parametrize("name", tfops_cases.TRACED)
def test_traced_matches_tensorflow(name):
    case = tfops_cases.CASES[name]
    want = FIXTURES[f"traced/{name}"]
    _same(_run(lambda tf_: tf.function(lambda: case(tf_))()), want, name, traced=True)
