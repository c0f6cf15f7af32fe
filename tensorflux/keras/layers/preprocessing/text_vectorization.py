"""``keras.layers.TextVectorization``: strings to token indices or token-count vectors.

Steps as Keras 2: standardize (ASCII lowercase, strip ASCII punctuation, or a callable
on the string tensor), split (whitespace, characters, or a callable on one string),
optional n-grams joined by a space, then a StringLookup whose vocabulary holds ``""``
(padding, index 0 in ``int`` mode) and ``"[UNK]"``. Split results are Python lists
inside the layer; outputs are dense: ``int`` mode pads with 0 to
``output_sequence_length`` or to the longest row of the batch.
"""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.index_lookup import as_input, batches_of
from tensorflux.keras.layers.preprocessing.string_lookup import StringLookup, to_bytes
from tensorflux.ops.preprocessing_func_ops import preprocessing_func

__all__ = ["TextVectorization"]

_PUNCTUATION_BYTES = b"!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'"
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_MODES = ("int", "multi_hot", "count", "tf_idf")


def _ngrams(tokens: list, widths) -> list:
    out = []
    for n in widths:
        out.extend(b" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


class TextVectorization(Layer):
    """Turns strings into sequences of vocabulary indices, or into count vectors.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["The cat sat.", "The dog ran!"])
    >>> layer(["the cat ran"]).numpy()
    array([[2, 6, 4, 0]])

    Args:
        max_tokens: the largest vocabulary (padding and OOV included), or None.
        standardize: ``"lower_and_strip_punctuation"``, ``"lower"``,
            ``"strip_punctuation"``, None, or a callable on the string tensor.
        split: ``"whitespace"``, ``"character"``, None, or a callable on one string
            (a scalar tensor) returning its tokens.
        ngrams: None, an int n (1- to n-grams), or a tuple of widths.
        output_mode: ``"int"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        output_sequence_length: ``int`` mode pads or truncates rows to this length.
        pad_to_max_tokens: encoded outputs have ``max_tokens`` columns.
        vocabulary: a list of tokens or a text file's path.
        idf_weights: the idf weight of each vocabulary token (``tf_idf`` only).

    Raises:
        ValueError: invalid settings (Keras 2's checks and messages).
    """

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        **kwargs,
    ):
        kwargs.pop("vocabulary_size", None)
        kwargs["dtype"] = kwargs.get("dtype") or "string"
        super().__init__(**kwargs)
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(
                f"Unknown `standardize` {standardize!r}. Expected one of "
                f"{list(_STANDARDIZE) + [None]} or a callable."
            )
        if not (split is None or callable(split) or split in _SPLIT):
            raise ValueError(
                f"Unknown `split` {split!r}. Expected one of {list(_SPLIT) + [None]} or a callable."
            )
        if output_mode not in _MODES:
            raise ValueError(
                "Unkown value for `output_mode` argument of layer TextVectorization. "
                "Allowed values are: `None`, or one of the following values: "
                f"('int', 'count', 'multi_hot', 'tf_idf'). Received: {output_mode}"
            )
        if not (ngrams is None or isinstance(ngrams, (int, tuple))):
            raise ValueError(
                "`ngrams` must be None, an integer, or a tuple of integers. "
                f"Received: ngrams={ngrams}"
            )
        if output_mode == "int" and not (
            output_sequence_length is None
            or (isinstance(output_sequence_length, int) and output_sequence_length > 0)
        ):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when "
                f"`output_mode` is 'int'. Received: output_sequence_length="
                f"{output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received: output_sequence_length={output_sequence_length}."
            )
        if ragged or sparse:
            raise ValueError("`ragged` and `sparse` outputs are not supported here.")
        self._max_tokens = max_tokens
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        if isinstance(ngrams, int):
            self._ngrams = tuple(range(1, ngrams + 1))
        else:
            self._ngrams = ngrams
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._marked_cache = None  # (lookup table, table with the NUL row marker)
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            dtype="int64" if output_mode == "int" else "float32",
        )

    # -- tokenizing ----------------------------------------------------------------

    def _standardize_values(self, values: np.ndarray) -> np.ndarray:
        if self._standardize is None or callable(self._standardize):
            return values
        flat = [to_bytes(v) for v in values.reshape(-1)]
        lower = self._standardize in ("lower_and_strip_punctuation", "lower")
        strip = self._standardize in ("lower_and_strip_punctuation", "strip_punctuation")
        # One pass over the batch joined by NUL (neither lowered nor punctuation), unless
        # a string holds a NUL itself.
        joined = b"\0".join(flat)
        if joined.count(b"\0") == max(len(flat) - 1, 0):
            # bytes.translate lowers ASCII and deletes the punctuation in one C pass (the
            # same bytes as tf.strings.lower and Keras' punctuation regex).
            joined = joined.translate(
                _ASCII_LOWER if lower else None, _PUNCTUATION_BYTES if strip else b""
            )
            out = joined.split(b"\0") if flat else []
        else:
            out = [
                s.translate(_ASCII_LOWER if lower else None, _PUNCTUATION_BYTES if strip else b"")
                for s in flat
            ]
        result = np.empty(len(out), dtype=object)
        result[:] = out
        return result.reshape(values.shape)

    def _split_one(self, s: bytes) -> list:
        if self._split is None:
            tokens = [s]
        elif self._split == "whitespace":
            tokens = s.split()
        elif self._split == "character":
            tokens = [c.encode("utf-8") for c in s.decode("utf-8", errors="replace")]
        else:
            result = self._split(convert_to_tensor(s))
            result = result.numpy() if isinstance(result, Tensor) else np.asarray(result)
            tokens = [to_bytes(t) for t in np.asarray(result).reshape(-1)]
        if self._ngrams is not None:
            tokens = _ngrams(tokens, self._ngrams)
        return tokens

    def _documents(self, values: np.ndarray) -> list:
        """One token list per input string (rows of shape (batch, 1) are one string)."""
        values = np.asarray(values)
        if values.dtype.kind not in "SUO":
            raise UnimplementedError(
                None,
                "Cast",
                f"Cast {values.dtype} to string is not supported: TextVectorization "
                "takes strings. Convert the inputs first (tf.strings.as_string).",
            )
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]
        if values.ndim > 1:
            raise ValueError(
                "When using TextVectorization to tokenize strings, the input rank must "
                f"be 1 or the last shape dimension must be 1. Received: inputs.shape="
                f"{values.shape} with rank={values.ndim}"
            )
        values = self._standardize_values(values)
        if self._split == "whitespace" and self._ngrams is None:
            return [to_bytes(s).split() for s in values]
        return [self._split_one(to_bytes(s)) for s in values]

    # -- vocabulary ----------------------------------------------------------------

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns the vocabulary from strings (array, list, Tensor or Dataset).

        Raises:
            ValueError: empty data, or a vocabulary set at construction.
        """
        docs = []
        for batch in batches_of(data):
            if callable(self._standardize):
                batch = self._standardize(convert_to_tensor(batch)).numpy()
            docs.extend(self._documents(batch))
        if self._lookup_layer.input_vocabulary is not None:
            raise ValueError(
                "Cannot adapt TextVectorization layer after setting a static vocabulary "
                "via init argument or `set_vocabulary`."
            )
        self._lookup_layer._adapt_documents(docs)

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary, padding and OOV tokens first unless excluded."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The number of indices, padding and OOV included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (and idf weights in ``tf_idf`` mode)."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    def save_assets(self, dir_path) -> None:
        """Writes the learnt vocabulary for a ``.keras`` file (see ``StringLookup``)."""
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path) -> None:
        """Restores the vocabulary :meth:`save_assets` wrote."""
        self._lookup_layer.load_assets(dir_path)

    # -- calling -------------------------------------------------------------------

    def _compute(self, values: np.ndarray) -> np.ndarray:
        lookup = self._lookup_layer
        if self._split is None and self._ngrams is None and self._output_mode == "int":
            # Each string is one token: indices in the input's shape, as Keras 2.
            return lookup._lookup(self._standardize_values(values))
        scalar = values.ndim == 0
        if self._output_mode == "int" and self._split == "whitespace" and self._ngrams is None:
            out = self._whitespace_int_rows(values.reshape(1) if scalar else values)
            if out is not None:
                return out[0] if scalar else out
        docs = self._documents(values.reshape(1) if scalar else values)
        if self._output_mode == "int":
            width = self._output_sequence_length
            if width is None:
                width = max((len(d) for d in docs), default=0)
            # One lookup for the whole batch, scattered into the zero-padded rows.
            kept = [d[:width] for d in docs]
            lengths = np.fromiter((len(d) for d in kept), np.int64, len(kept))
            ids = lookup._lookup_tokens(list(itertools.chain.from_iterable(kept)))
            out = np.zeros((len(docs), width), np.int64)
            rows = np.repeat(np.arange(len(kept)), lengths)
            cols = np.arange(len(ids)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            out[rows, cols] = ids
            return out[0] if scalar else out
        rows = [
            lookup._compute(np.array(d, dtype=object))
            if d
            else np.zeros(lookup._depth(), np.float32)
            for d in docs
        ]
        out = np.stack(rows)
        return out[0] if scalar else out

    def _whitespace_int_rows(self, values: np.ndarray):
        """``int`` output of whitespace-split strings from one standardisation, one split
        and one lookup of the whole batch joined by NUL bytes (each NUL a row marker);
        None when that does not apply (a NUL in a string or token, a custom standardise,
        more than one OOV index, a batch that is not 1-D)."""
        lookup = self._lookup_layer
        if callable(self._standardize) or values.ndim != 1 or lookup.num_oov_indices != 1:
            return None
        flat = [to_bytes(v) for v in values]
        joined = b"\0".join(flat)
        table = self._marked_table()
        if not flat or joined.count(b"\0") != len(flat) - 1 or table is None:
            return None
        if self._standardize is not None:
            lower = self._standardize in ("lower_and_strip_punctuation", "lower")
            strip = self._standardize in ("lower_and_strip_punctuation", "strip_punctuation")
            joined = joined.translate(
                _ASCII_LOWER if lower else None, _PUNCTUATION_BYTES if strip else b""
            )
        tokens = joined.replace(b"\0", b" \0 ").split()
        oov = itertools.repeat(lookup._oov_start(), len(tokens))
        ids = np.array(list(map(table.get, tokens, oov)), np.int64).reshape(len(tokens))
        marks = ids == -1
        rows = np.cumsum(marks)[~marks]
        ids = ids[~marks]
        counts = np.bincount(rows, minlength=len(flat))
        cols = np.arange(len(ids)) - (np.cumsum(counts) - counts)[rows]
        width = self._output_sequence_length
        if width is None:
            width = int(counts.max())
        else:
            kept = cols < width
            rows, cols, ids = rows[kept], cols[kept], ids[kept]
        out = np.zeros((len(flat), width), np.int64)
        out[rows, cols] = ids
        return out

    def _marked_table(self):
        """The lookup's token -> index table plus NUL -> -1 (the row marker), cached per
        vocabulary; None if NUL is a token of the vocabulary."""
        table = self._lookup_layer._int_table()
        cached = self._marked_cache
        if cached is None or cached[0] is not table:
            marked = None if b"\0" in table else {**table, b"\0": -1}
            cached = self._marked_cache = (table, marked)
        return cached[1]

    def _output_shape(self, shape):
        if shape is None:
            return None
        batch = shape[:1]
        if self._split is None and self._ngrams is None and self._output_mode == "int":
            return shape
        if self._output_mode == "int":
            return batch + (self._output_sequence_length,)
        return batch + (self._lookup_layer._depth(),)

    def __call__(self, inputs, *args, **kwargs):
        return super().__call__(as_input(inputs), *args, **kwargs)

    def call(self, inputs):
        x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
        if callable(self._standardize):
            x = self._standardize(x)
        if x.dtype is not dtypes.string:
            raise UnimplementedError(
                None,
                "Cast",
                f"Cast {x.dtype.name} to string is not supported: TextVectorization "
                "takes strings. Convert the inputs first (tf.strings.as_string).",
            )
        shape = tuple(x.shape.as_list()) if x.shape.rank is not None else None
        dtype = dtypes.int64 if self._output_mode == "int" else dtypes.float32
        return preprocessing_func(self._compute, x, dtype, self._output_shape(shape))

    def compute_output_shape(self, input_shape) -> TensorShape:
        return TensorShape(self._output_shape(tuple(TensorShape(input_shape).as_list())))

    def get_config(self) -> dict:
        lookup = self._lookup_layer
        config = super().get_config()
        config.update(
            {
                "max_tokens": lookup.max_tokens,
                "standardize": self._standardize,
                "split": self._split,
                "ngrams": self._ngrams_arg,
                "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens,
                "sparse": False,
                "ragged": False,
                "vocabulary": lookup.get_config()["vocabulary"],
                "idf_weights": lookup.get_config()["idf_weights"],
                "encoding": self._encoding,
                "vocabulary_size": self.vocabulary_size(),
            }
        )
        return config
