"""Tests for tensorflux/ops/string_ops.py (``tf.strings``). Expected values were observed
with TensorFlow 2.21."""

import re
import string

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError, OutOfRangeError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import string_ops

PUNCT = "[%s]" % re.escape(string.punctuation)

# name, thunk, expected value (as TF 2.21 returned it)
VALUES = [
    ("length", lambda: tf.strings.length(["héllo", "ab", ""]), [6, 2, 0]),
    ("length_utf8", lambda: tf.strings.length("héllo", unit="UTF8_CHAR"), 5),
    ("length_utf8_invalid", lambda: tf.strings.length(b"\xff\xc3", unit="UTF8_CHAR"), 2),
    ("length_2d", lambda: tf.strings.length([["ab"]]), [[2]]),
    ("lower_ascii", lambda: tf.strings.lower(["HéLLO ÀB"]), ["héllo Àb".encode()]),
    ("lower_utf8", lambda: tf.strings.lower("ÀB", encoding="utf-8"), "àb".encode()),
    ("upper", lambda: tf.strings.upper(["héllo ab"]), ["HéLLO AB".encode()]),
    (
        "strip",
        lambda: tf.strings.strip(["  a b \n\t", "\x0bx\x0c", " \xa0x "]),
        [b"a b", b"x", "\xa0x".encode()],
    ),
    ("regex_punct", lambda: tf.strings.regex_replace("Hello, World!", PUNCT, ""), b"Hello World"),
    (
        "regex_first",
        lambda: tf.strings.regex_replace(["aaa", "bab"], "a", "X", replace_global=False),
        [b"Xaa", b"bXb"],
    ),
    ("regex_group", lambda: tf.strings.regex_replace("abc", "(b)", r"[\1]"), b"a[b]c"),
    ("regex_whole", lambda: tf.strings.regex_replace("aXbX", "X", r"\0\0"), b"aXXbXX"),
    ("regex_empty", lambda: tf.strings.regex_replace("ab", "", "-"), b"-a-b-"),
    ("regex_dollar", lambda: tf.strings.regex_replace("a\nb\n", "b$", "X"), b"a\nb\n"),
    ("regex_utf8_dot", lambda: tf.strings.regex_replace("héllo", ".", "X"), b"XXXXX"),
    ("regex_missing_group", lambda: tf.strings.regex_replace("abc", "b", r"\2"), b"abc"),
    ("regex_bad_escape", lambda: tf.strings.regex_replace("abc", "b", r"\x"), b"ac"),
    ("regex_backslash", lambda: tf.strings.regex_replace("abc", "b", "\\\\"), b"a\\c"),
    ("full_match", lambda: tf.strings.regex_full_match(["abc", "ab"], "a.c"), [True, False]),
    ("join_broadcast", lambda: tf.strings.join(["a", ["b", "c"]], separator="-"), [b"a-b", b"a-c"]),
    ("join_2", lambda: tf.strings.join([["a", "b"], ["c", "d"]]), [b"ac", b"bd"]),
    ("join_scalars", lambda: tf.strings.join(["a", "b"]), b"ab"),
    ("join_none", lambda: tf.strings.join([]), b""),
    ("reduce_join_all", lambda: tf.strings.reduce_join([["a", "b"], ["c", "d"]]), b"abcd"),
    (
        "reduce_join_last",
        lambda: tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=-1),
        [b"ab", b"cd"],
    ),
    (
        "reduce_join_keep",
        lambda: tf.strings.reduce_join(
            [["a", "b"], ["c", "d"]], axis=0, keepdims=True, separator=","
        ),
        [[b"a,c", b"b,d"]],
    ),
    (
        "reduce_join_axes",
        lambda: tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=[0, 1]),
        b"acbd",
    ),
    (
        "reduce_join_keep_all",
        lambda: tf.strings.reduce_join([["a", "b"], ["c", "d"]], keepdims=True),
        [[b"abcd"]],
    ),
    (
        "reduce_join_order",
        lambda: tf.strings.reduce_join(
            tf.reshape(tf.constant(list("abcdefgh")), [2, 2, 2]), axis=[2, 0]
        ),
        [b"abef", b"cdgh"],
    ),
    (
        "reduce_join_3d_all",
        lambda: tf.strings.reduce_join(tf.reshape(tf.constant(list("abcdefgh")), [2, 2, 2])),
        b"abcdefgh",
    ),
    ("reduce_join_empty", lambda: tf.strings.reduce_join(tf.constant([], tf.string)), b""),
    ("split_ws", lambda: tf.strings.split("a b  c"), [b"a", b"b", b"c"]),
    ("split_sep", lambda: tf.strings.split("a,b,,c", ","), [b"a", b"b", b"", b"c"]),
    ("split_max", lambda: tf.strings.split("a b c", maxsplit=1), [b"a", b"b c"]),
    ("split_empty", lambda: tf.strings.split(""), np.array([], object)),
    ("split_empty_sep", lambda: tf.strings.split("", ","), [b""]),
    ("split_space", lambda: tf.strings.split("a  b", " "), [b"a", b"", b"b"]),
    (
        "unicode_split",
        lambda: tf.strings.unicode_split(tf.constant("héllo"), "UTF-8"),
        [b"h", "é".encode(), b"l", b"l", b"o"],
    ),
    (
        "unicode_split_bad",
        lambda: tf.strings.unicode_split(b"a\xffb", "UTF-8"),
        [b"a", b"\xef\xbf\xbd", b"b"],
    ),
    (
        "unicode_split_ignore",
        lambda: tf.strings.unicode_split(b"a\xffb", "UTF-8", errors="ignore"),
        [b"a", b"b"],
    ),
    (
        "unicode_split_char",
        lambda: tf.strings.unicode_split(b"a\xffb", "UTF-8", replacement_char=63),
        [b"a", b"?", b"b"],
    ),
    (
        "unicode_split_16",
        lambda: tf.strings.unicode_split("hé".encode("utf-16-be"), "UTF-16-BE"),
        [b"\x00h", b"\x00\xe9"],
    ),
    ("substr", lambda: tf.strings.substr("hello", 1, 3), b"ell"),
    ("substr_utf8", lambda: tf.strings.substr(["héllo"], 1, 2, unit="UTF8_CHAR"), ["él".encode()]),
    ("substr_neg_pos", lambda: tf.strings.substr("hello", -3, 2), b"ll"),
    ("substr_neg_len", lambda: tf.strings.substr("hello", 1, -1), b"ello"),
    ("substr_long", lambda: tf.strings.substr("hello", 2, 10), b"llo"),
    ("substr_end", lambda: tf.strings.substr("hello", 5, 2), b""),
    ("substr_vec", lambda: tf.strings.substr(["hello", "ab"], [1, 0], [2, 1]), [b"el", b"a"]),
    ("substr_bcast", lambda: tf.strings.substr(["hello", "world"], [1], [2]), [b"el", b"or"]),
    ("as_string", lambda: tf.strings.as_string(3.5), b"3.500000"),
    (
        "as_string_floats",
        lambda: tf.strings.as_string([1e20, np.nan, np.inf, -2.25, 1e-7]),
        [b"100000002004087734272.000000", b"nan", b"inf", b"-2.250000", b"0.000000"],
    ),
    ("as_string_int", lambda: tf.strings.as_string(tf.constant([1, -2], tf.int64)), [b"1", b"-2"]),
    ("as_string_bool", lambda: tf.strings.as_string(True), b"true"),
    ("as_string_precision", lambda: tf.strings.as_string(3.14159, precision=2), b"3.14"),
    ("as_string_sci", lambda: tf.strings.as_string([3.5], scientific=True), [b"3.500000e+00"]),
    (
        "as_string_short",
        lambda: tf.strings.as_string([0.1, 123456789.0, 1e-5], shortest=True),
        [b"0.1", b"1.23457e+08", b"1e-05"],
    ),
    ("as_string_fill", lambda: tf.strings.as_string([-3], width=4, fill="0"), [b"-003"]),
    ("as_string_width", lambda: tf.strings.as_string([3.5], width=10), [b"  3.500000"]),
    ("as_string_space", lambda: tf.strings.as_string([3.5], fill=" ", width=6), [b" 3.500000"]),
    (
        "as_string_complex",
        lambda: tf.strings.as_string(tf.constant([1 + 2j])),
        [b"(1.000000,2.000000)"],
    ),
    ("as_string_str", lambda: tf.strings.as_string(["a"]), [b"a"]),
    ("to_number", lambda: tf.strings.to_number(["3.5", "1e3", " 3.5 "]), [3.5, 1000.0, 3.5]),
    (
        "to_number_special",
        lambda: tf.strings.to_number(["nan", "inf", "0x10", "1e39"]),
        [np.nan, np.inf, 16.0, np.inf],
    ),
    ("to_number_int", lambda: tf.strings.to_number([" 12 ", "+5"], tf.int32), [12, 5]),
    ("to_number_hexfloat", lambda: tf.strings.to_number(" 0x1p3 ", tf.float64), 8.0),
    ("to_number_uint", lambda: tf.strings.to_number("4294967295", tf.uint32), 4294967295),
]


