"""Turns what ``fit``/``evaluate``/``predict`` accept into batches of tensors.

Arrays and tensors are sliced per batch with NumPy (one fancy-index per batch,
no per-example work); ``tf.data`` datasets and Python generators are iterated as
they come; a ``keras.utils.Sequence`` is indexed batch by batch (in a shuffled order
for ``fit``, by an ``OrderedEnqueuer`` with several workers). Batches are packed as
Keras packs them for ``train_step(data)``: ``x``, ``(x, y)`` or ``(x, y, sample_weight)``.
"""

from __future__ import annotations

import math
import random

import numpy as np

from tensorflux.framework import dtypes, nest
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras.utils.batch_packing import pack_x_y_sample_weight, unpack_x_y_sample_weight
from tensorflux.keras.utils.sequence import OrderedEnqueuer, Sequence
from tensorflux.ops import random_ops
from tensorflux.ops.sparse.sparse_rows import SparseRows
from tensorflux.ops.sparse.sparse_tensor import SparseTensor

__all__ = [
    "unpack_x_y_sample_weight",
    "pack_x_y_sample_weight",
    "DataHandler",
    "is_source",
    "train_validation_split",
]


def _pack_batch(x, y=None, sample_weight=None):
    """``pack_x_y_sample_weight`` that wraps a list ``x`` too, so that several inputs
    given as a list are not unpacked as ``(x, y)`` by ``train_step``."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def _is_dataset(x) -> bool:
    return hasattr(x, "element_spec") and hasattr(x, "__iter__")


def is_source(x) -> bool:
    """A dataset, a ``Sequence`` or a Python iterator/generator (not sliced)."""
    return (
        _is_dataset(x)
        or isinstance(x, Sequence)
        or (hasattr(x, "__next__") and not isinstance(x, np.ndarray))
    )


def _is_list_of_scalars(x) -> bool:
    # ``[[0., 1.], [1., 0.]]`` is one array; ``[array, array]`` is a list of inputs.
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    return isinstance(x, (int, float, bool, str, bytes, np.generic))


def _to_array(x):
    if x is None:
        return None
    if isinstance(x, SparseTensor):
        return SparseRows.from_sparse(x)
    if isinstance(x, Variable):
        x = x.value()
    if isinstance(x, Tensor):
        return x._value
    if hasattr(x, "to_numpy"):  # pandas DataFrame / Series
        x = x.to_numpy()
    arr = np.asarray(x)
    if arr.dtype.kind == "f" and arr.dtype != np.float32:
        # Keras feeds floating NumPy data to models in its floatx (float32).
        return arr.astype(np.float32)
    return arr


def _to_arrays(structure):
    if isinstance(structure, (list, tuple)) and _is_list_of_scalars(structure):
        return _to_array(structure)
    return nest.map_structure(_to_array, structure)


def _num_samples(arrays) -> int:
    x, y, sample_weight = arrays
    parts = [
        (name, [a.shape[0] for a in nest.flatten(part) if a is not None])
        for name, part in (("x", x), ("y", y), ("sample_weight", sample_weight))
    ]
    sizes = {n for _, part_sizes in parts for n in part_sizes}
    if len(sizes) > 1:
        lines = "".join(
            f"  {name} sizes: {', '.join(map(str, part_sizes))}\n"
            for name, part_sizes in parts
            if part_sizes
        )
        raise ValueError(
            f"Data cardinality is ambiguous:\n{lines}Make sure all arrays "
            f"contain the same number of samples."
        )
    if not sizes:
        raise ValueError(
            "No data given: pass `x` (and `y`) as arrays, tensors, a "
            "tf.data.Dataset or a generator."
        )
    return sizes.pop()


def train_validation_split(arrays, validation_split: float):
    """Splits ``(x, y, sample_weight)`` arrays into training and validation parts: the
    last ``validation_split`` fraction is held out, before any shuffling (as Keras does).

    Raises:
        ValueError: datasets or generators, a split outside [0, 1], or one that leaves
            a part empty.
    """
    sources = [type(a) for a in nest.flatten(arrays) if is_source(a)]
    if sources:
        raise ValueError(
            f"`validation_split` is only supported for Tensors or NumPy arrays, "
            f"found following types in the input: {sources}. Pass "
            f"`validation_data` instead."
        )
    if not 0 <= validation_split <= 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, got {validation_split}.")
    arrays = tuple(_to_arrays(part) for part in arrays)
    n = _num_samples(arrays)
    split = int(math.floor(n * (1.0 - validation_split)))
    if split == 0 or split == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to "
            f"split it into a validation and training set as specified by "
            f"`validation_split={validation_split}`. Either provide more data, "
            f"or a different value for the `validation_split` argument."
        )
    head = nest.map_structure(lambda a: None if a is None else a[:split], arrays)
    tail = nest.map_structure(lambda a: None if a is None else a[split:], arrays)
    return head, tail


def _wrap(batch):
    def wrap(a):
        if a is None:
            return None
        if isinstance(a, SparseRows):
            return a.to_sparse()
        return Tensor(a, dtypes.from_numpy(a.dtype))

    return nest.map_structure(wrap, batch)


class DataHandler:
    """Yields the batches of ``(x, y, sample_weight)`` of each epoch, as Keras 2 does.

    Without ``steps_per_epoch`` an epoch is one pass over the data (learnt at the end
    of the first epoch for a generator or an unsized dataset). With it, the data is one
    stream that epochs take ``steps_per_epoch`` batches from -- arrays repeated
    ``epochs`` times, a dataset or generator iterated once -- unless it is exactly one
    pass long. When the stream runs out before the steps, ``insufficient_data`` is set
    and ``fit`` stops after that epoch.

    Args:
        x, y, sample_weight: arrays/tensors (nested structures allowed), or a dataset /
            generator as ``x`` yielding ``x``, ``(x, y)`` or ``(x, y, sample_weight)``.
        batch_size: for arrays (default 32).
        steps_per_epoch: batches per epoch.
        shuffle: reshuffle arrays each pass; "batch" shuffles the order of the runs of
            ``batch_size`` samples and each array within a run (see
            ``_init_batch_shuffle``).
        class_weight: ``{class: weight}`` turned into per-sample weights from ``y``.
        epochs: passes over the arrays that a ``steps_per_epoch`` stream holds.
        workers, use_multiprocessing, max_queue_size: for a ``Sequence``: with
            ``workers > 1`` (or processes) an ``OrderedEnqueuer`` prefetches batches.

    Raises:
        ValueError: ``y``/``sample_weight`` with a dataset, an infinite dataset without
            ``steps_per_epoch``, a bad ``batch_size`` or ``class_weight``.
        TypeError: no ``x``.
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps_per_epoch=None,
        shuffle=False,
        class_weight=None,
        epochs=1,
        workers=1,
        use_multiprocessing=False,
        max_queue_size=10,
    ):
        if x is None:
            raise TypeError(
                "Inputs to a model should be tensors or arrays, got `x=None`. "
                "Pass the input data as `x`."
            )
        if class_weight is not None:
            _check_class_weight(class_weight)
        self._class_weight = class_weight
        if isinstance(shuffle, str):
            shuffle = shuffle.lower()
        self._shuffle = shuffle
        self._epochs = epochs
        from tensorflux.keras.utils.experimental import DatasetCreator, InputContext

        if isinstance(x, DatasetCreator):
            if steps_per_epoch is None:
                raise ValueError(
                    "When using a `tf.keras.utils.experimental.DatasetCreator`, "
                    "`steps_per_epoch` argument must be provided in `Model.fit`."
                )
            x = x(InputContext())
        self._stream = None
        self._sequence = None
        self._enqueuer = None
        self._unstarted = True
        self.insufficient_data = False
        if isinstance(x, Sequence):
            self._init_sequence(x, y, sample_weight, workers, use_multiprocessing, max_queue_size)
            self._steps = len(x) if steps_per_epoch is None else int(steps_per_epoch)
            # Keras restarts a Sequence each epoch, whatever ``steps_per_epoch`` is.
            self._per_epoch = True
            return
        if is_source(x):
            for name, value in (("y", y), ("sample_weight", sample_weight)):
                if value is not None:
                    raise ValueError(
                        f"`{name}` argument is not supported when using a dataset "
                        f"or a generator as input: put it in the elements of "
                        f"`x`."
                    )
            self._source = x
            self._arrays = None
            size = None
            if _is_dataset(x):
                size = int(x.cardinality())
                if size == -1 and steps_per_epoch is None:
                    raise ValueError(
                        "When providing an infinite dataset, you must specify the "
                        "number of steps to run (if you did not intend to create "
                        "an infinite dataset, make sure to not call `repeat()` "
                        "on the dataset)."
                    )
                size = size if size >= 0 else None
            elif hasattr(x, "__len__") and hasattr(x, "on_epoch_end"):
                size = len(x)  # a Keras Sequence (ImageDataGenerator's iterators): one pass
        else:
            self._source = None
            _check_adaptable(x, y, sample_weight)
            arrays = tuple(_to_arrays(part) for part in (x, y, sample_weight))
            self._arrays = arrays
            # Plain arrays (the common case) are sliced without walking structures.
            self._flat = all(a is None or isinstance(a, np.ndarray) for a in arrays)
            # tf_keras shuffles each epoch's indices with tf.random.shuffle inside a
            # tf.data map function: one stream across the epochs of this fit.
            self._order_stream = (
                random_ops.function_stream() if shuffle and shuffle != "batch" else None
            )
            self._n = _num_samples(arrays)
            self._batch_size = 32 if batch_size is None else check_count(batch_size, "batch_size")
            size = int(math.ceil(self._n / self._batch_size))
            if shuffle == "batch":
                self._init_batch_shuffle(size)
        self._steps = size if steps_per_epoch is None else int(steps_per_epoch)
        # A new pass per epoch, unless epochs cut one stream at ``steps_per_epoch``.
        self._per_epoch = steps_per_epoch is None or self._steps == size

    def _init_batch_shuffle(self, steps: int) -> None:
        """``shuffle="batch"`` as tf_keras does it: the batches are the unshuffled runs
        of ``batch_size`` samples, their order each pass that of a
        ``Dataset.shuffle(1024)`` (reshuffled per pass), and within a batch every
        array (each input, the targets, the sample weights) is permuted by its own
        ``tf.random.shuffle`` in a tf.data map function. Those permutations differ, so
        inputs and targets in a batch are no longer paired row by row: tf_keras trains
        on these batches, and a seeded program must see the same ones."""
        from tensorflux.data.dataset import Dataset
        from tensorflux.ops.random_seed import global_seed

        # In TF the shuffle takes op seed 0 of the function that builds it; seed=0
        # gives the same pair here without drawing from the eager op-seed sequence.
        seed = None if global_seed() is None else 0
        self._batch_order = Dataset.range(steps).shuffle(1024, seed=seed).batch(max(steps, 1))
        # One stream per array of a batch, by its place in the flattened batch.
        self._leaf_streams: list = []

    def _next_batch_order(self) -> np.ndarray:
        for order in self._batch_order:
            return order.numpy()
        return np.zeros(0, np.int64)

    def _shuffle_within(self, parts):
        """Each array of ``parts`` (x, y, sample_weight) permuted along its first axis
        by its own stream, as tf_keras' per-batch ``tf.random.shuffle`` calls do."""
        leaves = [a for a in nest.flatten(parts) if a is not None]
        while len(self._leaf_streams) < len(leaves):
            self._leaf_streams.append(random_ops.function_stream(len(self._leaf_streams)))
        shuffled = iter(
            [
                random_ops.shuffled(a, stream)
                if isinstance(a, np.ndarray)
                else a[random_ops.shuffled_range(len(a), stream)]
                for a, stream in zip(leaves, self._leaf_streams)
            ]
        )
        return nest.map_structure(lambda a: None if a is None else next(shuffled), parts)

    def _init_sequence(self, x, y, sample_weight, workers, use_multiprocessing, max_queue_size):
        for name, value in (("y", y), ("sample_weight", sample_weight)):
            if value is not None:
                raise ValueError(
                    f"`{name}` argument is not supported when using "
                    f"`keras.utils.Sequence` as input."
                )
        self._sequence = x
        self._source = x
        self._arrays = None
        self._parallel = workers > 1 or (workers > 0 and use_multiprocessing)
        self._use_multiprocessing = use_multiprocessing
        self._workers = workers
        self._max_queue_size = max_queue_size
        # Keras reads the first batch once up front to learn the data's structure.
        x[0]

    def end_epoch(self) -> None:
        """Called after each epoch (and each evaluation): a ``Sequence``'s workers
        stop and its ``on_epoch_end`` runs."""
        if self._sequence is None:
            return
        if self._enqueuer is not None:
            self._enqueuer.stop()
            self._enqueuer = None
        self._sequence.on_epoch_end()

    def restart(self) -> None:
        """Starts the data again from its beginning (each validation run does)."""
        self._stream = None
        self._unstarted = True
        self.insufficient_data = False

    def skip_epochs(self, count: int) -> None:
        """Draws and drops ``count`` epochs of array batches, so that a resumed ``fit``
        sees the shuffles an uninterrupted one would; a dataset or generator starts over
        instead, as Keras restarts it."""
        if self._arrays is None:
            return
        for _ in range(count):
            for _ in self.batches():
                pass

    @property
    def steps_per_epoch(self):
        """Batches per epoch, or None while a generator/dataset's length is unknown."""
        return self._steps

    def batches(self):
        """The batches of the next epoch."""
        if self._unstarted:
            self._unstarted = False
            if self._per_epoch and self._arrays is None and _is_dataset(self._source):
                # Keras opens an iterator over a dataset before its epoch loop and, as
                # each epoch is a new pass, opens another for the first epoch: the
                # unused one takes a reshuffle, so a seeded program's first epoch
                # sees a dataset's second shuffle order.
                iter(self._source)
        if self._per_epoch or self._stream is None:
            self._stream = self._new_stream()
        stream, steps, count = self._stream, self._steps, 0
        while steps is None or count < steps:
            try:
                batch = next(stream)
            except StopIteration:
                if steps is None:
                    self._steps = count
                else:
                    self.insufficient_data = True
                return
            count += 1
            yield batch

    def _new_stream(self):
        if self._arrays is not None:
            passes = 1 if self._per_epoch else self._epochs
            return (batch for _ in range(passes) for batch in self._array_pass())
        if self._sequence is not None:
            return self._source_batches(self._sequence_pass())
        return self._source_batches(iter(self._source))

    def _sequence_pass(self):
        sequence = self._sequence
        if self._parallel:
            self._enqueuer = OrderedEnqueuer(
                sequence, self._use_multiprocessing, shuffle=bool(self._shuffle)
            )._one_epoch()
            self._enqueuer.start(self._workers, self._max_queue_size)
            return self._enqueuer.get()
        order = list(range(len(sequence)))
        if self._shuffle:
            # Python's global generator, as Keras (``tf.keras.utils.set_random_seed``
            # seeds it).
            random.shuffle(order)
        return (sequence[i] for i in order)

    def _class_weights(self, y):
        table = self._class_weight
        labels = y.reshape(-1) if y.ndim == 1 or y.shape[-1] == 1 else np.argmax(y, axis=-1)
        labels = labels.astype(np.int64)
        missing = set(np.unique(labels).tolist()) - set(table)
        if missing:
            raise ValueError(
                f"`class_weight` has no weight for class(es) {sorted(missing)} "
                f"found in `y`; it must give a weight to every class 0 to "
                f"{max(table)}, got {table}."
            )
        weights = np.array([table[k] for k in range(len(table))], dtype=np.float32)
        return weights[labels]

    def _array_pass(self):
        steps = int(math.ceil(self._n / self._batch_size))
        order = None
        batchwise = self._shuffle == "batch"
        if batchwise:
            starts = self._next_batch_order()
        else:
            starts = range(steps)
            if self._shuffle:
                order = random_ops.shuffled_range(self._n, self._order_stream)
        bs = self._batch_size
        whole = steps == 1
        for step in starts:
            lo, hi = step * bs, min((step + 1) * bs, self._n)
            if whole and order is None:
                index = slice(None)
            else:
                index = slice(lo, hi) if order is None else order[lo:hi]
            if self._flat:
                x, y, sw = (None if a is None else a[index] for a in self._arrays)
            else:
                x, y, sw = nest.map_structure(
                    lambda a, index=index: None if a is None else a[index], self._arrays
                )
            if batchwise:
                x, y, sw = self._shuffle_within((x, y, sw))
            if self._class_weight is not None and y is not None:
                cw = self._class_weights(y)
                sw = cw if sw is None else sw * cw
            if self._flat:
                x, y, sw = (
                    None if a is None else Tensor(a, dtypes.from_numpy(a.dtype)) for a in (x, y, sw)
                )
            else:
                x, y, sw = _wrap((x, y, sw))
            yield _pack_batch(x, y, sw)

    def _source_batches(self, iterator):
        for data in iterator:
            x, y, sw = unpack_x_y_sample_weight(data)
            if self._class_weight is not None and y is not None:
                cw = self._class_weights(np.asarray(convert_to_tensor(y)._value))
                sw = cw if sw is None else np.asarray(convert_to_tensor(sw)._value) * cw
            x, y, sw = nest.map_structure(
                lambda a: (
                    None
                    if a is None
                    else (
                        a
                        if isinstance(a, (Tensor, SparseTensor))
                        else convert_to_tensor(_to_array(a))
                    )
                ),
                (x, y, sw),
            )
            yield _pack_batch(x, y, sw)


