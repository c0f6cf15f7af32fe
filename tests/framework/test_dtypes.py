"""DType constants, as_dtype and dtype properties; expectations checked against TF 2.21."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework import dtypes

_ROOT = Path(__file__).resolve().parent.parent.parent

try:
    import ml_dtypes  # noqa: F401

    HAVE_ML_DTYPES = True
except ImportError:
    HAVE_ML_DTYPES = False

# name, is_floating, is_integer, size, min, max (None: TypeError)
DTYPES = [
    ("float16", True, False, 2, float(np.finfo(np.float16).min), float(np.finfo(np.float16).max)),
    ("float32", True, False, 4, float(np.finfo(np.float32).min), float(np.finfo(np.float32).max)),
    ("float64", True, False, 8, float(np.finfo(np.float64).min), float(np.finfo(np.float64).max)),
    ("int8", False, True, 1, -128, 127),
    ("int16", False, True, 2, -32768, 32767),
    ("int32", False, True, 4, -(2**31), 2**31 - 1),
    ("int64", False, True, 8, -(2**63), 2**63 - 1),
    ("uint8", False, True, 1, 0, 255),
    ("uint16", False, True, 2, 0, 65535),
    ("uint32", False, True, 4, 0, 2**32 - 1),
    ("uint64", False, True, 8, 0, 2**64 - 1),
    ("bool", False, False, 1, None, None),
    ("string", False, False, 0, None, None),
    ("complex64", False, False, 8, None, None),
    ("complex128", False, False, 16, None, None),
]


@pytest.mark.parametrize("name,is_floating,is_integer,size,lo,hi", DTYPES)
def test_dtype_properties(name, is_floating, is_integer, size, lo, hi):
    d = getattr(tf, name)
    assert isinstance(d, tf.DType)
    assert d.name == name
    assert repr(d) == f"tf.{name}"
    assert str(d) == f"<dtype: '{name}'>"
    assert d.is_floating is is_floating
    assert d.is_integer is is_integer
    assert d.size == size
    assert tf.as_dtype(name) is d
    assert tf.dtypes.as_dtype(d) is d
    if lo is None:
        with pytest.raises(TypeError, match="Cannot find minimum value"):
            _ = d.min
        with pytest.raises(TypeError, match="Cannot find maximum value"):
            _ = d.max
    else:
        assert d.min == lo and d.max == hi


def test_bfloat16_properties():
    assert repr(tf.bfloat16) == "tf.bfloat16"
    assert tf.bfloat16.is_floating and tf.bfloat16.size == 2
    assert tf.as_dtype("bfloat16") is tf.bfloat16


def test_bfloat16_without_ml_dtypes_raises_clearly():
    # In a fresh interpreter where ml_dtypes cannot be imported, installed or not.
    program = """
import sys
sys.modules["ml_dtypes"] = None
import tensorflux as tf
for attempt in (lambda: tf.constant(1.0, tf.bfloat16), lambda: tf.bfloat16.as_numpy_dtype,
                lambda: tf.bfloat16.min):
    try:
        attempt()
    except TypeError as e:
        assert "ml_dtypes" in str(e), e
    else:
        raise AssertionError("no TypeError")
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=_ROOT, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr


@pytest.mark.skipif(not HAVE_ML_DTYPES, reason="needs the optional ml_dtypes package")
def test_bfloat16_with_ml_dtypes():
    t = tf.constant([1.0, 2.5], tf.bfloat16)
    assert t.dtype is tf.bfloat16
    assert t.numpy().dtype.name == "bfloat16"
    assert float(tf.bfloat16.max) == pytest.approx(3.38953e38, rel=1e-5)
    assert tf.as_dtype(t.numpy().dtype) is tf.bfloat16


def test_aliases():
    assert tf.half is tf.float16
    assert tf.double is tf.float64
    assert tf.as_dtype("half") is tf.float16
    assert tf.as_dtype("double") is tf.float64
    assert tf.as_dtype("float") is tf.float32


@pytest.mark.parametrize(
    "value,expected",
    [
        (float, tf.float32),
        (bool, tf.bool),
        (np.float64, tf.float64),
        (np.float32, tf.float32),
        (np.int64, tf.int64),
        (np.uint8, tf.uint8),
        (np.bool_, tf.bool),
        (np.complex64, tf.complex64),
        (np.dtype("int16"), tf.int16),
        (np.dtype("float16"), tf.float16),
        ("int32", tf.int32),
        ("complex128", tf.complex128),
    ],
)
def test_as_dtype(value, expected):
    assert tf.as_dtype(value) is expected


@pytest.mark.parametrize("value", ["foo", None, 3.5, object()])
def test_as_dtype_rejects(value):
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.as_dtype(value)


def test_equality_and_hash():
    assert tf.float32 == np.float32
    assert tf.float32 == "float32"
    assert tf.float32 != tf.float64
    assert tf.float32 != None  # noqa: E711
    assert tf.float32 != "not a dtype"
    assert {tf.float32: 1}[tf.as_dtype("float32")] == 1
    assert not tf.float32.is_compatible_with(tf.float64)
    assert tf.float32.is_compatible_with("float32")


def test_other_properties():
    assert tf.complex64.real_dtype is tf.float32
    assert tf.complex128.real_dtype is tf.float64
    assert tf.float32.real_dtype is tf.float32
    assert tf.uint8.is_unsigned and not tf.int8.is_unsigned
    assert tf.complex64.is_complex and not tf.complex64.is_floating
    assert tf.bool.is_bool and not tf.bool.is_integer
    assert tf.float32.as_numpy_dtype is np.float32
    assert tf.string.as_numpy_dtype is object
    assert tf.float32.as_datatype_enum == 1
    assert tf.float32.base_dtype is tf.float32


def test_pickle_round_trip():
    import pickle

    assert pickle.loads(pickle.dumps(tf.int16)) is tf.int16


def test_from_numpy_unknown():
    with pytest.raises(TypeError, match="no tensorflux equivalent"):
        dtypes.from_numpy(np.dtype("datetime64[s]"))


def test_tf_dtypes_namespace():
    assert tf.dtypes.float32 is tf.float32
    assert tf.dtypes.DType is tf.DType
