"""tf.print: output format matched against TF 2.21's print kernel."""

import io
import sys

import numpy as np
import pytest

import tensorflux as tf


def printed(*args, **kwargs) -> str:
    out = io.StringIO()
    tf.print(*args, output_stream=out, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize(
    "make,text",
    [
        (lambda: tf.constant([1, 2, 3]), "[1 2 3]"),
        (lambda: tf.constant(2), "2"),
        (lambda: tf.constant(2.5), "2.5"),
        (lambda: tf.constant(True), "1"),
        (lambda: tf.constant([True, False]), "[1 0]"),
        (lambda: tf.constant("abc"), "abc"),
        (lambda: tf.constant(["a", "b"]), '["a" "b"]'),
        (lambda: tf.constant([["ab", "c"]]), '[["ab" "c"]]'),
        (lambda: tf.constant([1.5, 2.0, 1e-8]), "[1.5 2 1e-08]"),
        (lambda: tf.constant([0.1, 1 / 3], tf.float64), "[0.1 0.33333333333333331]"),
        (lambda: tf.constant([100.0, 12345.678, 0.000123]), "[100 12345.6777 0.000123]"),
        (lambda: tf.constant([3.14159265, 2.718281828]), "[3.14159274 2.71828175]"),
        (lambda: tf.constant([0.1], tf.float16), "[0.0999755859]"),
        (lambda: tf.constant([-1.5, 2.25]), "[-1.5 2.25]"),
        (lambda: tf.constant([-0.0, 1.0]), "[-0 1]"),
        (lambda: tf.constant(1e10), "1e+10"),
        (lambda: tf.constant(123456789.0), "123456792"),
        (lambda: tf.constant([np.inf, -np.inf, np.nan]), "[inf -inf nan]"),
        (lambda: tf.constant([2**40]), "[1099511627776]"),
        (lambda: tf.constant([1, 255], tf.uint8), "[1 255]"),
        (lambda: tf.constant([]), "[]"),
        (lambda: tf.constant([[1, 2], [3, 4]]), "[[1 2]\n [3 4]]"),
        (lambda: tf.constant([[1.5, -2.0], [3.25, 4.0]]), "[[1.5 -2]\n [3.25 4]]"),
        (
            lambda: tf.constant(np.arange(8).reshape(2, 2, 2)),
            "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]",
        ),
        (lambda: tf.constant(np.arange(10)), "[0 1 2 ... 7 8 9]"),
        (
            lambda: tf.constant(np.arange(49).reshape(7, 7)),
            "[[0 1 2 ... 4 5 6]\n [7 8 9 ... 11 12 13]\n [14 15 16 ... 18 19 20]\n ...\n"
            " [28 29 30 ... 32 33 34]\n [35 36 37 ... 39 40 41]\n [42 43 44 ... 46 47 48]]",
        ),
        (lambda: tf.Variable([1.0, 2.0]), "[1 2]"),
    ],
)
def test_tensor_format(make, text):
    assert printed(make()) == text + "\n"


@pytest.mark.parametrize(
    "args,kwargs,text",
    [
        (("hello", tf.constant([1, 2])), {}, "hello [1 2]\n"),
        ((1, 2.5, True, None), {}, "1 2.5 True None\n"),
        (("a", "b", 1), {"sep": ", "}, "a, b, 1\n"),
        (("a", "b"), {"sep": ""}, "ab\n"),
        (("a",), {"end": "!\n"}, "a!\n"),
        (("x", tf.constant(1)), {"end": ""}, "x 1"),
        ((), {}, "\n"),
        (([1, 2, tf.constant(3)],), {}, "[1, 2, 3]\n"),
        ((["a", tf.constant("b"), tf.constant([1.5])],), {}, "['a', \"b\", [1.5]]\n"),
        (({"a": tf.constant(1), "b": 2},), {}, "{'a': 1, 'b': 2}\n"),
        (((1, tf.constant(2)),), {}, "(1, 2)\n"),
        ((b"bytes",), {}, "b'bytes'\n"),
        ((np.array([1, 2]),), {}, "array([1, 2])\n"),
        (("nl\nin", 3), {}, "nl\nin 3\n"),
        ((tf.constant([[1]]), tf.constant(2)), {}, "[[1]] 2\n"),
        # TF prints a lone string tensor bare, string tensors among other inputs quoted.
        ((tf.constant("s"),), {}, "s\n"),
        (("a", tf.constant("s")), {}, 'a "s"\n'),
        ((tf.constant("s"), tf.constant(1)), {"sep": "|"}, '"s"|1\n'),
        ((tf.constant(np.arange(10)),), {"summarize": 2}, "[0 1 ... 8 9]\n"),
        ((tf.constant(np.arange(10)),), {"summarize": -1}, "[0 1 2 3 4 5 6 7 8 9]\n"),
        ((tf.constant(np.arange(10)),), {"summarize": None}, "[0 1 2 ... 7 8 9]\n"),
        ((tf.constant(["x"] * 10),), {"summarize": 1}, '["x" ... "x"]\n'),
        (
            (tf.reshape(tf.range(24), (2, 3, 4)),),
            {"summarize": 1},
            "[[[0 ... 3]\n  ...\n  [8 ... 11]]\n\n [[12 ... 15]\n  ...\n  [20 ... 23]]]\n",
        ),
    ],
)
def test_arguments(args, kwargs, text):
    assert printed(*args, **kwargs) == text


def test_default_stream_is_stderr(capsys):
    assert tf.print(tf.constant([1, 2])) is None
    captured = capsys.readouterr()
    assert captured.err == "[1 2]\n" and captured.out == ""


def test_stdout(capsys):
    tf.print("x", tf.constant(2.0), output_stream=sys.stdout)
    captured = capsys.readouterr()
    assert captured.out == "x 2\n" and captured.err == ""


def test_file_stream(tmp_path):
    path = tmp_path / "log.txt"
    tf.print("to file", output_stream=f"file://{path}")
    tf.print(tf.constant([1]), output_stream=f"file://{path}")
    assert path.read_text() == "to file\n[1]\n"


@pytest.mark.parametrize("stream", ["bogus", 3])
def test_bad_stream(stream):
    with pytest.raises(ValueError, match="Unsupported output stream"):
        tf.print("a", output_stream=stream)


def test_unknown_keyword():
    with pytest.raises(TypeError):
        tf.print("a", bogus=1)