@pytest.mark.parametrize("name,thunk,expected", VALUES, ids=[r[0] for r in VALUES])
def test_values(name, thunk, expected):
    t = thunk()
    out = np.asarray(t.numpy(), dtype=object if t.dtype == tf.string else None)
    expected = np.asarray(expected, dtype=out.dtype)
    assert out.shape == expected.shape
    np.testing.assert_array_equal(out, expected)


DTYPES = [
    (lambda: tf.strings.length("ab"), tf.int32),
    (lambda: tf.strings.regex_full_match("ab", "a"), tf.bool),
    (lambda: tf.strings.lower("A"), tf.string),
    (lambda: tf.as_string(1), tf.string),
    (lambda: tf.strings.to_number("1"), tf.float32),
    (lambda: tf.strings.to_number("1", tf.float64), tf.float64),
    (lambda: tf.strings.to_number("1", tf.int64), tf.int64),
    (lambda: tf.strings.to_number("1", tf.uint64), tf.uint64),
]


@pytest.mark.parametrize("thunk,dtype", DTYPES)
def test_dtypes(thunk, dtype):
    assert thunk().dtype == dtype


# op, input specs, attrs, eager thunk
INFER = [
    (
        "StringLength",
        [Spec(tf.string, TensorShape([None, 2]))],
        {"unit": "BYTE"},
        lambda: tf.strings.length([["a", "b"]]),
    ),
    ("StringLower", [Spec(tf.string, TensorShape([None]))], {}, lambda: tf.strings.lower(["A"])),
    (
        "StaticRegexFullMatch",
        [Spec(tf.string, TensorShape([None]))],
        {"pattern": "a"},
        lambda: tf.strings.regex_full_match(["a"], "a"),
    ),
    (
        "StringJoin",
        [Spec(tf.string, TensorShape([])), Spec(tf.string, TensorShape([None]))],
        {},
        lambda: tf.strings.join(["a", ["b", "c"]]),
    ),
    (
        "ReduceJoin",
        [Spec(tf.string, TensorShape([None, 3]))],
        {"axis": -1},
        lambda: tf.strings.reduce_join([["a", "b", "c"]], axis=-1),
    ),
    (
        "ReduceJoin",
        [Spec(tf.string, TensorShape([None, 3]))],
        {"axis": 0, "keepdims": True},
        lambda: tf.strings.reduce_join([["a", "b", "c"]], axis=0, keepdims=True),
    ),
    ("StringSplitV2", [Spec(tf.string, TensorShape([]))], {}, lambda: tf.strings.split("a b")),
    (
        "UnicodeSplit",
        [Spec(tf.string, TensorShape([]))],
        {},
        lambda: tf.strings.unicode_split("ab", "UTF-8"),
    ),
    (
        "Substr",
        [Spec(tf.string, TensorShape([None])), Spec(tf.int32, TensorShape([]))] * 1
        + [Spec(tf.int32, TensorShape([]))],
        {},
        lambda: tf.strings.substr(["ab", "c"], 0, 1),
    ),
    ("AsString", [Spec(tf.float32, TensorShape([None]))], {}, lambda: tf.as_string([1.0])),
    (
        "StringToNumber",
        [Spec(tf.string, TensorShape([None]))],
        {"out_type": tf.int64},
        lambda: tf.strings.to_number(["1"], tf.int64),
    ),
]


