"""Records tf_keras 2.21's ``utils.serialize_keras_object`` output and
``audio_dataset_from_directory`` batches into ``tests/keras/fixtures/utils_more.json``.

Run with a Python that has TensorFlow 2.21 and tf_keras, from the repository root:
``python tests/keras/record_utils_more_fixtures.py``.
"""

import json
import os
import sys
import tempfile

import tensorflow as tf
import tf_keras as keras

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from utils_more_cases import AUDIO_CASES, serialization_cases, write_wav_folder  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "fixtures", "utils_more.json")


def _plain(value):
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "numpy"):
        value = value.numpy()
    if hasattr(value, "to_list"):
        return value.to_list()
    return value.tolist() if hasattr(value, "tolist") else value


def main():
    serialized = {
        name: keras.utils.serialize_keras_object(obj)
        for name, obj in serialization_cases(keras).items()
    }
    legacy = {"dense": keras.utils.legacy.serialize_keras_object(keras.layers.Dense(2, name="d"))}
    folder = tempfile.mkdtemp()
    write_wav_folder(tf, folder)
    audio = {}
    for name, kwargs in AUDIO_CASES.items():
        dataset = keras.utils.audio_dataset_from_directory(folder, **kwargs)
        audio[name] = {
            "spec": str(dataset.element_spec),
            "class_names": dataset.class_names,
            "batches": [_plain(batch) for batch in dataset],
        }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"serialized": serialized, "legacy": legacy, "audio": audio}, f)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
