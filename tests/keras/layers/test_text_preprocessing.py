"""StringLookup, IntegerLookup, CategoryEncoding and TextVectorization against
tf_keras 2.21 (tests/fixtures/text_preprocessing.json, recorded by
record_text_preprocessing_fixtures.py): vocabularies after adapt (order and ties),
outputs, configs and errors; then tracing, Dataset.map, and training a text model."""

import json
import os
import sys

import numpy as np
import pytest

import tensorflux as tf

sys.path.insert(0, os.path.dirname(__file__))
from text_preprocessing_cases import CASES, HASH_KEYS, HASH_STRINGS  # noqa: E402

from tensorflux.keras.layers.preprocessing.string_hashing import fingerprint64, siphash24  # noqa: E402

FIXTURES = os.path.join(
    os.path.dirname(__file__), "..", "..", "fixtures", "text_preprocessing.json"
)
with open(FIXTURES) as _f:
    EXPECTED = json.load(_f)

# Where the messages differ on purpose: TF's text is a graph assertion's dump or
# names a NumPy scalar type; the leading sentence is what both say.
_CORE = {
    "sl_repeated_vocab": "The passed vocabulary has at least one repeated term.",
}


def _build(case):
    return getattr(tf.keras.layers, case["layer"])(**case["kwargs"])


def _adapt(layer, case):
    data = np.array(case["adapt"], dtype=object if case["dtype"] == "string" else None)
    if case["dtype"] == "string" and data.size == 0:
        data = np.array([], dtype=object)
    if case.get("adapt_batch"):
        data = tf.data.Dataset.from_tensor_slices(data).batch(case["adapt_batch"])
    layer.adapt(data)


def _check_error(got: Exception, want: dict, case_id: str):
    assert type(got).__name__ == want["error"], (got, want)
    core = _CORE.get(case_id, str(got))
    assert core in want["message"] or core in str(got), (str(got), want["message"])
    if case_id not in _CORE:
        assert str(got) in want["message"], (str(got), want["message"])


def _run(case):
    want = EXPECTED[case["id"]]
    try:
        layer = _build(case)
    except Exception as e:  # noqa: BLE001 - compared with the fixture
        assert "init" in want, e
        _check_error(e, want["init"], case["id"])
        return None
    assert "init" not in want
    if "adapt" in case:
        try:
            _adapt(layer, case)
        except Exception as e:  # noqa: BLE001 - compared with the fixture
            assert "adapt" in want, e
            _check_error(e, want["adapt"], case["id"])
            return None
    assert "adapt" not in want
    return layer, want


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_matches_tf_keras(case):
    built = _run(case)
    if built is None:
        return
    layer, want = built
    if "vocabulary" in want:
        assert layer.get_vocabulary() == want["vocabulary"]
        assert layer.vocabulary_size() == want["vocabulary_size"]
    if "weights" in want:
        assert [w.name.split("/")[-1] for w in layer.weights] == [n for n, _ in want["weights"]]
        for w, (_, value) in zip(layer.weights, want["weights"]):
            np.testing.assert_allclose(w.numpy(), np.array(value), rtol=1e-6, atol=1e-7)
    if "bin_boundaries" in want:
        np.testing.assert_allclose(layer.bin_boundaries, want["bin_boundaries"], rtol=1e-6)
    config = layer.get_config()
    config.pop("name")
    want_config = dict(want["config"])
    want_config.pop("batch_input_shape", None)
    assert set(config) == set(want_config)
    for key, value in want_config.items():
        got = config[key]
        if isinstance(got, tuple):
            got = list(got)
        assert got == value or str(got) == str(value), (key, got, value)
    for inputs, out in zip(case["calls"], want["calls"]):
        x = tf.constant(inputs, dtype=case["dtype"])
        if "error" in out:
            with pytest.raises(Exception) as info:
                layer(x)
            assert type(info.value).__name__ == out["error"]
            assert str(info.value).split(":")[0].split(".")[0] in out["message"]
            continue
        y = layer(x)
        assert y.dtype.name == out["dtype"]
        assert list(y.shape) == out["shape"]
        if out["dtype"] == "string":
            assert [v.decode() for v in y.numpy().reshape(-1)] == list(
                np.array(out["values"], dtype=object).reshape(-1)
            )
        else:
            np.testing.assert_allclose(y.numpy(), np.array(out["values"]), rtol=1e-6)


