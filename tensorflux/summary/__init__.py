"""``tf.summary``: TensorBoard event files written by tensorflux itself (no protobuf,
TensorFlow or TensorBoard needed to write them)."""

from tensorflux.summary import experimental
from tensorflux.summary.summary_ops import (
    audio,
    histogram,
    image,
    scalar,
    should_record_summaries,
    text,
    write,
)
from tensorflux.summary.trace import graph, trace_export, trace_off, trace_on
from tensorflux.summary.writer import (
    SummaryWriter,
    create_file_writer,
    create_noop_writer,
    flush,
    record_if,
)

__all__ = [
    "SummaryWriter",
    "audio",
    "create_file_writer",
    "create_noop_writer",
    "experimental",
    "flush",
    "graph",
    "histogram",
    "image",
    "record_if",
    "scalar",
    "should_record_summaries",
    "text",
    "trace_export",
    "trace_off",
    "trace_on",
    "write",
]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.summary", __name__, name)
