"""tf.strings.unicode_script against TensorFlow's codes (``record_unicode_scripts.py``)."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "unicode_script.json"


def test_every_run_boundary_matches_tensorflow():
    recorded = json.loads(FIXTURE.read_text())
    points = np.array(recorded["code_points"], np.int32)
    got = tf.strings.unicode_script(points)
    assert got.dtype == tf.int32 and got.shape == points.shape
    np.testing.assert_array_equal(got.numpy(), recorded["scripts"])


def test_well_known_scripts():
    # Common, Inherited (a combining accent), Arabic, Cyrillic, Greek, Han, Hebrew,
    # Latin, Unknown (a surrogate), and -1 past the last code point.
    points = [0x20, 0x301, 0x627, 0x416, 0x3B1, 0x4E2D, 0x5D0, 0x41, 0xD800, 0x110000, -3]
    expected = [0, 1, 2, 8, 14, 17, 19, 25, 103, -1, -1]
    assert tf.strings.unicode_script(points).numpy().tolist() == expected


def test_shapes_ragged_and_traced():
    assert tf.strings.unicode_script(tf.constant(0x41)).shape == []
    grid = tf.constant([[0x41, 0x3B1], [0x5D0, 0x20]])
    np.testing.assert_array_equal(tf.strings.unicode_script(grid).numpy(), [[25, 14], [19, 0]])
    assert tf.strings.unicode_script(tf.zeros([0, 3], tf.int32)).shape == [0, 3]
    rt = tf.ragged.constant([[0x41], [0x3B1, 0x4E2D]])
    assert tf.strings.unicode_script(rt).to_list() == [[25], [14, 17]]
    traced = tf.function(tf.strings.unicode_script)
    np.testing.assert_array_equal(traced(grid).numpy(), [[25, 14], [19, 0]])
    # Code points are decoded from strings first, as in TF's guide.
    points = tf.strings.unicode_decode(["Aα"], "UTF-8")
    assert tf.strings.unicode_script(points).to_list() == [[25, 14]]


def test_other_dtypes_raise_tensorflows_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a int32 tensor"):
        tf.strings.unicode_script(tf.constant([65], tf.int64))
    with pytest.raises(TypeError, match="does not match expected type of int32"):
        tf.function(tf.strings.unicode_script)(tf.constant([65], tf.int64))
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.strings.unicode_script([1.5])
