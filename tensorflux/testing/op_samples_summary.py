"""Inference-table rows for the summary-writing ops (WriteSummary,
WriteRawProtoSummary), which have no outputs.

Imported at the end of ``op_samples``; it imports ``tensorflux.summary.summary_ops``, so
the ops are registered whenever the table is read. The rows write to a writer that
keeps nothing.
"""

from __future__ import annotations

import numpy as np

from tensorflux.summary import summary_ops  # noqa: F401  (registers the ops)
from tensorflux.testing.op_samples import add_sample, f32


class _DiscardingWriter:
    """Takes events as a summary writer does and drops them."""

    def _write(self, step, tag, data, metadata):
        pass

    def _write_event(self, event):
        pass


_STEP = np.array(3, np.int64)
add_sample(
    "WriteSummary",
    f32(2, 3),
    _STEP,
    np.array(True),
    writer=_DiscardingWriter(),
    tag="loss",
    metadata=b"",
    encode=lambda value: b"",
)
add_sample(
    "WriteRawProtoSummary",
    np.array([b""], dtype=object),
    _STEP,
    np.array(False),
    writer=_DiscardingWriter(),
)