def check_count(value, name: str) -> int:
    """A positive integer argument (``batch_size``, ``epochs``), checked as Keras 2 does.

    Raises:
        TypeError: a float, a string or another non-integer.
        ValueError: zero or a negative number.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"`{name}` must be a positive integer, got {value!r} of type "
            f"{type(value).__name__}. Pass an int, e.g. {name}=32."
        )
    if value <= 0:
        raise ValueError(f"Expected {name} to be positive. Received is {value}.")
    return int(value)


def _is_array_like(a) -> bool:
    if a is None or isinstance(a, (np.ndarray, Tensor, Variable, SparseTensor)):
        return True
    if hasattr(a, "to_numpy"):
        return True
    if isinstance(a, (list, tuple)):
        return not a or _is_list_of_scalars(a)
    return hasattr(a, "__array__") and not isinstance(a, (str, bytes))


def _check_adaptable(x, y, sample_weight) -> None:
    """Refuses, as Keras does, data that is neither arrays nor tensors (a float, a str)."""
    parts = (x, y, sample_weight)
    for part in parts:
        if isinstance(part, (list, tuple)) and _is_list_of_scalars(part):
            leaves = [part]
        else:
            leaves = nest.flatten(part) if part is not None else []
        for leaf in leaves:
            if not _is_array_like(leaf) or np.ndim(_leaf_array(leaf)) == 0:
                kinds = ", ".join(str(type(p)) for p in parts if p is not None)
                raise ValueError(
                    f"Failed to find data adapter that can handle input: {kinds}. "
                    f"Pass NumPy arrays or tensors with a batch dimension "
                    f"(got {leaf!r}), a tf.data.Dataset or a generator."
                )


def _leaf_array(a):
    if isinstance(a, SparseTensor):
        return SparseRows.from_sparse(a)
    return (
        a.value()._value if isinstance(a, Variable) else (a._value if isinstance(a, Tensor) else a)
    )


def _check_class_weight(class_weight) -> None:
    if not isinstance(class_weight, dict) or sorted(class_weight) != list(range(len(class_weight))):
        raise ValueError(
            f"Expected `class_weight` to be a dict with keys from 0 to one less "
            f"than the number of classes, found {class_weight}"
        )
