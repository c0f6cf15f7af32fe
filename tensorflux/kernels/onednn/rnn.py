"""oneDNN kernels for the fused recurrent ops on float32: ``FusedLSTM``, ``FusedGRU``
(``reset_after``: oneDNN's linear-before-reset GRU) and ``FusedSimpleRNN``, and their
gradients, with the activations oneDNN's cells have (see ``support``).

oneDNN's cells are Keras': LSTM gates i, f, c, o and GRU gates z, r, h in Keras'
order, and its ``ldigo`` weights are a Keras kernel (input, gates * units) as it lies.
oneDNN runs the whole time loop, forward and backward, in compiled code; the
reference kernels run a NumPy step per time step.

oneDNN knows no masks. A mask whose valid steps are one run per sequence (padding
after the tokens, or before them) is handled by moving each sequence's run to the
start, so that oneDNN steps through every sequence from its initial state; a
sequence's last state is then oneDNN's state after the run's last step. The LSTM's
cell state is only given at oneDNN's last step, so the steps after a run (its tail)
get one extra input feature, 1 there and 0 elsewhere, whose kernel row saturates the
input gate to 0 (within 2e-22) and the forget gate to exactly 1: the cell state passes
through the tail unchanged, and so does its gradient. Tail steps see zero inputs and
send no gradient anywhere else. Any other mask runs the reference kernel. oneDNN runs
only as many steps as the longest run, on batch-major arrays, and a batch is split
into pieces run side by side (see ``_MIN_PIECE_ROWS``).

The ops' saved outputs are for the reference gradients. oneDNN's gradient reads its
training workspace instead (kept while the saved output lives; a gradient call
without it runs the forward primitive again), so the saved outputs are placeholders,
filled by the reference forward kernel only if the reference gradient runs after all
(``rnn_common.defer_saved``).
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from tensorflux.kernels import Unsupported, threads
from tensorflux.kernels.onednn import _library as L
from tensorflux.kernels.onednn.plans import WorkspaceTable, cached_plan
from tensorflux.ops.rnn_common import defer_saved, step_mask

__all__ = [
    "fused_lstm",
    "fused_lstm_grad",
    "fused_gru",
    "fused_gru_grad",
    "fused_simple_rnn",
    "fused_simple_rnn_grad",
]

_workspaces = WorkspaceTable()
# oneDNN's recurrent primitives keep every step's gates and states, padded, in their
# workspace and scratchpad: about 35 times the (time, batch, units) outputs for a GRU
# (a GRU(1024) over 100 steps of 64 sequences: 0.9 GB), where the reference kernels
# keep 5 times. Calls that would need more than this run the reference kernels.
_MEMORY_BUDGET = 1 << 30
# How far past the largest possible recurrent pre-activation the tail feature drives
# the LSTM's input and forget gates: sigmoid(50) is 1 in float32, sigmoid(-50) is
# 2e-22, which changes no cell state above 1e-14 and keeps oneDNN's arithmetic clear of
# the denormals (and their slow paths) that saturating further would produce.
_SATURATION_MARGIN = 50.0
# Rows of the batch each oneDNN call gets at least. A batch is split into pieces, one
# per thread, each run by a one-thread primitive: a recurrent primitive meets its
# threads at a barrier several times per step, and with another process on the cores
# a two-thread LSTM forward (batch 64, 100 steps) took 120 ms where two one-thread
# halves side by side took 14 ms (quiet, both about 9 ms).
_MIN_PIECE_ROWS = 8
# Keras activation -> oneDNN eltwise algorithm, for the vanilla RNN cell.
_SIMPLE_RNN_ALGORITHMS = {
    "tanh": L.ELTWISE_TANH,
    "relu": L.ELTWISE_RELU,
    "sigmoid": L.ELTWISE_LOGISTIC,
}


class _Cell:
    """What differs between oneDNN's recurrent primitives: the number of gates (and of
    bias gates), whether there is a cell state, and how the primitive descriptors are
    made (``activation``: the vanilla cell's eltwise algorithm)."""

    def __init__(self, name, gates, bias_gates, with_c, activation=None):
        self.name, self.gates, self.bias_gates = name, gates, bias_gates
        self.with_c, self.activation = with_c, activation

    def key(self):
        return (self.name, self.activation)

    def forward_pd(self, b, d):
        lib, s = b.lib, d["state"]
        head = (L.engine(), L.FORWARD_TRAINING)
        layer = (d["src"], s, s) if self.with_c else (d["src"], s)
        weights = (d["w_any"], d["r_any"])
        tail = (d["bias"], d["dst"], s, s) if self.with_c else (d["bias"], d["dst"], s)
        if self.name == "lstm":
            create = lib.dnnl_lstm_forward_primitive_desc_create
            args = (*head, L.RNN_LEFT2RIGHT, *layer, *weights, None, None, *tail, 0)
        elif self.name == "lbr_gru":
            create = lib.dnnl_lbr_gru_forward_primitive_desc_create
            args = (*head, L.RNN_LEFT2RIGHT, *layer, *weights, *tail, 0)
        else:
            create = lib.dnnl_vanilla_rnn_forward_primitive_desc_create
            args = (*head, self.activation, L.RNN_LEFT2RIGHT, *layer, *weights, *tail, 0, 0, 0)
        return b.pd(create, *args, b.attr(), what=f"{self.name} forward")

    def backward_pd(self, b, d, hint):
        lib, s = b.lib, d["state"]
        states = (s, s) if self.with_c else (s,)
        weights = (d["w_any"], d["r_any"])
        extra = (None, None) if self.name == "lstm" else ()
        fwd = (d["src"], *states, *weights, *extra, d["bias"], d["dst"], *states)
        flags = L.RNN_DIFF_WEIGHTS_OVERWRITE
        if self.name == "lstm":
            create = lib.dnnl_lstm_backward_primitive_desc_create
            args = (L.engine(), L.BACKWARD, L.RNN_LEFT2RIGHT, *fwd, *fwd, flags, hint)
        elif self.name == "lbr_gru":
            create = lib.dnnl_lbr_gru_backward_primitive_desc_create
            args = (L.engine(), L.BACKWARD, L.RNN_LEFT2RIGHT, *fwd, *fwd, flags, hint)
        else:
            create = lib.dnnl_vanilla_rnn_backward_primitive_desc_create
            head = (L.engine(), L.BACKWARD, self.activation, L.RNN_LEFT2RIGHT)
            args = (*head, *fwd, *fwd, flags, 0, 0, hint)
        return b.pd(create, *args, b.attr(), what=f"{self.name} backward")


_LSTM = _Cell("lstm", 4, 4, True)
_GRU = _Cell("lbr_gru", 3, 4, False)


def _descs(b, cell, steps, batch, features, units):
    g = cell.gates
    return {
        "src": b.md((steps, batch, features), L.TAG_NTC),
        "state": b.md((1, 1, batch, units), L.TAG_LDNC),
        "w_any": b.md((1, 1, features, g, units), L.TAG_ANY),
        "r_any": b.md((1, 1, units, g, units), L.TAG_ANY),
        "w": b.md((1, 1, features, g, units), L.TAG_LDIGO),
        "r": b.md((1, 1, units, g, units), L.TAG_LDIGO),
        "bias": b.md((1, 1, cell.bias_gates, units), L.TAG_LDGO),
        "dst": b.md((steps, batch, units), L.TAG_NTC),
    }


def _arg_md(b, pd, arg):
    return b.lib.dnnl_primitive_desc_query_md(pd, L.QUERY_EXEC_ARG_MD, arg)


def _forward_args(cell, d, workspace_md):
    s = d["state"]
    args = {L.ARG_SRC: d["src"], L.ARG_SRC_ITER: s, L.ARG_BIAS: d["bias"]}
    args.update({L.ARG_DST: d["dst"], L.ARG_DST_ITER: s, L.ARG_WORKSPACE: workspace_md})
    if cell.with_c:
        args.update({L.ARG_SRC_ITER_C: s, L.ARG_DST_ITER_C: s})
    return args


def _weights_in(b, pd, d):
    return [
        (L.ARG_WEIGHTS, d["w"], _arg_md(b, pd, L.ARG_WEIGHTS)),
        (L.ARG_WEIGHTS_ITER, d["r"], _arg_md(b, pd, L.ARG_WEIGHTS_ITER)),
    ]


def _forward_plan(cell, steps, batch, features, units, slot=0):
    def build(b):
        d = _descs(b, cell, steps, batch, features, units)
        pd = cell.forward_pd(b, d)
        workspace = _arg_md(b, pd, L.ARG_WORKSPACE)
        args = _forward_args(cell, d, workspace)
        plan = b.finish(pd, args, reorders_in=_weights_in(b, pd, d), shared_scratchpad=True)
        plan.workspace_size = b.lib.dnnl_memory_desc_get_size(workspace)
        return plan

    key = ("rnn_fwd", cell.key(), steps, batch, features, units, slot, threads.current_lane())
    return cached_plan(key, build, steps * batch * units * cell.gates)


def _backward_plan(cell, steps, batch, features, units, slot=0):
    def build(b):
        d = _descs(b, cell, steps, batch, features, units)
        pd = cell.backward_pd(b, d, cell.forward_pd(b, d))
        s = d["state"]
        args = _forward_args(cell, d, _arg_md(b, pd, L.ARG_WORKSPACE))
        args.update({L.ARG_DIFF_SRC: d["src"], L.ARG_DIFF_SRC_ITER: s})
        args.update({L.ARG_DIFF_DST: d["dst"], L.ARG_DIFF_DST_ITER: s})
        args[L.ARG_DIFF_BIAS] = d["bias"]
        if cell.with_c:
            args.update({L.ARG_DIFF_SRC_ITER_C: s, L.ARG_DIFF_DST_ITER_C: s})
        out = [
            (L.ARG_DIFF_WEIGHTS, _arg_md(b, pd, L.ARG_DIFF_WEIGHTS), d["w"]),
            (L.ARG_DIFF_WEIGHTS_ITER, _arg_md(b, pd, L.ARG_DIFF_WEIGHTS_ITER), d["r"]),
        ]
        return b.finish(
            pd, args, reorders_in=_weights_in(b, pd, d), reorders_out=out, shared_scratchpad=True
        )

    key = ("rnn_bwd", cell.key(), steps, batch, features, units, slot, threads.current_lane())
    return cached_plan(key, build, steps * batch * units * cell.gates)


def _gather_steps(a, index):
    """``out[b, j] = a[b, index[b, j]]`` for a (batch, steps, n) array: one row copy
    per element of ``index`` (batch, length)."""
    batch, steps, n = a.shape
    rows = (np.arange(batch)[:, None] * steps + index).reshape(-1)
    flat = np.ascontiguousarray(a, np.float32).reshape(batch * steps, n)
    return np.take(flat, rows, axis=0).reshape(batch, index.shape[1], n)


class _Runs:
    """Where each sequence's valid steps lie in processing order: ``start`` and
    ``count`` per sequence (``start`` None: every step of every sequence is valid).
    oneDNN runs ``length`` steps, as many as the longest run, on batch-major arrays
    (batch, length, channels) holding each sequence's run first."""

    def __init__(self, m, steps: int, batch: int, go_backwards: bool):
        self.steps, self.batch, self.length = steps, batch, steps
        self.backwards = go_backwards
        self.start = self.count = None
        self.tails = False
        if m is None:
            return
        valid = m[..., 0].T
        count = valid.sum(axis=1)
        start = np.where(count > 0, valid.argmax(axis=1), 0)
        pos = np.arange(steps)
        if not np.array_equal(valid, (pos >= start[:, None]) & (pos < (start + count)[:, None])):
            raise Unsupported("the mask is not one run of valid steps per sequence")
        self.start, self.count = start, count
        self.length = int(count.max())
        if self.length == 0:
            raise Unsupported("no sequence has a valid step")
        self.tails = bool((count < self.length).any())

    @property
    def all_valid(self) -> bool:
        return self.start is None

    def _inside(self):
        """(batch, length): whether each of oneDNN's steps is a valid step."""
        return np.arange(self.length) < self.count[:, None]

    def _run_steps(self):
        """(batch, length): the processing step each of oneDNN's steps is."""
        return np.minimum(self.start[:, None] + np.arange(self.length), self.steps - 1)

    def _from_runs(self, a, to_x_order: bool):
        """(batch, length, n) in oneDNN's steps -> (batch, time, n) in processing order
        (or in x's time order), zeros at the invalid steps."""
        p = np.arange(self.steps)
        if to_x_order and self.backwards:
            p = p[::-1]
        k = p - self.start[:, None]
        out = _gather_steps(a, np.clip(k, 0, self.length - 1))
        out[(k < 0) | (k >= self.count[:, None])] = 0.0
        return out

    def to_runs(self, a):
        """(batch, time, n) in processing order -> (batch, length, n): each sequence's
        run first, zeros after it (a new C-contiguous float32 array)."""
        if self.all_valid:
            return np.array(a, np.float32, order="C")
        out = _gather_steps(a, self._run_steps())
        out[~self._inside()] = 0.0
        return out

    def inputs(self, x, tail_feature: bool):
        """oneDNN's source from x (batch, time, features): ``to_runs`` of the inputs in
        processing order, and the tail feature (1 on the steps after a run) when
        ``tail_feature`` and some sequence has a tail."""
        if self.all_valid:
            return np.ascontiguousarray(x[:, ::-1] if self.backwards else x, np.float32)
        steps = self._run_steps()
        src = _gather_steps(x, self.steps - 1 - steps if self.backwards else steps)
        inside = self._inside()
        src[~inside] = 0.0
        if not (tail_feature and self.tails):
            return src
        return np.concatenate([src, (~inside)[..., None].astype(np.float32)], axis=-1)

    def outputs(self, y, zero_output_for_mask):
        """The layer's outputs (batch, time, units) from oneDNN's states ``y``, as
        ``rnn_ops.carry_outputs`` makes them: a masked step outputs zeros, or the
        previous output (zeros before the first)."""
        if self.all_valid:
            return y
        out = self._from_runs(y, False)
        if not zero_output_for_mask:
            after = np.arange(self.steps) >= (self.start + self.count)[:, None]
            np.copyto(out, self.last(y, 0.0)[:, None], where=after[..., None])
        return out

    def last(self, y, initial):
        """Each sequence's state after its run (``initial`` without a valid step)."""
        if self.all_valid:
            return y[:, -1].copy()
        last = y[np.arange(self.batch), np.maximum(self.count - 1, 0)]
        return np.where((self.count == 0)[:, None], initial, last).astype(np.float32)

    def state_grads(self, d_outputs, d_h, zero_output_for_mask):
        """The gradient reaching oneDNN's states (batch, length, units) from the
        outputs' (batch-major, processing order) and the final state's: the inverse of
        ``outputs`` and ``last``. Returns it and the final-state gradient of the
        sequences without a valid step (it goes to their initial state)."""
        # Only a layer's final state is used, most often: its outputs' gradient is zeros.
        no_outputs = not d_outputs.any()
        if no_outputs:
            d_y = np.zeros((self.batch, self.length, d_outputs.shape[-1]), np.float32)
        else:
            d_y = self.to_runs(d_outputs)
        d_h = np.asarray(d_h, np.float32)
        if self.all_valid:
            d_y[:, -1] += d_h
            return d_y, None
        rows = np.flatnonzero(self.count > 0)
        last = self.count[rows] - 1
        d_y[rows, last] += d_h[rows]
        if not (zero_output_for_mask or no_outputs):
            after = np.arange(self.steps) >= (self.start + self.count)[:, None]
            carried = np.where(after[..., None], d_outputs, 0.0).sum(axis=1)
            d_y[rows, last] += carried[rows]
        return d_y, np.where((self.count == 0)[:, None], d_h, 0.0).astype(np.float32)

    def input_grads(self, d_src, features):
        """The inputs' gradient (batch, time, features), in x's time order, from
        oneDNN's (batch, length, features and the tail feature)."""
        d_src = d_src[..., :features]
        if self.all_valid:
            return np.ascontiguousarray(d_src[:, ::-1] if self.backwards else d_src)
        return self._from_runs(d_src, True)


def _runs(m, x, go_backwards) -> _Runs:
    """``_Runs`` of the mask ``m`` over ``x``. The reference kernels run the cell on
    masked steps too, so a non-finite input there reaches their gradients; oneDNN,
    which sees zeros there, leaves such calls to them."""
    runs = _Runs(m, x.shape[1], x.shape[0], go_backwards)
    if not runs.all_valid and not np.isfinite(x).all():
        raise Unsupported("non-finite inputs with a mask")
    return runs


def _c(a):
    return np.ascontiguousarray(a, np.float32)


def _check_budget(size: int) -> None:
    if size > _MEMORY_BUDGET:
        raise Unsupported(f"oneDNN would need {size >> 20} MiB for this sequence")


def _batch_pieces(batch: int) -> list:
    """The batch's rows as (start, stop) pieces, one per thread of the intra-op budget
    (none smaller than ``_MIN_PIECE_ROWS``)."""
    n = max(1, min(threads.get_intra_op_threads(), batch // _MIN_PIECE_ROWS))
    bounds = [batch * i // n for i in range(n + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def _side_by_side(pieces: list, run) -> list:
    """``[run(slot, lo, hi) ...]`` for the batch pieces, each on its own thread with one
    OpenMP thread (a single piece runs here with the whole budget)."""
    if len(pieces) == 1:
        return [run(0, *pieces[0])]
    results = [None] * len(pieces)

    def chunk(start: int, stop: int) -> None:
        with threads.openmp_alone():
            for slot in range(start, stop):
                results[slot] = run(slot, *pieces[slot])

    threads.parallel_pieces(len(pieces), 1, chunk, 1)
    return results


class _Piece:
    """What the forward pass of one batch piece leaves for its backward pass."""

    __slots__ = ("lo", "hi", "workspace")

    def __init__(self, lo, hi, workspace):
        self.lo, self.hi, self.workspace = lo, hi, workspace


def _run_forward(cell, src, h0, c0, weights) -> tuple:
    """Runs oneDNN over ``src`` (batch, length, features): (src, states (batch, length,
    units), final h and c, the pieces). A piece reads and writes its rows of the whole
    batch's arrays, which are contiguous in the batch-major layout."""
    batch, steps, features = src.shape
    units = h0.shape[-1]
    pieces = _batch_pieces(batch)
    y = np.empty((batch, steps, units), np.float32)
    h_last = np.empty_like(h0)
    c_last = np.empty_like(c0) if cell.with_c else None

    def run(slot, lo, hi):
        plan = _forward_plan(cell, steps, hi - lo, features, units, slot)
        _check_budget((plan.workspace_size + plan.scratchpad_size) * len(pieces))
        piece = _Piece(lo, hi, _spare_workspaces.take(plan.workspace_size))
        arrays = {L.ARG_SRC: src[lo:hi], L.ARG_SRC_ITER: h0[lo:hi]}
        arrays.update({L.ARG_DST: y[lo:hi], L.ARG_DST_ITER: h_last[lo:hi]})
        arrays.update(zip((L.ARG_WEIGHTS, L.ARG_WEIGHTS_ITER, L.ARG_BIAS), weights))
        arrays[L.ARG_WORKSPACE] = piece.workspace
        if cell.with_c:
            arrays.update({L.ARG_SRC_ITER_C: c0[lo:hi], L.ARG_DST_ITER_C: c_last[lo:hi]})
        plan.run(arrays)
        return piece

    return src, y, h_last, c_last, _side_by_side(pieces, run)


def _forward(cell, runs, x, h0, c0, weights):
    """Runs ``cell`` over ``x``: (source, states, final states, the pieces it ran)."""
    return _run_forward(cell, runs.inputs(x, cell.with_c), h0, c0, weights)


def _keep(cell, x, saved, go_backwards, kept) -> None:
    """Keeps ``kept`` for the gradient call given ``x`` and the saved output ``saved``
    (an array ``kept`` does not hold, so that the entry goes with the op's outputs),
    and gives its workspaces back for reuse then."""
    _workspaces.keep(x, saved, (cell.key(), bool(go_backwards)), kept)
    for piece in kept[-1]:
        weakref.finalize(saved, _spare_workspaces.give, piece.workspace)


class _SpareWorkspaces:
    """Workspaces of finished training steps, reused by the next forward calls of the
    same size: a fresh workspace of tens of MB comes from mmap and costs its page
    faults again on every call (1.4 ms of a 6.5 ms LSTM forward at batch 64, 100
    steps). At most ``limit`` bytes are kept."""

    def __init__(self, limit: int = 256 << 20):
        self.limit = limit
        self.buffers: dict = {}
        self.lock = threading.Lock()

    def take(self, size: int) -> np.ndarray:
        with self.lock:
            spare = self.buffers.get(size)
            if spare:
                return spare.pop()
        return np.empty(size, np.uint8)

    def give(self, buffer: np.ndarray) -> None:
        with self.lock:
            kept = sum(b.nbytes for spare in self.buffers.values() for b in spare)
            if kept + buffer.nbytes <= self.limit:
                self.buffers.setdefault(buffer.nbytes, []).append(buffer)


_spare_workspaces = _SpareWorkspaces()


def _backward(cell, runs, x, h0, c0, weights, go_backwards, saved, d_outputs, d_h, d_c, zero_out):
    """oneDNN's gradients: (dx, dh0, dc0, d_weights, d_recurrent_weights, d_bias)."""
    kept = _workspaces.find(x, saved, (cell.key(), bool(go_backwards)))
    if kept is None:
        kept = _forward(cell, runs, x, h0, c0, weights)
    src, y, h_last, c_last, pieces = kept
    d_y, d_h_empty = runs.state_grads(d_outputs, d_h, zero_out)
    _, steps, width = src.shape  # width: the features and the LSTM's tail feature
    units = h0.shape[-1]
    d_src, dh0 = np.empty_like(src), np.empty_like(h0)
    dc0 = np.empty_like(c0) if cell.with_c else None
    d_c = _c(d_c) if cell.with_c else None
    zeros = np.zeros_like(h0)

    def run(slot, lo, hi):
        weight_grads = {
            L.ARG_DIFF_WEIGHTS: np.empty_like(weights[0]),
            L.ARG_DIFF_WEIGHTS_ITER: np.empty_like(weights[1]),
            L.ARG_DIFF_BIAS: np.empty_like(weights[2]),
        }
        arrays = {L.ARG_SRC: src[lo:hi], L.ARG_SRC_ITER: h0[lo:hi]}
        arrays.update({L.ARG_DST: y[lo:hi], L.ARG_DST_ITER: h_last[lo:hi]})
        arrays.update(zip((L.ARG_WEIGHTS, L.ARG_WEIGHTS_ITER, L.ARG_BIAS), weights))
        arrays.update({L.ARG_WORKSPACE: pieces[slot].workspace, L.ARG_DIFF_DST: d_y[lo:hi]})
        arrays.update({L.ARG_DIFF_DST_ITER: zeros[lo:hi], L.ARG_DIFF_SRC: d_src[lo:hi]})
        arrays[L.ARG_DIFF_SRC_ITER] = dh0[lo:hi]
        if cell.with_c:
            arrays.update({L.ARG_SRC_ITER_C: c0[lo:hi], L.ARG_DST_ITER_C: c_last[lo:hi]})
            arrays.update({L.ARG_DIFF_DST_ITER_C: d_c[lo:hi], L.ARG_DIFF_SRC_ITER_C: dc0[lo:hi]})
        arrays.update(weight_grads)
        plan = _backward_plan(cell, steps, hi - lo, width, units, slot)
        _check_budget((pieces[slot].workspace.nbytes + plan.scratchpad_size) * len(pieces))
        plan.run(arrays)
        return weight_grads

    parts = _side_by_side([(p.lo, p.hi) for p in pieces], run)
    if d_h_empty is not None:
        dh0 += d_h_empty
    dw, dr, db = (
        parts[0][arg] if len(parts) == 1 else sum(g[arg] for g in parts)
        for arg in (L.ARG_DIFF_WEIGHTS, L.ARG_DIFF_WEIGHTS_ITER, L.ARG_DIFF_BIAS)
    )
    features = x.shape[-1]
    return runs.input_grads(d_src, features), dh0, dc0, dw[:features], dr, db


def _direction(attrs) -> tuple:
    """The call's ``go_backwards`` and ``zero_output_for_mask`` (False when not given)."""
    return bool(attrs.get("go_backwards", False)), bool(attrs.get("zero_output_for_mask", False))


def _placeholder(shape):
    return np.broadcast_to(np.float32(0), shape)


def _defer(placeholder, reference_op, inputs, attrs, saved_slice):
    def fill():
        from tensorflux.kernels import reference_kernel

        return reference_kernel(reference_op)(*inputs, **attrs)[saved_slice]

    defer_saved(placeholder, fill)


# -- LSTM ---------------------------------------------------------------------------------


def _lstm_weights(runs_tails, kernel, recurrent_kernel, bias):
    """oneDNN's LSTM weights; with tails, the kernel gains the tail feature's row, which
    saturates the input gate to 0 and the forget gate to 1 whatever the state (|h| < 1,
    so ``h @ recurrent_kernel + bias`` is bounded by the columns' absolute sums)."""
    kernel, recurrent_kernel, bias = _c(kernel), _c(recurrent_kernel), _c(bias)
    if runs_tails:
        units = recurrent_kernel.shape[0]
        gates_if = slice(0, 2 * units)
        reach = np.abs(recurrent_kernel[:, gates_if]).sum(axis=0) + np.abs(bias[gates_if])
        drive = np.float32(_SATURATION_MARGIN + reach.max())
        if not np.isfinite(drive):
            raise Unsupported("non-finite recurrent weights with a mask")
        row = np.zeros((1, 4 * units), np.float32)
        row[0, :units] = -drive
        row[0, units : 2 * units] = drive
        kernel = np.concatenate([kernel, row])
    return kernel, recurrent_kernel, bias


def fused_lstm(x, h0, c0, mask, kernel, recurrent_kernel, bias, **attrs):
    """FusedLSTM through oneDNN (see ``support.fused_lstm_supports``)."""
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x, backwards)
    steps, batch, units = x.shape[1], x.shape[0], recurrent_kernel.shape[0]
    weights = _lstm_weights(runs.tails, kernel, recurrent_kernel, bias)
    h0_ = _c(h0)
    kept = _forward(_LSTM, runs, x, h0_, _c(c0), weights)
    hs = cs = new = _placeholder((steps, batch, units))
    gates = _placeholder((steps, batch, 4 * units))
    _keep(_LSTM, x, gates, backwards, kept)
    _defer(
        gates, "FusedLSTM", (x, h0, c0, mask, kernel, recurrent_kernel, bias), attrs, slice(3, 7)
    )
    y, c_last = kept[1], kept[3]
    return runs.outputs(y, zero_output), runs.last(y, h0_), c_last, hs, cs, gates, new


def fused_lstm_grad(x, h0, c0, mask, kernel, recurrent_kernel, bias, *saved_and_grads, **attrs):
    """FusedLSTMGrad through oneDNN (see ``support.fused_lstm_supports``)."""
    _, _, gates, _, d_outputs, d_h, d_c = saved_and_grads
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x, backwards)
    weights = _lstm_weights(runs.tails, kernel, recurrent_kernel, bias)
    return _backward(
        _LSTM, runs, x, _c(h0), _c(c0), weights, backwards, gates, d_outputs, d_h, d_c,
        zero_output,
    )  # fmt: skip


# -- GRU ----------------------------------------------------------------------------------


def _gru_weights(kernel, recurrent_kernel, bias):
    """oneDNN's linear-before-reset bias from Keras' (input, recurrent) pair: the z and
    r gates add both, the candidate keeps its input bias and its recurrent one (the
    extra fourth gate, applied before the reset gate)."""
    bias = np.asarray(bias, np.float32)
    units = recurrent_kernel.shape[0]
    u2 = 2 * units
    dnnl_bias = np.concatenate([bias[0, :u2] + bias[1, :u2], bias[0, u2:], bias[1, u2:]])
    return _c(kernel), _c(recurrent_kernel), dnnl_bias


def fused_gru(x, h0, mask, kernel, recurrent_kernel, bias, **attrs):
    """FusedGRU through oneDNN (see ``support.fused_gru_supports``)."""
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x, backwards)
    steps, batch, units = x.shape[1], x.shape[0], recurrent_kernel.shape[0]
    h0_ = _c(h0)
    weights = _gru_weights(kernel, recurrent_kernel, bias)
    kept = _forward(_GRU, runs, x, h0_, None, weights)
    hs = _placeholder((steps, batch, units))
    gates = _placeholder((steps, batch, 4 * units))
    _keep(_GRU, x, gates, backwards, kept)
    _defer(gates, "FusedGRU", (x, h0, mask, kernel, recurrent_kernel, bias), attrs, slice(2, 4))
    y = kept[1]
    return runs.outputs(y, zero_output), runs.last(y, h0_), hs, gates


def fused_gru_grad(x, h0, mask, kernel, recurrent_kernel, bias, hs, gates, d_outputs, d_h, **attrs):
    """FusedGRUGrad through oneDNN (see ``support.fused_gru_supports``)."""
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x, backwards)
    weights = _gru_weights(kernel, recurrent_kernel, bias)
    dx, dh0, _, dk, dr, db = _backward(
        _GRU, runs, x, _c(h0), None, weights, backwards, gates, d_outputs, d_h, None, zero_output
    )
    units = recurrent_kernel.shape[0]
    u2 = 2 * units
    d_bias = np.stack([db[: 3 * units], np.concatenate([db[:u2], db[3 * units :]])])
    return dx, dh0, dk, dr, d_bias


