"""``tf.keras.callbacks.LambdaCallback``."""

from tensorflux.keras.callbacks.callback import Callback


class LambdaCallback(Callback):
    """A callback made of plain functions, for quick custom hooks.

    Args:
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_batch_begin, on_batch_end: ``f(batch, logs)`` (training batches).
        on_train_begin, on_train_end: ``f(logs)``.
        **kwargs: other hooks by name (``on_test_batch_end=f``...), as Keras allows.

    >>> printer = LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs))
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_batch_begin=None,
        on_batch_end=None,
        on_train_begin=None,
        on_train_end=None,
        **kwargs,
    ):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_batch_begin": on_batch_begin,
            "on_batch_end": on_batch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
        }
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)
