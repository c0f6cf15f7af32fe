"""``tf.queue``: FIFO, padding FIFO, priority and random-shuffle queues."""

from tensorflux.ops.queue_ops import (  # noqa: F401
    FIFOQueue,
    PaddingFIFOQueue,
    PriorityQueue,
    QueueBase,
    RandomShuffleQueue,
)
