"""DataHandler: batching, packing, shuffling, steps streams, class weights, splits."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.trainers.data_adapter import (
    DataHandler,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)


def _epochs(handler, epochs):
    return [
        [np.asarray(b[0] if isinstance(b, tuple) else b)[:, 0].tolist() for b in handler.batches()]
        for _ in range(epochs)
    ]


X = np.arange(10, dtype=np.float32).reshape(10, 1)


def test_batches_are_packed_as_keras_packs_them():
    x_only = next(DataHandler(X, batch_size=4).batches())
    assert isinstance(x_only, tf.Tensor) and x_only.shape == (4, 1)
    x, y = next(DataHandler(X, X[:, 0], batch_size=4).batches())
    assert y.shape == (4,)
    assert len(next(DataHandler(X, X, np.ones(10), batch_size=4).batches())) == 3
    assert pack_x_y_sample_weight((X, X)) == ((X, X),)
    assert unpack_x_y_sample_weight(pack_x_y_sample_weight(X, X)) == (X, X, None)
    (two_inputs,) = next(DataHandler([X, X], batch_size=4).batches())
    assert isinstance(two_inputs, list) and len(two_inputs) == 2


def test_arrays_batch_in_order_with_a_short_last_batch():
    handler = DataHandler(X, batch_size=4)
    assert handler.steps_per_epoch == 3
    assert _epochs(handler, 1) == [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]]


def test_floating_arrays_become_float32_and_ints_stay():
    x, y = next(DataHandler(X.astype(np.float64), np.arange(10), batch_size=10).batches())
    assert x.dtype == tf.float32 and y.dtype == tf.int64


def test_shuffle_permutes_each_epoch_and_batch_shuffle_keeps_batches():
    tf.random.set_seed(1)
    epochs = _epochs(DataHandler(X, batch_size=4, shuffle=True), 2)
    assert all(sorted(sum(e, [])) == list(range(10)) for e in epochs)
    assert epochs[0] != epochs[1]
    tf.random.set_seed(1)
    batches = _epochs(DataHandler(X, batch_size=5, shuffle="batch"), 1)[0]
    assert sorted(sorted(b) for b in batches) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_batch_shuffle_permutes_each_array_of_a_batch_on_its_own():
    # tf_keras: the batches are the runs of batch_size samples in their order, the
    # batch order is reshuffled each epoch, and x, y and the sample weights of a batch
    # each get their own tf.random.shuffle (recorded against TF in
    # keras_random_cases.keras_fit_batch_shuffle_batches).
    tf.random.set_seed(3)
    handler = DataHandler(X, X[:, 0] + 100, np.arange(10.0), batch_size=3, shuffle="BATCH")
    epochs = []
    for _ in range(2):
        epochs.append([[np.asarray(a).reshape(-1).tolist() for a in b] for b in handler.batches()])
    for epoch in epochs:
        runs = sorted(sorted(x) for x, _, _ in epoch)
        assert runs == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
        for x, y, w in epoch:
            assert sorted(y) == [v + 100 for v in sorted(x)] and sorted(w) == sorted(x)
    # TF's numbers under tf.random.set_seed(3): batch order [1, 2, 3, 0], then [0, 1, 3, 2].
    assert [x for x, _, _ in epochs[0]] == [[4, 3, 5], [6, 8, 7], [9], [2, 0, 1]]
    assert [y for _, y, _ in epochs[0]] == [
        [104, 105, 103],
        [107, 108, 106],
        [109],
        [100, 102, 101],
    ]
    assert [x for x, _, _ in epochs[1]] == [[0, 2, 1], [5, 3, 4], [9], [8, 6, 7]]


def test_shuffle_follows_the_global_seed():
    tf.random.set_seed(7)
    first = _epochs(DataHandler(X, batch_size=4, shuffle=True), 1)
    tf.random.set_seed(7)
    assert _epochs(DataHandler(X, batch_size=4, shuffle=True), 1) == first


def test_steps_per_epoch_cuts_one_stream_of_repeated_passes():
    handler = DataHandler(X, batch_size=4, steps_per_epoch=2, epochs=3)
    assert _epochs(handler, 3) == [
        [[0, 1, 2, 3], [4, 5, 6, 7]],
        [[8, 9], [0, 1, 2, 3]],
        [[4, 5, 6, 7], [8, 9]],
    ]
    assert not handler.insufficient_data
    short = DataHandler(X, batch_size=4, steps_per_epoch=4, epochs=1)
    assert len(_epochs(short, 1)[0]) == 3 and short.insufficient_data


def test_generator_length_is_learnt_and_running_out_is_flagged():
    def generator():
        for i in range(0, 10, 5):
            yield X[i : i + 5], X[i : i + 5]

    handler = DataHandler(generator())
    assert handler.steps_per_epoch is None
    assert len(_epochs(handler, 1)[0]) == 2 and handler.steps_per_epoch == 2
    assert _epochs(handler, 1) == [[]] and handler.insufficient_data


def test_dataset_cardinality_gives_the_steps():
    dataset = tf.data.Dataset.from_tensor_slices((X, X)).batch(3)
    handler = DataHandler(dataset)
    assert handler.steps_per_epoch == 4
    assert _epochs(handler, 2)[1] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]


def test_class_weight_becomes_sample_weight():
    y = np.array([0, 1, 2, 1, 0])
    _, _, weights = next(
        DataHandler(X[:5], y, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, batch_size=5).batches()
    )
    np.testing.assert_allclose(weights.numpy(), [1.0, 2.0, 0.5, 2.0, 1.0])
    one_hot = np.eye(3, dtype=np.float32)[y]
    _, _, weights = next(
        DataHandler(
            X[:5],
            one_hot,
            sample_weight=np.full(5, 2.0),
            class_weight={0: 1.0, 1: 2.0, 2: 0.5},
            batch_size=5,
        ).batches()
    )
    np.testing.assert_allclose(weights.numpy(), [2.0, 4.0, 1.0, 4.0, 2.0])


def test_nested_inputs_are_sliced_together():
    x = {"a": X, "b": [X * 2, X * 3]}
    batch_x, _ = next(DataHandler(x, X, batch_size=4).batches())
    assert batch_x["b"][1].numpy()[:, 0].tolist() == [0, 3, 6, 9]


def test_validation_split_holds_out_the_last_samples():
    (x, y, sw), (vx, vy, vsw) = train_validation_split((X, X[:, 0], None), 0.3)
    assert x[:, 0].tolist() == list(range(7)) and vy.tolist() == [7, 8, 9]
    assert sw is None and vsw is None


@pytest.mark.parametrize(
    "kwargs, error, fragment",
    [
        ({"x": X, "batch_size": 0}, ValueError, "Expected batch_size to be positive"),
        ({"x": X, "y": X[:9]}, ValueError, "x sizes: 10\n  y sizes: 9"),
        ({"x": X, "y": X, "sample_weight": np.ones(8)}, ValueError, "sample_weight sizes: 8"),
        ({"x": None}, TypeError, "x=None"),
        ({"x": X, "y": np.zeros(10), "class_weight": {1: 2.0}}, ValueError, "keys from 0"),
    ],
)
def test_errors(kwargs, error, fragment):
    with pytest.raises(error) as info:
        DataHandler(**kwargs)
    assert fragment in str(info.value)


def test_dataset_rejects_sample_weight():
    dataset = tf.data.Dataset.from_tensor_slices((X, X)).batch(3)
    with pytest.raises(ValueError, match="`sample_weight` argument is not supported"):
        DataHandler(dataset, sample_weight=np.ones(10))
