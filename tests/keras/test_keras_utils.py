"""``keras.utils``: Sequence and the enqueuers, replayed against tf_keras fixtures."""

import json
import os
import threading

import numpy as np
import pytest

import tensorflux as tf
from tensorflux import keras
from tests.keras.utils_scenarios import SCENARIOS, X, Y, _model, _sequence_class

with open(os.path.join(os.path.dirname(__file__), "fixtures", "utils.json")) as f:
    FIXTURES = json.load(f)


def _close(got, want):
    if isinstance(want, dict):
        assert set(got) == set(want)
        for key in want:
            _close(got[key], want[key])
    elif isinstance(want, list) and want and isinstance(want[0], float):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    elif isinstance(want, float):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    else:
        assert got == want


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenarios_match_tf_keras(name):
    tf.random.set_seed(0)
    _close(SCENARIOS[name](keras), FIXTURES[name])


def test_sequence_fit_trains_as_the_same_arrays_do():
    batches = _sequence_class(keras)
    by_sequence = _model(keras)
    by_sequence.fit(batches(X, Y, 4), epochs=2, shuffle=False, verbose=0)
    by_arrays = _model(keras)
    by_arrays.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(by_sequence.get_weights(), by_arrays.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("use_multiprocessing", [False, True])
def test_sequence_with_workers_keeps_the_batch_order(use_multiprocessing):
    batches = _sequence_class(keras)
    serial, parallel = _model(keras), _model(keras)
    serial.fit(batches(X, Y, 2), epochs=2, shuffle=False, verbose=0)
    seq = batches(X, Y, 2)
    parallel.fit(
        seq,
        epochs=2,
        shuffle=False,
        verbose=0,
        workers=3,
        use_multiprocessing=use_multiprocessing,
        max_queue_size=2,
    )
    for a, b in zip(serial.get_weights(), parallel.get_weights()):
        np.testing.assert_array_equal(a, b)
    if not use_multiprocessing:
        assert seq.log.count("end") == 2
    np.testing.assert_allclose(
        parallel.predict(batches(X, Y, 3), workers=2, verbose=0),
        serial.predict(X, verbose=0),
    )


def test_sequence_refuses_y_and_sample_weight():
    seq = _sequence_class(keras)(X, Y, 4)
    with pytest.raises(ValueError, match="`y` argument is not supported when using "):
        _model(keras).fit(seq, Y, verbose=0)
    with pytest.raises(ValueError, match="`sample_weight` argument is not supported"):
        _model(keras).evaluate(seq, sample_weight=np.ones(10), verbose=0)


def test_sequence_base_class():
    class Three(keras.utils.Sequence):
        def __len__(self):
            return 3

        def __getitem__(self, index):
            return index * 10

    assert list(Three()) == [0, 10, 20]
    assert Three().on_epoch_end() is None
    with pytest.raises(NotImplementedError):
        keras.utils.Sequence()[0]


class _Squares(keras.utils.Sequence):
    def __init__(self):
        self.epochs = 0

    def __len__(self):
        return 5

    def __getitem__(self, index):
        return index * index

    def on_epoch_end(self):
        self.epochs += 1


@pytest.mark.parametrize("use_multiprocessing", [False, True])
def test_ordered_enqueuer_streams_epochs_in_order(use_multiprocessing):
    seq = _Squares()
    enqueuer = keras.utils.OrderedEnqueuer(seq, use_multiprocessing=use_multiprocessing)
    assert not enqueuer.is_running()
    enqueuer.start(workers=3, max_queue_size=2)
    assert enqueuer.is_running()
    stream = enqueuer.get()
    assert [next(stream) for _ in range(12)] == [0, 1, 4, 9, 16] * 2 + [0, 1]
    enqueuer.stop()
    assert not enqueuer.is_running()
    if not use_multiprocessing:
        assert seq.epochs == 2


def test_ordered_enqueuer_shuffles_each_epoch():
    import random

    random.seed(5)
    enqueuer = keras.utils.OrderedEnqueuer(_Squares(), shuffle=True)
    enqueuer.start(workers=2)
    stream = enqueuer.get()
    got = [next(stream) for _ in range(10)]
    enqueuer.stop()
    random.seed(5)
    order = list(range(5))
    expected = []
    for _ in range(2):
        random.shuffle(order)
        expected += [i * i for i in order]
    assert got == expected


def test_ordered_enqueuer_raises_the_sequence_error():
    class Broken(keras.utils.Sequence):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            raise KeyError(f"no batch {index}")

    enqueuer = keras.utils.OrderedEnqueuer(Broken())
    enqueuer.start(workers=2)
    with pytest.raises(KeyError, match="no batch 0"):
        next(enqueuer.get())
    assert not enqueuer.is_running()


def test_generator_enqueuer_drains_a_finite_generator():
    enqueuer = keras.utils.GeneratorEnqueuer(iter(range(20)))
    enqueuer.start(workers=1, max_queue_size=4)
    assert list(enqueuer.get()) == list(range(20))
    assert not enqueuer.is_running()

    class Safe:
        """A thread-safe iterator, as several thread workers need."""

        def __init__(self):
            self.lock, self.source = threading.Lock(), iter(range(30))

        def __next__(self):
            with self.lock:
                return next(self.source)

    enqueuer = keras.utils.GeneratorEnqueuer(Safe(), use_multiprocessing=False)
    enqueuer.start(workers=3)
    assert sorted(enqueuer.get()) == list(range(30))


def test_sequence_enqueuer_base_needs_a_subclass():
    with pytest.raises(NotImplementedError):
        next(keras.utils.SequenceEnqueuer(_Squares()).get())


def test_disabled_interactive_logging_sends_fit_output_to_the_absl_logger(capsys, caplog):
    assert keras.utils.is_interactive_logging_enabled()
    keras.utils.disable_interactive_logging()
    try:
        assert not keras.utils.is_interactive_logging_enabled()
        with caplog.at_level("INFO", logger="absl"):
            _model(keras).fit(X, Y, batch_size=5, epochs=2, verbose=2)
    finally:
        keras.utils.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    messages = [r.getMessage() for r in caplog.records if r.name == "absl"]
    assert messages[0] == "Epoch 1/2" and "loss:" in messages[1]
    _model(keras).fit(X, Y, batch_size=5, epochs=2, verbose=2)
    assert capsys.readouterr().out.startswith("Epoch 1/2\n")


def test_interactive_logging_is_per_thread():
    keras.utils.disable_interactive_logging()
    try:
        seen = []
        worker = threading.Thread(
            target=lambda: seen.append(keras.utils.is_interactive_logging_enabled())
        )
        worker.start()
        worker.join()
        assert seen == [True]
    finally:
        keras.utils.enable_interactive_logging()