@pytest.mark.parametrize("op_name,specs,attrs,thunk", INFER, ids=[r[0] for r in INFER])
def test_infer_matches_eager(op_name, specs, attrs, thunk):
    spec = registry.get(op_name).infer(*specs, **attrs)
    out = thunk()
    assert spec.dtype == out.dtype
    assert spec.shape.is_compatible_with(out.shape)
    assert spec.shape.rank == out.shape.rank


def test_none_differentiable():
    for name in (
        "StringLength",
        "StringLower",
        "StringUpper",
        "StringStrip",
        "StaticRegexReplace",
        "StaticRegexFullMatch",
        "StringJoin",
        "ReduceJoin",
        "StringSplitV2",
        "UnicodeSplit",
        "Substr",
        "AsString",
        "StringToNumber",
    ):
        assert not registry.get(name).differentiable


def test_namespaces():
    assert tf.as_string is tf.strings.as_string
    assert string_ops.__all__ == ["as_string"]
    assert not hasattr(tf, "regex_replace")


ERRORS = [
    (lambda: tf.strings.length(1), TypeError, "not a string"),
    (lambda: tf.strings.length("a", unit="X"), InvalidArgumentError, "unit='X'"),
    (lambda: tf.strings.lower("A", encoding="UTF-8"), InvalidArgumentError, "only utf-8"),
    (lambda: tf.strings.regex_replace("abc", "(", "x"), InvalidArgumentError, "Invalid pattern: ("),
    (lambda: tf.strings.regex_full_match("abc", "("), InvalidArgumentError, "Invalid pattern"),
    (lambda: tf.strings.regex_replace("abc", 1, "x"), TypeError, "pattern must be"),
    (
        lambda: tf.strings.join([["a", "b"], ["c", "d", "e"]]),
        InvalidArgumentError,
        "Input shapes do not match: [2] vs. [3]",
    ),
    (
        lambda: tf.strings.join([[["a", "b"]], ["c", "d"]]),
        InvalidArgumentError,
        "Input shapes do not match",
    ),
    (
        lambda: tf.strings.reduce_join([["a", "b"]], axis=2),
        OutOfRangeError,
        "Invalid reduction dimension 2 for input with 2 dimension(s)",
    ),
    (
        lambda: tf.strings.reduce_join([["a", "b"]], axis=-3),
        OutOfRangeError,
        "Invalid reduction dimension -3",
    ),
    (lambda: tf.strings.unicode_split("ab", "UTF-16"), InvalidArgumentError, "input_encoding"),
    (
        lambda: tf.strings.unicode_split(b"a\xffb", "UTF-8", errors="strict"),
        InvalidArgumentError,
        "Invalid formatting on input string",
    ),
    (
        lambda: tf.strings.substr("hello", 7, 2),
        InvalidArgumentError,
        "pos 7 out of range for string b'hello' at index 0",
    ),
    (lambda: tf.strings.substr("hello", -6, 2), InvalidArgumentError, "pos -6 out of range"),
    (
        lambda: tf.strings.substr(["hello", "world"], [1, 2, 3], 1),
        InvalidArgumentError,
        "pos and len should have the same shape",
    ),
    (
        lambda: tf.strings.as_string([3], precision=2),
        InvalidArgumentError,
        "precision not supported for datatype int32",
    ),
    (
        lambda: tf.strings.as_string([3.5], fill="x", width=6),
        InvalidArgumentError,
        'Fill argument not supported: "x"',
    ),
    (
        lambda: tf.strings.as_string([3.5], fill="ab"),
        InvalidArgumentError,
        "Fill string must be one or fewer characters",
    ),
    (
        lambda: tf.strings.as_string([3.5], scientific=True, shortest=True),
        InvalidArgumentError,
        "Cannot select both scientific and shortest notation",
    ),
    (
        lambda: tf.strings.to_number("abc"),
        InvalidArgumentError,
        "StringToNumberOp could not correctly convert string: abc",
    ),
    (lambda: tf.strings.to_number("3.5", tf.int32), InvalidArgumentError, "convert string: 3.5"),
    (lambda: tf.strings.to_number("0x10", tf.int32), InvalidArgumentError, "convert string"),
    (
        lambda: tf.strings.to_number("99999999999", tf.int32),
        InvalidArgumentError,
        "convert string: 99999999999",
    ),
    (lambda: tf.strings.to_number("-1", tf.uint32), InvalidArgumentError, "convert string: -1"),
    (lambda: tf.strings.to_number("", tf.float32), InvalidArgumentError, "convert string"),
    (lambda: tf.strings.to_number("1_0"), InvalidArgumentError, "convert string: 1_0"),
    (lambda: tf.strings.to_number("1", tf.int8), InvalidArgumentError, "attr 'out_type'"),
    (lambda: tf.strings.to_number(1.0), TypeError, "not a string"),
]


