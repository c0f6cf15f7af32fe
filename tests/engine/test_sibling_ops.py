"""Independent nodes of a sibling op (the fused recurrent ops) run at once when a traced
graph is compiled: the pairing keeps every value and moves no node with an effect."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine.fusion import pair_siblings
from tensorflux.ops import lstm_ops

RNG = np.random.default_rng(11)
BATCH, STEPS, FEATURES, UNITS = 3, 5, 4, 6


@pytest.fixture
def two_threads():
    tf.config.threading.set_intra_op_parallelism_threads(2)
    yield
    tf.config.threading.set_intra_op_parallelism_threads(0)


def _weights():
    return [
        tf.constant(RNG.standard_normal(shape).astype(np.float32) * 0.4)
        for shape in ((FEATURES, 4 * UNITS), (UNITS, 4 * UNITS), (4 * UNITS,))
    ]


X = tf.constant(RNG.standard_normal((BATCH, STEPS, FEATURES)).astype(np.float32))
MASK = tf.constant(np.arange(STEPS)[None, :] < np.array([5, 3, 1])[:, None])
ZEROS = tf.zeros((BATCH, UNITS))
FIRST, SECOND = _weights(), _weights()


def _lstm(x, weights, go_backwards=False):
    return lstm_ops.fused_lstm(x, ZEROS, ZEROS, MASK, *weights, go_backwards=go_backwards)


def _paired(fn, *args) -> list:
    """The plan's nodes that run two fused LSTMs (or their gradients) at once."""
    nodes = fn.get_concrete_function(*args)._nodes
    return [n for n in pair_siblings(nodes) if n.op is not None and n not in nodes]


def test_two_directions_and_their_gradients_run_as_pairs_with_the_eager_values(two_threads):
    def directions(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            forward, _, _ = _lstm(x, FIRST)
            backward, _, _ = _lstm(x, SECOND, go_backwards=True)
            loss = tf.reduce_sum(forward * 1.5) + tf.reduce_sum(backward**2)
        return loss, tape.gradient(loss, x)

    traced = tf.function(directions)
    expected_loss, expected_dx = directions(X)
    loss, dx = traced(X)
    np.testing.assert_allclose(loss.numpy(), expected_loss.numpy(), rtol=1e-5)
    np.testing.assert_allclose(dx.numpy(), expected_dx.numpy(), rtol=1e-5, atol=1e-6)
    pairs = _paired(traced, X)
    assert [(n.op.name, len(n.outputs)) for n in pairs] == [
        ("FusedLSTM", 14),
        ("FusedLSTMGrad", 12),
    ]


def test_nodes_reading_the_first_sibling_move_after_the_pair(two_threads):
    def interleaved(x):
        first, _, c = _lstm(x, FIRST)
        reads_first = tf.reduce_sum(first) + tf.reduce_sum(c)
        doubled = x * 2.0
        second, _, _ = _lstm(doubled, SECOND, go_backwards=True)
        return reads_first, tf.reduce_mean(second)

    traced = tf.function(interleaved)
    for got, expected in zip(traced(X), interleaved(X)):
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5)
    traced_nodes = traced.get_concrete_function(X)._nodes
    nodes = pair_siblings(traced_nodes)
    (pair,) = [n for n in nodes if n not in traced_nodes]
    assert _in_dependency_order(nodes)
    reads = [n for n in nodes if n.op is not None and n.op.name == "Sum"]
    assert all(nodes.index(n) > nodes.index(pair) for n in reads[:2])


def _in_dependency_order(nodes) -> bool:
    producer = {s: i for i, n in enumerate(nodes) for s in n.outputs}
    return all(producer.get(s, -1) < i for i, n in enumerate(nodes) for s in n.inputs)


def test_a_sibling_that_reads_the_first_is_not_paired(two_threads):
    def stacked(x):
        first, _, _ = _lstm(x, FIRST)
        second, _, _ = _lstm(first[..., :FEATURES], SECOND)
        return second

    traced = tf.function(stacked)
    np.testing.assert_allclose(traced(X).numpy(), stacked(X).numpy(), rtol=1e-5, atol=1e-6)
    assert _paired(traced, X) == []


def test_an_effect_that_reads_the_first_sibling_keeps_the_order(two_threads):
    total = tf.Variable(0.0)

    @tf.function
    def with_effect(x):
        first, _, _ = _lstm(x, FIRST)
        total.assign(tf.reduce_sum(first))
        second, _, _ = _lstm(x, SECOND, go_backwards=True)
        return tf.reduce_sum(second) + total.read_value()

    got = with_effect(X).numpy()
    first, _, _ = _lstm(X, FIRST)
    second, _, _ = _lstm(X, SECOND, go_backwards=True)
    np.testing.assert_allclose(total.numpy(), tf.reduce_sum(first).numpy(), rtol=1e-5)
    expected = (tf.reduce_sum(second) + tf.reduce_sum(first)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert _paired(with_effect, X) == []


def test_random_numbers_drawn_from_the_first_sibling_keep_their_place(two_threads):
    @tf.function
    def with_samples(x):
        first, h, _ = _lstm(x, FIRST)
        drawn = tf.random.categorical(h, 4)
        second, _, _ = _lstm(x, SECOND, go_backwards=True)
        return drawn, tf.random.categorical(second[:, -1], 4)

    drawn, more = with_samples(X)
    assert drawn.shape == (BATCH, 4) and more.shape == (BATCH, 4)
    assert _paired(with_samples, X) == []


@pytest.mark.parametrize("layer", ["SimpleRNN", "GRU", "LSTM"])
def test_a_bidirectional_layer_trains_as_it_does_one_direction_at_a_time(two_threads, layer):
    def trained(inter_op):
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
        tf.keras.utils.set_random_seed(3)
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Embedding(20, 4, mask_zero=True),
                tf.keras.layers.Bidirectional(getattr(tf.keras.layers, layer)(5)),
                tf.keras.layers.Dense(1),
            ]
        )
        model.compile(optimizer="adam", loss="mse")
        tokens = np.random.default_rng(0).integers(1, 20, (16, 7))
        tokens[:8, 5:] = 0
        model.fit(tokens, np.linspace(0, 1, 16), batch_size=8, epochs=2, verbose=0)
        return model.get_weights(), model.predict(tokens, verbose=0)

    try:
        weights, predictions = trained(0)
        one_at_a_time, expected = trained(1)
    finally:
        tf.config.threading.set_inter_op_parallelism_threads(0)
    for got, want in zip(weights, one_at_a_time):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(predictions, expected, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("backend", ["auto", "reference"])
def test_only_backend_kernels_run_side_by_side(two_threads, monkeypatch, backend):
    from tensorflux import kernels
    from tensorflux.kernels import threads

    calls = []

    def spy(fns):
        calls.append(len(fns))
        return [fn() for fn in fns]

    monkeypatch.setattr(threads, "side_by_side", spy)

    @tf.function
    def directions(x):
        return _lstm(x, FIRST)[0], _lstm(x, SECOND, go_backwards=True)[0]

    kernels.set_kernel_backend(backend)
    try:
        forward, backward = directions(X)
    finally:
        kernels.set_kernel_backend("auto")
    np.testing.assert_allclose(forward.numpy(), _lstm(X, FIRST)[0].numpy(), rtol=1e-5)
    np.testing.assert_allclose(
        backward.numpy(), _lstm(X, SECOND, go_backwards=True)[0].numpy(), rtol=1e-5
    )
    on_backend = backend == "auto" and kernels.get_op_kernel_backend("FusedLSTM") != "reference"
    assert calls == ([2] if on_backend else [])
