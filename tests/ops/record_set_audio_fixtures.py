"""Records TensorFlow's results for ``tf.sets`` and ``tf.audio`` into
``tests/fixtures/set_audio_ops.json``.

Run with a Python that has TensorFlow 2.21: ``python tests/ops/record_set_audio_fixtures.py``.
"""

import base64
import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "set_audio_ops.json")

DENSE_2D_A = [[1, 2, 3], [4, 5, 6], [7, 7, 7]]
DENSE_2D_B = [[2, 3, 9], [5, 4, 7], [1, 1, 1]]
DENSE_3D_A = [[[1, 1, 2], [3, 4, 5]], [[7, 7, 7], [0, 1, 2]]]
DENSE_3D_B = [[[1, 9, 2], [5, 5, 5]], [[8, 8, 8], [2, 1, 0]]]
SPARSE_A = {"indices": [[0, 0], [0, 1], [2, 0], [2, 3]], "values": [5, 3, 3, 8], "shape": [3, 4]}
SPARSE_B = {"indices": [[0, 0], [1, 0], [1, 2]], "values": [3, 9, 9], "shape": [3, 5]}
DENSE_FOR_SPARSE = [[3, 3], [9, 1], [2, 8]]
SPARSE_3D = {
    "indices": [[0, 0, 0], [0, 0, 1], [1, 1, 0], [1, 1, 2]],
    "values": [2, 2, 3, 4],
    "shape": [2, 2, 3],
}


def _operand(spec, dtype):
    if isinstance(spec, dict):
        return tf.sparse.SparseTensor(
            spec["indices"], tf.constant(spec["values"], dtype), spec["shape"]
        )
    return tf.constant(spec, dtype)


def _sparse(result):
    values = result.values.numpy().tolist()
    return {
        "indices": result.indices.numpy().tolist(),
        "values": [v.decode() if isinstance(v, bytes) else v for v in values],
        "shape": result.dense_shape.numpy().tolist(),
        "dtype": result.values.dtype.name,
    }


def set_cases():
    pairs = [
        (DENSE_2D_A, DENSE_2D_B, "int32"),
        (DENSE_3D_A, DENSE_3D_B, "int64"),
        (DENSE_2D_A, DENSE_2D_B, "uint8"),
        (SPARSE_A, SPARSE_B, "int32"),
        (SPARSE_A, DENSE_FOR_SPARSE, "int16"),
        (DENSE_FOR_SPARSE, SPARSE_A, "int32"),
        ([["b", "a"], ["c", "c"]], [["a", "z"], ["d", "c"]], "string"),
        ([[1, 2]], [[3, 4]], "int32"),
    ]
    cases = []
    for a, b, dtype in pairs:
        for op, kwargs in [
            ("intersection", {}),
            ("union", {}),
            ("difference", {}),
            ("difference", {"aminusb": False}),
        ]:
            out = getattr(tf.sets, op)(_operand(a, dtype), _operand(b, dtype), **kwargs)
            cases.append(
                {"op": op, "a": a, "b": b, "dtype": dtype, "kwargs": kwargs, "out": _sparse(out)}
            )
    sizes = []
    for spec in (SPARSE_A, SPARSE_B, SPARSE_3D):
        sizes.append({"a": spec, "out": tf.sets.size(_operand(spec, "int64")).numpy().tolist()})
    return cases, sizes


def audio_cases():
    cases = []
    for samples, rate in [
        (np.array([[0.5, -0.5], [1.0, -1.0], [0.25, 2.0]]), 16000),
        (np.array([[0.1], [-0.7], [0.33333], [-1.5]]), 8000),
        (np.linspace(-1, 1, 15).reshape(5, 3), 44100),
        (np.zeros((0, 2)), 22050),
    ]:
        encoded = tf.audio.encode_wav(tf.constant(samples, tf.float32), rate)
        decodes = []
        for kwargs in [
            {},
            {"desired_channels": 1},
            {"desired_channels": 2, "desired_samples": 6},
            {"desired_samples": 2},
        ]:
            try:
                audio, sr = tf.audio.decode_wav(encoded, **kwargs)
                decodes.append(
                    {
                        "kwargs": kwargs,
                        "audio": audio.numpy().tolist(),
                        "shape": audio.shape.as_list(),
                        "rate": int(sr),
                    }
                )
            except tf.errors.InvalidArgumentError as e:
                decodes.append({"kwargs": kwargs, "error": type(e).__name__})
        cases.append(
            {
                "samples": samples.tolist(),
                "shape": list(samples.shape),
                "rate": rate,
                "wav": base64.b64encode(encoded.numpy()).decode(),
                "decodes": decodes,
            }
        )
    return cases


def main():
    set_ops, sizes = set_cases()
    fixture = {"sets": set_ops, "sizes": sizes, "wav": audio_cases()}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixture, f, indent=1)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
