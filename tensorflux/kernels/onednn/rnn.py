"""oneDNN kernels for the fused recurrent ops on float32: ``FusedLSTM``, ``FusedGRU``
(``reset_after``: oneDNN's linear-before-reset GRU) and ``FusedSimpleRNN``, and their
gradients, with the activations oneDNN's cells have (see ``support``).

oneDNN's cells are Keras': LSTM gates i, f, c, o and GRU gates z, r, h in Keras'
order, and its ``ldigo`` weights are a Keras kernel (input, gates * units) as it lies.
oneDNN runs the whole time loop, forward and backward, in compiled code; the
reference kernels run a NumPy step per time step.

oneDNN knows no masks. A mask whose valid steps are one run per sequence (padding after
the tokens, or before them) is handled by moving each sequence's run to the start, so
that oneDNN steps through every sequence from its initial state; a sequence's last state
is then oneDNN's state after the run's last step. Sequences are sorted by the length of
their runs into buckets of similar lengths, and a bucket runs only as many steps as its
longest run. The LSTM's cell state is only given at oneDNN's last step, so the steps
after a run (its tail) get one extra input feature, 1 there and 0 elsewhere, whose
kernel row saturates the input gate to 0 (within 2e-22) and the forget gate to exactly
1: the cell state passes through the tail unchanged, and so does its gradient. Tail
steps see zero inputs and send no gradient anywhere else. Any other mask runs the
reference kernel. oneDNN runs on batch-major arrays, and the buckets, or pieces of them,
run side by side on the threads of the intra-op budget (see ``_MIN_PIECE_ROWS``).

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
# Rows of a length bucket (see ``_Runs``). A one-thread LSTM(64) forward and backward
# over 100 steps took 3.9 us a row-step at 64 rows, 4.1 at 16 and 4.7 at 8.
_BUCKET_ROWS = 16
# A bucket's steps are rounded up to a multiple of 1/_LENGTH_LEVELS of the longest run,
# so that a batch's buckets take few of the primitives' shapes.
_LENGTH_LEVELS = 8
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


class _Runs:
    """Where each sequence's valid steps lie in processing order: ``start`` and
    ``count`` per sequence (``start`` None: every step of every sequence is valid), and
    where oneDNN's rows for them lie.

    oneDNN runs each sequence's run first, from its initial state. The sequences are
    sorted longest run first into length buckets (``buckets``: (lo, hi, steps) ranges
    of sorted positions, ``order`` the sort; None when there is one bucket), and a
    bucket runs only as many steps as its longest run needs (rounded, see
    ``_length_buckets``): with lengths spread evenly, about 30% fewer steps than running
    every sequence as long as the longest. A bucket's arrays are batch-major, (rows,
    steps, channels), and the buckets lie one after another in flat (``rows``,
    channels) arrays: a sequence's step k is row ``base[b] + k`` there."""

    def __init__(self, m, steps: int, batch: int, go_backwards: bool):
        self.steps, self.batch, self.length = steps, batch, steps
        self.backwards = go_backwards
        self.start = self.count = None
        if m is not None:
            valid = m[..., 0].T
            count = valid.sum(axis=1)
            start = np.where(count > 0, valid.argmax(axis=1), 0)
            pos = np.arange(steps)
            runs = (pos >= start[:, None]) & (pos < (start + count)[:, None])
            if not np.array_equal(valid, runs):
                raise Unsupported("the mask is not one run of valid steps per sequence")
            self.start, self.count = start, count
            self.length = int(count.max())
            if self.length == 0:
                raise Unsupported("no sequence has a valid step")
        self._lay_out()

    def _lay_out(self) -> None:
        batch = self.batch
        self.order, self.buckets = None, [(0, batch, self.length)]
        if not self.all_valid:
            order = np.argsort(-self.count, kind="stable")
            buckets = _length_buckets(self.count[order], self.length)
            if len(buckets) > 1:
                self.order, self.buckets = order, buckets
        lengths, base = np.empty(batch, np.intp), np.empty(batch, np.intp)
        offset = 0
        for lo, hi, steps in self.buckets:
            lengths[lo:hi] = steps
            base[lo:hi] = offset + np.arange(hi - lo) * steps
            offset += (hi - lo) * steps
        self.rows = offset
        self.lengths, self.base = self.unsort_rows(lengths), self.unsort_rows(base)
        self.tails = not self.all_valid and bool((self.count < self.lengths).any())
        self._source_rows: dict = {}

    @property
    def all_valid(self) -> bool:
        return self.start is None

    def sort_rows(self, a):
        """``a`` (batch, ...) in oneDNN's order of the sequences."""
        return a if self.order is None else a[self.order]

    def unsort_rows(self, a):
        """``a`` (batch, ...) in oneDNN's order back in the batch's."""
        if self.order is None:
            return a
        out = np.empty_like(a)
        out[self.order] = a
        return out

    def _sorted_positions(self, lo, hi):
        return np.arange(lo, hi) if self.order is None else self.order[lo:hi]

    def _rows_from(self, x_order: bool) -> np.ndarray:
        """For each of oneDNN's rows, the row of a (batch * time, n) array in processing
        order (or in x's time order) it reads: each sequence's run, then its last step
        again (zeroed by ``_gather``)."""
        rows = self._source_rows.get(x_order)
        if rows is None:
            parts = []
            for lo, hi, steps in self.buckets:
                b = self._sorted_positions(lo, hi)
                s = np.minimum(self.start[b, None] + np.arange(steps), self.steps - 1)
                if x_order and self.backwards:
                    s = self.steps - 1 - s
                parts.append((b[:, None] * self.steps + s).reshape(-1))
            rows = self._source_rows[x_order] = np.concatenate(parts)
        return rows

    def _outside(self) -> np.ndarray:
        """(rows,): whether each of oneDNN's rows is a step after its sequence's run."""
        return np.concatenate(
            [
                (np.arange(steps) >= self.count[self._sorted_positions(lo, hi), None]).reshape(-1)
                for lo, hi, steps in self.buckets
            ]
        )

    def _gather(self, a, x_order: bool):
        """oneDNN's rows of ``a`` (batch, time, n), zeros after each run, and which rows
        those are."""
        flat = np.ascontiguousarray(a, np.float32).reshape(self.batch * self.steps, -1)
        out = np.take(flat, self._rows_from(x_order), axis=0)
        outside = self._outside()
        out[outside] = 0.0
        return out, outside

    def _from_runs(self, a, to_x_order: bool, carry: bool = False):
        """oneDNN's rows ``a`` (``rows`` of them, then a row of zeros) -> (batch, time,
        n) in processing order (or in x's time order): zeros at the invalid steps, or
        with ``carry`` each sequence's final state at the steps after its run. One
        gather: each step reads its row, the final state's or the zeros."""
        p = np.arange(self.steps)
        if to_x_order and self.backwards:
            p = p[::-1]
        k = p - self.start[:, None]
        rows = self.base[:, None] + k
        valid = (k >= 0) & (k < self.count[:, None])
        if carry:
            after = (k >= self.count[:, None]) & (self.count > 0)[:, None]
            rows = np.where(after, (self.base + self.count - 1)[:, None], rows)
            valid |= after
        rows = np.where(valid, rows, self.rows)
        return np.take(a, rows.reshape(-1), axis=0).reshape(self.batch, self.steps, -1)

    def to_runs(self, a):
        """(batch, time, n) in processing order -> oneDNN's rows (rows, n): each
        sequence's run first, zeros after it (a new C-contiguous float32 array)."""
        if self.all_valid:
            return np.array(a, np.float32, order="C").reshape(self.rows, -1)
        return self._gather(a, False)[0]

    def inputs(self, x, tail_feature: bool):
        """oneDNN's source rows from x (batch, time, features): ``to_runs`` of the inputs
        in processing order, and the tail feature (1 on the steps after a run) when
        ``tail_feature`` and some sequence has a tail."""
        if self.all_valid:
            src = np.ascontiguousarray(x[:, ::-1] if self.backwards else x, np.float32)
            return src.reshape(self.rows, -1)
        src, outside = self._gather(x, True)
        if not (tail_feature and self.tails):
            return src
        return np.concatenate([src, outside[:, None].astype(np.float32)], axis=-1)

    def outputs(self, y, zero_output_for_mask):
        """The layer's outputs (batch, time, units) from oneDNN's state rows ``y`` (and
        its row of zeros), as ``rnn_ops.carry_outputs`` makes them: a masked step
        outputs zeros, or the previous output (zeros before the first)."""
        if self.all_valid:
            return y[: self.rows].reshape(self.batch, self.steps, -1)
        return self._from_runs(y, False, carry=not zero_output_for_mask)

    def last(self, y, initial):
        """Each sequence's state after its run (``initial`` without a valid step)."""
        if self.all_valid:
            return y[: self.rows].reshape(self.batch, self.steps, -1)[:, -1].copy()
        last = y[self.base + np.maximum(self.count - 1, 0)]
        return np.where((self.count == 0)[:, None], initial, last).astype(np.float32)

    def state_grads(self, d_outputs, d_h, zero_output_for_mask):
        """The gradient reaching oneDNN's state rows (rows, units) from the outputs'
        (batch-major, processing order) and the final state's: the inverse of
        ``outputs`` and ``last``. Returns it and the final-state gradient of the
        sequences without a valid step (it goes to their initial state)."""
        d_h = np.asarray(d_h, np.float32)
        # A layer's result is most often its final state or its last output alone: the
        # outputs' gradient is then zeros before the last step, and the last output is
        # each sequence's final state (or zeros), so its gradient joins the state's.
        if d_outputs[:, :-1].any():
            d_y = self.to_runs(d_outputs)
            carried = not (zero_output_for_mask or self.all_valid)
        else:
            d_y = np.zeros((self.rows, d_outputs.shape[-1]), np.float32)
            final = self._last_output_is_final(zero_output_for_mask)[:, None]
            d_h = d_h + np.where(final, d_outputs[:, -1], np.float32(0))
            carried = False
        if self.all_valid:
            d_y.reshape(self.batch, self.steps, -1)[:, -1] += d_h
            return d_y, None
        rows = np.flatnonzero(self.count > 0)
        last = self.base[rows] + self.count[rows] - 1
        d_y[last] += d_h[rows]
        if carried:
            after = np.arange(self.steps) >= (self.start + self.count)[:, None]
            carried_grads = np.where(after[..., None], d_outputs, 0.0).sum(axis=1)
            d_y[last] += carried_grads[rows]
        return d_y, np.where((self.count == 0)[:, None], d_h, 0.0).astype(np.float32)

    def _last_output_is_final(self, zero_output_for_mask) -> np.ndarray:
        """(batch,): whether each sequence's last output is its final state (else it is
        zeros: a sequence without a valid step, or masked last under
        ``zero_output_for_mask``)."""
        if self.all_valid:
            return np.ones(self.batch, bool)
        if zero_output_for_mask:
            return self.start + self.count == self.steps
        return self.count > 0

    def input_grads(self, d_src, features):
        """The inputs' gradient (batch, time, features), in x's time order, from
        oneDNN's source rows (``rows`` of them, then a row of zeros; features and the
        tail feature)."""
        d_src = d_src[:, :features]
        if self.all_valid:
            d_src = d_src[: self.rows].reshape(self.batch, self.steps, features)
            return np.ascontiguousarray(d_src[:, ::-1] if self.backwards else d_src)
        return self._from_runs(d_src, True)


