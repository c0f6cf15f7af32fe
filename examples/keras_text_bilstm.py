"""Sentiment of short reviews with a bidirectional LSTM fed by TextVectorization.

The reviews are generated: a few sentence templates filled with praising or
complaining words (and neutral filler), so the program runs offline and the task is
learnable in seconds. The model reads raw strings:

    TextVectorization (vocabulary adapted on the training texts)
    -> Embedding(mask_zero=True)         index 0 is padding and is masked
    -> Bidirectional(LSTM)               (two stacked ones with ``stacked=True``)
    -> Dense(relu) -> Dense(1)           one logit: positive or not

Because padding is masked, a review predicts the same alone as in a batch with a much
longer one (where it is padded with zeros): ``padding_check`` shows it.

Run:  python3 examples/keras_text_bilstm.py [--stacked]
"""

from __future__ import annotations

import sys

import numpy as np

import tensorflux as tf

POSITIVE = ["great", "wonderful", "moving", "brilliant", "funny", "superb", "charming"]
NEGATIVE = ["dull", "awful", "boring", "clumsy", "tedious", "terrible", "bland"]
SUBJECTS = ["the film", "the plot", "the acting", "this movie", "the ending", "the score"]
FILLER = ["honestly", "overall", "frankly", "i think", "at times", "in the end", "again"]
TEMPLATES = [
    "{s} was {w}.",
    "{f}, {s} felt {w} and {w2}.",
    "I found {s} {w}; {f} {s2} was {w2}.",
    "{s} is {w}. {f} it stays {w2}!",
]


def make_reviews(n: int, seed: int = 0):
    """``n`` generated reviews (strings) and their labels (1 positive, 0 negative)."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, 2))
        words = POSITIVE if label else NEGATIVE
        template = TEMPLATES[rng.integers(len(TEMPLATES))]
        texts.append(
            template.format(
                s=rng.choice(SUBJECTS),
                s2=rng.choice(SUBJECTS),
                w=rng.choice(words),
                w2=rng.choice(words),
                f=rng.choice(FILLER),
            ).capitalize()
        )
        labels.append(label)
    return np.array(texts), np.array(labels, dtype=np.int64)


def as_dataset(texts, labels, batch_size: int = 32, shuffle: bool = True):
    """(text, label) batches, shuffled each epoch for training."""
    ds = tf.data.Dataset.from_tensor_slices((texts, labels))
    if shuffle:
        ds = ds.shuffle(len(texts), seed=0)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def build_model(train_ds, vocab_size: int = 200, units: int = 16, stacked: bool = False):
    """The string-to-logit model; the encoder's vocabulary is adapted on ``train_ds``."""
    encoder = tf.keras.layers.TextVectorization(max_tokens=vocab_size)
    encoder.adapt(train_ds.map(lambda text, label: text))
    recurrent = (
        [
            tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(units, return_sequences=True)),
            tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(units // 2)),
        ]
        if stacked
        else [tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(units))]
    )
    model = tf.keras.Sequential(
        [
            encoder,
            tf.keras.layers.Embedding(len(encoder.get_vocabulary()), 16, mask_zero=True),
            *recurrent,
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        optimizer=tf.keras.optimizers.Adam(1e-2),
        metrics=["accuracy"],
    )
    return model


def padding_check(model, text: str) -> tuple:
    """The logit of ``text`` predicted alone and next to a 200-word text."""
    alone = model.predict(np.array([text]), verbose=0)[0, 0]
    padded = model.predict(np.array([text, "the " * 200]), verbose=0)[0, 0]
    return float(alone), float(padded)


def train(n_train=800, n_test=200, epochs=3, stacked=False, verbose=1, seed=0):
    """Trains on generated reviews; returns the model, its History and test accuracy."""
    tf.keras.utils.set_random_seed(seed)
    train_ds = as_dataset(*make_reviews(n_train, seed))
    test_ds = as_dataset(*make_reviews(n_test, seed + 1), shuffle=False)
    model = build_model(train_ds, stacked=stacked)
    history = model.fit(train_ds, epochs=epochs, validation_data=test_ds, verbose=verbose)
    _, accuracy = model.evaluate(test_ds, verbose=verbose)
    return model, history, accuracy


def main() -> None:
    stacked = "--stacked" in sys.argv[1:]
    model, _, accuracy = train(stacked=stacked)
    print(f"\nTest accuracy: {accuracy:.3f}")
    print("Vocabulary head:", model.layers[0].get_vocabulary()[:8])
    for text in ("The acting was superb and moving.", "Frankly the plot was tedious."):
        alone, padded = padding_check(model, text)
        print(f"{text!r}: logit {alone:+.3f} alone, {padded:+.3f} padded in a batch")


if __name__ == "__main__":
    main()
