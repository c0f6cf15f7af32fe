"""text_dataset_from_directory, timeseries_dataset_from_array and the IMDB / Reuters
loaders against tf_keras fixtures (recorded by ``record_text_fixtures.py``)."""

from __future__ import annotations

import hashlib
import io
import json
import os
from contextlib import redirect_stdout

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.datasets import _files, imdb, reuters
from tests.keras.record_text_fixtures import (
    FIXTURE,
    IMDB_CASES,
    REUTERS_CASES,
    TEXT_DATASET_CASES,
    TEXT_DATASET_ERRORS,
    TIMESERIES_CASES,
    TIMESERIES_ERRORS,
    imdb_arrays,
    make_text_folder,
    reuters_arrays,
    timeseries_inputs,
)

RECORD = json.loads(FIXTURE.read_text())


@pytest.fixture(autouse=True)
def _no_global_seed():
    # The fixtures were recorded without a global seed, which seeded shuffles combine with.
    tf.random.set_seed(None)
    yield
    tf.random.set_seed(None)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return make_text_folder(str(tmp_path_factory.mktemp("texts")))


def _check_element(got, want):
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == len(want)
    for part, entry in zip(got, want):
        part = np.asarray(part)
        assert list(part.shape) == entry["shape"]
        if "texts" in entry:
            assert [b.decode("utf-8") for b in part.reshape(-1)] == entry["texts"]
        else:
            assert str(part.dtype) == entry["dtype"] and part.tolist() == entry["out"]


@pytest.mark.parametrize("i", range(len(TEXT_DATASET_CASES)))
def test_text_dataset_matches_tf_keras(folder, i):
    want = RECORD["text_dataset"][i]
    printed = io.StringIO()
    with redirect_stdout(printed):
        result = tf.keras.utils.text_dataset_from_directory(folder, **TEXT_DATASET_CASES[i])
    assert printed.getvalue() == want["printed"]
    datasets = result if isinstance(result, list) else [result]
    assert len(datasets) == len(want["datasets"])
    for ds, expected in zip(datasets, want["datasets"]):
        assert ds.class_names == expected["class_names"]
        elements = list(ds.as_numpy_iterator())
        assert len(elements) == len(expected["elements"])
        for got, element in zip(elements, expected["elements"]):
            _check_element(got, element)


@pytest.mark.parametrize("i", range(len(TEXT_DATASET_ERRORS)))
def test_text_dataset_errors(folder, i):
    want = RECORD["text_dataset_errors"][i]
    with redirect_stdout(io.StringIO()), pytest.raises(ValueError) as info:
        tf.keras.utils.text_dataset_from_directory(folder, **TEXT_DATASET_ERRORS[i])
    assert want["error"] == "ValueError" and str(info.value) == want["message"]


def test_text_dataset_follow_links_and_empty(folder, tmp_path):
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "x.txt").write_text("x")
    os.symlink(os.path.join(folder, "pos"), root / "a" / "linked")
    kwargs = {"shuffle": False, "batch_size": None}
    with redirect_stdout(io.StringIO()):
        plain = tf.keras.utils.text_dataset_from_directory(root, **kwargs)
        linked = tf.keras.utils.text_dataset_from_directory(root, follow_links=True, **kwargs)
    assert len(list(plain)) == 1 and len(list(linked)) == 5
    (tmp_path / "empty" / "c").mkdir(parents=True)
    with redirect_stdout(io.StringIO()), pytest.raises(ValueError, match="No text files found"):
        tf.keras.utils.text_dataset_from_directory(tmp_path / "empty")


def test_text_dataset_feeds_text_vectorization(folder):
    with redirect_stdout(io.StringIO()):
        data = tf.keras.utils.text_dataset_from_directory(folder, batch_size=4, seed=1)
    layer = tf.keras.layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    layer.adapt(data.map(lambda x, y: x))
    batch = next(iter(data.map(lambda x, y: (layer(x), y))))
    assert batch[0].shape == (4, 5) and batch[0].dtype == tf.int64


