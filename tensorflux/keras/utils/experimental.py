"""``tf.keras.utils.experimental``: ``DatasetCreator``."""

from __future__ import annotations

__all__ = ["DatasetCreator"]


class InputContext:
    """What a ``DatasetCreator``'s function learns about the input pipeline: one
    pipeline on one replica, as a single-device ``tf.distribute`` strategy reports."""

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self.num_input_pipelines = num_input_pipelines
        self.input_pipeline_id = input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size):
        """The batch size of one replica.

        Raises:
            ValueError: ``global_batch_size`` does not divide among the replicas.
        """
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(
                f"The `global_batch_size` {global_batch_size} is not divisible by "
                f"`num_replicas_in_sync` {self.num_replicas_in_sync} "
            )
        return global_batch_size // self.num_replicas_in_sync


class DatasetCreator:
    """A function that makes the training dataset, for ``Model.fit`` (which calls it
    with an ``InputContext``; give ``fit`` a ``steps_per_epoch``).

    Raises:
        TypeError: ``dataset_fn`` is not callable.
    """

    def __init__(self, dataset_fn, input_options=None):
        if not callable(dataset_fn):
            raise TypeError(
                "`dataset_fn` for `DatasetCreator` must be a `callable`. Received: "
                f"dataset_fn={dataset_fn}"
            )
        self.dataset_fn = dataset_fn
        self.input_options = input_options

    def __call__(self, *args, **kwargs):
        from tensorflux.data.dataset import Dataset

        dataset = self.dataset_fn(*args, **kwargs)
        if not isinstance(dataset, Dataset):
            raise TypeError(
                "The `callable` provided to `DatasetCreator` must return a Dataset. It "
                f"returns {dataset}"
            )
        return dataset
