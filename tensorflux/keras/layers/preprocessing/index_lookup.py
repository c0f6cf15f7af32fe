"""``IndexLookup``: the vocabulary machinery shared by StringLookup, IntegerLookup and
TextVectorization (Keras 2's ``index_lookup``), on Python dictionaries and NumPy.

Index layout, as Keras 2: in ``int`` mode the mask token (when set) is index 0, then
``num_oov_indices`` OOV indices, then the vocabulary. In the other modes the mask token
has no index (its inputs are dropped). ``adapt`` counts tokens and keeps the most
frequent; ties go to the larger token (Keras sorts by (count, token) and reverses).
"""

from __future__ import annotations

import itertools
import math
import os

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.layers.preprocessing.preprocessing_utils import dataset_batches
from tensorflux.ops.preprocessing_func_ops import preprocessing_func

__all__ = ["IndexLookup", "as_input", "batches_of", "encode_categorical"]

MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def batches_of(data):
    """The NumPy batches of ``data`` (an array, list, Tensor or Dataset) for ``adapt``."""
    from tensorflux.data.dataset import Dataset

    if isinstance(data, Dataset):
        batches = dataset_batches(data)
    else:
        value = data.numpy() if isinstance(data, Tensor) else data
        batches = [np.asarray(value)]
    if not batches or all(b.size == 0 for b in batches):
        raise ValueError("Expected input data to be non-empty.")
    return batches


def as_input(inputs):
    """Lists and strings as one tensor: a list of tokens is one input, not several."""
    if isinstance(inputs, (list, tuple, str, bytes)):
        return convert_to_tensor(inputs)
    return inputs


def encode_categorical(indices: np.ndarray, mode: str, depth: int, dtype, idf=None):
    """Keras 2's encoding of integer indices (negative ones dropped) as one_hot /
    multi_hot / count / tf_idf rows of width ``depth``."""
    x = np.asarray(indices)
    if x.ndim == 0:
        x = x[None]
    if mode == "one_hot" and x.shape[-1] != 1:
        x = x[..., None]
    if x.ndim > 2:
        raise ValueError(
            "When output_mode is not `'int'`, maximum supported output rank is 2. "
            f"Received output_mode {mode} and input shape {indices.shape}, "
            f"which would result in output rank {x.ndim}."
        )
    rows = x.reshape(1, -1) if x.ndim == 1 else x
    out = np.zeros((rows.shape[0], depth), np.float64)
    for r, row in enumerate(rows):
        valid = row[(row >= 0) & (row < depth)].astype(np.int64)
        np.add.at(out[r], valid, 1.0)
    if mode in ("one_hot", "multi_hot"):
        out = np.minimum(out, 1.0)
    if mode == "tf_idf":
        out = out * np.asarray(idf, np.float64)[:depth]
    if x.ndim == 1:
        out = out[0]
    return out.astype(dtypes.as_dtype(dtype).as_numpy_dtype)