@pytest.mark.parametrize("i", range(len(TIMESERIES_CASES)))
def test_timeseries_matches_tf_keras(i):
    data, targets, kwargs = TIMESERIES_CASES[i]
    inputs = timeseries_inputs()
    want = RECORD["timeseries"][i]
    ds = tf.keras.utils.timeseries_dataset_from_array(
        inputs[data], None if targets is None else inputs[targets], **kwargs
    )
    assert str(ds.element_spec) == want["spec"]
    elements = list(ds.as_numpy_iterator())
    assert len(elements) == len(want["elements"])
    for got, element in zip(elements, want["elements"]):
        _check_element(got, element)


@pytest.mark.parametrize("i", range(len(TIMESERIES_ERRORS)))
def test_timeseries_errors(i):
    data, kwargs = TIMESERIES_ERRORS[i]
    want = RECORD["timeseries_errors"][i]
    with pytest.raises(ValueError) as info:
        tf.keras.utils.timeseries_dataset_from_array(timeseries_inputs()[data], None, **kwargs)
    assert want["error"] == "ValueError" and str(info.value) == want["message"]


def test_timeseries_in_a_traced_pipeline():
    ds = tf.keras.utils.timeseries_dataset_from_array(
        np.arange(12, dtype="float32"), np.arange(12), 4, batch_size=3
    )
    ds = ds.map(lambda x, y: (tf.reduce_sum(x, axis=1), y * 2))
    sums, doubled = next(iter(ds))
    np.testing.assert_array_equal(sums.numpy(), [6.0, 10.0, 14.0])
    np.testing.assert_array_equal(doubled.numpy(), [0, 2, 4])


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A Keras home with generated imdb.npz / reuters.npz whose hashes are accepted."""
    home = tmp_path / "home"
    (home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(_files, "KERAS_DATASETS_URL", (tmp_path / "nowhere").as_uri() + "/")
    for module, arrays in ((imdb, imdb_arrays()), (reuters, reuters_arrays())):
        name = module.__name__.rsplit(".", 1)[-1]
        path = home / "datasets" / f"{name}.npz"
        np.savez(path, **arrays)
        monkeypatch.setattr(module, "_FILE_SHA256", hashlib.sha256(path.read_bytes()).hexdigest())
    return home


def _check_loaded(result, want):
    (x_train, y_train), (x_test, y_test) = result
    for got, key in ((x_train, "x_train"), (x_test, "x_test")):
        assert got.dtype == object and list(got.shape) == want[f"{key}_shape"]
        assert [list(map(int, x)) for x in got] == want[key]
    assert y_train.tolist() == want["y_train"] and y_test.tolist() == want["y_test"]


@pytest.mark.parametrize("i", range(len(IMDB_CASES)))
def test_imdb_matches_tf_keras(cache, i):
    _check_loaded(imdb.load_data(**IMDB_CASES[i]), RECORD["imdb"][i])


@pytest.mark.parametrize("i", range(len(REUTERS_CASES)))
def test_reuters_matches_tf_keras(cache, i):
    _check_loaded(reuters.load_data(**REUTERS_CASES[i]), RECORD["reuters"][i])


def test_loader_errors_and_word_index(cache, tmp_path):
    with pytest.raises(ValueError, match="no sequence was kept"):
        imdb.load_data(maxlen=2)
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        reuters.load_data(bogus=3)
    assert tf.keras.datasets.imdb.load_data(nb_words=5)[0][0].shape == (9,)
    # A missing word index cannot be downloaded offline; the message says where it goes.
    with pytest.raises(OSError, match="imdb_word_index.json"):
        imdb.get_word_index()
    index = {"the": 1, "film": 2}
    (cache / "datasets" / "reuters_word_index.json").write_text(json.dumps(index))
    digest = hashlib.md5((cache / "datasets" / "reuters_word_index.json").read_bytes())
    reuters._WORD_INDEX_MD5 = digest.hexdigest()
    try:
        assert reuters.get_word_index() == index
    finally:
        reuters._WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"
    assert reuters.get_label_names()[-1] == "lead" and len(reuters.get_label_names()) == 46