@pytest.mark.parametrize("thunk,exc,fragment", ERRORS)
def test_errors(thunk, exc, fragment):
    with pytest.raises(exc) as info:
        thunk()
    assert fragment in str(info.value)


def test_string_comparisons():
    np.testing.assert_array_equal(tf.equal(tf.constant(["a", ""]), "").numpy(), [False, True])
    np.testing.assert_array_equal((tf.constant(["a", ""]) != "").numpy(), [True, False])


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Hello, World!\n\nIt's 3.5 O'Clock.\n", encoding="utf-8")
    return str(path)


def test_notes_text_pipeline(text_file):
    ds = tf.data.TextLineDataset(text_file).filter(lambda x: tf.cast(tf.strings.length(x), bool))
    ds = ds.map(lambda s: tf.strings.regex_replace(tf.strings.lower(s), PUNCT, ""))
    assert list(ds.as_numpy_iterator()) == [b"hello world", b"its 35 oclock"]
    assert ds.element_spec == tf.TensorSpec((), tf.string)


@pytest.mark.parametrize("predicate", [lambda x: x != "", lambda x: tf.strings.length(x) > 0])
def test_traced_filters_on_lines(text_file, predicate):
    ds = tf.data.TextLineDataset(text_file).filter(predicate)
    assert list(ds.as_numpy_iterator()) == [b"Hello, World!", b"It's 3.5 O'Clock."]