# -- SimpleRNN ----------------------------------------------------------------------------


def _simple_rnn_cell(attrs):
    return _Cell(
        "vanilla_rnn", 1, 1, False, _SIMPLE_RNN_ALGORITHMS[attrs.get("activation", "tanh")]
    )


def fused_simple_rnn(x, h0, mask, kernel, recurrent_kernel, bias, **attrs):
    """FusedSimpleRNN through oneDNN (see ``support.fused_simple_rnn_supports``)."""
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x, backwards)
    weights = (_c(kernel), _c(recurrent_kernel), _c(bias))
    h0_ = _c(h0)
    cell = _simple_rnn_cell(attrs)
    kept = _forward(cell, runs, x, h0_, None, weights)
    states = _placeholder((x.shape[1], x.shape[0], h0_.shape[-1]))
    new = _placeholder(states.shape)
    _keep(cell, x, states, backwards, kept)
    _defer(new, "FusedSimpleRNN", (x, h0, mask, kernel, recurrent_kernel, bias), attrs, slice(2, 4))
    y = kept[1]
    return runs.outputs(y, zero_output), runs.last(y, h0_), states, new


def fused_simple_rnn_grad(
    x, h0, mask, kernel, recurrent_kernel, bias, states, new, d_outputs, d_h, **attrs
):
    """FusedSimpleRNNGrad through oneDNN (see ``support.fused_simple_rnn_supports``)."""
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x, backwards)
    weights = (_c(kernel), _c(recurrent_kernel), _c(bias))
    dx, dh0, _, dk, dr, db = _backward(
        _simple_rnn_cell(attrs), runs, x, _c(h0), None, weights, backwards, states,
        d_outputs, d_h, None, zero_output,
    )  # fmt: skip
    return dx, dh0, dk, dr, db