class IndexLookup(Layer):
    """Maps tokens to indices (or back, with ``invert``) through a vocabulary.

    Subclasses set how tokens are converted (``_tokens``) and shown
    (``_show``); see StringLookup and IntegerLookup.
    """

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        **kwargs,
    ):
        kwargs.pop("vocabulary_size", None)
        super().__init__(**kwargs)
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                "If pad_to_max_tokens is True, must set `max_tokens`. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "`num_oov_indices` must be greater than or equal to 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if output_mode not in MODES:
            raise ValueError(
                f"Unknown `output_mode` {output_mode!r}. Expected one of `'int'`, "
                "`'one_hot'`, `'multi_hot'`, `'count'` or `'tf_idf'`."
            )
        if invert and output_mode != "int":
            raise ValueError(
                "`output_mode` must be `'int'` when `invert` is true. "
                f"Received: output_mode={output_mode}"
            )
        if sparse:
            raise ValueError("`sparse=True` is not supported here: outputs are dense tensors.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. "
                f"Received: idf_weights={idf_weights} and output_mode={output_mode}"
            )
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.vocabulary_dtype = vocabulary_dtype
        self.invert = invert
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.input_vocabulary = vocabulary
        self.input_idf_weights = idf_weights
        self._vocab: list = []
        self._index: dict = {}
        self._int_table_cache = None  # (index, table) of _int_table
        self._idf = None
        self._has_vocabulary = False
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # -- token conversion (subclasses) -----------------------------------------

    def _tokens(self, values) -> list:
        raise NotImplementedError

    def _show(self, token):
        raise NotImplementedError

    def _vocabulary_entry(self, token, special=False):
        """``token`` as ``get_vocabulary`` lists it: Keras 2 lists NumPy scalars from its
        lookup table, with the mask and OOV tokens as given."""
        raise NotImplementedError

    # -- vocabulary --------------------------------------------------------------

    def _oov_start(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self) -> int:
        return self._oov_start() + self.num_oov_indices

    def _specials(self) -> list:
        head = [self.mask_token] if self._oov_start() else []
        return head + [self.oov_token] * self.num_oov_indices

    def _set_tokens(self, tokens: list) -> None:
        self._vocab = list(tokens)
        start = self._token_start()
        self._index = {t: start + i for i, t in enumerate(self._vocab)}

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary, special tokens (mask, OOV) first unless excluded."""
        tokens = [self._vocabulary_entry(t) for t in self._vocab]
        if not include_special_tokens:
            return tokens
        return [self._vocabulary_entry(t, special=True) for t in self._specials()] + tokens

    def vocabulary_size(self) -> int:
        """The number of indices, mask and OOV included."""
        return self._token_start() + len(self._vocab)

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (a list, array, or a text file's path) and idf weights.

        Raises:
            ValueError: repeated tokens, special tokens out of place, a vocabulary
                over ``max_tokens``, or idf weights that don't fit the mode.
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError("`idf_weights` must be set if output_mode is TF_IDF")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. "
                f"Received: output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = [line.rstrip("\n") for line in f]
        if isinstance(vocabulary, Tensor):
            vocabulary = vocabulary.numpy()
        tokens = self._tokens(np.asarray(vocabulary).reshape(-1))
        if len(set(tokens)) != len(tokens):
            repeated = sorted({self._show(t) for t in tokens if tokens.count(t) > 1})
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify "
                f"your dataset. The repeated terms are {repeated}"
            )
        specials = self._specials()
        if tokens[: len(specials)] == specials and specials:
            tokens = tokens[len(specials) :]
            if idf_weights is not None:
                idf_weights = list(np.asarray(idf_weights).reshape(-1))[len(specials) :]
        for special in {self.mask_token, self.oov_token} - {None}:
            if special in tokens:
                raise ValueError(
                    f"Found reserved token {self._show(special)!r} at unexpected location "
                    "in `vocabulary`. Note that passed `vocabulary` does not need to "
                    "include the OOV and mask tokens. Either remove all mask and OOV "
                    "tokens, or include them only at the start of the vocabulary in "
                    "precisely this order: "
                    f"{[self._show(t) for t in specials]}. Received: vocabulary={vocabulary}"
                )
        size = self._token_start() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. "
                f"Passed vocab size is {size}, max vocab size is {self.max_tokens}."
            )
        self._set_tokens(tokens)
        self._has_vocabulary = True
        if self.output_mode == "tf_idf":
            weights = np.asarray(idf_weights, np.float64).reshape(-1)
            if len(weights) != len(tokens):
                raise ValueError(
                    "`idf_weights` must be the same length as vocabulary. "
                    f"len(idf_weights) is {len(weights)}, len(vocabulary) is {len(tokens)}"
                )
            front = np.full(self._token_start(), np.mean(weights) if len(weights) else 0.0)
            self._idf = self._padded_idf(np.concatenate([front, weights]))

    # -- .keras assets -------------------------------------------------------------

    def save_assets(self, dir_path) -> None:
        """Writes a vocabulary learnt by ``adapt`` (or set after construction) to
        ``dir_path/vocabulary.txt``, one token a line, as tf-keras' ``.keras`` files hold
        it; a vocabulary given to the constructor is in the config instead. In
        ``tf_idf`` mode the weights go to ``idf_weights.txt`` beside it."""
        if self.input_vocabulary is not None or not self._has_vocabulary:
            return
        tokens = self.get_vocabulary(include_special_tokens=True)
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(token) for token in tokens))
        if self.output_mode == "tf_idf":
            weights = self._idf[: len(tokens)]
            np.savetxt(os.path.join(dir_path, "idf_weights.txt"), weights, fmt="%.17g")

    def load_assets(self, dir_path) -> None:
        """Restores what :meth:`save_assets` wrote (nothing to do when the config holds
        the vocabulary or the folder has none)."""
        path = os.path.join(dir_path, "vocabulary.txt")
        if self.input_vocabulary is not None or not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        values = lines if self.vocabulary_dtype == dtypes.string else [int(v) for v in lines]
        idf = None
        if self.output_mode == "tf_idf":
            idf_path = os.path.join(dir_path, "idf_weights.txt")
            if not os.path.exists(idf_path):
                raise ValueError(
                    f"Layer {self.name!r} is in tf_idf mode but its saved vocabulary in "
                    f"{dir_path} has no idf_weights.txt; set the weights with "
                    "`set_vocabulary(vocabulary, idf_weights=...)` after loading."
                )
            idf = np.loadtxt(idf_path, dtype=np.float64, ndmin=1)
        self.set_vocabulary(values, idf_weights=idf)

    def _padded_idf(self, weights):
        if self.pad_to_max_tokens and self.max_tokens is not None:
            weights = np.pad(weights, (0, self.max_tokens - len(weights)))
        return weights

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns the vocabulary from ``data`` (array, list, Tensor or Dataset).

        Raises:
            ValueError: empty data, or a vocabulary set at construction.
        """
        if self.input_vocabulary is not None:
            raise ValueError(
                f"Cannot adapt {type(self).__name__} layer after setting a static "
                "vocabulary via init argument or `set_vocabulary`."
            )
        docs = [doc for batch in batches_of(data) for doc in self._documents(batch)]
        self._adapt_documents(docs)

    def _adapt_documents(self, docs) -> None:
        """Counts the tokens of ``docs`` (token lists) and keeps the most frequent."""
        counts: dict = {}
        doc_counts: dict = {}
        num_docs = 0
        for doc in docs:
            for t in doc:
                counts[t] = counts.get(t, 0) + 1
            if self.output_mode == "tf_idf":
                num_docs += 1
                for t in set(doc):
                    doc_counts[t] = doc_counts.get(t, 0) + 1
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        order = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
        if self.max_tokens:
            order = order[: self.max_tokens - self._token_start()]
        self._set_tokens(order)
        self._has_vocabulary = True
        if self.output_mode == "tf_idf":
            idf = np.array(
                [math.log(1 + num_docs / (1 + doc_counts.get(t, 0))) for t in order], np.float64
            )
            idf = idf.astype(np.float32).astype(np.float64)
            mean = float(np.mean(idf)) if len(idf) else 0.0
            self._idf = self._padded_idf(np.concatenate([np.full(self._token_start(), mean), idf]))

    def _documents(self, batch: np.ndarray):
        """The token lists ``adapt`` counts: a 1-D batch is one document (Keras 2)."""
        if batch.ndim <= 1:
            return [self._tokens(batch.reshape(-1))]
        return [self._tokens(row.reshape(-1)) for row in batch]

    # -- calling -------------------------------------------------------------------

    def _lookup(self, values: np.ndarray) -> np.ndarray:
        """Indices of a NumPy array of tokens (or tokens of indices, with ``invert``)."""
        flat = values.reshape(-1)
        if self.invert:
            table = self._specials() + self._vocab
            out = [
                table[i] if 0 <= i < len(table) else self.oov_token for i in flat.astype(np.int64)
            ]
            return np.array(self._tokens_out(out), dtype=object).reshape(values.shape)
        tokens = self._tokens(flat)
        out = np.empty(len(tokens), np.int64)
        oov = []
        for k, t in enumerate(tokens):
            if self.mask_token is not None and t == self.mask_token:
                out[k] = 0 if self.output_mode == "int" else -1
                continue
            i = self._index.get(t)
            if i is None:
                if self.num_oov_indices == 0:
                    oov.append(t)
                    i = -1
                elif self.num_oov_indices == 1:
                    i = self._oov_start()
                else:
                    i = self._oov_start() + self._oov_bucket(t)
            out[k] = i
        if oov:
            shown = ", ".join(self._format(t) for t in oov)
            raise InvalidArgumentError(
                None,
                None,
                "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV "
                f"values [{shown}], consider setting `num_oov_indices=1`.",
            )
        return out.reshape(values.shape)

    def _lookup_tokens(self, tokens: list) -> np.ndarray:
        """int64 indices of a list of tokens already in the vocabulary's form (bytes for
        strings), in ``int`` mode: one dictionary pass in the common case of a single OOV
        index."""
        if self.invert or self.num_oov_indices != 1 or self.output_mode != "int":
            values = np.empty(len(tokens), dtype=object)
            values[:] = tokens
            return self._lookup(values)
        table = self._int_table()
        ids = list(map(table.get, tokens, itertools.repeat(self._oov_start(), len(tokens))))
        return np.array(ids, np.int64).reshape(len(tokens))

    def _int_table(self) -> dict:
        """The vocabulary's indices plus the mask token's 0, rebuilt when the vocabulary
        (``self._index``) is replaced."""
        cached = self._int_table_cache
        if cached is None or cached[0] is not self._index:
            table = dict(self._index)
            if self.mask_token is not None:
                table[self._tokens([self.mask_token])[0]] = 0
            cached = self._int_table_cache = (self._index, table)
        return cached[1]

    def _format(self, token) -> str:
        """A token as ``tf.strings.format`` prints it (strings in double quotes)."""
        shown = self._show(token)
        return f'"{shown}"' if isinstance(shown, str) else str(shown)

    def _oov_bucket(self, token) -> int:
        raise NotImplementedError

    def _tokens_out(self, tokens: list) -> list:
        return tokens

    def _depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def _compute(self, values: np.ndarray) -> np.ndarray:
        indices = self._lookup(values)
        if self.output_mode == "int":
            return indices
        return encode_categorical(
            indices, self.output_mode, self._depth(), self.compute_dtype, self._idf
        )

    def _output_signature(self, shape: tuple):
        if self.output_mode == "int":
            dtype = self.vocabulary_dtype if self.invert else dtypes.int64
            return dtype, shape
        depth = self._depth()
        if len(shape) == 0:
            return self.compute_dtype, (depth,)
        if self.output_mode == "one_hot" and shape[-1] != 1:
            return self.compute_dtype, shape + (depth,)
        return self.compute_dtype, shape[:-1] + (depth,)

    def __call__(self, inputs, *args, **kwargs):
        if self.output_mode == "int" and not isinstance(inputs, Tensor):
            from tensorflux.ragged.ragged_tensor import RaggedTensor

            if isinstance(inputs, RaggedTensor):
                # Keras looks up a ragged batch (characters from tf.strings.unicode_split)
                # value by value and keeps its rows.
                return inputs.with_flat_values(self(inputs.flat_values, *args, **kwargs))
        return super().__call__(as_input(inputs), *args, **kwargs)

    def call(self, inputs):
        x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
        if self.invert:
            x = x if x.dtype.is_integer else convert_to_tensor(x.numpy().astype(np.int64))
        shape = tuple(x.shape.as_list()) if x.shape.rank is not None else None
        dtype, out_shape = self._output_signature(shape if shape is not None else ())
        return preprocessing_func(self._compute, x, dtype, out_shape if shape is not None else None)

    def compute_output_shape(self, input_shape):
        from tensorflux.framework.shape import TensorShape

        return TensorShape(self._output_signature(tuple(TensorShape(input_shape).as_list()))[1])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "invert": self.invert,
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token,
                "mask_token": self.mask_token,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "idf_weights": _listify(self.input_idf_weights),
                "vocabulary": _listify(self.input_vocabulary),
                "vocabulary_size": self.vocabulary_size() if self._has_vocabulary else None,
            }
        )
        return config


def _listify(value):
    if isinstance(value, Tensor):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return value
