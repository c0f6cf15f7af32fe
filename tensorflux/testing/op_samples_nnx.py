"""Inference-table rows for the CTC ops and the other ``tf.nn`` additions (morphology,
sparse embeddings, candidate samplers).

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.ops import (  # noqa: F401  (registers the ops)
    ctc_decoder_ops,
    ctc_ops,
    fractional_pool_ops,
    isotonic_ops,
    learned_sampling_ops,
    morphology_ops,
    parameterized_truncated_normal_ops,
)
from tensorflux.testing.op_samples import add_sample, f32, f64


def _rows():
    logits = f32(5, 2, 4)
    indices = np.array([[0, 0], [0, 1], [1, 0]], np.int64)
    values = np.array([1, 2, 0], np.int32)
    lengths = np.array([5, 3], np.int32)
    add_sample("PreventGradient", f32(2, 3), message="no")
    add_sample("CTCLoss", logits, indices, values, lengths)
    add_sample("CTCLoss", f64(4, 2, 3), indices, np.array([1, 0, 0], np.int32), lengths - 1,
               preprocess_collapse_repeated=True, ctc_merge_repeated=False,
               ignore_longer_outputs_than_inputs=True)  # fmt: skip
    dense = np.array([[1, 2, 0], [3, 0, 0]], np.int32)
    add_sample("CtcLossDense", logits, dense, np.array([2, 1], np.int32), lengths)
    add_sample("CTCGreedyDecoder", logits, lengths, merge_repeated=True, blank_index=-1)
    add_sample("CTCGreedyDecoder", f64(3, 1, 3), np.array([2], np.int32), merge_repeated=False,
               blank_index=0)  # fmt: skip
    add_sample("CTCBeamSearchDecoder", logits, lengths, beam_width=3, top_paths=2,
               merge_repeated=False)  # fmt: skip
    add_sample("CTCBeamSearchDecoder", f64(3, 1, 3), np.array([3], np.int32), beam_width=1,
               top_paths=1, merge_repeated=True)  # fmt: skip

    morph = {"strides": [1, 2, 1, 1], "rates": [1, 1, 2, 1], "padding": "SAME"}
    add_sample("Dilation2D", f32(2, 5, 4, 3), f32(2, 2, 3), **morph)
    add_sample("Dilation2D", f64(1, 4, 4, 1), f64(3, 2, 1), strides=[1, 1, 1, 1],
               rates=[1, 1, 1, 1], padding="VALID")  # fmt: skip
    add_sample("Dilation2DBackpropInput", f32(2, 5, 4, 3), f32(2, 2, 3), f32(2, 3, 4, 3), **morph)
    add_sample("Dilation2DBackpropFilter", f32(2, 5, 4, 3), f32(2, 2, 3), f32(2, 3, 4, 3),
               **morph)  # fmt: skip

    add_sample("IsotonicRegression", f32(3, 5), output_dtype=dtypes.float32)
    add_sample("IsotonicRegression", np.array([[3, 1, 2]], np.int32), output_dtype=dtypes.float64)

    classes = np.array([[0, 3], [4, 1]], np.int64)
    seeds = {"seed": 3, "seed2": 4}
    add_sample("LearnedUnigramCandidateSampler", classes, num_true=2, num_sampled=3, unique=True,
               range_max=5, **seeds)  # fmt: skip
    add_sample("AllCandidateSampler", classes, num_true=2, num_sampled=5, unique=False, **seeds)

    seed = np.array([1, 2], np.int64)
    add_sample("StatelessParameterizedTruncatedNormal", np.array([4, 2], np.int32), seed,
               np.array([0.0, 1.0], np.float32), np.float32(1.0), np.float32(-1.0),
               np.array([1.0, 5.0], np.float32))  # fmt: skip
    add_sample("StatelessParameterizedTruncatedNormal", np.array([3], np.int64), seed,
               np.float64(0.0), np.float64(2.0), np.float64(1.0), np.float64(np.inf))  # fmt: skip

    frac = {"pseudo_random": False, "overlapping": True, "deterministic": True, "seed": 3,
            "seed2": 4}  # fmt: skip
    for name in ("FractionalMaxPool", "FractionalAvgPool"):
        add_sample(name, f32(2, 7, 6, 3), pooling_ratio=[1.0, 1.5, 1.4, 1.0], **frac)
        add_sample(name, f64(1, 5, 5, 1), pooling_ratio=[1.0, 2.0, 1.2, 1.0],
                   **{**frac, "pseudo_random": True, "overlapping": False})  # fmt: skip
    rows, cols = np.array([0, 2, 4, 5], np.int64), np.array([0, 1, 3], np.int64)
    add_sample("FractionalMaxPoolGrad", f32(2, 5, 3, 2), f32(2, 3, 2, 2), f32(2, 3, 2, 2), rows,
               cols, overlapping=True)  # fmt: skip
    add_sample("FractionalAvgPoolGrad", np.array([2, 5, 3, 2], np.int64), f32(2, 3, 2, 2), rows,
               cols, overlapping=False)  # fmt: skip


_rows()
