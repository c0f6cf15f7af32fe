"""``tf.distribute.TPUStrategy``: there are no TPUs here, so creating one fails as TF
fails on a machine without a TPU."""

from __future__ import annotations

from tensorflux.distribute.distribute_lib import Strategy

__all__ = ["TPUStrategy"]


class TPUStrategy(Strategy):
    """Synchronous training on TPU cores (``tf.distribute.TPUStrategy``).

    Raises:
        ValueError: always without a ``tpu_cluster_resolver`` naming a TPU, as TF on a
            machine without one ("Please provide a TPU Name to connect to.").
    """

    def __init__(
        self,
        tpu_cluster_resolver=None,
        experimental_device_assignment=None,
        experimental_spmd_xla_partitioning=False,
    ):
        raise ValueError("Please provide a TPU Name to connect to.")
