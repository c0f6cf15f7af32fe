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
get one extra input feature, 1 there and 0 elsewhere, whose kernel row drives the
input gate to exactly 0 and the forget gate to exactly 1: the cell state passes
through the tail unchanged, and so does its gradient. Tail steps see zero inputs and
send no gradient anywhere else. Any other mask runs the reference kernel.

The ops' saved outputs are for the reference gradients. oneDNN's gradient reads its
training workspace instead (kept while the saved output lives; a gradient call
without it runs the forward primitive again), so the saved arrays oneDNN does not
give for free are placeholders, filled by the reference forward kernel only if the
reference gradient runs after all (``rnn_common.defer_saved``).
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from tensorflux.kernels import Unsupported, threads
from tensorflux.kernels.onednn import _library as L
from tensorflux.kernels.onednn.plans import WorkspaceTable, cached_plan
from tensorflux.ops.rnn_common import defer_saved, step_mask, time_major

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
SIMPLE_RNN_ACTIVATIONS = {
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
        "src": b.md((steps, batch, features), L.TAG_TNC),
        "state": b.md((1, 1, batch, units), L.TAG_LDNC),
        "w_any": b.md((1, 1, features, g, units), L.TAG_ANY),
        "r_any": b.md((1, 1, units, g, units), L.TAG_ANY),
        "w": b.md((1, 1, features, g, units), L.TAG_LDIGO),
        "r": b.md((1, 1, units, g, units), L.TAG_LDIGO),
        "bias": b.md((1, 1, cell.bias_gates, units), L.TAG_LDGO),
        "dst": b.md((steps, batch, units), L.TAG_TNC),
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

    key = ("rnn_fwd", cell.key(), steps, batch, features, units, slot)
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

    key = ("rnn_bwd", cell.key(), steps, batch, features, units, slot)
    return cached_plan(key, build, steps * batch * units * cell.gates)


class _Runs:
    """Where each sequence's valid steps lie in processing order: ``start`` and
    ``count`` per sequence (``start`` None: every step of every sequence is valid).
    oneDNN runs ``length`` steps: as many as the longest run."""

    def __init__(self, m, steps: int, batch: int):
        self.steps, self.batch, self.length = steps, batch, steps
        self.start = self.count = None
        self.tails = False
        if m is None:
            return
        valid = m[..., 0]
        count = valid.sum(axis=0)
        start = np.where(count > 0, valid.argmax(axis=0), 0)
        pos = np.arange(steps)[:, None]
        if not np.array_equal(valid, (pos >= start) & (pos < start + count)):
            raise Unsupported("the mask is not one run of valid steps per sequence")
        self.start, self.count = start, count
        self.length = int(count.max())
        if self.length == 0:
            raise Unsupported("no sequence has a valid step")
        self.tails = bool((count < self.length).any())

    @property
    def all_valid(self) -> bool:
        return self.start is None

    def _rows(self):
        k = np.arange(self.length)[:, None]
        return np.minimum(self.start + k, self.steps - 1), k < self.count

    def to_runs(self, a):
        """(time, batch, n) in processing order -> (length, batch, n): each sequence's
        valid steps first, zeros after them (a new C-contiguous float32 array)."""
        if self.all_valid:
            return np.array(a, np.float32, order="C")
        rows, inside = self._rows()
        out = a[rows, np.arange(self.batch)].astype(np.float32, copy=False)
        out[~inside] = 0.0
        return out

    def inputs(self, x, go_backwards, tail_feature: bool):
        """oneDNN's source: ``to_runs`` of the inputs, with the tail feature when
        ``tail_feature`` and some sequence has a tail."""
        src = self.to_runs(time_major(x, go_backwards))
        if not (tail_feature and self.tails):
            return src
        tail = np.arange(self.length)[:, None] >= self.count
        return np.concatenate([src, tail[..., None].astype(np.float32)], axis=-1)

    def from_runs(self, a):
        """The inverse of ``to_runs``: zeros at the invalid steps."""
        if self.all_valid:
            return a
        rows, inside = self._rows()
        out = np.zeros((self.steps, *a.shape[1:]), a.dtype)
        cols = np.broadcast_to(np.arange(self.batch), rows.shape)
        out[rows[inside], cols[inside]] = a[inside]
        return out

    def states(self, y, h0):
        """Each processing step's carried state from oneDNN's states ``y`` (valid steps
        first): the initial state before a sequence's run, its last state after it."""
        if self.all_valid:
            return y
        k = np.arange(self.steps)[:, None] - self.start
        index = np.clip(k, -1, self.count - 1) + 1
        return np.concatenate([h0[None], y])[index, np.arange(self.batch)]

    def outputs(self, y, hs, h0, zero_output_for_mask):
        """The layer's outputs from oneDNN's states ``y`` and the carried states ``hs``,
        as ``rnn_ops.carry_outputs`` makes them: a masked step outputs zeros, or the
        previous output (zeros before the first)."""
        if self.all_valid:
            return y
        if h0.any():
            carried = self.states(y, np.zeros_like(y[0]))
        elif zero_output_for_mask:
            carried = hs.copy()
        else:
            return hs  # zeros before the first step are the initial state
        if zero_output_for_mask:
            k = np.arange(self.steps)[:, None] - self.start
            carried[(k >= self.count) | (k < 0)] = 0.0
        return carried

    def state_grads(self, d_outputs, d_h, zero_output_for_mask):
        """The gradient reaching oneDNN's states (``to_runs`` layout) from the outputs'
        (batch-major, processing order) and the final state's: the inverse of
        ``outputs`` and ``states``. Returns it and the final-state gradient of the
        sequences without a valid step (it goes to their initial state)."""
        d = np.swapaxes(d_outputs, 0, 1)
        # Only a layer's final state is used, most often: its outputs' gradient is zeros.
        no_outputs = not d.any()
        shape = (self.length, *d.shape[1:])
        d_y = np.zeros(shape, np.float32) if no_outputs else self.to_runs(d)
        d_h = np.asarray(d_h, np.float32)
        if self.all_valid:
            d_y[-1] += d_h
            return d_y, None
        rows = np.flatnonzero(self.count > 0)
        last = self.count[rows] - 1
        d_y[last, rows] += d_h[rows]
        if not (zero_output_for_mask or no_outputs):
            after = np.arange(self.steps)[:, None] >= self.start + self.count
            carried = np.where(after[..., None], d, 0.0).sum(axis=0)
            d_y[last, rows] += carried[rows]
        return d_y, np.where((self.count == 0)[:, None], d_h, 0.0).astype(np.float32)

    def input_grads(self, d_src, features, go_backwards):
        """The inputs' gradient (batch-major, x's time order) from oneDNN's."""
        dx = self.from_runs(d_src[..., :features])
        if go_backwards:
            dx = dx[::-1]
        return np.ascontiguousarray(np.swapaxes(dx, 0, 1))


def _runs(m, x) -> _Runs:
    """``_Runs`` of the mask ``m`` over ``x``. The reference kernels run the cell on
    masked steps too, so a non-finite input there reaches their gradients; oneDNN,
    which sees zeros there, leaves such calls to them."""
    runs = _Runs(m, x.shape[1], x.shape[0])
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


def _rows(a, lo, hi, axis=1):
    """Rows ``lo:hi`` of the batch axis, C-contiguous (oneDNN's buffers are dense)."""
    return np.ascontiguousarray(a[:, lo:hi] if axis == 1 else a[lo:hi])


class _Piece:
    """What the forward pass of one batch piece leaves for its backward pass."""

    __slots__ = ("lo", "hi", "src", "y", "h_last", "c_last", "workspace")

    def __init__(self, lo, hi, src, y, h_last, c_last, workspace):
        self.lo, self.hi, self.src, self.y = lo, hi, src, y
        self.h_last, self.c_last, self.workspace = h_last, c_last, workspace


def _run_forward(cell, src, h0, c0, weights) -> tuple:
    """Runs oneDNN over ``src``: (states, final cell state, the pieces it ran)."""
    steps, batch, features = src.shape
    units = h0.shape[-1]
    pieces = _batch_pieces(batch)

    def run(slot, lo, hi):
        plan = _forward_plan(cell, steps, hi - lo, features, units, slot)
        _check_budget((plan.workspace_size + plan.scratchpad_size) * len(pieces))
        piece = _Piece(lo, hi, _rows(src, lo, hi), None, None, None, None)
        piece.y = np.empty((steps, hi - lo, units), np.float32)
        piece.h_last = np.empty((hi - lo, units), np.float32)
        piece.workspace = _spare_workspaces.take(plan.workspace_size)
        arrays = {L.ARG_SRC: piece.src, L.ARG_SRC_ITER: _rows(h0, lo, hi, 0)}
        arrays.update({L.ARG_DST: piece.y, L.ARG_DST_ITER: piece.h_last})
        arrays.update(zip((L.ARG_WEIGHTS, L.ARG_WEIGHTS_ITER, L.ARG_BIAS), weights))
        arrays[L.ARG_WORKSPACE] = piece.workspace
        if cell.with_c:
            piece.c_last = np.empty((hi - lo, units), np.float32)
            arrays.update({L.ARG_SRC_ITER_C: _rows(c0, lo, hi, 0), L.ARG_DST_ITER_C: piece.c_last})
        plan.run(arrays)
        return piece

    pieces = _side_by_side(pieces, run)
    y = pieces[0].y if len(pieces) == 1 else np.concatenate([p.y for p in pieces], axis=1)
    c_last = np.concatenate([p.c_last for p in pieces]) if cell.with_c else None
    return y, c_last, pieces


def _forward(cell, runs, x, h0, c0, weights, go_backwards):
    """Runs ``cell`` over ``x``: (states, final cell state, the pieces it ran)."""
    return _run_forward(cell, runs.inputs(x, go_backwards, cell.with_c), h0, c0, weights)


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
        kept = _forward(cell, runs, x, h0, c0, weights, go_backwards)
    d_y, d_h_empty = runs.state_grads(d_outputs, d_h, zero_out)
    units = h0.shape[-1]

    def run(slot, lo, hi):
        piece = kept[-1][slot]
        grads = {
            L.ARG_DIFF_SRC: np.empty_like(piece.src),
            L.ARG_DIFF_SRC_ITER: np.empty_like(piece.h_last),
            L.ARG_DIFF_WEIGHTS: np.empty_like(weights[0]),
            L.ARG_DIFF_WEIGHTS_ITER: np.empty_like(weights[1]),
            L.ARG_DIFF_BIAS: np.empty_like(weights[2]),
        }
        arrays = {L.ARG_SRC: piece.src, L.ARG_SRC_ITER: _rows(h0, lo, hi, 0)}
        arrays.update({L.ARG_DST: piece.y, L.ARG_DST_ITER: piece.h_last})
        arrays.update(zip((L.ARG_WEIGHTS, L.ARG_WEIGHTS_ITER, L.ARG_BIAS), weights))
        arrays.update({L.ARG_WORKSPACE: piece.workspace, L.ARG_DIFF_DST: _rows(d_y, lo, hi)})
        arrays[L.ARG_DIFF_DST_ITER] = np.zeros_like(piece.h_last)
        if cell.with_c:
            grads[L.ARG_DIFF_SRC_ITER_C] = np.empty_like(piece.c_last)
            arrays.update({L.ARG_SRC_ITER_C: _rows(c0, lo, hi, 0), L.ARG_DST_ITER_C: piece.c_last})
            arrays[L.ARG_DIFF_DST_ITER_C] = _rows(_c(d_c), lo, hi, 0)
        arrays.update(grads)
        plan = _backward_plan(cell, *piece.src.shape, units, slot)
        _check_budget((piece.workspace.nbytes + plan.scratchpad_size) * len(pieces))
        plan.run(arrays)
        return grads

    pieces = [(p.lo, p.hi) for p in kept[-1]]
    parts = _side_by_side(pieces, run)

    def joined(arg, axis):
        if parts[0].get(arg) is None:
            return None
        return parts[0][arg] if len(parts) == 1 else np.concatenate([g[arg] for g in parts], axis)

    def summed(arg):
        return parts[0][arg] if len(parts) == 1 else sum(g[arg] for g in parts)

    dh0 = joined(L.ARG_DIFF_SRC_ITER, 0)
    if d_h_empty is not None:
        dh0 += d_h_empty
    features = x.shape[-1]
    return (
        runs.input_grads(joined(L.ARG_DIFF_SRC, 1), features, go_backwards),
        dh0,
        joined(L.ARG_DIFF_SRC_ITER_C, 0),
        summed(L.ARG_DIFF_WEIGHTS)[:features],
        summed(L.ARG_DIFF_WEIGHTS_ITER),
        summed(L.ARG_DIFF_BIAS),
    )


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
    runs = _runs(step_mask(mask, backwards), x)
    steps, batch, units = x.shape[1], x.shape[0], recurrent_kernel.shape[0]
    gates = _placeholder((steps, batch, 4 * units))
    weights = _lstm_weights(runs.tails, kernel, recurrent_kernel, bias)
    h0_ = _c(h0)
    kept = _forward(_LSTM, runs, x, h0_, _c(c0), weights, backwards)
    _keep(_LSTM, x, gates, backwards, kept)
    y, c_last = kept[0], kept[1]
    hs = runs.states(y, h0_)
    inputs = (x, h0, c0, mask, kernel, recurrent_kernel, bias)
    _defer(gates, "FusedLSTM", inputs, attrs, slice(3, 7))
    cs = new = _placeholder(hs.shape)
    outputs = np.swapaxes(runs.outputs(y, hs, h0_, zero_output), 0, 1)
    return outputs, hs[-1].copy(), c_last, hs, cs, gates, new


def fused_lstm_grad(x, h0, c0, mask, kernel, recurrent_kernel, bias, *saved_and_grads, **attrs):
    """FusedLSTMGrad through oneDNN (see ``support.fused_lstm_supports``)."""
    _, _, gates, _, d_outputs, d_h, d_c = saved_and_grads
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x)
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
    runs = _runs(step_mask(mask, backwards), x)
    steps, batch, units = x.shape[1], x.shape[0], recurrent_kernel.shape[0]
    gates = _placeholder((steps, batch, 4 * units))
    h0_ = _c(h0)
    kept = _forward(
        _GRU, runs, x, h0_, None, _gru_weights(kernel, recurrent_kernel, bias), backwards
    )
    _keep(_GRU, x, gates, backwards, kept)
    y = kept[0]
    hs = runs.states(y, h0_)
    _defer(gates, "FusedGRU", (x, h0, mask, kernel, recurrent_kernel, bias), attrs, slice(2, 4))
    outputs = np.swapaxes(runs.outputs(y, hs, h0_, zero_output), 0, 1)
    return outputs, hs[-1].copy(), hs, gates


