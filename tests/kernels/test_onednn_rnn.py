"""oneDNN kernels of the fused recurrent ops (FusedLSTM, FusedGRU, FusedSimpleRNN and
their gradients) against the NumPy reference kernels on a table of cases, the masks
they take, and the cases left to the reference."""

import gc
import platform
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux import kernels
from tensorflux.kernels import Unsupported
from tensorflux.kernels.onednn import _library, support
from tensorflux.ops import lstm_ops
from tensorflux.ops.rnn_common import resolve_saved, step_mask

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() == "x86_64"),
    reason="the oneDNN backend is installed on Linux x86-64 only",
)

OPS = ("FusedLSTM", "FusedLSTMGrad", "FusedGRU", "FusedGRUGrad")
OPS += ("FusedSimpleRNN", "FusedSimpleRNNGrad")

# op -> (gates, number of states, bias shape for `units`)
CELLS = {
    "FusedLSTM": (4, 2, lambda u: (4 * u,)),
    "FusedGRU": (3, 1, lambda u: (2, 3 * u)),
    "FusedSimpleRNN": (1, 1, lambda u: (u,)),
}


@pytest.fixture(autouse=True)
def _small_simple_rnns_on_onednn(monkeypatch):
    """The cases here are small: let oneDNN take SimpleRNNs of any size."""
    monkeypatch.setattr(support, "_SMALL_SIMPLE_RNN", 0)


def _rnn():
    if _library.library() is None:
        pytest.fail(f"libdnnl did not load: {_library.load_error()}")
    from tensorflux.kernels.onednn import rnn

    return rnn


def _mask(kind, batch, steps, rng):
    lengths = rng.integers(0, steps + 1, batch)
    lengths[0] = 0  # a sequence with no valid step
    lengths[-1] = steps
    if kind == "short":  # padding in every sequence: oneDNN runs fewer steps
        lengths = np.minimum(lengths, steps - 2)
        kind = "post"
    pos = np.arange(steps)[None]
    if kind == "post":  # padding after the tokens
        return (pos < lengths[:, None]).astype(np.float32)
    if kind == "pre":  # padding before them (pad_sequences' default)
        return (pos >= (steps - lengths)[:, None]).astype(np.float32)
    return np.ones((batch, steps), np.float32)


def _call(op, batch, steps, features, units, mask_kind, seed, zero_states=False, **attrs):
    gates, n_states, bias_shape = CELLS[op]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, steps, features)).astype(np.float32)
    states = [rng.standard_normal((batch, units)).astype(np.float32) for _ in range(n_states)]
    if zero_states:  # a layer's default, where the outputs can share the states' array
        states = [np.zeros_like(s) for s in states]
    kernel = (rng.standard_normal((features, gates * units)) * 0.4).astype(np.float32)
    recurrent = (rng.standard_normal((units, gates * units)) * 0.4).astype(np.float32)
    bias = (rng.standard_normal(bias_shape(units)) * 0.4).astype(np.float32)
    args = (x, *states, _mask(mask_kind, batch, steps, rng), kernel, recurrent, bias)
    d_outputs = rng.standard_normal((batch, steps, units)).astype(np.float32)
    d_states = [rng.standard_normal((batch, units)).astype(np.float32) for _ in states]
    return args, (d_outputs, *d_states), attrs


def _close(actual, expected, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype, what
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5 * scale, err_msg=what)


def _kernels(rnn, op):
    name = {"FusedLSTM": "lstm", "FusedGRU": "gru", "FusedSimpleRNN": "simple_rnn"}[op]
    return getattr(rnn, f"fused_{name}"), getattr(rnn, f"fused_{name}_grad")


CASES = [
    (op, mask_kind, go_backwards, zero_output, False)
    for op in CELLS
    for mask_kind in ("none", "post", "pre")
    for go_backwards in (False, True)
    for zero_output in (False, True)
]
CASES += [(op, "pre", True, zero_output, True) for op in CELLS for zero_output in (False, True)]
CASES += [(op, "short", backwards, False, False) for op in CELLS for backwards in (False, True)]


