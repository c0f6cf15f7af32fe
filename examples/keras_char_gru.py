"""A character-level GRU that learns to write like its training text.

The text is the opening of "Alice's Adventures in Wonderland" (Lewis Carroll, 1865,
public domain), bundled in ``examples/data``. The program

1. maps characters to ids with ``StringLookup`` (and back with ``invert=True``);
2. cuts the id stream into windows of ``seq_length + 1`` characters; each window
   gives an input (all but the last character) and a target (all but the first);
3. trains ``Embedding -> GRU(return_sequences, return_state) -> Dense(vocab)``, a
   subclassed model, to predict each next character, saving the weights after every
   epoch with ``ModelCheckpoint``;
4. reloads the last checkpoint into a fresh model and generates text one character
   at a time, feeding the GRU state back in, by sampling ``logits / temperature``
   (low temperature: safer, repetitive text; high: more surprising).

Run:  python3 examples/keras_char_gru.py
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

import tensorflux as tf

TEXT_FILE = Path(__file__).parent / "data" / "alice_chapter1.txt"


def load_text(path=TEXT_FILE) -> str:
    return Path(path).read_text(encoding="utf-8")


def make_lookups(text: str):
    """``(ids_from_chars, chars_from_ids)``: id 0 is the out-of-vocabulary "[UNK]"."""
    vocabulary = sorted(set(text))
    ids_from_chars = tf.keras.layers.StringLookup(vocabulary=vocabulary, mask_token=None)
    chars_from_ids = tf.keras.layers.StringLookup(
        vocabulary=ids_from_chars.get_vocabulary(), invert=True, mask_token=None
    )
    return ids_from_chars, chars_from_ids


def make_dataset(text: str, ids_from_chars, seq_length=40, batch_size=16, seed=0):
    """Shuffled batches of (input ids, target ids), each ``seq_length`` long."""
    all_ids = ids_from_chars(tf.strings.unicode_split(text, "UTF-8"))
    windows = tf.data.Dataset.from_tensor_slices(all_ids).batch(seq_length + 1, drop_remainder=True)
    pairs = windows.map(lambda w: (w[:-1], w[1:]))
    return pairs.shuffle(1000, seed=seed).batch(batch_size, drop_remainder=True)


class CharModel(tf.keras.Model):
    """Embedding -> GRU -> Dense logits over the characters; can carry its GRU state."""

    def __init__(self, vocab_size, embedding_dim=32, rnn_units=128):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = tf.keras.layers.GRU(rnn_units, return_sequences=True, return_state=True)
        self.dense = tf.keras.layers.Dense(vocab_size)

    def call(self, inputs, states=None, return_state=False, training=False):
        x = self.embedding(inputs, training=training)
        if states is None:
            states = self.gru.get_initial_state(x)
        x, states = self.gru(x, initial_state=states, training=training)
        logits = self.dense(x, training=training)
        return (logits, states) if return_state else logits


def build_model(vocab_size, **kwargs):
    model = CharModel(vocab_size, **kwargs)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(5e-3),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


class Generator:
    """Samples characters one at a time from a trained ``CharModel``."""

    def __init__(self, model, ids_from_chars, chars_from_ids, temperature=1.0):
        self.model, self.temperature = model, temperature
        self.ids_from_chars, self.chars_from_ids = ids_from_chars, chars_from_ids
        vocab_size = len(ids_from_chars.get_vocabulary())
        # "[UNK]" must never be generated: its logit gets -inf.
        unknown = int(ids_from_chars("[UNK]"))
        self.mask = tf.constant(
            [-np.inf if i == unknown else 0.0 for i in range(vocab_size)], tf.float32
        )

    @tf.function
    def step(self, ids, states):
        """The next id of each row of ``ids`` (shape ``[batch, 1]``) and the new state."""
        logits, states = self.model(ids, states=states, return_state=True)
        logits = logits[:, -1, :] / self.temperature + self.mask
        return tf.random.categorical(logits, num_samples=1), states

    def generate(self, start: str, length: int, seed: int = 0) -> str:
        tf.random.set_seed(seed)
        ids = self.ids_from_chars(tf.strings.unicode_split(start, "UTF-8"))[tf.newaxis, :]
        logits, states = self.model(ids, return_state=True)
        # The prompt's last prediction gives the first new character.
        next_ids = tf.random.categorical(
            logits[:, -1, :] / self.temperature + self.mask, num_samples=1
        )
        out = [start]
        for _ in range(length):
            out.append(self.chars_from_ids(next_ids[0, 0]).numpy().decode("utf-8"))
            next_ids, states = self.step(next_ids, states)
        return "".join(out)


def train(text, checkpoint_dir, epochs=3, seq_length=40, rnn_units=128, verbose=1, seed=0):
    """Trains with a weights checkpoint per epoch; returns (model, history, lookups)."""
    tf.keras.utils.set_random_seed(seed)
    ids_from_chars, chars_from_ids = make_lookups(text)
    dataset = make_dataset(text, ids_from_chars, seq_length, seed=seed)
    model = build_model(len(ids_from_chars.get_vocabulary()), rnn_units=rnn_units)
    checkpoints = tf.keras.callbacks.ModelCheckpoint(
        filepath=os.path.join(checkpoint_dir, "ckpt_{epoch}"), save_weights_only=True
    )
    history = model.fit(dataset, epochs=epochs, callbacks=[checkpoints], verbose=verbose)
    return model, history, (ids_from_chars, chars_from_ids)


def restore(checkpoint_dir, vocab_size, rnn_units=128):
    """A fresh model with the weights of the newest checkpoint in ``checkpoint_dir``."""
    model = build_model(vocab_size, rnn_units=rnn_units)
    model(tf.zeros([1, 1], tf.int64))  # creates the weights to restore into
    model.load_weights(tf.train.latest_checkpoint(checkpoint_dir))
    return model


def main() -> None:
    text = load_text()
    print(f"{len(text)} characters, {len(set(text))} distinct")
    with tempfile.TemporaryDirectory() as checkpoint_dir:
        _, _, (ids_from_chars, chars_from_ids) = train(text, checkpoint_dir, epochs=20)
        saved = [name for name in os.listdir(checkpoint_dir) if name.endswith(".index")]
        newest = os.path.basename(tf.train.latest_checkpoint(checkpoint_dir))
        print(f"{len(saved)} checkpoints; restoring {newest}")
        model = restore(checkpoint_dir, len(ids_from_chars.get_vocabulary()))
    for temperature in (0.5, 1.0):
        generator = Generator(model, ids_from_chars, chars_from_ids, temperature)
        print(f"\n--- temperature {temperature} ---")
        print(generator.generate("Alice ", 300))


if __name__ == "__main__":
    main()
