"""keras.backend functions against tf_keras 2.21 (fixtures/backend.json, recorded by
tests/keras/record_backend_fixtures.py from the cases in tests/keras/backend_cases.py):
values, dtypes, shapes, Python types and exception types, eagerly."""

import json
import os
import warnings

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import backend as K

from .backend_cases import CASES

_PATH = os.path.join(os.path.dirname(__file__), "fixtures", "backend.json")
with open(_PATH) as f:
    FIXTURES = json.load(f)

# TF's messages of these errors come from its kernels (device and node names) or are
# empty (asserts): only the exception type is compared.
_TYPE_ONLY = {
    "gather_out_of_range",
    "switch_vector",
    "batch_normalization_4d_first_4d_params",
    "repeat_rank3",
}
# These messages show a tensor or add a hint after TF's words: their start is compared.
_MESSAGE_PREFIX = {
    "softmax_1d": 44,
    "batch_normalization_4d_first_no_beta": 70,
    "dropout_bad_rate": 40,
    "foldl_empty": 47,
    "foldl_scalar": 24,
    "map_fn_wrong_dtype": 64,
}


@pytest.fixture(autouse=True)
def fresh_state():
    K.clear_session()
    tf.random.set_seed(0)
    np.random.seed(0)
    yield
    K.clear_session()


def _compare(got, want, path):
    if "list" in want:
        assert isinstance(got, (list, tuple)), f"{path}: expected a sequence, got {got!r}"
        assert len(got) == len(want["list"]), path
        for i, (g, w) in enumerate(zip(got, want["list"])):
            _compare(g, w, f"{path}[{i}]")
        return
    if "py" in want:
        assert type(got).__name__ == want["type"], f"{path}: {type(got)} vs {want['type']}"
        if isinstance(want["py"], (int, float)):
            assert got == pytest.approx(want["py"], rel=1e-6), path
        else:
            assert got == want["py"], path
        return
    if want["kind"] == "numpy":
        assert isinstance(got, (np.ndarray, np.generic)), f"{path}: expected NumPy, got {type(got)}"
    else:
        assert tf.is_tensor(got) or isinstance(got, tf.Variable), f"{path}: {type(got)}"
    array = np.asarray(got)
    assert array.dtype.name == want["dtype"], f"{path}: dtype {array.dtype} vs {want['dtype']}"
    assert list(array.shape) == want["shape"], f"{path}: shape {array.shape} vs {want['shape']}"
    expected = np.asarray(want["value"], dtype=array.dtype)
    if array.dtype.kind == "f":
        tol = 1e-5 if array.dtype == np.float64 else 2e-5
        np.testing.assert_allclose(
            np.where(np.isfinite(array), array, 0), expected, rtol=tol, atol=tol, err_msg=path
        )
    else:
        np.testing.assert_array_equal(array, expected, err_msg=path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_tf_keras(name):
    want = FIXTURES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "error" in want:
            with pytest.raises(Exception) as info:
                CASES[name](tf, K)
            assert type(info.value).__name__ == want["error"], str(info.value)
            if name in _TYPE_ONLY:
                return
            size = _MESSAGE_PREFIX.get(name)
            assert str(info.value)[:size] == want["message"][:size]
            return
        got = CASES[name](tf, K)
    _compare(got, want, name)


def test_every_case_is_recorded():
    assert sorted(CASES) == sorted(FIXTURES)
