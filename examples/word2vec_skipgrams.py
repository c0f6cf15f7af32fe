"""Word2vec word embeddings: skip-grams with negative sampling.

The corpus is the bundled opening of "Alice's Adventures in Wonderland" (public
domain), read line by line with ``tf.data.TextLineDataset``. The program

1. vectorises each line with ``TextVectorization`` (lower case, punctuation removed,
   padded to ``sequence_length`` ids; the vocabulary is sorted by frequency, so the id
   of a word is its frequency rank);
2. makes the positive (target, context) pairs of each line with
   ``tf.keras.preprocessing.sequence.skipgrams``, frequent words subsampled through
   ``make_sampling_table``;
3. draws ``num_ns`` negative context words per pair with
   ``tf.random.log_uniform_candidate_sampler`` (a Zipf distribution, matching the
   frequency-ranked ids), so each example is a target, ``1 + num_ns`` candidate contexts
   and the one-hot label ``[1, 0, ..., 0]``;
4. trains a two-embedding model whose logits are the dot products of the target's
   vector with each candidate's, with softmax cross-entropy, logging the epochs' loss
   and accuracy for TensorBoard (``tf.keras.callbacks.TensorBoard``, in ``logs/``);
5. prints the nearest words (cosine similarity) of a few words.

Run:  python3 examples/word2vec_skipgrams.py [LOG_DIR]
      tensorboard --logdir logs     (with ``pip install tensorboard``)
"""

from __future__ import annotations

import random
import re
import string
import sys
from pathlib import Path

import numpy as np

import tensorflux as tf

TEXT_FILE = Path(__file__).parent / "data" / "alice_chapter1.txt"
PUNCTUATION = "[%s]" % re.escape(string.punctuation)


def standardize(text):
    return tf.strings.regex_replace(tf.strings.lower(text), PUNCTUATION, "")


def vectorized_lines(path=TEXT_FILE, vocab_size=400, sequence_length=12):
    """``(sequences, vocabulary)``: one int64 array of ids per non-empty line."""
    lines = tf.data.TextLineDataset(str(path)).filter(lambda line: tf.strings.length(line) > 0)
    vectorize = tf.keras.layers.TextVectorization(
        standardize=standardize,
        max_tokens=vocab_size,
        output_mode="int",
        output_sequence_length=sequence_length,
    )
    vectorize.adapt(lines.batch(64))
    ids = lines.batch(64).map(vectorize).unbatch()
    return list(ids.as_numpy_iterator()), vectorize.get_vocabulary()


def training_examples(sequences, vocab_size, window_size=2, num_ns=4, seed=42):
    """``(targets, contexts, labels)``: int64 arrays of shapes ``(n,)``,
    ``(n, 1 + num_ns)`` and ``(n, 1 + num_ns)``."""
    # A permissive subsampling table: this corpus is tiny, so most words are kept.
    table = tf.keras.preprocessing.sequence.make_sampling_table(vocab_size, sampling_factor=0.01)
    random.seed(seed)  # skipgrams' subsampling draws from Python's random, as in Keras
    targets, contexts = [], []
    for sequence in sequences:
        pairs, _ = tf.keras.preprocessing.sequence.skipgrams(
            sequence,
            vocabulary_size=vocab_size,
            sampling_table=table,
            window_size=window_size,
            negative_samples=0,
            seed=seed,
        )
        for target, context in pairs:
            true_class = tf.constant([[context]], dtype=tf.int64)
            negatives, _, _ = tf.random.log_uniform_candidate_sampler(
                true_classes=true_class,
                num_true=1,
                num_sampled=num_ns,
                unique=True,
                range_max=vocab_size,
                seed=seed,
            )
            targets.append(target)
            contexts.append([context, *negatives.numpy().tolist()])
    labels = np.zeros((len(targets), 1 + num_ns), np.int64)
    labels[:, 0] = 1
    return np.array(targets, np.int64), np.array(contexts, np.int64), labels


class Word2Vec(tf.keras.Model):
    """Logits ``target_vector . context_vector`` for each candidate context."""

    def __init__(self, vocab_size, embedding_dim):
        super().__init__()
        self.target_embedding = tf.keras.layers.Embedding(
            vocab_size, embedding_dim, name="w2v_embedding"
        )
        self.context_embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)

    def call(self, pair):
        target, context = pair
        target_vectors = self.target_embedding(target)  # (batch, dim)
        context_vectors = self.context_embedding(context)  # (batch, 1 + num_ns, dim)
        return tf.einsum("bd,bcd->bc", target_vectors, context_vectors)


def train(
    examples,
    vocab_size,
    embedding_dim=32,
    epochs=20,
    batch_size=64,
    verbose=1,
    seed=0,
    log_dir=None,
):
    """Fits a Word2Vec model on ``(targets, contexts, labels)``, with TensorBoard logs in
    ``log_dir`` when given; returns the model and its History."""
    tf.keras.utils.set_random_seed(seed)
    targets, contexts, labels = examples
    dataset = (
        tf.data.Dataset.from_tensor_slices(((targets, contexts), labels))
        .shuffle(len(targets), seed=seed)
        .batch(batch_size)
        .cache()
        .prefetch(tf.data.AUTOTUNE)
    )
    model = Word2Vec(vocab_size, embedding_dim)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(1e-2),
        loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    callbacks = [] if log_dir is None else [tf.keras.callbacks.TensorBoard(log_dir=log_dir)]
    history = model.fit(dataset, epochs=epochs, verbose=verbose, callbacks=callbacks)
    return model, history


def nearest(model, vocabulary, word, k=5):
    """The ``k`` words whose target vectors are closest (cosine) to ``word``'s."""
    vectors = model.get_layer("w2v_embedding").get_weights()[0]
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    i = vocabulary.index(word)
    order = np.argsort(-(unit @ unit[i]))
    return [vocabulary[j] for j in order if j not in (i, 0, 1)][:k]


def main(log_dir: str = "logs") -> None:
    sequences, vocabulary = vectorized_lines()
    vocab_size = len(vocabulary)
    print(f"{len(sequences)} lines, {vocab_size} words; most frequent: {vocabulary[2:12]}")
    examples = training_examples(sequences, vocab_size)
    print(f"{len(examples[0])} (target, context) examples with 4 negatives each")
    model, history = train(examples, vocab_size, verbose=0, log_dir=log_dir)
    loss, accuracy = history.history["loss"], history.history["accuracy"]
    print(f"loss {loss[0]:.3f} -> {loss[-1]:.3f}, accuracy {accuracy[0]:.3f} -> {accuracy[-1]:.3f}")
    for word in ("alice", "rabbit", "down", "well"):
        print(f"{word}: {', '.join(nearest(model, vocabulary, word))}")
    print(f"TensorBoard logs in {log_dir}/")


if __name__ == "__main__":
    main(*sys.argv[1:2])
