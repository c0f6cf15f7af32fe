"""Cases for ``keras.utils``' object serialization and ``audio_dataset_from_directory``,
shared by the recording script (run with tf_keras) and the tests (tensorflux)."""

import os

import numpy as np


def serialization_cases(keras):
    """Objects to serialize, by name (built from the given Keras)."""
    return {
        "dense": keras.layers.Dense(2, name="dense"),
        "adam": keras.optimizers.Adam(),
        "glorot": keras.initializers.GlorotUniform(seed=3),
        "l2": keras.regularizers.L2(0.01),
        "nonneg": keras.constraints.NonNeg(),
        "mse": keras.losses.MeanSquaredError(),
        "relu": keras.activations.relu,
        "nested": [3, "relu", {"a": 1.5}],
    }


def write_wav_folder(tf, folder):
    """Three classes of 16-bit WAV clips of different lengths and channel counts."""
    rng = np.random.default_rng(4)
    for label, lengths in (("cat", (5, 3, 7)), ("dog", (4, 6)), ("owl", (2,))):
        os.makedirs(os.path.join(folder, label), exist_ok=True)
        for i, n in enumerate(lengths):
            samples = (rng.uniform(-1, 1, size=(n, 2)) * 0.9).astype(np.float32)
            data = tf.audio.encode_wav(samples, 8000).numpy()
            with open(os.path.join(folder, label, f"clip{i}.wav"), "wb") as f:
                f.write(data)


AUDIO_CASES = {
    "padded": {"batch_size": 4, "shuffle": False},
    "shuffled": {"batch_size": 2, "seed": 7},
    "fixed_length": {"batch_size": 3, "shuffle": False, "output_sequence_length": 4},
    "categorical_split": {
        "batch_size": 8,
        "label_mode": "categorical",
        "output_sequence_length": 6,
        "seed": 1,
        "validation_split": 0.5,
        "subset": "training",
    },
    "unbatched": {"batch_size": None, "shuffle": False, "label_mode": None},
}