def fused_gru_grad(x, h0, mask, kernel, recurrent_kernel, bias, hs, gates, d_outputs, d_h, **attrs):
    """FusedGRUGrad through oneDNN (see ``support.fused_gru_supports``)."""
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x)
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
        "vanilla_rnn", 1, 1, False, SIMPLE_RNN_ACTIVATIONS[attrs.get("activation", "tanh")]
    )


def fused_simple_rnn(x, h0, mask, kernel, recurrent_kernel, bias, **attrs):
    """FusedSimpleRNN through oneDNN (see ``support.fused_simple_rnn_supports``)."""
    backwards, zero_output = _direction(attrs)
    m = step_mask(mask, backwards)
    runs = _runs(m, x)
    weights = (_c(kernel), _c(recurrent_kernel), _c(bias))
    h0_ = _c(h0)
    cell = _simple_rnn_cell(attrs)
    kept = _forward(cell, runs, x, h0_, None, weights, backwards)
    y = kept[0]
    # A view, not oneDNN's array itself: the workspace is kept while it lives.
    states = runs.states(y, h0_)[...]
    _keep(cell, x, states, backwards, kept)
    if m is None:
        new = states  # the unmasked step results are the states when every step counts
    else:
        new = _placeholder(states.shape)
        inputs = (x, h0, mask, kernel, recurrent_kernel, bias)
        _defer(new, "FusedSimpleRNN", inputs, attrs, slice(2, 4))
    outputs = np.swapaxes(runs.outputs(y, states, h0_, zero_output), 0, 1)
    return outputs, states[-1].copy(), states, new


def fused_simple_rnn_grad(
    x, h0, mask, kernel, recurrent_kernel, bias, states, new, d_outputs, d_h, **attrs
):
    """FusedSimpleRNNGrad through oneDNN (see ``support.fused_simple_rnn_supports``)."""
    backwards, zero_output = _direction(attrs)
    runs = _runs(step_mask(mask, backwards), x)
    weights = (_c(kernel), _c(recurrent_kernel), _c(bias))
    dx, dh0, _, dk, dr, db = _backward(
        _simple_rnn_cell(attrs), runs, x, _c(h0), None, weights, backwards, states,
        d_outputs, d_h, None, zero_output,
    )  # fmt: skip
    return dx, dh0, dk, dr, db
