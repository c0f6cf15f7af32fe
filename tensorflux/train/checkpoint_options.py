"""``tf.train.CheckpointOptions``: options for saving and restoring checkpoints."""

from __future__ import annotations

__all__ = ["CheckpointOptions"]


class CheckpointOptions:
    """Options for ``tf.train.Checkpoint`` ``save``/``write``/``read``/``restore`` and
    ``Model.save_weights``.

    tensorflux runs on one CPU device, so ``experimental_io_device`` names where TF
    would do the I/O and changes nothing here; an asynchronous checkpoint is written
    before ``save`` returns, which TF allows (it only promises the file after
    ``sync()``); ``experimental_write_callbacks`` are called with the saved path
    after each save, as TF calls them.

    >>> import tensorflux as tf
    >>> tf.train.CheckpointOptions(enable_async=True).enable_async
    True
    """

    __slots__ = (
        "experimental_io_device",
        "experimental_enable_async_checkpoint",
        "experimental_write_callbacks",
        "enable_async",
        "experimental_skip_slot_variables",
        "experimental_sharding_callback",
    )

    def __init__(
        self,
        experimental_io_device=None,
        experimental_enable_async_checkpoint=False,
        experimental_write_callbacks=None,
        enable_async=False,
        experimental_skip_slot_variables=False,
        experimental_sharding_callback=None,
    ):
        self.experimental_io_device = experimental_io_device
        self.enable_async = experimental_enable_async_checkpoint or enable_async
        self.experimental_enable_async_checkpoint = self.enable_async
        if experimental_write_callbacks is not None:
            for callback in experimental_write_callbacks:
                if not callable(callback):
                    raise TypeError(
                        f"experimental_write_callbacks must be callables, got {callback!r}."
                    )
        self.experimental_write_callbacks = experimental_write_callbacks
        self.experimental_skip_slot_variables = experimental_skip_slot_variables
        if experimental_sharding_callback is not None:
            raise NotImplementedError(
                "experimental_sharding_callback: tensorflux writes each checkpoint as one "
                "shard; leave it unset."
            )
        self.experimental_sharding_callback = None

    def __copy__(self):
        copy = CheckpointOptions.__new__(CheckpointOptions)
        for slot in self.__slots__:
            setattr(copy, slot, getattr(self, slot))
        return copy
