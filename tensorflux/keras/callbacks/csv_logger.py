"""``tf.keras.callbacks.CSVLogger``."""

import collections.abc
import csv
import os

import numpy as np

from tensorflux.keras.callbacks.callback import Callback


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (
        isinstance(value, np.ndarray) and value.ndim == 0
    ):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Writes each epoch's logs as one row of a CSV file.

    The columns are ``epoch`` then the log keys in sorted order, fixed by the
    first epoch; when that epoch has no ``val_*`` keys, ``val_`` columns are added
    for each key anyway (validation may start later) and missing values are
    written as ``NA``. Each row is flushed as soon as it is written, and the file
    is closed when training ends.

    Args:
        filename: path of the CSV file.
        separator: the column separator.
        append: add rows to an existing file (its header is kept) instead of
            overwriting it.

    >>> csv_logger = CSVLogger("training.log")
    >>> # model.fit(x, y, callbacks=[csv_logger])
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append and os.path.exists(self.filename):
            with open(self.filename, encoding="utf-8") as existing:
                self.append_header = not existing.readline()
        # newline="" lets the csv module write its own line endings.
        self.csv_file = open(
            self.filename, "a" if self.append else "w", newline="", encoding="utf-8"
        )

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if not any(key.startswith("val_") for key in self.keys):
                self.keys += ["val_" + key for key in self.keys]
        if self.writer is None:
            self.writer = csv.DictWriter(
                self.csv_file,
                fieldnames=["epoch"] + self.keys,
                delimiter=self.sep,
                lineterminator="\r\n",
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
            self.csv_file = None
        self.writer = None
