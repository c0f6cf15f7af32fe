"""Records TensorFlow's ``tf.io`` parsing, serialization and decoding results for the
cases of ``io_cases.py`` into ``tests/fixtures/io_ops.json``, with the serialized
Example/SequenceExample inputs the cases read.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/io/record_io_fixtures.py
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from io_cases import ALL_CASES, FILE_PATTERNS, FILES  # noqa: E402

FIXTURE = Path(__file__).parents[1] / "fixtures" / "io_ops.json"


def _varint(n: int) -> bytes:
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def hand_example() -> bytes:
    """An Example written the way other writers may: unpacked int64 values (one key
    per value) and an unpacked float list, features out of key order."""
    ints = b"".join(_varint(1 << 3 | 0) + _varint(v) for v in (5, -1, 300))
    floats = b"".join(_varint(1 << 3 | 5) + np.float32(v).tobytes() for v in (0.25, -8.0))
    x = _field(1, b"x") + _field(2, _field(3, ints))
    y = _field(1, b"y") + _field(2, _field(2, floats))
    return _field(1, _field(1, y) + _field(1, x))


def examples(tf) -> dict:
    def feat(v):
        if isinstance(v, list) and v and isinstance(v[0], float):
            return tf.train.Feature(float_list=tf.train.FloatList(value=v))
        if isinstance(v, list) and v and isinstance(v[0], bytes):
            return tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        return tf.train.Feature(int64_list=tf.train.Int64List(value=v))

    def ex(**kw):
        features = tf.train.Features(feature={k: feat(v) for k, v in kw.items()})
        return tf.train.Example(features=features).SerializeToString()

    def seq(context, lists):
        ctx = tf.train.Features(feature={k: feat(v) for k, v in context.items()})
        fl = tf.train.FeatureLists(
            feature_list={
                k: tf.train.FeatureList(feature=[feat(v) for v in steps])
                for k, steps in lists.items()
            }
        )
        return tf.train.SequenceExample(context=ctx, feature_lists=fl).SerializeToString()

    return {
        "ex1": ex(
            a=[1.5, 2.5],
            b=[3],
            s=[b"x", b"yz"],
            v=[1, 2, 3, 4],
            idx=[0, 3],
            idx2=[1, 2],
            val=[10.0, 20.0],
            m=[1, 2, 3, 4],
            len=[1, 3],
            splits=[0, 1, 4],
            rowids=[0, 1, 1, 1],
            starts=[0, 1],
            limits=[1, 4],
        ),
        "ex2": ex(a=[0.5, -1.0], v=[], s=[b"q", b"r"], idx=[1], idx2=[3], val=[5.0], len=[]),
        "ex3": ex(),
        "ex4": ex(idx=[4, 1, 2, 0], val=[1.0, 2.0, 3.0, 4.0]),
        "ex5": ex(
            v=[5, 6, 7],
            splits=[0, 2, 3, 3],
            rowids=[0, 0, 2],
            starts=[0, 2, 3],
            limits=[2, 3, 3],
            len=[2, 1, 0],
            outer=[1, 2],
        ),
        "hand": hand_example(),
        "seq1": seq(
            {"c": [5], "cv": [b"u"]},
            {
                "f": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
                "g": [[1], [2, 3], []],
                "r": [[7], [8, 9]],
                "rl": [[1], [1, 1]],
            },
        ),
        "seq2": seq({}, {"f": [[0.0, 1.0]], "g": [[4]], "r": []}),
    }


def encode(x, tf):
    """A JSON form of a result: tensors by dtype, shape and values (bytes in hex)."""
    if isinstance(x, tf.SparseTensor):
        return {"sparse": [encode(x.indices, tf), encode(x.values, tf), encode(x.dense_shape, tf)]}
    if isinstance(x, tf.RaggedTensor):
        splits = [encode(s, tf) for s in x.nested_row_splits]
        return {"ragged": [encode(x.flat_values, tf), splits]}
    if isinstance(x, dict):
        return {"dict": {k: encode(v, tf) for k, v in x.items()}}
    if isinstance(x, (list, tuple)):
        return {"list": [encode(v, tf) for v in x]}
    if isinstance(x, tf.DType):
        return {"dtype_value": x.name}
    if isinstance(x, str):
        return {"str": x}
    a = np.asarray(x.numpy(), dtype=object if x.dtype == tf.string else None)
    if x.dtype == tf.string:
        values = [v.hex() for v in np.asarray(a, dtype=object).reshape(-1)]
    elif x.dtype.is_complex:
        values = [[float(v.real), float(v.imag)] for v in a.reshape(-1)]
    elif x.dtype.is_floating:
        values = [None if np.isnan(v) else float(v) for v in a.reshape(-1).astype(np.float64)]
        values = [v if v is None or np.isfinite(v) else str(v) for v in values]
    else:
        values = a.reshape(-1).tolist()
    return {"dtype": x.dtype.name, "shape": list(a.shape), "values": values}


def clean(message: str) -> str:
    """TF's message without the eager wrapper's node prefix and ``[Op:...]`` suffix."""
    message = re.sub(r"^\{\{function_node [^}]*\}\} ", "", message)
    return re.sub(r" \[Op:\w+\].*$", "", message, flags=re.S).strip()


def matching(tf) -> list:
    """``tf.io.matching_files`` of each pattern in a folder of FILES, as paths relative
    to the folder."""

    folder = tempfile.mkdtemp()
    for name in FILES:
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").close()

    def join(p):
        return os.path.join(folder, p) if p else folder

    out = []
    for pattern in FILE_PATTERNS:
        full = [join(p) for p in pattern] if isinstance(pattern, list) else join(pattern)
        found = tf.io.matching_files(full).numpy().tolist()
        out.append([os.path.relpath(f.decode(), folder) for f in found])
    v = tf.io.match_filenames_once(os.path.join(folder, "*.txt"))
    out.append([v.name, v.trainable, v.shape.as_list(), v.dtype.name])
    return out


def graphs(tf) -> dict:
    """A small graph written by ``tf.io.write_graph`` as binary (hex) and as text."""

    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0, name="x")
        tf.identity(x, name="y")
        p = tf.compat.v1.placeholder(tf.int32, [None, 3], name="p")
        tf.compat.v1.placeholder(tf.string, None, name="q")
        tf.constant([b'a\n"b', b"\xff"], name="s")
        tf.constant([[1, 2], [3, 4]], tf.int64, name="m")
        tf.reduce_sum(p, axis=[0, 1], keepdims=True, name="r")
        tf.strided_slice(p, [0], [1], [1], name="ss")
        tf.constant(0.1, tf.float32, name="tenth")
    folder = tempfile.mkdtemp()
    binary = tf.io.write_graph(g, folder, "g.pb", as_text=False)
    text = tf.io.write_graph(g, folder, "g.pbtxt")
    with open(binary, "rb") as f, open(text) as t:
        return {"binary": f.read().hex(), "text": t.read()}


def main() -> None:
    import tensorflow as tf

    ex = examples(tf)
    typed_int = b"\x08\x03\x12\x04\x12\x02\x08\x02" + b":\x0b" + b"\x05" + _varint(-3)
    typed_float = b"\x08\x01\x12\x04\x12\x02\x08\x03" + b"*\x04" + np.float32(2.5).tobytes()
    env = {
        "tf": tf,
        "np": np,
        "EX": ex,
        "ZLIB": zlib.compress(b"hello hello hello"),
        "GZIP": gzip.compress(b"gz data", mtime=0),
        "TYPED_INT": typed_int,
        "TYPED_FLOAT": typed_float,
    }
    results = {}
    for name, code in ALL_CASES:
        try:
            results[name] = encode(eval(code, env), tf)  # noqa: S307 - our own case table
        except Exception as e:  # noqa: BLE001 - the error is the recorded result
            results[name] = {"error": type(e).__name__, "message": clean(str(e))}
    inputs = {k: v.hex() for k, v in env.items() if isinstance(v, bytes)}
    inputs.update({f"EX.{k}": v.hex() for k, v in ex.items()})
    FIXTURE.write_text(
        json.dumps(
            {
                "tf_version": tf.__version__,
                "inputs": inputs,
                "results": results,
                "matching_files": matching(tf),
                "write_graph": graphs(tf),
            },
            indent=1,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
