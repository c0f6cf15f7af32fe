"""Records Keras 2 (``tf_keras``) results of the text and sequence utilities into
``tests/keras/fixtures/text_utils.json``: Tokenizer, text_to_word_sequence,
hashing_trick, pad_sequences, skipgrams, make_sampling_table,
text_dataset_from_directory, timeseries_dataset_from_array and the IMDB / Reuters
loaders (run on small generated files in Keras' layout).

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    /path/to/tf-venv/bin/python tests/keras/record_text_fixtures.py

The inputs (corpora, folder trees, dataset files) are built by the functions below,
which the tests import to rebuild them.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import random
import tempfile
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "text_utils.json"

CORPUS = [
    "The cat sat on the mat.",
    "The dog ate my homework!",
    "A cat, a dog\tand a bird: friends?",
    "Don't panic -- it's only the DOG.",
    "",
    "the the THE cat",
]

TOKENIZER_CASES = [
    {},
    {"num_words": 4},
    {"num_words": 5, "oov_token": "<unk>"},
    {"oov_token": "OOV", "lower": False},
    {"char_level": True},
    {"filters": "", "split": " "},
    {"filters": ".!", "split": "a"},
]

QUERIES = ["the bird sat on a hat", "Cat cat CAT dog", "", "panic! unknown words"]

WORD_SEQUENCE_CASES = [
    ("Hello, World! How are you?", {}),
    ("Tabs\tand\nnew lines", {"lower": False}),
    ("a-b-c d", {"filters": "", "split": "-"}),
    ("x..y  z", {"filters": "."}),
]

PAD_CASES = [
    ([[1], [2, 3], [4, 5, 6]], {}),
    ([[1], [2, 3], [4, 5, 6]], {"padding": "post"}),
    ([[1, 2, 3, 4], [5, 6], []], {"maxlen": 3}),
    ([[1, 2, 3, 4], [5, 6]], {"maxlen": 2, "truncating": "post", "value": -1}),
    ([[1.5, 2.5], [3.5]], {"dtype": "float32", "value": 0.5}),
    ([["a", "b"], ["c"]], {"dtype": object, "value": "<pad>"}),
    ([["a", "bb"], ["ccc"]], {"dtype": "<U3", "value": "-", "padding": "post"}),
    ([[[1, 2], [3, 4]], [[5, 6]]], {}),
    ([[1, 2], [3]], {"maxlen": 4, "dtype": "int64", "padding": "post", "truncating": "post"}),
]

PAD_ERRORS = [
    ([[1], [2, 3]], {"padding": "middle"}),
    ([[1], [2, 3]], {"truncating": "middle", "maxlen": 1}),
    ([[1], [2, 3]], {"value": "x"}),
    ([[1], 5], {}),
    ([[[1, 2]], [[1, 2, 3]]], {}),
]

SKIPGRAM_CASES = [
    (0, [1, 2, 3, 4, 5], 6, {"window_size": 1, "shuffle": False, "negative_samples": 0}),
    (1, [1, 2, 0, 3, 4, 5, 2], 8, {"window_size": 2}),
    (2, [3, 1, 4, 1, 5, 9, 2, 6], 10, {"window_size": 3, "seed": 7}),
    (3, [3, 1, 4, 1, 5, 9, 2, 6], 10, {"negative_samples": 2.5, "categorical": True}),
    (4, list(range(1, 20)), 20, {"sampling_table": "table", "seed": 5}),
    (5, [1, 2, 3], 4, {"negative_samples": 0.5, "shuffle": False}),
]

SAMPLING_TABLE_CASES = [(5, 1e-5), (12, 0.01), (30, 0.3)]


def make_text_folder(root) -> str:
    """A folder of three classes of .txt files (plus files Keras ignores)."""
    files = {
        "neg/a.txt": "awful film",
        "neg/b.txt": "boring and long, really long",
        "neg/c.TXT": "upper-case extension",
        "neg/notes.md": "not a text file",
        "neg/deeper/d.txt": "found in a sub-folder",
        "pos/a.txt": "great fun",
        "pos/z.txt": "loved it \u00e9\u00e8",
        "pos/m.txt": "multi\nline\nreview",
        "pos/e.txt": "",
        "unk/x.txt": "neither good nor bad",
        "unk/y.txt": "meh",
    }
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return root


TEXT_DATASET_CASES = [
    {"shuffle": False, "batch_size": 4},
    {"seed": 3, "batch_size": 3},
    {"seed": 5, "batch_size": None},
    {"shuffle": False, "label_mode": "categorical", "max_length": 6},
    {"shuffle": False, "labels": None, "batch_size": 5},
    {"seed": 9, "validation_split": 0.3, "subset": "both", "batch_size": 2},
    {"seed": 9, "validation_split": 0.3, "subset": "validation", "batch_size": 2},
    {"shuffle": False, "class_names": ["unk", "pos", "neg"], "label_mode": "int"},
]

TEXT_DATASET_ERRORS = [
    {"label_mode": "binary"},
    {"label_mode": "sparse"},
    {"labels": "folders"},
    {"validation_split": 0.5},
    {"validation_split": 0.5, "subset": "train", "seed": 1},
    {"class_names": ["a", "b"]},
]

TIMESERIES_CASES = [
    ("arange10", None, {"sequence_length": 3, "batch_size": 4}),
    ("arange10", "targets", {"sequence_length": 2, "sequence_stride": 3, "batch_size": 2}),
    ("pairs", "targets", {"sequence_length": 3, "sampling_rate": 2, "batch_size": 3}),
    ("pairs", None, {"sequence_length": 2, "start_index": 2, "end_index": 9, "batch_size": 2}),
    ("arange10", "targets", {"sequence_length": 3, "shuffle": True, "seed": 4, "batch_size": 2}),
    ("floats", "short", {"sequence_length": 2, "batch_size": None, "shuffle": True, "seed": 1}),
]

TIMESERIES_ERRORS = [
    ("arange10", {"sequence_length": 2, "start_index": -1}),
    ("arange10", {"sequence_length": 2, "start_index": 10}),
    ("arange10", {"sequence_length": 2, "start_index": 5, "end_index": 4}),
    ("arange10", {"sequence_length": 2, "end_index": 10}),
    ("arange10", {"sequence_length": 2, "sampling_rate": 0}),
    ("arange10", {"sequence_length": 2, "sequence_stride": 10}),
]


def timeseries_inputs():
    """Named arrays (and targets) for the timeseries cases."""
    return {
        "arange10": np.arange(10),
        "pairs": np.arange(24, dtype="float64").reshape(12, 2),
        "floats": [0.5, 1.5, 2.5, 3.5, 4.5],
        "targets": np.arange(100, 112),
        "short": [7, 8, 9],
    }


def imdb_arrays():
    """A small ``imdb.npz`` in Keras' layout (object arrays of index lists)."""
    rng = np.random.RandomState(0)

    def reviews(n):
        out = np.empty(n, dtype=object)
        out[:] = [list(rng.randint(1, 30, size=rng.randint(2, 9))) for _ in range(n)]
        return out

    return {
        "x_train": reviews(9),
        "y_train": rng.randint(0, 2, 9),
        "x_test": reviews(7),
        "y_test": rng.randint(0, 2, 7),
    }


