"""Records TensorFlow's candidate samplers, ``compute_accidental_hits``,
``sampled_softmax_loss`` and ``nce_loss`` (values and gradients) into
``tests/fixtures/candidate_sampling.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/ops/record_candidate_sampling_fixtures.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "candidate_sampling.json"

TRUE_CLASSES = [[1, 5], [7, 0], [3, 3]]

# (sampler, num_sampled, unique, range_max, seed); each is called twice in a row.
SAMPLER_CASES = [
    ("log_uniform", 6, True, 10, 42),
    ("log_uniform", 5, False, 1000, 42),
    ("log_uniform", 8, True, 9, 7),
    ("log_uniform", 3, True, 1 << 40, 1),
    ("uniform", 6, True, 10, 42),
    ("uniform", 5, False, 1000, 3),
    ("uniform", 4, True, 16, 5),
    ("uniform", 3, False, (1 << 40) + 7, 9),
]

UNIGRAMS = [3.0, 1.0, 0.5, 7.0, 2.0, 2.0, 0.1, 4.0, 1.5, 9.0, 0.0, 2.5]
# Keyword arguments of fixed_unigram_candidate_sampler ("VOCAB": a file of UNIGRAMS).
FIXED_UNIGRAM_CASES = [
    {"num_sampled": 5, "unique": True, "range_max": 12, "unigrams": UNIGRAMS},
    {"num_sampled": 6, "unique": False, "range_max": 12, "unigrams": UNIGRAMS, "distortion": 0.75},
    {
        "num_sampled": 4,
        "unique": True,
        "range_max": 14,
        "unigrams": UNIGRAMS,
        "num_reserved_ids": 2,
    },
    {
        "num_sampled": 3,
        "unique": True,
        "range_max": 8,
        "unigrams": UNIGRAMS + [1.0] * 4,
        "num_shards": 2,
        "shard": 1,
    },
    {"num_sampled": 5, "unique": True, "range_max": 12, "vocab_file": "VOCAB", "distortion": 0.5},
    {"num_sampled": 11, "unique": True, "range_max": 12, "unigrams": UNIGRAMS},
]


def write_vocab(path) -> str:
    """The vocabulary file of the "VOCAB" cases: ``word,count`` lines."""
    Path(path).write_text("".join(f"w{i},{u}\n" for i, u in enumerate(UNIGRAMS)))
    return str(path)


rng = np.random.default_rng(5)
LOSS_INPUTS = {
    "weights": rng.normal(size=(12, 4)).round(3).tolist(),
    "biases": rng.normal(size=12).round(3).tolist(),
    "inputs": rng.normal(size=(3, 4)).round(3).tolist(),
    "labels1": [[2], [0], [7]],
    "labels2": [[2, 3], [0, 0], [7, 11]],
}

# (loss, labels key, num_true, num_sampled, remove_accidental_hits, seed)
LOSS_CASES = [
    ("sampled_softmax", "labels1", 1, 5, True, 3),
    ("sampled_softmax", "labels1", 1, 5, False, 3),
    ("sampled_softmax", "labels2", 2, 8, True, 11),
    ("nce", "labels1", 1, 6, False, 4),
    ("nce", "labels2", 2, 6, True, 4),
]


def main():
    import tensorflow as tf

    record = {"samplers": [], "hits": [], "losses": []}
    samplers = {
        "log_uniform": tf.random.log_uniform_candidate_sampler,
        "uniform": tf.random.uniform_candidate_sampler,
    }
    classes = tf.constant(TRUE_CLASSES, tf.int64)
    for kind, n, unique, range_max, seed in SAMPLER_CASES:
        calls = [samplers[kind](classes, 2, n, unique, range_max, seed=seed) for _ in range(2)]
        record["samplers"].append([[t.numpy().tolist() for t in call] for call in calls])

    with tempfile.TemporaryDirectory() as folder:
        vocab = write_vocab(Path(folder) / "vocab.csv")
        record["fixed_unigram"] = []
        for kwargs in FIXED_UNIGRAM_CASES:
            kwargs = {**kwargs, **({"vocab_file": vocab} if "vocab_file" in kwargs else {})}
            calls = [
                tf.random.fixed_unigram_candidate_sampler(classes, 2, seed=7, **kwargs)
                for _ in range(2)
            ]
            record["fixed_unigram"].append([[t.numpy().tolist() for t in c] for c in calls])

    @tf.function
    def traced():
        return tf.random.log_uniform_candidate_sampler(classes, 2, 4, True, 20, seed=8)

    record["traced"] = [traced()[0].numpy().tolist() for _ in range(2)]
    tf.random.set_seed(5)
    record["global_seed"] = [
        tf.random.log_uniform_candidate_sampler(classes, 2, 3, True, 50)[0].numpy().tolist()
        for _ in range(2)
    ]
    for true, sampled in (([[1], [3]], [3, 0, 1]), ([[2, 2], [4, 1]], [2, 2, 4, 9])):
        hits = tf.nn.compute_accidental_hits(
            tf.constant(true, tf.int64), tf.constant(sampled, tf.int64), num_true=len(true[0])
        )
        record["hits"].append([t.numpy().tolist() for t in hits])

    for loss, labels_key, num_true, num_sampled, remove, seed in LOSS_CASES:
        tf.random.set_seed(None)  # each case from fresh kernels (fresh streams)
        weights = tf.Variable(LOSS_INPUTS["weights"], dtype=tf.float32)
        biases = tf.Variable(LOSS_INPUTS["biases"], dtype=tf.float32)
        inputs = tf.Variable(LOSS_INPUTS["inputs"], dtype=tf.float32)
        labels = tf.constant(LOSS_INPUTS[labels_key], tf.int64)
        sampled = tf.random.log_uniform_candidate_sampler(
            labels, num_true, num_sampled, True, 12, seed=seed
        )
        with tf.GradientTape() as tape:
            if loss == "sampled_softmax":
                out = tf.nn.sampled_softmax_loss(
                    weights, biases, labels, inputs, num_sampled, 12, num_true=num_true,
                    remove_accidental_hits=remove, seed=seed,
                )  # fmt: skip
            else:
                out = tf.nn.nce_loss(
                    weights, biases, labels, inputs, num_sampled, 12, num_true=num_true,
                    sampled_values=sampled, remove_accidental_hits=remove,
                )  # fmt: skip
            total = tf.reduce_sum(out)
        grads = tape.gradient(total, [weights, biases, inputs])
        record["losses"].append(
            {
                "sampled": sampled[0].numpy().tolist(),
                "loss": out.numpy().tolist(),
                "grads": [tf.convert_to_tensor(g).numpy().tolist() for g in grads],
            }
        )
    FIXTURE.write_text(json.dumps(record) + "\n")
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
