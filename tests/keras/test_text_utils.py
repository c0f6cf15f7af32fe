"""Keras 2's text and sequence utilities against tf_keras fixtures: Tokenizer,
text_to_word_sequence, hashing_trick, pad_sequences, skipgrams, make_sampling_table."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.record_text_fixtures import (
    CORPUS,
    FIXTURE,
    PAD_CASES,
    PAD_ERRORS,
    QUERIES,
    SAMPLING_TABLE_CASES,
    SKIPGRAM_CASES,
    TOKENIZER_CASES,
)

RECORD = json.loads(FIXTURE.read_text())
text = tf.keras.preprocessing.text
sequence = tf.keras.preprocessing.sequence


def _pairs(items):
    return [list(pair) for pair in items]


@pytest.mark.parametrize("i", range(len(TOKENIZER_CASES)))
def test_tokenizer_matches_tf_keras(i):
    want = RECORD["tokenizer"][i]
    tok = text.Tokenizer(**TOKENIZER_CASES[i])
    tok.fit_on_texts(CORPUS)
    assert _pairs(tok.word_index.items()) == want["word_index"]
    assert _pairs(tok.word_counts.items()) == want["word_counts"]
    assert _pairs(sorted(tok.index_docs.items())) == want["index_docs"]
    assert tok.index_word == {i: w for w, i in tok.word_index.items()}
    assert tok.document_count == want["document_count"]
    sequences = tok.texts_to_sequences(QUERIES + CORPUS)
    assert sequences == want["sequences"]
    assert tok.sequences_to_texts(sequences + [[0, 1, 2, 3, 50]]) == want["texts"]
    for mode, matrix in want["matrices"].items():
        got = tok.texts_to_matrix(QUERIES, mode=mode)
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, matrix, rtol=1e-12)
    config = json.loads(tok.to_json())["config"]
    for key in ("word_counts", "word_docs", "index_docs", "index_word", "word_index"):
        config[key] = json.loads(config[key])
    assert config == want["config"]


@pytest.mark.parametrize("i", range(len(TOKENIZER_CASES)))
def test_tokenizer_json_round_trip(i):
    tok = text.Tokenizer(**TOKENIZER_CASES[i])
    tok.fit_on_texts(CORPUS)
    back = text.tokenizer_from_json(tok.to_json())
    assert back.word_index == tok.word_index and back.index_word == tok.index_word
    assert json.loads(back.to_json()) == json.loads(tok.to_json())
    assert back.texts_to_sequences(QUERIES) == tok.texts_to_sequences(QUERIES)
    np.testing.assert_array_equal(
        back.texts_to_matrix(QUERIES, "tfidf"), tok.texts_to_matrix(QUERIES, "tfidf")
    )


def test_tokenizer_on_token_lists():
    tok = text.Tokenizer(oov_token="?")
    tok.fit_on_texts([["Alpha", "beta"], ["beta", "GAMMA", "beta"]])
    want = RECORD["tokenizer_lists"]
    assert _pairs(tok.word_index.items()) == want["word_index"]
    assert tok.texts_to_sequences([["beta", "delta"], ["alpha"]]) == want["sequences"]


def test_tokenizer_errors():
    with pytest.raises(ValueError, match="Specify a dimension"):
        text.Tokenizer().texts_to_matrix(["a"])
    with pytest.raises(ValueError, match="before using tfidf"):
        text.Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")
    tok = text.Tokenizer()
    tok.fit_on_texts(["a b"])
    with pytest.raises(ValueError, match="Unknown vectorization mode"):
        tok.texts_to_matrix(["a"], mode="onehot")
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        text.Tokenizer(bogus=1)


def test_fit_on_sequences_feeds_tfidf():
    tok = text.Tokenizer(num_words=4)
    tok.fit_on_sequences([[1, 2], [2, 2, 3]])
    assert tok.document_count == 2 and dict(tok.index_docs) == {1: 1, 2: 2, 3: 1}
    matrix = tok.sequences_to_matrix([[2, 2]], mode="tfidf")
    np.testing.assert_allclose(matrix[0, 2], (1 + np.log(2)) * np.log(1 + 2 / 3))


def test_word_sequences_and_md5_hashing():
    for t, kwargs, words in RECORD["word_sequences"]:
        assert text.text_to_word_sequence(t, **kwargs) == words
    for t, n, indices in RECORD["md5_hashing"]:
        assert text.hashing_trick(t, n, hash_function="md5") == indices


def test_one_hot_uses_python_hash():
    words = text.text_to_word_sequence("One two, two THREE")
    assert text.one_hot("One two, two THREE", 7) == [hash(w) % 6 + 1 for w in words]
    assert text.hashing_trick("a b", 4, hash_function=len) == [2, 2]
    assert text.hashing_trick("a-b", 9, hash_function=len, analyzer=lambda s: s.split("-")) == [
        2,
        2,
    ]


@pytest.mark.parametrize("i", range(len(PAD_CASES)))
def test_pad_sequences_matches_tf_keras(i):
    sequences, kwargs = PAD_CASES[i]
    want = RECORD["pad"][i]
    got = tf.keras.utils.pad_sequences(sequences, **kwargs)
    assert str(got.dtype) == want["dtype"] and list(got.shape) == want["shape"]
    assert got.tolist() == want["out"]
    assert sequence.pad_sequences is tf.keras.utils.pad_sequences


@pytest.mark.parametrize("i", range(len(PAD_ERRORS)))
def test_pad_sequences_errors(i):
    sequences, kwargs = PAD_ERRORS[i]
    want = RECORD["pad_errors"][i]
    with pytest.raises(ValueError) as info:
        tf.keras.utils.pad_sequences(sequences, **kwargs)
    assert want["error"] == "ValueError" and str(info.value) == want["message"]


@pytest.mark.parametrize("i", range(len(SKIPGRAM_CASES)))
def test_skipgrams_draw_as_tf_keras(i):
    py_seed, seq, vocab, kwargs = SKIPGRAM_CASES[i]
    kwargs = dict(kwargs)
    if kwargs.get("sampling_table") == "table":
        kwargs["sampling_table"] = sequence.make_sampling_table(vocab, sampling_factor=0.05)
    state = random.getstate()
    try:
        random.seed(py_seed)
        couples, labels = sequence.skipgrams(seq, vocab, **kwargs)
    finally:
        random.setstate(state)
    assert couples == RECORD["skipgrams"][i]["couples"]
    assert labels == RECORD["skipgrams"][i]["labels"]


def test_make_sampling_table_matches_tf_keras():
    for (size, factor), want in zip(SAMPLING_TABLE_CASES, RECORD["sampling_tables"]):
        np.testing.assert_allclose(sequence.make_sampling_table(size, factor), want, rtol=1e-15)