def test_value_errors_wait_for_the_data(tmp_path):
    # Tracing runs kernels on b"" examples; parse errors belong to the real values.
    path = tmp_path / "n.txt"
    path.write_text("1.5\n2\n", encoding="utf-8")
    ds = tf.data.TextLineDataset(str(path)).map(tf.strings.to_number)
    assert list(ds.as_numpy_iterator()) == [1.5, 2.0]
    bad = tf.function(lambda x: tf.strings.to_number(x))
    with pytest.raises(InvalidArgumentError, match="convert string: zz"):
        bad(tf.constant("zz"))
    split = tf.data.TextLineDataset(str(path)).map(lambda s: tf.strings.split(s, "."))
    assert [list(v) for v in split.as_numpy_iterator()] == [[b"1", b"5"], [b"2"]]


def test_char_pipeline_in_function():
    chars = tf.strings.unicode_split(tf.constant("héllo"), "UTF-8")
    assert chars.shape == (5,)

    @tf.function
    def roundtrip(x):
        return tf.strings.reduce_join(tf.strings.unicode_split(x, "UTF-8"), separator="|")

    assert roundtrip(tf.constant("héllo")).numpy() == "h|é|l|l|o".encode()
    assert roundtrip(tf.constant("ab")).numpy() == b"a|b"
    assert tf.strings.join([chars[0], chars[1]]).numpy() == "hé".encode()


def test_string_tensors_unstack_into_scalar_tensors():
    chars = tf.strings.unicode_split(tf.constant("héllo"), "UTF-8")
    pieces = list(chars)
    assert all(p.dtype == tf.string and p.shape == () for p in pieces)
    assert tf.strings.join(pieces).numpy() == "héllo".encode()