def test_hashes_match_tf():
    big = 2**63 - 1
    want = EXPECTED["hashes"]
    got = [fingerprint64(s.encode()) % big for s in HASH_STRINGS]
    assert got == want["fast"]
    for key, strong in zip(HASH_KEYS, want["strong"]):
        assert [siphash24(tuple(key), s.encode()) % big for s in HASH_STRINGS] == strong


def test_config_round_trip():
    layer = tf.keras.layers.TextVectorization(
        max_tokens=10, output_sequence_length=3, vocabulary=["a", "b"]
    )
    clone = tf.keras.layers.TextVectorization.from_config(layer.get_config())
    assert clone.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(clone(["b a q c"]).numpy(), layer(["b a q c"]).numpy())
    lookup = tf.keras.layers.StringLookup(vocabulary=["x", "y"], mask_token="")
    clone = tf.keras.layers.StringLookup.from_config(lookup.get_config())
    assert clone.get_vocabulary() == ["", "[UNK]", "x", "y"]


def test_vocabulary_file_and_set_vocabulary(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("red\ngreen\nblue\n", encoding="utf-8")
    layer = tf.keras.layers.StringLookup(vocabulary=str(path))
    np.testing.assert_array_equal(layer(["blue", "red", "x"]).numpy(), [3, 1, 0])
    layer.set_vocabulary(["blue"])
    assert layer.get_vocabulary() == ["[UNK]", "blue"]
    assert layer.get_vocabulary(include_special_tokens=False) == ["blue"]


def test_inside_tf_function_and_dataset_map():
    layer = tf.keras.layers.TextVectorization(output_sequence_length=3)
    layer.adapt(["x y", "y z z"])

    @tf.function
    def f(s):
        return layer(s)

    np.testing.assert_array_equal(f(tf.constant(["z y", "w"])).numpy(), [[2, 3, 0], [1, 0, 0]])
    ds = tf.data.Dataset.from_tensor_slices(["z", "y x y"]).batch(2).map(layer)
    (batch,) = list(ds)
    np.testing.assert_array_equal(batch.numpy(), [[2, 0, 0], [3, 4, 3]])


def test_symbolic_output_shapes():
    inputs = tf.keras.Input(shape=(1,), dtype=tf.string)
    ints = tf.keras.layers.TextVectorization(output_sequence_length=5, vocabulary=["a"])(inputs)
    assert ints.shape.as_list() == [None, 5]
    counts = tf.keras.layers.TextVectorization(output_mode="count", vocabulary=["a", "b"])(inputs)
    assert counts.shape.as_list() == [None, 3]
    ids = tf.keras.Input(shape=(2,), dtype=tf.int64)
    assert tf.keras.layers.CategoryEncoding(num_tokens=4)(ids).shape.as_list() == [None, 4]


def test_text_classifier_trains_through_fit():
    rng = np.random.default_rng(0)
    good, bad = ["great", "fine", "nice"], ["awful", "poor", "sad"]
    texts, labels = [], []
    for _ in range(64):
        label = int(rng.integers(2))
        words = rng.choice(good if label else bad, size=3).tolist() + ["the", "movie"]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    x = np.array(texts, dtype=object)[:, None]
    y = np.array(labels, np.float32)
    vectorize = tf.keras.layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    vectorize.adapt(x)
    inputs = tf.keras.Input(shape=(1,), dtype=tf.string)
    h = vectorize(inputs)
    h = tf.keras.layers.Embedding(20, 8)(h)
    h = tf.keras.layers.GlobalAveragePooling1D()(h)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1, activation="sigmoid")(h))
    model.compile(
        optimizer=tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9


def test_run_layer_test_numeric_layers():
    from tensorflux.testing.layer_test import run_layer_test

    run_layer_test(
        tf.keras.layers.Normalization,
        {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
        input_shape=(2, 3),
        expected_output_shape=(None, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )
    run_layer_test(
        tf.keras.layers.Discretization,
        {"bin_boundaries": [-0.5, 0.0, 0.5]},
        input_shape=(2, 3),
        expected_output_shape=(None, 3),
        expected_output_dtype="int64",
        check_training=False,
    )
    run_layer_test(
        tf.keras.layers.CategoryEncoding,
        {"num_tokens": 5, "output_mode": "count"},
        input_data=np.array([[0, 4, 4], [1, 2, 3]]),
        input_dtype="int64",
        expected_output_shape=(None, 5),
        check_training=False,
    )


def test_adapted_normalization_weights_and_dataset_map():
    layer = tf.keras.layers.Normalization()
    layer.adapt(tf.data.Dataset.from_tensor_slices(np.array([[0.0, 2.0], [2.0, 6.0]])).batch(1))
    assert [w.name.split("/")[-1] for w in layer.weights] == ["mean:0", "variance:0", "count:0"]
    assert not layer.trainable_weights
    ds = tf.data.Dataset.from_tensor_slices(np.array([[1.0, 4.0]], np.float32)).batch(1).map(layer)
    np.testing.assert_allclose(list(ds)[0].numpy(), [[0.0, 0.0]])


def test_callable_standardize_and_split():
    def standardize(x):
        return tf.strings.regex_replace(tf.strings.lower(x), "[0-9]", "")

    def split(x):
        return tf.strings.split(x, sep="-")

    layer = tf.keras.layers.TextVectorization(standardize=standardize, split=split)
    layer.adapt(["A1-b-b", "c-A"])
    # tf_keras 2.21 gives this vocabulary and these indices for the same layer.
    assert layer.get_vocabulary() == ["", "[UNK]", "b", "a", "c"]
    np.testing.assert_array_equal(layer(["b-a2-z", "c"]).numpy(), [[2, 3, 1], [4, 0, 0]])
    ds = tf.data.Dataset.from_tensor_slices(["b-a2-z", "c"]).batch(2).map(layer)
    np.testing.assert_array_equal(list(ds)[0].numpy(), [[2, 3, 1], [4, 0, 0]])


def test_adapted_vocabularies_travel_in_keras_archives(tmp_path):
    import zipfile

    texts = tf.keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    texts.adapt(np.array(["the cat sat", "the dog ran", "a cat ran fast"]))
    inputs = tf.keras.Input(shape=(1,), dtype=tf.string)
    model = tf.keras.Model(inputs, texts(inputs))
    path = str(tmp_path / "texts.keras")
    model.save(path)
    assert "assets/layers/text_vectorization/vocabulary.txt" in zipfile.ZipFile(path).namelist()
    queries = np.array([["the cat ran"], ["zebra dog"]])
    reloaded = tf.keras.models.load_model(path)
    np.testing.assert_array_equal(
        reloaded.predict(queries, verbose=0), model.predict(queries, verbose=0)
    )
    for layer in (
        tf.keras.layers.StringLookup(output_mode="tf_idf"),
        tf.keras.layers.IntegerLookup(),
    ):
        string = layer.vocabulary_dtype == tf.string
        layer.adapt(np.array([["a", "b"], ["a", "c"]]) if string else np.array([3, 3, 7, 9]))
        wrapped = tf.keras.Sequential(
            [tf.keras.Input(shape=(None,), dtype=layer.vocabulary_dtype), layer]
        )
        file = str(tmp_path / f"{layer.name}.keras")
        wrapped.save(file)
        restored = tf.keras.models.load_model(file).layers[0]
        assert restored.get_vocabulary() == layer.get_vocabulary()
        probe = np.array([["a", "c", "z"]]) if string else np.array([[9, 3, 4]])
        np.testing.assert_allclose(restored(probe).numpy(), layer(probe).numpy())


def test_tf_keras_archive_with_an_adapted_vocabulary_loads():
    archive = os.path.join(
        os.path.dirname(FIXTURES), "keras_formats", "text_vectorization.tfk.keras"
    )
    model = tf.keras.models.load_model(archive)
    queries = np.array([["the cat ran"], ["zebra dog"]])
    np.testing.assert_array_equal(model.predict(queries, verbose=0), EXPECTED["adapted_model"])


@pytest.mark.parametrize("length", [None, 3])
def test_text_vectorization_batch_equals_one_string_at_a_time(length):
    # The batch path standardises the joined batch and looks all tokens up at once; a
    # string holding a NUL byte takes the per-string path. Rows must not interact.
    layer = tf.keras.layers.TextVectorization(output_sequence_length=length)
    layer.set_vocabulary(["the", "cat", "sat", "a\x00b"])
    texts = ["The CAT, sat!", "", "dog the cat the", "A\x00B cat", "'Sat'... the."]
    batch = layer(np.array(texts)).numpy()
    for row, text in zip(batch, texts):
        alone = layer(np.array([text])).numpy()[0]
        width = len(alone) if length is None else length
        np.testing.assert_array_equal(row[:width], alone)
        assert not row[width:].any()
    assert batch[3][:2].tolist() == [5, 3] and batch[2][:3].tolist() == [1, 2, 3]