def reuters_arrays():
    """A small ``reuters.npz`` in Keras' layout."""
    rng = np.random.RandomState(1)
    xs = np.empty(13, dtype=object)
    xs[:] = [list(rng.randint(1, 40, size=rng.randint(1, 10))) for _ in range(13)]
    return {"x": xs, "y": rng.randint(0, 46, 13)}


IMDB_CASES = [
    {},
    {"num_words": 12},
    {"num_words": 15, "skip_top": 5, "oov_char": None},
    {"maxlen": 7, "seed": 3},
    {"start_char": None, "index_from": 2, "oov_char": 1, "num_words": 10},
]

REUTERS_CASES = [
    {},
    {"num_words": 20, "test_split": 0.5},
    {"maxlen": 6, "seed": 2, "skip_top": 4},
    {"start_char": None, "oov_char": None, "num_words": 14},
]


def _listify(x):
    if isinstance(x, np.ndarray):
        return _listify(x.tolist())
    if isinstance(x, (list, tuple)):
        return [_listify(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    return x


def _json_default(x):
    out = _listify(x)
    if out is x:
        raise TypeError(f"cannot record {type(x)}: {x!r}")
    return out


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the recorded type is the point
        return {"error": type(e).__name__, "message": str(e)}
    return {"error": None}


def _tokenizer_record(text_module):
    out = []
    for kwargs in TOKENIZER_CASES:
        tok = text_module.Tokenizer(**kwargs)
        tok.fit_on_texts(CORPUS)
        sequences = tok.texts_to_sequences(QUERIES + CORPUS)
        config = json.loads(tok.to_json())["config"]
        out.append(
            {
                "kwargs": kwargs,
                "word_index": list(tok.word_index.items()),
                "word_counts": list(tok.word_counts.items()),
                "index_docs": sorted(tok.index_docs.items()),
                "document_count": tok.document_count,
                "sequences": sequences,
                "texts": tok.sequences_to_texts(sequences + [[0, 1, 2, 3, 50]]),
                "matrices": {
                    mode: tok.texts_to_matrix(QUERIES, mode=mode).tolist()
                    for mode in ("binary", "count", "tfidf", "freq")
                },
                "config": {k: json.loads(v) if k in _JSON_KEYS else v for k, v in config.items()},
            }
        )
    tok = text_module.Tokenizer(oov_token="?")
    tok.fit_on_texts([["Alpha", "beta"], ["beta", "GAMMA", "beta"]])
    lists = {
        "word_index": list(tok.word_index.items()),
        "sequences": tok.texts_to_sequences([["beta", "delta"], ["alpha"]]),
    }
    return out, lists


_JSON_KEYS = ("word_counts", "word_docs", "index_docs", "index_word", "word_index")


def _text_dataset_record(tf_keras, root):
    def run(kwargs):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            result = tf_keras.utils.text_dataset_from_directory(root, **kwargs)
        datasets = result if isinstance(result, list) else [result]
        return {
            "kwargs": kwargs,
            "printed": printed.getvalue(),
            "datasets": [
                {
                    "class_names": ds.class_names,
                    "elements": [_element(e) for e in ds.as_numpy_iterator()],
                }
                for ds in datasets
            ],
        }

    cases = [run(kwargs) for kwargs in TEXT_DATASET_CASES]
    errors = []
    for kwargs in TEXT_DATASET_ERRORS:
        with contextlib.redirect_stdout(io.StringIO()):
            call = functools.partial(tf_keras.utils.text_dataset_from_directory, root, **kwargs)
            errors.append({"kwargs": kwargs, **_error(call)})
    return cases, errors


def _element(e):
    parts = e if isinstance(e, tuple) else (e,)
    out = []
    for p in parts:
        p = np.asarray(p)
        if p.dtype.kind in "OS":
            out.append({"texts": [b.decode("utf-8") for b in p.reshape(-1)], "shape": p.shape})
        else:
            out.append({"out": p.tolist(), "dtype": str(p.dtype), "shape": p.shape})
    return out


def _timeseries_record(tf_keras):
    inputs = timeseries_inputs()
    cases = []
    for data, targets, kwargs in TIMESERIES_CASES:
        ds = tf_keras.utils.timeseries_dataset_from_array(
            inputs[data], None if targets is None else inputs[targets], **kwargs
        )
        cases.append(
            {
                "data": data,
                "targets": targets,
                "kwargs": kwargs,
                "spec": str(ds.element_spec),
                "elements": [_element(e) for e in ds.as_numpy_iterator()],
            }
        )
    errors = [
        {
            "data": data,
            "kwargs": kwargs,
            **_error(
                functools.partial(
                    tf_keras.utils.timeseries_dataset_from_array, inputs[data], None, **kwargs
                )
            ),
        }
        for data, kwargs in TIMESERIES_ERRORS
    ]
    return cases, errors


def _loader_record(module, arrays, cases, folder):
    path = os.path.join(folder, module.__name__.rsplit(".", 1)[-1] + ".npz")
    np.savez(path, **arrays)
    module.get_file = lambda *args, **kwargs: path
    out = []
    for kwargs in cases:
        (x_train, y_train), (x_test, y_test) = module.load_data(**kwargs)
        out.append(
            {
                "kwargs": kwargs,
                "x_train": _listify(x_train),
                "x_train_shape": x_train.shape,
                "y_train": _listify(y_train),
                "x_test": _listify(x_test),
                "x_test_shape": x_test.shape,
                "y_test": _listify(y_test),
            }
        )
    return out


def main():
    import tf_keras
    from tf_keras.src.datasets import imdb, reuters
    from tf_keras.src.preprocessing import sequence, text

    record = {}
    record["tokenizer"], record["tokenizer_lists"] = _tokenizer_record(text)
    record["word_sequences"] = [
        [t, kw, text.text_to_word_sequence(t, **kw)] for t, kw in WORD_SEQUENCE_CASES
    ]
    record["md5_hashing"] = [
        [t, n, text.hashing_trick(t, n, hash_function="md5")]
        for t, n in [("The cat sat on the mat", 7), ("words, words: more WORDS", 1000)]
    ]
    record["pad"] = []
    for seqs, kwargs in PAD_CASES:
        out = tf_keras.utils.pad_sequences(seqs, **kwargs)
        record["pad"].append({"out": out.tolist(), "dtype": str(out.dtype), "shape": out.shape})
    record["pad_errors"] = [
        _error(functools.partial(tf_keras.utils.pad_sequences, s, **kw)) for s, kw in PAD_ERRORS
    ]
    record["skipgrams"] = []
    for py_seed, seq, vocab, kwargs in SKIPGRAM_CASES:
        kwargs = dict(kwargs)
        if kwargs.get("sampling_table") == "table":
            kwargs["sampling_table"] = sequence.make_sampling_table(vocab, sampling_factor=0.05)
        random.seed(py_seed)
        couples, labels = sequence.skipgrams(seq, vocab, **kwargs)
        record["skipgrams"].append({"couples": couples, "labels": labels})
    record["sampling_tables"] = [
        sequence.make_sampling_table(n, f).tolist() for n, f in SAMPLING_TABLE_CASES
    ]
    with tempfile.TemporaryDirectory() as root:
        make_text_folder(root)
        record["text_dataset"], record["text_dataset_errors"] = _text_dataset_record(tf_keras, root)
        record["imdb"] = _loader_record(imdb, imdb_arrays(), IMDB_CASES, root)
        record["reuters"] = _loader_record(reuters, reuters_arrays(), REUTERS_CASES, root)
    record["timeseries"], record["timeseries_errors"] = _timeseries_record(tf_keras)
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps(record, indent=None, default=_json_default) + "\n")
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
