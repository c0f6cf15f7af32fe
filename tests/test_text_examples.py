"""The text example programs run offline and learn, on small settings: the BiLSTM review
classifier (masking makes padding irrelevant), the character GRU generator (checkpoints
each epoch, restore, temperature sampling) and word2vec skip-grams."""

from __future__ import annotations

import os

import numpy as np

import tensorflux as tf
from tests.example_runner import load_example
from tests.summary.event_reader import tags


def test_bilstm_classifies_generated_reviews_and_ignores_padding():
    bilstm = load_example("keras_text_bilstm")
    model, history, accuracy = bilstm.train(n_train=320, n_test=96, epochs=2, verbose=0)
    names = [type(layer).__name__ for layer in model.layers]
    assert names == ["TextVectorization", "Embedding", "Bidirectional", "Dense", "Dense"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert accuracy >= 0.8  # 0.90-1.0 over seeds 0-4 (n_train=320, 2 epochs)
    alone, padded = bilstm.padding_check(model, "The plot was charming and funny.")
    np.testing.assert_allclose(alone, padded, rtol=1e-5, atol=1e-5)


def test_stacked_bilstm_variant():
    bilstm = load_example("keras_text_bilstm")
    model, _, accuracy = bilstm.train(n_train=160, n_test=64, epochs=1, stacked=True, verbose=0)
    stacked = [layer for layer in model.layers if type(layer).__name__ == "Bidirectional"]
    assert [layer.forward_layer.return_sequences for layer in stacked] == [True, False]
    alone, padded = bilstm.padding_check(model, "Overall the ending was bland.")
    np.testing.assert_allclose(alone, padded, rtol=1e-5, atol=1e-5)


def test_char_gru_checkpoints_restores_and_generates(tmp_path):
    gru = load_example("keras_char_gru")
    text = gru.load_text()
    assert text.startswith("ALICE'S ADVENTURES") and len(text) > 3000
    model, history, (ids_from_chars, chars_from_ids) = gru.train(
        text, str(tmp_path), epochs=3, seq_length=30, rnn_units=32, verbose=0
    )
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    saved = sorted(name for name in os.listdir(tmp_path) if name.endswith(".index"))
    assert saved == ["ckpt_1.index", "ckpt_2.index", "ckpt_3.index"]
    vocab_size = len(ids_from_chars.get_vocabulary())
    restored = gru.restore(str(tmp_path), vocab_size, rnn_units=32)
    probe = ids_from_chars(tf.strings.unicode_split("Alice was", "UTF-8"))[tf.newaxis, :]
    np.testing.assert_allclose(restored(probe).numpy(), model(probe).numpy(), rtol=1e-5)
    samples = {}
    for temperature in (0.2, 1.5):
        generator = gru.Generator(restored, ids_from_chars, chars_from_ids, temperature)
        samples[temperature] = generator.generate("Alice ", 40, seed=1)
        out = samples[temperature]
        assert out.startswith("Alice ") and len(out) == 46
        assert set(out) <= set(text)  # never "[UNK]"
    assert samples[0.2] != samples[1.5]


def test_word2vec_skipgrams_with_negative_sampling(tmp_path):
    w2v = load_example("word2vec_skipgrams")
    sequences, vocabulary = w2v.vectorized_lines(vocab_size=200, sequence_length=8)
    assert vocabulary[:2] == ["", "[UNK]"] and vocabulary[2] == "the"
    assert all(s.shape == (8,) and s.dtype == np.int64 for s in sequences)
    targets, contexts, labels = w2v.training_examples(sequences, len(vocabulary), num_ns=3)
    assert contexts.shape == (len(targets), 4) and labels.shape == (len(targets), 4)
    assert (labels[:, 0] == 1).all() and labels[:, 1:].sum() == 0
    assert targets.min() > 0 and contexts[:, 0].min() > 0
    assert contexts.max() < len(vocabulary)
    # unique=True: the negatives of one example are distinct.
    assert all(len(set(row[1:])) == 3 for row in contexts.tolist())
    model, history = w2v.train(
        (targets, contexts, labels),
        len(vocabulary),
        embedding_dim=16,
        epochs=5,
        verbose=0,
        log_dir=str(tmp_path),
    )
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]
    # The TensorBoard callback logged each epoch's loss and accuracy, as tf_keras names them.
    logged = tags(str(tmp_path / "train"))
    assert logged["epoch_loss"]["steps"] == [0, 1, 2, 3, 4]
    assert logged["epoch_accuracy"]["plugin"] == "scalars"
    assert len(w2v.nearest(model, vocabulary, "alice", k=3)) == 3
