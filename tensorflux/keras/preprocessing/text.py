"""``tf.keras.preprocessing.text``: Keras 2's Python-side text utilities.

These work on Python strings and lists, not tensors (``TextVectorization`` is the
tensor-side layer). Words are found as Keras finds them: lower-cased, every
character of ``filters`` turned into the separator, split on it, empty pieces dropped.
Index 0 is never given to a word; indices follow the words' counts, most frequent
first, ties in order of first appearance.
"""

from __future__ import annotations

import collections
import hashlib
import json
import warnings

import numpy as np

__all__ = [
    "Tokenizer",
    "hashing_trick",
    "one_hot",
    "text_to_word_sequence",
    "tokenizer_from_json",
]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """The words of ``input_text``: ``filters`` characters act as separators.

    Args:
        input_text: a string.
        filters: characters to drop (each becomes a separator).
        lower: lower-case the text first.
        split: the separator.

    Returns:
        A list of non-empty strings.

    >>> text_to_word_sequence("This is a sample sentence.")
    ['this', 'is', 'a', 'sample', 'sentence']
    """
    if lower:
        input_text = input_text.lower()
    table = str.maketrans(dict.fromkeys(filters, split))
    return [word for word in input_text.translate(table).split(split) if word]


def hashing_trick(
    text, n, hash_function=None, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None
):
    """The words of ``text`` hashed into ``[1, n - 1]`` (0 is left free).

    Args:
        text: a string.
        n: the size of the hashing space.
        hash_function: None (Python's ``hash``, salted per process unless
            ``PYTHONHASHSEED`` is set), "md5" (stable), or a function of a string.
        filters, lower, split: as in ``text_to_word_sequence``.
        analyzer: a function splitting ``text`` into words instead.

    Returns:
        A list of ints, one per word.

    >>> hashing_trick("the cat the", 10, hash_function="md5")
    [6, 3, 6]
    """
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":

        def hash_function(word):
            return int(hashlib.md5(word.encode()).hexdigest(), 16)

    if analyzer is None:
        words = text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    else:
        words = analyzer(text)
    return [hash_function(word) % (n - 1) + 1 for word in words]