def _uneven_pieces(runs):
    """Each length bucket in uneven pieces on three threads, whatever the machine's
    thread budget."""
    rnn = _rnn()
    pieces, offset = [], 0
    for lo, hi, steps in runs.buckets:
        cuts = sorted({lo, min(lo + 1, hi), (lo + hi) // 2, hi})
        for worker, (a, b) in enumerate(zip(cuts[:-1], cuts[1:])):
            pieces.append(rnn._Piece(worker, a, b, steps, offset + (a - lo) * steps))
        offset += (hi - lo) * steps
    return pieces


@pytest.mark.parametrize("split", ["whole", "pieces", "buckets"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_forward_and_gradient_match_the_reference(case, split, monkeypatch):
    rnn = _rnn()
    if split != "whole":
        monkeypatch.setattr(rnn, "_pieces", _uneven_pieces)
    if split == "buckets":  # sequences sorted into buckets of 2 rows
        monkeypatch.setattr(rnn, "_BUCKET_ROWS", 2)
    op, mask_kind, go_backwards, zero_output, zero_states = case
    args, grads, attrs = _call(
        op, 6, 7, 3, 5, mask_kind, len(str(case)), zero_states, go_backwards=go_backwards,
        zero_output_for_mask=zero_output,
    )  # fmt: skip
    supports = getattr(support, "fused_" + _kernels(rnn, op)[0].__name__[6:] + "_supports")
    assert supports(*args, **attrs)
    forward, backward = _kernels(rnn, op)
    expected = kernels.reference_kernel(op)(*args, **attrs)
    got = forward(*args, **attrs)
    n_final = CELLS[op][1]
    for i in range(1 + n_final):
        _close(got[i], expected[i], f"output {i}")
    saved = got[1 + n_final :]
    filled = next((f for f in map(resolve_saved, saved) if f is not None), saved)
    for i, (a, e) in enumerate(zip(filled, expected[1 + n_final :], strict=True)):
        _close(a, e, f"saved array {i}")

    want = kernels.reference_kernel(op + "Grad")(*args, *expected[1 + n_final :], *grads, **attrs)
    for i, (a, e) in enumerate(zip(backward(*args, *saved, *grads, **attrs), want, strict=True)):
        _close(a, e, f"gradient {i}")
    # Only the final states used: the outputs' gradient is zeros.
    no_outputs = (np.zeros_like(grads[0]), *grads[1:])
    want_final = kernels.reference_kernel(op + "Grad")(
        *args, *expected[1 + n_final :], *no_outputs, **attrs
    )
    for i, (a, e) in enumerate(zip(backward(*args, *saved, *no_outputs, **attrs), want_final)):
        _close(a, e, f"gradient {i} of the final states alone")
    # A layer's result read as its last output: the outputs' gradient is zeros before.
    last_only = np.zeros_like(grads[0])
    last_only[:, -1] = grads[0][:, -1]
    last_grads = (last_only, *grads[1:])
    want_last = kernels.reference_kernel(op + "Grad")(
        *args, *expected[1 + n_final :], *last_grads, **attrs
    )
    for i, (a, e) in enumerate(zip(backward(*args, *saved, *last_grads, **attrs), want_last)):
        _close(a, e, f"gradient {i} with the last output's")
    # The reference gradient after the oneDNN forward fills the placeholders itself.
    after = kernels.reference_kernel(op + "Grad")(*args, *saved, *grads, **attrs)
    for i, (a, e) in enumerate(zip(after, want, strict=True)):
        _close(a, e, f"reference gradient {i} on oneDNN's saved outputs")


def _padded_runs(batch, steps, seed):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(steps // 5, steps + 1, batch)
    mask = (np.arange(steps)[None] < lengths[:, None]).astype(np.float32)
    x = np.zeros((batch, steps, 2), np.float32)
    return _rnn()._runs(step_mask(mask, False), x, False), lengths


def test_sequences_of_similar_lengths_run_in_the_same_bucket():
    rnn = _rnn()
    runs, lengths = _padded_runs(64, 100, 0)
    assert len(runs.buckets) > 1
    np.testing.assert_array_equal(lengths[runs.order], np.sort(lengths)[::-1])
    starts = [lo for lo, _, _ in runs.buckets]
    stops = [hi for _, hi, _ in runs.buckets]
    assert starts[0] == 0 and stops[-1] == 64 and starts[1:] == stops[:-1]
    quantum = -(-lengths.max() // rnn._LENGTH_LEVELS)
    for lo, hi, steps in runs.buckets:
        assert hi - lo >= rnn._BUCKET_ROWS
        longest = lengths[runs.order[lo:hi]].max()
        assert longest <= steps < longest + quantum or steps == lengths.max()
    assert runs.rows == sum((hi - lo) * steps for lo, hi, steps in runs.buckets)
    assert runs.rows < 0.8 * 64 * lengths.max()
    # A sequence's rows are its bucket's, in its sorted position.
    for position, b in enumerate(runs.order):
        lo, _, steps = next(bucket for bucket in runs.buckets if bucket[0] <= position < bucket[1])
        assert runs.lengths[b] == steps
        assert runs.base[b] == runs.base[runs.order[lo]] + (position - lo) * steps


def test_sequences_of_one_length_keep_their_order():
    rnn = _rnn()
    x = np.zeros((64, 10, 2), np.float32)
    unmasked = rnn._runs(None, x, False)
    same_length = rnn._runs(step_mask(np.ones((64, 10), np.float32), False), x, False)
    for runs in (unmasked, same_length):
        assert runs.order is None and runs.buckets == [(0, 64, 10)]
        np.testing.assert_array_equal(runs.base, np.arange(64) * 10)


def test_pieces_share_the_steps_among_the_threads():
    rnn = _rnn()
    runs, _ = _padded_runs(64, 100, 2)
    tf.config.threading.set_intra_op_parallelism_threads(2)
    try:
        pieces = rnn._pieces(runs)
    finally:
        tf.config.threading.set_intra_op_parallelism_threads(0)
    load = [sum(p.work for p in pieces if p.worker == w) for w in (0, 1)]
    assert sum(load) == runs.rows
    assert max(load) <= 0.6 * runs.rows
    covered = sorted((p.offset, p.rows.stop) for p in pieces)
    assert covered[0][0] == 0 and covered[-1][1] == runs.rows
    assert all(a[1] == b[0] for a, b in zip(covered, covered[1:]))


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_simple_rnn_activations(activation):
    rnn = _rnn()
    args, grads, attrs = _call("FusedSimpleRNN", 4, 6, 3, 4, "post", 3, activation=activation)
    expected = kernels.reference_kernel("FusedSimpleRNN")(*args, **attrs)
    got = rnn.fused_simple_rnn(*args, **attrs)
    _close(got[0], expected[0], "outputs")
    want = kernels.reference_kernel("FusedSimpleRNNGrad")(*args, *expected[2:], *grads, **attrs)
    for a, e in zip(rnn.fused_simple_rnn_grad(*args, *got[2:], *grads, **attrs), want):
        _close(a, e, "gradient")


def test_the_lstm_cell_state_passes_a_tail_unchanged():
    rnn = _rnn()
    args, grads, attrs = _call("FusedLSTM", 5, 9, 4, 6, "post", 11)
    x, h0, c0, mask = args[:4]
    _, h, c = rnn.fused_lstm(*args)[:3]
    empty = mask.sum(axis=1) == 0
    assert empty.any()
    np.testing.assert_array_equal(c[empty], c0[empty])
    np.testing.assert_array_equal(h[empty], h0[empty])
    # A cell-state gradient reaches the initial state of an empty sequence unchanged.
    saved = rnn.fused_lstm(*args)[3:]
    dc0 = rnn.fused_lstm_grad(*args, *saved, *grads)[2]
    np.testing.assert_array_equal(dc0[empty], grads[2][empty])


def test_masks_with_holes_and_non_finite_masked_inputs_run_the_reference():
    rnn = _rnn()
    args, grads, attrs = _call("FusedLSTM", 4, 6, 3, 4, "none", 5)
    holes = args[3].copy()
    holes[1, 2] = 0.0
    with_holes = (*args[:3], holes, *args[4:])
    with pytest.raises(Unsupported):
        rnn.fused_lstm(*with_holes)
    x = args[0].copy()
    masked = _mask("post", 4, 6, np.random.default_rng(0))
    x[masked == 0] = np.nan
    with pytest.raises(Unsupported):
        rnn.fused_lstm(x, *args[1:3], masked, *args[4:])
    # Through the op, both give the reference kernel's result.
    for call in (with_holes, (x, *args[1:3], masked, *args[4:])):
        expected = kernels.reference_kernel("FusedLSTM")(*call)
        for a, e in zip(lstm_ops.fused_lstm(*call), expected[:3]):
            np.testing.assert_array_equal(a.numpy(), e)


def test_small_simple_rnns_stay_on_the_reference_kernel(monkeypatch):
    monkeypatch.setattr(support, "_SMALL_SIMPLE_RNN", 1 << 18)
    small, _, _ = _call("FusedSimpleRNN", 100, 28, 3, 50, "none", 1)
    large, _, _ = _call("FusedSimpleRNN", 100, 28, 3, 100, "none", 1)
    assert not support.fused_simple_rnn_supports(*small)
    assert support.fused_simple_rnn_supports(*large)


def test_a_batch_without_valid_steps_runs_the_reference():
    rnn = _rnn()
    args, _, _ = _call("FusedGRU", 3, 4, 2, 3, "none", 2)
    empty = np.zeros_like(args[2])
    with pytest.raises(Unsupported, match="no sequence"):
        rnn.fused_gru(*args[:2], empty, *args[3:])


def test_calls_over_the_memory_budget_run_the_reference(monkeypatch):
    rnn = _rnn()
    args, grads, attrs = _call("FusedGRU", 3, 5, 2, 4, "none", 7)
    monkeypatch.setattr(rnn, "_MEMORY_BUDGET", 1024)
    with pytest.raises(Unsupported, match="MiB"):
        rnn.fused_gru(*args)


def test_the_gradient_reuses_the_forward_workspace_while_the_outputs_live():
    rnn = _rnn()
    args, grads, attrs = _call("FusedGRU", 3, 5, 2, 4, "post", 8)
    outputs = rnn.fused_gru(*args)
    key = (rnn._GRU.key(), False)
    assert rnn._workspaces.find(args[0], outputs[3], key) is not None
    gates_id = id(outputs[3])
    workspaces = [p.workspace for p in rnn._workspaces.find(args[0], outputs[3], key)[-1]]
    del outputs
    gc.collect()
    assert gates_id not in rnn._workspaces.entries
    # The next call of the same size writes the freed workspace again.
    again = rnn.fused_gru(*args)
    reused = [p.workspace for p in rnn._workspaces.find(args[0], again[3], key)[-1]]
    assert all(a is b for a, b in zip(reused, workspaces, strict=True))


@pytest.mark.parametrize(
    "op, change",
    [
        ("FusedLSTM", {"activation": "relu"}),
        ("FusedLSTM", {"recurrent_activation": "hard_sigmoid"}),
        ("FusedLSTM", {"dtype": np.float64}),
        ("FusedGRU", {"reset_after": False}),
        ("FusedGRU", {"activation": "relu"}),
        ("FusedSimpleRNN", {"activation": "elu"}),
        ("FusedSimpleRNN", {"dtype": np.float16}),
        ("FusedSimpleRNN", {"steps": 0}),
    ],
)
def test_cases_left_to_the_reference_kernel(op, change):
    change = dict(change)
    dtype, steps = change.pop("dtype", np.float32), change.pop("steps", 3)
    args, _, _ = _call(op, 2, max(steps, 1), 3, 4, "none", 1)
    args = tuple(a[:, :steps] if i in (0, CELLS[op][1] + 1) else a for i, a in enumerate(args))
    args = tuple(a.astype(dtype) for a in args)
    if op == "FusedGRU" and not change.get("reset_after", True):
        args = (*args[:-1], args[-1][0])
    rnn = _rnn()
    name = _kernels(rnn, op)[0].__name__[6:]
    assert not getattr(support, f"fused_{name}_supports")(*args, **change)


def _layers():
    return {
        "lstm": lambda: tf.keras.layers.LSTM(6, return_sequences=True),
        "bidirectional": lambda: tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(5)),
        "gru": lambda: tf.keras.layers.GRU(6, return_state=True),
        "simple_rnn": lambda: tf.keras.layers.SimpleRNN(4, go_backwards=True),
    }


@pytest.mark.parametrize("name", list(_layers()))
def test_keras_layers_dispatch_to_onednn_eagerly_and_in_functions(name, monkeypatch):
    rnn = _rnn()
    runs = []
    forward = rnn._forward
    monkeypatch.setattr(rnn, "_forward", lambda *a: runs.append(1) or forward(*a))
    for op in OPS:
        assert tf.config.experimental.get_op_kernel_backend(op) == "onednn"
    rng = np.random.default_rng(4)
    tokens = rng.integers(1, 9, (5, 7))
    tokens[1, 4:] = 0
    tokens[3, 2:] = 0
    embed = tf.keras.layers.Embedding(9, 3, mask_zero=True)
    layer = _layers()[name]()
    layer(embed(tokens))

    def step(tokens):
        with tf.GradientTape() as tape:
            outputs = tf.nest.flatten(layer(embed(tokens)))
            loss = sum(tf.reduce_sum(o * o) for o in outputs)
        return outputs, tape.gradient(loss, layer.trainable_weights + embed.trainable_weights)

    eager = step(tokens)
    traced = tf.function(step)(tokens)
    assert runs, "oneDNN did not run"
    kernels.set_kernel_backend("reference")
    try:
        reference = step(tokens)
    finally:
        kernels.set_kernel_backend("auto")
    for got in (eager, traced):
        for a, e in zip(tf.nest.flatten(got), tf.nest.flatten(reference), strict=True):
            _close(tf.convert_to_tensor(a).numpy(), tf.convert_to_tensor(e).numpy(), name)
