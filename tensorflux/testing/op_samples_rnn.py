"""Inference-table rows for the fused recurrent ops (SimpleRNN, LSTM, GRU and their
backward passes).

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read. The backward ops' rows take the saved
arrays their forward op produced on the same inputs.
"""

from __future__ import annotations

import numpy as np

from tensorflux.ops import gru_ops, lstm_ops, rnn_ops  # noqa: F401  (registers the ops)
from tensorflux.testing.op_samples import add_sample, f32, f64

_B, _T, _D, _U = 2, 4, 3, 5
# One masked step per sequence exercises the carrying paths.
_MASK = np.array([[1, 1, 0, 1], [0, 1, 1, 1]], np.float32)


def _rows(name, gates, n_states, bias_shape, attrs_list):
    from tensorflux.engine import registry

    for make_array, attrs in zip((f32, f64), attrs_list):
        x = make_array(_B, _T, _D)
        states = [make_array(_B, _U) for _ in range(n_states)]
        weights = [make_array(_D, gates * _U), make_array(_U, gates * _U), make_array(*bias_shape)]
        mask = _MASK.astype(x.dtype)
        inputs = (x, *states, mask, *weights)
        add_sample(name, *inputs, **attrs)
        outs = registry.get(name).kernel(*inputs, **attrs)
        saved = outs[1 + n_states :]
        d_finals = [make_array(_B, _U) for _ in range(n_states)]
        add_sample(name + "Grad", *inputs, *saved, make_array(_B, _T, _U), *d_finals, **attrs)


_rows(
    "FusedSimpleRNN",
    1,
    1,
    (_U,),
    [
        {"activation": "tanh"},
        {"activation": "relu", "go_backwards": True, "zero_output_for_mask": True},
    ],
)
_rows(
    "FusedLSTM",
    4,
    2,
    (4 * _U,),
    [{}, {"activation": "relu", "recurrent_activation": "hard_sigmoid", "go_backwards": True}],
)
_rows("FusedGRU", 3, 1, (2, 3 * _U), [{}, {"go_backwards": True, "zero_output_for_mask": True}])
_rows(
    "FusedGRU",
    3,
    1,
    (3 * _U,),
    [{"reset_after": False}, {"reset_after": False, "go_backwards": True}],
)