def one_hot(input_text, n, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """``hashing_trick`` with Python's ``hash``: word indices in ``[1, n - 1]``.

    >>> len(one_hot("a b c", 5))
    3
    """
    return hashing_trick(
        input_text, n, hash_function=hash, filters=filters, lower=lower, split=split,
        analyzer=analyzer,
    )  # fmt: skip


class Tokenizer:
    """Builds a word index from texts and turns texts into index lists or matrices.

    Args:
        num_words: keep only the ``num_words - 1`` most frequent words when
            converting (the index itself keeps every word).
        filters, lower, split: how words are found (``text_to_word_sequence``).
        char_level: every character is a token.
        oov_token: a token given index 1 and used for unknown words.
        analyzer: a function splitting a text into words instead.

    >>> tokenizer = Tokenizer(num_words=3)
    >>> tokenizer.fit_on_texts(["the cat sat", "the dog"])
    >>> tokenizer.word_index
    {'the': 1, 'cat': 2, 'sat': 3, 'dog': 4}
    >>> tokenizer.texts_to_sequences(["the dog sat on the cat"])
    [[1, 1, 2]]
    """

    def __init__(
        self,
        num_words=None,
        filters=DEFAULT_FILTERS,
        lower=True,
        split=" ",
        char_level=False,
        oov_token=None,
        analyzer=None,
        **kwargs,
    ):
        if "nb_words" in kwargs:
            warnings.warn(
                "The `nb_words` argument in `Tokenizer` has been renamed `num_words`.",
                stacklevel=2,
            )
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError("Unrecognized keyword arguments: " + str(kwargs))
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):
            if not self.lower:
                return text
            return [t.lower() for t in text] if isinstance(text, list) else text.lower()
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters, lower=self.lower, split=self.split)

    def fit_on_texts(self, texts):
        """Counts the words of ``texts`` (strings, or lists of tokens) and re-indexes.

        Args:
            texts: an iterable of strings or of lists of tokens.
        """
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] += 1
        # A stable sort keeps ties in order of first appearance, as Keras' does.
        by_count = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = [] if self.oov_token is None else [self.oov_token]
        vocabulary += [word for word, _ in by_count]
        self.word_index = {word: i for i, word in enumerate(vocabulary, start=1)}
        self.index_word = {i: word for word, i in self.word_index.items()}
        for word, count in list(self.word_docs.items()):
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Counts, per index, the sequences containing it (for ``tfidf``)."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for i in set(sequence):
                self.index_docs[i] += 1

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices (unknown and rare words dropped, or
        given the ``oov_token``'s index)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """``texts_to_sequences`` one text at a time."""
        oov = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for token in self._tokens(text):
                i = self.word_index.get(token)
                if i is not None and not (self.num_words and i >= self.num_words):
                    sequence.append(i)
                elif oov is not None:
                    sequence.append(oov)
            yield sequence

    def sequences_to_texts(self, sequences):
        """Each list of indices as a space-joined string of its words."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """``sequences_to_texts`` one sequence at a time."""
        oov = self.word_index.get(self.oov_token)
        for sequence in sequences:
            words = []
            for i in sequence:
                word = self.index_word.get(i)
                if word is not None and not (self.num_words and i >= self.num_words):
                    words.append(word)
                elif self.oov_token is not None:
                    words.append(self.index_word[oov])
            yield " ".join(words)

    def texts_to_matrix(self, texts, mode="binary"):
        """``sequences_to_matrix`` of ``texts_to_sequences(texts)``."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """A float64 matrix, one row per sequence and one column per index.

        Args:
            sequences: lists of word indices.
            mode: "binary" (1 if present), "count", "freq" (count / length) or
                "tfidf" (``(1 + log count) * log(1 + docs / (1 + docs with it))``).

        Raises:
            ValueError: unknown ``mode``, no width known (no ``num_words`` and
                not fitted), or "tfidf" before fitting.
        """
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError(
                "Specify a dimension (`num_words` argument), or fit on some text data first."
            )
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), width))
        for row, sequence in enumerate(sequences):
            counts = collections.Counter(i for i in sequence if i < width)
            for i, count in counts.items():
                if mode == "count":
                    matrix[row, i] = count
                elif mode == "freq":
                    matrix[row, i] = count / len(sequence)
                elif mode == "binary":
                    matrix[row, i] = 1
                elif mode == "tfidf":
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(i, 0)))
                    matrix[row, i] = (1 + np.log(count)) * idf
                else:
                    raise ValueError("Unknown vectorization mode:", mode)
        return matrix

    def get_config(self):
        """The configuration, its count tables as JSON strings (Keras' layout)."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """``{"class_name": "Tokenizer", "config": ...}`` as a JSON string;
        ``kwargs`` go to ``json.dumps``. Read back with ``tokenizer_from_json``."""
        return json.dumps(
            {"class_name": self.__class__.__name__, "config": self.get_config()}, **kwargs
        )


def tokenizer_from_json(json_string):
    """The ``Tokenizer`` that ``Tokenizer.to_json`` wrote.

    >>> tokenizer = Tokenizer()
    >>> tokenizer.fit_on_texts(["a b b"])
    >>> tokenizer_from_json(tokenizer.to_json()).word_index
    {'b': 1, 'a': 2}
    """
    config = dict(json.loads(json_string)["config"])
    tables = {key: json.loads(config.pop(key)) for key in _TABLES}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = tables["word_counts"]
    tokenizer.word_docs = tables["word_docs"]
    # JSON keys are strings: the index tables get their int keys back.
    tokenizer.index_docs = {int(k): v for k, v in tables["index_docs"].items()}
    tokenizer.index_word = {int(k): v for k, v in tables["index_word"].items()}
    tokenizer.word_index = tables["word_index"]
    return tokenizer


_TABLES = ("word_counts", "word_docs", "index_docs", "index_word", "word_index")
