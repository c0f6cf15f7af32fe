"""Records tests/fixtures/text_preprocessing.json with TensorFlow and tf_keras.

Run with a Python that has tensorflow 2.21 and tf_keras 2.21:
``python tests/keras/layers/record_text_preprocessing_fixtures.py``.
"""

import json
import os
import sys

import numpy as np
import tensorflow as tf
import tf_keras

sys.path.insert(0, os.path.dirname(__file__))
from text_preprocessing_cases import CASES, HASH_KEYS, HASH_STRINGS  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures")
OUT = os.path.join(FIXTURES, "text_preprocessing.json")
# A tf-keras model whose TextVectorization learnt its vocabulary with adapt, saved as
# .keras: the vocabulary travels in the archive's assets/.
ADAPTED_MODEL = os.path.join(FIXTURES, "keras_formats", "text_vectorization.tfk.keras")
ADAPTED_TEXTS = ["the cat sat", "the dog ran", "a cat ran fast"]
ADAPTED_QUERIES = [["the cat ran"], ["zebra dog"]]


def plain(value):
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def tensor_record(t):
    arr = t.numpy()
    values = arr.tolist() if arr.dtype != object else plain(arr.tolist())
    return {"dtype": t.dtype.name, "shape": list(arr.shape), "values": plain(values)}


def error_record(e):
    return {"error": type(e).__name__, "message": str(e)}


def record(case):
    out = {}
    try:
        layer = getattr(tf_keras.layers, case["layer"])(**case["kwargs"])
    except Exception as e:  # noqa: BLE001 - recorded
        out["init"] = error_record(e)
        return out
    if "adapt" in case:
        data = case["adapt"]
        arr = np.array(data, dtype=str if case["dtype"] == "string" else None)
        if case.get("adapt_batch"):
            arr = tf.data.Dataset.from_tensor_slices(arr).batch(case["adapt_batch"])
        try:
            layer.adapt(arr)
        except Exception as e:  # noqa: BLE001 - recorded
            out["adapt"] = error_record(e)
            return out
    if hasattr(layer, "get_vocabulary"):
        out["vocabulary"] = plain(layer.get_vocabulary())
        out["vocabulary_size"] = int(layer.vocabulary_size())
    if case["layer"] == "Normalization" and layer.weights:
        out["weights"] = [[w.name.split("/")[-1], plain(w.numpy().tolist())] for w in layer.weights]
    if case["layer"] == "Discretization":
        out["bin_boundaries"] = plain(list(layer.bin_boundaries))
    config = layer.get_config()
    config.pop("name")
    out["config"] = plain(config)
    out["calls"] = []
    for inputs in case["calls"]:
        try:
            x = tf.constant(inputs, dtype=case["dtype"])
            out["calls"].append(tensor_record(layer(x)))
        except Exception as e:  # noqa: BLE001 - recorded
            out["calls"].append(error_record(e))
    return out


def save_adapted_model() -> list:
    """Saves ADAPTED_MODEL; its predictions for ADAPTED_QUERIES."""
    layer = tf_keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    layer.adapt(np.array(ADAPTED_TEXTS))
    inputs = tf_keras.Input(shape=(1,), dtype="string")
    model = tf_keras.Model(inputs, layer(inputs))
    model.save(ADAPTED_MODEL)
    return model.predict(np.array(ADAPTED_QUERIES), verbose=0).tolist()


def main():
    results = {case["id"]: record(case) for case in CASES}
    results["adapted_model"] = save_adapted_model()
    big = 2**63 - 1
    results["hashes"] = {
        "fast": tf.strings.to_hash_bucket_fast(HASH_STRINGS, big).numpy().tolist(),
        "strong": [
            tf.strings.to_hash_bucket_strong(HASH_STRINGS, big, key=key).numpy().tolist()
            for key in HASH_KEYS
        ],
    }
    with open(OUT, "w") as f:
        json.dump(results, f, indent=0, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
