"""``tf.compat``: conversions, dimension helpers and the forward-compatibility window."""

import pathlib

import numpy as np
import pytest

import tensorflux as tf


def test_as_bytes_and_as_text_convert_as_tf():
    assert tf.compat.as_bytes("abé") == b"ab\xc3\xa9"
    assert tf.compat.as_bytes("é", encoding="latin-1") == b"\xe9"
    assert tf.compat.as_bytes(bytearray(b"q")) == b"q"
    assert tf.compat.as_text(b"ab\xc3\xa9") == "abé"
    assert tf.compat.as_str(b"x") == "x"
    for bad in (1, pathlib.Path("/x")):
        with pytest.raises(TypeError, match="Expected binary or unicode string"):
            tf.compat.as_bytes(bad)
        with pytest.raises(TypeError, match="Expected binary or unicode string"):
            tf.compat.as_text(bad)
    with pytest.raises(TypeError):
        tf.compat.as_text(bytearray(b"q"))


def test_as_str_any_and_path_to_str():
    assert tf.compat.as_str_any(b"ab") == "ab"
    assert tf.compat.as_str_any(1) == "1"
    assert tf.compat.as_str_any(pathlib.PurePosixPath("/x/y")) == "/x/y"
    assert tf.compat.path_to_str(pathlib.PurePosixPath("/x/y")) == "/x/y"
    assert tf.compat.path_to_str(1) == 1
    assert tf.compat.path_to_str(b"ab") == b"ab"


def test_dimension_helpers():
    shape = tf.TensorShape([3, None])
    assert repr(tf.compat.dimension_at_index(shape, 0)) == "Dimension(3)"
    assert repr(tf.compat.dimension_at_index(shape, 1)) == "Dimension(None)"
    assert repr(tf.compat.dimension_at_index(tf.TensorShape(None), 5)) == "Dimension(None)"
    with pytest.raises(IndexError):
        tf.compat.dimension_at_index(shape, 5)
    assert tf.compat.dimension_value(shape[0]) == 3
    assert tf.compat.dimension_value(tf.compat.dimension_at_index(shape, 0)) == 3
    assert tf.compat.dimension_value(None) is None


def test_type_tuples():
    assert isinstance(np.int8(1), tf.compat.integral_types)
    assert isinstance(2.5, tf.compat.real_types)
    assert isinstance(np.complex64(1), tf.compat.complex_types)
    assert tf.compat.bytes_or_text_types == (bytes, str)


def test_forward_compatibility_window(monkeypatch):
    assert tf.compat.forward_compatible(2025, 12, 1)
    assert not tf.compat.forward_compatible(2026, 6, 1)
    with tf.compat.forward_compatibility_horizon(2030, 1, 1):
        assert tf.compat.forward_compatible(2029, 1, 1)
    assert not tf.compat.forward_compatible(2029, 1, 1)
    monkeypatch.setenv("TF_FORWARD_COMPATIBILITY_DELTA_DAYS", "365")
    assert tf.compat.forward_compatible(2026, 6, 1)


def test_v2_is_the_tf2_api_and_v1_is_explained():
    assert tf.compat.v2.constant is tf.constant
    with pytest.raises(AttributeError, match="TF 2 API"):
        tf.compat.v1  # noqa: B018
