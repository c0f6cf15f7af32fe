"""``tf.keras.callbacks.experimental``: the earlier home of ``BackupAndRestore``."""

from tensorflux.keras.callbacks.backup_and_restore import BackupAndRestore

__all__ = ["BackupAndRestore"]