def _length_buckets(counts, length: int) -> list:
    """(lo, hi, steps) ranges of ``counts`` (run lengths, longest first) of
    ``_BUCKET_ROWS`` rows each (the last takes the remainder), each running its longest
    run rounded up to a multiple of 1/``_LENGTH_LEVELS`` of ``length`` (at most
    ``length``), so that few shapes, and so few primitives, occur; neighbours of equal
    steps are merged."""
    quantum = -(-length // _LENGTH_LEVELS)
    bounds = list(range(0, len(counts), _BUCKET_ROWS))[: max(1, len(counts) // _BUCKET_ROWS)]
    buckets: list = []
    for lo, hi in zip(bounds, bounds[1:] + [len(counts)]):
        steps = min(length, max(1, -(-int(counts[lo]) // quantum) * quantum))
        if buckets and buckets[-1][2] == steps:
            buckets[-1] = (buckets[-1][0], hi, steps)
        else:
            buckets.append((lo, hi, steps))
    return buckets


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


class _Piece:
    """One oneDNN call: sorted positions ``lo:hi`` of a length bucket of ``steps``
    steps, whose rows start at ``offset``, run by thread ``worker`` of the call's
    budget; its forward pass leaves ``workspace`` for its backward pass."""

    __slots__ = ("worker", "lo", "hi", "steps", "offset", "workspace")

    def __init__(self, worker, lo, hi, steps, offset):
        self.worker, self.lo, self.hi, self.steps, self.offset = worker, lo, hi, steps, offset
        self.workspace = None

    @property
    def rows(self) -> slice:
        """The piece's rows of oneDNN's flat arrays."""
        return slice(self.offset, self.offset + (self.hi - self.lo) * self.steps)

    @property
    def work(self) -> int:
        return (self.hi - self.lo) * self.steps


def _pieces(runs: _Runs) -> list:
    """oneDNN's calls for ``runs``: its length buckets, split by rows among the threads
    of the intra-op budget when there are fewer than two buckets a thread (none smaller
    than ``_MIN_PIECE_ROWS``), and given to the threads largest first, each to the
    least loaded."""
    workers = threads.get_intra_op_threads()
    splits = 1 if len(runs.buckets) >= 2 * workers else workers
    pieces, offset = [], 0
    for lo, hi, steps in runs.buckets:
        n = max(1, min(splits, (hi - lo) // _MIN_PIECE_ROWS))
        bounds = [lo + (hi - lo) * i // n for i in range(n + 1)]
        for a, b in zip(bounds[:-1], bounds[1:]):
            pieces.append(_Piece(0, a, b, steps, offset + (a - lo) * steps))
        offset += (hi - lo) * steps
    load = [0] * workers
    for piece in sorted(pieces, key=lambda p: -p.work):
        piece.worker = load.index(min(load))
        load[piece.worker] += piece.work
    return pieces


def _side_by_side(pieces: list, run) -> list:
    """``[run(piece) ...]``, each thread's pieces on its own thread with one OpenMP
    thread (pieces that all have one thread run here, a single one with the whole
    budget)."""
    workers = max(p.worker for p in pieces) + 1
    if workers == 1:
        return [run(piece) for piece in pieces]
    results = [None] * len(pieces)

    def chunk(start: int, stop: int) -> None:
        with threads.openmp_alone():
            for i, piece in enumerate(pieces):
                if start <= piece.worker < stop:
                    results[i] = run(piece)

    threads.parallel_pieces(workers, 1, chunk, 1)
    return results


def _with_zero_row(rows: int, n: int) -> np.ndarray:
    """An empty (rows + 1, n) float32 array whose last row is zeros: oneDNN's rows, and
    the row that ``_Runs`` reads for the steps without a value."""
    a = np.empty((rows + 1, n), np.float32)
    a[rows] = 0.0
    return a


def _check_pieces_budget(plan, piece: _Piece, workspace_size: int, rows: int) -> None:
    """Refuses a call whose pieces, counted at this one's rate, need more than the budget."""
    _check_budget((workspace_size + plan.scratchpad_size) * rows // piece.work)


def _forward(cell, runs, x, h0, c0, weights):
    """Runs ``cell`` over ``x``: (oneDNN's source rows, state rows, final states in
    oneDNN's order of the sequences, the pieces it ran). A piece reads and writes its
    rows of the whole batch's arrays."""
    src = runs.inputs(x, cell.with_c)
    width, units = src.shape[-1], h0.shape[-1]
    pieces = _pieces(runs)
    h0, c0 = runs.sort_rows(h0), runs.sort_rows(c0) if cell.with_c else None
    y = _with_zero_row(runs.rows, units)
    h_last = np.empty_like(h0)
    c_last = np.empty_like(c0) if cell.with_c else None

    def run(piece):
        plan = _forward_plan(cell, piece.steps, piece.hi - piece.lo, width, units, piece.worker)
        _check_pieces_budget(plan, piece, plan.workspace_size, runs.rows)
        piece.workspace = _spare_workspaces.take(plan.workspace_size)
        batch = slice(piece.lo, piece.hi)
        arrays = {L.ARG_SRC: src[piece.rows], L.ARG_SRC_ITER: h0[batch]}
        arrays.update({L.ARG_DST: y[piece.rows], L.ARG_DST_ITER: h_last[batch]})
        arrays.update(zip((L.ARG_WEIGHTS, L.ARG_WEIGHTS_ITER, L.ARG_BIAS), weights))
        arrays[L.ARG_WORKSPACE] = piece.workspace
        if cell.with_c:
            arrays.update({L.ARG_SRC_ITER_C: c0[batch], L.ARG_DST_ITER_C: c_last[batch]})
        plan.run(arrays)
        return piece

    return src, y, h_last, c_last, _side_by_side(pieces, run)


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
    width, units = src.shape[-1], h0.shape[-1]  # width: the features and any tail feature
    h0 = runs.sort_rows(h0)
    d_src, dh0 = _with_zero_row(*src.shape), np.empty_like(h0)
    if cell.with_c:
        c0, d_c = runs.sort_rows(c0), runs.sort_rows(_c(d_c))
        dc0 = np.empty_like(c0)
    zeros = np.zeros_like(h0)

    def run(piece):
        weight_grads = {
            L.ARG_DIFF_WEIGHTS: np.empty_like(weights[0]),
            L.ARG_DIFF_WEIGHTS_ITER: np.empty_like(weights[1]),
            L.ARG_DIFF_BIAS: np.empty_like(weights[2]),
        }
        batch, rows = slice(piece.lo, piece.hi), piece.rows
        arrays = {L.ARG_SRC: src[rows], L.ARG_SRC_ITER: h0[batch]}
        arrays.update({L.ARG_DST: y[rows], L.ARG_DST_ITER: h_last[batch]})
        arrays.update(zip((L.ARG_WEIGHTS, L.ARG_WEIGHTS_ITER, L.ARG_BIAS), weights))
        arrays.update({L.ARG_WORKSPACE: piece.workspace, L.ARG_DIFF_DST: d_y[rows]})
        arrays.update({L.ARG_DIFF_DST_ITER: zeros[batch], L.ARG_DIFF_SRC: d_src[rows]})
        arrays[L.ARG_DIFF_SRC_ITER] = dh0[batch]
        if cell.with_c:
            arrays.update({L.ARG_SRC_ITER_C: c0[batch], L.ARG_DST_ITER_C: c_last[batch]})
            arrays.update({L.ARG_DIFF_DST_ITER_C: d_c[batch], L.ARG_DIFF_SRC_ITER_C: dc0[batch]})
        arrays.update(weight_grads)
        plan = _backward_plan(cell, piece.steps, piece.hi - piece.lo, width, units, piece.worker)
        _check_pieces_budget(plan, piece, piece.workspace.nbytes, runs.rows)
        plan.run(arrays)
        return weight_grads

    parts = _side_by_side(pieces, run)
    dh0 = runs.unsort_rows(dh0)
    if d_h_empty is not None:
        dh0 += d_h_empty
    dw, dr, db = (
        parts[0][arg] if len(parts) == 1 else sum(g[arg] for g in parts)
        for arg in (L.ARG_DIFF_WEIGHTS, L.ARG_DIFF_WEIGHTS_ITER, L.ARG_DIFF_BIAS)
    )
    features = x.shape[-1]
    dc0 = runs.unsort_rows(dc0) if cell.with_c else None
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
    y, c_last = kept[1], runs.unsort_rows(kept[3])
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
